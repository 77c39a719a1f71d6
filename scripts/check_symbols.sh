#!/usr/bin/env bash
# Compares the dynamic symbols libcarbonmrv.so defines with the committed list (PROJ's
# dump_exported_symbols.sh + diff idea). Any difference fails: a missing symbol is an ABI break, an
# extra one an API addition that must be reviewed, recorded in CHANGELOG.md and committed here.
#   scripts/check_symbols.sh build/capi/libcarbonmrv.so capi/exported_symbols.txt
#   scripts/check_symbols.sh --update build/capi/libcarbonmrv.so capi/exported_symbols.txt
set -euo pipefail
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
lib=$1 list=$2
actual=$(nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | sort -u)
if [ "$update" = 1 ]; then
  printf '%s\n' "$actual" > "$list"
  echo "wrote $(wc -l < "$list") symbols to $list"
  exit 0
fi
if leaked=$(printf '%s\n' "$actual" | grep -v '^cmrv_'); then
  echo "symbols other than cmrv_* are exported:"; printf '%s\n' "$leaked"; exit 1
fi
if ! diff -u "$list" <(printf '%s\n' "$actual"); then
  echo "exported symbols differ from $list; if intended, run: $0 --update $lib $list"
  exit 1
fi
echo "abi.symbols: $(printf '%s\n' "$actual" | wc -l) cmrv_* symbols match $list"
