"""Allocation and compliance through Python on the shared fixtures (tests/data/allocation_cases.json),
the CHP sample plant, and the CLI."""
import json
import math
import subprocess

import pandas as pd
import pytest

import carbonmrv as cm
from conftest import DATA_DIR, counted, patched

CASES = json.loads((DATA_DIR / "allocation_cases.json").read_text(encoding="utf-8"))
SAMPLES = DATA_DIR.parents[1] / "examples" / "data"


def close(got, want):
    if want is None:
        return got is None
    return got is not None and math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-9)


def run(case):
    alloc = cm.market.allocate(patched(case), rules=case["rules"], year=case["year"])
    holdings = pd.DataFrame(case["holdings"], columns=["kind", "vintage", "quantity"])
    return alloc, cm.market.compliance(alloc, holdings=holdings, net_sold=case.get("net_sold_t"))


@pytest.mark.parametrize("case", counted(CASES, "allocation_cases.json", "cases"), ids=lambda c: c["name"])
def test_allocation_and_compliance_as_worked_by_hand(case):
    alloc, pos = run(case)
    assert close(alloc.total_t, case["total_t"]), case["worked"]
    assert close(alloc.pre_allocation_t, case["pre_allocation_t"]) and close(alloc.true_up_t, case["true_up_t"])
    assert close(alloc.unattributed_emissions_t, case["unattributed_emissions_t"])
    df = alloc.to_pandas()
    assert set(df.index) == set(case["facilities"])
    for fac, want in case["facilities"].items():
        for key, value in want.items():
            assert close(float(df.loc[fac, key]), value), (fac, key)
    trace = alloc.trace_frame()
    assert not trace.empty and set(trace["facility"]) == set(case["facilities"])
    for key, value in case["compliance"].items():
        assert close(getattr(pos, key), value), key
    plan = pos.to_pandas()
    assert math.isclose(plan["surrendered_t"].sum(), pos.surrendered_t, rel_tol=1e-12, abs_tol=1e-9)


@pytest.mark.parametrize("case", counted(CASES, "allocation_cases.json", "errors"), ids=lambda c: c["name"])
def test_errors_name_the_field(case):
    with pytest.raises(cm.CarbonmrvError) as err:
        run(case)
    assert case["error"] in str(err.value)


@pytest.mark.parametrize("case", counted(CASES, "allocation_cases.json", "rules_errors"), ids=lambda c: c["name"])
def test_bad_rule_sets_name_the_json_path(case):
    with pytest.raises(cm.InvalidInputError) as err:
        cm.market.allocation_rules(json.loads(patched(case)))
    assert case["error"] in str(err.value)


@pytest.mark.parametrize("v", counted(CASES, "allocation_cases.json", "load_factor"), ids=lambda v: str(v["load"]))
def test_load_correction_vector_through_an_allocation(v):
    """The load correction as the allocation applies it: a category I condensing unit under 2021-2022,
    whose electricity part is 0.8177 x 3 000 000 x 1.05 x F_load."""
    case = dict(CASES["cases"][2], patch=[["set", "/facilities/0/allocation/years/0/load_factor", v["load"]]])
    alloc = cm.market.allocate(patched(case), rules="cn_power_2021_2022", year=2022)
    assert math.isclose(alloc.total_t, 0.8177 * 3_000_000 * 1.05 * v["factor"], rel_tol=1e-12), v["worked"]


def test_chp_sample_2022_under_the_2021_2022_plan():
    """The sample CHP plant's stated 2022 data, worked by hand: F_load(0.70) = 1.015^2, F_load(0.68) =
    1.015^2.4, heat-ratio factor 1 - 0.22 x ratio; unit 1 = 0.8729 x 2 010 000 x 0.9538 x 1.030225 + 0.1105
    x 2 900 000."""
    alloc = cm.market.allocate(SAMPLES / "chp_plant.json", rules="cn_power_2021_2022", year=2022)
    u1 = 0.8729 * 2_010_000 * (1 - 0.22 * 0.21) * 1.015 ** 2 + 0.1105 * 2_900_000
    u2 = 0.8729 * 1_945_000 * (1 - 0.22 * 0.20) * 1.015 ** (16 - 20 * 0.68) + 0.1105 * 2_750_000
    assert math.isclose(alloc.total_t, u1 + u2, rel_tol=1e-12)
    holdings = pd.read_csv(SAMPLES / "chp_holdings.csv", comment="#")
    pos = cm.market.compliance(alloc, holdings=holdings)
    assert pos.due_t == 3_675_000  # allocation above emissions: due = E = 1 870 000 + 1 805 000
    assert math.isclose(pos.shortfall_t, 3_675_000 - 120_000 - 1_650_000 - 1_720_000, rel_tol=1e-12)


def test_rule_sets_are_data_with_sources():
    assert cm.market.AllocationRules.builtin_ids() == ["cn_industry_2024", "cn_power_2019_2020",
                                                       "cn_power_2021_2022", "cn_power_2023_2024",
                                                       "eu_far_2021_2025"]
    r = cm.market.allocation_rules("cn_power_2023_2024")
    assert r.categories == ["I", "II", "IV"] and r.years == [2023, 2024] and len(r.sha256) == 64
    assert any("not in the reference" in n for n in r.notes)
    assert json.loads(r.to_json())["id"] == "cn_power_2023_2024"


def test_cli_allocate_prints_allocation_and_compliance(cli, tmp_path):
    out = subprocess.run([cli, "allocate", str(SAMPLES / "chp_plant.json"), "--rules", "cn_power_2021_2022",
                          "--year", "2022", "--holdings", str(SAMPLES / "chp_holdings.csv"), "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    assert doc["compliance"]["due_t"] == 3_675_000
    py = cm.market.allocate(SAMPLES / "chp_plant.json", rules="cn_power_2021_2022", year=2022)
    assert doc["allocation"]["total_t"] == py.total_t
    bad = subprocess.run([cli, "allocate", str(SAMPLES / "chp_plant.json"), "--rules", "cn_power_2030"],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "is not built in; expected one of cn_industry_2024" in bad.stderr
