"""Policy evaluation: difference-in-differences with staggered adoption, as R ``did`` computes it
(Callaway & Sant'Anna 2021), on a DataFrame in long form. Covariates, the bootstrap and the other
estimators of issue 18 are not built yet (docs/policy-evaluation.md).

>>> import carbonmrv as cm, pandas as pd
>>> panel = pd.read_csv("tests/data/did/mpdta.csv")
>>> res = cm.policy.att_gt(panel, yname="lemp", tname="year", idname="countyreal", gname="first.treat")
>>> res.to_pandas()                    # group, time, att, se, post
>>> res.aggte("dynamic").to_pandas()   # event-study effects; .overall_att, .overall_se
>>> res.wald, res.wald_p               # pre-test of parallel trends
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import _core
from ._extend import extends

if TYPE_CHECKING:
    from ._core import AggregateResult as _Aggregate
    from ._core import AttGtResult as _AttGt
else:
    _Aggregate = object
    _AttGt = object

__all__ = ["att_gt"]


def att_gt(data, yname: str, tname: str, idname: str, gname: str, control_group: str = "nevertreated",
           base_period: str = "varying", anticipation: int = 0):
    """ATT(g,t) of each cohort and period with analytic standard errors and the Wald pre-test.
    ``gname`` holds each unit's first-treatment period (0: never treated), as in R did."""
    for name in (yname, tname, idname, gname):
        if name not in data:
            raise _core.InvalidInputError(f"{name}: no such column; columns are {', '.join(map(str, data.columns))}")
    return _core._att_gt([int(v) for v in data[idname]], [int(v) for v in data[tname]],
                         [float(v) for v in data[yname]], [int(v) for v in data[gname]],
                         control_group, base_period, int(anticipation))


@extends(_core.AttGtResult)
class AttGtResult(_AttGt):
    def to_pandas(self):
        """One row per cell: group, time, att, se, post, treated, controls."""
        import pandas as pd

        return pd.DataFrame([{"group": c.group, "time": c.time, "att": c.att, "se": c.se, "post": c.post,
                              "treated": c.treated, "controls": c.controls} for c in self.cells])

    def __repr__(self):
        pre = "" if self.wald is None else f"; pre-test W = {self.wald:.4f}, p = {self.wald_p:.5f}"
        return f"AttGtResult({len(self.cells)} cells, {self.units} units, {self.control_group}{pre})"


@extends(_core.AggregateResult)
class AggregateResult(_Aggregate):
    def to_pandas(self):
        """One row per element (cohort, event time or period): key, att, se."""
        import pandas as pd

        return pd.DataFrame([{"key": e.key, "att": e.att, "se": e.se} for e in self.elements],
                            columns=["key", "att", "se"])

    def __repr__(self):
        return f"AggregateResult({self.type}: overall ATT {self.overall_att:.6f} (SE {self.overall_se:.6f}))"
