"""Cross-verification for notebooks: the energy balance against the inventory, and a reported
inventory against the recomputed one.

>>> import carbonmrv as cm
>>> ent = cm.Enterprise.from_file("examples/data/chp_plant.json")
>>> rep = cm.verify(ent, reported="reported_inventory.json")
>>> rep.to_pandas()                     # one row per finding
>>> rep.reconciliation_frame()          # the difference per line, attributed to activity, factor, GWP ...
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import json
import os

from . import _core
from ._extend import extends
from .enterprise import as_enterprise

if TYPE_CHECKING:  # type checkers see the compiled class (_core.pyi) with these methods
    from ._core import VerificationReport as _Compiled
else:
    _Compiled = object

__all__ = ["VerificationReport", "verify", "check_catalogue"]

def _reported(reported):
    if reported is None or isinstance(reported, _core.Inventory):
        return reported
    if isinstance(reported, dict):
        return _core._inventory_from_json(json.dumps(reported))
    if isinstance(reported, (str, os.PathLike)) and os.path.exists(reported):
        with open(reported, encoding="utf-8") as f:
            return _core._inventory_from_json(f.read())
    return _core._inventory_from_json(str(reported))


def verify(enterprise, reported=None, checks=None, tolerances=None, gwp: str = "ipcc_ar5_gwp100",
           co2_per_carbon: str = "44/12", scope2: str = "location", preference=None, period: str = "",
           catalogue=None, previous=None, audit_baseline=None) -> "VerificationReport":
    """Run the cross-checks (GIL released).

    ``reported``: the enterprise's own inventory (a carbonmrv.inventory/1 file path, JSON text, dict or
    ``Inventory``) for the reconciliation and the convention checks. ``checks``: ids to run (default
    all). ``tolerances``: ``{"X01": (warning, error)}`` in the check's unit. ``gwp`` and
    ``co2_per_carbon``: the conventions the verification applies. ``previous``: last year's inventory
    (same forms as ``reported``) for the year-on-year part of X18. ``audit_baseline``: an earlier year's
    enterprise document (``Enterprise``, path, JSON or dict) whose cleaner-production audit claims
    savings, for X23.
    """
    if isinstance(preference, str):
        preference = _core.parse_preference(preference)
    tol = {k: (float(v[0]), float(v[1])) for k, v in (tolerances or {}).items()}
    return _core._verify(enterprise, catalogue, _reported(reported), list(checks or []), tol, gwp, co2_per_carbon,
                         scope2, list(preference or []), period or "", _reported(previous),
                         as_enterprise(audit_baseline))


def check_catalogue():
    """The check catalogue as a DataFrame (id, titles, rule, source, default tolerances)."""
    import pandas as pd

    return pd.DataFrame(_core._check_catalogue())


_COLUMNS = ["check", "severity", "subject", "period", "observed", "expected", "lower", "upper", "difference",
            "relative", "unit", "tolerance", "source", "message", "message_zh"]


@extends(_core.VerificationReport)
class VerificationReport(_Compiled):
    """Python methods of the compiled VerificationReport: DataFrames and display."""

    def to_dict(self) -> dict:
        """The carbonmrv.verification/1 document as a dict."""
        return json.loads(self.to_json())

    def to_pandas(self):
        """One row per finding; ``severity`` is an ordered categorical (info < warning < error)."""
        import pandas as pd

        df = pd.DataFrame(self.findings, columns=_COLUMNS)
        df["severity"] = df["severity"].astype(pd.CategoricalDtype(["info", "warning", "error"], ordered=True))
        return df

    def reconciliation_frame(self):
        """One row per line with the attributed parts as columns (they add up to reported − recomputed)."""
        import pandas as pd

        rec = self.to_dict().get("reconciliation")
        if rec is None:
            raise ValueError("no reported inventory was given, so there is no reconciliation")
        rows = [{"source": l["source"], "period": l["period"], "gas": l["gas"], "reported_t": l["reported_t"],
                 "recomputed_t": l["recomputed_t"], **l["parts"]} for l in rec["lines"]]
        return pd.DataFrame(rows).fillna(0.0)

    def __repr__(self):
        return (f"VerificationReport({self.enterprise!r} {self.year}: {self.status}, {len(self.findings)} "
                f"finding(s), {len(self.checks_run)} checks run, {len(self.checks_skipped)} skipped)")
