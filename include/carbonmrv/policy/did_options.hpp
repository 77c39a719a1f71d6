// carbonmrv — difference-in-differences options from key/value text.
//
// Every surface (C API cmrv_did_options_set, CLI --option) sets the estimator's options through this
// function, so keys and error text are the same everywhere.
//
// Source-level API only: it may change in minor releases. Link the C API for binary stability.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "carbonmrv/policy/did.hpp"

namespace cmrv {

struct DidOptions {
  AttGtOptions att_gt;
  AggregateOptions aggregate;
};

/// Keys (R did's names): control_group (nevertreated | notyettreated), base_period (varying |
/// universal), anticipation, est_method (dr | ipw | reg), drop_incomplete_units, allow_unbalanced_panel and
/// panel (true | false), alpha, bootstrap_draws (biters; 0: analytic), seed, min_e and max_e (the dynamic
/// aggregation's window).
absl::Status SetDidOption(DidOptions& options, std::string_view key, std::string_view value);

}  // namespace cmrv
