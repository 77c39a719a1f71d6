// carbonmrv — cleaner-production audit options from key/value text.
//
// Every surface (C API cmrv_*_options_set, Python keywords, CLI flags) sets these options from key/value
// text through this function, so keys, aliases and error text are the same everywhere. An unknown key or
// value is an error that lists the valid ones.
//
// Source-level API only: it may change in minor releases. Link the C API for binary stability.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "carbonmrv/cleaner_production/cleaner_production.hpp"

namespace cmrv {

/// The inventory keys, and audit (the round's id), carbon_price ("60" in CNY/tCO2e, or "60 CNY/tCO2e",
/// "0.006 万元/tCO2e"), review (the next year's enterprise document JSON).
absl::Status SetAuditOption(AuditComputeOptions& options, std::string_view key, std::string_view value);

}  // namespace cmrv
