"""Cross-verification for notebooks: the energy balance against the inventory, and a reported
inventory against the recomputed one.

>>> import carbonmrv as cm
>>> ent = cm.Enterprise.from_file("examples/data/chp_plant.json")
>>> rep = cm.verify(ent, reported="reported_inventory.json")
>>> rep.to_pandas()                     # one row per finding
>>> rep.reconciliation_frame()          # the difference per line, attributed to activity, factor, GWP ...
"""
from __future__ import annotations

import json
import os

from . import _core
from ._core import VerificationReport

__all__ = ["VerificationReport", "verify", "check_catalogue"]

_GWP = {"sar": "ipcc_sar_gwp100", "ar4": "ipcc_ar4_gwp100", "ar5": "ipcc_ar5_gwp100", "ar6": "ipcc_ar6_gwp100"}


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
           catalogue=None, previous=None) -> VerificationReport:
    """Run the cross-checks (GIL released).

    ``reported``: the enterprise's own inventory (a carbonmrv.inventory/1 file path, JSON text, dict or
    ``Inventory``) for the reconciliation and the convention checks. ``checks``: ids to run (default
    all). ``tolerances``: ``{"X01": (warning, error)}`` in the check's unit. ``gwp`` and
    ``co2_per_carbon``: the conventions the verification applies. ``previous``: last year's inventory
    (same forms as ``reported``) for the year-on-year part of X18.
    """
    if isinstance(preference, str):
        preference = _core.parse_preference(preference)
    gwp = _GWP.get(gwp.lower(), gwp)
    tol = {k: (float(v[0]), float(v[1])) for k, v in (tolerances or {}).items()}
    return _core._verify(enterprise, catalogue, _reported(reported), list(checks or []), tol, gwp, co2_per_carbon,
                         scope2, list(preference or []), period or "", _reported(previous))


def check_catalogue():
    """The check catalogue as a DataFrame (id, titles, rule, source, default tolerances)."""
    import pandas as pd

    return pd.DataFrame(_core._check_catalogue())


_COLUMNS = ["check", "severity", "subject", "period", "observed", "expected", "lower", "upper", "difference",
            "relative", "unit", "tolerance", "source", "message", "message_zh"]


def _to_pandas(self):
    """One row per finding; ``severity`` is an ordered categorical (info < warning < error)."""
    import pandas as pd

    df = pd.DataFrame(self.findings, columns=_COLUMNS)
    df["severity"] = df["severity"].astype(pd.CategoricalDtype(["info", "warning", "error"], ordered=True))
    return df


def _reconciliation_frame(self):
    """One row per line with the attributed parts as columns (they add up to reported − recomputed)."""
    import pandas as pd

    rec = self.to_dict().get("reconciliation")
    if rec is None:
        raise ValueError("no reported inventory was given, so there is no reconciliation")
    rows = [{"source": l["source"], "period": l["period"], "gas": l["gas"], "reported_t": l["reported_t"],
             "recomputed_t": l["recomputed_t"], **l["parts"]} for l in rec["lines"]]
    return pd.DataFrame(rows).fillna(0.0)


def _repr(self):
    return (f"VerificationReport({self.enterprise!r} {self.year}: {self.status}, {len(self.findings)} "
            f"finding(s), {len(self.checks_run)} checks run, {len(self.checks_skipped)} skipped)")


VerificationReport.to_dict = lambda self: json.loads(self.to_json())
VerificationReport.to_pandas = _to_pandas
VerificationReport.reconciliation_frame = _reconciliation_frame
VerificationReport.__repr__ = _repr


class RegionComparison(dict):
    """The reference approach against the sum of enterprise inventories (a dict of the
    carbonmrv.region_comparison/1 document) with ``to_pandas()`` for the per-fuel table."""

    def to_pandas(self):
        import pandas as pd

        return pd.DataFrame(self["fuels"]).set_index("carrier")

    def __repr__(self):
        return (f"RegionComparison({self['region']} {self['year']}: reference {self['reference_t']:,.1f} tCO2, "
                f"sectoral {self['sectoral_t']:,.1f} tCO2, difference {self['difference_t']:+,.1f})")


def compare_region(enterprises, apparent_consumption, region: str, year: int, gwp: str = "ipcc_ar5_gwp100",
                   co2_per_carbon: str = "44/12", catalogue=None) -> RegionComparison:
    """IPCC reference approach for a region against the sum of its enterprises' inventories.

    ``enterprises``: ``Enterprise`` objects. ``apparent_consumption``: a DataFrame or list of dicts with
    ``carrier``, ``unit``, ``production``, ``imports``, ``exports``, ``stock_increase`` and ``ncv`` /
    ``carbon_content`` as ``{"value", "unit", "source"}`` (``stored_fraction`` optional).
    """
    rows = apparent_consumption.to_dict("records") if hasattr(apparent_consumption, "to_dict") else apparent_consumption
    clean = [{k: v for k, v in r.items() if not (isinstance(v, float) and v != v)} for r in rows]  # drop NaN cells
    request = {"schema": "carbonmrv.region/1", "region": region, "year": int(year),
               "conventions": {"gwp_dataset": _GWP.get(gwp.lower(), gwp), "co2_per_carbon": co2_per_carbon},
               "enterprises": [json.loads(e.to_json()) for e in enterprises], "apparent_consumption": clean}
    return RegionComparison(json.loads(_core._compare_region_json(json.dumps(request, ensure_ascii=False), catalogue)))


__all__ += ["RegionComparison", "compare_region"]
