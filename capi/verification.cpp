// C API: cross-verification (core: include/carbonmrv/verification/verification.hpp).
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "carbonmrv/verification/verification.hpp"
#include "carbonmrv/verification/verification_options.hpp"
#include "guard.hpp"
#include "handles.hpp"

struct cmrv_verify_options {
  cmrv::VerifyOptions options;
};

struct cmrv_verification {
  cmrv::VerificationReport report;
};

namespace {

using cmrv::capi::BadArgument;
using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

const cmrv::Finding* At(const cmrv_verification* v, size_t index, absl::Status& st) {
  const auto& f = v->report.findings;
  if (index >= f.size()) {
    st = cmrv::capi::IndexOutOfRange("finding", index, f.size(), "findings");
    return nullptr;
  }
  return &f[index];
}

}  // namespace

extern "C" {

cmrv_status cmrv_verify_options_create(cmrv_context* ctx, cmrv_verify_options** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_verify_options{};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_verify_options_set(cmrv_context* ctx, cmrv_verify_options* options, const char* key,
                                    const char* value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    if (auto st = cmrv::CheckText(key, "key"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(value, "value"); !st.ok()) return st;
    return cmrv::SetVerifyOption(options->options, key, value);
  });
}

cmrv_status cmrv_verify_options_set_tolerance(cmrv_context* ctx, cmrv_verify_options* options, const char* check,
                                              double warning, double error) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    if (check == nullptr) return NullArgument("check");
    return cmrv::SetVerifyTolerance(options->options, check, warning, error);
  });
}

void cmrv_verify_options_destroy(cmrv_verify_options* options) { delete options; }

cmrv_status cmrv_verify(cmrv_context* ctx, const cmrv_enterprise* enterprise, const cmrv_factor_catalogue* catalogue,
                        const char* reported_json, const cmrv_verify_options* options, cmrv_verification** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (out == nullptr) return NullArgument("out");
    auto ent = cmrv::capi::Materialize(enterprise);
    if (!ent.ok()) return ent.status();
    std::optional<cmrv::Inventory> reported;
    if (reported_json != nullptr) {
      auto r = cmrv::Inventory::FromJson(reported_json);
      if (!r.ok()) return cmrv::WithContext(r.status(), "reported inventory");
      reported = *std::move(r);
    }
    auto v = cmrv::Verify(**ent, catalogue->catalogue, reported ? &*reported : nullptr,
                          options == nullptr ? cmrv::VerifyOptions{} : options->options);
    if (!v.ok()) return v.status();
    *out = new cmrv_verification{*std::move(v)};
    return absl::OkStatus();
  });
}

void cmrv_verification_destroy(cmrv_verification* report) { delete report; }

cmrv_status cmrv_verification_status(cmrv_context* ctx, const cmrv_verification* report, const char** out_status) {
  return Guard(ctx, [&]() -> absl::Status {
    if (report == nullptr) return NullArgument("report");
    if (out_status == nullptr) return NullArgument("out_status");
    *out_status = report->report.Status().data();  // static storage
    return absl::OkStatus();
  });
}

cmrv_status cmrv_verification_finding_count(cmrv_context* ctx, const cmrv_verification* report, size_t* out_count) {
  return Guard(ctx, [&]() -> absl::Status {
    if (report == nullptr) return NullArgument("report");
    if (out_count == nullptr) return NullArgument("out_count");
    *out_count = report->report.findings.size();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_verification_finding_field(cmrv_context* ctx, const cmrv_verification* report, size_t index,
                                            const char* field, const char** out_text) {
  return Guard(ctx, [&]() -> absl::Status {
    if (report == nullptr) return NullArgument("report");
    if (field == nullptr) return NullArgument("field");
    if (out_text == nullptr) return NullArgument("out_text");
    absl::Status st;
    const auto* f = At(report, index, st);
    if (f == nullptr) return st;
    const std::string_view k(field);
    if (k == "check")
      *out_text = cmrv::CheckIdName(f->check).data();  // static storage
    else if (k == "severity")
      *out_text = cmrv::SeverityName(f->severity).data();  // static storage
    else if (k == "subject")
      *out_text = f->subject.c_str();
    else if (k == "period")
      *out_text = f->period.c_str();
    else if (k == "unit")
      *out_text = f->unit.c_str();
    else if (k == "tolerance")
      *out_text = f->tolerance.c_str();
    else if (k == "source")
      *out_text = f->source.c_str();
    else if (k == "message")
      *out_text = f->message.c_str();
    else if (k == "message_zh")
      *out_text = f->message_zh.c_str();
    else {
      return BadArgument(
          std::string("field \"") + field +
          "\" is not one of check, severity, subject, period, unit, tolerance, source, message, message_zh");
    }
    return absl::OkStatus();
  });
}

cmrv_status cmrv_verification_finding_values(cmrv_context* ctx, const cmrv_verification* report, size_t index,
                                             double* out_observed, double* out_expected, double* out_lower,
                                             double* out_upper, double* out_difference) {
  return Guard(ctx, [&]() -> absl::Status {
    if (report == nullptr) return NullArgument("report");
    absl::Status st;
    const auto* f = At(report, index, st);
    if (f == nullptr) return st;
    constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();
    if (out_observed != nullptr) *out_observed = f->observed;
    if (out_expected != nullptr) *out_expected = f->expected.value_or(kAbsent);
    if (out_lower != nullptr) *out_lower = f->lower.value_or(kAbsent);
    if (out_upper != nullptr) *out_upper = f->upper.value_or(kAbsent);
    if (out_difference != nullptr) *out_difference = f->difference;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_verification_to_json(cmrv_context* ctx, const cmrv_verification* report, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (report == nullptr) return NullArgument("report");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(report->report.ToJson());
    return absl::OkStatus();
  });
}

cmrv_status cmrv_verification_to_csv(cmrv_context* ctx, const cmrv_verification* report, char** out_csv) {
  return Guard(ctx, [&]() -> absl::Status {
    if (report == nullptr) return NullArgument("report");
    if (out_csv == nullptr) return NullArgument("out_csv");
    *out_csv = cmrv::capi::DupString(report->report.ToCsv());
    return absl::OkStatus();
  });
}

}  // extern "C"
