"""The carbon market for notebooks. Allocation and compliance under a plan's rules (China power
2019–2024, China industry 2024, EU product benchmarks, or a rule-set file of your own); the primary
market: one sealed-bid clearing engine with the platform's rules (EU uniform price, Guangdong, pay-as-bid,
fixed-price sale); the secondary market's order book. DataFrames in and out.

>>> import carbonmrv as cm
>>> alloc = cm.market.allocate("examples/data/chp_plant.json", rules="cn_power_2021_2022", year=2022)
>>> alloc.to_pandas(); alloc.trace_frame()      # per facility; every benchmark and correction with its source
>>> pos = cm.market.compliance(alloc, holdings=holdings_df)   # kind, vintage, quantity
>>> pos.due_t, pos.shortfall_t, pos.to_pandas()                # the surrender plan by kind and vintage
>>> res = cm.market.auction(bids_df, rules="eu", volume=3_000_000, lot=500, seed=2024)
>>> res.to_pandas()        # every bid with its fill, the price it pays, its status and rank
>>> res.clearing_price, res.sold, res.cancelled, res.carry_over
>>> book = cm.market.OrderBook(market="cn_national", previous_close=80.0)  # ±10 % listed, ±30 % block
>>> book.submit(1, "sell", 300, price=81.0); book.submit(2, "buy", 100)   # limit, then market
>>> book.block(3, price=75.0, quantity=100_000)                           # a block trade outside the book
>>> book.replay(events_df); book.trades_frame(), book.summary()           # close = listed VWAP there
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import json
import math
import os

from . import _core
from ._extend import extends
from .enterprise import as_enterprise

if TYPE_CHECKING:  # type checkers see the compiled classes (_core.pyi) with these methods
    from ._core import AllocationResult as _Allocation
    from ._core import AuctionResult as _Compiled
    from ._core import ComplianceResult as _Compliance
    from ._core import OrderBook as _Book
else:
    _Allocation = object
    _Compiled = object
    _Compliance = object
    _Book = object

__all__ = ["AllocationResult", "AllocationRules", "AuctionResult", "ComplianceResult", "OrderBook", "allocate",
           "allocation_rules", "auction", "compliance"]

AllocationRules = _core.AllocationRules


def allocation_rules(rules) -> "AllocationRules":
    """A rule set: an ``AllocationRules``, a built-in id (``AllocationRules.builtin_ids()``), or a
    carbonmrv.allocation_rules/1 document as a path, JSON text or dict."""
    if isinstance(rules, _core.AllocationRules):
        return rules
    if isinstance(rules, dict):
        return _core.AllocationRules.from_json(json.dumps(rules, ensure_ascii=False))
    if isinstance(rules, (str, os.PathLike)) and os.path.exists(rules):
        with open(rules, encoding="utf-8") as f:
            return _core.AllocationRules.from_json(f.read())
    text = str(rules)
    if text.lstrip().startswith("{"):
        return _core.AllocationRules.from_json(text)
    return _core.AllocationRules.builtin(text)


def allocate(enterprise, rules="cn_power_2019_2020", year: int = 0, catalogue=None, gwp: str = "ipcc_ar5_gwp100",
             co2_per_carbon: str = "44/12", scope2: str = "location", preference=None) -> "AllocationResult":
    """Free allocation to every facility of ``enterprise`` (an ``Enterprise``, path, JSON or dict) that has
    allocation data, under ``rules`` (see ``allocation_rules``), for ``year`` (0: the reporting year,
    whose verified emissions come from the inventory computed with these conventions; other years use
    the emissions the document states). GIL released."""
    opts = {"gwp_dataset": gwp, "co2_per_carbon": str(co2_per_carbon), "scope2_method": scope2}
    if preference:
        opts["factor_preference"] = preference if isinstance(preference, str) else ",".join(preference)
    return _core._allocate(as_enterprise(enterprise), catalogue, allocation_rules(rules), int(year), opts)


def compliance(allocation, rules=None, holdings=None, net_sold=None) -> "ComplianceResult":
    """The compliance position of an allocation's enterprise and year: allowances due under the period's
    rules (``rules``: the allocation's own by default), and what the ``holdings`` (a DataFrame or dict of
    columns ``kind`` — "allowance" or "ccer" —, ``vintage`` and ``quantity`` in tCO2e) may surrender.
    ``net_sold``: net allowances sold over the period a carry-over cap counts."""
    rules = allocation_rules(rules if rules is not None else allocation.rules_id)
    kinds, vintages, quantities = [], [], []
    if holdings is not None:
        kinds = [str(k) for k in holdings["kind"]]
        vintages = [int(v) for v in holdings["vintage"]]
        quantities = [float(q) for q in holdings["quantity"]]
    sold = None if net_sold is None or (isinstance(net_sold, float) and math.isnan(net_sold)) else float(net_sold)
    return _core._assess_compliance(allocation, rules, kinds, vintages, quantities, sold)


@extends(_core.AllocationResult)
class AllocationResult(_Allocation):
    """Python methods of the compiled AllocationResult."""

    def to_dict(self) -> dict:
        """The carbonmrv.allocation/1 document as a dict."""
        return json.loads(self.to_json())

    def to_pandas(self):
        """One row per facility: category, fuel, electricity/heat/product parts, allocation, pre-allocation,
        true-up and verified emissions (t)."""
        import pandas as pd

        rows = [{k: v for k, v in f.items() if k != "trace"} for f in self.to_dict()["facilities"]]
        return pd.DataFrame(rows).set_index("facility")

    def trace_frame(self):
        """Every step of every facility's allocation: step, value, unit, input, source and confidence."""
        import pandas as pd

        rows = [{"facility": f["facility"], "step": s["step"], "value": s["value"], "unit": s["unit"],
                 "input": s["input"], "source": s["from"]["source"], "confidence": s["from"]["confidence"]}
                for f in self.to_dict()["facilities"] for s in f["trace"]]
        return pd.DataFrame(rows, columns=["facility", "step", "value", "unit", "input", "source", "confidence"])

    def __repr__(self):
        return f"AllocationResult({self.rules_id} {self.year}: {self.total_t:,.1f} t to {self.enterprise!r})"


@extends(_core.ComplianceResult)
class ComplianceResult(_Compliance):
    """Python methods of the compiled ComplianceResult."""

    def to_dict(self) -> dict:
        """The carbonmrv.compliance/1 document as a dict."""
        return json.loads(self.to_json())

    def to_pandas(self):
        """The surrender plan: one row per holding (kind, vintage, held, eligible, surrendered, reason)."""
        import pandas as pd

        return pd.DataFrame(self.to_dict()["surrender"],
                            columns=["kind", "vintage", "held_t", "eligible_t", "surrendered_t", "reason"])

    def facilities_frame(self):
        """One row per facility: fuel, verified emissions, allocation, allowances due, exempt."""
        import pandas as pd

        return pd.DataFrame(self.to_dict()["facilities"]).set_index("facility")

    def __repr__(self):
        state = f"shortfall {self.shortfall_t:,.1f} t" if self.shortfall_t > 0 else f"surplus {self.surplus_t:,.1f} t"
        return f"ComplianceResult({self.rules_id} {self.year}: due {self.due_t:,.1f} t, {state})"


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
        """One row per trade: sequence, buy_order, sell_order, price, quantity, time, aggressor, kind
        ("listed" or "block"; a block trade has no aggressor)."""
        import pandas as pd

        return pd.DataFrame(self.to_dict()["trades"],
                            columns=["sequence", "buy_order", "sell_order", "price", "quantity", "time", "aggressor",
                                     "kind"])

    def summary(self) -> dict:
        """Listed open, high, low, close (by the book's close rule), VWAP, volume, turnover and trade count;
        block volume, turnover and trade count."""
        d = self.to_dict()
        return {k: d[k] for k in ("open", "high", "low", "close", "vwap", "volume", "turnover", "trade_count",
                                  "block_volume", "block_turnover", "block_trades")}

    def replay(self, events) -> int:
        """Apply a DataFrame (or dict of columns) of events in order, in the compiled engine: ``id``,
        ``event`` (limit | market | cancel | block; without the column, a row with a price is a limit order
        and one without a market order), ``side`` ("buy"/"sell"), ``price``, ``quantity`` and optional
        ``time`` (default: the row index). The first refused event raises, naming its row; the events
        before it stay applied. Returns the number of trades made."""
        n = len(events["id"])

        def column(name, default):
            return list(events[name]) if name in events else [default] * n

        def missing(p):
            return p is None or (isinstance(p, float) and math.isnan(p))

        prices = column("price", None)
        kinds = column("event", None)
        kinds = [("market" if missing(p) else "limit") if k is None else str(k) for k, p in zip(kinds, prices)]
        quantities = [0 if missing(q) else int(q) for q in column("quantity", 0)]
        sides = ["" if missing(s) else str(s) for s in column("side", "")]
        return self._replay([int(i) for i in events["id"]], kinds, sides,
                            [0.0 if missing(p) else float(p) for p in prices], quantities,
                            [int(t) for t in column("time", None)] if "time" in events else list(range(n)))
