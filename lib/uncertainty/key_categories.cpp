#include "carbonmrv/uncertainty/key_categories.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "carbonmrv/status.hpp"
#include "internal/json.hpp"
#include "internal/strings.hpp"

namespace cmrv {

namespace {

absl::Status CheckThreshold(double threshold_pct) {
  if (!(threshold_pct > 0 && threshold_pct <= 100)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     internal::StrCat("threshold_pct: ", threshold_pct, " is outside (0, 100]"));
  }
  return absl::OkStatus();
}

// Sorts by assessment (largest first, ties by name), fills share and cumulative share, and marks
// the categories up to and including the one whose cumulative share reaches the threshold.
void Rank(KeyCategoryAnalysis& a, double sum) {
  auto& c = a.categories;
  std::stable_sort(c.begin(), c.end(), [](const KeyCategory& x, const KeyCategory& y) {
    return x.assessment != y.assessment ? x.assessment > y.assessment : x.group < y.group;
  });
  double cumulative = 0;
  bool reached = false;
  for (auto& k : c) {
    k.share_pct = sum > 0 ? k.assessment / sum * 100 : 0;
    cumulative += k.share_pct;
    k.cumulative_pct = cumulative;
    k.key = !reached && k.assessment > 0;
    // A rounding margin: shares that add up to the threshold exactly reach it.
    if (cumulative >= a.threshold_pct * (1 - 1e-12)) reached = true;
  }
}

}  // namespace

absl::StatusOr<KeyCategoryAnalysis> LevelAssessment(const Inventory& inventory, TotalsKey key, double threshold_pct) {
  if (auto st = CheckThreshold(threshold_pct); !st.ok()) return st;
  KeyCategoryAnalysis a{"level", std::string(TotalsKeyName(key)), threshold_pct, {}};
  double sum_abs = 0;
  for (const auto& [group, value] : inventory.Totals(key)) sum_abs += std::abs(value);
  for (const auto& [group, value] : inventory.Totals(key)) {
    KeyCategory k;
    k.group = group;
    k.co2e_t = value;
    k.assessment = sum_abs > 0 ? std::abs(value) / sum_abs : 0;  // Eq. 4.1
    a.categories.push_back(std::move(k));
  }
  Rank(a, 1.0);
  return a;
}

absl::StatusOr<KeyCategoryAnalysis> TrendAssessment(const Inventory& base, const Inventory& current, TotalsKey key,
                                                    double threshold_pct) {
  if (auto st = CheckThreshold(threshold_pct); !st.ok()) return st;
  std::map<std::string, std::pair<double, double>> both;  // group → (base, current)
  double base_total = 0, current_total = 0, base_abs = 0;
  for (const auto& [group, value] : base.Totals(key)) {
    both[group].first = value;
    base_total += value;
    base_abs += std::abs(value);
  }
  for (const auto& [group, value] : current.Totals(key)) {
    both[group].second = value;
    current_total += value;
  }
  if (base_total == 0) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kInvalidArgument,
                     "trend assessment: the base-year inventory totals 0 tCO2e; the trend (Eq. 4.2) is undefined");
  }
  const double g = (current_total - base_total) / std::abs(base_total);  // the total's relative change
  KeyCategoryAnalysis a{"trend", std::string(TotalsKeyName(key)), threshold_pct, {}};
  double sum = 0;
  for (const auto& [group, values] : both) {
    const auto [e0, et] = values;
    KeyCategory k;
    k.group = group;
    k.base_t = e0;
    k.co2e_t = et;
    k.assessment = std::abs((et - e0) - std::abs(e0) * g) / base_abs;  // Eq. 4.2, multiplied out
    sum += k.assessment;
    a.categories.push_back(std::move(k));
  }
  Rank(a, sum);
  return a;
}

std::string KeyCategoriesToJson(const KeyCategoryAnalysis& a) {
  nlohmann::json cats = nlohmann::json::array();
  for (const auto& c : a.categories) {
    nlohmann::json j = {{"group", c.group},
                        {"co2e_t", c.co2e_t},
                        {"assessment", c.assessment},
                        {"share_pct", c.share_pct},
                        {"cumulative_pct", c.cumulative_pct},
                        {"key", c.key}};
    if (a.assessment == "trend") j["base_t"] = c.base_t;
    cats.push_back(std::move(j));
  }
  return nlohmann::json{{"schema", "carbonmrv.key_categories/1"},
                        {"assessment", a.assessment},
                        {"key", a.key},
                        {"threshold_pct", a.threshold_pct},
                        {"categories", std::move(cats)}}
      .dump();
}

}  // namespace cmrv
