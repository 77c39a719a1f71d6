"""Python surface of the inventory engine: shared fixtures (parity with C++ and C), an independent
replay of every trace with carbonmrv.Quantity, pandas in and out, errors and threads."""
import json
import pickle
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

import carbonmrv as cm

from conftest import DATA_DIR


@pytest.fixture(scope="module")
def cases():
    return json.loads((DATA_DIR / "inventory_cases.json").read_text(encoding="utf-8"))


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(1.0, abs(b))


def test_fixtures(cases):
    for c in cases["cases"]:
        ent = cm.Enterprise.from_file(DATA_DIR / c["document"])
        o = c["options"]
        inv = cm.compute_inventory(ent, gwp=o["gwp_dataset"], co2_per_carbon=o["co2_per_carbon"],
                                   scope2=o["scope2_method"], preference=o.get("factor_preference", ""))
        got = {(l["source"], l["period"], l["gas"], l["part"], l["scope2_method"]): l for l in inv.lines}
        assert len(got) == len(inv.lines)  # the key names one line
        for want in c["lines"]:
            key = (want["source"], want["period"], want["gas"], want.get("part", ""), want.get("scope2_method"))
            assert close(got[key]["mass_t"], want["mass_t"]), want
            assert got[key]["memo"] == want.get("memo", got[key]["memo"]), want
        if "dual_scope2" in c:
            w = c["dual_scope2"]
            for m in ("location", "market"):
                assert close(inv.total_co2e_by(m), w[f"{m}_based_co2e_t"])
                assert close(inv.scope2_co2e(m), w[f"scope2_{m}_co2e_t"])
                assert inv.to_dict()["totals"][f"{m}_based_co2e_t"] == inv.total_co2e_by(m)
        assert close(inv.total_co2e, c["total_co2e_t"])
        if "scope3_co2e_t" in c:
            assert close(inv.totals("scope")["3"], c["scope3_co2e_t"])
            assert inv.to_dict()["totals"]["scope3_co2e_t"] == inv.totals("scope")["3"]
        for k, v in c["by_category"].items():
            assert close(inv.totals("category")[k], v)
        for wanted in c["notes_contain"]:
            assert any(wanted in n for n in inv.notes), (wanted, inv.notes)


def test_traces_replay_independently():
    """Recompute every line from its JSON trace with Quantity arithmetic (not the engine's replay)."""
    inv = cm.compute_inventory(cm.Enterprise.from_file(DATA_DIR / "enterprises/hand_calc.json"))
    doc = inv.to_dict()
    target = {"co2": "tCO2", "ch4": "tCH4", "n2o": "tN2O", "co2e": "tCO2e", "co2_biogenic": "tCO2"}
    for line in doc["lines"]:
        q = cm.Quantity(1.0, "1")
        for term in line["trace"]["terms"]:
            q = q * cm.Quantity(term["value"], term["unit"])
            assert term["provenance"]
        assert close(q.to(target[line["gas"]]).value, line["mass_t"], 1e-12), line
        assert close(line["mass_t"] * line["gwp"], line["co2e_t"], 1e-15)


def test_conventions_in_output():
    inv = cm.compute_inventory(cm.Enterprise.from_file(DATA_DIR / "enterprises/hand_calc.json"), gwp="ipcc_ar6_gwp100")
    doc = inv.to_dict()
    sha = {d["id"]: d["sha256"] for d in cm.factors.builtin().datasets()}
    assert doc["conventions"]["gwp_dataset"] == "ipcc_ar6_gwp100"
    assert doc["conventions"]["gwp_dataset_sha256"] == sha["ipcc_ar6_gwp100"]
    assert doc["library_version"] == cm.__version__
    ch4 = [l for l in doc["lines"] if l["gas"] == "ch4"]
    assert ch4 and all(l["gwp"] == 27.9 for l in ch4)


def test_to_pandas_and_repr():
    inv = cm.compute_inventory(cm.Enterprise.from_file(DATA_DIR / "enterprises/hand_calc.json"))
    df = inv.to_pandas()
    # The market-based grid line is a memo (dual scope 2 reporting): outside the total.
    assert len(df) == 10 and df.loc[~df["memo"], "co2e_t"].sum() == pytest.approx(inv.total_co2e, rel=1e-15)
    assert df.loc[df["memo"], "scope2_method"].tolist() == ["market"]
    assert str(df["category"].dtype) == "category"
    terms = inv.to_pandas(trace=True)
    assert set(terms.columns) == {"source", "period", "gas", "part", "term", "value", "unit", "provenance"}
    assert repr(inv).startswith("Inventory('Hand-calculation test works' 2023: 2,214.754 tCO2e, 10 lines;")
    assert "<table>" in inv._repr_html_()


def _frame_from_line_dicts(inv, trace):
    """What a user would write from ``inv.lines`` (to_pandas did this until columns were made in C++)."""
    if trace:
        return pd.DataFrame([dict(source=l["source"], period=l["period"], gas=l["gas"], part=l["part"],
                                  term=t["name"], value=t["value"], unit=t["unit"], provenance=t["provenance"])
                             for l in inv.lines for t in l["terms"]])
    columns = ["source", "period", "kind", "gas", "species", "part", "category", "scope", "iso_category", "memo",
               "scope2_method", "scope3_category", "mass_t", "gwp", "co2e_t", "u_pct", "equation"]
    df = pd.DataFrame([{k: l[k] for k in columns} for l in inv.lines], columns=columns)
    for col in ("kind", "gas", "category"):
        df[col] = df[col].astype("category")
    return df


def test_to_pandas_columns_equal_the_line_dicts():
    # Every fixture, both frames, both scope 2 methods and unstated uncertainties exact (u_pct then
    # numbers where it was None): the same values and dtypes as the frame built from the line dicts.
    compared = 0
    for path in sorted((DATA_DIR / "enterprises").glob("*.json")):
        if path.name == "scope_lines.json":  # needs a factor preference; the cases cover it
            continue
        ent = cm.Enterprise.from_file(path)
        for options in ({}, {"scope2": "market"}, {"uncertainty_unstated": "exact"}):
            inv = cm.compute_inventory(ent, **options)
            for trace in (False, True):
                pd.testing.assert_frame_equal(inv.to_pandas(trace=trace), _frame_from_line_dicts(inv, trace),
                                              check_exact=True)
                compared += 1
    assert compared == 16 * 3 * 2


def test_from_pandas_builds_and_validates():
    activity = pd.DataFrame({"source": ["gas", "gas", "grid"], "period": ["2023-01", "2023-02", "2023"],
                             "value": [5.0, 4.0, 120.0], "unit": ["万Nm3", "万Nm3", "MWh"]})
    sources = {"gas": {"kind": "fuel_combustion", "carrier": "天然气", "method": "energy_ef",
                       "factors": {"ncv": {"value": 389.31, "unit": "GJ/10^4 Nm3", "source": "supplier"},
                                   "ef_co2": {"value": 56.1, "unit": "tCO2/TJ", "source": "supplier"}}},
               "grid": {"kind": "purchased_electricity"}}
    ent = cm.enterprise_from_pandas(activity, "Pandas works", 2023, region="CN-44", sources=sources)
    # Inventory.from_pandas gives the inventory of that enterprise (it used to return the enterprise).
    inv = cm.Inventory.from_pandas(activity, "Pandas works", 2023, region="CN-44", sources=sources, gwp="AR6")
    assert isinstance(inv, cm.Inventory) and inv.gwp_dataset == "ipcc_ar6_gwp100"
    assert inv.total_co2e == cm.compute_inventory(ent, gwp="AR6").total_co2e
    inv = cm.compute_inventory(ent)
    # 9 × 10^4 Nm3 × 389.31 GJ = 3503.79 GJ × 56.1 t/TJ = 196.562619 t; 120 MWh × 0.5306 = 63.672 t (CN 2023).
    assert inv.total_co2e == pytest.approx(196.562619 + 63.672, rel=1e-12)
    bad = activity.assign(unit=["万Nm3", "tonn", "MWh"])
    with pytest.raises(cm.InvalidInputError, match=r"sources\[0\]\.activity\[1\]\.unit: unknown unit \"tonn\""):
        cm.enterprise_from_pandas(bad, "x", 2023, sources=sources)
    with pytest.raises(ValueError, match="missing column"):
        cm.enterprise_from_pandas(activity.drop(columns="unit"), "x", 2023)


def test_one_options_layer_and_totals_keys():
    ent = cm.Enterprise.from_file(DATA_DIR / "enterprises/hand_calc.json")
    # "AR6" works in compute_inventory as in verify and the CLI (one core options layer).
    assert cm.compute_inventory(ent, gwp="AR6").gwp_dataset == "ipcc_ar6_gwp100"
    inv = cm.compute_inventory(ent)
    # An unknown totals key raises and lists the valid ones; it used to return the grand total.
    with pytest.raises(cm.InvalidInputError, match='key "categroy" is not one of total, category, scope'):
        inv.totals("categroy")
    assert inv.totals("total") == {"total": inv.total_co2e}
    with pytest.raises(cm.InvalidInputError, match='scope2_method "grid" is not one of location, market'):
        cm.compute_inventory(ent, scope2="grid")


def test_errors():
    text = (DATA_DIR / "enterprises/hand_calc.json").read_text(encoding="utf-8")
    with pytest.raises(cm.InvalidInputError) as info:
        cm.Enterprise.from_json(text.replace('"unit": "t"}', '"unit": "tonn"}'))
    assert info.value.detail == "invalid_document"
    # the only '"unit": "t"}' in the fixture is the limestone record, sources[2]
    assert 'sources[2].activity[0].unit: unknown unit "tonn"; did you mean "t"?' in str(info.value)
    start = text.index('"oxidation"')
    broken = text[:start] + text[text.index("},", start) + 2:]
    with pytest.raises(cm.MissingParameterError, match=r"sources\[0\] \(coal\), period 2023-01: no value for oxidation"):
        cm.compute_inventory(cm.Enterprise.from_json(broken))
    with pytest.raises(cm.InvalidInputError, match="co2_per_carbon"):
        cm.compute_inventory(cm.Enterprise.from_json(text), co2_per_carbon="3.67")


def test_pickle_and_threads():
    ent = cm.Enterprise.from_file(DATA_DIR / "enterprises/hand_calc.json")
    again = pickle.loads(pickle.dumps(ent))
    assert again.to_json() == ent.to_json()
    cat = cm.factors.builtin()
    with ThreadPoolExecutor(max_workers=4) as pool:
        totals = list(pool.map(lambda _: cm.compute_inventory(ent, catalogue=cat).total_co2e, range(16)))
    assert len(set(totals)) == 1  # bit-identical from every thread


def test_sources_on_several_threads_give_the_same_inventory():
    # 3 000 sources × 12 months (36 000 records, over the 2^14 per thread from which the sources are cut
    # into parts): 1 and 3 threads give the same total, the same CO2e of every source and period, bit for
    # bit, and the same notes. (tests/cpp/test_inventory.cpp compares whole documents, cut finer.)
    fuels = ["bituminous_coal", "anthracite", "diesel"]
    doc = {"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "threads", "region": "CN", "year": 2023},
           "sources": [{"id": f"s{i}", "kind": "fuel_combustion", "carrier": fuels[i % 3], "method": "energy_ef",
                        "activity": [{"period": f"2023-{m:02d}", "value": 1 + (i * 12 + m) % 97, "unit": "t"}
                                     for m in range(1, 13)]}
                       for i in range(3000)]}
    ent = cm.Enterprise.from_json(json.dumps(doc))
    one, three = cm.compute_inventory(ent, threads=1), cm.compute_inventory(ent, threads=3)
    assert one.total_co2e == three.total_co2e
    assert len(one.notes) == 6000 and three.notes == one.notes  # CH4 and N2O not estimated, per source
    lines = [one.to_pandas(), three.to_pandas()]
    assert len(lines[0]) == 36_000
    pd.testing.assert_frame_equal(lines[0], lines[1], check_exact=True)
    with pytest.raises(cm.InvalidInputError, match=r'threads "-1" is not a whole number from 0 to 1024'):
        cm.compute_inventory(ent, threads=-1)


def test_steam_and_hot_water_metered_as_mass():
    doc = json.loads((DATA_DIR / "enterprises" / "heat_media.json").read_text(encoding="utf-8"))
    inv = cm.compute_inventory(cm.Enterprise.from_json(json.dumps(doc)))
    df = inv.to_pandas(trace=True)
    jan = df[(df.source == "steam-in") & (df.period == "2023-01")].set_index("term")
    # 2800 − 83.74 kJ/kg, with both sides of the difference in the provenance.
    assert jan.loc["h − h_ref", "value"] == 2800 - 83.74
    assert "minus h_ref 83.74 kJ/kg" in jan.loc["h − h_ref", "provenance"]
    lines = {(l["source"], l["period"]): l for l in inv.lines}
    assert close(lines[("hot-water-in", "2023")]["mass_t"], 5e6 * 4.1868 * 75 / 1e6 * 0.11, 1e-13)
    # No reference state, no number: the error names the source and the period.
    del doc["sources"][1]["factors"]["reference_temperature"]
    with pytest.raises(cm.MissingParameterError,
                       match=r"sources\[1\] \(hot-water-in\), period 2023: hot water by temperature needs "
                             r"reference_temperature"):
        cm.compute_inventory(cm.Enterprise.from_json(json.dumps(doc)))
    with pytest.raises(cm.UnitError, match="not a temperature difference"):
        cm.convert(20, "degC", "K")


def test_uncertainty_fixture_and_correlated_inputs(cases):
    case = next(c for c in cases["cases"] if "uncertainty" in c)
    want = case["uncertainty"]
    inv = cm.compute_inventory(cm.Enterprise.from_file(DATA_DIR / case["document"]))
    total = inv.uncertainty()
    assert close(total.loc["total", "co2e_t"], inv.total_co2e, 0)
    assert close(total.loc["total", "u_pct"], want["total_u_pct"], 1e-12)
    assert close(total.loc["total", "half_width_t"], want["total_half_width_t"], 1e-12)
    assert total.loc["total", "largest"] == want["largest_contribution"]
    by = inv.uncertainty("category")
    for k, v in want["by_category"].items():
        assert close(by.loc[k, "u_pct"], v, 1e-12)
    shares = inv.uncertainty_contributions()
    assert close(shares.share_pct.sum(), 100.0, 1e-12)
    lines = {(l["source"], l["period"]): l for l in inv.lines}
    assert close(lines[("coal", "2023-01")]["u_pct"], 15 ** 0.5, 1e-12)  # √(1² + 2² + 3² + 1²)
    assert inv.to_pandas()["u_pct"].notna().all()
    # The two coal months share NCV, CC and OF: propagating them as independent lines (IPCC Eq. 3.2
    # applied to line uncertainties) would understate fuel combustion (2.83 % instead of 3.84 %).
    fc = [l for l in inv.lines if l["category"] == "fuel_combustion"]
    naive = sum((l["co2e_t"] * l["u_pct"] / 100) ** 2 for l in fc) ** 0.5 / sum(l["co2e_t"] for l in fc) * 100
    assert close(naive, 2.8284271247461903, 1e-12)
    assert by.loc["fuel_combustion", "u_pct"] > naive
    # One input without an uncertainty: not assessed, and named.
    doc = json.loads((DATA_DIR / case["document"]).read_text(encoding="utf-8"))
    del doc["sources"][1]["factors"]["grid_ef"]["uncertainty_pct"]
    inv2 = cm.compute_inventory(cm.Enterprise.from_json(json.dumps(doc)))
    t2 = inv2.uncertainty()
    assert t2.loc["total", "missing"] == ["sources[1] (grid).factors.grid_ef"]
    assert t2["u_pct"].isna().all()
    assert inv2.uncertainty("category").loc["fuel_combustion", "u_pct"] == by.loc["fuel_combustion", "u_pct"]
    assert inv2.to_dict()["uncertainty"]["total"]["u_pct"] is None


def test_stated_co2_per_carbon_and_exact_uncertainty():
    ent = cm.Enterprise.from_file(DATA_DIR / "enterprises/hand_calc.json")
    base = cm.compute_inventory(ent)
    stated = cm.compute_inventory(ent, co2_per_carbon=3.67, co2_per_carbon_source="a provincial guideline, §4.2")
    # Only the coal CO2 lines (285 + 199.5 tC) change: 484.5 tC × (3.67 − 44/12).
    assert close(stated.total_co2e - base.total_co2e, 484.5 * (3.67 - 44 / 12))
    assert stated.co2_per_carbon == "3.67 (stated: a provincial guideline, §4.2)"
    with pytest.raises(cm.InvalidInputError, match="needs co2_per_carbon_source"):
        cm.compute_inventory(ent, co2_per_carbon=3.67)
    with pytest.raises(cm.InvalidInputError, match="more than 1 % from the molar-mass ratio"):
        cm.compute_inventory(ent, co2_per_carbon=3.0, co2_per_carbon_source="x")
    exact = cm.compute_inventory(ent, uncertainty_unstated="exact").to_dict()["uncertainty"]["total"]
    assert exact["u_pct"] == 0 and len(exact["assumed_exact"]) == 14 and exact["missing"] == []
    assert cm.compute_inventory(ent).to_dict()["uncertainty"]["total"]["u_pct"] is None


def test_trace_shows_intermediate_energy():
    inv = cm.compute_inventory(cm.Enterprise.from_file(DATA_DIR / "enterprises/hand_calc.json"))
    first = inv.to_dict()["lines"][0]["trace"]["conversion"]
    # 600 t × 20 GJ/t = 12 000 GJ; × 25 tC/TJ = 300 tC (tests/data/inventory_cases.json).
    assert first.startswith("AD × NCV = 12000 GJ; AD × NCV × CC = 300 tC; ")


def test_from_json_in_runs_on_threads_is_the_one_thread_enterprise():
    # 16 000 sources x 12 months (~11 MB): from 4 MiB of text per thread the sources are read in runs,
    # one per thread. The enterprise is the same for any number of threads, and so is a problem's report.
    sources = [{"id": f"s{s}", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef",
                "activity": [{"period": f"2023-{m:02d}", "value": 80 + (s + m) % 40, "unit": "t"}
                             for m in range(1, 13)]} for s in range(16_000)]
    doc = {"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "b", "region": "CN-44", "year": 2023},
           "sources": sources}
    text = json.dumps(doc)
    assert len(text) > 2 * 4 * 2**20
    one = cm.Enterprise.from_json(text, threads=1).to_json()
    for threads in (0, 2, 3):
        assert cm.Enterprise.from_json(text, threads=threads).to_json() == one
    sources[15_000]["id"] = "s3"  # a repeated id, read in another run than the first
    bad = json.dumps(doc)
    with pytest.raises(cm.InvalidInputError) as one_thread:
        cm.Enterprise.from_json(bad, threads=1)
    with pytest.raises(cm.InvalidInputError) as two_threads:
        cm.Enterprise.from_json(bad, threads=2)
    assert str(two_threads.value) == str(one_thread.value)
    assert 'sources[15000].id: duplicate source id "s3"' in str(one_thread.value)
