"""The carbon market through Python on the shared fixtures (tests/data/auction_cases.json,
tests/data/order_book_cases.json) and the CLI."""
import io
import json
import math
import subprocess

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


BOOK = json.loads((DATA_DIR / "order_book_cases.json").read_text(encoding="utf-8"))


def book_of(case):
    return cm.market.OrderBook(**dict(case["options"]))


def events_text(case):
    return "\n".join(case["events"]) + "\n"


def check_session(book, case):
    trades = book.trades_frame()
    assert [[r.buy_order, r.sell_order, r.price, r.quantity, r.kind] for r in trades.itertuples()] == case["trades"]
    summary = book.summary()
    for key, want in case["summary"].items():
        assert summary[key] == want, key
    assert book.best_bid == case["best_bid"] and book.best_ask == case["best_ask"]


@pytest.mark.parametrize("case", counted(BOOK, "order_book_cases.json", "cases"), ids=lambda c: c["name"])
def test_order_book_sessions_from_csv(case):
    book = book_of(case)
    counts = book.replay_csv(events_text(case))
    assert counts["late_cancels"] == case["late_cancels"] and counts["trades"] == len(case["trades"])
    check_session(book, case)


@pytest.mark.parametrize("case", counted(BOOK, "order_book_cases.json", "cases"), ids=lambda c: c["name"])
def test_order_book_sessions_from_a_dataframe(case):
    """The same sessions replayed from a DataFrame (the CSV read by pandas)."""
    events = pd.read_csv(io.StringIO(events_text(case)))
    book = book_of(case)
    assert book.replay(events) == len(case["trades"])
    check_session(book, case)


@pytest.mark.parametrize("case", counted(BOOK, "order_book_cases.json", "errors"), ids=lambda c: c["name"])
def test_order_book_refusals_name_the_line(case):
    book = book_of(case)
    with pytest.raises(cm.InvalidInputError) as err:
        book.replay_csv(events_text(case))
    assert str(err.value) == case["message"]


@pytest.mark.parametrize("case", counted(BOOK, "order_book_cases.json", "option_errors"), ids=lambda c: c["message"])
def test_order_book_option_errors(case):
    with pytest.raises(cm.InvalidInputError) as err:
        book_of(case)
    assert str(err.value) == case["message"]


def test_order_book_calls_one_by_one():
    """The worked session's first events by call, a block trade, and errors naming the argument."""
    book = cm.market.OrderBook(previous_close=80.0)
    assert book.submit(1, "sell", 300, price=81.0) == 0
    assert book.submit(2, "buy", 100) == 1  # a market buy takes 100 at 81.00
    book.block(3, price=60.0, quantity=500)  # inside ±30 % of 80 (56.00–104.00)
    assert book.summary()["block_volume"] == 500 and book.summary()["close"] == 81.0
    with pytest.raises(cm.InvalidInputError, match="outside the block band 56 – 104"):
        book.block(4, price=55.0, quantity=500)
    with pytest.raises(cm.InvalidInputError, match='side "hold" is not "buy" or "sell"'):
        book.submit(10, "hold", 100, price=80.0)
    with pytest.raises(cm.InvalidInputError, match="events row 0: event \"bid\" is not one of"):
        book.replay({"id": [11], "event": ["bid"], "side": ["buy"], "price": [80.0], "quantity": [1]})
    with pytest.raises(cm.InvalidInputError, match="takes a number or a name, not a bool"):
        cm.market.OrderBook(tick=True)


def test_cli_order_book_replays_a_session(cli, tmp_path):
    case = next(c for c in BOOK["cases"] if c["name"] == "cn_national_2021_10_29_vwap_close")
    events = tmp_path / "events.csv"
    events.write_text(events_text(case), encoding="utf-8")
    out = subprocess.run([cli, "order-book", str(events), "--market", "cn_national", "--previous-close", "42.65",
                          "--format", "json"], capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    assert doc["close"] == 42.61 and doc["volume"] == 10635 and doc["block_volume"] == 300000
    assert [[t["buy_order"], t["sell_order"], t["price"], t["quantity"], t["kind"]] for t in doc["trades"]] == \
        case["trades"]
    table = subprocess.run([cli, "order-book", str(events), "--market", "cn_national", "--previous-close", "42.65"],
                           capture_output=True, text=True, check=True).stdout
    assert "close 42.61 (vwap)" in table and "block: 2 trades, volume 300000, turnover 12550000.00" in table
    bad = next(c for c in BOOK["errors"] if c["name"] == "block_outside_30pct")
    events.write_text(events_text(bad), encoding="utf-8")
    run = subprocess.run([cli, "order-book", str(events), "--market", "cn_national", "--previous-close", "42.65"],
                         capture_output=True, text=True)
    assert run.returncode == 1 and bad["message"].replace("events.csv", str(events)) in run.stderr
