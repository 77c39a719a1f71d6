"""The Python surface is typed (PEP 561) and each class's Python methods are defined in its own module."""
import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

import carbonmrv as cm

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE_PARENT = pathlib.Path(cm.__file__).resolve().parents[1]


def test_methods_live_on_the_compiled_classes_and_come_from_their_concept_module():
    assert cm.Inventory is cm._core.Inventory and cm.Enterprise is cm._core.Enterprise
    for cls, method, module in [(cm.Inventory, "to_pandas", "carbonmrv.inventory"),
                                (cm.Inventory, "uncertainty", "carbonmrv.inventory"),
                                (cm.Enterprise, "from_file", "carbonmrv.enterprise"),
                                (cm.EnergyBalance, "closure_frame", "carbonmrv.energy_balance"),
                                (cm.VerificationReport, "reconciliation_frame", "carbonmrv.verification")]:
        fn = vars(cls)[method]
        fn = getattr(fn, "__func__", fn)
        assert fn.__module__ == module, (cls, method)


def test_extends_refuses_to_shadow_a_compiled_method():
    from carbonmrv._extend import extends

    with pytest.raises(TypeError, match="Inventory.totals is already defined by the compiled class"):
        @extends(cm._core.Inventory)
        class _Bad:  # noqa: F841
            def totals(self):
                return {}


def test_py_typed_and_stubs_ship_and_are_current():
    assert (PACKAGE_PARENT / "carbonmrv" / "py.typed").exists()
    env = dict(os.environ, PYTHONPATH=str(PACKAGE_PARENT))
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_stubs.py"), "--check"], env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def _mypy(tmp_path, code):
    if importlib.util.find_spec("mypy") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mypy (python3-mypy, scripts/install-deps.sh) is not installed in CI")
        pytest.skip("mypy not installed")
    f = tmp_path / "use.py"
    f.write_text(code, encoding="utf-8")
    env = dict(os.environ, MYPYPATH=str(PACKAGE_PARENT))
    return subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent", "--no-incremental",
                           "--cache-dir", str(tmp_path / "cache"), str(f)], env=env, capture_output=True, text=True)


def test_a_type_checker_sees_compiled_and_python_methods(tmp_path):
    ok = _mypy(tmp_path, "import carbonmrv as cm\n"
                         "inv = cm.compute_inventory(cm.Enterprise.from_file('x.json'), gwp='AR6')\n"
                         "total: float = inv.total_co2e\n"
                         "frame = inv.uncertainty('category')\n"
                         "by: dict = inv.totals('category')\n")
    assert ok.returncode == 0, ok.stdout
    bad = _mypy(tmp_path, "import carbonmrv as cm\n"
                          "inv = cm.Inventory.compute(cm.Enterprise.from_json('{}'))\n"
                          "name: int = inv.enterprise_name\n")
    assert bad.returncode == 1
    assert 'Incompatible types in assignment (expression has type "str", variable has type "int")' in bad.stdout
