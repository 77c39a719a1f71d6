"""The batch engine over a partitioned dataset on a Dask LocalCluster — the path for users who outgrow
one machine — and the check that it matches the single-process result.

Usage: PYTHONPATH=build/python /usr/bin/python3 examples/python/dask_batch.py [--records N] [--partitions P]
Needs Debian's python3-dask and python3-distributed (scripts/install-deps.sh installs them).
"""
import argparse

import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import Client, LocalCluster

import carbonmrv as cm

FUELS = [("bituminous_coal", "short_ton"), ("natural_gas", "scf"), ("distillate_fuel_oil_no2", "gal"),
         ("lignite", "short_ton"), ("motor_gasoline", "gal"), ("propane", "gal")]
KW = dict(region="US", year=2023, method="energy_ef")


def records(n, seed=3):
    rng = np.random.default_rng(seed)
    k = rng.integers(0, len(FUELS), n)
    return pd.DataFrame({"enterprise": rng.integers(0, 500, n).astype(np.int32),
                         "month": rng.integers(1, 13, n).astype(np.int32),
                         "carrier": pd.Categorical.from_codes(k, [f for f, _ in FUELS]),
                         "unit": pd.Series([FUELS[i][1] for i in k], dtype="category"),
                         "quantity": rng.uniform(1, 1e4, n)})


def per_partition(part):
    # Each worker runs the compiled engine on its partition (GIL released inside).
    return cm.batch.compute(part, **KW, by=["enterprise", "month"], columns=["co2e_t"]).reset_index()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--partitions", type=int, default=8)
    a = ap.parse_args()
    df = records(a.records)
    single = cm.batch.compute(df, **KW, by=["enterprise", "month"], columns="co2e_t")["co2e_t"]

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster):
        ddf = dd.from_pandas(df, npartitions=a.partitions)
        meta = pd.DataFrame({"enterprise": pd.Series(dtype=np.int32), "month": pd.Series(dtype=np.int32),
                             "co2e_t": pd.Series(dtype=float)})
        parts = ddf.map_partitions(per_partition, meta=meta)
        distributed_result = parts.groupby(["enterprise", "month"])["co2e_t"].sum().compute().sort_index()

    joined = distributed_result.reindex(single.index)
    worst = float(np.max(np.abs(joined.to_numpy() - single.to_numpy()) / single.to_numpy()))
    print(f"{a.records:,} records in {a.partitions} partitions on a LocalCluster: {len(joined):,} groups, "
          f"total {joined.sum():,.1f} tCO2e; largest relative difference from one process {worst:.2e}")
    # Partition sums are added in another order than one pass: equal to rounding, not to the bit.
    assert worst <= 1e-12, worst
    return worst


if __name__ == "__main__":
    main()
