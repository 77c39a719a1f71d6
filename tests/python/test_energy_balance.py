"""Energy balance through Python: the shared fixtures (tests/data/energy_balance_cases.json), the
GB/T 2589 coefficients as published, the DataFrame table and bad input."""
import json
import math
import re

import pytest

import carbonmrv as cm
from conftest import DATA_DIR, counted, patched

CASES = json.loads((DATA_DIR / "energy_balance_cases.json").read_text(encoding="utf-8"))
REL = CASES["tolerance_rel"]


def close(a, b):
    return abs(a - b) <= REL * max(1.0, abs(b))


@pytest.mark.parametrize("case", counted(CASES, "energy_balance_cases.json", "cases"), ids=lambda c: c["name"][:40])
def test_cases(case):
    bal = cm.compute_energy_balance(cm.Enterprise.from_json(patched(case)))
    assert bal.status == case["status"]
    for c in case.get("comprehensive", []):
        if c["convention"] == "declared":
            assert bal.feedstock == ("include" if c["include_feedstock"] else "exclude")
            got = bal.comprehensive_tce
        else:
            got = bal.comprehensive(c["convention"], c["include_feedstock"])
        assert close(got, c["tce"]), (c, got)
    for c in case.get("cells", []):
        got = bal.cell(c["row"], c["carrier"], c["basis"])
        assert close(got, c["value"]), (c, got)
    closures = {(c["subject"], c["link"]): c for c in bal.to_dict()["closure"]}
    for c in case.get("closures", []):
        got = closures[(c["subject"], c["link"])]
        assert got["status"] == c["status"], (c, got)
        for key in ("imbalance", "imbalance_tce", "relative"):
            if key in c:
                assert close(got[key], c[key]), (key, c, got)
    eff = case.get("efficiency")
    if eff:
        d = bal.to_dict()["efficiency"]
        assert close(d["converters"][0]["efficiency"], eff["chp-1"])
        assert close(d["distribution"], eff["distribution"])
        assert close(d["end_use"], eff["end_use"])
    if "intensity" in case:
        d = bal.to_dict()["intensity"]
        assert close(d["per_product"][0]["kgce_per_unit"], case["intensity"]["kgce_per_product"])
        assert close(d["tce_per_10k_cny"], case["intensity"]["tce_per_10k_cny"])


@pytest.mark.parametrize("case", counted(CASES, "energy_balance_cases.json", "errors"), ids=lambda c: c["name"])
def test_bad_input_names_the_field(case):
    text = patched(case)
    if case.get("compute"):
        ent = cm.Enterprise.from_json(text)
        with pytest.raises(cm.MissingParameterError) as err:
            cm.compute_energy_balance(ent)
    else:
        with pytest.raises(cm.InvalidInputError) as err:
            cm.Enterprise.from_json(text)
    assert case["message"] in str(err.value)


def test_gbt2589_annex_a_as_published():
    records = cm.factors.records("gbt2589_2008_annex_a").to_dict("records")
    assert len(records) == 14
    for r in records:
        # Each coefficient is the table's kcal / 7000 rounded to 4 places; each kJ value is
        # kcal × 4.1816 (or × 4.1868 for refinery gas, as printed).
        kj, kcal = map(int, re.findall(r"(\d+) kJ/\S+ \((\d+) kcal", r["note"])[0])
        assert r["value"] == round(kcal / 7000, 4), r
        assert abs(kj - kcal * 4.1816) < 1 or abs(kj - kcal * 4.1868) < 1, r
    sel = cm.factors.lookup("raw_coal", "coal_equivalent", region="CN-37", year=2023)
    assert sel.value == 0.7143  # published; 20908 / 29307.6 would give 0.7134


def test_table_as_dataframe():
    bal = cm.compute_energy_balance(cm.Enterprise.from_json(patched(CASES["cases"][0])))
    df = bal.to_pandas("tce")
    assert list(df.columns) == ["raw_coal", "diesel", "natural_gas", "electricity", "heat", "total"]
    assert list(df.index) == cm.EnergyBalance.rows
    assert close(df.loc["net_supply", "total"], bal.comprehensive_tce)
    phys = bal.to_pandas("physical")
    assert "total" not in phys.columns and phys.attrs["units"]["natural_gas"] == "10^4 Nm3"
    assert phys.loc["stock_decrease", "raw_coal"] == 200
    csv = bal.to_csv("GJ").splitlines()
    assert csv[0] == "row,raw_coal,diesel,natural_gas,electricity,heat,total" and len(csv) == 18
    assert bal.closure_frame()["status"].max() == "ok"
    with pytest.raises(cm.InvalidInputError, match="basis \"kWh\""):
        bal.to_pandas("kWh")
    with pytest.raises(cm.UnitError, match="no physical unit"):
        bal.cell("purchased", "total", "physical")


def test_period_selection():
    ent = cm.Enterprise.from_json(patched(CASES["cases"][0]))
    # A missing period is a NotFoundError (a LookupError), not a FactorNotFoundError.
    with pytest.raises(cm.NotFoundError, match="no energy balance for period \"2023-05\"; periods given: 2023") as e:
        cm.compute_energy_balance(ent, period="2023-05")
    assert not isinstance(e.value, cm.FactorNotFoundError) and isinstance(e.value, LookupError)
    assert e.value.detail == "not_found"
    assert cm.compute_energy_balance(ent, period="2023").period == "2023"


def test_document_round_trip_keeps_the_balance():
    ent = cm.Enterprise.from_json(patched(CASES["cases"][0]))
    again = cm.Enterprise.from_json(ent.to_json())
    assert again.to_json() == ent.to_json()
    assert cm.compute_energy_balance(again).comprehensive_tce == cm.compute_energy_balance(ent).comprehensive_tce


def test_equivalent_needs_a_rate():
    doc = json.loads(patched(CASES["cases"][0]))
    del doc["energy_balances"][0]["convention"]["generation_coal_rate"]
    bal = cm.compute_energy_balance(cm.Enterprise.from_json(json.dumps(doc)))
    with pytest.raises(cm.CarbonmrvError, match="needs convention.generation_coal_rate"):
        bal.comprehensive("equivalent")
    assert bal.to_dict()["comprehensive"]["equivalent_tce"] is None
    assert not math.isnan(bal.comprehensive_tce)


SAMPLES = sorted((DATA_DIR.parents[1] / "examples" / "data").glob("*.json"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_balances_close_and_match_their_inventories(path):
    ent = cm.Enterprise.from_file(path)
    bal = cm.compute_energy_balance(ent)
    assert bal.status == "ok", bal.closure_frame()
    doc = json.loads(path.read_text(encoding="utf-8"))
    units = {c["carrier"]: c["unit"] for c in doc["energy_balances"][0]["carriers"]}
    # Every fuel the inventory burns (or feeds to the carbon balance) is a column whose consumption
    # (converter input + end use) equals the inventory's activity, in the column's unit.
    checked = 0
    for src in doc["sources"]:
        if src["kind"] not in ("fuel_combustion", "carbon_input") or "carrier" not in src:
            continue
        carrier = cm.factors.carriers().set_index("name_zh")["id"].get(src["carrier"], src["carrier"])
        activity = sum(cm.convert(a["value"], a["unit"], units[carrier]) for a in src["activity"])
        used = bal.cell("conversion_input", carrier, "physical") + bal.cell("end_use_total", carrier, "physical")
        assert abs(used - activity) <= 1e-9 * activity, (carrier, used, activity)
        checked += 1
    assert checked >= 1
    # Grid purchases are the same number in both views.
    grid = [s for s in doc["sources"] if s["kind"] == "purchased_electricity"]
    mwh = sum(cm.convert(a["value"], a["unit"], "MWh") for s in grid for a in s["activity"])
    assert abs(bal.cell("purchased", "electricity", "physical") - mwh) <= 1e-9 * mwh
