"""The carbon market through Python on the shared fixtures (tests/data/auction_cases.json)."""
import json
import math

import pandas as pd
import pytest

import carbonmrv as cm
from conftest import DATA_DIR, counted

CASES = json.loads((DATA_DIR / "auction_cases.json").read_text(encoding="utf-8"))


def clear(case):
    bids = pd.DataFrame(case["bids"])
    return cm.market.auction(bids, **case["spec"])


@pytest.mark.parametrize("case", counted(CASES, "auction_cases.json", "cases"), ids=lambda c: c["name"])
def test_auction_cases_clear_as_worked_by_hand(case):
    res = clear(case)
    assert res.cancelled is case["cancelled"], case["worked"]
    assert res.sold == case["sold"] and res.sold + res.unsold == res.volume
    assert math.isclose(res.revenue, case["revenue"], rel_tol=1e-12)
    assert res.clearing_price == case["clearing_price"]
    df = res.to_pandas()
    if "fills" in case:
        for bidder, filled in case["fills"].items():
            assert df.loc[df["bidder"] == bidder, "filled"].sum() == filled
    if "tied" in case:
        got = sorted(df.loc[df["bidder"].isin(case["tied"]["bidders"]), "filled"])
        assert got == sorted(case["tied"]["fills"])
    if "by_index" in case:
        assert res.fills == case["by_index"]
        assert list(df.index[df["status"] == "invalid"]) == case["invalid"]
    if "carry_over" in case:
        assert res.carry_over == case["carry_over"]


def test_same_seed_same_order_and_the_seed_is_recorded():
    case = CASES["cases"][0]
    a, b = clear(case), clear(case)
    assert a.to_json() == b.to_json() and a.seed == case["spec"]["seed"]


@pytest.mark.parametrize("case", counted(CASES, "auction_cases.json", "errors"), ids=lambda c: c["name"])
def test_bad_input_names_the_bid(case):
    with pytest.raises(cm.InvalidInputError, match=None) as err:
        cm.market.auction({"bidder": [b["bidder"] for b in case["bids"]], "price": [b["price"] for b in case["bids"]],
                           "volume": [b["volume"] for b in case["bids"]]}, **case["spec"])
    assert str(err.value) == case["message"] or case["message"] in str(err.value)
