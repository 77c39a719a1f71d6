"""Python surface of the factor catalogue: shared fixtures (parity with C++ and C), provenance
hashes, DataFrames, overrides and malformed datasets."""
import hashlib
import json
import pathlib

import pytest

import carbonmrv as cm
from carbonmrv import factors

from conftest import DATA_DIR

ROOT = pathlib.Path(__file__).parents[2]


@pytest.fixture(scope="module")
def cases():
    return json.loads((DATA_DIR / "factor_cases.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalogue(cases):
    cat = factors.builtin()
    for rel in cases["user_datasets"]:
        factors.load_file(cat, DATA_DIR / rel)
    return cat


def test_fixture_lookups(cases, catalogue):
    for k in cases["lookups"]:
        sel = catalogue.lookup(k["carrier"], k["parameter"], k["gas"], k["region"], k["year"] or None,
                               k["preference"] or None, k.get("sector", ""))
        assert sel.value == k["value"], k
        assert sel.record["sector"] == k.get("sector", ""), k
        assert sel.unit == k["unit"], k
        assert sel.dataset["id"] == k["dataset"], k
        assert len(sel.dataset["sha256"]) == 64


def test_fixture_errors(cases, catalogue):
    for k in cases["errors"]:
        with pytest.raises(cm.CarbonmrvError) as info:
            catalogue.lookup(k["carrier"], k["parameter"], k["gas"], k["region"], k["year"] or None,
                             k["preference"] or None)
        assert info.value.detail == k["detail"], k
        assert k["contains"] in str(info.value), (k, str(info.value))


def test_not_found_is_a_lookup_error(catalogue):
    with pytest.raises(LookupError):
        catalogue.lookup("natural_gas", "oxidation", region="CN")  # no dataset has one
    with pytest.raises(cm.FactorNotFoundError, match='did you mean "natural_gas"'):
        factors.resolve_carrier("natural_gass")
    assert factors.resolve_carrier("焦炉煤气") == "coke_oven_gas"


def test_bad_datasets_rejected_whole(cases):
    cat = cm.factors.FactorCatalogue()
    for k in cases["bad_datasets"]:
        with pytest.raises(cm.InvalidInputError) as info:
            factors.load_file(cat, DATA_DIR / k["file"])
        assert info.value.detail == "invalid_dataset"
        for s in k["contains"]:
            assert s in str(info.value), (s, str(info.value))
    assert cat.datasets() == []


def test_builtin_hashes_are_sha256_of_the_shipped_files():
    for d in factors.builtin().datasets():
        path = ROOT / d["source"]
        assert path.is_file(), d["source"]
        assert d["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), d["id"]


def test_epa_dataset_transcribes_the_reference_table():
    """Every value of epa_hub_2021 equals the EPA hub extract in shared/reference, as published."""
    import csv

    src = ROOT.parent / "shared/reference/epa_ef_hub_2021/epa_ef_hub_2021_table1_stationary.csv"
    if not src.is_file():
        pytest.skip("shared/reference not beside the checkout")
    rows = list(csv.DictReader(src.read_text(encoding="utf-8").splitlines()))
    df = factors.records("epa_hub_2021")
    assert len(df) == 7 * len(rows)
    for r in rows:
        sub = df[df["source_row"] == f"{r['category']} / {r['fuel_type']}"]
        got = {(p, g): v for p, g, v in zip(sub["parameter"], sub["gas"], sub["value"])}
        assert got[("hhv", "")] == float(r["hhv_mmbtu_per_unit"])
        assert got[("ef", "co2")] == float(r["co2_kg_per_mmbtu"])
        assert got[("ef_per_unit", "n2o")] == float(r["n2o_g_per_unit"])


def test_dataframes():
    ds = factors.datasets()
    assert {"id", "title", "document", "class", "sha256", "record_count"} <= set(ds.columns)
    assert set(ds["id"]) >= {"epa_hub_2021", "ipcc_ar6_gwp100"}
    car = factors.carriers()
    assert car.set_index("id").loc["bituminous_coal", "name_zh"] == "烟煤"
    assert len(car) >= 70


def test_override_outranks_defaults_and_is_traceable():
    cat = factors.builtin()
    cat.add_override("plant-lab-2023", "natural_gas", "hhv", 1.031e-3, "MMBtu/scf", region="US",
                     source_table="lab report 2023-07", source_row="sample 4")
    sel = cat.lookup("natural_gas", "hhv", region="US", year=2023)
    assert sel.value == 1.031e-3 and sel.dataset["class"] == "measured"
    assert "class measured" in sel.rule
    assert any("epa_hub_2021" in c and "lower preference" in c for c in sel.considered)
    with pytest.raises(cm.UnitError, match='does not fit parameter "hhv"'):
        cat.add_override("plant-lab-2023", "natural_gas", "hhv", 1.0, "tCO2/scf", source_table="x")


def test_gwp_applied_as_explicit_factor():
    sel = factors.lookup("", "gwp100", gas="ch4", preference=["ipcc_ar5_gwp100"])
    assert cm.apply_factor(10, "tCH4", sel.value, sel.unit, "tCO2e") == 280.0
    assert json.loads(sel.to_json())["dataset"]["id"] == "ipcc_ar5_gwp100"
