#!/usr/bin/env bash
# clang-tidy (.clang-tidy) over the core, the C API and the CLI, from a build directory's
# compile_commands.json (scripts/test.sh writes one in build/). Warnings are errors.
#   scripts/tidy.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
if [ ! -f "$build/compile_commands.json" ]; then
  echo "tidy: $build/compile_commands.json is missing; run scripts/test.sh first" >&2
  exit 2
fi
log=$(mktemp)
root=$(pwd)
# The project's own sources only (not the generated embedded_data.cpp in the build tree).
if run-clang-tidy-14 -p "$build" -j "$(nproc)" -quiet "^$root/(lib|capi|bindings/cli)/.*\.cpp\$" >"$log" 2>&1; then
  echo "tidy: clean"
  rm -f "$log"
else
  grep -E "error:|warning:" "$log" | sort -u >&2 || cat "$log" >&2
  rm -f "$log"
  exit 1
fi
