"""Enterprise energy balance for notebooks: the GB/T 3484 table as a DataFrame, closure, 综合能耗.

>>> import carbonmrv as cm
>>> ent = cm.Enterprise.from_file("examples/data/cement_plant.json")
>>> bal = cm.compute_energy_balance(ent)
>>> bal.to_pandas("tce")          # rows = links and end-use systems, columns = carriers + total
>>> bal.closure_frame()           # where the balance does not close, by carrier and link
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import json

from . import _core
from ._extend import extends

if TYPE_CHECKING:  # type checkers see the compiled class (_core.pyi) with these methods
    from ._core import EnergyBalance as _Compiled
else:
    _Compiled = object

__all__ = ["EnergyBalance", "compute_energy_balance"]


def compute_energy_balance(enterprise, catalogue=None, period: str = "", preference=None) -> "EnergyBalance":
    """Compute one period's balance (GIL released). ``period`` may be omitted when the document has one
    balance; ``preference`` picks the datasets for GB/T 2589 coefficients (ids, @class tokens or
    ``"policy:NAME"``)."""
    if isinstance(preference, str):
        preference = _core.parse_preference(preference)
    return _core.EnergyBalance.compute(enterprise, catalogue, period or "", list(preference or []))


@extends(_core.EnergyBalance)
class EnergyBalance(_Compiled):
    """Python methods of the compiled EnergyBalance: tables and notebook display."""

    def to_dict(self) -> dict:
        """The carbonmrv.energy_balance/1 document as a dict."""
        return json.loads(self.to_json())

    def to_pandas(self, basis: str = "tce"):
        """The balance table: one row per link/end-use row, one column per carrier (+ ``total`` unless
        ``basis="physical"``). ``basis``: physical, GJ, tce (declared convention), tce_calorific,
        tce_equivalent. Units are in ``df.attrs["units"]``."""
        import pandas as pd

        columns = list(self.carriers) + ([] if basis == "physical" else ["total"])
        data = {c: [self.cell(r, c, basis) for r in _core.EnergyBalance.rows] for c in columns}
        df = pd.DataFrame(data, index=pd.Index(_core.EnergyBalance.rows, name="row"))
        doc = self.to_dict()
        if basis == "physical":
            df.attrs["units"] = {c["carrier"]: c["unit"] for c in doc["columns"]}
        else:
            unit = "GJ" if basis == "GJ" else "tce"
            df.attrs["units"] = {c: unit for c in columns}
        df.attrs["conventions"] = doc["conventions"]
        df.attrs["period"] = self.period
        return df

    def closure_frame(self):
        """One row per closure result (carriers, converters with a measured loss, total)."""
        import pandas as pd

        df = pd.DataFrame(self.to_dict()["closure"])
        df["status"] = df["status"].astype(pd.CategoricalDtype(["ok", "warning", "error"], ordered=True))
        return df

    def __repr__(self):
        return (f"EnergyBalance({self.enterprise_name!r} {self.period}: {self.comprehensive_tce:,.3f} tce "
                f"({self.convention}, feedstock {self.feedstock}), {len(self.carriers)} carriers, closure {self.status})")

    def _repr_html_(self):
        return (f"<b>{self.enterprise_name}</b> {self.period} — 综合能耗 <b>{self.comprehensive_tce:,.3f} tce</b> "
                f"({self.convention}, feedstock {self.feedstock}); closure <b>{self.status}</b>"
                + self.to_pandas("tce").to_html(float_format=lambda v: f"{v:,.3f}"))
