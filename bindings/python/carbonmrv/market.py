"""The carbon market for notebooks. Primary market: one sealed-bid clearing engine with the platform's
rules (EU uniform price, Guangdong, pay-as-bid, fixed-price sale), bids in and fills out as DataFrames.

>>> import carbonmrv as cm
>>> res = cm.market.auction(bids_df, rules="eu", volume=3_000_000, lot=500, seed=2024)
>>> res.to_pandas()        # every bid with its fill, the price it pays, its status and rank
>>> res.clearing_price, res.sold, res.cancelled, res.carry_over
>>> book = cm.market.OrderBook(tick=0.01, previous_close=80.0)    # secondary market, ±10 % band
>>> book.submit(1, "sell", 300, price=81.0); book.submit(2, "buy", 100)   # limit, then market
>>> book.trades_frame(), book.summary()
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import json

from . import _core
from ._extend import extends

if TYPE_CHECKING:  # type checkers see the compiled classes (_core.pyi) with these methods
    from ._core import AuctionResult as _Compiled
    from ._core import OrderBook as _Book
else:
    _Compiled = object
    _Book = object

__all__ = ["AuctionResult", "OrderBook", "auction"]


def auction(bids, rules: str = "eu", volume: int = 0, lot: int = 1, tick: float = 0.01, reserve_price=None,
            min_bid_volume: int = 0, max_bidder_share=None, fixed_price=None, seed: int = 0,
            carry_over_auctions: int = 4, currency: str = "EUR") -> "AuctionResult":
    """Clear one auction (GIL released).

    ``bids``: a DataFrame or a dict of columns ``bidder``, ``price``, ``volume`` and optionally ``time``
    (time priority; default input order). ``rules``: ``"eu"`` (Reg. (EU) 1031/2010 Art. 7: uniform
    price, ties in the order drawn from ``seed``, cancelled below ``volume`` or ``reserve_price`` and
    spread over ``carry_over_auctions``), ``"guangdong"`` (``reserve_price`` is the policy reserve,
    ``min_bid_volume``, ``max_bidder_share``; price then time priority), ``"discriminatory"`` (pay-as-bid)
    or ``"fixed_price"`` (``fixed_price``; pro-rata in lots when oversubscribed).
    """
    cols = {k: list(bids[k]) for k in ("bidder", "price", "volume")}
    n = len(cols["bidder"])
    times = list(bids["time"]) if "time" in bids else list(range(n))
    opts = {"rules": rules, "volume": str(int(volume)), "lot": str(int(lot)), "tick": repr(float(tick)),
            "min_bid_volume": str(int(min_bid_volume)), "seed": str(int(seed)),
            "carry_over_auctions": str(int(carry_over_auctions)), "currency": currency}
    for key, value in (("reserve_price", reserve_price), ("max_bidder_share", max_bidder_share),
                       ("fixed_price", fixed_price)):
        if value is not None:
            opts[key] = repr(float(value))
    return _core._auction(opts, [str(b) for b in cols["bidder"]], [float(p) for p in cols["price"]],
                          [int(v) for v in cols["volume"]], [int(t) for t in times])


@extends(_core.AuctionResult)
class AuctionResult(_Compiled):
    """Python methods of the compiled AuctionResult."""

    def to_dict(self) -> dict:
        """The carbonmrv.auction/1 document as a dict."""
        return json.loads(self.to_json())

    def to_pandas(self):
        """One row per bid, in input order: bidder, price, volume, filled, pays, status, rank, reason."""
        import pandas as pd

        df = pd.DataFrame(self.to_dict()["bids"]).set_index("index")
        df["status"] = df["status"].astype(pd.CategoricalDtype(["filled", "partial", "unfilled", "invalid"]))
        return df

    def __repr__(self):
        if self.cancelled:
            return f"AuctionResult({self.rules}: cancelled — {self.cancel_reason}; carry-over {self.carry_over})"
        price = "pay-as-bid" if self.clearing_price is None else f"at {self.clearing_price:g}"
        return f"AuctionResult({self.rules}: {self.sold} of {self.volume} sold {price}, revenue {self.revenue:g})"


@extends(_core.OrderBook)
class OrderBook(_Book):
    """Python methods of the compiled OrderBook: events in, trades out as DataFrames."""

    def to_dict(self) -> dict:
        """The carbonmrv.order_book/1 document (summary and trades) as a dict."""
        return json.loads(self.to_json())

    def trades_frame(self):
        """One row per trade: sequence, buy_order, sell_order, price, quantity, time, aggressor."""
        import pandas as pd

        return pd.DataFrame(self.to_dict()["trades"],
                            columns=["sequence", "buy_order", "sell_order", "price", "quantity", "time", "aggressor"])

    def summary(self) -> dict:
        """Open, high, low, close (last), VWAP, volume and turnover of the trades so far."""
        d = self.to_dict()
        return {k: d[k] for k in ("open", "high", "low", "close", "vwap", "volume", "turnover")}

    def replay(self, events) -> int:
        """Apply a DataFrame (or dict of columns) of events in order: ``id``, ``side`` ("buy"/"sell"),
        ``quantity``, ``price`` (NaN/None: a market order), optional ``time`` and ``action`` ("new" or
        "cancel"). Returns the number of trades made."""
        import math

        n = len(events["id"])
        made = 0
        for i in range(n):
            action = events["action"][i] if "action" in events else "new"
            oid = int(events["id"][i])
            if action == "cancel":
                self.cancel(oid)
                continue
            price = events["price"][i]
            price = None if price is None or (isinstance(price, float) and math.isnan(price)) else float(price)
            made += self.submit(oid, events["side"][i], int(events["quantity"][i]), price=price,
                                time=int(events["time"][i]) if "time" in events else i)
        return made
