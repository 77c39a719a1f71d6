// Checks of a reported inventory: conventions (X20) and materiality (X22).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "verification/verifier.hpp"

namespace cmrv::internal {

// X20: the reported inventory's conventions are the ones the verification applies.
bool Verifier::X20() {
  const Inventory& reported = *reported_;
  const auto& r = *report_.reconciliation;
  auto part = [&](const char* p) {
    auto it = r.by_part.find(p);
    return it == r.by_part.end() ? 0.0 : it->second;
  };
  for (auto [name, rep, mine, p] :
       {std::tuple{"GWP set", reported.options.gwp_dataset, inv_.options.gwp_dataset, "gwp"},
        std::tuple{"CO2/C ratio", Co2PerCarbonText(reported.options), Co2PerCarbonText(inv_.options), "convention"}}) {
    if (rep == mine) continue;
    Finding f;
    f.severity = Severity::kError;
    f.subject = "inventory";
    f.period = std::to_string(e_.year);
    f.observed = part(p);
    f.expected = 0;
    f.difference = part(p);
    f.unit = "tCO2e";
    f.tolerance = "exact";
    f.message = StrCat("the reported inventory uses ", name, " ", rep, "; the verification applies ", mine, " (effect ",
                       part(p), " tCO2e)");
    f.message_zh = StrCat("报告清单采用的", name, "为 ", rep, "，核查采用 ", mine, "（影响 ", part(p), " tCO2e）");
    Add(*Info(CheckId::kX20), std::move(f), false);
  }
  return true;
}

// X22: materiality of the misstatements found by the reconciliation.
bool Verifier::X22() {
  const auto& r = *report_.reconciliation;
  double misstated = 0;
  for (const auto& l : r.lines) misstated += std::abs(l.reported_t - l.recomputed_t);
  if (r.recomputed_total <= 0) return Skip(CheckId::kX22, "recomputed total is zero");
  // Materiality level by installation category (EU MRR Art. 19: C above 500 kt CO2e).
  const double level = r.recomputed_total > 500000 ? 2.0 : 5.0;
  const double rel = misstated / r.recomputed_total;
  if (rel * 100 <= level) return true;
  Finding f;
  f.severity = Severity::kError;
  f.subject = "inventory";
  f.period = std::to_string(e_.year);
  f.observed = misstated;
  f.expected = 0;
  f.difference = misstated;
  f.relative = rel;
  f.unit = "tCO2e";
  f.tolerance = StrCat("material above ", level, " % of the total");
  f.message = StrCat("misstatements add up to ", misstated, " tCO2e, ", Pct(rel), " of ", r.recomputed_total,
                     " tCO2e: material (level ", level, " %)");
  f.message_zh = StrCat("错报合计 ", misstated, " tCO2e，占 ", Pct(rel), "，超过实质性水平 ", level, " %");
  Add(*Info(CheckId::kX22), std::move(f), false);
  return true;
}

}  // namespace cmrv::internal
