"""Uncertainty of an inventory by IPCC 2006 Vol. 1 Ch. 3 Approach 1 (first-order propagation).

>>> inv = cm.compute_inventory(cm.Enterprise.from_file("tests/data/enterprises/uncertainty.json"))
>>> inv.uncertainty("category")          # U (%, half-width of the 95 % interval) per category
>>> inv.uncertainty_contributions()      # which inputs dominate the total's variance

Inputs carry ``uncertainty_pct`` in the enterprise document (activity records, stated factors,
measurements) or a (lower, upper) range in a dataset. An input shared by several lines counts once
(fully correlated); distinct inputs are independent. A group with an input of unknown uncertainty is
not assessed: its ``u_pct`` is NaN and ``missing`` lists the inputs that lack one. The two frames
below are what ``Inventory.uncertainty`` and ``Inventory.uncertainty_contributions`` return.
"""
from __future__ import annotations

from . import _core

__all__ = ["UNCERTAINTY_METHOD", "uncertainty_frame", "contributions_frame"]

UNCERTAINTY_METHOD = _core.UNCERTAINTY_METHOD


def uncertainty_frame(inventory, by: str = "total"):
    """One row per group of ``inventory.totals(by)`` (or the total): co2e_t, u_pct, half_width_t, the
    inputs ``missing`` an uncertainty, and the ``largest`` contributor to the variance."""
    import pandas as pd

    rows = [dict(group=r["group"], co2e_t=r["co2e_t"], u_pct=r["u_pct"], half_width_t=r["half_width_t"],
                 missing=r["missing"], largest=r["contributions"][0]["input"] if r["contributions"] else None)
            for r in _core.propagate_uncertainty(inventory, by)]
    df = pd.DataFrame(rows, columns=["group", "co2e_t", "u_pct", "half_width_t", "missing", "largest"])
    df["u_pct"] = df["u_pct"].astype(float)
    df["half_width_t"] = df["half_width_t"].astype(float)
    df = df.set_index("group")
    df.attrs["method"] = UNCERTAINTY_METHOD
    df.attrs["units"] = {"co2e_t": "tCO2e", "u_pct": "% (95 % half-width)", "half_width_t": "tCO2e"}
    return df


def contributions_frame(inventory, by: str = "total"):
    """Long form: one row per (group, input) with the input's U and its share of the group's variance."""
    import pandas as pd

    rows = [dict(group=r["group"], input=c["input"], u_pct=c["u_pct"], share_pct=c["share_pct"])
            for r in _core.propagate_uncertainty(inventory, by) for c in r["contributions"]]
    df = pd.DataFrame(rows, columns=["group", "input", "u_pct", "share_pct"])
    df.attrs["method"] = UNCERTAINTY_METHOD
    return df
