"""Region level through Python, the C API (ctypes) and the CLI: the reference approach by hand, the
sectoral side from the enterprises' own inventories (tests/data/region_cases.json)."""
import ctypes
import json
import os
import subprocess

import pytest

import carbonmrv as cm
from conftest import DATA_DIR, counted, patched

CASES = json.loads((DATA_DIR / "region_cases.json").read_text(encoding="utf-8"))
REQUEST = json.loads((DATA_DIR / CASES["request"]).read_text(encoding="utf-8"))
REL = CASES["tolerance_rel"]


def close(a, b):
    return abs(a - b) <= REL * max(1.0, abs(b))


def python_result():
    ents = [cm.Enterprise.from_json(json.dumps(e)) for e in REQUEST["enterprises"]]
    return cm.compare_region(ents, REQUEST["apparent_consumption"], REQUEST["region"], REQUEST["year"]), ents


def test_reference_by_hand_and_sectoral_from_the_inventories():
    res, ents = python_result()
    fuels = {f["carrier"]: f for f in res["fuels"]}
    assert set(fuels) == set(CASES["reference_t"])
    for carrier, ref in CASES["reference_t"].items():
        assert close(fuels[carrier]["reference_t"], ref), carrier
    sectoral = {}
    for ent in ents:
        doc = json.loads(ent.to_json())
        carrier_of = {s["id"]: s.get("carrier") for s in doc["sources"]}
        for line in cm.compute_inventory(ent).lines:
            if line["gas"] == "co2" and line["category"] == "fuel_combustion" and not line["memo"]:
                sectoral[carrier_of[line["source"]]] = sectoral.get(carrier_of[line["source"]], 0) + line["mass_t"]
    for carrier, value in sectoral.items():
        assert close(fuels[carrier]["sectoral_t"], value), carrier
    assert close(res["difference_t"], sum(f["difference_t"] for f in res["fuels"]))
    assert fuels["diesel"]["note"].startswith("no apparent-consumption row")
    assert res.to_pandas().loc["natural_gas", "enterprises"] == ["Verification base plant (test fixture)"]


@pytest.mark.parametrize("case", counted(CASES, "region_cases.json", "errors"), ids=lambda c: c["message"][:30])
def test_bad_requests_name_the_path(case):
    text = patched({"document": CASES["request"], "patch": case["patch"]})
    with pytest.raises(cm.InvalidInputError) as err:
        cm._core._compare_region_json(text)
    assert case["message"] in str(err.value)


def test_c_api_and_cli_give_the_same_document(cli):
    res, _ = python_result()
    path = os.environ.get("CMRV_CAPI_LIB")
    if not path:
        pytest.skip("CMRV_CAPI_LIB not set")
    lib = ctypes.CDLL(path)
    lib.cmrv_context_create.restype = ctypes.c_void_p
    lib.cmrv_free.argtypes = [ctypes.c_void_p]
    ctx = ctypes.c_void_p(lib.cmrv_context_create())
    cat, out = ctypes.c_void_p(), ctypes.c_void_p()
    assert lib.cmrv_factor_catalogue_open_builtin(ctx, ctypes.byref(cat)) == 0
    text = (DATA_DIR / CASES["request"]).read_bytes()
    assert lib.cmrv_region_compare_json(ctx, cat, text, ctypes.byref(out)) == 0
    from_c = json.loads(ctypes.string_at(out).decode("utf-8"))
    lib.cmrv_free(out)
    lib.cmrv_factor_catalogue_destroy(cat)
    lib.cmrv_context_destroy(ctx)
    assert from_c == dict(res)
    r = subprocess.run([cli, "region", str(DATA_DIR / CASES["request"]), "--format", "json"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and json.loads(r.stdout) == dict(res)
