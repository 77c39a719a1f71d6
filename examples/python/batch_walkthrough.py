"""A platform's monthly records through carbonmrv.batch: fuels and purchased electricity in one frame,
region and year per record, a measured heating value for some coal months, totals per enterprise and
month, and the factors behind every number.

The records are synthetic (made up here, not any real enterprise); the factors are the built-in EPA
GHG Emission Factors Hub 2021 and MEE/NBS electricity datasets.

Run: PYTHONPATH=build/python /usr/bin/python3 examples/python/batch_walkthrough.py
"""
import numpy as np
import pandas as pd

import carbonmrv as cm

nan = float("nan")
records = pd.DataFrame({
    "enterprise": [1, 1, 1, 1, 2, 2, 2, 3],
    "month": [1, 1, 2, 2, 1, 2, 2, 1],
    "kind": ["fuel_combustion", "purchased_electricity", "fuel_combustion", "purchased_electricity",
             "fuel_combustion", "fuel_combustion", "purchased_electricity", "purchased_electricity"],
    "carrier": ["bituminous_coal", "electricity", "bituminous_coal", "electricity",
                "natural_gas", "natural_gas", "electricity", "electricity"],
    "unit": ["short_ton", "MWh", "short_ton", "MWh", "scf", "scf", "MWh", "MWh"],
    "quantity": [1200.0, 850.0, 1100.0, 900.0, 2.4e7, 2.2e7, 430.0, 1500.0],
    # The plant's lab: a heating value for January's coal only; NaN = not measured (default used).
    "hhv": [25.40, nan, nan, nan, nan, nan, nan, nan],
    # US fuels; electricity bought in 河北 (CN-13) and 云南 (CN-53), data year 2022.
    "region": ["US", "CN-13", "US", "CN-13", "US", "US", "CN-53", "CN-53"],
    "year": [2023, 2022, 2023, 2022, 2023, 2023, 2022, 2022],
})
for c in ("kind", "carrier", "unit", "region"):
    records[c] = records[c].astype("category")

kw = dict(kind="kind", region="region", year="year", method="energy_ef", ncv=("hhv", "MMBtu/short_ton"))
per_record = cm.batch.compute(records, **kw)
print("per record (t):")
print(pd.concat([records[["enterprise", "month", "carrier", "quantity", "unit"]], per_record.round(3)], axis=1)
      .to_string(index=False))

by = cm.batch.compute(records, **kw, by=["enterprise", "month"])
print("\nby enterprise and month (t):")
print(by.round(3).to_string())
assert np.isclose(by["co2e_t"].sum(), per_record["co2e_t"].sum(), rtol=1e-12)

report = by.attrs["report"]
print(f"\n{report['valid']} records, {report['skipped']} skipped; a measured heating value for "
      f"{int(records['hhv'].notna().sum())} fuel record(s), the dataset default for "
      f"{report['defaults_used'].get('ncv', 0)} (the missing-data rule)")
print("factors used (tCO2e per unit; the trace term that carries the main factor):")
for f in report["factors"]:
    main = f["terms"][-1]
    print(f"  {f['kind']:<22} {f['carrier']:<16} {f['unit']:<9} {f['region']:<6} {f['year']}  "
          f"{f['co2e_t_per_unit']:.6g} per {f['unit']} ({f['records']} records)\n"
          f"      {main['name']} = {main['value']} {main['unit']}: {main['provenance'][:110]}...")
