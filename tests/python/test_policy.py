"""Callaway & Sant'Anna through Python on the mpdta oracle (tests/data/did): the same numbers as the
C++ suite and R did, from a DataFrame."""
import pandas as pd
import pytest

import carbonmrv as cm
from conftest import DATA_DIR

MPDTA = pd.read_csv(DATA_DIR / "did" / "mpdta.csv")
ATTGT = pd.read_csv(DATA_DIR / "did" / "ref_attgt.csv")
AGGTE = pd.read_csv(DATA_DIR / "did" / "ref_aggte.csv")
CONTROL = {"mpdta_nev_dr": "nevertreated", "mpdta_nyt_dr": "notyettreated"}


@pytest.mark.parametrize("scenario", sorted(CONTROL))
def test_att_gt_and_aggte_match_r_did(scenario):
    res = cm.policy.att_gt(MPDTA, yname="lemp", tname="year", idname="countyreal", gname="first.treat",
                           control_group=CONTROL[scenario])
    got = res.to_pandas().set_index(["group", "time"])
    want = ATTGT[ATTGT.scenario == scenario]
    assert len(want) == 12
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


def test_bad_input_names_the_column_or_unit():
    with pytest.raises(cm.InvalidInputError, match="lemp2: no such column"):
        cm.policy.att_gt(MPDTA, yname="lemp2", tname="year", idname="countyreal", gname="first.treat")
    with pytest.raises(cm.InvalidInputError, match='control_group "everyone" is not one of'):
        cm.policy.att_gt(MPDTA, yname="lemp", tname="year", idname="countyreal", gname="first.treat",
                         control_group="everyone")
    bad = MPDTA.copy()
    bad.loc[3, "first.treat"] = 2006
    with pytest.raises(cm.InvalidInputError, match="unit 8001 has first-treatment period 2007 in row 0 and 2006"):
        cm.policy.att_gt(bad, yname="lemp", tname="year", idname="countyreal", gname="first.treat")
