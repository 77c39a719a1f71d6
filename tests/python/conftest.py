import json
import os
import pathlib

import pytest

DATA_DIR = pathlib.Path(os.environ.get("CMRV_TEST_DATA_DIR", pathlib.Path(__file__).parents[1] / "data"))


@pytest.fixture(scope="session")
def unit_cases():
    with open(DATA_DIR / "units_cases.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("CMRV_CLI")
    if not path:
        pytest.skip("CMRV_CLI not set (CLI not built)")
    return path
