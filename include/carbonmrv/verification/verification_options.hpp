// carbonmrv — verification options from key/value text.
//
// Every surface (C API cmrv_*_options_set, Python keywords, CLI flags) sets these options from key/value
// text through this function, so keys, aliases and error text are the same everywhere. An unknown key or
// value is an error that lists the valid ones.
//
// Source-level API only: it may change in minor releases. Link the C API for binary stability.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "carbonmrv/verification/verification.hpp"

namespace cmrv {

/// The inventory keys, and checks (comma-separated ids), period (the energy balance's),
/// previous_inventory (carbonmrv.inventory/1 JSON), audit_baseline (an earlier year's enterprise
/// document whose audit claims savings, for X23). factor_preference applies to the inventory and to
/// the energy balance's coefficients alike.
absl::Status SetVerifyOption(VerifyOptions& options, std::string_view key, std::string_view value);

/// Overrides the warning and error tolerances of one check (its id, "X01", any case); 0 ≤ warning ≤
/// error, both finite. The check id is checked first, then the numbers.
absl::Status SetVerifyTolerance(VerifyOptions& options, std::string_view check, double warning, double error);

}  // namespace cmrv
