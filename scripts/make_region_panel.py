#!/usr/bin/python3
"""Writes examples/data/region_panel.csv: a FICTIONAL region × year panel for the policy-evaluation
walk-through (docs/policy-evaluation.md), shaped like the study this project grew from — do emissions-
trading pilots raise regions' cleaner-production willingness? — with a known true effect.

Design (all numbers here are invented for the illustration, none is an estimate of anything real):
  30 regions R01..R30, years 2008-2020; 5 pilot regions start in 2013 and 2 in 2014 (the staggered shape
  of China's 2013-2014 pilots), the rest never.
  cp_willingness = 0.20 + region effect + 0.01·(year − 2008) + 0.02·industrialisation
                   + TRUE_EFFECT·1{treated} + noise(sd 0.01),
  with TRUE_EFFECT = 0.05 in every treated year, so ATT(g,t) = 0.05 for every post-treatment cell.
  Controls: industrialisation (industry share of GDP, %), energy_use (tce per 10k CNY), env_investment
  (% of GDP), log_gdp; they drift by region but do not depend on treatment.
Run: /usr/bin/python3 scripts/make_region_panel.py  (numpy's PCG64, seed 2013; deterministic).
"""
import csv
import pathlib

import numpy as np

TRUE_EFFECT = 0.05
SEED = 2013
OUT = pathlib.Path(__file__).resolve().parent.parent / "examples" / "data" / "region_panel.csv"


def main() -> None:
    rng = np.random.Generator(np.random.PCG64(SEED))
    regions = [f"R{i:02d}" for i in range(1, 31)]
    start = {r: 2013 for r in regions[:5]} | {r: 2014 for r in regions[5:7]}
    years = range(2008, 2021)
    rows = []
    for k, region in enumerate(regions):
        effect = rng.normal(0, 0.05)
        ind0, energy0, inv0, gdp0 = rng.uniform(30, 50), rng.uniform(0.5, 1.5), rng.uniform(1, 2), rng.uniform(8, 11)
        g = start.get(region, 0)
        for year in years:
            s = year - 2008
            industrialisation = ind0 - 0.3 * s + rng.normal(0, 0.5)
            energy_use = energy0 * (0.97 ** s)
            env_investment = inv0 + 0.02 * s + rng.normal(0, 0.05)
            log_gdp = gdp0 + 0.07 * s
            treated = g > 0 and year >= g
            y = (0.20 + effect + 0.01 * s + 0.02 * (industrialisation - 40) / 10 + (TRUE_EFFECT if treated else 0.0)
                 + rng.normal(0, 0.01))
            rows.append([region, k + 1, year, g, round(y, 6), round(industrialisation, 4), round(energy_use, 4),
                         round(env_investment, 4), round(log_gdp, 4)])
    with OUT.open("w", newline="") as f:
        f.write("# FICTIONAL data for the DiD walk-through: scripts/make_region_panel.py (seed 2013), "
                f"true effect {TRUE_EFFECT} in every treated region-year\n")
        w = csv.writer(f)
        w.writerow(["region", "region_id", "year", "pilot_start", "cp_willingness", "industrialisation",
                    "energy_use", "env_investment", "log_gdp"])
        w.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
