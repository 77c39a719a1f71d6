#!/usr/bin/env bash
# The main job on bundled sample data: the GHG inventory, the energy balance, the cross-verification and
# the cleaner-production audit of the sample cement plant (examples/data/cement_plant.json) through the
# CLI and Python, the sample CHP plant's uncertainty (IPCC Approaches 1 and 2, key categories), its
# allocation and compliance and its record in a registry, a national-market trading session, a
# difference-in-differences study on a fictional region panel, the enterprise report (HTML page,
# workbook) and the README's picture, plus a short tour of units and factors.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMRV_BUILD_PYTHON=ON -DCMRV_BUILD_CLI=ON \
      -DPython_EXECUTABLE=/usr/bin/python3 > /dev/null
cmake --build build -j "$(nproc)" --target carbonmrv_cli _core carbonmrv cmrv_example_units_c cmrv_example_batch_c

cli=build/bindings/cli/carbonmrv
echo "== carbonmrv inventory examples/data/cement_plant.json =="
$cli inventory examples/data/cement_plant.json

echo
echo "== the same inventory in Python, with a trace (examples/python/inventory_walkthrough.py) =="
PYTHONPATH=build/python /usr/bin/python3 examples/python/inventory_walkthrough.py examples/data/cement_plant.json

echo
echo "== uncertainty of the CHP plant's stated inputs: IPCC Approach 1, Approach 2 (Monte Carlo, seeded) and key categories =="
$cli inventory examples/data/chp_plant.json --uncertainty-unstated exact --uncertainty mc --draws 20000 --seed 1 \
     --by source --key-categories | sed -n '/uncertainty (IPCC Approach 1)/,$p'

echo
echo "== the same enterprise's energy balance: carbonmrv energy examples/data/cement_plant.json =="
$cli energy examples/data/cement_plant.json

echo
echo "== an energy balance in pandas (examples/python/energy_walkthrough.py, steel works) =="
PYTHONPATH=build/python /usr/bin/python3 examples/python/energy_walkthrough.py examples/data/steel_plant.json

echo
echo "== cross-verification of the same plant: carbonmrv verify examples/data/cement_plant.json =="
$cli verify examples/data/cement_plant.json

echo
echo "== its cleaner-production audit: carbonmrv audit examples/data/cement_plant.json =="
$cli audit examples/data/cement_plant.json

echo
echo "== the sample CHP plant's 2022 allowances and compliance (2021-2022 power plan): carbonmrv allocate =="
$cli allocate examples/data/chp_plant.json --rules cn_power_2021_2022 --year 2022 \
  --holdings examples/data/chp_holdings.csv
echo

echo "== the registry (SQLite file build/demo-registry.db): import, allocate, surrender, status, verify =="
db=build/demo-registry.db
rm -f "$db" "$db-wal" "$db-shm"
$cli registry import "$db" examples/data/chp_plant.json --as regulator:MEE
$cli registry allocate "$db" examples/data/chp_plant.json --rules cn_power_2021_2022 --year 2022 --as regulator:MEE
$cli registry surrender "$db" 91370100MA3C4X7K2G 3675000 --year 2022 --vintage 2022 \
  --as enterprise:91370100MA3C4X7K2G
$cli registry status "$db" --year 2022
$cli registry verify-journal "$db"
echo

echo "== a national-market trading session (2021-10-29 figures; close = listed VWAP): carbonmrv order-book =="
$cli order-book examples/data/cea_session.csv --market cn_national --previous-close 42.65
echo

echo "== did the (fictional) ETS pilots raise cleaner-production willingness? carbonmrv did (true effect 0.05) =="
$cli did examples/data/region_panel.csv --y cp_willingness --t year --id region_id --g pilot_start \
  --x industrialisation --aggregate simple,dynamic
$cli did examples/data/region_panel.csv --y cp_willingness --t year --id region_id --g pilot_start --estimator bacon
echo

echo "== what a user gets: the cement plant's charts (docs/images/cement_plant_overview.png, shown in the README) =="
echo "   and its report as one HTML page: carbonmrv report (examples/python/report_walkthrough.py) =="
PYTHONPATH=build/python /usr/bin/python3 examples/python/report_walkthrough.py examples/data/cement_plant.json \
  docs/images/cement_plant_overview.png build/demo/cement_plant_report.html
$cli report examples/data/cement_plant.json --format xlsx --lang zh -o build/demo/cement_plant_report.xlsx
echo

echo "== the audit in pandas, MACC plotted to build/macc_cement.png (examples/python/audit_walkthrough.py) =="
PYTHONPATH=build/python /usr/bin/python3 examples/python/audit_walkthrough.py examples/data/cement_plant.json \
  build/macc_cement.png

echo
echo "== why that grid factor? carbonmrv factors lookup electricity grid_ef --region CN-34 --year 2023 =="
$cli factors lookup electricity grid_ef --gas co2 --region CN-34 --year 2023 | head -5

echo
echo "== units: conversions that need no context, and one that does =="
$cli units convert 1 tce GJ
$cli units convert 389.31 "GJ/10^4 Nm3" MJ/Nm3
$cli units convert 1 tCH4 tCO2e || true

echo
echo "== C API example (examples/c/units_convert.c) =="
build/examples/cmrv_example_units_c

echo
echo "== many records at once: fuels and electricity, region and year per record (examples/python/batch_walkthrough.py) =="
PYTHONPATH=build/python /usr/bin/python3 examples/python/batch_walkthrough.py

echo
echo "== C API batch over an ERP's own record array (examples/c/batch_records.c) =="
build/examples/cmrv_example_batch_c
