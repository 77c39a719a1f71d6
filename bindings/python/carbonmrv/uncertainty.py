"""Uncertainty of an inventory: IPCC 2006 Vol. 1 Ch. 3 Approach 1 (first-order propagation) and
Approach 2 (Monte Carlo), and key category analysis (Vol. 1 Ch. 4 Approach 1).

>>> inv = cm.compute_inventory(cm.Enterprise.from_file("tests/data/enterprises/uncertainty.json"))
>>> inv.uncertainty("category")          # U (%, half-width of the 95 % interval) per category
>>> inv.uncertainty_contributions()      # which inputs dominate the total's variance
>>> mc = inv.monte_carlo(by="source", draws=100_000, seed=1)   # Approach 2 on the same inputs
>>> mc.summary; mc.contributions; mc.plot()
>>> inv.key_categories("source")          # level assessment; base=... for the trend

Inputs carry ``uncertainty_pct`` in the enterprise document (activity records, stated factors,
measurements) or a (lower, upper) range in a dataset. An input shared by several lines counts once
(fully correlated); distinct inputs are independent. A group with an input of unknown uncertainty is
not assessed: its ``u_pct`` is NaN and ``missing`` lists the inputs that lack one. The two frames
below are what ``Inventory.uncertainty`` and ``Inventory.uncertainty_contributions`` return.
"""
from __future__ import annotations

from . import _core

__all__ = ["UNCERTAINTY_METHOD", "MONTE_CARLO_METHOD", "uncertainty_frame", "contributions_frame", "MonteCarlo",
           "monte_carlo", "key_categories"]

UNCERTAINTY_METHOD = _core.UNCERTAINTY_METHOD
MONTE_CARLO_METHOD = _core.MONTE_CARLO_METHOD


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


class MonteCarlo:
    """An Approach 2 result: ``summary`` (one row per group: the inventory's value, mean, median, the
    2.5 / 97.5 percentiles, their distance from the mean in %, the standard deviation), ``contributions``
    (long form: each input's share of each group's variance), ``inputs`` (each input's distribution and
    95 % interval), ``draws(group)`` when kept, and ``plot``. ``seed``, ``draws_count``, ``generator`` and
    ``method`` say how it was drawn."""

    def __init__(self, raw: dict, by: str):
        self._raw = raw
        self.by = by
        self.seed = raw["seed"]
        self.draws_count = raw["draws"]
        self.generator = raw["generator"]
        self.method = raw["method"]

    @property
    def summary(self):
        import pandas as pd

        cols = ["co2e_t", "mean_t", "median_t", "lower_t", "upper_t", "lower_pct", "upper_pct", "sd_t"]
        df = pd.DataFrame([{"group": g["group"], **{c: g[c] for c in cols}, "missing": g["missing"]}
                           for g in self._raw["groups"]], columns=["group", *cols, "missing"])
        for c in cols:
            df[c] = df[c].astype(float)  # not assessed: NaN in the frame, named in ``missing``
        df = df.set_index("group")
        df.attrs.update(method=self.method, seed=self.seed, draws=self.draws_count, generator=self.generator,
                        units={"co2e_t": "tCO2e", "lower_pct": "% below the mean (2.5 percentile)",
                               "upper_pct": "% above the mean (97.5 percentile)"})
        return df

    @property
    def contributions(self):
        import pandas as pd

        rows = [dict(group=g["group"], input=c["input"], share_pct=c["share_pct"])
                for g in self._raw["groups"] for c in g["contributions"]]
        return pd.DataFrame(rows, columns=["group", "input", "share_pct"])

    @property
    def inputs(self):
        import pandas as pd

        return pd.DataFrame(self._raw["inputs"], columns=["input", "shape", "lower_pct", "upper_pct",
                                                          "negative_draws"])

    def draws(self, group: str = "total"):
        """The group's draws (numpy, in draw order); needs ``keep_draws=True``."""
        for g in self._raw["groups"]:
            if g["group"] == group:
                if "draws" not in g:
                    raise ValueError("the draws were not kept: call monte_carlo(..., keep_draws=True)")
                return g["draws"]
        raise KeyError(f"group {group!r} is not one of {[g['group'] for g in self._raw['groups']]}")

    def plot(self, group: str = "total", ax=None, lang: str = "en"):
        """Histogram of the group's draws with the mean and the 95 % interval (plot.monte_carlo)."""
        from . import plot

        return plot.monte_carlo(self, group=group, ax=ax, lang=lang)

    def __repr__(self):
        return f"MonteCarlo(by={self.by!r}, {len(self._raw['groups'])} group(s), {self.draws_count} draws, seed {self.seed})"


def monte_carlo(inventory, by: str = "total", draws: int = 10_000, seed: int = 0, threads: int = 0,
                symmetric: str = "normal", asymmetric: str = "lognormal", inputs: dict | None = None,
                keep_draws: bool = False) -> MonteCarlo:
    """IPCC Approach 2 on the inventory's own inputs. ``inputs`` overrides single inputs by id: a shape
    name, or ``(shape, lower_pct, upper_pct)`` with the 95 % interval. Results are identical for any
    ``threads``."""
    options = [("draws", str(draws)), ("seed", str(seed)), ("threads", str(threads)), ("symmetric", symmetric),
               ("asymmetric", asymmetric), ("keep_draws", "true" if keep_draws else "false")]
    for input_id, spec in (inputs or {}).items():
        if isinstance(spec, str):
            options.append(("input", f"{input_id}={spec}"))
        else:
            shape, lower, upper = spec
            options.append(("input", f"{input_id}={shape}:{float(lower)!r}:{float(upper)!r}"))
    return MonteCarlo(_core.monte_carlo(inventory, by, options), by)


def key_categories(inventory, by: str = "source", base=None, threshold_pct: float = 95.0):
    """IPCC 2006 Vol. 1 Ch. 4 Approach 1: the level assessment (Eq. 4.1), or with ``base`` (the base-year
    inventory) the trend assessment (Eq. 4.2). One row per group, largest first; ``key`` marks the
    categories up to ``threshold_pct`` cumulative."""
    import pandas as pd

    rows = _core.key_categories(inventory, by, base, threshold_pct)
    cols = ["group", *(["base_t"] if base is not None else []), "co2e_t", "assessment", "share_pct",
            "cumulative_pct", "key"]
    df = pd.DataFrame(rows, columns=cols)
    df.attrs.update(assessment="trend" if base is not None else "level", threshold_pct=threshold_pct,
                    method="IPCC 2006 Vol. 1 Ch. 4 Approach 1, Eq. 4.2 (trend)" if base is not None
                    else "IPCC 2006 Vol. 1 Ch. 4 Approach 1, Eq. 4.1 (level)")
    return df
