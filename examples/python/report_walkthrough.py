"""Report walkthrough: the picture a user gets for the sample cement plant (inventory, energy flow and MACC
with Chinese labels) written to a PNG, and the enterprise report as one HTML page.

Run: PYTHONPATH=build/python /usr/bin/python3 examples/python/report_walkthrough.py \
       examples/data/cement_plant.json docs/images/cement_plant_overview.png build/demo/cement_plant_report.html
"""
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import carbonmrv as cm  # noqa: E402
from carbonmrv import plot, report  # noqa: E402


def main(path, png, page):
    ent = cm.Enterprise.from_file(path)
    inv = cm.compute_inventory(ent)
    audit = cm.cleaner_production.audit(ent)
    fig = plt.figure(figsize=(15, 8.5), layout="constrained")
    grid = fig.add_gridspec(2, 2)
    plot.inventory(inv, ax=fig.add_subplot(grid[0, 0]), lang="zh")
    plot.macc(audit, ax=fig.add_subplot(grid[0, 1]), lang="zh")
    plot.energy_flow(cm.compute_energy_balance(ent), ax=fig.add_subplot(grid[1, :]), lang="zh")
    pathlib.Path(png).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=72, metadata={"Software": None})  # no version stamp: the same input, the same bytes
    print(f"wrote {png}")
    pathlib.Path(page).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(page).write_text(report.enterprise_html(ent, inventory=inv, audit=audit, lang="zh"), encoding="utf-8")
    print(f"wrote {page} (open it in a browser): total {inv.total_co2e:,.3f} tCO2e")
    print(report.ghg_protocol_summary(inv).to_string(index=False))


if __name__ == "__main__":
    main(*(sys.argv[1:] + ["examples/data/cement_plant.json", "docs/images/cement_plant_overview.png",
                           "build/demo/cement_plant_report.html"][len(sys.argv) - 1:]))
