"""Python benchmark: carbonmrv.batch against what an analyst writes by hand, on identical synthetic data
(10^7 records, 20 000 enterprises × 12 months, 32 EPA fuels).

  (a) pandas: merge the records with a factor table, multiply, groupby(enterprise, month).sum()
  (b) numpy: factor lookup by integer code, multiply, np.bincount by group code — once with the group
      code computed from the two key columns (the same job), once with it precomputed (numpy's floor)

Run: PYTHONPATH=build/python /usr/bin/python3 bench/bench_batch.py [--records N] [--repeat R]
Prints records/s and the ratios; docs/performance.md records the results with the machine.
"""
import argparse
import os
import platform
import time

import numpy as np
import pandas as pd

import carbonmrv as cm

FUELS = [("anthracite", "short_ton"), ("bituminous_coal", "short_ton"), ("sub_bituminous_coal", "short_ton"),
         ("lignite", "short_ton"), ("mixed_coal_commercial", "short_ton"), ("mixed_coal_electric_power", "short_ton"),
         ("mixed_coal_industrial_coking", "short_ton"), ("mixed_coal_industrial", "short_ton"), ("coke", "short_ton"),
         ("petroleum_coke", "short_ton"), ("natural_gas", "scf"), ("asphalt_and_road_oil", "gal"),
         ("aviation_gasoline", "gal"), ("butane", "gal"), ("butylene", "gal"), ("crude_oil", "gal"),
         ("distillate_fuel_oil_no1", "gal"), ("distillate_fuel_oil_no2", "gal"), ("distillate_fuel_oil_no4", "gal"),
         ("ethane", "gal"), ("ethylene", "gal"), ("heavy_gas_oils", "gal"), ("isobutane", "gal"),
         ("isobutylene", "gal"), ("kerosene", "gal"), ("jet_kerosene", "gal"), ("lpg", "gal"), ("lubricants", "gal"),
         ("motor_gasoline", "gal"), ("naphtha", "gal"), ("propane", "gal"), ("residual_fuel_oil_no6", "gal")]
KW = dict(region="US", year=2023, method="energy_ef")


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def chunks(total, size, seed=5):
    """Synthetic records generated chunk by chunk (never all in memory)."""
    rng = np.random.default_rng(seed)
    cats = [f for f, _ in FUELS]
    units = sorted({u for _, u in FUELS})
    unit_of = np.array([units.index(FUELS[k][1]) for k in range(len(FUELS))], dtype=np.int32)
    for start in range(0, total, size):
        m = min(size, total - start)
        fuel = rng.integers(0, len(FUELS), m).astype(np.int32)
        idx = np.arange(start, start + m)
        yield pd.DataFrame({"enterprise": (idx % 20_000).astype(np.int32),
                            "month": ((idx // 20_000) % 12 + 1).astype(np.int32),
                            "carrier": pd.Categorical.from_codes(fuel, cats),
                            "unit": pd.Categorical.from_codes(unit_of[fuel], units),
                            "quantity": rng.uniform(1, 1e4, m)})


def stream_peak(total):
    """Peak resident memory (MiB) of one process streaming `total` records in chunks of 10^6."""
    import resource
    import subprocess
    import sys

    code = (f"import sys; sys.path[:0] = {sys.path!r}; import bench_batch as b, carbonmrv as cm, resource, time; "
            f"t = time.perf_counter(); r = cm.batch.stream(b.chunks({total}, 1_000_000), by=['enterprise', 'month'], "
            f"**b.KW); print(time.perf_counter() - t, len(r), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.abspath(__file__))).stdout.split()
    return float(out[0]), int(out[1]), int(out[2]) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--stream", action="store_true", help="only the streaming peak-memory series")
    a = ap.parse_args()
    if a.stream:
        for total in (2_000_000, 20_000_000):
            t, groups, mib = stream_peak(total)
            print(f"stream {total:>12,} records in chunks of 10^6: {t:6.2f} s, {groups:,} groups, peak RSS {mib:7.1f} MiB")
        return
    n = a.records
    rng = np.random.default_rng(1)
    fuel = rng.integers(0, len(FUELS), n).astype(np.int32)
    enterprise = (np.arange(n) % 20_000).astype(np.int32)
    month = ((np.arange(n) // 20_000) % 12 + 1).astype(np.int32)
    df = pd.DataFrame({
        "enterprise": enterprise, "month": month,
        "carrier": pd.Categorical.from_codes(fuel, [f for f, _ in FUELS]),
        "unit": pd.Categorical.from_codes(np.array([sorted({u for _, u in FUELS}).index(FUELS[k][1])
                                                    for k in range(len(FUELS))], dtype=np.int32)[fuel],
                                          sorted({u for _, u in FUELS})),
        "quantity": rng.uniform(1, 1e4, n)})
    # The factor table an analyst would build once (tCO2e per unit), taken from carbonmrv itself.
    table = pd.DataFrame({"carrier": [f for f, _ in FUELS], "unit": [u for _, u in FUELS], "quantity": 1.0})
    table["k"] = cm.batch.compute(table, **KW)["co2e_t"].to_numpy()
    k = table["k"].to_numpy()
    group = (enterprise.astype(np.int64) * 12 + (month - 1)).astype(np.int64)

    def pandas_way():
        m = df.merge(table[["carrier", "unit", "k"]], on=["carrier", "unit"], how="left")
        m["co2e_t"] = m["quantity"] * m["k"]
        return m.groupby(["enterprise", "month"], observed=True)["co2e_t"].sum()

    codes = df["carrier"].cat.codes.to_numpy()

    def numpy_way():  # the same job: group codes from the key columns, factor by code, bincount
        g = df["enterprise"].to_numpy().astype(np.int64) * 12 + (df["month"].to_numpy() - 1)
        return np.bincount(g, weights=df["quantity"].to_numpy() * k[codes], minlength=240_000)

    def numpy_floor():  # group codes precomputed and not timed
        return np.bincount(group, weights=df["quantity"].to_numpy() * k[fuel], minlength=240_000)

    def carbonmrv_way(threads):
        return cm.batch.compute(df, **KW, threads=threads, by=["enterprise", "month"], columns="co2e_t")

    def carbonmrv_records(threads):
        return cm.batch.compute(df, **KW, threads=threads, columns=["co2e_t"])

    print(f"{n:,} records, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"numpy {np.__version__}, pandas {pd.__version__}")
    t_pd, ref = best(pandas_way, max(1, a.repeat - 1))
    t_np, ref_np = best(numpy_way, a.repeat)
    t_npf, _ = best(numpy_floor, a.repeat)
    t_c1, out1 = best(lambda: carbonmrv_way(1), a.repeat)
    t_c2, out2 = best(lambda: carbonmrv_way(2), a.repeat)
    t_r1, _ = best(lambda: carbonmrv_records(1), a.repeat)
    t_r2, _ = best(lambda: carbonmrv_records(2), a.repeat)
    # Same totals everywhere (different summation order: equal to rounding).
    got = out1["co2e_t"].to_numpy().sum()
    assert abs(got - ref.sum()) <= 1e-9 * ref.sum() and abs(got - ref_np.sum()) <= 1e-9 * got
    assert out1["co2e_t"].to_numpy().tobytes() == out2["co2e_t"].to_numpy().tobytes()
    rows = [("pandas merge + groupby", t_pd), ("numpy group codes + lookup + bincount", t_np),
            ("numpy lookup + bincount, group codes precomputed", t_npf),
            ("carbonmrv.batch by (enterprise, month), 1 thread", t_c1),
            ("carbonmrv.batch by (enterprise, month), 2 threads", t_c2),
            ("carbonmrv.batch per record, 1 thread", t_r1), ("carbonmrv.batch per record, 2 threads", t_r2)]
    for name, t in rows:
        print(f"{name:<52} {t * 1e3:9.1f} ms  {n / t / 1e6:7.1f} M records/s")
    print(f"ratio vs pandas (1 thread): {t_pd / t_c1:.1f}x; vs numpy (same job): {t_np / t_c1:.2f}x; "
          f"vs numpy floor: {t_npf / t_c1:.2f}x; second core: {t_c1 / t_c2:.2f}x (groups), "
          f"{t_r1 / t_r2:.2f}x (per record)")


if __name__ == "__main__":
    main()
