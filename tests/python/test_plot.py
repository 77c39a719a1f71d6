"""carbonmrv.plot: every plot renders to PNG in English and Chinese without a missing glyph, draws into a
given axes, and shows the library's numbers (bar heights and flows read back from the drawn artists)."""
import json
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import carbonmrv as cm  # noqa: E402
from carbonmrv import plot  # noqa: E402
from conftest import DATA_DIR, patched  # noqa: E402

CEMENT = DATA_DIR.parents[1] / "examples" / "data" / "cement_plant.json"
CHP = DATA_DIR.parents[1] / "examples" / "data" / "chp_plant.json"


@pytest.fixture(scope="module")
def results():
    ent = cm.Enterprise.from_file(CEMENT)
    system = cm.cleaner_production.IndicatorSystem.load(DATA_DIR / "indicator_systems" / "hand_made.json")
    cases = json.loads((DATA_DIR / "verification_cases.json").read_text(encoding="utf-8"))
    case = cases["reconciliation"][0]
    text = patched(case)
    spec = case["reported"]
    source = patched({"document": case["document"], "patch": spec["patch"]}) if "patch" in spec else text
    reported = cm.compute_inventory(cm.Enterprise.from_json(source), gwp=spec.get("gwp", "ipcc_ar5_gwp100"),
                                    co2_per_carbon=spec.get("co2_per_carbon", "44/12"))
    panel = pd.read_csv(DATA_DIR / "did" / "mpdta.csv")
    did = cm.policy.att_gt(panel, yname="lemp", tname="year", idname="countyreal", gname="first.treat")
    return dict(
        inv=cm.compute_inventory(ent), balance=cm.compute_energy_balance(ent), verify=cm.verify(ent),
        reconciled=cm.verify(cm.Enterprise.from_json(text), reported=reported.to_json()),
        audit=cm.cleaner_production.audit(ent, system=system), system=system,
        allocation=cm.market.allocate(cm.Enterprise.from_file(CHP), rules="cn_power_2021_2022", year=2022),
        dynamic=did.aggte("dynamic"))


DRAW = {
    "inventory": lambda r, lang: plot.inventory(r["inv"], lang=lang),
    "inventory_monthly": lambda r, lang: plot.inventory_monthly(r["inv"], lang=lang),
    "energy_flow": lambda r, lang: plot.energy_flow(r["balance"], lang=lang),
    "verification_findings": lambda r, lang: plot.verification_findings(r["verify"], lang=lang),
    "reconciliation": lambda r, lang: plot.reconciliation(r["reconciled"], lang=lang),
    "macc": lambda r, lang: plot.macc(r["audit"], lang=lang),
    "indicators": lambda r, lang: plot.indicators(r["audit"], r["system"], lang=lang),
    "allocation": lambda r, lang: plot.allocation(r["allocation"], lang=lang),
    "event_study": lambda r, lang: plot.event_study(r["dynamic"], lang=lang),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", sorted(DRAW))
def test_renders_to_png_without_missing_glyphs(results, name, lang, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = DRAW[name](results, lang)
        path = tmp_path / f"{name}_{lang}.png"
        ax.figure.savefig(path, dpi=60)
    plt.close(ax.figure)
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]
    assert glyphs == []
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


def test_the_cjk_font_has_the_glyphs():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    name = plot.cjk_font()
    assert name is not None, "install fonts-wqy-microhei (scripts/install-deps.sh)"
    path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    font = FT2Font(path)
    for ch in "温室气体排放清单核查配额":
        assert font.get_char_index(ord(ch)) != 0, ch


def test_draws_into_a_given_axes_and_shows_the_totals(results, tmp_path):
    fig, (a, b) = plt.subplots(1, 2)  # made before carbonmrv sets the CJK font
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert plot.inventory(results["inv"], ax=a, lang="zh") is a
        fig.savefig(tmp_path / "given.png")
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []
    heights = sum(p.get_height() for p in a.patches)
    assert heights == pytest.approx(results["inv"].total_co2e, rel=1e-12)  # memo lines are left out
    assert plot.allocation(results["allocation"], ax=b) is b
    frame = results["allocation"].to_pandas()
    drawn = sorted(p.get_height() for p in b.patches)
    assert drawn == sorted(list(frame["allocation_t"]) + list(frame["verified_emissions_t"]))
    plt.close(fig)


def test_energy_flow_closes_and_reconciliation_ends_at_the_reported_total(results):
    ax = plot.energy_flow(results["balance"])
    total = results["balance"].to_pandas(basis="tce")["total"]
    # Each flow's label shows its balance row (rounded to 1 tce); inflows and outflows close.
    shown = dict(t.get_text().replace(" tce", "").split("\n") for t in ax.texts if "tce" in t.get_text())
    want = {"purchased": total["purchased"], "recovered": total["recovered"], "stock build": -total["stock_decrease"],
            "losses": total["distribution_loss"], "main production": total["main_production"],
            "auxiliary": total["auxiliary"], "lighting": total["lighting"], "other use": total["other_use"]}
    assert set(shown) == set(want)
    for name, value in want.items():
        assert abs(float(shown[name]) - value) <= 0.5, name
    inflow = total["purchased"] + total["recovered"]
    outflow = sum(v for k, v in want.items() if k not in ("purchased", "recovered"))
    assert inflow - outflow == pytest.approx(total["imbalance"], abs=1e-6)
    plt.close(ax.figure)
    ax = plot.reconciliation(results["reconciled"])
    rec = results["reconciled"].to_dict()["reconciliation"]
    bars = ax.patches
    assert bars[0].get_height() == pytest.approx(rec["recomputed_total"], rel=1e-12)
    assert bars[-1].get_height() == pytest.approx(rec["reported_total"], rel=1e-12)
    steps = sum(p.get_height() for p in bars[1:-1])
    assert steps == pytest.approx(rec["reported_total"] - rec["recomputed_total"], rel=1e-9, abs=1e-6)
    plt.close(ax.figure)


def test_bad_arguments_are_named(results):
    with pytest.raises(ValueError, match="lang: 'fr' is not one of en, zh"):
        plot.inventory(results["inv"], lang="fr")
    with pytest.raises(ValueError, match="by: 'plant' is not one of"):
        plot.inventory(results["inv"], by="plant")
