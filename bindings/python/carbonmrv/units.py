"""Unit conversion for scalars, numpy arrays and pandas objects."""
from __future__ import annotations

import numbers

from . import _core


def convert(value, from_unit: str, to_unit: str):
    """Convert ``value`` from ``from_unit`` to ``to_unit`` (units of one kind).

    ``value`` may be a number (returns ``float``), a numpy array of any shape or stride (returns a
    new float64 array; float64 input is read in place, the GIL is released), or a pandas Series
    (returns a Series with the same index and name). Raises :class:`carbonmrv.UnitError` naming
    the unit string, the element index or the missing context (NCV, GWP set, reference state).

    >>> convert(1, "tce", "GJ")
    29.3076
    """
    if isinstance(value, numbers.Real) and not hasattr(value, "shape"):
        return _core.convert(float(value), from_unit, to_unit)
    series_type = _pandas_series_type()
    if series_type is not None and isinstance(value, series_type):
        out = _core.convert_array(value.to_numpy(dtype="float64", copy=False), from_unit, to_unit)
        return series_type(out, index=value.index, name=value.name)
    return _core.convert_array(value, from_unit, to_unit)


def units_table():
    """Every unit carbonmrv knows, with aliases, kind, definition and defining source, as a
    pandas DataFrame (one row per unit; mass units also take gas/product suffixes such as tCO2)."""
    import pandas as pd

    df = pd.DataFrame(_core._unit_rows())
    df["aliases"] = df["aliases"].map(", ".join)
    return df


def _pandas_series_type():
    # pandas is optional: importing carbonmrv must not import it.
    import sys

    pd = sys.modules.get("pandas")
    return None if pd is None else pd.Series
