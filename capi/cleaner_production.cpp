// C API: cleaner production (core: include/carbonmrv/cleaner_production/cleaner_production.hpp).
#include <cmath>
#include <limits>
#include <string>

#include "carbonmrv/cleaner_production/audit_options.hpp"
#include "carbonmrv/cleaner_production/cleaner_production.hpp"
#include "guard.hpp"
#include "handles.hpp"

struct cmrv_indicator_system {
  cmrv::IndicatorSystem system;
};

struct cmrv_audit_options {
  cmrv::AuditComputeOptions options;
};

struct cmrv_audit {
  cmrv::AuditReport report;
};

namespace {

using cmrv::capi::BadArgument;
using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();

double Or(const std::optional<double>& v) { return v.value_or(kAbsent); }

// The number `name` of an option, or nullopt for an unknown name.
std::optional<double> OptionValue(const cmrv::OptionResult& o, std::string_view name) {
  const auto& e = o.economics;
  const auto* c = o.economics_with_carbon ? &*o.economics_with_carbon : nullptr;
  if (name == "abatement_t") return o.abatement_t;
  if (name == "standalone_abatement_t") return o.standalone_abatement_t;
  if (name == "investment_cny") return o.investment_cny;
  if (name == "annual_savings_cny") return o.annual_savings_cny;
  if (name == "net_cash_flow_cny") return e.net_cash_flow;
  if (name == "npv_cny") return e.npv;
  if (name == "npvr") return Or(e.npvr);
  if (name == "irr") return Or(e.irr);
  if (name == "irr_interpolated") return Or(e.irr_interpolated);
  if (name == "simple_payback_years") return Or(e.simple_payback);
  if (name == "discounted_payback_years") return Or(e.discounted_payback);
  if (name == "cost_per_t") return Or(o.cost_per_t);
  if (name == "feasible") return e.feasible ? 1.0 : 0.0;
  if (name == "npv_with_carbon_cny") return c != nullptr ? c->npv : kAbsent;
  if (name == "irr_with_carbon") return c != nullptr ? Or(c->irr) : kAbsent;
  return std::nullopt;
}

const cmrv::OptionResult* At(const cmrv_audit* a, size_t index, absl::Status& st) {
  const auto& o = a->report.options;
  if (index >= o.size()) {
    st = cmrv::capi::IndexOutOfRange("option", index, o.size(), "options");
    return nullptr;
  }
  return &o[index];
}

}  // namespace

extern "C" {

cmrv_status cmrv_indicator_system_from_json(cmrv_context* ctx, const char* json, cmrv_indicator_system** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (auto st = cmrv::CheckText(json, "json"); !st.ok()) return st;
    if (out == nullptr) return NullArgument("out");
    auto sys = cmrv::IndicatorSystem::FromJson(json);
    if (!sys.ok()) return sys.status();
    *out = new cmrv_indicator_system{*std::move(sys)};
    return absl::OkStatus();
  });
}

void cmrv_indicator_system_destroy(cmrv_indicator_system* system) { delete system; }

cmrv_status cmrv_audit_options_create(cmrv_context* ctx, cmrv_audit_options** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_audit_options{};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_audit_options_set(cmrv_context* ctx, cmrv_audit_options* options, const char* key, const char* value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    if (auto st = cmrv::CheckText(key, "key"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(value, "value"); !st.ok()) return st;
    return cmrv::SetAuditOption(options->options, key, value);
  });
}

void cmrv_audit_options_destroy(cmrv_audit_options* options) { delete options; }

cmrv_status cmrv_audit_compute(cmrv_context* ctx, const cmrv_enterprise* enterprise,
                               const cmrv_factor_catalogue* catalogue, const cmrv_indicator_system* system,
                               const cmrv_audit_options* options, cmrv_audit** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (out == nullptr) return NullArgument("out");
    auto ent = cmrv::capi::Materialize(enterprise);
    if (!ent.ok()) return ent.status();
    cmrv::AuditComputeOptions o = options == nullptr ? cmrv::AuditComputeOptions{} : options->options;
    if (system != nullptr) o.system = system->system;
    auto rep = cmrv::ComputeAudit(**ent, catalogue->catalogue, o);
    if (!rep.ok()) return rep.status();
    *out = new cmrv_audit{*std::move(rep)};
    return absl::OkStatus();
  });
}

void cmrv_audit_destroy(cmrv_audit* audit) { delete audit; }

cmrv_status cmrv_audit_level(cmrv_context* ctx, const cmrv_audit* audit, const char** out_level) {
  return Guard(ctx, [&]() -> absl::Status {
    if (audit == nullptr) return NullArgument("audit");
    if (out_level == nullptr) return NullArgument("out_level");
    const auto& s = audit->report.score;
    *out_level = s ? cmrv::CpLevelName(s->level).data() : "";  // static storage
    return absl::OkStatus();
  });
}

cmrv_status cmrv_audit_option_count(cmrv_context* ctx, const cmrv_audit* audit, size_t* out_count) {
  return Guard(ctx, [&]() -> absl::Status {
    if (audit == nullptr) return NullArgument("audit");
    if (out_count == nullptr) return NullArgument("out_count");
    *out_count = audit->report.options.size();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_audit_option_id(cmrv_context* ctx, const cmrv_audit* audit, size_t index, const char** out_id) {
  return Guard(ctx, [&]() -> absl::Status {
    if (audit == nullptr) return NullArgument("audit");
    if (out_id == nullptr) return NullArgument("out_id");
    absl::Status st;
    const auto* o = At(audit, index, st);
    if (o == nullptr) return st;
    *out_id = o->id.c_str();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_audit_option_value(cmrv_context* ctx, const cmrv_audit* audit, size_t index, const char* name,
                                    double* out_value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (audit == nullptr) return NullArgument("audit");
    if (auto st = cmrv::CheckText(name, "name"); !st.ok()) return st;
    if (out_value == nullptr) return NullArgument("out_value");
    absl::Status st;
    const auto* o = At(audit, index, st);
    if (o == nullptr) return st;
    auto v = OptionValue(*o, name);
    if (!v) {
      return BadArgument(std::string("name \"") + name +
                         "\" is not one of abatement_t, standalone_abatement_t, investment_cny, annual_savings_cny, "
                         "net_cash_flow_cny, npv_cny, npvr, irr, irr_interpolated, simple_payback_years, "
                         "discounted_payback_years, cost_per_t, feasible, npv_with_carbon_cny, irr_with_carbon");
    }
    *out_value = *v;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_audit_to_json(cmrv_context* ctx, const cmrv_audit* audit, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (audit == nullptr) return NullArgument("audit");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(audit->report.ToJson());
    return absl::OkStatus();
  });
}

cmrv_status cmrv_audit_to_csv(cmrv_context* ctx, const cmrv_audit* audit, const char* table, char** out_csv) {
  return Guard(ctx, [&]() -> absl::Status {
    if (audit == nullptr) return NullArgument("audit");
    if (auto st = cmrv::CheckText(table, "table"); !st.ok()) return st;
    if (out_csv == nullptr) return NullArgument("out_csv");
    auto csv = audit->report.ToCsv(table);
    if (!csv.ok()) return csv.status();
    *out_csv = cmrv::capi::DupString(*csv);
    return absl::OkStatus();
  });
}

}  // extern "C"
