"""Inventories for notebooks: compute, look at the numbers and their traces.

>>> import carbonmrv as cm
>>> ent = cm.Enterprise.from_file("examples/data/cement_plant.json")
>>> inv = cm.compute_inventory(ent, gwp="ipcc_ar6_gwp100")
>>> inv.to_pandas().groupby("category")["co2e_t"].sum()
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import json

from . import _core
from ._extend import extends

if TYPE_CHECKING:  # type checkers see the compiled class (_core.pyi) with these methods
    from ._core import Inventory as _Compiled
else:
    _Compiled = object
from .enterprise import enterprise_from_pandas
from .uncertainty import contributions_frame, key_categories, monte_carlo, uncertainty_frame

__all__ = ["Inventory", "compute_inventory"]


def compute_inventory(enterprise, catalogue=None, gwp: str = "ipcc_ar5_gwp100", co2_per_carbon="44/12",
                      scope2: str = "location", preference=None, co2_per_carbon_source: str = "",
                      uncertainty_unstated: str = "not_assessed", threads: int = 0) -> "Inventory":
    """Compute the inventory (GIL released). ``preference``: dataset ids / @class tokens, or
    ``"policy:NAME"``. ``co2_per_carbon``: "44/12", "3.664", or a number a document states, named by
    ``co2_per_carbon_source``. ``uncertainty_unstated="exact"`` counts inputs without a stated
    uncertainty as exact (listed as assumed exact) instead of leaving the uncertainty not assessed.
    ``threads``: threads that compute the sources (0: all cores; from 2^14 activity records); the
    inventory is the same, bit for bit, for any number."""
    if isinstance(preference, str):
        preference = _core.parse_preference(preference)
    return _core.Inventory.compute(enterprise, catalogue, gwp, str(co2_per_carbon), scope2, list(preference or []),
                                   co2_per_carbon_source, uncertainty_unstated, threads)


_LINE_COLUMNS = ["source", "period", "kind", "gas", "species", "part", "category", "scope", "iso_category", "memo",
                 "scope2_method", "scope3_category", "mass_t", "gwp",
                 "co2e_t", "u_pct", "equation"]


@extends(_core.Inventory)
class Inventory(_Compiled):
    """Python methods of the compiled Inventory: DataFrames, uncertainty frames and notebook display."""

    @staticmethod
    def from_pandas(activity, name: str, year: int, region: str = "", sources=None, uscc: str | None = None,
                    **options) -> "Inventory":
        """The inventory of the enterprise ``enterprise_from_pandas`` builds from ``activity`` (same
        arguments), computed with ``compute_inventory``'s ``options`` (gwp, co2_per_carbon, scope2,
        preference, catalogue)."""
        return compute_inventory(enterprise_from_pandas(activity, name, year, region, sources, uscc), **options)

    def to_dict(self) -> dict:
        """The carbonmrv.inventory/1 document as a dict."""
        return json.loads(self.to_json())

    def to_pandas(self, trace: bool = False):
        """One row per line (source × period × gas). ``trace=True`` gives one row per trace term instead."""
        import pandas as pd

        # Columns made in C++ (arrays, and lists sharing one str per distinct text), not a dict per line:
        # 85 µs a line before (docs/performance.md). An empty inventory keeps the frame it always had.
        if trace:
            columns = self._term_columns()
            return pd.DataFrame(columns if len(columns["value"]) else [])
        columns = self._line_columns()
        df = pd.DataFrame(columns if len(columns["co2e_t"]) else [], columns=_LINE_COLUMNS)
        for col in ("kind", "gas", "category"):
            df[col] = df[col].astype("category")
        df.attrs["units"] = {"mass_t": "t of the gas", "co2e_t": "tCO2e"}
        df.attrs["conventions"] = {"gwp": self.gwp_dataset, "co2_per_carbon": self.co2_per_carbon,
                                   "scope2": self.scope2_method}
        return df

    def uncertainty(self, by: str = "total"):
        """Approach 1 uncertainty of the total or of each group of ``totals(by)`` (uncertainty.py)."""
        return uncertainty_frame(self, by)

    def uncertainty_contributions(self, by: str = "total"):
        """Each input's share of the variance of the total or of each group (uncertainty.py)."""
        return contributions_frame(self, by)

    def monte_carlo(self, by: str = "total", draws: int = 10_000, seed: int = 0, threads: int = 0,
                    symmetric: str = "normal", asymmetric: str = "lognormal", inputs: dict | None = None,
                    keep_draws: bool = False):
        """Approach 2 (Monte Carlo) uncertainty of the total or of each group of ``totals(by)``
        (uncertainty.py): a ``MonteCarlo`` with ``summary``, ``contributions``, ``inputs`` and ``plot``."""
        return monte_carlo(self, by, draws, seed, threads, symmetric, asymmetric, inputs, keep_draws)

    def key_categories(self, by: str = "source", base=None, threshold_pct: float = 95.0):
        """Key category analysis (IPCC Approach 1): level, or trend against the base-year inventory ``base``."""
        return key_categories(self, by, base, threshold_pct)

    def __repr__(self):
        return (f"Inventory({self.enterprise_name!r} {self.year}: {self.total_co2e:,.3f} tCO2e, {len(self.lines)} "
                f"lines; {self.gwp_dataset}, CO2/C {self.co2_per_carbon}, scope 2 {self.scope2_method})")

    def _repr_html_(self):
        rows = "".join(f"<tr><td>{k}</td><td style='text-align:right'>{v:,.3f}</td></tr>"
                       for k, v in self.totals("category").items())
        return (f"<b>{self.enterprise_name}</b> {self.year} — <b>{self.total_co2e:,.3f} tCO2e</b> "
                f"({self.gwp_dataset}, CO2/C {self.co2_per_carbon}, scope 2 {self.scope2_method})"
                f"<table><tr><th>category</th><th>tCO2e</th></tr>{rows}</table>"
                + (f"<p>{len(self.notes)} note(s): {self.notes[0]} …</p>" if self.notes else ""))
