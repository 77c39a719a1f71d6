"""Units walkthrough: a plant's meter records arrive in mixed units (万吨, t, 万Nm3, Nm3, kg,
万千瓦时, MWh). Normalise them, turn fuels into energy with their *measured* NCVs (an explicit factor,
never an implicit conversion), and express the total in standard coal under GB/T 2589-2020.

Run: PYTHONPATH=build/python /usr/bin/python3 examples/python/units_walkthrough.py examples/data/units_demo.csv
"""
import sys

import pandas as pd

import carbonmrv as cm

REPORTING_UNIT = {"raw coal": "t", "natural gas": "Nm3", "diesel": "t", "electricity": "MWh"}


def main(path):
    df = pd.read_csv(path)
    # 1. Normalise each record to its carrier's reporting unit (vectorised per source unit).
    df["reporting_unit"] = df["carrier"].map(REPORTING_UNIT)
    df["quantity_reporting"] = 0.0
    for (unit, target), idx in df.groupby(["unit", "reporting_unit"]).groups.items():
        df.loc[idx, "quantity_reporting"] = cm.convert(df.loc[idx, "quantity"], unit, target)

    # 2. Fuels → energy with the measured NCV: quantity × NCV, kinds checked (t × GJ/t → GJ).
    def energy_gj(row):
        if row.carrier == "electricity":
            return cm.convert(row.quantity, row.unit, "GJ")
        return cm.apply_factor(row.quantity, row.unit, row.measured_ncv, row.ncv_unit, "GJ")

    df["energy_GJ"] = df.apply(energy_gj, axis=1)

    # 3. Standard coal: fuels by calorific value (1 kgce = 29.3076 MJ); electricity by the stated
    #    GB/T 2589 convention — 当量值 here (0.1229 kgce/kWh as published).
    def tce(row):
        if row.carrier == "electricity":
            return cm.electricity_to_standard_coal(row.quantity, row.unit, "calorific", None, "tce")
        return cm.convert(row.energy_GJ, "GJ", "tce")

    df["tce"] = df.apply(tce, axis=1)
    summary = df.groupby("carrier")[["quantity_reporting", "energy_GJ", "tce"]].sum()
    summary.insert(0, "unit", [REPORTING_UNIT[c] for c in summary.index])
    pd.set_option("display.float_format", lambda v: f"{v:,.3f}")
    print(summary.to_string())
    print(f"\ntotal: {df['energy_GJ'].sum():,.1f} GJ = {df['tce'].sum():,.1f} tce "
          f"(electricity at 当量值 0.1229 kgce/kWh)")

    # 4. What the library refuses to guess.
    for bad in [("t", "tCO2"), ("tCH4", "tCO2e"), ("Nm3", "scf"), ("tonn", "t")]:
        try:
            cm.convert(1.0, *bad)
        except cm.UnitError as e:
            print(f"refused {bad[0]} -> {bad[1]}: [{e.detail}] {e}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "examples/data/units_demo.csv")
