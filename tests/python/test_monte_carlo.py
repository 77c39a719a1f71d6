"""Monte Carlo uncertainty (IPCC 2006 Vol. 1 Ch. 3 Approach 2) and key category analysis (Vol. 1 Ch. 4
Approach 1) through Python, on the fixtures the C++ and C API suites run (tests/data/monte_carlo_cases.json)."""
import json

import numpy as np
import pytest

import carbonmrv as cm
from conftest import DATA_DIR, counted

CASES = json.loads((DATA_DIR / "monte_carlo_cases.json").read_text(encoding="utf-8"))
FILE = "monte_carlo_cases.json"


def inventory(rel):
    return cm.compute_inventory(cm.Enterprise.from_file(str(DATA_DIR / rel)))


def kwargs(options):
    """The case's option texts as monte_carlo() keywords."""
    out = {}
    for k, v in options.items():
        if k == "input":
            input_id, spec = v.rsplit("=", 1)
            parts = spec.split(":")
            out["inputs"] = {input_id: parts[0] if len(parts) == 1 else (parts[0], float(parts[1]), float(parts[2]))}
        elif k in ("draws", "seed", "threads"):
            out[k] = int(v)
        else:
            out[k] = v
    return out


@pytest.mark.parametrize("case", counted(CASES, FILE, "agreement"))
def test_agrees_with_approach_1(case):
    inv = inventory(case["document"])
    mc = inv.monte_carlo(by=case["key"], **kwargs(case["options"]))
    a1 = inv.uncertainty(case["key"])
    s = mc.summary
    assert list(s.index) == list(a1.index)
    half = (s["upper_t"] - s["lower_t"]) / 2
    np.testing.assert_allclose(half.to_numpy(), a1["half_width_t"].to_numpy(), rtol=case["half_width_rel_tol"])
    np.testing.assert_allclose(s["mean_t"].to_numpy(), s["co2e_t"].to_numpy(), rtol=1e-3)
    assert s.attrs["seed"] == int(case["options"]["seed"]) and s.attrs["draws"] == int(case["options"]["draws"])
    # Contributions sum to 100 % per group.
    sums = mc.contributions.groupby("group")["share_pct"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 100.0, rtol=1e-12)


@pytest.mark.parametrize("case", counted(CASES, FILE, "key_categories"))
def test_key_categories(case):
    inv = inventory(case["document"])
    base = inventory(case["base"]) if "base" in case else None
    df = inv.key_categories(case["key"], base=base, threshold_pct=case["threshold_pct"])
    assert list(df["group"]) == [e["group"] for e in case["expected"]]
    np.testing.assert_allclose(df["share_pct"].to_numpy(), [e["share_pct"] for e in case["expected"]], rtol=1e-12)
    assert list(df["key"]) == [e["key"] for e in case["expected"]]
    assert df.attrs["assessment"] == ("trend" if base is not None else "level")


@pytest.mark.parametrize("case", counted(CASES, FILE, "errors"))
def test_errors_name_the_option(case):
    inv = inventory(case["document"])
    with pytest.raises(cm.InvalidInputError) as e:
        inv.monte_carlo(**kwargs(case["options"]))
    assert str(e.value) == case["message"]


def test_threads_do_not_change_the_bits_and_the_histogram_draws():
    inv = inventory("enterprises/uncertainty.json")
    one = inv.monte_carlo(draws=4000, seed=3, threads=1, keep_draws=True)
    two = inv.monte_carlo(draws=4000, seed=3, threads=2, keep_draws=True)
    assert one.draws("total").tobytes() == two.draws("total").tobytes()
    assert one.summary.equals(two.summary)
    assert inv.monte_carlo(draws=4000, seed=4, keep_draws=True).draws("total").tobytes() != one.draws("total").tobytes()
    with pytest.raises(ValueError, match="keep_draws=True"):
        inv.monte_carlo(draws=100).draws("total")
    # An input override: the grid factor drawn triangular over −10 % / +20 %.
    mc = inv.monte_carlo(by="source", draws=20000, inputs={"sources[1] (grid).factors.grid_ef": ("triangular", 10, 20)})
    row = mc.inputs.set_index("input").loc["sources[1] (grid).factors.grid_ef"]
    assert (row["shape"], row["lower_pct"], row["upper_pct"]) == ("triangular", 10.0, 20.0)
    assert mc.summary.loc["grid", "upper_pct"] > mc.summary.loc["grid", "lower_pct"]  # skewed right


def test_plot_histogram(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    inv = inventory("enterprises/uncertainty.json")
    mc = inv.monte_carlo(draws=5000, seed=1, keep_draws=True)
    ax = mc.plot()
    patches = ax.patches
    assert sum(p.get_height() for p in patches) == 5000  # every draw is in a bin
    assert "5,000" in ax.get_title() and "seed 1" in ax.get_title()
    ax.figure.savefig(tmp_path / "mc.png")
    assert (tmp_path / "mc.png").stat().st_size > 0
