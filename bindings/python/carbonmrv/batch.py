"""Columnar batch inventories: millions of activity records in, a DataFrame out.

>>> import carbonmrv as cm
>>> out = cm.batch.compute(df, region="US", year=2023, method="energy_ef", by=["enterprise", "month"])

``df`` has ``carrier``, ``unit`` and ``quantity`` columns. Numeric columns (any integer width, float32
or float64, any stride) and the codes of categorical columns are read in place with the GIL released;
string columns are factorized once. Factors are resolved once per distinct (kind, carrier, unit, region,
year) tuple by the document engine, so the numbers equal ``compute_inventory`` on the same data, and
``result.attrs["report"]["factors"]`` lists every factor used with its trace terms and provenance.
"""
from __future__ import annotations

import functools
import inspect

import numpy as np

from . import _core, _progress
from ._core import CancelledError, InvalidInputError

__all__ = ["compute", "stream"]

_GWP = {"sar": "ipcc_sar_gwp100", "ar4": "ipcc_ar4_gwp100", "ar5": "ipcc_ar5_gwp100", "ar6": "ipcc_ar6_gwp100"}
_ALL = ("co2_t", "ch4_t", "n2o_t", "co2e_t")
_NUMERIC = "iuf"


def _pd():
    import pandas as pd

    return pd


def _coded(values):
    """(codes, dictionary): categorical codes in place, other values factorized once."""
    pd = _pd()
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        # .array is the Categorical itself: its codes without the Series that .cat.codes builds (10 µs).
        return np.asarray(values.array.codes), [str(c) for c in values.dtype.categories]
    if isinstance(values, pd.Categorical):
        return np.asarray(values.codes), [str(c) for c in values.categories]
    # A missing value gets code −1: the engine reports it as a bad_code record.
    codes, uniques = pd.factorize(values if hasattr(values, "dtype") else np.asarray(values, dtype=object))
    return codes, [str(u) for u in uniques]


def _numeric(values, name):
    a = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
    if a.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if a.dtype.kind not in _NUMERIC or a.dtype.itemsize not in (1, 2, 4, 8) or (a.dtype.kind == "f" and a.dtype.itemsize < 4):
        raise InvalidInputError(f"{name} has dtype {a.dtype}; expected numbers (integers, float32 or float64)")
    if not a.dtype.isnative:
        a = a.astype(a.dtype.newbyteorder("="))
    return a


@functools.lru_cache(maxsize=None)
def _index_keeps_narrow_ints():
    """Whether pandas keeps an int32 Index int32 (2.x) or widens it to int64 (1.x, Int64Index)."""
    return _pd().Index(np.zeros(1, dtype=np.int32)).dtype == np.int32


def _key(values):
    """An integer key column for the engine, how to turn the engine's key values back into labels, and
    whether the labels are those integers themselves."""
    pd = _pd()
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.cat.categories
        # −1 (a missing category) stays a group of its own, labelled NaN: reported, never dropped.
        return values.cat.codes.to_numpy(), lambda k: pd.Categorical.from_codes(k, cats), False
    a = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
    if a.dtype.kind in "iu" and a.dtype.isnative:
        if a.dtype.kind == "i" and not _index_keeps_narrow_ints():
            return a, lambda k: k, True  # pandas 1.x widens any signed Index to int64: the engine's keys are that
        return a, lambda k: k.astype(a.dtype, copy=False), True
    if a.dtype.kind == "b":
        return a.view(np.uint8), lambda k: k.astype(bool), False
    # sort=True: groups come out in label order, as groupby sorts; a missing key is a group of its own.
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=False)
    uniques = np.asarray(uniques)
    return codes, lambda k: uniques[k], False


@functools.lru_cache(maxsize=64)
def _column_labels(name):
    """The columns Index of a one-column result, made once: pd.Index([name]) infers its dtype, 18 µs a
    call. Each frame gets a copy (1.7 µs), so that renaming one frame's columns touches no other."""
    return _pd().Index([name])


def _frame(arrays, index):
    """The result DataFrame over the engine's arrays, none copied. One float64 column goes in as an (n, 1)
    view whose transpose is the array itself, which pandas keeps as its block as it is: 8 µs with its
    labels, against 37 µs through a dict, of a 0.35 ms call on 10^4 records (docs/performance.md,
    session 19)."""
    pd = _pd()
    if len(arrays) == 1:
        ((name, values),) = arrays.items()
        if values.ndim == 1 and values.dtype == np.float64 and values.flags.c_contiguous:
            return pd.DataFrame(values.reshape(1, -1).T, index=index, columns=_column_labels(name).copy(), copy=False)
    return pd.DataFrame(arrays, index=index, copy=False)


def _group_columns(groups, wanted):
    """The wanted columns of the engine's groups; record counts as int64, as pandas counts."""
    return {c: (groups[c].astype(np.int64) if c == "records" else groups[c]) for c in wanted}


def _column_or(data, value):
    """`value`, or the column of `data` it names."""
    if isinstance(value, str) and data is not None and value in getattr(data, "columns", ()):
        return data[value]
    return value


def compute(data=None, *, carrier=None, unit=None, quantity=None, kind="fuel_combustion", region="GLOBAL",
            year=None, ncv=None, carbon_content=None, oxidation=None, by=None, method: str = "default_factor",
            gwp: str = "ipcc_ar5_gwp100", co2_per_carbon: str = "44/12", scope2_method: str = "location",
            preference=None, policy: str = "reject", threads: int = 0, catalogue=None, columns=None, progress=None):
    """Compute CO2, CH4, N2O and CO2e (tonnes) per record, or summed by the ``by`` columns.

    Records: ``carrier``, ``unit``, ``quantity`` (columns of ``data`` by default, or arrays). Per-record
    context, each a scalar or a column/array: ``kind`` (fuel_combustion, biomass_combustion,
    purchased_electricity, exported_electricity, purchased_heat, exported_heat), ``region`` (CN-11, US,
    GLOBAL ...), ``year``. Measured parameters as ``(values, unit)`` pairs, NaN where not measured (the
    default then applies and is counted in ``report["defaults_used"]``): ``ncv=(df.ncv, "GJ/t")``,
    ``carbon_content=(df.cc, "tC/TJ")``, ``oxidation=(df.of, "%")``. A column given by name is looked
    up in ``data`` (for ``kind`` and ``region`` too: a string that names a column of ``data`` is that
    column, any other string is the one kind or region of every record).

    ``by``: column names (or arrays) to group on; the result has one row per occupied group, in key
    order, with ``columns`` summed (default: the four gases and ``records``, the number of valid
    records). Without ``by``: one row per record, in the input's index, with ``columns`` (default the
    four gases). Ask only for what you need: each value costs memory traffic.

    ``policy="reject"`` (default) fails on a batch with any invalid record (the message counts each
    error kind with its first rows); ``"skip"`` leaves invalid records out (NaN per record) and reports
    them in ``result.attrs["report"]``. Results are bit-identical for any ``threads``.

    ``progress``: ``True`` shows a tqdm bar; a callable ``progress(done, total)`` is called with records
    done about every 0.1 s and at the end, and cancels the call by returning ``False`` or raising (Ctrl-C
    too). Progress never changes the result.
    """
    call = _prepare(data, carrier, unit, quantity, kind, region, year, ncv, carbon_content, oxidation, by, method,
                    gwp, co2_per_carbon, scope2_method, preference, policy, threads, columns)
    callback, bar = _progress.callback(progress, call.n, desc="carbonmrv.batch")
    try:
        res = call.run(catalogue, callback)
    finally:
        if bar is not None:
            bar.close()
    if call.names:
        out = call.group_frame(res["groups"])
    else:
        index = data.index if data is not None else None
        # copy=False: the engine's output arrays become the columns (a copy would cost 8 bytes × n each).
        out = _frame({c: res["records"][c] for c in call.wanted}, index)
    out.attrs["report"] = res["report"]
    out.attrs["conventions"] = call.conventions
    return out


class _Call:
    """One engine call, validated and laid out as _core._batch_compute takes it."""

    def run(self, catalogue, callback, accumulate=None):
        return _core._batch_compute(self.n, self.cols, self.dicts, self.units, self.keys, self.options, catalogue,
                                    [] if self.names else self.wanted, self.wanted if self.names else [], callback,
                                    accumulate, self.integer_keys)

    def group_frame(self, g):
        pd = _pd()
        if "levels" in g:
            # Integer keys come as the engine's levels and codes (GroupKeys::kLevelsCodes), what a
            # MultiIndex holds: MultiIndex.from_arrays would hash every key column (0.35 ms for 10^4
            # groups, most of a small call), and int64 key columns cost fresh pages (docs/performance.md).
            # The codes are in pandas' own widths; levels handed in as Index objects skip its inference.
            index = pd.MultiIndex(levels=[pd.Index(label(v)) for label, v in zip(self.labels, g["levels"])],
                                  codes=g["codes"], names=self.key_names, verify_integrity=False)
        else:
            arrays = [label(k) for label, k in zip(self.labels, g["keys"])]
            index = (pd.Index(arrays[0], name=self.key_names[0]) if len(arrays) == 1
                     else pd.MultiIndex.from_arrays(arrays, names=self.key_names))
        return _frame(_group_columns(g, self.wanted), index)


def _prepare(data, carrier, unit, quantity, kind, region, year, ncv, carbon_content, oxidation, by, method, gwp,
             co2_per_carbon, scope2_method, preference, policy, threads, columns, encode_keys=True):
    call = _Call()
    if data is not None:
        carrier = data["carrier"] if carrier is None else _column_or(data, carrier)
        unit = data["unit"] if unit is None else _column_or(data, unit)
        quantity = data["quantity"] if quantity is None else _column_or(data, quantity)
    if carrier is None or unit is None or quantity is None:
        raise ValueError("carrier, unit and quantity are required (columns of data, or arrays)")
    cols, dicts, units = {}, {}, {}
    cols["carrier"], dicts["carrier"] = _coded(carrier)
    cols["unit"], dicts["unit"] = _coded(unit)
    q = _numeric(quantity, "quantity")
    if q.dtype.kind != "f":
        q = q.astype(np.float64)
    cols["quantity"] = q
    n = len(q)
    gwp_id = _GWP.get(gwp.lower(), gwp)
    options = {"method": method, "gwp": gwp_id, "co2_per_carbon": co2_per_carbon, "scope2_method": scope2_method,
               "policy": policy, "threads": int(threads)}
    if isinstance(preference, str):
        preference = _core.parse_preference(preference)
    options["preference"] = list(preference or [])
    for name, value in (("kind", kind), ("region", region)):
        value = _column_or(data, value)  # a column name of data: per record
        if isinstance(value, str):  # one kind / region code for every record
            options[name] = value
        else:
            cols[name], dicts[name] = _coded(value)
    year = _column_or(data, year)
    if year is None:
        raise ValueError("year is required (a reporting year, or a column of years)")
    if np.isscalar(year):
        options["year"] = int(year)
    else:
        y = _numeric(year, "year")
        if y.dtype.kind == "f":
            raise InvalidInputError("year has dtype float; expected integers")
        cols["year"] = y
    for name, value in (("ncv", ncv), ("carbon_content", carbon_content), ("oxidation", oxidation)):
        if value is None:
            continue
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str)):
            raise ValueError(f"{name} must be a (values, unit) pair, e.g. (df['{name}'], 'GJ/t')")
        v = _numeric(_column_or(data, value[0]), name)
        cols[name] = v if v.dtype.kind == "f" else v.astype(np.float64)
        units[name] = value[1]
    names = [by] if isinstance(by, str) else list(by or [])
    keys, labels, integers, key_names = [], [], [], []
    for b in names:
        values = data[b] if isinstance(b, str) else b
        if encode_keys:  # stream encodes its keys itself (_StableKey)
            k, label, integer = _key(values)
            keys.append(k)
            labels.append(label)
            integers.append(integer)
        key_names.append(b if isinstance(b, str) else getattr(values, "name", None))
    allowed = _ALL + ("records",) if names else _ALL
    wanted = list(allowed if columns is None else ([columns] if isinstance(columns, str) else columns))
    unknown = [c for c in wanted if c not in allowed]
    if unknown:
        raise ValueError(f"columns {unknown} not among {list(allowed)}")
    call.n, call.cols, call.dicts, call.units, call.options = n, cols, dicts, units, options
    call.keys, call.labels, call.key_names, call.names, call.wanted = keys, labels, key_names, names, wanted
    call.integer_keys = len(integers) > 1 and all(integers)
    call.conventions = {"gwp": gwp_id, "co2_per_carbon": co2_per_carbon, "method": method,
                        "scope2_method": scope2_method, "region": region if isinstance(region, str) else "per record",
                        "year": int(year) if np.isscalar(year) else "per record"}
    return call


class _StableKey:
    """One ``by`` column across the chunks of a stream: integer keys are their own codes; any other key
    (categorical, strings, floats) gets a code per distinct label, the same in every chunk, so that the
    engine can add chunk sums by code."""

    def __init__(self):
        self.codes = {}  # label → code, first-seen order
        self.labels = []
        self.integer = None

    def encode(self, values):
        pd = _pd()
        if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
            codes, uniques = values.cat.codes.to_numpy(), list(values.cat.categories)
            codes = np.where(codes < 0, len(uniques), codes)  # a missing category: a group of its own
            uniques.append(None)
        else:
            a = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
            if a.dtype.kind in "iub" and a.dtype.isnative and self.integer is not False:
                self.integer = a.dtype
                return a.view(np.uint8) if a.dtype.kind == "b" else a
            codes, uniques = pd.factorize(values, use_na_sentinel=False)
            uniques = list(uniques)
        if self.integer:
            raise InvalidInputError("a by column changed from integers to labels between chunks")
        self.integer = False
        lookup = np.empty(len(uniques), dtype=np.int64)
        for i, u in enumerate(uniques):
            label = None if u is None or (isinstance(u, float) and u != u) else u  # NaN and None: one group
            code = self.codes.get(label)
            if code is None:
                code = self.codes[label] = len(self.labels)
                self.labels.append(label)
            lookup[i] = code
        return lookup[codes]

    def decode(self, k):
        if self.integer is not False:
            return k.astype(bool) if self.integer is not None and self.integer.kind == "b" else k.astype(self.integer)
        return np.asarray(self.labels, dtype=object)[k]


def stream(chunks, *, by, progress=None, total=None, **kwargs):
    """Sum by the ``by`` columns over an iterable of DataFrames (``pd.read_csv(..., chunksize=...)``,
    a database cursor, Parquet row groups …) without holding more than one chunk: memory is bounded by
    the chunk size plus the number of groups, whatever the total number of records.

    Each chunk goes through the engine as :func:`compute` does; its group sums stay in the engine, which
    adds them by key in chunk order (no per-chunk alignment in pandas), so the result is reproducible for
    a given chunking. Groups come out in key order. The report counts records over all chunks; its row
    indices are positions in the whole stream.

    ``progress``: ``True`` shows a tqdm bar of records (``total``: the number of records, if known); a
    callable is called with ``(records done, total)`` after each chunk and cancels by returning ``False``.
    """
    pd = _pd()
    names = [by] if isinstance(by, str) else list(by)
    stable = [_StableKey() for _ in names]
    sums = _core._BatchGroupSums()  # group sums and the merged report stay in the engine
    catalogue = kwargs.pop("catalogue", None)
    call = None
    callback, bar = _progress.callback(progress, total, desc="carbonmrv.batch.stream")
    try:
        for chunk in chunks:
            call = _prepare_kw(chunk, by, kwargs)
            call.keys = [s.encode(chunk[b] if isinstance(b, str) else b) for s, b in zip(stable, names)]
            call.run(catalogue, None, sums)
            if callback is not None and callback(sums.records, total) is False:
                err = CancelledError(f"batch.stream: cancelled by the progress callback after {sums.records} records")
                err.code, err.detail = "cancelled", "none"
                raise err
    finally:
        if bar is not None:
            bar.close()
    if call is None:
        raise ValueError("no chunks")
    taken = sums.take(call.wanted)
    g = taken["groups"]
    arrays = [s.decode(k) for s, k in zip(stable, g["keys"])]
    index = (pd.Index(arrays[0], name=call.key_names[0]) if len(arrays) == 1
             else pd.MultiIndex.from_arrays(arrays, names=call.key_names))
    out = _frame(_group_columns(g, call.wanted), index)
    if any(s.integer is False for s in stable):
        out = out.sort_index()  # label keys: codes are in first-seen order, the result in label order
    out.attrs["report"] = taken["report"]
    out.attrs["conventions"] = call.conventions
    return out


def _prepare_kw(data, by, kw):
    """_prepare with compute's keywords (those stream passes on)."""
    unknown = set(kw) - _COMPUTE_KEYWORDS
    if unknown:
        raise TypeError(f"stream() got unexpected keyword argument(s) {sorted(unknown)}")
    args = {**_COMPUTE_DEFAULTS, **kw}
    return _prepare(data, args["carrier"], args["unit"], args["quantity"], args["kind"], args["region"], args["year"],
                    args["ncv"], args["carbon_content"], args["oxidation"], by, args["method"], args["gwp"],
                    args["co2_per_carbon"], args["scope2_method"], args["preference"], args["policy"], args["threads"],
                    args["columns"], encode_keys=False)


# compute's keywords that stream passes on, with their defaults: read from compute's own signature so
# that the two cannot drift apart.
_COMPUTE_DEFAULTS = {name: p.default for name, p in inspect.signature(compute).parameters.items()
                     if name not in ("data", "by", "catalogue", "progress")}
_COMPUTE_KEYWORDS = set(_COMPUTE_DEFAULTS)

