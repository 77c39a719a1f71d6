// C API: allowance allocation and compliance (core: include/carbonmrv/market/allocation.hpp,
// compliance.hpp).
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "carbonmrv/market/allocation.hpp"
#include "carbonmrv/market/compliance.hpp"
#include "guard.hpp"
#include "handles.hpp"
#include "strided.hpp"

struct cmrv_allocation_rules {
  cmrv::AllocationRules rules;
};

struct cmrv_allocation {
  cmrv::AllocationResult result;
};

struct cmrv_compliance {
  cmrv::ComplianceResult result;
};

namespace {

using cmrv::capi::At;
using cmrv::capi::BadArgument;
using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

extern "C" {

cmrv_status cmrv_allocation_rules_builtin(cmrv_context* ctx, const char* id, cmrv_allocation_rules** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (auto st = cmrv::CheckText(id, "id"); !st.ok()) return st;
    if (out == nullptr) return NullArgument("out");
    auto r = cmrv::AllocationRules::Builtin(id);
    if (!r.ok()) return r.status();
    *out = new cmrv_allocation_rules{*std::move(r)};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_allocation_rules_from_json(cmrv_context* ctx, const char* json, cmrv_allocation_rules** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (auto st = cmrv::CheckText(json, "json"); !st.ok()) return st;
    if (out == nullptr) return NullArgument("out");
    auto r = cmrv::AllocationRules::FromJson(json);
    if (!r.ok()) return r.status();
    *out = new cmrv_allocation_rules{*std::move(r)};
    return absl::OkStatus();
  });
}

void cmrv_allocation_rules_destroy(cmrv_allocation_rules* rules) { delete rules; }

cmrv_status cmrv_allocate(cmrv_context* ctx, const cmrv_enterprise* enterprise, const cmrv_factor_catalogue* catalogue,
                          const cmrv_allocation_rules* rules, int32_t year, const cmrv_inventory_options* options,
                          cmrv_allocation** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (rules == nullptr) return NullArgument("rules");
    if (out == nullptr) return NullArgument("out");
    auto ent = cmrv::capi::Materialize(enterprise);
    if (!ent.ok()) return ent.status();
    cmrv::AllocateOptions o;
    o.year = year;
    if (options != nullptr) o.inventory = options->options;
    auto r = cmrv::Allocate(**ent, catalogue->catalogue, rules->rules, o);
    if (!r.ok()) return r.status();
    *out = new cmrv_allocation{*std::move(r)};
    return absl::OkStatus();
  });
}

void cmrv_allocation_destroy(cmrv_allocation* allocation) { delete allocation; }

cmrv_status cmrv_allocation_summary(cmrv_context* ctx, const cmrv_allocation* allocation, double* out_total,
                                    double* out_pre_allocation, double* out_true_up, size_t* out_facilities) {
  return Guard(ctx, [&]() -> absl::Status {
    if (allocation == nullptr) return NullArgument("allocation");
    const auto& r = allocation->result;
    if (out_total != nullptr) *out_total = r.total_t;
    if (out_pre_allocation != nullptr) *out_pre_allocation = r.pre_allocation_t.value_or(kNaN);
    if (out_true_up != nullptr) *out_true_up = r.true_up_t.value_or(kNaN);
    if (out_facilities != nullptr) *out_facilities = r.facilities.size();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_allocation_facility(cmrv_context* ctx, const cmrv_allocation* allocation, size_t index,
                                     const char** out_id, double* out_allocation, double* out_verified_emissions) {
  return Guard(ctx, [&]() -> absl::Status {
    if (allocation == nullptr) return NullArgument("allocation");
    const auto& fs = allocation->result.facilities;
    if (index >= fs.size()) return cmrv::capi::IndexOutOfRange("facility", index, fs.size(), "facilities");
    const auto& f = fs[index];
    if (out_id != nullptr) *out_id = f.facility.c_str();
    if (out_allocation != nullptr) *out_allocation = f.allocation_t;
    if (out_verified_emissions != nullptr) *out_verified_emissions = f.verified_emissions_t.value_or(kNaN);
    return absl::OkStatus();
  });
}

cmrv_status cmrv_allocation_to_json(cmrv_context* ctx, const cmrv_allocation* allocation, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (allocation == nullptr) return NullArgument("allocation");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(allocation->result.ToJson());
    return absl::OkStatus();
  });
}

cmrv_status cmrv_compliance_assess(cmrv_context* ctx, const cmrv_allocation* allocation,
                                   const cmrv_allocation_rules* rules, size_t count, const int32_t* kinds,
                                   size_t kind_stride, const int32_t* vintages, size_t vintage_stride,
                                   const double* quantities, size_t quantity_stride, double net_sold,
                                   cmrv_compliance** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (allocation == nullptr) return NullArgument("allocation");
    if (rules == nullptr) return NullArgument("rules");
    if (count > 0 && kinds == nullptr) return NullArgument("kinds");
    if (count > 0 && vintages == nullptr) return NullArgument("vintages");
    if (count > 0 && quantities == nullptr) return NullArgument("quantities");
    if (out == nullptr) return NullArgument("out");
    for (auto [stride, size, name] : {std::tuple{kind_stride, sizeof(int32_t), "kind_stride"},
                                      std::tuple{vintage_stride, sizeof(int32_t), "vintage_stride"},
                                      std::tuple{quantity_stride, sizeof(double), "quantity_stride"}}) {
      if (stride != 0 && stride < size) {
        return BadArgument(std::string(name) + ": stride " + std::to_string(stride) + " is below the element size " +
                           std::to_string(size) + " (0 repeats the first element)");
      }
    }
    std::vector<cmrv::Holding> holdings(count);
    for (std::size_t i = 0; i < count; ++i) {
      const int32_t kind = At(kinds, kind_stride, i);
      if (kind != CMRV_HOLDING_ALLOWANCE && kind != CMRV_HOLDING_CCER) {
        return BadArgument("holdings[" + std::to_string(i) + "].kind: " + std::to_string(kind) +
                           " is not CMRV_HOLDING_ALLOWANCE (0) or CMRV_HOLDING_CCER (1)");
      }
      holdings[i] = {static_cast<cmrv::HoldingKind>(kind), At(vintages, vintage_stride, i),
                     At(quantities, quantity_stride, i)};
    }
    cmrv::ComplianceOptions o;
    if (!std::isnan(net_sold)) o.net_sold_t = net_sold;
    auto r = cmrv::AssessCompliance(allocation->result, rules->rules, holdings, o);
    if (!r.ok()) return r.status();
    *out = new cmrv_compliance{*std::move(r)};
    return absl::OkStatus();
  });
}

void cmrv_compliance_destroy(cmrv_compliance* compliance) { delete compliance; }

cmrv_status cmrv_compliance_summary(cmrv_context* ctx, const cmrv_compliance* compliance, double* out_due,
                                    double* out_surrendered, double* out_shortfall, double* out_surplus) {
  return Guard(ctx, [&]() -> absl::Status {
    if (compliance == nullptr) return NullArgument("compliance");
    const auto& r = compliance->result;
    if (out_due != nullptr) *out_due = r.due_t;
    if (out_surrendered != nullptr) *out_surrendered = r.surrendered_t;
    if (out_shortfall != nullptr) *out_shortfall = r.shortfall_t;
    if (out_surplus != nullptr) *out_surplus = r.surplus_t;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_compliance_to_json(cmrv_context* ctx, const cmrv_compliance* compliance, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (compliance == nullptr) return NullArgument("compliance");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(compliance->result.ToJson());
    return absl::OkStatus();
  });
}

}  // extern "C"
