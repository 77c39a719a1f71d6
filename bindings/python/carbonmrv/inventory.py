"""Enterprises and inventories for notebooks: load, compute, look at the numbers and their traces.

>>> import carbonmrv as cm
>>> ent = cm.Enterprise.from_file("examples/data/cement_plant.json")
>>> inv = cm.compute_inventory(ent, gwp="ipcc_ar6_gwp100")
>>> inv.to_pandas().groupby("category")["co2e_t"].sum()
"""
from __future__ import annotations

import json


from . import _core
from ._core import Enterprise, Inventory

__all__ = ["Enterprise", "Inventory", "compute_inventory", "enterprise_from_pandas"]


def _from_file(path) -> Enterprise:
    with open(path, encoding="utf-8") as f:
        return Enterprise.from_json(f.read())


Enterprise.from_file = staticmethod(_from_file)
Enterprise.from_file.__doc__ = "Load and validate a carbonmrv.enterprise/1 JSON file."


def compute_inventory(enterprise: Enterprise, catalogue=None, gwp: str = "ipcc_ar5_gwp100",
                      co2_per_carbon: str = "44/12", scope2: str = "location", preference=None) -> Inventory:
    """Compute the inventory (GIL released). ``preference``: dataset ids / @class tokens, or
    ``"policy:NAME"``."""
    if isinstance(preference, str):
        preference = _core.parse_preference(preference)
    return Inventory.compute(enterprise, catalogue, gwp, co2_per_carbon, scope2, list(preference or []))


_LINE_COLUMNS = ["source", "period", "kind", "gas", "part", "category", "scope", "iso_category", "memo", "mass_t", "gwp",
                 "co2e_t", "u_pct", "equation"]


def _to_pandas(self, trace: bool = False):
    """One row per line (source × period × gas). ``trace=True`` adds one row per trace term instead."""
    import pandas as pd

    if trace:
        rows = [dict(source=l["source"], period=l["period"], gas=l["gas"], part=l["part"], term=t["name"], value=t["value"],
                     unit=t["unit"], provenance=t["provenance"]) for l in self.lines for t in l["terms"]]
        return pd.DataFrame(rows)
    df = pd.DataFrame([{k: l[k] for k in _LINE_COLUMNS} for l in self.lines], columns=_LINE_COLUMNS)
    for col in ("kind", "gas", "category"):
        df[col] = df[col].astype("category")
    df.attrs["units"] = {"mass_t": "t of the gas", "co2e_t": "tCO2e"}
    df.attrs["conventions"] = {"gwp": self.gwp_dataset, "co2_per_carbon": self.co2_per_carbon,
                               "scope2": self.scope2_method}
    return df


def _repr(self):
    return (f"Inventory({self.enterprise_name!r} {self.year}: {self.total_co2e:,.3f} tCO2e, {len(self.lines)} lines; "
            f"{self.gwp_dataset}, CO2/C {self.co2_per_carbon}, scope 2 {self.scope2_method})")


def _repr_html(self):
    rows = "".join(f"<tr><td>{k}</td><td style='text-align:right'>{v:,.3f}</td></tr>"
                   for k, v in self.totals("category").items())
    return (f"<b>{self.enterprise_name}</b> {self.year} — <b>{self.total_co2e:,.3f} tCO2e</b> "
            f"({self.gwp_dataset}, CO2/C {self.co2_per_carbon}, scope 2 {self.scope2_method})"
            f"<table><tr><th>category</th><th>tCO2e</th></tr>{rows}</table>"
            + (f"<p>{len(self.notes)} note(s): {self.notes[0]} …</p>" if self.notes else ""))


Inventory.to_pandas = _to_pandas
Inventory.__repr__ = _repr
Inventory._repr_html_ = _repr_html
Inventory.to_dict = lambda self: json.loads(self.to_json())


def enterprise_from_pandas(activity, name: str, year: int, region: str = "", sources=None,
                           uscc: str | None = None) -> Enterprise:
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
    return Enterprise.from_json(json.dumps(doc, ensure_ascii=False))


def _inventory_from_pandas(activity, name: str, year: int, region: str = "", sources=None, uscc: str | None = None,
                           **options) -> Inventory:
    """The inventory of the enterprise ``enterprise_from_pandas`` builds from ``activity`` (same
    arguments), computed with ``compute_inventory``'s ``options`` (gwp, co2_per_carbon, scope2,
    preference, catalogue)."""
    return compute_inventory(enterprise_from_pandas(activity, name, year, region, sources, uscc), **options)


Enterprise.from_pandas = staticmethod(enterprise_from_pandas)
Inventory.from_pandas = staticmethod(_inventory_from_pandas)
