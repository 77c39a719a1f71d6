"""Python surface of the units core: the shared fixtures (parity with C++ and C), numpy and pandas
paths, errors and Quantity."""
import math
import pickle
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import carbonmrv as cm


def close(got, expected):
    return abs(got - expected) <= 1e-12 * max(1.0, abs(expected))


def value_of(v):
    return float(v) if not isinstance(v, str) else float(v)  # "nan"/"inf" parse as floats


def test_fixture_conversions(unit_cases):
    assert len(unit_cases["convert"]) >= 50
    for c in unit_cases["convert"]:
        got = cm.convert(c["value"], c["from"], c["to"])
        assert close(got, c["expected"]), (c, got)


def test_fixture_context_conversions(unit_cases):
    for c in unit_cases["gas_state"]:
        assert close(cm.convert_gas_state(c["value"], c["from"], c["to"]), c["expected"]), c
    for c in unit_cases["actual_gas"]:
        got = cm.convert_actual_gas(c["value"], c["from"], c["temperature_k"], c["pressure_pa"], c["to"])
        assert close(got, c["expected"]), c
    for c in unit_cases["electricity"]:
        got = cm.electricity_to_standard_coal(c["value"], c["unit"], c["convention"], c["rate"], c["to"])
        assert close(got, c["expected"]), c
    for c in unit_cases["apply_factor"]:
        got = cm.apply_factor(c["value"], c["unit"], c["factor"], c["factor_unit"], c["to"])
        assert close(got, c["expected"]), c


def test_fixture_errors(unit_cases):
    for c in unit_cases["errors"]:
        v = value_of(c["value"])
        with pytest.raises(cm.UnitError) as info:
            if c["op"] == "convert":
                cm.convert(v, c["from"], c["to"])
            elif c["op"] == "apply_factor":
                cm.apply_factor(v, c["from"], c["factor"], c["factor_unit"], c["to"])
            elif c["op"] == "electricity":
                cm.electricity_to_standard_coal(v, c["from"], c["convention"], None, c["to"])
            elif c["op"] == "gas_state":
                cm.convert_gas_state(v, c["from"], c["to"])
        assert info.value.detail == c["detail"], c
        assert c["contains"] in str(info.value), (c, str(info.value))
        assert isinstance(info.value, ValueError)
        assert isinstance(info.value, cm.CarbonmrvError)


def test_version_matches_c_library():
    import pathlib

    version_file = pathlib.Path(__file__).parents[2] / "VERSION"
    assert cm.__version__ == version_file.read_text().strip()


def test_numpy_arrays_strided_and_shaped():
    a = np.arange(12.0)
    view = a[::3]  # non-contiguous: read in place through its stride
    assert view.strides == (24,)
    np.testing.assert_array_equal(cm.convert(view, "万Nm3", "Nm3"), np.array([0.0, 3e4, 6e4, 9e4]))
    grid = a.reshape(3, 4)
    out = cm.convert(grid, "t", "kg")
    assert out.shape == (3, 4)
    assert out[2, 3] == 11000.0
    ints = np.array([1, 2, 3], dtype=np.int32)  # cast once by numpy
    np.testing.assert_array_equal(cm.convert(ints, "MWh", "kWh"), [1000.0, 2000.0, 3000.0])
    # Bit-identical to the scalar path.
    factors = np.array([0.5810, 0.6101, 0.5703, 0.5568])
    arr = cm.convert(factors, "tCO2/MWh", "kgCO2/GJ")
    assert [cm.convert(float(x), "tCO2/MWh", "kgCO2/GJ") for x in factors] == arr.tolist()


def test_array_errors_name_the_element_and_produce_nothing():
    with pytest.raises(cm.UnitError, match=r"element \[2\] is nan"):
        cm.convert(np.array([1.0, 2.0, np.nan]), "t", "kg")
    with pytest.raises(cm.UnitError, match="unknown unit"):
        cm.convert(np.ones(3), "tonn", "kg")


def test_pandas_series_keeps_index_and_name():
    s = pd.Series([1.0, 2.5], index=["plant-a", "plant-b"], name="gas")
    out = cm.convert(s, "万Nm3", "Nm3")
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["plant-a", "plant-b"] and out.name == "gas"
    assert out["plant-b"] == 25000.0


def test_scalar_types():
    assert cm.convert(1, "tce", "GJ") == 29.3076  # correctly rounded: 29307600000 / 1e9
    assert cm.convert(np.float64(2.0), "t", "kg") == 2000.0
    assert isinstance(cm.convert(True and 1, "t", "kg"), float)


def test_quantity():
    q = cm.Quantity(1, "tce")
    assert repr(q.to("GJ")) == "Quantity(29.3076, 'GJ')"
    assert str(cm.Quantity(3.5, "t CO2e")) == "3.5 tCO2e"
    assert q.kind == "energy"
    # 100 t × 20.908 GJ/t = 2090.8 GJ: a fuel becomes energy only through an explicit NCV.
    energy = cm.Quantity(100, "t") * cm.Quantity(20.908, "GJ/t")
    assert energy.unit == "GJ" and energy.value == pytest.approx(2090.8, rel=1e-15)
    with pytest.raises(cm.UnitError, match=r"cannot add 1 tCO2 \(mass of CO2\) to 1 t"):
        cm.Quantity(1, "t") + cm.Quantity(1, "tCO2")
    with pytest.raises(cm.UnitError):
        cm.Quantity(1, "tCO2e") + cm.Quantity(1, "tCH4")
    assert cm.Quantity(1, "t") == cm.Quantity(1000, "kg")
    assert cm.Quantity(1, "t") != cm.Quantity(1, "tCO2")
    assert (2 * cm.Quantity(1.5, "MWh")).value == 3.0
    assert pickle.loads(pickle.dumps(cm.Quantity(2, "万Nm3"))) == cm.Quantity(20000, "Nm3")
    with pytest.raises(cm.UnitError, match="nan"):
        cm.Quantity(math.nan, "t")


def test_electricity_conventions():
    assert cm.electricity_to_standard_coal(1, "kWh", "当量值", None, "kgce") == 0.1229
    assert cm.electricity_to_standard_coal(1, "万千瓦时", "等价值", 0.3, "tce") == pytest.approx(3.0, rel=1e-15)
    with pytest.raises(cm.InvalidInputError, match="convention"):
        cm.electricity_to_standard_coal(1, "kWh", "thermal")


def test_units_table():
    df = cm.units_table()
    assert {"symbol", "aliases", "kind", "definition", "source"} <= set(df.columns)
    row = df.set_index("symbol").loc["tce"]
    assert row["base_units_per_unit"] == 29307600000.0
    assert "GB/T 2589-2020" in row["source"]
    assert "吨标准煤" in row["aliases"]


def test_helpers():
    assert cm.normalize_unit("万吨二氧化碳") == "10^4 tCO2"
    assert cm.unit_kind("GJ/10^4 Nm3") == "energy per gas volume at 0 °C/101.325 kPa"
    assert cm.unit_compatible("kgce", "GJ") and not cm.unit_compatible("Nm3", "scf")


def test_gil_released_concurrent_use_is_deterministic():
    data = np.linspace(0.0, 1e6, 200_000)
    expected = cm.convert(data, "万Nm3", "Nm3")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: cm.convert(data, "万Nm3", "Nm3"), range(8)))
    for r in results:
        np.testing.assert_array_equal(r, expected)


def test_gil_is_released_during_a_conversion():
    # The main thread counts while a worker is inside one long conversion. With the GIL held for the
    # call the main thread could not run at all between "started" and "done" (a handful of ticks at
    # most, from a forced switch before the call); released, it counts for the whole call.
    big = np.linspace(0.0, 1e6, 20_000_000)
    started, done = threading.Event(), threading.Event()

    def work():
        started.set()
        cm.convert(big, "万Nm3", "Nm3")
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    ticks = 0
    while not done.is_set():
        ticks += 1
    worker.join()
    assert ticks > 10_000
