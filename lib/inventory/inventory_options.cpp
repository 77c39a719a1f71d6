#include "carbonmrv/inventory/inventory_options.hpp"

#include <cmath>
#include <string>

#include "absl/strings/numbers.h"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/status.hpp"
#include "internal/option_text.hpp"
#include "internal/strings.hpp"
#include "internal/threads.hpp"

namespace cmrv {

using internal::kInventoryKeys;
using internal::StrCat;
using internal::TrySetInventoryOption;
using internal::UnknownOptionKey;

std::string GwpDatasetId(std::string_view name) {
  std::string g = internal::AsciiLower(name);
  if (g == "ar2") g = "sar";
  if (g == "sar" || g == "ar4" || g == "ar5" || g == "ar6") return StrCat("ipcc_", g, "_gwp100");
  return std::string(name);
}

absl::Status SetInventoryOption(InventoryOptions& o, std::string_view key, std::string_view value) {
  // The inventory's own threads: not among the keys shared with the computations that run inventories
  // (TrySetInventoryOption), which have a threads option of their own.
  if (key == "threads") {
    auto t = internal::WholeOption(key, value, 0, internal::kMaxThreads);
    if (!t.ok()) return t.status();
    o.threads = static_cast<unsigned>(*t);
    return absl::OkStatus();
  }
  auto set = TrySetInventoryOption(o, key, value);
  if (!set.ok()) return set.status();
  return *set ? absl::OkStatus() : UnknownOptionKey(key, StrCat(kInventoryKeys, ", threads"));
}

absl::StatusOr<bool> internal::TrySetInventoryOption(InventoryOptions& o, std::string_view key, std::string_view v) {
  if (key == "gwp_dataset" || key == "gwp") {
    if (v.empty()) return OptionError("gwp_dataset is empty; expected SAR, AR4, AR5, AR6 or a GWP dataset id");
    o.gwp_dataset = GwpDatasetId(v);
  } else if (key == "co2_per_carbon") {
    auto c = ParseCo2PerCarbon(v);
    double number = 0;
    if (c.ok()) {
      o.co2_per_carbon = *c;
      o.co2_per_carbon_stated.reset();
    } else if (absl::SimpleAtod(absl::string_view(v.data(), v.size()), &number) && std::isfinite(number)) {
      // A ratio a document states (checked against the molar-mass ratio when the inventory is computed).
      std::string source = o.co2_per_carbon_stated ? o.co2_per_carbon_stated->source : "";
      o.co2_per_carbon_stated = InventoryOptions::StatedRatio{number, std::move(source)};
    } else {
      return OptionError(
          StrCat("co2_per_carbon \"", v, "\" is not 44/12, 3.664 or a number (with co2_per_carbon_source)"));
    }
  } else if (key == "co2_per_carbon_source") {
    if (!o.co2_per_carbon_stated) o.co2_per_carbon_stated = InventoryOptions::StatedRatio{};
    o.co2_per_carbon_stated->source = std::string(v);
  } else if (key == "uncertainty_unstated") {
    if (v != "exact" && v != "not_assessed") {
      return OptionError(StrCat("uncertainty_unstated \"", v, "\" is not one of not_assessed, exact"));
    }
    o.unstated_uncertainty_exact = v == "exact";
  } else if (key == "scope2_method" || key == "scope2") {
    auto m = ParseScope2Method(v);
    if (!m.ok()) return m.status();
    o.scope2_method = *m;
  } else if (key == "factor_preference" || key == "preference") {
    auto p = ParsePreference(v);
    if (!p.ok()) return p.status();
    o.factor_preference = *std::move(p);
  } else {
    return false;
  }
  return true;
}

}  // namespace cmrv
