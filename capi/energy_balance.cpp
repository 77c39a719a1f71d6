// C API: enterprise energy balance (core: include/carbonmrv/energy_balance/energy_balance.hpp).
#include "carbonmrv/energy_balance/energy_balance.hpp"

#include "guard.hpp"
#include "handles.hpp"

#include <cmath>
#include <limits>
#include <string>

struct cmrv_energy_balance {
  cmrv::EnergyBalance balance;
};

namespace {

using cmrv::capi::BadArgument;
using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

}  // namespace

extern "C" {

cmrv_status cmrv_energy_balance_compute(cmrv_context* ctx, const cmrv_enterprise* enterprise,
                                        const cmrv_factor_catalogue* catalogue, const char* period,
                                        const char* coefficient_preference, cmrv_energy_balance** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (out == nullptr) return NullArgument("out");
    auto ent = cmrv::capi::Materialize(enterprise);
    if (!ent.ok()) return ent.status();
    cmrv::EnergyBalanceOptions options;
    if (period != nullptr) options.period = period;
    if (coefficient_preference != nullptr) {
      auto p = cmrv::ParsePreference(coefficient_preference);
      if (!p.ok()) return p.status();
      options.coefficient_preference = *std::move(p);
    }
    auto b = cmrv::ComputeEnergyBalance(**ent, catalogue->catalogue, options);
    if (!b.ok()) return b.status();
    *out = new cmrv_energy_balance{*std::move(b)};
    return absl::OkStatus();
  });
}

void cmrv_energy_balance_destroy(cmrv_energy_balance* balance) { delete balance; }

cmrv_status cmrv_energy_balance_comprehensive(cmrv_context* ctx, const cmrv_energy_balance* balance,
                                              const char* convention, int32_t include_feedstock, double* out_tce) {
  return Guard(ctx, [&]() -> absl::Status {
    if (balance == nullptr) return NullArgument("balance");
    if (convention == nullptr) return NullArgument("convention");
    if (out_tce == nullptr) return NullArgument("out_tce");
    if (include_feedstock < -1 || include_feedstock > 1) {
      return BadArgument("include_feedstock must be 1, 0 or -1 (as the document declares)");
    }
    const auto& b = balance->balance;
    cmrv::ElectricityConvention conv = b.convention;
    if (std::string_view(convention) != "declared") {
      auto parsed = cmrv::ParseElectricityConvention(convention);
      if (!parsed.ok()) return parsed.status();
      conv = *parsed;
    }
    const cmrv::FeedstockRule rule = include_feedstock == -1  ? b.feedstock
                                     : include_feedstock == 1 ? cmrv::FeedstockRule::kInclude
                                                              : cmrv::FeedstockRule::kExclude;
    auto v = b.ComprehensiveTce(conv, rule);
    if (!v.ok()) return v.status();
    *out_tce = *v;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_energy_balance_cell(cmrv_context* ctx, const cmrv_energy_balance* balance, const char* row,
                                     const char* carrier, const char* basis, double* out_value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (balance == nullptr) return NullArgument("balance");
    if (row == nullptr) return NullArgument("row");
    if (carrier == nullptr) return NullArgument("carrier");
    if (basis == nullptr) return NullArgument("basis");
    if (out_value == nullptr) return NullArgument("out_value");
    auto r = cmrv::ParseBalanceRow(row);
    if (!r)
      return BadArgument(std::string("row \"") + row + "\" is not a balance row (see cmrv_energy_balance_cell())");
    auto v = balance->balance.Cell(*r, carrier, basis);
    if (!v.ok()) return v.status();
    *out_value = *v;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_energy_balance_carrier_count(cmrv_context* ctx, const cmrv_energy_balance* balance,
                                              size_t* out_count) {
  return Guard(ctx, [&]() -> absl::Status {
    if (balance == nullptr) return NullArgument("balance");
    if (out_count == nullptr) return NullArgument("out_count");
    *out_count = balance->balance.columns.size();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_energy_balance_carrier(cmrv_context* ctx, const cmrv_energy_balance* balance, size_t index,
                                        const char** out_carrier, const char** out_unit) {
  return Guard(ctx, [&]() -> absl::Status {
    if (balance == nullptr) return NullArgument("balance");
    const auto& cols = balance->balance.columns;
    if (index >= cols.size()) {
      return cmrv::capi::IndexOutOfRange("carrier", index, cols.size(), "carriers");
    }
    if (out_carrier != nullptr) *out_carrier = cols[index].carrier.c_str();
    if (out_unit != nullptr) *out_unit = cols[index].unit.c_str();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_energy_balance_closure_count(cmrv_context* ctx, const cmrv_energy_balance* balance,
                                              size_t* out_count) {
  return Guard(ctx, [&]() -> absl::Status {
    if (balance == nullptr) return NullArgument("balance");
    if (out_count == nullptr) return NullArgument("out_count");
    *out_count = balance->balance.closures.size();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_energy_balance_closure(cmrv_context* ctx, const cmrv_energy_balance* balance, size_t index,
                                        const char** out_subject, const char** out_link, const char** out_status,
                                        double* out_imbalance_tce, double* out_relative) {
  return Guard(ctx, [&]() -> absl::Status {
    if (balance == nullptr) return NullArgument("balance");
    const auto& cl = balance->balance.closures;
    if (index >= cl.size()) {
      return cmrv::capi::IndexOutOfRange("closure", index, cl.size(), "results");
    }
    const auto& c = cl[index];
    if (out_subject != nullptr) *out_subject = c.subject.c_str();
    if (out_link != nullptr) *out_link = c.link.c_str();
    if (out_status != nullptr) *out_status = cmrv::ClosureStatusName(c.status).data();  // static storage
    if (out_imbalance_tce != nullptr) *out_imbalance_tce = c.imbalance_tce;
    if (out_relative != nullptr) *out_relative = c.relative.value_or(std::numeric_limits<double>::quiet_NaN());
    return absl::OkStatus();
  });
}

cmrv_status cmrv_energy_balance_status(cmrv_context* ctx, const cmrv_energy_balance* balance, const char** out_status) {
  return Guard(ctx, [&]() -> absl::Status {
    if (balance == nullptr) return NullArgument("balance");
    if (out_status == nullptr) return NullArgument("out_status");
    *out_status = cmrv::ClosureStatusName(balance->balance.Status()).data();  // static storage
    return absl::OkStatus();
  });
}

cmrv_status cmrv_energy_balance_to_json(cmrv_context* ctx, const cmrv_energy_balance* balance, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (balance == nullptr) return NullArgument("balance");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(balance->balance.ToJson());
    return absl::OkStatus();
  });
}

cmrv_status cmrv_energy_balance_to_csv(cmrv_context* ctx, const cmrv_energy_balance* balance, const char* basis,
                                       char** out_csv) {
  return Guard(ctx, [&]() -> absl::Status {
    if (balance == nullptr) return NullArgument("balance");
    if (basis == nullptr) return NullArgument("basis");
    if (out_csv == nullptr) return NullArgument("out_csv");
    auto csv = balance->balance.ToCsv(basis);
    if (!csv.ok()) return csv.status();
    *out_csv = cmrv::capi::DupString(*csv);
    return absl::OkStatus();
  });
}

}  // extern "C"
