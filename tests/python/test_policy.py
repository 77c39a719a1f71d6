"""Policy evaluation through Python on the R did oracle (tests/data/did): the same numbers as the C++
and C suites, from DataFrames; TWFE, Goodman-Bacon and the 2×2; panels from enterprise documents; the
event-study plot; the CLI."""
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import carbonmrv as cm
from conftest import DATA_DIR

MPDTA = pd.read_csv(DATA_DIR / "did" / "mpdta.csv")
SIM = pd.read_csv(DATA_DIR / "did" / "sim_data.csv")
ATTGT = pd.read_csv(DATA_DIR / "did" / "ref_attgt.csv")
AGGTE = pd.read_csv(DATA_DIR / "did" / "ref_aggte.csv")
PRETEST = pd.read_csv(DATA_DIR / "did" / "ref_pretest.csv")
EXTRA = pd.read_csv(DATA_DIR / "did" / "mpdta_extra.csv")
GAPS = pd.read_csv(DATA_DIR / "did" / "ref_gaps.csv")
M = dict(data=MPDTA, yname="lemp", tname="year", idname="countyreal", gname="first.treat")
S = dict(data=SIM, yname="Y", tname="period", idname="id", gname="G")
# The oracle's scenarios (generate_reference.R in tests/data/did/README.md).
SCENARIOS = {
    "mpdta_nev_dr": dict(M, control_group="nevertreated"),
    "mpdta_nyt_dr": dict(M, control_group="notyettreated"),
    "mpdta_nev_ipw": dict(M, est_method="ipw"),
    "mpdta_nev_reg_cov": dict(M, xformla="~lpop", est_method="reg"),
    "sim_nev_dr": dict(S, xformla=["X"], est_method="dr"),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_att_gt_aggte_and_pretest_match_r_did(scenario):
    res = cm.policy.att_gt(**SCENARIOS[scenario])
    got = res.to_pandas().set_index(["group", "time"])
    want = ATTGT[ATTGT.scenario == scenario]
    assert len(want) == len(got) == (9 if scenario.startswith("sim") else 12)
    for row in want.itertuples():
        assert got.loc[(row.group, row.t), "att"] == pytest.approx(row.att, rel=1e-6)
        assert got.loc[(row.group, row.t), "se"] == pytest.approx(row.se, rel=1e-6)
    for row in AGGTE[AGGTE.scenario == scenario].itertuples():
        agg = res.aggte(row.type)
        assert agg.overall_att == pytest.approx(row.overall_att, rel=1e-6)
        assert agg.overall_se == pytest.approx(row.overall_se, rel=1e-6)
        if not pd.isna(row.egt):
            el = agg.to_pandas().set_index("key").loc[int(row.egt)]
            assert el["att"] == pytest.approx(row.att_egt, rel=1e-6)
            assert el["se"] == pytest.approx(row.se_egt, rel=1e-6)
    pre = PRETEST[PRETEST.scenario == scenario].iloc[0]
    assert res.wald == pytest.approx(pre.W, rel=1e-6)
    assert res.wald_p == pytest.approx(pre.Wpval, abs=5e-6)  # R rounds the p-value to 5 decimals


# ref_gaps.csv (generate_gaps_reference.R): est_method = "reg", never-treated comparison.
E = dict(data=EXTRA, yname="lemp", tname="year", idname="countyreal", gname="first.treat", est_method="reg")
GAP_SCENARIOS = {
    "rc": dict(E, panel=False),
    "universal": dict(E, base_period="universal"),
    "anticipation1": dict(E, anticipation=1),
    "clustered": dict(E, clustervars="clust"),
}


@pytest.mark.parametrize("scenario", sorted(GAP_SCENARIOS))
def test_cross_sections_universal_base_anticipation_and_clusters_match_r_did(scenario):
    got = cm.policy.att_gt(**GAP_SCENARIOS[scenario]).to_pandas().set_index(["group", "time"])
    want = GAPS[(GAPS.scenario == scenario) & GAPS.se.notna()]  # R's universal base rows: ATT 0, no SE
    assert len(want) == len(got)
    for row in want.itertuples():
        assert got.loc[(row.group, row.t), "att"] == pytest.approx(row.att, rel=1e-6)
        assert got.loc[(row.group, row.t), "se"] == pytest.approx(row.se, rel=1e-6)


def test_unbalanced_panel_compares_the_observed_means():
    holed = MPDTA.drop(index=MPDTA.index[3::7])  # 357 rows removed: most counties miss a year
    with pytest.raises(cm.InvalidInputError, match="needs a balanced panel"):
        cm.policy.att_gt(**dict(M, data=holed))
    res = cm.policy.att_gt(**dict(M, data=holed), allow_unbalanced_panel=True)
    assert res.units == 500
    cells = res.to_pandas().set_index(["group", "time"])
    # ATT(2006, 2007) against base 2005: the four means of the observed outcomes.
    def mean(g, year):
        return holed[(holed["first.treat"] == g) & (holed.year == year)].lemp.mean()
    want = (mean(2006, 2007) - mean(2006, 2005)) - (mean(0, 2007) - mean(0, 2005))
    assert cells.loc[(2006, 2007), "att"] == pytest.approx(want, rel=1e-12)


def test_att_gt_progress_reports_cells_and_cancels():
    calls = []
    res = cm.policy.att_gt(**M, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (12, 12)
    assert res.to_pandas().equals(cm.policy.att_gt(**M).to_pandas())
    with pytest.raises(cm.CancelledError, match="after 12 of 12 cells"):
        cm.policy.att_gt(**M, progress=lambda done, total: done < total)


def test_cli_did_progress_on_a_terminal_only(cli):
    args = [cli, "did", str(DATA_DIR / "did" / "mpdta.csv"), "--y", "lemp", "--t", "year", "--id", "countyreal",
            "--g", "first.treat"]
    quiet = subprocess.run(args, capture_output=True, text=True)  # a pipe, not a terminal: auto is off
    assert quiet.returncode == 0 and quiet.stderr == ""
    shown = subprocess.run(args + ["--progress", "on"], capture_output=True, text=True)
    assert shown.returncode == 0 and shown.stderr.endswith("ATT(g,t) cells: 12/12\n")
    assert shown.stdout == quiet.stdout


def test_summary_reads_like_r_and_bands_use_the_critical_value():
    res = cm.policy.att_gt(**M)
    text = res.summary()
    assert "Group-Time Average Treatment Effects" in text
    assert "P-value for pre-test of parallel trends assumption:  0.16812" in text
    frame = res.to_pandas()
    assert np.allclose(frame.ci_high - frame.att, 1.959963984540054 * frame.se, rtol=1e-12)


def test_bootstrap_is_seeded_and_recorded():
    a = cm.policy.att_gt(**M, bootstrap_draws=999, seed=42)
    b = cm.policy.att_gt(**M, bootstrap_draws=999, seed=42)
    assert a.to_pandas().se.tolist() == b.to_pandas().se.tolist()
    assert a.uniform_band and a.seed == 42 and a.bootstrap_draws == 999
    assert "Multiplier bootstrap: 999 draws, seed 42" in a.summary()


def test_twfe_bacon_and_2x2():
    fe = cm.policy.twfe(**M)
    dec = cm.policy.bacon(**M)
    assert dec.twfe == pytest.approx(fe.coef[0], rel=1e-10)  # Goodman-Bacon (2021) Theorem 1
    frame = dec.to_pandas()
    assert frame.weight.sum() == pytest.approx(1.0, rel=1e-12)
    assert set(frame.type) == {"Treated vs Untreated", "Earlier vs Later Treated", "Later vs Earlier Treated"}
    two = cm.policy.did_2x2(**M, pre=2003, post=2004)
    want = ATTGT[(ATTGT.scenario == "mpdta_nev_dr") & (ATTGT.group == 2004) & (ATTGT.t == 2004)].att.iloc[0]
    assert two.att == pytest.approx(want, rel=1e-9)
    assert fe.to_pandas().term.tolist() == ["treated"]


def test_bad_input_names_the_column_unit_or_row():
    with pytest.raises(cm.InvalidInputError, match="yname 'lemp2': no such column"):
        cm.policy.att_gt(**dict(M, yname="lemp2"))
    with pytest.raises(cm.InvalidInputError, match='control_group "everyone" is not one of'):
        cm.policy.att_gt(**M, control_group="everyone")
    bad = MPDTA.copy()
    bad.loc[3, "first.treat"] = 2006
    with pytest.raises(cm.InvalidInputError, match="unit 8001 has first-treatment period 2007 in row 0 and 2006"):
        cm.policy.att_gt(**dict(M, data=bad))
    missing = MPDTA.copy()
    missing.loc[2, "lemp"] = np.nan
    with pytest.raises(cm.InvalidInputError, match="unit 8001 has a missing outcome"):
        cm.policy.att_gt(**dict(M, data=missing))
    dropped = cm.policy.att_gt(**dict(M, data=missing), drop_incomplete_units=True)
    assert dropped.units == 499
    gap = MPDTA.copy()
    gap["first.treat"] = gap["first.treat"].astype(float)
    gap.loc[5, "first.treat"] = np.nan
    with pytest.raises(cm.InvalidInputError, match="gname 'first.treat', row 5: nan is not a whole number"):
        cm.policy.att_gt(**dict(M, data=gap))
    with pytest.raises(cm.InvalidInputError, match="covariate size: constant"):
        cm.policy.att_gt(**dict(M, data=MPDTA.assign(size=1.0)), xformla=["size"])


def test_event_study_plot_draws_the_band(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    es = cm.policy.att_gt(**M).aggte("dynamic", min_e=-3, max_e=3)
    ax = es.plot()
    assert ax.get_xlabel() == "event time e = t − g"
    ax.figure.savefig(tmp_path / "event_study.png")
    assert (tmp_path / "event_study.png").stat().st_size > 5000


def test_region_panel_from_enterprise_documents():
    docs = [str(DATA_DIR.parent.parent / "examples" / "data" / f) for f in
            ("cement_plant.json", "steel_plant.json", "chp_plant.json")]
    records = cm.policy.enterprise_records(docs)
    assert len(records) == 3
    assert (records.co2e_t > 0).all()
    panel = cm.policy.region_panel(records, first_treat={records.region.iloc[0]: records.year.iloc[0]})
    # One row per (region, year); the first region's enterprises are treated from their year.
    assert len(panel) == records.groupby(["region", "year"]).ngroups
    row = panel.set_index(["region", "year"]).loc[(records.region.iloc[0], records.year.iloc[0])]
    same = records[(records.region == records.region.iloc[0]) & (records.year == records.year.iloc[0])]
    assert row.co2e_t == pytest.approx(same.co2e_t.sum(), rel=1e-15)
    assert row.audit_share == pytest.approx((same.audits > 0).mean())
    assert row.first_treat == records.year.iloc[0]


def test_cli_did_reproduces_r(cli, tmp_path):
    out = subprocess.run([cli, "did", str(DATA_DIR / "did" / "mpdta.csv"), "--y", "lemp", "--t", "year", "--id",
                          "countyreal", "--g", "first.treat", "--aggregate", "simple,dynamic", "--format", "json"],
                         capture_output=True, text=True, check=True)
    j = json.loads(out.stdout)
    want = AGGTE[(AGGTE.scenario == "mpdta_nev_dr") & (AGGTE.type == "simple")].iloc[0]
    assert j["aggregations"]["simple"]["overall_att"] == pytest.approx(want.overall_att, rel=1e-6)
    assert j["pretest"]["df"] == 5
    bad = subprocess.run([cli, "did", str(DATA_DIR / "did" / "mpdta.csv"), "--y", "lemp", "--t", "year", "--id",
                          "countyreal", "--g", "treated_from"], capture_output=True, text=True)
    assert bad.returncode == 1
    assert 'no column "treated_from" (group)' in bad.stderr


def test_synthetic_region_panel_recovers_its_true_effect():
    # examples/data/region_panel.csv: fictional, written by scripts/make_region_panel.py with a true effect
    # of 0.05 in every treated region-year and noise sd 0.01 per region-year.
    panel = pd.read_csv(DATA_DIR.parent.parent / "examples" / "data" / "region_panel.csv", comment="#")
    res = cm.policy.att_gt(panel, yname="cp_willingness", tname="year", idname="region_id", gname="pilot_start",
                           xformla=["industrialisation"])
    simple = res.aggte("simple")
    assert abs(simple.overall_att - 0.05) < 3 * simple.overall_se
    assert abs(simple.overall_att - 0.05) < 0.01
    # Parallel trends hold by construction: every pre-treatment event time is within 3 SE of 0. (The joint
    # Wald test is not: its covariance of 9 pre-treatment cells rests on 5 + 2 treated regions, and it
    # rejects; docs/policy-evaluation.md.)
    pre = res.aggte("dynamic").to_pandas().query("key < 0")
    assert len(pre) == 5 and (pre.att.abs() < 3 * pre.se).all()
