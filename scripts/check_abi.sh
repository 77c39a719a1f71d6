#!/usr/bin/env bash
# Compares the C ABI of libcarbonmrv.so with the stored baseline (capi/abi/libcarbonmrv.abi.xz, an
# abidw dump from Debian's abigail-tools, without machine paths). Any difference fails (abidiff exit
# bits 4 = change, 8 = incompatible change), added functions included: changing the C ABI is a
# deliberate act that bumps the SONAME where it breaks (0.x: the minor), is listed in CHANGELOG.md
# and refreshes the baseline:
#   scripts/check_abi.sh --update build/capi/libcarbonmrv.so
set -euo pipefail
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
lib=$1
root=$(cd "$(dirname "$0")/.." && pwd)
baseline=$root/capi/abi/libcarbonmrv.abi.xz
command -v abidw > /dev/null || { echo "abi.baseline: abidw missing (apt-get install abigail-tools)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Translation-unit paths are made relative to the source tree, so a clone elsewhere compares equal.
# Only the exported interfaces (the cmrv_* functions and the types they reach) are read: the C API
# passes opaque handles and scalar typedefs, so they are the whole C ABI, and the static C++ core's
# types behind them are not part of it (reading them took 3 min and 51 MB; this takes 9 s and 134 KB).
abidw --headers-dir "$root/include" --drop-private-types --exported-interfaces-only --no-corpus-path \
      --no-comp-dir-path --no-show-locs --out-file "$work/raw.abi" "$lib"
sed "s|path='$root/|path='|" "$work/raw.abi" > "$work/current.abi"
if [ "$update" = 1 ]; then
  mkdir -p "$(dirname "$baseline")"
  xz -9 -c "$work/current.abi" > "$baseline"
  echo "wrote $baseline"
  exit 0
fi
xz -dc "$baseline" > "$work/baseline.abi"
set +e
abidiff "$work/baseline.abi" "$work/current.abi" > "$work/diff.txt" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ]; then
  cat "$work/diff.txt"
  echo "abi.baseline: the C ABI differs from $baseline (abidiff exit $rc)."
  echo "If intended: bump VERSION where it breaks, list the change in CHANGELOG.md, then run: $0 --update $lib"
  exit 1
fi
echo "abi.baseline: the C ABI of $lib matches the stored baseline"
