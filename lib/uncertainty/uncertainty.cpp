#include "carbonmrv/uncertainty/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "carbonmrv/status.hpp"
#include "internal/line_group.hpp"
#include "internal/strings.hpp"

namespace cmrv {

std::string_view UncertaintyMethod() {
  return "IPCC 2006 Vol. 1 Ch. 3 Approach 1 (first-order error propagation, JCGM 100:2008 Eq. 10/13): "
         "U = half-width of the 95 % confidence interval in %; an input shared by several lines is one "
         "variable (fully correlated), distinct inputs are independent; conventions and GWP values are exact";
}

namespace {

// Sensitivity of a line to each of its inputs, in first-seen order: ∂ln(E_line)/∂ln(x), summed when a
// line uses an input in more than one term.
struct LineInputs {
  std::vector<std::string> ids;
  std::vector<double> sensitivity;
  std::vector<std::optional<double>> u_pct;

  explicit LineInputs(const InventoryLine& line) {
    for (const auto& t : line.terms) {
      for (const auto& in : t.inputs) {
        auto it = std::find(ids.begin(), ids.end(), in.id);
        if (it == ids.end()) {
          ids.push_back(in.id.str());
          sensitivity.push_back(in.sensitivity);
          u_pct.push_back(in.u_pct);
        } else {
          sensitivity[static_cast<std::size_t>(it - ids.begin())] += in.sensitivity;
        }
      }
    }
  }
};

// One group's accumulation: a_k = Σ_lines E_line · s_k over its distinct inputs, in first-seen order so
// that the result does not depend on anything but the line order.
struct Accumulator {
  std::string group;
  double co2e_t = 0;
  std::vector<std::string> ids;
  std::map<std::string, std::size_t> index;
  std::vector<double> weight;  // a_k, tCO2e
  std::vector<std::optional<double>> u_pct;

  void Add(const InventoryLine& line) {
    co2e_t += line.co2e_t;
    const LineInputs in(line);
    for (std::size_t i = 0; i < in.ids.size(); ++i) {
      auto [it, fresh] = index.emplace(in.ids[i], ids.size());
      if (fresh) {
        ids.push_back(in.ids[i]);
        weight.push_back(0);
        u_pct.push_back(in.u_pct[i]);
      }
      weight[it->second] += line.co2e_t * in.sensitivity[i];
    }
  }

  // `exact`: inputs without a stated uncertainty count as exact (InventoryOptions::
  // unstated_uncertainty_exact) and are listed in assumed_exact instead of making the group unassessed.
  UncertaintyResult Finish(bool exact) const {
    UncertaintyResult r;
    r.group = group;
    r.co2e_t = co2e_t;
    double variance = 0;
    std::vector<double> parts(ids.size(), 0);
    for (std::size_t k = 0; k < ids.size(); ++k) {
      if (!u_pct[k]) {
        (exact ? r.assumed_exact : r.missing).push_back(ids[k]);
        continue;
      }
      const double a = weight[k] * *u_pct[k] / 100.0;
      parts[k] = a * a;
      variance += parts[k];
    }
    if (!r.missing.empty()) return r;
    const double half = std::sqrt(variance);
    r.half_width_t = half;
    if (co2e_t != 0) r.u_pct = half / std::abs(co2e_t) * 100.0;
    for (std::size_t k = 0; k < ids.size(); ++k) {
      if (parts[k] > 0) r.contributions.push_back({ids[k], *u_pct[k], parts[k] / variance * 100.0});
    }
    std::stable_sort(r.contributions.begin(), r.contributions.end(), [](const auto& a, const auto& b) {
      return a.share_pct != b.share_pct ? a.share_pct > b.share_pct : a.input < b.input;
    });
    return r;
  }
};

}  // namespace

std::optional<double> LineUncertainty(const InventoryLine& line, std::vector<std::string>* missing) {
  const LineInputs in(line);
  double sum = 0;
  bool known = true;
  for (std::size_t i = 0; i < in.ids.size(); ++i) {
    if (!in.u_pct[i]) {
      known = false;
      if (missing != nullptr) missing->push_back(in.ids[i]);
      continue;
    }
    const double c = in.sensitivity[i] * *in.u_pct[i];
    sum += c * c;
  }
  if (!known) return std::nullopt;
  return std::sqrt(sum);
}

absl::StatusOr<std::vector<UncertaintyResult>> PropagateUncertainty(const Inventory& inventory, TotalsKey key) {
  std::map<std::string, Accumulator> groups;  // ordered like Inventory::Totals
  for (const auto& l : inventory.lines) {
    auto g = internal::LineGroup(l, key);
    if (!g) continue;
    auto& acc = groups[*g];
    acc.group = *g;
    acc.Add(l);
  }
  std::vector<UncertaintyResult> out;
  out.reserve(groups.size());
  for (const auto& [name, acc] : groups) out.push_back(acc.Finish(inventory.options.unstated_uncertainty_exact));
  return out;
}

}  // namespace cmrv
