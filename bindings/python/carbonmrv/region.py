"""A region's IPCC reference approach (apparent consumption by fuel) against the sum of its enterprises'
inventories (the sectoral view), with the difference explained by fuel.

>>> rc = cm.compare_region([ent_a, ent_b], apparent_consumption_df, region="CN-44", year=2023)
>>> rc.to_pandas()
"""
from __future__ import annotations

import json

from . import _core

__all__ = ["RegionComparison", "compare_region"]


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
               "conventions": {"gwp_dataset": _core.gwp_dataset_id(gwp), "co2_per_carbon": co2_per_carbon},
               "enterprises": [json.loads(e.to_json()) for e in enterprises], "apparent_consumption": clean}
    return RegionComparison(json.loads(_core._compare_region_json(json.dumps(request, ensure_ascii=False), catalogue)))
