#!/usr/bin/env bash
# The main job on bundled sample data. For now: the units core on the sample activity records in
# examples/data/units_demo.csv, through the CLI, the C API (examples/c) and Python.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMRV_BUILD_PYTHON=ON -DCMRV_BUILD_CLI=ON \
      -DPython_EXECUTABLE=/usr/bin/python3 > /dev/null
cmake --build build -j "$(nproc)" --target carbonmrv_cli _core carbonmrv cmrv_example_units_c

cli=build/bindings/cli/carbonmrv
echo "== CLI: carbonmrv units convert =="
$cli units convert 1 tce GJ
$cli units convert 1 万千瓦时 MWh
$cli units convert 0.5810 tCO2/MWh kgCO2/kWh
$cli units convert 389.31 "GJ/10^4 Nm3" MJ/Nm3
echo "-- a kind error, as a user would see it (exit code 1):"
$cli units convert 1 tCH4 tCO2e || true

echo
echo "== C API: examples/c/units_convert.c =="
build/examples/cmrv_example_units_c

echo
echo "== Python: examples/python/units_walkthrough.py on examples/data/units_demo.csv =="
PYTHONPATH=build/python /usr/bin/python3 examples/python/units_walkthrough.py examples/data/units_demo.csv
