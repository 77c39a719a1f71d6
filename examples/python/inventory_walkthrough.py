"""Inventory walkthrough: load a sample enterprise, compute its inventory under two GWP sets, look at
the totals, one line's trace, and what was not estimated.

Run: PYTHONPATH=build/python /usr/bin/python3 examples/python/inventory_walkthrough.py examples/data/cement_plant.json
"""
import sys

import pandas as pd

import carbonmrv as cm


def main(path):
    ent = cm.Enterprise.from_file(path)
    print(ent)
    inv = cm.compute_inventory(ent)  # AR5, 44/12, location-based scope 2
    print(inv)
    df = inv.to_pandas()
    pd.set_option("display.float_format", lambda v: f"{v:,.3f}")
    print("\nby category and gas (tCO2e):")
    print(df.pivot_table(index="category", columns="gas", values="co2e_t", aggfunc="sum", observed=True).fillna(0))

    biggest = max(inv.lines, key=lambda l: l["co2e_t"])
    print(f"\ntrace of the largest line ({biggest['source']} {biggest['period']} {biggest['gas']}):")
    print(f"  {biggest['equation']} = {biggest['mass_t']:,.3f} t")
    for t in biggest["terms"]:
        print(f"  {t['name']:>22} = {t['value']:<12g} {t['unit']:<14} ← {t['provenance'][:110]}")

    ar6 = cm.compute_inventory(ent, gwp="ipcc_ar6_gwp100")
    print(f"\nAR6 instead of AR5: {ar6.total_co2e - inv.total_co2e:+,.3f} tCO2e")
    for note in inv.notes:
        print("note:", note)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "examples/data/cement_plant.json")
