// C API: enterprise documents, read from JSON or built call by call (core:
// include/carbonmrv/enterprise/enterprise.hpp).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "guard.hpp"
#include "handles.hpp"

namespace {

using cmrv::capi::FindSource;
using cmrv::capi::Guard;
using cmrv::capi::Materialize;
using cmrv::capi::NullArgument;

// The most threads a reader may be given: the core's limit for every "threads" setting
// (internal::kMaxThreads, lib/internal/threads.hpp), which the C API cannot include.
constexpr uint32_t kMaxThreads = 1024;

}  // namespace

extern "C" {

cmrv_status cmrv_enterprise_from_json(cmrv_context* ctx, const char* json, cmrv_enterprise** out) {
  return cmrv_enterprise_from_json_threads(ctx, json, 0, out);
}

cmrv_status cmrv_enterprise_from_json_threads(cmrv_context* ctx, const char* json, uint32_t threads,
                                              cmrv_enterprise** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (json == nullptr) return NullArgument("json");
    if (out == nullptr) return NullArgument("out");
    if (threads > kMaxThreads) {
      return cmrv::capi::BadArgument("threads: " + std::to_string(threads) + " is outside 0 – " +
                                     std::to_string(kMaxThreads) + " (0: every core)");
    }
    auto e = cmrv::Enterprise::FromJson(json, threads);
    if (!e.ok()) return e.status();
    *out = new cmrv_enterprise{std::nullopt, *std::move(e)};  // the document only when edited (handles.hpp)
    return absl::OkStatus();
  });
}

cmrv_status cmrv_enterprise_create(cmrv_context* ctx, const char* name, const char* region, int32_t year,
                                   cmrv_enterprise** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (auto st = cmrv::CheckText(name, "name"); !st.ok()) return st;
    if (region != nullptr) {
      if (auto st = cmrv::CheckText(region, "region"); !st.ok()) return st;
    }
    if (out == nullptr) return NullArgument("out");
    nlohmann::json doc = {{"schema", "carbonmrv.enterprise/1"},
                          {"enterprise", {{"name", name}, {"year", year}}},
                          {"sources", nlohmann::json::array()}};
    if (region != nullptr && *region != '\0') doc["enterprise"]["region"] = region;
    *out = new cmrv_enterprise{std::move(doc), std::nullopt};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_enterprise_add_source(cmrv_context* ctx, cmrv_enterprise* enterprise, const char* source_id,
                                       const char* kind, const char* carrier, const char* method) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (auto st = cmrv::CheckText(source_id, "source_id"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(kind, "kind"); !st.ok()) return st;
    if (carrier != nullptr) {
      if (auto st = cmrv::CheckText(carrier, "carrier"); !st.ok()) return st;
    }
    if (method != nullptr) {
      if (auto st = cmrv::CheckText(method, "method"); !st.ok()) return st;
    }
    nlohmann::json s = {{"id", source_id}, {"kind", kind}, {"activity", nlohmann::json::array()}};
    if (carrier != nullptr && *carrier != '\0') s["carrier"] = carrier;
    if (method != nullptr && *method != '\0') s["method"] = method;
    enterprise->Document()["sources"].push_back(std::move(s));
    enterprise->Edited();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_enterprise_set_field(cmrv_context* ctx, cmrv_enterprise* enterprise, const char* source_id,
                                      const char* key, const char* value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (auto st = cmrv::CheckText(key, "key"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(value, "value"); !st.ok()) return st;
    const std::string_view k(key);
    nlohmann::json* target = nullptr;
    if (source_id == nullptr) {
      if (k != "industry" && k != "uscc") {
        return cmrv::MakeError(absl::StatusCode::kInvalidArgument, cmrv::ErrorDetail::kInvalidArgument,
                               std::string("enterprise field \"") + key + "\" is not one of industry, uscc");
      }
      target = &enterprise->Document()["enterprise"];
    } else {
      static constexpr std::string_view kKeys[] = {"sector", "material",        "calculation", "facility",
                                                   "name",   "scope3_category", "iso_category"};
      if (std::find(std::begin(kKeys), std::end(kKeys), k) == std::end(kKeys)) {
        return cmrv::MakeError(absl::StatusCode::kInvalidArgument, cmrv::ErrorDetail::kInvalidArgument,
                               std::string("source field \"") + key +
                                   "\" is not one of sector, material, calculation, facility, name, scope3_category, "
                                   "iso_category");
      }
      auto s = FindSource(enterprise, source_id);
      if (!s.ok()) return s.status();
      target = *s;
    }
    // The categories are numbers in the document: a whole number given as text becomes one; anything
    // else stays text and the reader reports it at its path.
    long long number = 0;
    const std::string_view v(value);
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), number);
    if ((k == "scope3_category" || k == "iso_category") && ec == std::errc() && end == v.data() + v.size()) {
      (*target)[std::string(k)] = number;
    } else {
      (*target)[std::string(k)] = std::string(v);
    }
    enterprise->Edited();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_enterprise_add_activity(cmrv_context* ctx, cmrv_enterprise* enterprise, const char* source_id,
                                         const char* period, double value, const char* unit) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (auto st = cmrv::CheckText(period, "period"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(unit, "unit"); !st.ok()) return st;
    auto s = FindSource(enterprise, source_id);
    if (!s.ok()) return s.status();
    // NaN/inf cannot be represented in JSON: reject here, naming the argument.
    if (!std::isfinite(value)) {
      return cmrv::MakeError(absl::StatusCode::kInvalidArgument, cmrv::ErrorDetail::kNonFiniteValue,
                             "value is not finite");
    }
    (**s)["activity"].push_back({{"period", period}, {"value", value}, {"unit", unit}});
    enterprise->Edited();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_enterprise_set_factor(cmrv_context* ctx, cmrv_enterprise* enterprise, const char* source_id,
                                       const char* name, double value, const char* unit, const char* provenance) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (auto st = cmrv::CheckText(name, "name"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(unit, "unit"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(provenance, "provenance"); !st.ok()) return st;
    if (*provenance == '\0') {
      return cmrv::capi::BadArgument("provenance is empty; name where the value comes from (document, table, row)");
    }
    if (!std::isfinite(value)) {
      return cmrv::MakeError(absl::StatusCode::kInvalidArgument, cmrv::ErrorDetail::kNonFiniteValue,
                             "value is not finite");
    }
    auto s = FindSource(enterprise, source_id);
    if (!s.ok()) return s.status();
    (**s)["factors"][name] = {{"value", value}, {"unit", unit}, {"source", provenance}};
    enterprise->Edited();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_enterprise_add_measurement(cmrv_context* ctx, cmrv_enterprise* enterprise, const char* source_id,
                                            const char* period, const char* name, double value, const char* unit,
                                            const char* provenance) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (auto st = cmrv::CheckText(period, "period"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(name, "name"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(unit, "unit"); !st.ok()) return st;
    if (provenance != nullptr) {
      if (auto st = cmrv::CheckText(provenance, "provenance"); !st.ok()) return st;
    }
    if (!std::isfinite(value)) {
      return cmrv::MakeError(absl::StatusCode::kInvalidArgument, cmrv::ErrorDetail::kNonFiniteValue,
                             "value is not finite");
    }
    auto s = FindSource(enterprise, source_id);
    if (!s.ok()) return s.status();
    for (auto& a : (**s)["activity"]) {
      if (a.value("period", "") == period) {
        a["measured"][name] = {{"value", value}, {"unit", unit}, {"source", provenance == nullptr ? "" : provenance}};
        enterprise->Edited();
        return absl::OkStatus();
      }
    }
    return cmrv::MakeError(absl::StatusCode::kNotFound, cmrv::ErrorDetail::kNotFound,
                           std::string("source \"") + source_id + "\" has no activity for period \"" + period + "\"");
  });
}

cmrv_status cmrv_enterprise_to_json(cmrv_context* ctx, const cmrv_enterprise* enterprise, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (out_json == nullptr) return NullArgument("out_json");
    auto ent = Materialize(enterprise);
    if (!ent.ok()) return ent.status();
    *out_json = cmrv::capi::DupString((*ent)->ToJson());
    return absl::OkStatus();
  });
}

void cmrv_enterprise_destroy(cmrv_enterprise* enterprise) { delete enterprise; }

}  // extern "C"
