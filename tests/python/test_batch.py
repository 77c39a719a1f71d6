"""carbonmrv.batch: parity with the document engine, categorical and strided input, aggregation,
thread-count determinism, and the invalid-record policies."""
import json

import numpy as np
import pandas as pd
import pytest

import carbonmrv as cm

FUELS = [("bituminous_coal", "short_ton"), ("natural_gas", "scf"), ("distillate_fuel_oil_no2", "gal"),
         ("lignite", "short_ton")]


def frame(n=1000, seed=7):
    rng = np.random.default_rng(seed)
    k = rng.integers(0, len(FUELS), n)
    return pd.DataFrame({"enterprise": rng.integers(0, 20, n), "period": rng.integers(1, 13, n),
                         "carrier": pd.Categorical([FUELS[i][0] for i in k]),
                         "unit": pd.Categorical([FUELS[i][1] for i in k]),
                         "quantity": rng.uniform(1, 1000, n)})


def test_parity_with_the_document_engine():
    df = frame(24)
    out = cm.batch.compute(df, region="US", year=2023, method="energy_ef")
    doc = {"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "p", "region": "US", "year": 2023},
           "sources": [{"id": f"r{i}", "kind": "fuel_combustion", "carrier": r.carrier, "method": "energy_ef",
                        "activity": [{"period": "2023", "value": r.quantity, "unit": r.unit}]}
                       for i, r in enumerate(df.itertuples())]}
    totals = cm.compute_inventory(cm.Enterprise.from_json(json.dumps(doc))).totals("source")
    expected = np.array([totals[f"r{i}"] for i in range(len(df))])
    np.testing.assert_allclose(out["co2e_t"].to_numpy(), expected, rtol=1e-13)


def test_aggregation_equals_pandas_groupby_and_threads_do_not_change_bits():
    df = frame(200_000)
    per_record = cm.batch.compute(df, region="US", year=2023, method="energy_ef")
    by = cm.batch.compute(df, region="US", year=2023, method="energy_ef", by=["enterprise", "period"])
    ref = per_record.assign(enterprise=df["enterprise"], period=df["period"]).groupby(
        ["enterprise", "period"])["co2e_t"].sum()
    joined = by["co2e_t"].reindex(ref.index)
    np.testing.assert_allclose(joined.to_numpy(), ref.to_numpy(), rtol=1e-12)
    one = cm.batch.compute(df, region="US", year=2023, method="energy_ef", threads=1, by="enterprise")
    two = cm.batch.compute(df, region="US", year=2023, method="energy_ef", threads=2, by="enterprise")
    assert one["co2e_t"].to_numpy().tobytes() == two["co2e_t"].to_numpy().tobytes()


def test_strided_quantity_is_read_in_place_and_strings_work():
    df = frame(100)
    wide = np.zeros((100, 3))
    wide[:, 1] = df["quantity"].to_numpy()
    a = cm.batch.compute(carrier=df["carrier"].astype(str), unit=df["unit"].astype(str), quantity=wide[:, 1],
                         region="US", year=2023, method="energy_ef")
    b = cm.batch.compute(df, region="US", year=2023, method="energy_ef")
    assert a["co2e_t"].to_numpy().tobytes() == b["co2e_t"].to_numpy().tobytes()


def test_policies():
    df = frame(10)
    df.loc[3, "quantity"] = -5.0
    df["carrier"] = df["carrier"].cat.add_categories(["coal?"])
    df.loc[6, "carrier"] = "coal?"
    with pytest.raises(cm.InvalidInputError, match=r"2 invalid record\(s\); nothing computed:\nnegative: 1 record"):
        cm.batch.compute(df, region="US", year=2023, method="energy_ef")
    out = cm.batch.compute(df, region="US", year=2023, method="energy_ef", policy="skip")
    rep = out.attrs["report"]
    assert rep["valid"] == 8 and rep["counts"] == {"negative": 1, "unknown_carrier": 1}
    assert rep["first_rows"] == {"negative": [3], "unknown_carrier": [6]}
    assert np.isnan(out.loc[3, "co2e_t"]) and out["co2e_t"].notna().sum() == 8


def test_streaming_equals_one_pass_and_reports_positions():
    df = frame(30_000)
    df.loc[12_345, "quantity"] = -1.0
    whole = cm.batch.compute(df, region="US", year=2023, method="energy_ef", by=["enterprise", "period"],
                             policy="skip")
    chunks = (df.iloc[i:i + 7_000] for i in range(0, len(df), 7_000))
    streamed = cm.batch.stream(chunks, by=["enterprise", "period"], region="US", year=2023, method="energy_ef",
                               policy="skip")
    np.testing.assert_allclose(streamed["co2e_t"].to_numpy(), whole["co2e_t"].sort_index().to_numpy(), rtol=1e-12)
    assert streamed.attrs["report"]["first_rows"] == {"negative": [12_345]}
    assert streamed.attrs["report"]["valid"] == 29_999


def test_dask_example_matches_one_process():
    pytest.importorskip("distributed")
    import os
    import pathlib
    import subprocess
    import sys

    path = pathlib.Path(__file__).parents[2] / "examples" / "python" / "dask_batch.py"
    r = subprocess.run([sys.executable, str(path), "--records", "60000", "--partitions", "4"], capture_output=True,
                       text=True, timeout=300, env=dict(os.environ))
    assert r.returncode == 0, r.stderr[-2000:]
    assert "largest relative difference from one process" in r.stdout
