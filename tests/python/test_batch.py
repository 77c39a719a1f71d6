"""carbonmrv.batch: parity with the document engine, categorical and strided input, aggregation,
measured parameters, per-record region/year/kind, thread-count determinism, and the invalid-record
policies. The hand-worked numbers match tests/cpp/test_batch.cpp (same fixtures, same values)."""
import pathlib
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
    assert list(by.columns) == ["co2_t", "ch4_t", "n2o_t", "co2e_t", "records"]
    assert by["records"].sum() == len(df)
    np.testing.assert_array_equal(by["records"].reindex(ref.index).to_numpy(),
                                  df.groupby(["enterprise", "period"]).size().to_numpy())
    one = cm.batch.compute(df, region="US", year=2023, method="energy_ef", threads=1, by="enterprise")
    two = cm.batch.compute(df, region="US", year=2023, method="energy_ef", threads=2, by="enterprise")
    assert one.to_numpy().tobytes() == two.to_numpy().tobytes()


def test_one_column_results_are_the_frames_a_dict_gives():
    # One float column is handed to pandas as an (n, 1) view (batch._frame): the same frame as the dict
    # path gives (values, dtypes, index, column labels), and the engine's array is the column, not copied.
    df = frame(5_000)
    kw = dict(region="US", year=2023, method="energy_ef")
    for by in (None, "enterprise", ["enterprise", "period"]):
        one = cm.batch.compute(df, **kw, by=by, columns="co2e_t")
        every = cm.batch.compute(df, **kw, by=by)
        expected = pd.DataFrame({"co2e_t": every["co2e_t"].to_numpy()}, index=every.index)
        pd.testing.assert_frame_equal(one, expected, check_exact=True)
        assert one.columns.dtype == expected.columns.dtype
        assert one["co2e_t"].to_numpy().flags.c_contiguous
        assert one._mgr.nblocks == 1
    one.columns.name = "gas"  # the labels are the frame's own
    assert cm.batch.compute(df, **kw, columns="co2e_t").columns.name is None
    # The engine's arrays become the columns without a copy, on either path.
    values, counts = np.arange(4.0), np.arange(4, dtype=np.int64)
    assert np.shares_memory(cm.batch._frame({"co2e_t": values}, None)["co2e_t"].to_numpy(), values)
    two = cm.batch._frame({"co2e_t": values, "records": counts}, None)
    assert np.shares_memory(two["co2e_t"].to_numpy(), values) and np.shares_memory(two["records"].to_numpy(), counts)


def test_keys_of_any_kind_keep_their_labels():
    df = frame(5000)
    ref = cm.batch.compute(df, region="US", year=2023, method="energy_ef", by=["enterprise", "period"],
                           columns="co2e_t")["co2e_t"]
    # 15-digit ids (sparse key space), string ids, categorical periods: the same sums, labelled as given.
    big = df.assign(enterprise=df["enterprise"].astype(np.int64) * 1_000_000_007 + 91_000_000_000_000)
    s = cm.batch.compute(big, region="US", year=2023, method="energy_ef", by=["enterprise", "period"],
                         columns="co2e_t")["co2e_t"]
    assert s.index.get_level_values(0)[0] == 91_000_000_000_000
    np.testing.assert_array_equal(s.to_numpy(), ref.to_numpy())
    named = df.assign(enterprise="E" + df["enterprise"].astype(str).str.zfill(3),
                      period=pd.Categorical(df["period"].map(lambda m: f"2023-{m:02d}")))
    t = cm.batch.compute(named, region="US", year=2023, method="energy_ef", by=["enterprise", "period"],
                         columns=["co2e_t"])["co2e_t"]
    assert t.index[0] == ("E000", "2023-01")
    np.testing.assert_allclose(t.to_numpy(), ref.to_numpy(), rtol=1e-12)


def test_integer_key_index_is_the_one_from_arrays_would_build():
    # The index of integer keys is built from the engine's levels and codes, not by hashing
    # every column: it must equal MultiIndex.from_arrays on the same keys, for a sorted first column, a
    # narrow second one (presence table), a wide third one (np.unique) and negative values.
    rng = np.random.default_rng(3)
    df = frame(3000).assign(site=rng.integers(-5, 3, 3000).astype(np.int16),
                            meter=rng.integers(0, 10**12, 3000) * 7)
    out = cm.batch.compute(df, region="US", year=2023, method="energy_ef", by=["enterprise", "site", "meter"],
                           columns="co2e_t")
    keys = [out.index.get_level_values(i).to_numpy() for i in range(3)]
    expected = pd.MultiIndex.from_arrays(keys, names=["enterprise", "site", "meter"])
    assert out.index.equals(expected) and out.index.names == expected.names
    for got, want in zip(out.index.levels, expected.levels):
        assert got.equals(want) and got.dtype == want.dtype
    for got, want in zip(out.index.codes, expected.codes):
        np.testing.assert_array_equal(got, want)
    ref = df.assign(co2e_t=cm.batch.compute(df, region="US", year=2023, method="energy_ef")["co2e_t"]).groupby(
        ["enterprise", "site", "meter"])["co2e_t"].sum()
    assert out.index.equals(ref.index)
    np.testing.assert_allclose(out["co2e_t"].to_numpy(), ref.to_numpy(), rtol=1e-12)
    # Three narrow keys (20 × 8 × 12 combinations): the engine's dense index, its keys as mixed-radix digits.
    dense = cm.batch.compute(df, region="US", year=2023, method="energy_ef", by=["enterprise", "site", "period"],
                             columns="co2e_t")
    ref = df.assign(co2e_t=cm.batch.compute(df, region="US", year=2023, method="energy_ef")["co2e_t"]).groupby(
        ["enterprise", "site", "period"])["co2e_t"].sum()
    assert dense.index.equals(ref.index) and len(dense) > 1000
    np.testing.assert_allclose(dense["co2e_t"].to_numpy(), ref.to_numpy(), rtol=1e-12)


def test_engine_levels_and_codes_equal_numpy_unique_in_pandas_code_widths():
    # Integer keys come from the engine as levels and codes (GroupKeys::kLevelsCodes): per key what
    # np.unique(return_inverse=True) gives on its values per group, in the narrowest signed code type
    # pandas stores (coerce_indexer_dtype: < 127 levels int8, < 32767 int16, else int32). Cases: the
    # dense index (mixed-radix digits) with every digit occurring and with digits no group has, and the
    # sparse index (sorted first column, rank table, sort), up to the ends of the int64 range.
    from carbonmrv import _core
    rng = np.random.default_rng(11)
    i64 = np.iinfo(np.int64)
    n = 40_000
    cases = {"dense, every digit": [rng.integers(0, 200, n), rng.integers(1, 13, n)],
             "dense, gaps": [rng.integers(0, 50, n) * 3, rng.integers(-4, 4, n) * 2],
             "dense, 300 levels": [rng.integers(0, 300, n), rng.integers(0, 2, n)],
             "sparse": [rng.integers(0, 40_000, n), rng.integers(0, 10**12, n)],
             "sparse, narrow second key": [rng.integers(0, 10**12, n), rng.integers(-3, 9, n)],
             # the widest span the engine takes (below 1.8·10^19 combinations), up to INT64_MAX
             "int64 ends": [np.full(n, 5), np.resize(np.array([i64.max, i64.min // 2, 0, i64.min // 2]), n)],
             # columns of 256 KiB and more come from the engine's pool and are narrowed in place
             "dense, pooled columns": [rng.integers(0, 40_000, 10 * n), rng.integers(1, 13, 10 * n)]}
    for name, keys in cases.items():
        keys = [k.astype(np.int64) for k in keys]
        n = len(keys[0])
        call = cm.batch._prepare_kw(pd.DataFrame({"carrier": ["natural_gas"] * n, "unit": ["scf"] * n,
                                                  "quantity": 1.0, "a": keys[0], "b": keys[1]}), ["a", "b"],
                                    {"region": "US", "year": 2023, "method": "energy_ef", "columns": "co2e_t"})
        call.labels, call.integer_keys = [lambda k: k] * 2, True
        call.keys = [k for k in keys]
        g = call.run(None, None)["groups"]
        groups = np.unique(np.stack(keys), axis=1)  # the occupied groups, in key order
        assert g["count"] == groups.shape[1], name
        for kk in range(2):
            want_levels, want_codes = np.unique(groups[kk], return_inverse=True)
            np.testing.assert_array_equal(g["levels"][kk], want_levels, err_msg=name)
            np.testing.assert_array_equal(g["codes"][kk], want_codes, err_msg=name)
            L = len(want_levels)
            assert g["codes"][kk].dtype == (np.int8 if L < 127 else np.int16 if L < 32767 else np.int32), (name, L)
    assert not hasattr(_core, "_levels_codes")


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


DEFAULTS = pathlib.Path(__file__).parents[1] / "data" / "factors" / "batch_defaults.csv"


def test_measured_parameters_per_record():
    # Test dataset batch_defaults: bituminous coal NCV 23.0 GJ/t, CC 26.0 tC/TJ, OF 0.98 (hand-written).
    cat = cm.factors.builtin()
    cm.factors.load_file(cat, str(DEFAULTS))
    nan = float("nan")
    df = pd.DataFrame({"carrier": ["bituminous_coal"] * 4, "unit": ["t"] * 4, "quantity": [100.0] * 4,
                       "ncv": [nan, 25.0, 25.0, nan], "cc": [nan, nan, 27.0, nan], "of": [nan, nan, 95.0, nan]})
    out = cm.batch.compute(df, year=2023, ncv=("ncv", "GJ/t"), carbon_content=("cc", "tC/TJ"),
                           oxidation=(df["of"], "%"), catalogue=cat)
    co2 = out["co2_t"].to_numpy()
    np.testing.assert_allclose(co2[0], 100 * 23.0 * 0.026 * 0.98 * 44 / 12, rtol=1e-14)
    np.testing.assert_allclose(co2[1], 100 * 25.0 * 0.026 * 0.98 * 44 / 12, rtol=1e-14)
    np.testing.assert_allclose(co2[2], 235.125, rtol=1e-14)  # 100 × 25 × 0.027 × 0.95 × 44/12
    assert co2[3] == co2[0]
    assert out.attrs["report"]["defaults_used"] == {"ncv": 2, "carbon_content": 3, "oxidation": 3}
    # The same as the document engine with the measurement in the document (MJ/t: converted, not assumed).
    doc = {"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "m", "year": 2023},
           "sources": [{"id": "b", "kind": "fuel_combustion", "carrier": "bituminous_coal",
                        "activity": [{"period": "2023", "value": 100.0, "unit": "t",
                                      "measured": {"ncv": {"value": 25000, "unit": "MJ/t", "source": "lab"}}}]}]}
    inv = cm.compute_inventory(cm.Enterprise.from_json(json.dumps(doc)), catalogue=cat)
    np.testing.assert_allclose(inv.total_co2e, co2[1], rtol=1e-13)
    with pytest.raises(ValueError, match=r"\(values, unit\) pair"):
        cm.batch.compute(df, year=2023, ncv="ncv", catalogue=cat)
    df.loc[1, "of"] = 120.0
    with pytest.raises(cm.InvalidInputError, match=r"bad_parameter: 1 record\(s\), first rows 1"):
        cm.batch.compute(df, year=2023, oxidation=("of", "%"), catalogue=cat)


def test_electricity_with_region_and_year_per_record():
    # MEE/NBS: 河北 (CN-13) 2022 0.7252, 云南 (CN-53) 2022 0.1073, national 2023 0.5306 kgCO2/kWh.
    df = pd.DataFrame({"carrier": "electricity", "unit": "MWh", "quantity": [1000.0, 1000.0, 1000.0],
                       "province": pd.Categorical(["CN-13", "CN-53", "CN"]), "year": np.array([2022, 2022, 2023],
                                                                                          dtype=np.int16)})
    # 河北 rests on one reprint (single_source): used only when the dataset is named.
    out = cm.batch.compute(df, kind="purchased_electricity", region=df["province"], year="year",
                           preference="mee_nbs_electricity_co2")
    np.testing.assert_allclose(out["co2_t"].to_numpy(), [725.2, 107.3, 530.6], rtol=1e-14)
    factors = out.attrs["report"]["factors"]
    # In code order (the categories sort CN first), one factor per (region, year) that occurs.
    assert [(f["region"], f["year"], f["records"]) for f in factors] == [("CN", 2023, 1), ("CN-13", 2022, 1),
                                                                         ("CN-53", 2022, 1)]
    assert "mee_nbs_electricity_co2" in factors[0]["terms"][1]["provenance"]
    # Mixed kinds per record: fuel and electricity in one batch.
    mixed = pd.DataFrame({"carrier": ["electricity", "bituminous_coal"], "unit": ["MWh", "short_ton"],
                          "quantity": [1000.0, 10.0], "kind": ["purchased_electricity", "fuel_combustion"]})
    m = cm.batch.compute(mixed, kind=mixed["kind"], region="US", year=2023, method="energy_ef", policy="skip")
    assert m.attrs["report"]["counts"] == {"missing_factor": 1}  # no US grid factor is built in: said, not zero
    # Kind and region by column name; a measured heating value that fits coal (per short ton) but not
    # gas (per scf) is fine where gas carries no value, and counted as the default only where the
    # method has the term (not for electricity).
    both = pd.DataFrame({"carrier": ["bituminous_coal", "natural_gas", "electricity"],
                         "unit": ["short_ton", "scf", "MWh"], "quantity": [10.0, 1e6, 1000.0],
                         "kind": ["fuel_combustion", "fuel_combustion", "purchased_electricity"],
                         "where": ["US", "US", "CN-53"], "hhv": [25.40, np.nan, np.nan]})
    b = cm.batch.compute(both, kind="kind", region="where", year=2022, method="energy_ef",
                         ncv=("hhv", "MMBtu/short_ton"))
    np.testing.assert_allclose(b["co2_t"].to_numpy(), [10 * 25.40 * 93.28e-3, 1e6 * 0.001026 * 53.06e-3, 107.3],
                               rtol=1e-13)
    assert b.attrs["report"]["defaults_used"] == {"ncv": 1}
    both.loc[1, "hhv"] = 1.0
    with pytest.raises(cm.InvalidInputError, match=r"parameter_unit: 1 record\(s\), first rows 1\n"):
        cm.batch.compute(both, kind="kind", region="where", year=2022, method="energy_ef",
                         ncv=("hhv", "MMBtu/short_ton"))
    np.testing.assert_allclose(m["co2e_t"].iloc[1], 23.4371916, rtol=1e-12)


def test_streaming_equals_one_pass_and_reports_positions():
    df = frame(30_000)
    df.loc[12_345, "quantity"] = -1.0
    whole = cm.batch.compute(df, region="US", year=2023, method="energy_ef", by=["enterprise", "period"],
                             policy="skip")
    chunks = (df.iloc[i:i + 7_000] for i in range(0, len(df), 7_000))
    streamed = cm.batch.stream(chunks, by=["enterprise", "period"], region="US", year=2023, method="energy_ef",
                               policy="skip")
    np.testing.assert_allclose(streamed["co2e_t"].to_numpy(), whole["co2e_t"].sort_index().to_numpy(), rtol=1e-12)
    np.testing.assert_array_equal(streamed["records"].to_numpy(), whole["records"].to_numpy())
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


def test_batch_method_is_checked_when_set():
    # The options layer refuses an unknown combustion method before any record is read (0.2).
    df = pd.DataFrame({"carrier": ["bituminous_coal"], "unit": ["short_ton"], "quantity": [1.0]})
    with pytest.raises(cm.InvalidInputError,
                       match='method "energy" is not one of default_factor, energy_ef, measured_carbon'):
        cm.batch.compute(df, region="US", year=2023, method="energy")


def _progress_records(n=300_000):
    rng = np.random.default_rng(7)
    fuel = rng.integers(0, len(FUELS), n)
    return pd.DataFrame({"carrier": pd.Categorical([FUELS[i][0] for i in fuel]),
                         "unit": pd.Categorical([FUELS[i][1] for i in fuel]),
                         "quantity": rng.uniform(1, 100, n), "enterprise": rng.integers(0, 5000, n)})


def test_progress_is_reported_changes_nothing_and_cancels(capsys):
    df = _progress_records()
    kw = dict(region="US", year=2023, method="energy_ef", by="enterprise")
    plain = cm.batch.compute(df, **kw)
    calls = []
    seen = cm.batch.compute(df, **kw, progress=lambda done, total: calls.append((done, total)))
    pd.testing.assert_frame_equal(seen, plain, check_exact=True)
    assert calls[-1] == (len(df), len(df)) and all(a[0] <= b[0] for a, b in zip(calls, calls[1:]))
    bar = cm.batch.compute(df, **kw, progress=True)  # a tqdm bar on stderr
    pd.testing.assert_frame_equal(bar, plain, check_exact=True)
    assert "rec" in capsys.readouterr().err
    with pytest.raises(cm.CancelledError, match="cancelled by the progress callback after 300000 of 300000"):
        cm.batch.compute(df, **kw, progress=lambda done, total: done < total)
    with pytest.raises(RuntimeError, match="stop here"):  # the callback's own exception comes through
        cm.batch.compute(df, **kw, progress=lambda done, total: (_ for _ in ()).throw(RuntimeError("stop here")))
    with pytest.raises(ValueError, match="progress: 'yes' is not True"):
        cm.batch.compute(df, **kw, progress="yes")


def test_stream_progress_counts_records_per_chunk():
    df = _progress_records(100_000)
    kw = dict(region="US", year=2023, method="energy_ef")
    chunks = [df.iloc[i:i + 30_000] for i in range(0, len(df), 30_000)]
    calls = []
    out = cm.batch.stream(iter(chunks), by="enterprise", **kw, progress=lambda d, t: calls.append((d, t)),
                          total=len(df))
    assert calls == [(30_000, 100_000), (60_000, 100_000), (90_000, 100_000), (100_000, 100_000)]
    assert out["co2e_t"].sum() == pytest.approx(cm.batch.compute(df, by="enterprise", **kw)["co2e_t"].sum(),
                                                rel=1e-12)
    with pytest.raises(cm.CancelledError, match="after 30000 records"):
        cm.batch.stream(iter(chunks), by="enterprise", **kw, progress=lambda d, t: False)


def test_the_memory_pool_can_be_read_emptied_and_bounded():
    import gc
    budget = cm.memory_pool.status()["budget_bytes"]
    assert budget == 256 << 20  # the default
    cm.memory_pool.release()
    assert cm.memory_pool.status()["held_bytes"] == 0
    # 40 000 groups: the call's group table and its result columns (8 bytes a group, 320 000 bytes, over
    # the 256 KiB from which columns are pooled) return to the pool when the frame is freed.
    df = frame(40_000)
    df["enterprise"] = np.arange(40_000)
    out = cm.batch.compute(df, region="US", year=2023, method="energy_ef", by="enterprise")
    assert len(out) == 40_000
    del out
    gc.collect()
    held = cm.memory_pool.status()["held_bytes"]
    assert held >= 320_000
    assert cm.memory_pool.release() == held
    assert cm.memory_pool.status()["held_bytes"] == 0
    try:
        cm.memory_pool.set_budget(0)  # nothing freed is kept
        out = cm.batch.compute(df, region="US", year=2023, method="energy_ef", by="enterprise")
        del out
        gc.collect()
        assert cm.memory_pool.status() == {"held_bytes": 0, "budget_bytes": 0}
        with pytest.raises(cm.InvalidInputError, match="budget_bytes: -1 is negative"):
            cm.memory_pool.set_budget(-1)
        with pytest.raises(TypeError, match="budget_bytes: expected an integer"):
            cm.memory_pool.set_budget("1")
        assert cm.memory_pool.status()["budget_bytes"] == 0  # a refused budget changed nothing
    finally:
        cm.memory_pool.set_budget(budget)
    assert cm.memory_pool.status()["budget_bytes"] == budget
