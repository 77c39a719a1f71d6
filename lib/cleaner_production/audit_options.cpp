#include "carbonmrv/cleaner_production/audit_options.hpp"

#include <cmath>
#include <string>

#include "absl/strings/numbers.h"
#include "carbonmrv/status.hpp"
#include "internal/option_text.hpp"
#include "internal/strings.hpp"

namespace cmrv {

using internal::kInventoryKeys;
using internal::OptionError;
using internal::StrCat;
using internal::TrySetInventoryOption;
using internal::UnknownOptionKey;

absl::Status SetAuditOption(AuditComputeOptions& o, std::string_view key, std::string_view v) {
  auto set = TrySetInventoryOption(o.inventory, key, v);
  if (!set.ok()) return set.status();
  if (*set) return absl::OkStatus();
  if (key == "audit") {
    o.audit_id = std::string(v);
  } else if (key == "carbon_price") {
    // "60" (CNY/tCO2e) or a value with its unit: "60 CNY/tCO2e", "0.006 万元/tCO2e".
    const auto space = v.find(' ');
    double value = 0;
    const std::string_view number = v.substr(0, space);
    if (!absl::SimpleAtod(absl::string_view(number.data(), number.size()), &value) || !std::isfinite(value) ||
        value < 0) {
      return OptionError(StrCat("carbon_price: \"", v, "\" is not a price ≥ 0 such as \"60\" or \"60 CNY/tCO2e\""));
    }
    if (space == std::string_view::npos) {
      o.carbon_price_cny_per_t = value;
    } else {
      auto p = ParseCarbonPrice(value, v.substr(space + 1));
      if (!p.ok()) return WithContext(p.status(), "carbon_price");
      o.carbon_price_cny_per_t = p->cny_per_unit;
    }
  } else if (key == "review") {
    auto e = Enterprise::FromJson(v);
    if (!e.ok()) return WithContext(e.status(), "review");
    o.review = *std::move(e);
  } else {
    return UnknownOptionKey(key, StrCat(kInventoryKeys, ", audit, carbon_price, review"));
  }
  return absl::OkStatus();
}

}  // namespace cmrv
