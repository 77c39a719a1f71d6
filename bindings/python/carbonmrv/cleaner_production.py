"""Cleaner production (清洁生产) for notebooks: an audit round's indicators and level, its options with
their abatement (by the inventory engine) and economics, the MACC, targets and the ex-post comparison.

>>> import carbonmrv as cm
>>> ent = cm.Enterprise.from_file("examples/data/cement_plant.json")
>>> rep = cm.cleaner_production.audit(ent, carbon_price=60)
>>> rep.options_frame()          # abatement, NPV, IRR, payback, cost of abatement per option
>>> rep.macc_frame()             # options by cost of abatement, with cumulative abatement
>>> rep.plot_macc()              # the curve (matplotlib)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import json
import os

from . import _core
from ._extend import extends
from .enterprise import as_enterprise

if TYPE_CHECKING:  # type checkers see the compiled classes (_core.pyi) with these methods
    from ._core import AuditReport as _Report
    from ._core import IndicatorSystem as _System
else:
    _Report = object
    _System = object

__all__ = ["AuditReport", "IndicatorSystem", "audit", "option_economics"]


def _text(value) -> str:
    """A document given as a path, JSON text or dict, as JSON text."""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (str, os.PathLike)) and os.path.exists(value):
        with open(value, encoding="utf-8") as f:
            return f.read()
    return str(value)


@extends(_core.IndicatorSystem)
class IndicatorSystem(_System):
    """Python methods of the compiled IndicatorSystem."""

    @staticmethod
    def load(source) -> "IndicatorSystem":
        """Load a carbonmrv.indicator_system/1 document (a path, JSON text or dict)."""
        return _core.IndicatorSystem.from_json(_text(source))

    def to_pandas(self):
        """One row per second-level indicator: group, weights, limiting, direction, unit, level_I/II/III."""
        import pandas as pd

        return pd.DataFrame(self.indicators)

    def __repr__(self):
        return f"IndicatorSystem({self.id!r}, {len(self.indicators)} indicators, {self.confidence})"


def audit(enterprise, catalogue=None, system=None, audit: str = "", carbon_price=None, review=None,
          gwp: str = "ipcc_ar5_gwp100", co2_per_carbon: str = "44/12", scope2: str = "location",
          preference=None) -> "AuditReport":
    """Evaluate an audit round of ``enterprise`` (GIL released).

    ``system``: an ``IndicatorSystem`` (or a path/JSON/dict of one) to score the indicators. ``audit``:
    the round's id (default: the last). ``carbon_price``: CNY per tCO2e (a number) or text such as
    ``"60 CNY/tCO2e"``; overrides the round's own. ``review``: the next year's document (an
    ``Enterprise``, path, JSON or dict) for the ex-post comparison and target status. The conventions
    are the inventory's.
    """
    opts = {"gwp_dataset": gwp, "co2_per_carbon": str(co2_per_carbon), "scope2_method": scope2}
    if audit:
        opts["audit"] = audit
    if carbon_price is not None:
        opts["carbon_price"] = carbon_price if isinstance(carbon_price, str) else repr(float(carbon_price))
    if preference:
        opts["factor_preference"] = preference if isinstance(preference, str) else ",".join(preference)
    if system is not None and not isinstance(system, _core.IndicatorSystem):
        system = IndicatorSystem.load(system)
    return _core._audit(as_enterprise(enterprise), catalogue, system, opts, as_enterprise(review))


def option_economics(investment: float, annual_savings: float, life_years: int, discount_rate: float,
                     annual_om_change: float = 0.0, tax_rate: float = 0.0, depreciation_years: int = 0,
                     benchmark_rate=None, interpolation_step: float = 0.01) -> dict:
    """The feasibility indicators of one option, in CNY and fractions: net cash flow F = (P − C − D)(1 − t) + D,
    simple and discounted payback, NPV, NPVR, IRR (exact, and the textbook two-rate interpolation), the
    capital recovery factor and the verdict against ``benchmark_rate``."""
    return _core._option_economics(float(investment), float(annual_savings), float(annual_om_change),
                                   int(life_years), int(depreciation_years), float(discount_rate),
                                   float(tax_rate), None if benchmark_rate is None else float(benchmark_rate),
                                   float(interpolation_step))


@extends(_core.AuditReport)
class AuditReport(_Report):
    """Python methods of the compiled AuditReport: DataFrames and the MACC plot."""

    def to_dict(self) -> dict:
        """The carbonmrv.audit/1 document as a dict."""
        return json.loads(self.to_json())

    def indicators_frame(self):
        """One row per indicator and year: value, unit, level (stated), and where the value came from."""
        import pandas as pd

        return pd.DataFrame(self.to_dict()["indicators"],
                            columns=["id", "name", "metric", "year", "value", "unit", "level", "from"])

    def score_frame(self, review: bool = False):
        """The indicator-system scoring: one row per indicator with its level and the gap to the next."""
        import pandas as pd

        score = self.to_dict().get("review_score" if review else "score")
        if score is None:
            raise ValueError("no indicator system was given" if not review else "no review document was given")
        return pd.DataFrame(score["indicators"])

    def options_frame(self):
        """One row per option: abatement (sequential and standalone), savings and economics."""
        import pandas as pd
        import io

        return pd.read_csv(io.StringIO(self.to_csv("options")))

    def macc_frame(self):
        """The MACC: options by cost of abatement (CNY/tCO2e), width = annual abatement (tCO2e)."""
        import pandas as pd
        import io

        return pd.read_csv(io.StringIO(self.to_csv("macc")))

    def targets_frame(self):
        import pandas as pd

        return pd.DataFrame(self.to_dict()["targets"])

    def ex_post_frame(self):
        """Claimed against observed, normalised by production (empty without a review document)."""
        import pandas as pd

        return pd.DataFrame(self.to_dict()["ex_post"])

    def plot_macc(self, ax=None, lang: str = "en"):
        """Draw the MACC (carbonmrv.plot.macc): one bar per option, width = abatement, height = cost."""
        from . import plot

        return plot.macc(self, ax=ax, lang=lang)

    def __repr__(self):
        lvl = "" if self.level is None else f", level {self.level}"
        return (f"AuditReport({self.enterprise!r} {self.year}, audit {self.audit_id!r}{lvl}: "
                f"{self.baseline_co2e_t:.6g} → {self.final_co2e_t:.6g} tCO2e)")
