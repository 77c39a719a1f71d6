"""The `carbonmrv` command-line tool: output, formats and exit codes (docs/cli.md)."""
import json
import subprocess


def run(cli, *args):
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=60)


def test_units_convert_text(cli):
    r = run(cli, "units", "convert", "1", "tce", "GJ")
    assert r.returncode == 0
    assert r.stdout == "1 tce = 29.3076 GJ\n"


def test_units_convert_chinese_and_json(cli, unit_cases):
    case = next(c for c in unit_cases["convert"] if c["from"] == "万吨标准煤")
    r = run(cli, "units", "convert", "1", "万吨标准煤", "TJ", "--format", "json")
    assert r.returncode == 0
    out = json.loads(r.stdout)
    assert out["from"] == "10^4 tce" and out["kind"] == "energy"
    assert abs(out["result"] - case["expected"]) <= 1e-12 * case["expected"]


def test_units_convert_csv_and_negative(cli):
    r = run(cli, "units", "convert", "--format", "csv", "--", "-2.5", "t", "kg")
    assert r.returncode == 0
    assert r.stdout.splitlines() == ["value,from,result,to", "-2.5,t,-2500,kg"]


def test_input_errors_exit_1_with_message(cli):
    r = run(cli, "units", "convert", "1", "tonn", "GJ")
    assert r.returncode == 1
    assert r.stderr == 'carbonmrv: FROM: unknown unit "tonn"; did you mean "t"?\n'
    r = run(cli, "units", "convert", "1", "tCH4", "tCO2e")
    assert r.returncode == 1 and "GWP" in r.stderr
    r = run(cli, "units", "convert", "nan", "t", "kg")
    assert r.returncode == 1 and "finite" in r.stderr


def test_usage_errors_exit_2(cli):
    assert run(cli, "units").returncode == 2
    assert run(cli, "units", "convert", "1", "t").returncode == 2
    assert run(cli, "units", "convert", "1", "t", "kg", "--format", "xml").returncode == 2
    assert run(cli, "frobnicate").returncode == 2


def test_version_and_list(cli):
    import carbonmrv

    r = run(cli, "--version")
    assert r.returncode == 0 and r.stdout.strip() == f"carbonmrv {carbonmrv.__version__}"
    r = run(cli, "units", "list", "--format", "json")
    rows = json.loads(r.stdout)
    tce = next(u for u in rows if u["symbol"] == "tce")
    assert tce["base_units_per_unit"] == 29307600000.0 and "GB/T 2589-2020" in tce["source"]
    r = run(cli, "units", "info", "吨二氧化碳/兆瓦时")
    assert r.returncode == 0 and "symbol: tCO2/MWh" in r.stdout and "mass of CO2 per energy" in r.stdout


def test_factors_lookup_explains(cli):
    r = run(cli, "factors", "lookup", "天然气", "ef", "--gas", "co2", "--region", "US", "--year", "2023")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("53.06 kgCO2/MMBtu — natural_gas ef co2\n")
    assert "dataset sha256 " in r.stdout and 'row "Natural Gas / Natural Gas"' in r.stdout


def test_factors_lookup_json_with_user_dataset(cli, unit_cases):
    from conftest import DATA_DIR

    r = run(cli, "factors", "lookup", "natural_gas", "ncv", "--region", "CN-11", "--year", "2023",
            "--load", str(DATA_DIR / "factors/plant_defaults.csv"), "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["value"] == 371.0 and out["dataset"]["id"] == "plant_defaults"


def test_factors_errors(cli):
    from conftest import DATA_DIR

    r = run(cli, "factors", "lookup", "natural_gas", "oxidation", "--region", "CN")
    assert r.returncode == 1 and "no factor for carrier" in r.stderr
    r = run(cli, "factors", "list", "--load", str(DATA_DIR / "factors/bad_unit_nan_duplicate.csv"))
    assert r.returncode == 1 and 'column "unit": unknown unit "tonn"' in r.stderr
    r = run(cli, "factors", "lookup", "x", "ncv", "--prefer", "a", "--policy", "epa")
    assert r.returncode == 2  # mutually exclusive options


def test_factors_list_and_show(cli):
    r = run(cli, "factors", "list", "--format", "json")
    ids = {d["id"] for d in json.loads(r.stdout)}
    assert {"epa_hub_2021", "ipcc_sar_gwp100", "ipcc_ar6_gwp100"} <= ids
    r = run(cli, "factors", "show", "ipcc_ar4_gwp100", "--format", "csv")
    assert ",gwp100,ch4,25,tCO2e/tCH4,GLOBAL,,Table 2.14,Methane,primary" in r.stdout.splitlines()
    assert run(cli, "factors", "show", "nope").returncode == 1


def test_inventory_table_json_csv(cli):
    from conftest import DATA_DIR

    doc = str(DATA_DIR / "enterprises/hand_calc.json")
    r = run(cli, "inventory", doc)
    assert r.returncode == 0, r.stderr
    assert "total" in r.stdout and "2214.754" in r.stdout and "净购入电力" in r.stdout
    r = run(cli, "inventory", doc, "--format", "json", "--gwp", "AR4")
    out = json.loads(r.stdout)
    assert out["conventions"]["gwp_dataset"] == "ipcc_ar4_gwp100"
    # AR4 instead of AR5: CH4 25 instead of 28, N2O 298 instead of 265.
    assert abs(out["totals"]["co2e_t"] - (2214.754266303 - 0.0204 * 3 + 0.0306 * 33)) < 1e-9
    r = run(cli, "inventory", doc, "--format", "csv")
    assert r.stdout.splitlines()[0] == ("source,period,kind,gas,category,scope,memo,mass_t,gwp,co2e_t,scope2_method,"
                                        "scope3_category,species")
    assert len(r.stdout.splitlines()) == 11
    assert "grid,2023,purchased_electricity,co2,net_purchased_electricity,2,true,500,1,500,market,," in r.stdout


def test_inventory_table_shows_the_uncertainty_or_why_not(cli):
    from conftest import DATA_DIR

    r = run(cli, "inventory", str(DATA_DIR / "enterprises/uncertainty.json"))
    assert r.returncode == 0, r.stderr
    # 77.681152 t = 3.057765 % of 2540.455267 t (worked in tests/data/inventory_cases.json).
    assert "uncertainty (IPCC Approach 1)                       77.681  (±3.06 %, 95 %; largest input: " \
           "sources[0] (coal).factors.carbon_content)" in r.stdout
    r = run(cli, "inventory", str(DATA_DIR / "enterprises/hand_calc.json"))
    # No uncertainties stated: 14 distinct inputs (coal: 2 activity records, stated NCV, February's measured
    # NCV, CC, OF, CH4 factor, the Table 2.3 N2O row; grid, limestone, steam: activity and factor each) are
    # listed as lacking one.
    assert "uncertainty not assessed: 14 input(s) without one (first: sources[0] (coal).activity[2023-01])" in r.stdout


def test_inventory_stdin_and_errors(cli):
    from conftest import DATA_DIR

    text = (DATA_DIR / "enterprises/hand_calc.json").read_text(encoding="utf-8")
    r = subprocess.run([cli, "inventory", "-", "--format", "json"], input=text, capture_output=True, text=True)
    assert r.returncode == 0 and json.loads(r.stdout)["schema"] == "carbonmrv.inventory/1"
    bad = text.replace('"period": "2023-01"', '"period": "2022-01"')
    r = subprocess.run([cli, "inventory", "-"], input=bad, capture_output=True, text=True)
    assert r.returncode == 1
    assert 'sources[0].activity[0].period: "2022-01" is not "2023" or "2023-MM"' in r.stderr
    assert run(cli, "inventory", "/nonexistent.json").returncode == 1
    assert run(cli, "inventory", str(DATA_DIR / "enterprises/hand_calc.json"), "--co2-per-c", "3.7").returncode == 1


def test_energy_table_json_csv_and_check(cli, tmp_path):
    import carbonmrv as cm
    from conftest import DATA_DIR

    path = str(DATA_DIR / "enterprises/hand_balance.json")
    r = run(cli, "energy", path)
    assert r.returncode == 0, r.stderr
    assert "综合能耗 comprehensive energy consumption: 8871.424 tce (calorific, feedstock include)" in r.stdout
    j = run(cli, "energy", path, "--format", "json")
    assert j.returncode == 0
    ent = cm.Enterprise.from_file(path)
    assert json.loads(j.stdout) == cm.compute_energy_balance(ent).to_dict()  # same numbers, bit for bit
    c = run(cli, "energy", path, "--format", "csv", "--basis", "physical")
    assert c.stdout.splitlines()[2] == "stock_decrease,200,0,0,0,0"
    # A gap beyond the error tolerance: reported, and with --check the exit code says so.
    doc = json.loads(open(path, encoding="utf-8").read())
    doc["energy_balances"][0]["end_uses"][4]["value"] = 14000
    bad = tmp_path / "gap.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    r = run(cli, "energy", str(bad))
    assert r.returncode == 0 and "error    electricity      supply_and_use        1000.000 MWh          5.41 %" in r.stdout
    assert run(cli, "energy", str(bad), "--check").returncode == 3


def test_energy_errors(cli, tmp_path):
    from conftest import DATA_DIR

    path = str(DATA_DIR / "enterprises/hand_balance.json")
    r = run(cli, "energy", path, "--period", "2024")
    assert r.returncode == 1 and 'no energy balance for period "2024"' in r.stderr
    r = run(cli, "energy", path, "--basis", "kWh")
    assert r.returncode == 1 and 'basis "kWh"' in r.stderr
    doc = json.loads(open(path, encoding="utf-8").read())
    doc["energy_balances"][0]["carriers"][0]["closing_stock"]["value"] = -5
    bad = tmp_path / "neg.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    r = run(cli, "energy", str(bad))
    assert r.returncode == 1
    assert "energy_balances[0].carriers[0].closing_stock.value: -5 is negative" in r.stderr


def test_verify_exit_codes_formats_and_against(cli, tmp_path):
    import carbonmrv as cm
    from conftest import DATA_DIR, patched

    base = str(DATA_DIR / "enterprises/verify_base.json")
    r = run(cli, "verify", base)
    assert r.returncode == 0 and "no findings." in r.stdout
    cases = json.loads((DATA_DIR / "verification_cases.json").read_text(encoding="utf-8"))
    fault = next(c for c in cases["faults"] if c["name"] == "own-generated electricity counted as purchased")
    bad = tmp_path / "bad.json"
    bad.write_text(patched(fault), encoding="utf-8")
    r = run(cli, "verify", str(bad), "--format", "json")
    assert r.returncode == 3
    assert json.loads(r.stdout) == cm.verify(cm.Enterprise.from_file(bad)).to_dict()
    r = run(cli, "verify", str(bad), "--format", "csv", "--lang", "zh")
    assert r.returncode == 3 and r.stdout.splitlines()[1].startswith("X19,error,electricity,2023,9000,5000,")
    reported = tmp_path / "reported.json"
    reported.write_text(cm.compute_inventory(cm.Enterprise.from_file(base), gwp="ipcc_ar4_gwp100").to_json(),
                        encoding="utf-8")
    r = run(cli, "verify", base, "--against", str(reported))
    assert r.returncode == 3 and "the reported inventory uses GWP set ipcc_ar4_gwp100" in r.stdout
    assert "gwp                      -0.140" in r.stdout
    r = run(cli, "verify", base, "--tolerance", "X01")
    assert r.returncode == 1 and "CHECK=WARNING:ERROR" in r.stderr
    r = run(cli, "verify", base, "--checks", "X42")
    assert r.returncode == 1 and 'unknown check "X42"' in r.stderr


def test_inventory_monte_carlo_and_key_categories(cli):
    from conftest import DATA_DIR

    doc = str(DATA_DIR / "enterprises/uncertainty.json")
    r = run(cli, "inventory", doc, "--uncertainty", "mc", "--draws", "20000", "--seed", "5", "--by", "source")
    assert r.returncode == 0, r.stderr
    assert "uncertainty, IPCC Approach 2 (Monte Carlo, 20000 draws, seed 5, philox4x32-10):" in r.stdout
    for source in ("coal", "grid", "steam"):
        assert f"  {source} " in r.stdout
    # The JSON document is the same computation, and the same seed gives the same numbers.
    j1 = json.loads(run(cli, "inventory", doc, "--uncertainty", "mc", "--draws", "20000", "--seed", "5",
                        "--format", "json").stdout)
    j2 = json.loads(run(cli, "inventory", doc, "--uncertainty", "mc", "--draws", "20000", "--seed", "5",
                        "--threads", "1", "--format", "json").stdout)
    assert j1["schema"] == "carbonmrv.monte_carlo/1" and j1 == j2
    # 77.681 t is Approach 1's half-width of the total (test_inventory_table_shows_the_uncertainty_or_why_not).
    g = j1["groups"][0]
    assert abs((g["upper_t"] - g["lower_t"]) / 2 - 77.681152) < 0.03 * 77.681152
    # Key categories, level and trend (worked by hand in tests/data/monte_carlo_cases.json).
    r = run(cli, "inventory", doc, "--key-categories", "--base", str(DATA_DIR / "enterprises/uncertainty_base.json"))
    assert r.returncode == 0, r.stderr
    assert "level assessment by source (to 95 % cumulative)" in r.stdout
    assert "trend assessment by source" in r.stdout
    assert "68.557 %" in r.stdout and "50.000 %" in r.stdout
    # A bad override names the input; an unknown shape is refused.
    r = run(cli, "inventory", doc, "--uncertainty", "mc", "--mc-input", "nope=normal")
    assert r.returncode != 0 and "no counted line of this inventory uses \"nope\"" in r.stderr
    r = run(cli, "inventory", doc, "--uncertainty", "mc", "--mc-input", "sources[1] (grid).factors.grid_ef=gamma")
    assert r.returncode != 0 and "unknown distribution \"gamma\"" in r.stderr
