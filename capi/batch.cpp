// C API: the batch engine (core: include/carbonmrv/batch.hpp).
#include <cmath>
#include <string>

#include "carbonmrv/batch.hpp"
#include "guard.hpp"
#include "handles.hpp"

struct cmrv_batch_options {
  cmrv::batch::Options options;
};

namespace {

using cmrv::capi::BadArgument;
using cmrv::capi::Guard;
using cmrv::capi::NullArgument;


absl::StatusOr<long> Integer(const std::string& key, const std::string& v, long lo, long hi) {
  std::size_t used = 0;
  long x = 0;
  try {
    x = std::stol(v, &used);
  } catch (...) {
    used = 0;
  }
  if (used != v.size() || v.empty() || x < lo || x > hi) {
    return BadArgument(key + " \"" + v + "\" is not an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return x;
}

}  // namespace

extern "C" {

cmrv_status cmrv_batch_options_create(cmrv_context* ctx, cmrv_batch_options** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_batch_options{};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_batch_options_set(cmrv_context* ctx, cmrv_batch_options* options, const char* key, const char* value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    if (key == nullptr) return NullArgument("key");
    if (value == nullptr) return NullArgument("value");
    const std::string k(key), v(value);
    auto& o = options->options;
    if (k == "region") {
      o.region = v;
    } else if (k == "year") {
      auto y = Integer(k, v, 1990, 2100);
      if (!y.ok()) return y.status();
      o.year = static_cast<int>(*y);
    } else if (k == "method") {
      o.method = v;
    } else if (k == "gwp_dataset") {
      o.inventory.gwp_dataset = v;
    } else if (k == "co2_per_carbon") {
      o.inventory.co2_per_carbon = v;
    } else if (k == "factor_preference") {
      auto p = cmrv::ParsePreference(v);
      if (!p.ok()) return p.status();
      o.inventory.factor_preference = *std::move(p);
    } else if (k == "policy") {
      if (v != "reject" && v != "skip") return BadArgument("policy \"" + v + "\" is not \"reject\" or \"skip\"");
      o.policy = v == "skip" ? cmrv::batch::Policy::kSkip : cmrv::batch::Policy::kReject;
    } else if (k == "threads") {
      auto t = Integer(k, v, 0, 1024);
      if (!t.ok()) return t.status();
      o.threads = static_cast<unsigned>(*t);
    } else if (k == "report_rows") {
      auto r = Integer(k, v, 0, 1000000);
      if (!r.ok()) return r.status();
      o.report_rows = static_cast<std::size_t>(*r);
    } else {
      return BadArgument("option \"" + k +
                         "\" is not one of region, year, method, gwp_dataset, co2_per_carbon, factor_preference, "
                         "policy, threads, report_rows");
    }
    return absl::OkStatus();
  });
}

void cmrv_batch_options_destroy(cmrv_batch_options* options) { delete options; }

cmrv_status cmrv_batch_compute(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue,
                               const cmrv_batch_options* options, size_t count, const int32_t* carrier_codes,
                               size_t carrier_stride, const char* const* carriers, size_t carrier_count,
                               const int32_t* unit_codes, size_t unit_stride, const char* const* units,
                               size_t unit_count, const double* quantity, size_t quantity_stride,
                               const int32_t* group_codes, size_t group_stride, size_t group_count,
                               double* out_co2e, double* out_group_co2e, char** out_report_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (options == nullptr) return NullArgument("options");
    if (count > 0 && carrier_codes == nullptr) return NullArgument("carrier_codes");
    if (count > 0 && unit_codes == nullptr) return NullArgument("unit_codes");
    if (count > 0 && quantity == nullptr) return NullArgument("quantity");
    if (carrier_count > 0 && carriers == nullptr) return NullArgument("carriers");
    if (unit_count > 0 && units == nullptr) return NullArgument("units");
    if (out_group_co2e != nullptr && group_codes == nullptr) return NullArgument("group_codes");
    cmrv::batch::Input in;
    in.size = count;
    in.carrier = {carrier_codes, carrier_stride};
    in.unit = {unit_codes, unit_stride};
    in.quantity = {quantity, quantity_stride};
    in.group = {group_codes, group_stride};
    in.group_count = group_count;
    for (size_t i = 0; i < carrier_count; ++i) {
      if (carriers[i] == nullptr) return NullArgument("carriers[" + std::to_string(i) + "]");
      in.carriers.emplace_back(carriers[i]);
    }
    for (size_t i = 0; i < unit_count; ++i) {
      if (units[i] == nullptr) return NullArgument("units[" + std::to_string(i) + "]");
      in.units.emplace_back(units[i]);
    }
    cmrv::batch::Output out;
    out.co2e_t = out_co2e;
    out.group_co2e_t = out_group_co2e;
    auto r = cmrv::batch::Compute(in, catalogue->catalogue, options->options, out);
    if (!r.ok()) return r.status();
    if (out_report_json != nullptr) *out_report_json = cmrv::capi::DupString(r->ToJson());
    return absl::OkStatus();
  });
}

}  // extern "C"
