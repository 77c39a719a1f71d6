"""Policy evaluation: difference-in-differences on a DataFrame in long form, as R ``did`` and
``bacondecomp`` compute it (docs/policy-evaluation.md).

>>> import carbonmrv as cm, pandas as pd
>>> panel = pd.read_csv("tests/data/did/mpdta.csv")
>>> res = cm.policy.att_gt(panel, yname="lemp", tname="year", idname="countyreal", gname="first.treat")
>>> res.to_pandas()                          # group, time, att, se, ci_low, ci_high, post ...
>>> print(res.summary())                     # as R's print(att_gt(...))
>>> es = res.aggte("dynamic"); es.plot()     # event study with its band
>>> cm.policy.att_gt(panel, ..., xformla=["lpop"], est_method="dr", bootstrap_draws=999, seed=1)
>>> cm.policy.twfe(panel, ...), cm.policy.bacon(panel, ...), cm.policy.did_2x2(panel, ..., pre=2003, post=2004)

Panels from the library's own data: ``enterprise_records(enterprises)`` (one row per enterprise document:
region, year, inventory total, audits) and ``region_panel(records, first_treat=...)`` (region × year
outcomes with each region's first treated year), which ``att_gt`` takes directly.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from . import _core, _progress
from ._extend import extends

if TYPE_CHECKING:
    from ._core import AggregateResult as _Aggregate
    from ._core import AttGtResult as _AttGt
    from ._core import BaconResult as _Bacon
    from ._core import TwfeResult as _Twfe
else:
    _Aggregate = _AttGt = _Bacon = _Twfe = object

__all__ = ["att_gt", "twfe", "bacon", "did_2x2", "enterprise_records", "region_panel"]


def _column(data, name: str, what: str):
    if name not in data:
        raise _core.InvalidInputError(f"{what} {name!r}: no such column; columns are "
                                      f"{', '.join(map(str, data.columns))}")
    return data[name]


def _integers(data, name: str, what: str):
    """An integer column as int64; a float column must hold whole numbers (pandas turns int columns with
    missing values into floats), and a missing value is an error naming the row."""
    import numpy as np

    col = _column(data, name, what)
    values = col.to_numpy()
    if values.dtype.kind in "iu":
        return values.astype(np.int64, copy=False)
    if values.dtype.kind == "b":
        return values.astype(np.int64)
    try:
        f = values.astype(np.float64)
    except (TypeError, ValueError):
        raise _core.InvalidInputError(f"{what} {name!r}: not numeric (dtype {values.dtype})") from None
    bad = ~np.isfinite(f) | (f != np.round(f))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise _core.InvalidInputError(f"{what} {name!r}, row {row}: {values[row]!r} is not a whole number")
    return f.astype(np.int64)


def _floats(data, name: str, what: str):
    import numpy as np

    col = _column(data, name, what)
    try:
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        raise _core.InvalidInputError(f"{what} {name!r}: not numeric (dtype {col.dtype})") from None


def _covariate_names(xformla) -> list[str]:
    """``None``, a list of column names, or an R-style ``"~ a + b"``."""
    if xformla is None:
        return []
    if isinstance(xformla, str):
        rhs = xformla.split("~", 1)[-1]
        names = [t.strip() for t in rhs.split("+") if t.strip()]
        return [] if names == ["1"] else names
    return list(xformla)


def _panel(data, yname, tname, idname, gname, xformla=None, clustervars=None):
    names = _covariate_names(xformla)
    import numpy as np

    ids = np.zeros(0, dtype=np.int64) if idname is None else _integers(data, idname, "idname")
    return dict(id=ids, time=_integers(data, tname, "tname"),
                y=_floats(data, yname, "yname"), group=_integers(data, gname, "gname"),
                covariate_names=names, covariates=[_floats(data, n, "covariate") for n in names],
                cluster=None if clustervars is None else _integers(data, clustervars, "clustervars"))


def att_gt(data, yname: str, tname: str, idname: str | None, gname: str, xformla=None,
           control_group: str = "nevertreated", base_period: str = "varying", anticipation: int = 0,
           est_method: str = "dr", clustervars: str | None = None, drop_incomplete_units: bool = False,
           alpha: float = 0.05, bootstrap_draws: int = 0, seed: int = 0, panel: bool = True,
           allow_unbalanced_panel: bool = False, progress=None):
    """ATT(g,t) of each cohort and period (Callaway & Sant'Anna 2021) with the Wald pre-test.

    ``gname`` holds each unit's first-treatment period (0: never treated). ``xformla``: covariate columns
    (a list or ``"~ a + b"``) for ``est_method`` "dr" (Sant'Anna–Zhao), "ipw" or "reg". Standard errors are
    analytic (clustered by ``clustervars`` if given) unless ``bootstrap_draws`` > 0, which runs R did's
    multiplier bootstrap with a SplitMix64 ``seed`` and gives a uniform band. Units missing a period are an
    error unless ``drop_incomplete_units`` (R did's default balancing) or ``allow_unbalanced_panel`` (R did's
    estimator for unbalanced panels: repeated-cross-section estimators, influence summed by unit).
    ``panel=False`` treats each row as its own unit (repeated cross-sections; ``idname`` may be None).
    ``progress``: True shows a tqdm bar of cells; a callable ``progress(done, total)`` is called with cells
    done about every 0.1 s and cancels by returning False."""
    if panel and idname is None:
        raise _core.InvalidInputError("idname: required for a panel (panel=False for repeated cross-sections)")
    p = _panel(data, yname, tname, idname if panel else None, gname, xformla, clustervars)
    cb, bar = _progress.callback(progress, unit="cell", desc="carbonmrv.policy.att_gt")
    try:
        return _core._att_gt(**p, control=control_group, base=base_period, anticipation=int(anticipation),
                             method=est_method, drop_incomplete_units=bool(drop_incomplete_units),
                             alpha=float(alpha), bootstrap_draws=int(bootstrap_draws), seed=int(seed),
                             panel=bool(panel), allow_unbalanced_panel=bool(allow_unbalanced_panel), progress=cb)
    finally:
        if bar is not None:
            bar.close()


def twfe(data, yname: str, tname: str, idname: str, gname: str, xformla=None, clustervars: str | None = None,
         drop_incomplete_units: bool = False):
    """Two-way fixed effects: y on unit and period effects, the treatment dummy 1{t ≥ g} and covariates,
    with cluster-robust SEs by unit (or ``clustervars``)."""
    return _core._twfe(**_panel(data, yname, tname, idname, gname, xformla, clustervars),
                       drop_incomplete_units=bool(drop_incomplete_units))


def did_2x2(data, yname: str, tname: str, idname: str, gname: str, pre: int, post: int,
            control_group: str = "nevertreated"):
    """The canonical 2×2: units first treated in (pre, post] against comparison units, between two periods."""
    p = _panel(data, yname, tname, idname, gname)
    return _core._did_2x2(p["id"], p["time"], p["y"], p["group"], int(pre), int(post), control_group)


def bacon(data, yname: str, tname: str, idname: str, gname: str, drop_incomplete_units: bool = False):
    """Goodman-Bacon (2021) decomposition of the TWFE estimate into its 2×2 comparisons and weights."""
    p = _panel(data, yname, tname, idname, gname)
    return _core._bacon(p["id"], p["time"], p["y"], p["group"], bool(drop_incomplete_units))


def _band(frame, crit: float):
    frame["ci_low"] = frame["att"] - crit * frame["se"]
    frame["ci_high"] = frame["att"] + crit * frame["se"]
    return frame


@extends(_core.AttGtResult)
class AttGtResult(_AttGt):
    def to_pandas(self):
        """One row per cell: group, time, att, se, ci_low, ci_high (pointwise, or uniform with the
        bootstrap), post, treated, controls, trimmed."""
        import pandas as pd

        frame = pd.DataFrame([{"group": c.group, "time": c.time, "att": c.att, "se": c.se, "post": c.post,
                               "treated": c.treated, "controls": c.controls, "trimmed": c.trimmed}
                              for c in self.cells])
        return _band(frame, self.critical_value)[["group", "time", "att", "se", "ci_low", "ci_high", "post",
                                                  "treated", "controls", "trimmed"]]

    def summary(self) -> str:
        """A text table like R's print(att_gt(...))."""
        conf = round(100 * (1 - self.alpha))
        band = "Simult." if self.uniform_band else "Pointwise"
        lines = ["Group-Time Average Treatment Effects (Callaway & Sant'Anna 2021):",
                 f" Group   Time  ATT(g,t)  Std. Error  [{conf}% {band} Conf. Band]"]
        for c in self.cells:
            lo, hi = c.att - self.critical_value * c.se, c.att + self.critical_value * c.se
            star = " *" if lo > 0 or hi < 0 else ""
            lines.append(f"{c.group:6d} {c.time:6d} {c.att:9.4f} {c.se:11.4f}   {lo:9.4f} {hi:9.4f}{star}")
        lines.append("---")
        lines.append("Signif. codes: `*' confidence band does not cover 0")
        if self.wald is not None:
            lines.append(f"P-value for pre-test of parallel trends assumption:  {self.wald_p:.5f}"
                         f" (W = {self.wald:.4f}, df = {self.wald_df})")
        group = "Never Treated" if self.control_group == "nevertreated" else "Not Yet Treated"
        lines.append(f"Control Group:  {group},  Anticipation Periods:  {self.anticipation}")
        lines.append(f"Estimation Method:  {self.est_method}; base period: {self.base_period}")
        if self.bootstrap_draws:
            lines.append(f"Multiplier bootstrap: {self.bootstrap_draws} draws, seed {self.seed}, "
                         f"{self.clusters} clusters")
        lines.extend(f"Note: {n}" for n in self.notes)
        return "\n".join(lines)

    def __repr__(self):
        pre = "" if self.wald is None else f"; pre-test W = {self.wald:.4f}, p = {self.wald_p:.5f}"
        return f"AttGtResult({len(self.cells)} cells, {self.units} units, {self.control_group}{pre})"


@extends(_core.AggregateResult)
class AggregateResult(_Aggregate):
    def to_pandas(self):
        """One row per element (cohort, event time or period): key, att, se, ci_low, ci_high."""
        import pandas as pd

        frame = pd.DataFrame([{"key": e.key, "att": e.att, "se": e.se} for e in self.elements],
                             columns=["key", "att", "se"])
        return _band(frame, self.critical_value)

    def plot(self, ax=None, title: str | None = None, lang: str = "en"):
        """The event study (or group/calendar effects) with its confidence band (carbonmrv.plot.event_study)."""
        from . import plot

        return plot.event_study(self, ax=ax, lang=lang, title=title)

    def __repr__(self):
        return f"AggregateResult({self.type}: overall ATT {self.overall_att:.6f} (SE {self.overall_se:.6f}))"


@extends(_core.TwfeResult)
class TwfeResult(_Twfe):
    def to_pandas(self):
        """One row per coefficient: term, coef, se."""
        import pandas as pd

        return pd.DataFrame({"term": self.names, "coef": self.coef, "se": self.se})

    def __repr__(self):
        return (f"TwfeResult(treated {self.coef[0]:.6f} (cluster SE {self.se[0]:.6f}), {self.units} units, "
                f"{self.clusters} clusters)")


@extends(_core.BaconResult)
class BaconResult(_Bacon):
    def to_pandas(self):
        """One row per 2×2 comparison: type, treated, control, estimate, weight."""
        import pandas as pd

        return pd.DataFrame([{"type": c.type, "treated": c.treated, "control": c.control, "estimate": c.estimate,
                              "weight": c.weight} for c in self.comparisons])

    def __repr__(self):
        return f"BaconResult(TWFE {self.twfe:.6f} from {len(self.comparisons)} comparisons)"


def enterprise_records(enterprises, catalogue=None):
    """One row per enterprise document: uscc, name, region, year, co2e_t (its computed inventory),
    audits (cleaner-production audits recorded), voluntary_audit (any of type voluntary)."""
    import pandas as pd

    from .enterprise import Enterprise
    from .inventory import compute_inventory

    rows = []
    for i, e in enumerate(enterprises):
        if isinstance(e, str):
            e = Enterprise.from_file(e)
        if not isinstance(e, Enterprise):
            raise _core.InvalidInputError(f"enterprises[{i}]: not an Enterprise or a document path")
        doc = json.loads(e.to_json())
        audits = (doc.get("cleaner_production") or {}).get("audits", [])
        rows.append({"uscc": e.uscc, "name": e.name, "region": e.region, "year": e.year,
                     "co2e_t": compute_inventory(e, catalogue).total_co2e, "audits": len(audits),
                     "voluntary_audit": any(a.get("type") == "voluntary" for a in audits)})
    return pd.DataFrame(rows, columns=["uscc", "name", "region", "year", "co2e_t", "audits", "voluntary_audit"])


def region_panel(records, first_treat, unit: str = "region", time: str = "year", audit: str = "audits",
                 emissions: str = "co2e_t", output: str | None = None, controls=None):
    """A unit × period panel from enterprise-year records (``enterprise_records`` or any DataFrame with
    the same columns): ``audit_share`` (share of enterprises with an audit), ``enterprises``, ``co2e_t``
    (sum) and, with ``output``, ``intensity`` (Σ co2e / Σ output). ``first_treat``: a mapping unit → first
    treated period (missing or 0: never), e.g. ETS pilot start years. ``controls``: a DataFrame with the
    unit and time columns and more, merged in. Adds ``unit_id`` (an integer code of the unit, for idname)
    and ``first_treat`` (for gname)."""
    import pandas as pd

    for name in [unit, time, audit, emissions] + ([output] if output else []):
        _column(records, name, "records column")
    frame = records.assign(_audited=(records[audit] > 0).astype(float))
    agg = {"audit_share": ("_audited", "mean"), "enterprises": ("_audited", "size"), "co2e_t": (emissions, "sum")}
    if output:
        agg["_output"] = (output, "sum")
    panel = frame.groupby([unit, time], sort=True).agg(**agg).reset_index()
    if output:
        panel["intensity"] = panel["co2e_t"] / panel.pop("_output")
    starts = dict(first_treat)
    panel["first_treat"] = [int(starts.get(u) or 0) for u in panel[unit]]
    panel["unit_id"] = pd.factorize(panel[unit], sort=True)[0] + 1
    if controls is not None:
        for name in (unit, time):
            _column(controls, name, "controls column")
        panel = panel.merge(controls, on=[unit, time], how="left", validate="one_to_one")
    return panel
