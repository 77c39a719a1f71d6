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


def test_order_book_worked_sequence():
    """The sequence of tests/cpp/test_order_book.cpp, replayed from a DataFrame."""
    events = pd.DataFrame({
        "action": ["new", "new", "new", "new", "new", "new", "cancel", "new"],
        "id": [1, 2, 3, 4, 5, 6, 4, 8],
        "side": ["sell", "sell", "sell", "buy", "buy", "buy", "buy", "sell"],
        "price": [81.00, 80.50, 80.50, 80.00, 80.60, None, None, 79.00],
        "quantity": [300, 200, 100, 500, 250, 400, 0, 100]})
    book = cm.market.OrderBook(previous_close=80.0)
    assert book.replay(events) == 4
    trades = book.trades_frame()
    assert list(trades["sell_order"]) == [2, 3, 3, 1]
    assert list(trades["quantity"]) == [200, 50, 50, 300]
    assert list(trades["price"]) == [80.50, 80.50, 80.50, 81.00]
    assert book.summary() == {"open": 80.5, "high": 81.0, "low": 80.5, "close": 81.0, "vwap": 80.75,
                              "volume": 600, "turnover": 48450.0}
    assert book.best_bid is None and book.best_ask == 79.0
    with pytest.raises(cm.InvalidInputError, match="outside the daily band 72 – 88"):
        book.submit(9, "buy", 100, price=90.0)
    with pytest.raises(cm.InvalidInputError, match='side "hold" is not "buy" or "sell"'):
        book.submit(10, "hold", 100, price=80.0)
