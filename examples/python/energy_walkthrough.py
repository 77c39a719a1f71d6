"""The energy balance of a sample enterprise, as an analyst would look at it in a notebook.

Usage: PYTHONPATH=build/python /usr/bin/python3 examples/python/energy_walkthrough.py examples/data/steel_plant.json
"""
import sys

import pandas as pd

import carbonmrv as cm

path = sys.argv[1] if len(sys.argv) > 1 else "examples/data/steel_plant.json"
ent = cm.Enterprise.from_file(path)
bal = cm.compute_energy_balance(ent)
print(bal)

pd.set_option("display.width", 200)
pd.set_option("display.max_columns", None)
pd.set_option("display.float_format", lambda v: f"{v:,.1f}")
table = bal.to_pandas("tce")
print("\nsupply and end use, tce (当量值):")
print(table.loc[["purchased", "stock_decrease", "exported", "net_supply", "conversion_input", "conversion_output",
                 "end_use_total", "imbalance"]])

doc = bal.to_dict()
print("\nwhere each carrier's standard-coal coefficient comes from:")
for col in doc["columns"]:
    print(f"  {col['carrier']:<18} {col['tce_per_unit']['calorific']:.6g} tce/{col['unit']:<9} {col['coefficient_source'][:90]}")

print("\n综合能耗:", f"{bal.comprehensive('calorific'):,.1f} tce (当量值);",
      "等价值:", "n/a (no generation coal rate stated)" if doc["comprehensive"]["equivalent_tce"] is None
      else f"{doc['comprehensive']['equivalent_tce']:,.1f} tce")
for p in doc["intensity"]["per_product"]:
    print(f"  per {p['unit']} of {p['product']}: {p['kgce_per_unit']:.1f} kgce")
print("closure:", bal.status, "—", ", ".join(f"{r.subject} {r.relative:+.2%}" for r in bal.closure_frame().itertuples()))
