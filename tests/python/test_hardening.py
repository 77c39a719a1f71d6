"""Regressions of the malformed-input sweep (issue 19) through Python: the shared malformed documents
(tests/data/malformed_cases.json, also run by the C++ and C API suites), broadcast numpy columns,
and strict numbers on the command line."""
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import carbonmrv as cm
from carbonmrv import _core

from conftest import DATA_DIR, counted

CASES = json.loads((DATA_DIR / "malformed_cases.json").read_text(encoding="utf-8"))["cases"]


def test_case_list_is_complete():
    assert counted({"cases": CASES}, "malformed_cases.json", "cases")  # an empty list would pass


def case_text(c):
    if "nest" not in c:
        return c["text"]
    brackets = "[" * c["nest"]
    if c.get("nest_in_region"):
        return '{"schema":"carbonmrv.region/1","region":"CN-44","year":2023,"enterprises":[' + brackets
    return brackets


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_malformed_document(case):
    text = case_text(case)
    read = {"enterprise": cm.Enterprise.from_json,
            "inventory": _core._inventory_from_json,
            "region": lambda t: _core._compare_region_json(t, None)}[case["reader"]]
    with pytest.raises(cm.InvalidInputError) as e:
        read(text)
    assert case["contains"] in str(e.value)
    assert e.value.code == "invalid_argument"


def test_batch_broadcast_column_is_one_value_per_record():
    # np.broadcast_to gives stride 0: read out of bounds (garbage, then SIGSEGV) before.
    # EPA hub 2021 bituminous coal, 2.34371916 tCO2e per short ton (AR5): 10 short tons each.
    n = 200_000
    codes = np.broadcast_to(np.int8(0), n)
    frame = cm.batch.compute(carrier=pd.Categorical.from_codes(np.zeros(n, np.int8), ["bituminous_coal"]),
                             unit=pd.Categorical.from_codes(np.zeros(n, np.int8), ["short_ton"]),
                             quantity=np.broadcast_to(np.float64(10.0), n), region="US", year=2023,
                             method="energy_ef")
    assert codes.strides == (0,)
    assert len(frame) == n
    assert frame["co2e_t"].to_numpy() == pytest.approx(np.full(n, 23.4371916), rel=1e-12)


@pytest.mark.parametrize("value", ["", "0x10", "inf", "nan", " 1", "1e999"])
def test_cli_numbers_are_plain_decimals(cli, value):
    r = subprocess.run([cli, "units", "convert", value, "t", "kg"], capture_output=True, text=True)
    assert r.returncode == 1
    assert "is not a finite decimal number" in r.stderr


def test_cli_year_is_a_whole_number(cli):
    r = subprocess.run([cli, "factors", "lookup", "bituminous_coal", "ncv", "--year", "0x7e7"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "is not a whole decimal number" in r.stderr
