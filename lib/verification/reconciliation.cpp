// Reconciliation of a reported inventory with the recomputed one: each line's difference attributed
// to activity, factors, units or basis, the CO2/C convention and the GWP by sequential substitution
// (verification.hpp, docs/verification.md).
#include <cmath>
#include <map>
#include <set>

#include "verification/verifier.hpp"

namespace cmrv {

using internal::Counted;
using internal::LineKey;
using internal::Scaled;

Reconciliation Reconcile(const Inventory& reported, const Inventory& recomputed) {
  Reconciliation r;
  std::map<std::string, const InventoryLine*> mine;
  for (const auto& l : recomputed.lines) {
    if (Counted(l)) mine[LineKey(l)] = &l, r.recomputed_total += l.co2e_t;
  }
  std::set<std::string> seen;
  for (const auto& rep : reported.lines) {
    if (!Counted(rep)) continue;
    r.reported_total += rep.co2e_t;
    ReconciliationLine rl{rep.source_id.str(), rep.period.str(), rep.gas, rep.part.str(), rep.co2e_t, 0, {}};
    auto it = mine.find(LineKey(rep));
    if (it == mine.end()) {
      rl.parts["extra"] = rep.co2e_t;
      r.lines.push_back(std::move(rl));
      continue;
    }
    if (!seen.insert(it->first).second) {
      // The same source, period, gas and part reported twice: the second is counted in the reported
      // total but matches nothing, so it is a misstatement of its whole amount (a duplicated line once
      // reconciled with no finding while inflating the total by 15.8 %).
      rl.parts["duplicate"] = rep.co2e_t;
      r.lines.push_back(std::move(rl));
      continue;
    }
    const InventoryLine& re = *it->second;
    rl.recomputed_t = re.co2e_t;
    // Sequential substitution over the recomputed terms, replaced one by one with the reported ones.
    bool comparable = rep.terms.size() == re.terms.size();
    std::vector<double> a, b;  // recomputed, reported (scaled)
    for (std::size_t i = 0; comparable && i < re.terms.size(); ++i) {
      auto x = Scaled(re.terms[i]), y = Scaled(rep.terms[i]);
      comparable = x && y && re.terms[i].name == rep.terms[i].name && *x != 0;
      if (comparable) a.push_back(*x), b.push_back(*y);
    }
    double reported_mass = re.mass_t;
    if (comparable) {
      double product = 1;
      for (double v : a) product *= v;
      const double k = re.mass_t / product;
      std::vector<double> cur = a;
      double prev = re.mass_t;
      for (std::size_t i = 0; i < cur.size(); ++i) {
        cur[i] = b[i];
        double p = k;
        for (double v : cur) p *= v;
        const auto& t = re.terms[i];
        const std::string part = t.name == "AD"                ? "activity"
                                 : t.name == "CO2/C"           ? "convention"
                                 : t.unit != rep.terms[i].unit ? "unit_or_basis"
                                                               : "factor";
        rl.parts[part] += (p - prev) * re.gwp;
        prev = p;
      }
      reported_mass = prev;
      rl.parts["rounding"] += (rep.mass_t - reported_mass) * re.gwp;
    } else {
      rl.parts["factor"] += (rep.mass_t - re.mass_t) * re.gwp;
    }
    rl.parts["gwp"] += rep.mass_t * (rep.gwp - re.gwp);
    rl.parts["rounding"] += rep.co2e_t - rep.mass_t * rep.gwp;
    r.lines.push_back(std::move(rl));
  }
  for (const auto& [key, l] : mine) {
    if (seen.count(key)) continue;
    ReconciliationLine rl{l->source_id.str(), l->period.str(), l->gas, l->part.str(), 0, l->co2e_t, {}};
    rl.parts["missing"] = -l->co2e_t;
    r.lines.push_back(std::move(rl));
  }
  for (const auto& l : r.lines) {
    for (const auto& [k, v] : l.parts) r.by_part[k] += v;
  }
  return r;
}

}  // namespace cmrv
