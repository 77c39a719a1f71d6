#!/usr/bin/env bash
# Builds carbonmrv and runs the whole suite through ctest: C++ core (Catch2), C API (Catch2 + a
# strict C99 program), exported-symbol check, Python (pytest, incl. the CLI), install consumers; the
# registry's tests on SQLite and on a throw-away PostgreSQL cluster (scripts/pg-cluster.sh).
#   scripts/test.sh              plain build in build/ (warnings as errors when CI=true)
#   scripts/test.sh --sanitize   ASan+UBSan build in build-asan/ (C++ and C suites; no pytest)
#   scripts/test.sh --tsan       ThreadSanitizer build in build-tsan/: the concurrency tests (shared
#                                catalogue, shared enterprise, one context per thread, batch workers)
#   scripts/test.sh --quick      skip the install/pip consumer test
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

build=build
args=(-DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCMRV_BUILD_PYTHON=ON -DCMRV_BUILD_CLI=ON -DCMRV_BUILD_BENCH=ON -DPython_EXECUTABLE=/usr/bin/python3)
ctest_args=(--output-on-failure)
for a in "$@"; do
  case "$a" in
    # The sanitizer builds run only the C++ and C suites: the Python module, the CLI and the benchmarks
    # are not built there (a third of the ASan build's compile time went to them).
    # The library is compiled as a unity build there (CMRV_UNITY_BUILD: about half the compile time).
    --sanitize) build=build-asan
                args=(-DCMRV_SANITIZE="address;undefined" -DCMAKE_BUILD_TYPE=Debug -DCMRV_BUILD_PYTHON=OFF
                      -DCMRV_BUILD_CLI=OFF -DCMRV_BUILD_BENCH=OFF -DCMRV_UNITY_BUILD=ON) ;;
    --tsan) build=build-tsan
            args=(-DCMRV_SANITIZE=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMRV_BUILD_PYTHON=OFF -DCMRV_BUILD_CLI=OFF
                  -DCMRV_BUILD_BENCH=OFF -DCMRV_UNITY_BUILD=ON)
            ctest_args+=(-L "threads") ;;
    --quick) ctest_args+=(-LE install) ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done
if [ "${CI:-}" = true ]; then args+=(-DCMAKE_COMPILE_WARNING_AS_ERROR=ON); fi

cmake -S . -B "$build" -G Ninja "${args[@]}" > /dev/null
cmake --build "$build" -j "$(nproc)"
# The registry suite runs on SQLite and on a throw-away PostgreSQL cluster, stopped on exit
# (CMRV_TEST_PG already set: use that server instead).
if [ -z "${CMRV_TEST_PG:-}" ]; then
  eval "$(bash scripts/pg-cluster.sh start)"
  trap "bash '$PWD/scripts/pg-cluster.sh' stop \"\$CMRV_PG_DIR\"" EXIT
fi
cd "$build"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 TSAN_OPTIONS=halt_on_error=1 \
  ctest -j "$(nproc)" "${ctest_args[@]}"
