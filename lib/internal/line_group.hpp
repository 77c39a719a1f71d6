// Which group of Inventory::Totals(key) a line counts in, shared by the totals and the uncertainty
// so that both sum exactly the same lines.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "carbonmrv/inventory.hpp"
#include "internal/strings.hpp"

namespace cmrv::internal {

/// The group of `line` under `key` ("total", "category", "scope", "iso_category", "gas", "period",
/// "source"), or nullopt when the line is not counted: memo items never; scope 3 lines only under
/// "scope" (reported beside the scope 1+2 total, not in it).
inline std::optional<std::string> LineGroup(const InventoryLine& l, std::string_view key) {
  if (l.memo || (l.scope == 3 && key != "scope")) return std::nullopt;
  if (key == "category") return l.category;
  if (key == "scope") return StrCat(l.scope);
  if (key == "iso_category") return StrCat(l.iso_category);
  if (key == "gas") return l.gas;
  if (key == "period") return l.period;
  if (key == "source") return l.source_id;
  return std::string("total");
}

}  // namespace cmrv::internal
