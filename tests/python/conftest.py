import copy
import json
import os
import pathlib

import pytest

DATA_DIR = pathlib.Path(os.environ.get("CMRV_TEST_DATA_DIR", pathlib.Path(__file__).parents[1] / "data"))


FIXTURE_COUNTS = json.loads((DATA_DIR / "fixture_counts.json").read_text(encoding="utf-8"))


def counted(cases, file, key):
    """cases[key] after checking its size against tests/data/fixture_counts.json (a parametrised test
    over an empty or truncated list would pass)."""
    assert len(cases[key]) == FIXTURE_COUNTS[file][key] > 0, f"{file}[{key!r}]"
    return cases[key]


@pytest.fixture(scope="session")
def unit_cases():
    with open(DATA_DIR / "units_cases.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("CMRV_CLI")
    if not path:
        if os.environ.get("CI") == "true":  # the CLI is built in CI: its tests must run there
            pytest.fail("CMRV_CLI not set in CI")
        pytest.skip("CMRV_CLI not set (CLI not built)")
    return path


def patched(case):
    """The case's document (under tests/data) with its [op, JSON pointer, value] patches applied
    (set | remove | add, where add to "/-" appends), as JSON text. Same rules as tests/support/fixtures.hpp."""
    doc = json.loads((DATA_DIR / case["document"]).read_text(encoding="utf-8"))
    for op, pointer, value in case["patch"]:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
        parent = doc
        for p in parts[:-1]:
            parent = parent[int(p)] if isinstance(parent, list) else parent[p]
        last = parts[-1]
        key = int(last) if isinstance(parent, list) and last != "-" else last
        if op == "remove":
            del parent[key]
        elif op == "add" and last == "-":
            parent.append(copy.deepcopy(value))
        else:
            parent[key] = copy.deepcopy(value)
    return json.dumps(doc, ensure_ascii=False)
