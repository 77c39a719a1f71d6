"""Cross-verification through Python: clean documents raise nothing, each injected fault raises
exactly its expected findings, and the reconciliation's parts add up (tests/data/verification_cases.json)."""
import json

import pytest

import carbonmrv as cm
from conftest import DATA_DIR, counted, patched

CASES = json.loads((DATA_DIR / "verification_cases.json").read_text(encoding="utf-8"))


def reported_inventory(case, text, key="reported"):
    spec = case.get(key)
    if spec is None:
        return None
    source = patched({"document": case["document"], "patch": spec["patch"]}) if "patch" in spec else text
    inv = cm.compute_inventory(cm.Enterprise.from_json(source), gwp=spec.get("gwp", "ipcc_ar5_gwp100"),
                               co2_per_carbon=spec.get("co2_per_carbon", "44/12"))
    return inv.to_json()


def found(report):
    return sorted({(f["check"], f["subject"]) for f in report.findings})


@pytest.mark.parametrize("doc", CASES["clean"])
def test_clean_documents_raise_nothing(doc):
    rep = cm.verify(cm.Enterprise.from_file(DATA_DIR / doc))
    assert rep.findings == [], rep.to_pandas()[["check", "subject", "message"]]
    assert rep.status == "clean" and not rep.has_errors
    assert {"X01", "X03", "X04", "X05", "X06", "X07", "X10", "X14", "X18", "X19"} <= set(rep.checks_run)


@pytest.mark.parametrize("case", counted(CASES, "verification_cases.json", "faults"), ids=lambda c: c["name"])
def test_each_fault_raises_exactly_its_findings(case):
    text = patched(case)
    rep = cm.verify(cm.Enterprise.from_json(text), reported=reported_inventory(case, text),
                    previous=reported_inventory(case, text, "previous"))
    assert found(rep) == sorted({(e[0], e[1]) for e in case["expect"]}), rep.to_pandas()[["check", "subject", "message"]]
    for e in case["expect"]:
        if len(e) > 2:
            assert any(f["check"] == e[0] and f["period"] == e[2] for f in rep.findings)
    for f in rep.findings:  # every finding is complete
        assert f["source"] and f["message"] and f["message_zh"] and f["severity"] in ("warning", "error")


@pytest.mark.parametrize("case", counted(CASES, "verification_cases.json", "reconciliation"), ids=lambda c: c["name"])
def test_reconciliation_attributes_the_difference(case):
    text = patched(case)
    rep = cm.verify(cm.Enterprise.from_json(text), reported=reported_inventory(case, text))
    rec = rep.to_dict()["reconciliation"]
    diff = rec["reported_total"] - rec["recomputed_total"]
    assert abs(sum(rec["by_part"].values()) - diff) <= 1e-9 * max(1.0, abs(diff))
    for part, value in case["parts"].items():
        assert abs(rec["by_part"][part] - value) <= 1e-9 * max(1.0, abs(value)), (part, rec["by_part"])
        assert abs(diff - value) <= 1e-9 * max(1.0, abs(value))  # the whole difference is that part
    frame = rep.reconciliation_frame()
    assert abs(frame["reported_t"].sum() - frame["recomputed_t"].sum() - diff) <= 1e-9 * max(1.0, abs(diff))


def test_options_checks_and_tolerances():
    case = next(c for c in CASES["faults"] if c["name"] == "stock change with the wrong sign")
    ent = cm.Enterprise.from_json(patched(case))
    only = cm.verify(ent, checks=["X01"])
    assert only.checks_run == ["X01"] and found(only) == [("X01", "bituminous_coal")]
    assert only.findings[0]["severity"] == "warning"
    strict = cm.verify(ent, checks=["X01"], tolerances={"X01": (0.5, 2.0)})
    assert strict.findings[0]["severity"] == "error" and strict.has_errors
    loose = cm.verify(ent, checks=["X01"], tolerances={"X01": (5, 10)})
    assert loose.findings == []
    with pytest.raises(cm.InvalidInputError, match='unknown check "X99"'):
        cm.verify(ent, checks=["X99"])
    with pytest.raises(cm.InvalidInputError, match="tolerance of X01: expected finite 0 ≤ warning ≤ error, got 3 and 1"):
        cm.verify(ent, tolerances={"X01": (3, 1)})
    cat = cm.check_catalogue()
    assert list(cat["id"]) == sorted(cat["id"]) and cat["source"].str.len().min() > 0


def test_reported_inventory_errors_name_the_path():
    ent = cm.Enterprise.from_file(DATA_DIR / "enterprises/verify_base.json")
    with pytest.raises(cm.InvalidInputError, match=r"lines\[0\]\.gwp: expected a finite number"):
        cm.verify(ent, reported={"schema": "carbonmrv.inventory/1", "enterprise": {}, "conventions": {
            "gwp_dataset": "ipcc_ar5_gwp100", "co2_per_carbon": "44/12"},
            "lines": [{"source": "coal", "period": "2023", "gas": "co2", "mass_t": 1, "co2e_t": 1}]})


def test_detection_table_in_docs_matches_the_fixtures():
    doc = (DATA_DIR.parents[1] / "docs" / "verification.md").read_text(encoding="utf-8")
    table = {}
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0] in {c["name"] for c in CASES["faults"]}:
            table[cells[0]] = sorted(x.strip() for x in cells[1].split(","))
    assert set(table) == {c["name"] for c in CASES["faults"]}
    for c in CASES["faults"]:
        assert table[c["name"]] == sorted({f"{e[0]} {e[1]}" for e in c["expect"]}), c["name"]


def test_monthly_balances_need_a_named_period():
    doc = json.loads((DATA_DIR / "enterprises/verify_base.json").read_text(encoding="utf-8"))
    jan = doc["energy_balances"][0]
    jan["period"] = "2023-01"
    feb = json.loads(json.dumps(jan))
    feb["period"] = "2023-02"
    doc["energy_balances"].append(feb)
    ent = cm.Enterprise.from_json(json.dumps(doc))
    rep = cm.verify(ent)
    assert any(s.startswith("X01: no annual energy balance; name a period") for s in rep.checks_skipped)
    named = cm.verify(ent, period="2023-01", checks=["X06"])
    assert named.checks_run == ["X06"] and named.findings == []
