#!/usr/bin/env bash
# clang-format over every C and C++ file of the project (.clang-format).
#   scripts/format.sh           rewrite the files in place
#   scripts/format.sh --check   list the files that differ and fail (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h' '*.cpp' '*.hpp')
if [ "${1:-}" = "--check" ]; then
  clang-format-14 --dry-run --Werror "${files[@]}"
  echo "format: ${#files[@]} files formatted as .clang-format says"
else
  clang-format-14 -i "${files[@]}"
fi
