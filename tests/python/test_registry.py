"""The registry through Python and the CLI on the shared scenario (tests/data/registry_cases.json), on
SQLite and PostgreSQL: outcomes and exception classes, the status view as a DataFrame, two processes
surrendering the same allowances at once, a process killed with SIGKILL mid-batch, tampering, and the
CLI's registry commands."""
import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

import carbonmrv as cm
from conftest import DATA_DIR, counted

CASES = json.loads((DATA_DIR / "registry_cases.json").read_text(encoding="utf-8"))
A, B = CASES["enterprises"]["A"], CASES["enterprises"]["B"]
SAMPLES = DATA_DIR.parent.parent / "examples" / "data"
_n = itertools.count()


def fresh_postgres():
    base = os.environ.get("CMRV_TEST_PG")
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail("CMRV_TEST_PG not set in CI (scripts/pg-cluster.sh start)")
        pytest.skip("CMRV_TEST_PG not set: no PostgreSQL server")
    schema = f"cmrv_py{os.getpid()}_{next(_n)}"
    subprocess.run(["psql", base, "-q", "-c", f"SET client_min_messages = warning; DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"],
                   check=True, capture_output=True)
    return f"postgresql:{base} options='-csearch_path={schema}'"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:{tmp_path / f'r{next(_n)}.db'}"
    return fresh_postgres()


ERRORS = {"permission_denied": cm.PermissionDeniedError, "invalid_argument": cm.InvalidInputError,
          "not_found": cm.NotFoundError, "already_exists": cm.CarbonmrvError,
          "failed_precondition": cm.CarbonmrvError}


def run_scenario(reg):
    for step in counted(CASES, "registry_cases.json", "steps"):
        if "seq" in step:
            assert reg.apply(step["op"], actor=step["as"]) == step["seq"]
            continue
        with pytest.raises(ERRORS[step["error"]]) as err:
            reg.apply(step["op"], actor=step["as"])
        assert err.value.code == step["error"]
        if "message" in step:
            assert str(err.value) == step["message"]
        if step["error"] == "failed_precondition" and step["op"]["op"] == "surrender":
            assert isinstance(err.value, cm.InsufficientHoldingsError)


def test_scenario_on_each_backend(target):
    reg = cm.registry.open(target)
    run_scenario(reg)
    for account, kind, vintage, quantity in counted(CASES, "registry_cases.json", "balances"):
        assert reg.balance(account, vintage, kind=kind) == quantity
    status = reg.status(2022).set_index("uscc")
    for want in counted(CASES, "registry_cases.json", "status_2022"):
        row = status.loc[want["uscc"]]
        for key, value in want.items():
            if key != "uscc":
                assert (row[key] is None or row[key] != row[key]) if value is None else row[key] == value, key
    assert len(reg.refusals()) == CASES["refusals"]
    assert list(reg.history(A)["op"]) == CASES["history_A_ops"]
    assert list(reg.findings(A, open_only=True)["text"]) == ["coal NCV sampled monthly, not per batch"]
    check = reg.verify_journal()
    assert check["ok"] and check["entries"] == 17 and check["problem"] == ""
    assert len(reg.journal(start=16)) == 2


CONTENDER = """
import sys, time
import carbonmrv as cm
target, uscc, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
reg = cm.registry.open(target)
while time.time() < start:
    time.sleep(0.001)
try:
    reg.apply({"op": "surrender", "uscc": uscc, "year": 2022, "vintage": 2022, "quantity": 100000},
              actor="enterprise:" + uscc)
    print("won")
except cm.InsufficientHoldingsError as e:
    print("lost:", e)
"""


def test_two_processes_surrender_the_same_allowances(target):
    reg = cm.registry.open(target)
    run_scenario(reg)
    assert reg.balance(A, 2022) == 100000
    start = time.time() + 1.5  # both processes are connected and waiting by then
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-c", CONTENDER, target, A, str(start)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    results = sorted(o[0].strip() for o in outs)
    assert results[0].startswith("lost: surrender: account " + A + " holds 0 allowance of vintage 2022")
    assert results[1] == "won"
    assert reg.balance(A, 2022) == 0 and reg.balance("CANCELLATION", 2022) == 1550000
    assert reg.verify_journal()["entries"] == 18


WORKER = """
import sys
import carbonmrv as cm
reg = cm.registry.open(sys.argv[1])
for i in range(100000):
    reg.apply({"op": "transfer", "from": "GOVERNMENT", "to": sys.argv[2], "vintage": 2022, "quantity": 1},
              actor="regulator:MEE")
"""


def test_sigkill_mid_batch_loses_nothing_committed(target):
    reg = cm.registry.open(target)
    reg.apply({"op": "register_enterprise", "uscc": A, "name": "A", "region": "CN-37"}, actor="regulator:MEE")
    reg.apply({"op": "issue", "account": "GOVERNMENT", "vintage": 2022, "quantity": 1_000_000}, actor="regulator:MEE")
    worker = subprocess.Popen([sys.executable, "-c", WORKER, target, A])
    # The kill must land mid-batch, after some transfers: wait for 100 committed entries. The wait is
    # bounded generously, because a loaded CI machine committed only 299 in 60 s once (a PostgreSQL
    # commit per transfer); the worker never finishes its 100 000 on its own.
    deadline = time.time() + 600
    while reg.verify_journal()["entries"] < 102 and time.time() < deadline and worker.poll() is None:
        time.sleep(0.05)
    assert worker.poll() is None, "the worker stopped on its own"
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert worker.returncode == -signal.SIGKILL
    again = cm.registry.open(target)
    check = again.verify_journal()
    assert check["ok"], check
    transfers = check["entries"] - 2
    assert transfers >= 100
    # Every committed transfer is there, each whole: A's balance counts them and nothing was lost.
    assert again.balance(A, 2022) == transfers
    assert again.balance("GOVERNMENT", 2022) == 1_000_000 - transfers
    assert check["movements"] == 1 + 2 * transfers


def test_tampering_is_detected(tmp_path):
    path = tmp_path / "t.db"
    reg = cm.registry.open(f"sqlite:{path}")
    run_scenario(reg)
    del reg
    with sqlite3.connect(path) as db:
        db.execute("UPDATE journal SET actor_id = 'MEE2' WHERE seq = 9")
    check = cm.registry.open(str(path)).verify_journal()
    assert not check["ok"] and check["first_bad"] == 9
    assert check["problem"] == "entry 9 was altered: its hash does not match"


def test_cli_registry(cli, tmp_path):
    db = f"sqlite:{tmp_path / 'cli.db'}"

    def run(*args, ok=True):
        r = subprocess.run([cli, "registry", *args], capture_output=True, text=True)
        if ok:
            assert r.returncode == 0, r.stderr
        return r

    assert "registry ready (sqlite, schema 1)" in run("init", db).stdout
    imported = run("import", db, str(SAMPLES / "chp_plant.json"), "--as", "regulator:MEE").stdout
    assert "register_enterprise" in imported and "record_inventory" in imported and "record_audit" in imported
    run("allocate", db, str(SAMPLES / "chp_plant.json"), "--rules", "cn_power_2021_2022", "--year", "2022",
        "--as", "regulator:MEE")
    reg = cm.registry.open(db)
    py = cm.market.allocate(SAMPLES / "chp_plant.json", rules="cn_power_2021_2022", year=2022)
    assert reg.balance(A, 2022) == round(py.total_t)  # 4 030 509 t, whole allowances
    row = reg.status(2022).set_index("uscc").loc[A]
    assert row["due_t"] == 3_675_000 and row["compliance"] == "shortfall"
    run("surrender", db, A, "3675000", "--year", "2022", "--vintage", "2022", "--as", f"enterprise:{A}")
    table = run("status", db, "--year", "2022").stdout
    assert "compliant" in table
    denied = run("transfer", db, A, "GOVERNMENT", "1", "--vintage", "2022", "--as", "enterprise:" + B, ok=False)
    assert denied.returncode == 1
    assert f"enterprise:{B} may not transfer: an enterprise moves allowances only out of its own account" in denied.stderr
    assert "journal verified: 6 entries" in run("verify-journal", db).stdout
    history = json.loads(run("history", db, A, "--format", "json").stdout)
    assert [h["op"] for h in history] == ["register_enterprise", "record_inventory", "record_audit", "allocate",
                                          "set_obligation", "surrender"]
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        conn.execute("UPDATE movements SET quantity = quantity + 1 WHERE seq = 4")
    broken = run("verify-journal", db, ok=False)
    assert broken.returncode == 3 and "journal BROKEN at entry 4" in broken.stdout
