// carbonmrv — key category analysis (IPCC 2006 Vol. 1 Ch. 4, Approach 1).
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// Level assessment (Eq. 4.1): L_x = |E_x| / Σ_y |E_y|; categories sorted by L, largest first, are key
// until their cumulative sum reaches the threshold (95 %), the one that crosses it included.
// Trend assessment (Eq. 4.2) against a base-year inventory:
//     T_x = |E_x,0| / Σ|E_y,0| · | (E_x,t − E_x,0) / |E_x,0| − (Σ E_y,t − Σ E_y,0) / |Σ E_y,0| |
// written as |(E_x,t − E_x,0) − |E_x,0|·g| / Σ|E_y,0| with g the total's relative change, which is the
// same number and stays defined for a category absent in the base year (IPCC: T_x = |E_x,t| / Σ|E_y,0|
// then). Categories are sorted by T and key to the same cumulative threshold of ΣT.
// The categories are the groups of Inventory::Totals(key): "source" for an enterprise's source
// streams, "category" or "gas" for coarser views. Absolute values count removals as emissions, as
// IPCC does.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/inventory/inventory.hpp"

namespace cmrv {

/// IPCC 2006 Vol. 1 Ch. 4 §4.3.1: Approach 1 takes the categories adding up to 95 % as key.
inline constexpr double kKeyCategoryThresholdPct = 95.0;

struct KeyCategory {
  std::string group;
  double base_t = 0;          ///< the base-year inventory's value (trend assessment only)
  double co2e_t = 0;          ///< the inventory's value
  double assessment = 0;      ///< L_x (level) or T_x (trend), as a fraction
  double share_pct = 0;       ///< level: 100·L_x; trend: T_x as % of ΣT
  double cumulative_pct = 0;  ///< running sum of share_pct in the sorted order
  bool key = false;
};

struct KeyCategoryAnalysis {
  std::string assessment;  ///< "level" or "trend"
  std::string key;         ///< the TotalsKey name
  double threshold_pct = kKeyCategoryThresholdPct;
  std::vector<KeyCategory> categories;  ///< largest first (ties by group name)
};

/// {"schema": "carbonmrv.key_categories/1", assessment, key, threshold_pct, categories: [{group, base_t
/// (trend only), co2e_t, assessment, share_pct, cumulative_pct, key}]}.
std::string KeyCategoriesToJson(const KeyCategoryAnalysis& analysis);

/// Level assessment of `inventory` over the groups of Totals(key). threshold_pct in (0, 100].
absl::StatusOr<KeyCategoryAnalysis> LevelAssessment(const Inventory& inventory, TotalsKey key,
                                                    double threshold_pct = kKeyCategoryThresholdPct);

/// Trend assessment of `current` against `base` over the union of their groups (a group missing
/// from one counts 0 there). The base year's total must not be 0.
absl::StatusOr<KeyCategoryAnalysis> TrendAssessment(const Inventory& base, const Inventory& current, TotalsKey key,
                                                    double threshold_pct = kKeyCategoryThresholdPct);

}  // namespace cmrv
