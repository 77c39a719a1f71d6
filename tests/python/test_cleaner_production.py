"""Cleaner production through Python on the shared fixtures (tests/data/cleaner_production_cases.json):
indicator levels, focus, two-option interaction, economics worked by hand, ex-post pass and fail
(with X23), bad input, DataFrames and the MACC plot."""
import json
import math

import pytest

import carbonmrv as cm
from conftest import DATA_DIR, counted, patched

CASES = json.loads((DATA_DIR / "cleaner_production_cases.json").read_text(encoding="utf-8"))
ENTERPRISE = DATA_DIR / CASES["enterprise"]
SYSTEM = DATA_DIR / CASES["system"]


def close(a, b, rel=1e-9):
    return math.isclose(a, b, rel_tol=rel, abs_tol=rel)


@pytest.mark.parametrize("case", counted(CASES, "cleaner_production_cases.json", "scoring_cases"),
                         ids=lambda c: c["name"])
def test_indicator_scoring_lands_on_each_level(case):
    doc = json.loads(ENTERPRISE.read_text(encoding="utf-8"))
    doc["cleaner_production"]["audits"][0]["indicators"] = case["indicators"]
    del doc["cleaner_production"]["audits"][0]["targets"]
    rep = cm.cleaner_production.audit(doc, system=SYSTEM)
    assert rep.level == case["level"], case["worked"]
    score = rep.to_dict()["score"]
    for key in ("y_i", "y_ii", "y_iii"):
        assert close(score[key], case[key], 1e-12), key
    frame = rep.score_frame().set_index("id")
    assert frame["level"].to_dict() == case["levels"]
    for ind, gap in case["gaps"].items():
        assert frame.loc[ind, "next_level"] == gap["next"]
        assert close(frame.loc[ind, "gap"], gap["gap"]) and close(frame.loc[ind, "gap_pct"], gap["gap_pct"])


def test_indicator_system_table():
    system = cm.cleaner_production.IndicatorSystem.load(SYSTEM)
    df = system.to_pandas()
    assert list(df["id"]) == ["unit_energy", "elec_intensity", "water", "management"]
    # First-level × second-level weights add up to 1 (0.63 + 0.07 + 0.06 + 0.24).
    assert close((df["group_weight"] * df["weight"]).sum(), 1.0, 1e-12)
    assert system.confidence == "hand_made" and len(system.sha256) == 64


def test_focus_ranking():
    focus = cm.cleaner_production.audit(ENTERPRISE).to_dict()["focus"]
    assert focus["ranking"] == CASES["focus"]["ranking"], CASES["focus"]["worked"]
    assert focus["chosen"] == CASES["focus"]["chosen"]


def test_two_options_interact():
    a = CASES["abatement"]
    rep = cm.cleaner_production.audit(cm.Enterprise.from_file(ENTERPRISE))
    assert close(rep.baseline_co2e_t, a["baseline_co2e_t"], 1e-12), a["worked"]
    assert close(rep.final_co2e_t, a["final_co2e_t"], 1e-12)
    df = rep.options_frame().set_index("id")
    for o in a["options"]:
        assert close(df.loc[o["id"], "abatement_t"], o["abatement_t"], 1e-12)
        assert close(df.loc[o["id"], "standalone_abatement_t"], o["standalone_abatement_t"], 1e-12)
    # Both sides keep their traces: the baseline and final inventories are full Inventory objects.
    assert close(rep.baseline.total_co2e - rep.final.total_co2e, df["abatement_t"].sum(), 1e-12)
    macc = rep.macc_frame()
    assert list(macc["cost_per_t"]) == sorted(macc["cost_per_t"])
    assert close(macc["cumulative_end"].iloc[-1], df["abatement_t"].sum(), 1e-12)


def test_option_economics_by_hand():
    ec = CASES["economics"]
    x = ec["expected"]
    rep = cm.cleaner_production.audit(ENTERPRISE, carbon_price=ec["carbon_price"])
    opt = next(o for o in rep.to_dict()["options"] if o["id"] == ec["option"])
    e = opt["economics"]
    assert close(e["net_cash_flow_cny"], x["net_cash_flow_cny"]), ec["worked"]
    assert close(e["npv_cny"], x["npv_cny"]) and close(e["npvr"], x["npvr"])
    assert close(e["irr"], x["irr"]) and close(e["irr_interpolated"], x["irr_interpolated"])
    assert close(e["simple_payback_years"], x["simple_payback_years"])
    assert close(e["discounted_payback_years"], x["discounted_payback_years"])
    assert close(opt["cost_per_t"], x["cost_per_t"])
    assert e["feasible"] is bool(x["feasible"])
    assert close(opt["economics_with_carbon"]["npv_cny"], x["npv_with_carbon_cny"])
    s = ec["standalone"]
    alone = cm.cleaner_production.option_economics(
        investment=s["investment"], annual_savings=s["annual_savings"], annual_om_change=s["annual_om_change"],
        life_years=s["life_years"], discount_rate=s["discount_rate"], tax_rate=s["tax_rate"],
        benchmark_rate=s["benchmark_rate"])
    assert close(alone["npv_cny"], x["npv_cny"]) and close(alone["irr"], x["irr"])
    with pytest.raises(cm.InvalidInputError, match="life_years: -5 is not ≥ 1"):
        cm.cleaner_production.option_economics(300000, 60000, life_years=-5, discount_rate=0.08)


@pytest.mark.parametrize("case", counted(CASES, "cleaner_production_cases.json", "ex_post"),
                         ids=lambda c: c["review"])
def test_ex_post_passes_and_fails(case):
    review = DATA_DIR / case["review"]
    rep = cm.cleaner_production.audit(ENTERPRISE, review=review)
    df = rep.ex_post_frame().set_index("subject")
    assert sorted(df.index) == sorted(case["comparisons"]), case["worked"]
    for subject, x in case["comparisons"].items():
        for key in ("claimed", "expected", "observed"):
            assert close(df.loc[subject, key], x[key], 1e-12), (subject, key)
    target = rep.targets_frame().iloc[0]
    assert close(target["observed"], case["target"]["observed"], 1e-12) and target["status"] == case["target"]["status"]
    v = cm.verify(cm.Enterprise.from_file(review), checks=["X23"], audit_baseline=ENTERPRISE)
    assert {f["subject"]: f["severity"] for f in v.findings} == case["findings"]


@pytest.mark.parametrize("case", counted(CASES, "cleaner_production_cases.json", "errors"), ids=lambda c: c["name"])
def test_bad_input_names_its_field(case):
    text = patched(case)
    with pytest.raises(cm.CarbonmrvError) as err:
        if case["kind"] == "system":
            cm.cleaner_production.IndicatorSystem.load(text)
        else:
            cm.cleaner_production.audit(text)
    assert case["message"] in str(err.value)


def test_macc_plot(tmp_path):
    import matplotlib  # installed by scripts/install-deps.sh (python3-matplotlib)

    matplotlib.use("Agg")
    rep = cm.cleaner_production.audit(ENTERPRISE)
    ax = rep.plot_macc()
    # One bar per MACC row, as wide as its abatement.
    widths = sorted(p.get_width() for p in ax.patches)
    assert all(close(w, a, 1e-12) for w, a in zip(widths, sorted(rep.macc_frame()["abatement_t"])))
    ax.figure.savefig(tmp_path / "macc.png")
    assert (tmp_path / "macc.png").stat().st_size > 0


def test_indicators_from_the_plants_own_data():
    steel = DATA_DIR.parents[1] / "examples/data/steel_plant.json"
    rep = cm.cleaner_production.audit(steel)
    ind = rep.indicators_frame().set_index("id")
    # coke-in 1 080 000 t / 3 350 000 t product of crude steel = 322.388 kg/t product
    assert close(ind.loc["coke_rate", "value"], 1080000 / 3350000 * 1000, 1e-12)
    # the energy balance's own 单位产品综合能耗, in kgce/t product
    bal = cm.compute_energy_balance(cm.Enterprise.from_file(steel)).to_dict()
    kgce = next(p["kgce_per_unit"] for p in bal["intensity"]["per_product"] if p["product"] == "crude steel")
    assert close(ind.loc["unit_energy", "value"], kgce, 1e-12)
    # the inventory's scope 1 + 2 total per tonne
    inv = cm.compute_inventory(cm.Enterprise.from_file(steel))
    assert close(ind.loc["co2_intensity", "value"], inv.total_co2e / 3350000, 1e-12)


def test_audit_json_and_csv_agree():
    rep = cm.cleaner_production.audit(ENTERPRISE)
    doc = rep.to_dict()
    assert doc["schema"] == "carbonmrv.audit/1"
    assert [s["name_zh"] for s in doc["stages"]][:3] == ["筹划与组织", "预评估", "评估"]
    assert [r["option"] for r in doc["macc"]] == list(rep.macc_frame()["option"])
    assert "AuditReport('Cleaner-production test works' 2023" in repr(rep)
