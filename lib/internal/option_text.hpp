// Shared parsing of option text (key/value pairs from the C API, Python keywords and CLI flags): the
// error wording and the number rules are the same for every domain's Set*Option.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carbonmrv/inventory/inventory.hpp"

namespace cmrv::internal {

absl::Status OptionError(const std::string& message);  ///< kInvalidArgument with the message as given
absl::Status UnknownOptionKey(std::string_view key, std::string_view valid);
/// A whole decimal number within [lo, hi] ("2023"; not "2023.5", "0x7e7" or "").
absl::StatusOr<long long> WholeOption(std::string_view key, std::string_view v, long long lo, long long hi);
/// A finite decimal number ("80.5", "1e3"); not "", "nan" or "inf".
absl::StatusOr<double> DecimalOption(std::string_view key, std::string_view v);
std::vector<std::string> SplitComma(std::string_view v);

/// The inventory keys every computation that runs an inventory accepts, for error messages.
inline constexpr std::string_view kInventoryKeys =
    "gwp_dataset (gwp), co2_per_carbon, co2_per_carbon_source, scope2_method (scope2), factor_preference "
    "(preference), uncertainty_unstated";
/// Sets an inventory key; false when `key` is not one.
absl::StatusOr<bool> TrySetInventoryOption(InventoryOptions& o, std::string_view key, std::string_view v);

}  // namespace cmrv::internal
