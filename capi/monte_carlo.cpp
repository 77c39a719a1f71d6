// C API: Monte Carlo uncertainty and key category analysis of inventories (core:
// include/carbonmrv/uncertainty/monte_carlo.hpp, key_categories.hpp).
#include <cmath>
#include <cstring>
#include <string>

#include "absl/strings/str_join.h"
#include "carbonmrv/uncertainty/key_categories.hpp"
#include "carbonmrv/uncertainty/monte_carlo.hpp"
#include "guard.hpp"
#include "handles.hpp"

struct cmrv_monte_carlo_options {
  cmrv::MonteCarloOptions options;
};

struct cmrv_monte_carlo {
  cmrv::MonteCarloResult result;
};

namespace {

using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

absl::StatusOr<const cmrv::MonteCarloGroup*> GroupAt(const cmrv_monte_carlo* mc, size_t index) {
  if (index >= mc->result.groups.size()) {
    return cmrv::MakeError(
        absl::StatusCode::kOutOfRange, cmrv::ErrorDetail::kInvalidArgument,
        "index " + std::to_string(index) + " is not below the group count " + std::to_string(mc->result.groups.size()));
  }
  return &mc->result.groups[index];
}

}  // namespace

extern "C" {

cmrv_status cmrv_monte_carlo_options_create(cmrv_context* ctx, cmrv_monte_carlo_options** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_monte_carlo_options{};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_monte_carlo_options_set(cmrv_context* ctx, cmrv_monte_carlo_options* options, const char* key,
                                         const char* value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    if (auto st = cmrv::CheckText(key, "key"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(value, "value"); !st.ok()) return st;
    return cmrv::SetMonteCarloOption(options->options, key, value);
  });
}

void cmrv_monte_carlo_options_destroy(cmrv_monte_carlo_options* options) { delete options; }

cmrv_status cmrv_inventory_monte_carlo(cmrv_context* ctx, const cmrv_inventory* inventory, const char* key,
                                       const cmrv_monte_carlo_options* options, cmrv_monte_carlo** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (inventory == nullptr) return NullArgument("inventory");
    if (out == nullptr) return NullArgument("out");
    if (auto st = cmrv::CheckText(key, "key"); !st.ok()) return st;
    auto parsed = cmrv::ParseTotalsKey(key);
    if (!parsed.ok()) return parsed.status();
    auto r = cmrv::MonteCarlo(inventory->inventory, *parsed,
                              options != nullptr ? options->options : cmrv::MonteCarloOptions{});
    if (!r.ok()) return r.status();
    *out = new cmrv_monte_carlo{*std::move(r)};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_monte_carlo_group_count(cmrv_context* ctx, const cmrv_monte_carlo* mc, size_t* out_count) {
  return Guard(ctx, [&]() -> absl::Status {
    if (mc == nullptr) return NullArgument("mc");
    if (out_count == nullptr) return NullArgument("out_count");
    *out_count = mc->result.groups.size();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_monte_carlo_group(cmrv_context* ctx, const cmrv_monte_carlo* mc, size_t index, const char** out_group,
                                   double* out_mean_t, double* out_median_t, double* out_lower_t, double* out_upper_t) {
  return Guard(ctx, [&]() -> absl::Status {
    if (mc == nullptr) return NullArgument("mc");
    auto g = GroupAt(mc, index);
    if (!g.ok()) return g.status();
    const cmrv::MonteCarloGroup& group = **g;
    if (out_group != nullptr) *out_group = group.group.c_str();
    if (!group.stats) {
      return cmrv::MakeError(absl::StatusCode::kFailedPrecondition, cmrv::ErrorDetail::kMissingParameter,
                             "uncertainty of \"" + group.group + "\" not assessed: no uncertainty for " +
                                 absl::StrJoin(group.missing, ", "));
    }
    const auto& s = *group.stats;
    for (auto [out, v] : {std::pair{out_mean_t, s.mean_t}, std::pair{out_median_t, s.median_t},
                          std::pair{out_lower_t, s.lower_t}, std::pair{out_upper_t, s.upper_t}}) {
      if (out != nullptr) *out = v;
    }
    return absl::OkStatus();
  });
}

cmrv_status cmrv_monte_carlo_draws(cmrv_context* ctx, const cmrv_monte_carlo* mc, size_t index, double* out,
                                   size_t count, size_t stride_bytes) {
  return Guard(ctx, [&]() -> absl::Status {
    if (mc == nullptr) return NullArgument("mc");
    if (out == nullptr) return NullArgument("out");
    auto g = GroupAt(mc, index);
    if (!g.ok()) return g.status();
    const auto& draws = (*g)->draws;
    if (draws.empty()) {
      return cmrv::MakeError(absl::StatusCode::kFailedPrecondition, cmrv::ErrorDetail::kInvalidArgument,
                             "the draws were not kept: set the option keep_draws to true");
    }
    if (count != draws.size()) {
      return cmrv::MakeError(
          absl::StatusCode::kInvalidArgument, cmrv::ErrorDetail::kInvalidArgument,
          "count " + std::to_string(count) + " is not the draw count " + std::to_string(draws.size()));
    }
    if (stride_bytes < sizeof(double)) {
      return cmrv::MakeError(absl::StatusCode::kInvalidArgument, cmrv::ErrorDetail::kInvalidArgument,
                             "stride_bytes " + std::to_string(stride_bytes) + " is less than sizeof(double)");
    }
    char* p = reinterpret_cast<char*>(out);
    for (double v : draws) {
      std::memcpy(p, &v, sizeof v);
      p += stride_bytes;
    }
    return absl::OkStatus();
  });
}

cmrv_status cmrv_monte_carlo_to_json(cmrv_context* ctx, const cmrv_monte_carlo* mc, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (mc == nullptr) return NullArgument("mc");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(cmrv::MonteCarloToJson(mc->result));
    return absl::OkStatus();
  });
}

void cmrv_monte_carlo_destroy(cmrv_monte_carlo* mc) { delete mc; }

cmrv_status cmrv_inventory_key_categories(cmrv_context* ctx, const cmrv_inventory* inventory,
                                          const cmrv_inventory* base, const char* key, double threshold_pct,
                                          char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (inventory == nullptr) return NullArgument("inventory");
    if (out_json == nullptr) return NullArgument("out_json");
    if (auto st = cmrv::CheckText(key, "key"); !st.ok()) return st;
    auto parsed = cmrv::ParseTotalsKey(key);
    if (!parsed.ok()) return parsed.status();
    auto a = base == nullptr ? cmrv::LevelAssessment(inventory->inventory, *parsed, threshold_pct)
                             : cmrv::TrendAssessment(base->inventory, inventory->inventory, *parsed, threshold_pct);
    if (!a.ok()) return a.status();
    *out_json = cmrv::capi::DupString(cmrv::KeyCategoriesToJson(*a));
    return absl::OkStatus();
  });
}

}  // extern "C"
