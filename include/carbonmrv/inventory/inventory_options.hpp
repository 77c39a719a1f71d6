// carbonmrv — inventory options from key/value text.
//
// Every surface (C API cmrv_*_options_set, Python keywords, CLI flags) sets these options from key/value
// text through this function, so keys, aliases and error text are the same everywhere. An unknown key or
// value is an error that lists the valid ones.
//
// Source-level API only: it may change in minor releases. Link the C API for binary stability.
#pragma once

#include <string_view>

#include <string>
#include "absl/status/status.h"

#include "carbonmrv/inventory/inventory.hpp"

namespace cmrv {

/// "SAR"/"AR2", "AR4", "AR5", "AR6" (any case) → the built-in IPCC GWP-100 dataset id
/// ("ipcc_ar6_gwp100"); any other text is a dataset id and passes through unchanged.
std::string GwpDatasetId(std::string_view name);

/// Inventory keys: gwp_dataset (alias gwp), co2_per_carbon ("44/12" | "3.664" | a number a document
/// states, with co2_per_carbon_source naming it), scope2_method (alias scope2; "location" | "market"),
/// factor_preference (alias preference; comma-separated dataset ids and @class tokens),
/// uncertainty_unstated ("not_assessed" | "exact": how inputs without a stated uncertainty count).
absl::Status SetInventoryOption(InventoryOptions& options, std::string_view key, std::string_view value);

}  // namespace cmrv
