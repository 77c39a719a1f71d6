// Which group of Inventory::Totals(key) a line counts in, shared by the totals and the uncertainty
// so that both sum exactly the same lines.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "carbonmrv/inventory/inventory.hpp"
#include "internal/strings.hpp"

namespace cmrv::internal {

/// The group of `line` under `key`, or nullopt when the line is not counted: memo items never;
/// scope 3 lines only under kScope (reported beside the scope 1+2 total, not in it).
inline std::optional<std::string> LineGroup(const InventoryLine& l, TotalsKey key) {
  if (l.memo || (l.scope == Scope::k3 && key != TotalsKey::kScope)) return std::nullopt;
  switch (key) {
    case TotalsKey::kCategory: return std::string(CategoryName(l.category));
    case TotalsKey::kScope: return std::string(ScopeName(l.scope));
    case TotalsKey::kIsoCategory: return StrCat(l.iso_category);
    case TotalsKey::kGas: return std::string(GasName(l.gas));
    case TotalsKey::kPeriod: return l.period.str();
    case TotalsKey::kSource: return l.source_id.str();
    case TotalsKey::kTotal: break;
  }
  return std::string("total");
}

}  // namespace cmrv::internal
