"""A cleaner-production audit round as an analyst would look at it in a notebook: indicators from the
plant's own data, options with their abatement (through the inventory engine) and economics, the MACC.

Usage: PYTHONPATH=build/python /usr/bin/python3 examples/python/audit_walkthrough.py examples/data/cement_plant.json [macc.png]
"""
import sys

import pandas as pd

import carbonmrv as cm

path = sys.argv[1] if len(sys.argv) > 1 else "examples/data/cement_plant.json"
rep = cm.cleaner_production.audit(cm.Enterprise.from_file(path))
print(rep)

pd.set_option("display.width", 200)
pd.set_option("display.max_columns", None)
print("\nindicators from the plant's own data:")
print(rep.indicators_frame()[["id", "year", "value", "unit", "from"]].to_string(index=False))

print("\noptions, applied in order (abatement in tCO2e/a, money in CNY):")
cols = ["id", "abatement_t", "standalone_abatement_t", "annual_savings_cny", "npv_cny", "irr", "simple_payback_years",
        "cost_per_t", "npv_with_carbon_cny"]
print(rep.options_frame()[cols].round(3).to_string(index=False))

print("\nMACC (cheapest first; width = annual abatement):")
print(rep.macc_frame().round(1).to_string(index=False))

# The same option priced at different carbon prices: the NPV moves by abatement × price × annuity.
for price in (0, 70, 200):
    opt = cm.cleaner_production.audit(path, carbon_price=price).options_frame().iloc[0]
    npv = opt["npv_with_carbon_cny"] if price else opt["npv_cny"]
    print(f"  {opt['id']} at {price:>3} CNY/tCO2e: NPV {npv:,.0f} CNY")

if len(sys.argv) > 2:
    import matplotlib

    matplotlib.use("Agg")
    ax = rep.plot_macc()
    ax.figure.savefig(sys.argv[2], dpi=120, bbox_inches="tight")
    print("\nMACC plot written to", sys.argv[2])
