"""Python benchmark: the inventory from a notebook, against what an analyst would otherwise write, on
issue 21's workload (N sources of bituminous coal, energy_ef, 12 monthly records each: the document of
bench/monthly_document.hpp).

  (a) read the document: Enterprise.from_json on one thread and on all cores (threads=0)
  (b) the lines as a DataFrame: Inventory.to_pandas() against a frame built from the line dicts
      (``pd.DataFrame([{k: l[k] ...} for l in inv.lines])``, what to_pandas did until 2026-12-07), and
      the same for the trace terms (to_pandas(trace=True))
  (c) the document: Inventory.to_json()

The contenders alternate inside one process (this VM changes speed for minutes at a time), each the
best of --repeat. Run: PYTHONPATH=build/python /usr/bin/python3 bench/bench_inventory.py [--sources N]
"""
import argparse
import json
import os
import time

import pandas as pd

import carbonmrv as cm

COLUMNS = ["source", "period", "kind", "gas", "species", "part", "category", "scope", "iso_category", "memo",
           "scope2_method", "scope3_category", "mass_t", "gwp", "co2e_t", "u_pct", "equation"]


def document(n):
    sources = [{"id": f"s{s}", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef",
                "activity": [{"period": f"2023-{m:02d}", "value": 80 + (s + m) % 40, "unit": "t"}
                             for m in range(1, 13)]} for s in range(n)]
    return json.dumps({"schema": "carbonmrv.enterprise/1",
                       "enterprise": {"name": "b", "region": "CN-44", "year": 2023}, "sources": sources})


def frame_from_dicts(inv):
    df = pd.DataFrame([{k: l[k] for k in COLUMNS} for l in inv.lines], columns=COLUMNS)
    for col in ("kind", "gas", "category"):
        df[col] = df[col].astype("category")
    return df


def terms_from_dicts(inv):
    return pd.DataFrame([dict(source=l["source"], period=l["period"], gas=l["gas"], part=l["part"], term=t["name"],
                              value=t["value"], unit=t["unit"], provenance=t["provenance"])
                         for l in inv.lines for t in l["terms"]])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    text = document(args.sources)
    print(f"{args.sources} sources x 12 months, {len(text) / 1e6:.1f} MB document, {os.cpu_count()} cores")
    contenders = {
        "from_json, 1 thread": lambda: cm.Enterprise.from_json(text, threads=1),
        "from_json, all cores": lambda: cm.Enterprise.from_json(text, threads=0),
    }
    inv = cm.compute_inventory(cm.Enterprise.from_json(text))
    contenders.update({
        "frame from line dicts": lambda: frame_from_dicts(inv),
        "to_pandas()": lambda: inv.to_pandas(),
        "terms from line dicts": lambda: terms_from_dicts(inv),
        "to_pandas(trace=True)": lambda: inv.to_pandas(trace=True),
        "to_json()": lambda: inv.to_json(),
    })
    best = {name: float("inf") for name in contenders}
    for _ in range(args.repeat):
        for name, fn in contenders.items():
            t = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t)
    for name, t in best.items():
        print(f"{name:24s} {1e3 * t:9.1f} ms")
    pd.testing.assert_frame_equal(inv.to_pandas(), frame_from_dicts(inv), check_exact=True)
    print(f"from_json: all cores {best['from_json, 1 thread'] / best['from_json, all cores']:.2f}x one thread")
    print(f"to_pandas: {best['frame from line dicts'] / best['to_pandas()']:.1f}x the frame from line dicts; "
          f"trace {best['terms from line dicts'] / best['to_pandas(trace=True)']:.1f}x")
    print(f"to_json: {len(inv.to_json()) / 1e6 / best['to_json()']:.0f} MB/s")


if __name__ == "__main__":
    main()
