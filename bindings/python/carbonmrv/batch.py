"""Columnar batch inventories: millions of activity records in, a DataFrame out.

>>> import carbonmrv as cm
>>> out = cm.batch.compute(df, region="US", year=2023, method="energy_ef", by=["enterprise", "period"])

``df`` has ``carrier``, ``unit`` and ``quantity`` columns (categorical carrier/unit columns are used as
they are; float64 quantities are read in place, GIL released). Factors are resolved once per distinct
(carrier, unit) pair by the document engine, so the numbers equal ``compute_inventory`` on the same data.
"""
from __future__ import annotations

import json

import numpy as np

from . import _core

__all__ = ["compute"]

_GWP = {"sar": "ipcc_sar_gwp100", "ar4": "ipcc_ar4_gwp100", "ar5": "ipcc_ar5_gwp100", "ar6": "ipcc_ar6_gwp100"}


def _codes(values):
    """int32 codes and the distinct values, without a Python-level loop."""
    import pandas as pd

    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype=np.int32), [str(c) for c in values.cat.categories]
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int32, copy=False), [str(u) for u in uniques]


def compute(data=None, *, carrier=None, unit=None, quantity=None, by=None, year: int, region: str = "GLOBAL",
            method: str = "default_factor", gwp: str = "ipcc_ar5_gwp100", co2_per_carbon: str = "44/12",
            preference=None, policy: str = "reject", threads: int = 0, catalogue=None):
    """Compute CO2, CH4, N2O and CO2e per record, or CO2e summed by the ``by`` columns.

    ``policy="reject"`` (default) fails on the first batch with any invalid record (the message counts
    each error kind with its first rows); ``"skip"`` leaves invalid records out (NaN per record) and
    reports them in ``result.attrs["report"]``. Results are identical for any ``threads``.
    """
    import pandas as pd

    if data is not None:
        carrier = data["carrier"] if carrier is None else carrier
        unit = data["unit"] if unit is None else unit
        quantity = data["quantity"] if quantity is None else quantity
    if carrier is None or unit is None or quantity is None:
        raise ValueError("carrier, unit and quantity are required (columns of data, or arrays)")
    c_codes, carriers = _codes(carrier)
    u_codes, units = _codes(unit)
    q = quantity.to_numpy() if hasattr(quantity, "to_numpy") else np.asarray(quantity)
    group = None
    keys = None
    if by:
        cols = [data[b] for b in ([by] if isinstance(by, str) else by)]
        combined = np.zeros(len(q), dtype=np.int64)
        for col in cols:
            codes, uniques = pd.factorize(col)
            combined = combined * max(len(uniques), 1) + codes
        gcodes, first = pd.factorize(combined)
        group = gcodes.astype(np.int32, copy=False)
        # The key values of each group, from its first record.
        first_rows = np.unique(gcodes, return_index=True)[1]
        keys = pd.MultiIndex.from_arrays([np.asarray(c)[first_rows] for c in cols],
                                        names=[b for b in ([by] if isinstance(by, str) else by)])
    if isinstance(preference, str):
        preference = _core.parse_preference(preference)
    res = _core._batch_compute(c_codes, carriers, u_codes, units, q, group, 0 if group is None else len(keys),
                               region, int(year), method, _GWP.get(gwp.lower(), gwp), co2_per_carbon,
                               list(preference or []), policy, int(threads), catalogue)
    report = json.loads(res["report"])
    if group is not None:
        out = pd.DataFrame({"co2e_t": res["group_co2e_t"]}, index=keys)
        if len(keys.names) == 1:
            out.index = keys.get_level_values(0)
    else:
        index = data.index if data is not None else None
        out = pd.DataFrame({k: res[k] for k in ("co2_t", "ch4_t", "n2o_t", "co2e_t")}, index=index)
    out.attrs["report"] = report
    out.attrs["conventions"] = {"gwp": _GWP.get(gwp.lower(), gwp), "co2_per_carbon": co2_per_carbon,
                                "method": method, "region": region, "year": int(year)}
    return out
