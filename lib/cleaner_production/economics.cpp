// Economic indicators of a cleaner-production option (feasibility analysis, audit stage 5): annual net
// cash flow, payback, NPV, NPVR, IRR (exact and by the textbook two-rate interpolation) and the
// capital recovery factor. Formulas: docs/cleaner-production.md (CNCPC audit handbook / 清洁生产审核
// 可行性分析 as summarised in the project's domain reference §3.4).
#include <cmath>

#include "carbonmrv/cleaner_production/cleaner_production.hpp"
#include "carbonmrv/status.hpp"
#include "internal/invalid.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;

using internal::InvalidField;

// Bisection iterations: the bracket [−0.99, 1e6] shrinks below 1e-12 well within 200 halvings, and a
// fixed count keeps the result bit-identical everywhere.
constexpr int kBisections = 200;

}  // namespace

double CapitalRecoveryFactor(double i, int n) {
  if (i == 0) return 1.0 / n;
  const double g = std::pow(1 + i, n);
  return i * g / (g - 1);
}

double NetPresentValue(double investment, double net_cash_flow, int years, double rate) {
  // Summed year by year (not by the annuity formula) so that rate 0 and negative rates need no case.
  double pv = 0, discount = 1;
  for (int j = 1; j <= years; ++j) {
    discount /= 1 + rate;
    pv += net_cash_flow * discount;
  }
  return pv - investment;
}

absl::StatusOr<Economics> EvaluateEconomics(const EconomicsInput& in) {
  for (auto [name, v] : {std::pair{"investment", in.investment}, std::pair{"annual_savings", in.annual_savings},
                         std::pair{"annual_om_change", in.annual_om_change},
                         std::pair{"discount_rate", in.discount_rate}, std::pair{"tax_rate", in.tax_rate}}) {
    if (!std::isfinite(v)) return InvalidField(name, "is not a finite number");
  }
  if (in.life_years < 1) return InvalidField("life_years", StrCat(in.life_years, " is not ≥ 1"));
  if (in.depreciation_years < 0)
    return InvalidField("depreciation_years", StrCat(in.depreciation_years, " is negative"));
  if (in.investment < 0) return InvalidField("investment", StrCat(in.investment, " is negative"));
  if (in.discount_rate < 0 || in.discount_rate >= 1)
    return InvalidField("discount_rate", "expected a fraction in [0, 1)");
  if (in.tax_rate < 0 || in.tax_rate >= 1) return InvalidField("tax_rate", "expected a fraction in [0, 1)");
  if (in.benchmark_rate && !(*in.benchmark_rate >= 0 && *in.benchmark_rate < 1)) {
    return InvalidField("benchmark_rate", "expected a fraction in [0, 1)");
  }
  if (!(in.irr_interpolation_step > 0 && in.irr_interpolation_step <= 0.05)) {
    return InvalidField("irr_interpolation_step", "expected a fraction in (0, 0.05] (textbooks keep i2 − i1 ≤ 5 %)");
  }
  Economics e;
  const int dep_years = in.depreciation_years == 0 ? in.life_years : in.depreciation_years;
  e.depreciation = in.investment / dep_years;
  // F = (P − C − D)(1 − t) + D: after-tax profit plus depreciation. A negative taxable profit gives a
  // negative tax, i.e. the option lowers the enterprise's tax on its other profit.
  e.taxable_profit = in.annual_savings - in.annual_om_change - e.depreciation;
  e.tax = e.taxable_profit * in.tax_rate;
  e.net_cash_flow = e.taxable_profit - e.tax + e.depreciation;
  const double f = e.net_cash_flow;
  const double i = in.discount_rate;
  const int n = in.life_years;
  e.crf = CapitalRecoveryFactor(i, n);
  e.npv = NetPresentValue(in.investment, f, n, i);
  if (in.investment > 0) e.npvr = e.npv / in.investment;
  if (f > 0) {
    e.simple_payback = in.investment / f;
    double cum = 0, discount = 1;
    for (int j = 1; j <= n; ++j) {
      discount /= 1 + i;
      const double pv = f * discount;
      if (cum + pv >= in.investment) {
        e.discounted_payback = (j - 1) + (in.investment - cum) / pv;
        break;
      }
      cum += pv;
    }
  }
  // IRR: NPV(r) = F Σ (1+r)^−j − I falls monotonically in r when F > 0, so one root lies in
  // (−1, ∞) when I > 0. Without investment or inflow there is none.
  if (f > 0 && in.investment > 0) {
    double lo = -0.99, hi = 1.0;
    while (NetPresentValue(in.investment, f, n, hi) > 0 && hi < 1e6) hi *= 2;
    if (NetPresentValue(in.investment, f, n, lo) > 0 && NetPresentValue(in.investment, f, n, hi) <= 0) {
      for (int k = 0; k < kBisections; ++k) {
        const double mid = lo + (hi - lo) / 2;
        if (NetPresentValue(in.investment, f, n, mid) > 0) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      e.irr = lo + (hi - lo) / 2;
      // The textbook interpolation between the grid rates that bracket the IRR.
      const double step = in.irr_interpolation_step;
      const double i1 = std::floor(*e.irr / step) * step, i2 = i1 + step;
      const double npv1 = NetPresentValue(in.investment, f, n, i1), npv2 = NetPresentValue(in.investment, f, n, i2);
      e.irr_i1 = i1;
      e.irr_i2 = i2;
      e.irr_npv1 = npv1;
      e.irr_npv2 = npv2;
      if (npv1 - npv2 != 0) e.irr_interpolated = i1 + npv1 * (i2 - i1) / (npv1 + std::abs(npv2));
    }
  }
  e.feasible = true;
  if (f <= 0) {
    e.feasible = false;
    e.verdict.push_back(StrCat("annual net cash flow F = ", f, " CNY ≤ 0"));
  }
  if (e.npv < 0) {
    e.feasible = false;
    e.verdict.push_back(StrCat("NPV = ", e.npv, " CNY < 0 at i = ", i * 100, " %"));
  } else {
    e.verdict.push_back(StrCat("NPV = ", e.npv, " CNY ≥ 0 at i = ", i * 100, " %"));
  }
  if (in.benchmark_rate) {
    if (in.investment == 0) {
      e.verdict.push_back("no investment: the IRR test does not apply");
    } else if (!e.irr || *e.irr < *in.benchmark_rate) {
      e.feasible = false;
      e.verdict.push_back(e.irr ? StrCat("IRR = ", *e.irr * 100, " % < benchmark ", *in.benchmark_rate * 100, " %")
                                : StrCat("no IRR ≥ benchmark ", *in.benchmark_rate * 100, " %"));
    } else {
      e.verdict.push_back(StrCat("IRR = ", *e.irr * 100, " % ≥ benchmark ", *in.benchmark_rate * 100, " %"));
    }
  }
  return e;
}

}  // namespace cmrv
