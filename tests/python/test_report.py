"""Reports: the HTML page opened in a real headless browser (Debian chromium) loads without a console
message, shows the library's total and its own script finds that the lines shown add up to it (a
screenshot is kept); the GHG Protocol summary adds up to the inventory; the workbook reads back; the CLI."""
import os
import pathlib
import re
import shutil
import subprocess

import matplotlib

matplotlib.use("Agg")
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import carbonmrv as cm  # noqa: E402
from carbonmrv import report  # noqa: E402
from conftest import DATA_DIR  # noqa: E402

CEMENT = DATA_DIR.parents[1] / "examples" / "data" / "cement_plant.json"


def chromium():
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (scripts/install-deps.sh installs it)")
        pytest.skip("chromium is not installed")
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_report_in_a_headless_browser(lang, tmp_path):
    ent = cm.Enterprise.from_file(CEMENT)
    inv = cm.compute_inventory(ent)
    page = tmp_path / f"report_{lang}.html"
    page.write_text(report.enterprise_html(ent, lang=lang), encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', text)  # self-contained: nothing fetched
    base = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run(base + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "CONSOLE" not in dom.stderr, [l for l in dom.stderr.splitlines() if "CONSOLE" in l]
    total = re.search(r'<span class="total" id="total-co2e" data-value="([^"]+)" data-check="([^"]+)">([^<]+)<',
                      dom.stdout)
    assert total is not None
    assert float(total.group(1)) == inv.total_co2e  # repr of the double: exact
    assert total.group(2) == "ok"  # the page's script: the lines shown sum to the total
    assert total.group(3) == f"{inv.total_co2e:,.3f}"  # 1,452,770.148
    assert dom.stdout.count("data:image/png;base64,") == 3  # inventory, energy flow, MACC
    shots = pathlib.Path(os.environ.get("CMRV_ARTIFACTS_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / f"report_{lang}.png"
    run = subprocess.run(base + ["--hide-scrollbars", "--window-size=1200,1800", f"--screenshot={shot}",
                                 page.as_uri()], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "CONSOLE" not in run.stderr
    assert shot.read_bytes()[:4] == b"\x89PNG" and shot.stat().st_size > 50_000


def test_ghg_protocol_summary_adds_up():
    inv = cm.compute_inventory(cm.Enterprise.from_file(CEMENT))
    s = report.ghg_protocol_summary(inv)
    rows = {(r.scope, r.method): r.tCO2e for r in s.itertuples()}
    totals = inv.totals()
    # Scope 1 = fuel combustion + process (501 763.159 + 859 690.729); scope 2 = purchased electricity.
    assert rows[("1", "")] == pytest.approx(totals["fuel_combustion"] + totals["industrial_process"], rel=1e-12)
    assert rows[("2", "location-based")] == pytest.approx(totals["net_purchased_electricity"], rel=1e-12)
    assert rows[("1", "")] + rows[("2", "location-based")] == pytest.approx(inv.total_co2e, rel=1e-12)
    assert rows[("2", "market-based")] == pytest.approx(inv.scope2_co2e("market"), rel=1e-12)
    assert list(report.ghg_protocol_summary(inv, lang="zh").columns) == ["范围", "类别", "方法", "tCO2e"]


def test_workbook_and_csv_read_back(tmp_path):
    ent = cm.Enterprise.from_file(CEMENT)
    inv = cm.compute_inventory(ent)
    report.write(ent, tmp_path / "r.xlsx", fmt="xlsx", lang="en")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == [*report.national_tables(ent, inv), "GHG Protocol", "inventory lines",
                             "energy balance (tce)"]
    lines = list(wb["inventory lines"].iter_rows(values_only=True))
    assert len(lines) == 1 + len(inv.lines)
    col, memo = lines[0].index("co2e_t"), lines[0].index("memo")
    # The market-based scope 2 lines are memo lines (the total is location-based).
    assert sum(r[col] for r in lines[1:] if not r[memo]) == pytest.approx(inv.total_co2e, rel=1e-12)
    report.write(ent, tmp_path / "r.csv", fmt="csv", lang="zh")
    assert (tmp_path / "r.csv").read_bytes().startswith("\ufeff范围,类别,方法,tCO2e".encode("utf-8"))
    with pytest.raises(ValueError, match="format: 'pdf' is not one of html, csv, xlsx"):
        report.write(ent, tmp_path / "r.pdf", fmt="pdf")


def test_national_tables_add_up_and_agree_with_the_energy_balance(tmp_path):
    ent = cm.Enterprise.from_file(CEMENT)
    inv = cm.compute_inventory(ent)
    t = report.national_tables(ent, inv)
    basic, emissions, activity, factors = t.values()
    assert dict(zip(basic["项目"], basic["内容"]))["统一社会信用代码"] == "91340500MA2T8E3P63"
    rows = emissions.set_index("排放类别")["CO2当量（tCO2e）"]
    totals = inv.totals()
    assert rows["燃料燃烧"] == pytest.approx(totals["fuel_combustion"], rel=1e-12)
    assert rows["工业过程"] == pytest.approx(totals["industrial_process"], rel=1e-12)
    assert rows["净购入电力"] == pytest.approx(totals["net_purchased_electricity"], rel=1e-12)
    assert rows["排放总量"] == inv.total_co2e
    # The kiln's coal over 12 months equals the energy balance's bituminous-coal supply (another module).
    coal = activity.set_index("排放源").loc["kiln-coal"]
    supply = cm.compute_energy_balance(ent).closure_frame().set_index("subject").loc["bituminous_coal", "supply"]
    assert (coal["活动水平"], coal["单位"], coal["期数"]) == (pytest.approx(supply, rel=1e-12), "t", 12)
    assert coal["数据来源"] == "activity as given, meter"
    grid_ef = factors[(factors["排放源"] == "grid") & (factors["参数"] == "EF")]
    assert list(grid_ef["数值"]) == [0.5306]  # MEE/NBS 2023 national average, kgCO2/kWh
    assert "公告2025年第47号" in grid_ef["来源及选取理由"].iloc[0]
    report.write(ent, tmp_path / "n.csv", fmt="csv", template="national")
    long = pd.read_csv(tmp_path / "n.csv", encoding="utf-8-sig")
    assert list(long.columns[:2]) == ["表", "行"] and set(long["表"]) == set(t)
    assert len(long) == sum(len(x) for x in t.values())


def test_cli_report(cli, tmp_path):
    out = tmp_path / "cement.html"
    run = subprocess.run([cli, "report", str(CEMENT), "--format", "html", "--lang", "zh", "-o", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "排放总量" in out.read_text(encoding="utf-8")
    tables = tmp_path / "national.csv"
    run = subprocess.run([cli, "report", str(CEMENT), "--format", "csv", "--template", "national", "-o", str(tables)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert tables.read_text(encoding="utf-8-sig").startswith("表,行,项目,内容")
    bad = subprocess.run([cli, "report", str(tmp_path / "missing.json")], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1
    assert "missing.json: No such file or directory" in bad.stderr
