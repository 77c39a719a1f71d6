#!/usr/bin/env bash
# Line and branch coverage of the core (lib/) and the C API (capi/) by the C++, C API and Python
# suites: a gcc --coverage build in build-cov/, then gcovr (Debian). Prints the summary and writes
# build-cov/coverage.txt (per file) and build-cov/capi-uncovered.txt (C API lines never run, per file: the
# error paths still to cover). The numbers are reported in docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh > /dev/null
build=build-cov
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_C_FLAGS=--coverage -fprofile-update=atomic" "-DCMAKE_CXX_FLAGS=--coverage -fprofile-update=atomic" \
  -DCMAKE_EXE_LINKER_FLAGS=--coverage -DCMAKE_SHARED_LINKER_FLAGS=--coverage -DCMAKE_MODULE_LINKER_FLAGS=--coverage \
  -DCMRV_BUILD_PYTHON=ON -DCMRV_BUILD_CLI=ON -DCMRV_BUILD_BENCH=OFF -DPython_EXECUTABLE=/usr/bin/python3 > /dev/null
cmake --build "$build" -j "$(nproc)"
find "$build" -name '*.gcda' -delete
(cd "$build" && ctest -j "$(nproc)" -LE "install|abi" --output-on-failure > ctest.log) || { tail -40 "$build/ctest.log"; exit 1; }
filters=(--root . --filter 'lib/' --filter 'capi/' --exclude '.*embedded_data.cpp' --object-directory "$build")
gcovr "${filters[@]}" --gcov-ignore-parse-errors --txt "$build/coverage.txt" --branches --exclude-unreachable-branches --exclude-throw-branches \
  > /dev/null
gcovr "${filters[@]}" --gcov-ignore-parse-errors --print-summary --exclude-unreachable-branches --exclude-throw-branches -o /dev/null
# Per C API file, with the line numbers never run (the "Missing" column).
gcovr --root . --filter "capi/" --gcov-ignore-parse-errors --object-directory "$build" --txt "$build/capi-uncovered.txt" > /dev/null
echo "per-file: $build/coverage.txt; C API lines never run: $build/capi-uncovered.txt"
