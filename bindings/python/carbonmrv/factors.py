"""Emission-factor datasets and the carrier catalogue, with provenance and explained selection.

>>> from carbonmrv import factors
>>> sel = factors.lookup("natural_gas", "ef", gas="co2", region="US", year=2023)
>>> sel.value, sel.unit, sel.dataset["id"]
(53.06, 'kgCO2/MMBtu', 'epa_hub_2021')
>>> print(sel.explain())          # document, table, row, SHA-256 of the dataset, rule, candidates
"""
from __future__ import annotations

import functools
import os

from ._core import FactorCatalogue, FactorSelection, resolve_carrier  # noqa: F401
from . import _core

__all__ = ["FactorCatalogue", "FactorSelection", "builtin", "carriers", "datasets", "load_file", "lookup",
           "records", "resolve_carrier"]


@functools.lru_cache(maxsize=1)
def _builtin() -> FactorCatalogue:
    return FactorCatalogue.builtin()


def builtin() -> FactorCatalogue:
    """A fresh catalogue holding the built-in datasets (load your own into it)."""
    return FactorCatalogue.builtin()


def load_file(catalogue: FactorCatalogue, path) -> None:
    """Load a dataset CSV file (UTF-8) into ``catalogue``; errors name the file, line and column."""
    with open(path, encoding="utf-8") as f:
        catalogue.load_csv(f.read(), os.fspath(path))


def lookup(carrier: str, parameter: str, gas: str = "", region: str = "", year=None, preference=None,
           catalogue: FactorCatalogue | None = None, sector: str = "") -> FactorSelection:
    """Select one value with its provenance from ``catalogue`` (default: the built-in datasets).

    ``sector`` picks the IPCC 2006 Table 2.2-2.5 CH4/N2O value of a stationary-combustion sector
    (energy_industries, manufacturing_construction, commercial_institutional, residential_agriculture).
    """
    return (catalogue or _builtin()).lookup(carrier, parameter, gas, region, year, preference, sector)


def datasets(catalogue: FactorCatalogue | None = None):
    """The datasets as a pandas DataFrame (id, title, document, class, sha256, record_count, ...)."""
    import pandas as pd

    return pd.DataFrame((catalogue or _builtin()).datasets())


def records(dataset: str, catalogue: FactorCatalogue | None = None):
    """The records of one dataset as a pandas DataFrame, in file order."""
    import pandas as pd

    return pd.DataFrame((catalogue or _builtin()).records(dataset))


def carriers():
    """The carrier catalogue as a pandas DataFrame (aliases joined with '; ')."""
    import pandas as pd

    df = pd.DataFrame(_core.carriers())
    df["aliases"] = df["aliases"].map("; ".join)
    return df
