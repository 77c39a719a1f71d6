#include "carbonmrv/verification/verification_options.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "carbonmrv/inventory/inventory_options.hpp"
#include "carbonmrv/status.hpp"
#include "internal/option_text.hpp"
#include "internal/strings.hpp"

namespace cmrv {

using internal::kInventoryKeys;
using internal::OptionError;
using internal::StrCat;
using internal::TrySetInventoryOption;
using internal::UnknownOptionKey;

absl::Status SetVerifyOption(VerifyOptions& o, std::string_view key, std::string_view v) {
  if (key == "factor_preference" || key == "preference") {
    auto p = ParsePreference(v);
    if (!p.ok()) return p.status();
    o.inventory.factor_preference = *p;
    o.energy_balance.coefficient_preference = *std::move(p);
    return absl::OkStatus();
  }
  auto set = TrySetInventoryOption(o.inventory, key, v);
  if (!set.ok()) return set.status();
  if (*set) return absl::OkStatus();
  if (key == "checks") {
    std::vector<CheckId> ids;
    for (const auto& name : internal::SplitComma(v)) {
      auto id = ParseCheckId(name);
      if (!id.ok()) return WithContext(id.status(), "checks");
      ids.push_back(*id);
    }
    o.checks = std::move(ids);
  } else if (key == "period") {
    o.energy_balance.period = std::string(v);
  } else if (key == "previous_inventory") {
    auto inv = Inventory::FromJson(v);
    if (!inv.ok()) return WithContext(inv.status(), "previous_inventory");
    o.previous_year = *std::move(inv);
  } else if (key == "audit_baseline") {
    auto e = Enterprise::FromJson(v);
    if (!e.ok()) return WithContext(e.status(), "audit_baseline");
    o.audit_baseline = *std::move(e);
  } else {
    return UnknownOptionKey(key, StrCat(kInventoryKeys, ", checks, period, previous_inventory, audit_baseline"));
  }
  return absl::OkStatus();
}

absl::Status SetVerifyTolerance(VerifyOptions& o, std::string_view check, double warning, double error) {
  auto id = ParseCheckId(check);
  if (!id.ok()) return id.status();
  if (!(warning >= 0 && warning <= error && std::isfinite(error))) {
    return OptionError(StrCat("tolerance of ", CheckIdName(*id), ": expected finite 0 ≤ warning ≤ error, got ", warning,
                              " and ", error));
  }
  o.tolerances[*id] = {warning, error};
  return absl::OkStatus();
}

}  // namespace cmrv
