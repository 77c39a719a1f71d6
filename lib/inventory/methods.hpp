// The inventory engine's calculation methods, one per source kind (internal; lib/inventory/methods.cpp).
// ComputeInventory (inventory.cpp) walks the enterprise's records and calls ComputeRecord for each.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carbonmrv/inventory/inventory.hpp"

namespace cmrv::internal {

/// What one ComputeInventory call carries from record to record.
struct MethodContext {
  const Enterprise& enterprise;
  const FactorCatalogue& catalogue;
  const InventoryOptions& options;
  Inventory& out;
  // Gases not estimated: (gas, source, reason) → periods, in first-seen order, merged into one
  // note per key at the end so that twelve months do not give twelve notes.
  std::vector<std::pair<std::tuple<std::string, std::string, std::string>, std::vector<std::string>>> missing;
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> missing_index;  // key → position
  std::map<std::string, std::pair<double, std::string>> gwp;  // gas or F-gas species → (GWP, provenance)
  // Factor selections by query: sources of one carrier ask the same questions for every period, and a
  // failed lookup (a gas with no default) builds a long explanation, so each distinct query runs once.
  absl::flat_hash_map<std::string, absl::StatusOr<FactorSelection>> lookups;

  const absl::StatusOr<FactorSelection>& Lookup(const FactorQuery& q);

  void NotEstimated(const std::string& gas, const std::string& source, const std::string& reason,
                    const std::string& period);
};

/// The lines of one activity record, by the method of its source's kind, appended to ctx.out.
absl::Status ComputeRecord(MethodContext& ctx, const SourceStream& src, const ActivityRecord& rec);

/// "tCO2", "tCH4", "tN2O" or "tCO2e": the unit of a line of `gas` (inventory.cpp).
std::string TargetUnit(Gas gas);

/// The one evaluation of a line (inventory.cpp): product of the term values in the product of the
/// term units, in tonnes of the line's gas. `conversion` (optional) receives the explanation.
absl::StatusOr<double> EvaluateLine(const InventoryLine& line, std::string* conversion);

}  // namespace cmrv::internal
