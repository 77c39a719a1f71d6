"""Enterprises (carbonmrv.enterprise/1) for notebooks: load a document, or build one from a DataFrame.

>>> import carbonmrv as cm
>>> ent = cm.Enterprise.from_file("examples/data/cement_plant.json")
>>> ent.source_ids
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import json
import os

from . import _core
from ._extend import extends

if TYPE_CHECKING:  # type checkers see the compiled class (_core.pyi) with these methods
    from ._core import Enterprise as _Compiled
else:
    _Compiled = object

__all__ = ["Enterprise", "enterprise_from_pandas"]


def enterprise_from_pandas(activity, name: str, year: int, region: str = "", sources=None,
                           uscc: str | None = None) -> "Enterprise":
    """Build an Enterprise from a DataFrame of activity records.

    ``activity`` columns: source, period, value, unit (and optionally data_source). ``sources`` maps a
    source id to its description: ``{"coal": {"kind": "fuel_combustion", "carrier": "bituminous_coal",
    "factors": {"ncv": {"value": 20.9, "unit": "GJ/t", "source": "..."}}}}``. The document is validated
    as a whole, so errors name JSON paths (sources[i].activity[j]...).
    """
    sources = sources or {}
    required = {"source", "period", "value", "unit"}
    missing = required - set(activity.columns)
    if missing:
        raise ValueError(f"activity is missing column(s): {', '.join(sorted(missing))}")
    doc_sources = []
    for sid, group in activity.groupby("source", sort=False):
        desc = dict(sources.get(sid, {}))
        desc["id"] = sid
        recs = []
        for rec in group.to_dict("records"):
            r = {"period": str(rec["period"]), "value": float(rec["value"]), "unit": str(rec["unit"])}
            if "data_source" in rec and isinstance(rec["data_source"], str):
                r["data_source"] = rec["data_source"]
            recs.append(r)
        desc["activity"] = recs
        doc_sources.append(desc)
    ent = {"name": name, "year": int(year)}
    if region:
        ent["region"] = region
    if uscc:
        ent["uscc"] = uscc
    doc = {"schema": "carbonmrv.enterprise/1", "enterprise": ent, "sources": doc_sources}
    return _core.Enterprise.from_json(json.dumps(doc, ensure_ascii=False))


def as_enterprise(value):
    """An ``Enterprise`` from an ``Enterprise``, a path, JSON text or a dict (None stays None)."""
    if value is None or isinstance(value, _core.Enterprise):
        return value
    if isinstance(value, dict):
        return _core.Enterprise.from_json(json.dumps(value, ensure_ascii=False))
    if isinstance(value, (str, os.PathLike)) and os.path.exists(value):
        with open(value, encoding="utf-8") as f:
            return _core.Enterprise.from_json(f.read())
    return _core.Enterprise.from_json(str(value))


@extends(_core.Enterprise)
class Enterprise(_Compiled):
    """Python methods of the compiled Enterprise: files and DataFrames in."""

    @staticmethod
    def from_file(path, threads: int = 0) -> "Enterprise":
        """Load and validate a carbonmrv.enterprise/1 JSON file (``threads`` as ``from_json``)."""
        with open(path, encoding="utf-8") as f:
            return _core.Enterprise.from_json(f.read(), threads)

    from_pandas = staticmethod(enterprise_from_pandas)
