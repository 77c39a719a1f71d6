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


def make_frame(n, enterprises, order, seed=1):
    """n records over `enterprises` × 12 months, 32 fuels; `order`: "random" (as records come out of a
    meter database) or "sorted" (by month, then enterprise)."""
    rng = np.random.default_rng(seed)
    fuel = rng.integers(0, len(FUELS), n).astype(np.int32)
    idx = np.arange(n)
    if order == "random":
        idx = rng.permutation(n)
    enterprise = (idx % enterprises).astype(np.int32)
    month = ((idx // enterprises) % 12 + 1).astype(np.int32)
    units = sorted({u for _, u in FUELS})
    return pd.DataFrame({
        "enterprise": enterprise, "month": month,
        "carrier": pd.Categorical.from_codes(fuel, [f for f, _ in FUELS]),
        "unit": pd.Categorical.from_codes(np.array([units.index(FUELS[k][1]) for k in range(len(FUELS))],
                                                   dtype=np.int32)[fuel], units),
        "quantity": rng.uniform(1, 1e4, n)}), fuel


def factor_table():
    """The factor table an analyst would build once (tCO2e per unit), taken from carbonmrv itself."""
    table = pd.DataFrame({"carrier": [f for f, _ in FUELS], "unit": [u for _, u in FUELS], "quantity": 1.0})
    table["k"] = cm.batch.compute(table, **KW)["co2e_t"].to_numpy()
    return table


def contenders(df, fuel, k, enterprises):
    groups = enterprises * 12
    codes = df["carrier"].cat.codes.to_numpy()
    group = (df["enterprise"].to_numpy().astype(np.int64) * 12 + (df["month"].to_numpy() - 1)).astype(np.int64)

    def numpy_way():  # the same job: group codes from the key columns, factor by code, bincount
        g = df["enterprise"].to_numpy().astype(np.int64) * 12 + (df["month"].to_numpy() - 1)
        return np.bincount(g, weights=df["quantity"].to_numpy() * k[codes], minlength=groups)

    def numpy_floor():  # group codes precomputed and not timed
        return np.bincount(group, weights=df["quantity"].to_numpy() * k[fuel], minlength=groups)

    def numpy_records():  # per-record CO2e
        return df["quantity"].to_numpy() * k[codes]

    def carbonmrv_way(threads):
        return cm.batch.compute(df, **KW, threads=threads, by=["enterprise", "month"], columns="co2e_t")

    def carbonmrv_records(threads):
        return cm.batch.compute(df, **KW, threads=threads, columns=["co2e_t"])

    return numpy_way, numpy_floor, numpy_records, carbonmrv_way, carbonmrv_records


def scenario(n, enterprises, order, repeat, k):
    """Grouped sums and per-record CO2e at one size, interleaved best-of-`repeat`, as ratios."""
    df, fuel = make_frame(n, enterprises, order)
    np_way, np_floor, np_rec, c_way, c_rec = contenders(df, fuel, k, enterprises)
    t = {name: [] for name in ("np", "floor", "np_rec", "c1", "c2", "r1", "r2")}
    fns = {"np": np_way, "floor": np_floor, "np_rec": np_rec, "c1": lambda: c_way(1), "c2": lambda: c_way(2),
           "r1": lambda: c_rec(1), "r2": lambda: c_rec(2)}
    outs = {}
    for _ in range(repeat):  # interleaved: the machine's drift hits every contender alike
        for name, fn in fns.items():
            t0 = time.perf_counter()
            outs[name] = fn()
            t[name].append(time.perf_counter() - t0)
    best = {name: min(v) for name, v in t.items()}
    got = outs["c1"]["co2e_t"].to_numpy().sum()
    assert abs(got - outs["np"].sum()) <= 1e-9 * got
    assert outs["c1"]["co2e_t"].to_numpy().tobytes() == outs["c2"]["co2e_t"].to_numpy().tobytes()
    rec = outs["r1"]["co2e_t"].to_numpy()
    assert np.allclose(rec, outs["np_rec"], rtol=1e-12, atol=0)
    assert rec.tobytes() == outs["r2"]["co2e_t"].to_numpy().tobytes()
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--order", choices=["random", "sorted"], default="random",
                    help="record order of the main table (default: random, as from a meter database)")
    ap.add_argument("--stream", action="store_true", help="only the streaming peak-memory series")
    ap.add_argument("--scenarios", action="store_true",
                    help="the grid of issue 21: 10^3, 2.4*10^5 and 2.4*10^6 groups, random and sorted, and small calls")
    a = ap.parse_args()
    if a.stream:
        for total in (2_000_000, 20_000_000):
            t, groups, mib = stream_peak(total)
            print(f"stream {total:>12,} records in chunks of 10^6: {t:6.2f} s, {groups:,} groups, peak RSS {mib:7.1f} MiB")
        return
    k = factor_table()["k"].to_numpy()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, numpy {np.__version__}, "
          f"pandas {pd.__version__}")
    if a.scenarios:
        print(f"{'records':>10} {'groups':>9} {'order':>7} | {'numpy':>8} {'floor':>8} {'cm 1t':>8} {'cm 2t':>8} | "
              f"{'vs np':>6} {'2nd core':>8} | {'np k*q':>8} {'rec 1t':>8} {'rec 2t':>8} {'vs np':>6}")
        for n, ent in ((a.records, 1_000 // 12 + 1), (a.records, 20_000), (a.records, 200_000), (10_000, 20_000)):
            for order in ("random", "sorted"):
                b = scenario(n, ent, order, a.repeat if n > 10_000 else 50, k)
                print(f"{n:>10,} {ent * 12:>9,} {order:>7} | {b['np'] * 1e3:8.2f} {b['floor'] * 1e3:8.2f} "
                      f"{b['c1'] * 1e3:8.2f} {b['c2'] * 1e3:8.2f} | {b['np'] / b['c1']:6.2f} {b['c1'] / b['c2']:8.2f} | "
                      f"{b['np_rec'] * 1e3:8.2f} {b['r1'] * 1e3:8.2f} {b['r2'] * 1e3:8.2f} {b['np_rec'] / b['r1']:6.2f}")
        return
    n = a.records
    df, fuel = make_frame(n, 20_000, a.order)
    table = factor_table()
    numpy_way, numpy_floor, _, carbonmrv_way, carbonmrv_records = contenders(df, fuel, k, 20_000)

    def pandas_way():
        m = df.merge(table[["carrier", "unit", "k"]], on=["carrier", "unit"], how="left")
        m["co2e_t"] = m["quantity"] * m["k"]
        return m.groupby(["enterprise", "month"], observed=True)["co2e_t"].sum()

    print(f"{n:,} records in {a.order} order")
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
