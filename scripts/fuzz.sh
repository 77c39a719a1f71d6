#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan) in build-fuzz/ and runs each for a bounded time
# on its seed corpus (fuzz/corpus/<target>, the examples and test documents) with its dictionary.
#   scripts/fuzz.sh              CI: 20 s per target
#   scripts/fuzz.sh 3600         a longer local campaign: an hour per target
# A crash writes crash-* into build-fuzz/findings/; reproduce with build-fuzz/fuzz/fuzz_<target> FILE,
# then add the input to fuzz/regressions/<target>/ (replayed by every run) and fix it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
targets=(enterprise inventory region factor_csv units batch indicator_system auction allocation order_book did)
build=build-fuzz
cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMRV_SANITIZE=fuzzer-no-link;address;undefined" \
  -DCMRV_BUILD_FUZZ=ON -DCMRV_UNITY_BUILD=ON -DCMRV_BUILD_PYTHON=OFF -DCMRV_BUILD_CLI=OFF -DBUILD_TESTING=OFF > /dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
mkdir -p "$build/findings"
seed() {  # seed corpus of a target: committed seeds plus the project's own documents
  local t=$1 dir=$build/corpus/$1
  mkdir -p "$dir"
  cp -r fuzz/corpus/"$t"/. "$dir"/ 2>/dev/null || true
  case $t in
    enterprise) cp examples/data/*.json tests/data/enterprises/*.json "$dir"/ ;;
    region) cp tests/data/region_request.json "$dir"/ ;;
    indicator_system) cp tests/data/indicator_systems/*.json "$dir"/ ;;
    factor_csv) cp tests/data/factors/*.csv "$dir"/ 2>/dev/null || true ;;
    allocation) cp data/allocation/*.json "$dir"/ ;;
  esac
  echo "$dir"
}
# One target: its regression inputs, then a bounded run on its seed corpus. The summary goes to
# findings/<t>.summary and the exit status says whether it found anything.
run_target() {
  local t=$1 dict=fuzz/dict/json.dict status=0
  case $t in
    factor_csv|auction|order_book|did) dict=fuzz/dict/csv.dict ;;
    units) dict=fuzz/dict/units.dict ;;
    batch) dict="" ;;
  esac
  # Regression inputs first: every crash ever found must stay fixed.
  if [ -d fuzz/regressions/$t ] && ls fuzz/regressions/$t/* > /dev/null 2>&1; then
    "$build/fuzz/fuzz_$t" fuzz/regressions/$t/* > "$build/findings/$t-regressions.log" 2>&1 || { echo "fuzz_$t: a regression input fails"; status=1; }
  fi
  local corpus
  corpus=$(seed "$t")
  local args=(-max_total_time="$seconds" -rss_limit_mb=4096 -max_len=65536 -artifact_prefix="$build/findings/$t-" -print_final_stats=1)
  [ -n "$dict" ] && args+=(-dict="$dict")
  if "$build/fuzz/fuzz_$t" "${args[@]}" "$corpus" > "$build/findings/$t.log" 2>&1; then
    echo "fuzz_$t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$build/findings/$t.log" | awk '{print $2}') runs in ${seconds} s, no finding"
  else
    echo "fuzz_$t: FINDING"; tail -40 "$build/findings/$t.log"; status=1
  fi
  return $status
}
# libFuzzer runs one process per target on one core, so the targets run side by side, one per core
# (11 targets x 15 s are 165 s one after another; about 90 s two at a time on the 2-core CI machine).
status=0
jobs=$(nproc)
pids=()
for i in "${!targets[@]}"; do
  t=${targets[$i]}
  run_target "$t" > "$build/findings/$t.summary" 2>&1 &
  pids[$i]=$!
  if (( (i + 1) % jobs == 0 )); then
    for p in "${pids[@]}"; do wait "$p" || status=1; done
    pids=()
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
for t in "${targets[@]}"; do cat "$build/findings/$t.summary"; done
exit $status
