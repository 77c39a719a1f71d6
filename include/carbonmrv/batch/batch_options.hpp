// carbonmrv — batch options from key/value text.
//
// Every surface (C API cmrv_*_options_set, Python keywords, CLI flags) sets these options from key/value
// text through this function, so keys, aliases and error text are the same everywhere. An unknown key or
// value is an error that lists the valid ones.
//
// Source-level API only: it may change in minor releases. Link the C API for binary stability.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "carbonmrv/batch/batch.hpp"

namespace cmrv {

/// The inventory keys, and kind, region, year (1990–2100), method, policy ("reject" | "skip"),
/// threads (0–1024), report_rows; and the shape of the groups, written to `shape`: group_values
/// (comma-separated co2_t, ch4_t, n2o_t, co2e_t, records, as Output::group_values bits) and group_keys
/// ("values" | "levels_codes", as Output::group_keys).
absl::Status SetBatchOption(batch::Options& options, batch::Output& shape, std::string_view key,
                            std::string_view value);

}  // namespace cmrv
