// C API: uncertainty of inventories and of the inputs an ERP builds (core:
// include/carbonmrv/uncertainty/uncertainty.hpp).
#include <cmath>
#include <string>

#include "absl/strings/str_join.h"
#include "carbonmrv/uncertainty/uncertainty.hpp"
#include "guard.hpp"
#include "handles.hpp"

namespace {

using cmrv::capi::FindSource;
using cmrv::capi::Guard;
using cmrv::capi::Line;
using cmrv::capi::NullArgument;

absl::Status NotAssessed(const std::string& what, const std::vector<std::string>& missing) {
  return cmrv::MakeError(
      absl::StatusCode::kFailedPrecondition, cmrv::ErrorDetail::kMissingParameter,
      "uncertainty of " + what + " not assessed: no uncertainty for " + absl::StrJoin(missing, ", "));
}

absl::Status CheckPct(double u_pct) {
  if (!std::isfinite(u_pct) || u_pct < 0 || u_pct > 100) {
    return cmrv::MakeError(absl::StatusCode::kInvalidArgument, cmrv::ErrorDetail::kInvalidArgument,
                           "u_pct is not a percentage in [0, 100]");
  }
  return absl::OkStatus();
}

}  // namespace

extern "C" {

cmrv_status cmrv_enterprise_set_uncertainty(cmrv_context* ctx, cmrv_enterprise* enterprise, const char* source_id,
                                            const char* period, const char* name, double u_pct) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (auto st = cmrv::CheckText(name, "name"); !st.ok()) return st;
    if (period != nullptr) {
      if (auto st = cmrv::CheckText(period, "period"); !st.ok()) return st;
    }
    if (auto st = CheckPct(u_pct); !st.ok()) return st;
    auto found = FindSource(enterprise, source_id);
    if (!found.ok()) return found.status();
    nlohmann::json* src = *found;
    const std::string n(name);
    if (period == nullptr) {  // a stated factor
      auto f = src->find("factors");
      if (f == src->end() || !f->contains(n)) {
        return cmrv::MakeError(absl::StatusCode::kNotFound, cmrv::ErrorDetail::kNotFound,
                               "source \"" + std::string(source_id) + "\" states no factor \"" + n +
                                   "\"; set it with cmrv_enterprise_set_factor() first");
      }
      (*f)[n]["uncertainty_pct"] = u_pct;
      enterprise->Edited();
      return absl::OkStatus();
    }
    for (auto& a : (*src)["activity"]) {
      if (a.value("period", "") != period) continue;
      if (n == "activity") {
        a["uncertainty_pct"] = u_pct;
      } else {
        auto m = a.find("measured");
        if (m == a.end() || !m->contains(n)) {
          return cmrv::MakeError(absl::StatusCode::kNotFound, cmrv::ErrorDetail::kNotFound,
                                 "source \"" + std::string(source_id) + "\" has no measurement \"" + n +
                                     "\" for period \"" + period +
                                     "\"; add it with cmrv_enterprise_add_measurement() first");
        }
        (*m)[n]["uncertainty_pct"] = u_pct;
      }
      enterprise->Edited();
      return absl::OkStatus();
    }
    return cmrv::MakeError(absl::StatusCode::kNotFound, cmrv::ErrorDetail::kNotFound,
                           std::string("source \"") + source_id + "\" has no activity for period \"" + period + "\"");
  });
}

cmrv_status cmrv_inventory_uncertainty(cmrv_context* ctx, const cmrv_inventory* inventory, const char* key,
                                       const char* group, double* out_u_pct, double* out_half_width_t) {
  return Guard(ctx, [&]() -> absl::Status {
    if (inventory == nullptr) return NullArgument("inventory");
    if (key == nullptr) return NullArgument("key");
    if (group == nullptr) return NullArgument("group");
    if (out_u_pct == nullptr && out_half_width_t == nullptr) return NullArgument("out_u_pct and out_half_width_t");
    auto parsed = cmrv::ParseTotalsKey(key);
    if (!parsed.ok()) return parsed.status();
    auto results = cmrv::PropagateUncertainty(inventory->inventory, *parsed);
    if (!results.ok()) return results.status();
    for (const auto& r : *results) {
      if (r.group != group) continue;
      const std::string what = std::string(key) == "total" ? "the total" : std::string(key) + " \"" + group + "\"";
      if (!r.missing.empty()) return NotAssessed(what, r.missing);
      if (out_u_pct != nullptr && !r.u_pct) {
        return cmrv::MakeError(
            absl::StatusCode::kFailedPrecondition, cmrv::ErrorDetail::kInvalidArgument,
            what + " is 0 tCO2e: U in % is undefined; ask for the half-width alone (out_u_pct NULL)");
      }
      if (out_u_pct != nullptr) *out_u_pct = *r.u_pct;
      if (out_half_width_t != nullptr) *out_half_width_t = *r.half_width_t;
      return absl::OkStatus();
    }
    return cmrv::MakeError(absl::StatusCode::kNotFound, cmrv::ErrorDetail::kNotFound,
                           "no lines in " + std::string(key) + " \"" + group + "\"");
  });
}

cmrv_status cmrv_inventory_line_uncertainty(cmrv_context* ctx, const cmrv_inventory* inventory, size_t index,
                                            double* out_u_pct) {
  return Guard(ctx, [&]() -> absl::Status {
    if (inventory == nullptr) return NullArgument("inventory");
    if (out_u_pct == nullptr) return NullArgument("out_u_pct");
    absl::Status st;
    const auto* line = Line(inventory, index, st);
    if (line == nullptr) return st;
    std::vector<std::string> missing;
    auto u = cmrv::LineUncertainty(*line, &missing);
    if (!u) return NotAssessed("line " + std::to_string(index), missing);
    *out_u_pct = *u;
    return absl::OkStatus();
  });
}

}  // extern "C"
