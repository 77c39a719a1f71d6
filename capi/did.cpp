// C API: difference-in-differences (core: include/carbonmrv/policy/did.hpp, policy/twfe.hpp).
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "carbonmrv/policy/did.hpp"
#include "carbonmrv/policy/did_options.hpp"
#include "carbonmrv/policy/twfe.hpp"
#include "guard.hpp"

struct cmrv_did_panel {
  std::size_t rows = 0;
  cmrv::DidPanel panel;
};

struct cmrv_did_options {
  cmrv::DidOptions options;
};

struct cmrv_did_result {
  cmrv::AttGtResult result;
};

struct cmrv_did_aggregate {
  cmrv::AggregateResult aggregate;
};

namespace {

using cmrv::capi::BadArgument;
using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

template <typename T>
double Load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return static_cast<double>(v);
}

// Element i of a strided column of a cmrv_dtype, as a double.
absl::StatusOr<std::vector<double>> ReadColumn(const char* name, cmrv_dtype type, const void* data, std::size_t stride,
                                               std::size_t rows) {
  if (data == nullptr && rows > 0) return NullArgument(std::string(name) + " data");
  double (*load)(const char*) = nullptr;
  switch (type) {
    case CMRV_DTYPE_INT8: load = Load<int8_t>; break;
    case CMRV_DTYPE_INT16: load = Load<int16_t>; break;
    case CMRV_DTYPE_INT32: load = Load<int32_t>; break;
    case CMRV_DTYPE_INT64: load = Load<int64_t>; break;
    case CMRV_DTYPE_UINT8: load = Load<uint8_t>; break;
    case CMRV_DTYPE_UINT16: load = Load<uint16_t>; break;
    case CMRV_DTYPE_UINT32: load = Load<uint32_t>; break;
    case CMRV_DTYPE_UINT64: load = Load<uint64_t>; break;
    case CMRV_DTYPE_FLOAT32: load = Load<float>; break;
    case CMRV_DTYPE_FLOAT64: load = Load<double>; break;
    default:
      return BadArgument("dtype " + std::to_string(type) +
                         " is not a cmrv_dtype (CMRV_DTYPE_INT8 .. CMRV_DTYPE_FLOAT64)");
  }
  std::vector<double> out(rows);
  const char* p = static_cast<const char*>(data);
  for (std::size_t i = 0; i < rows; ++i) out[i] = load(p + i * stride);
  return out;
}

template <typename T>
int64_t LoadInt(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return static_cast<int64_t>(v);
}

// An integer column, read element by element in its own type (int64 values are never routed through
// double, which would round ids above 2^53).
absl::Status SetIntegerColumn(const char* name, cmrv_dtype type, const void* data, std::size_t stride, std::size_t rows,
                              std::vector<int64_t>& out) {
  if (data == nullptr && rows > 0) return NullArgument(std::string(name) + " data");
  int64_t (*load)(const char*) = nullptr;
  switch (type) {
    case CMRV_DTYPE_INT8: load = LoadInt<int8_t>; break;
    case CMRV_DTYPE_INT16: load = LoadInt<int16_t>; break;
    case CMRV_DTYPE_INT32: load = LoadInt<int32_t>; break;
    case CMRV_DTYPE_INT64: load = LoadInt<int64_t>; break;
    case CMRV_DTYPE_UINT8: load = LoadInt<uint8_t>; break;
    case CMRV_DTYPE_UINT16: load = LoadInt<uint16_t>; break;
    case CMRV_DTYPE_UINT32: load = LoadInt<uint32_t>; break;
    case CMRV_DTYPE_UINT64: load = LoadInt<uint64_t>; break;
    case CMRV_DTYPE_FLOAT32:
    case CMRV_DTYPE_FLOAT64:
      return BadArgument(std::string(name) + ": needs an integer dtype (CMRV_DTYPE_INT8 .. CMRV_DTYPE_UINT64)");
    default:
      return BadArgument("dtype " + std::to_string(type) +
                         " is not a cmrv_dtype (CMRV_DTYPE_INT8 .. CMRV_DTYPE_FLOAT64)");
  }
  const char* p = static_cast<const char*>(data);
  std::vector<int64_t> values(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    values[i] = load(p + i * stride);
    if (type == CMRV_DTYPE_UINT64 && values[i] < 0) {  // above INT64_MAX: refuse rather than wrap
      return BadArgument(std::string(name) + "[" + std::to_string(i) + "]: exceeds int64");
    }
  }
  out = std::move(values);
  return absl::OkStatus();
}

absl::Status CopyOut(const std::vector<double>& values, double* out, std::size_t capacity, std::size_t stride,
                     const char* what) {
  if (out == nullptr) return NullArgument("out");
  if (stride < sizeof(double)) {
    return BadArgument("stride " + std::to_string(stride) + " is below the element size 8");
  }
  if (capacity < values.size()) {
    return cmrv::MakeError(
        absl::StatusCode::kOutOfRange, cmrv::ErrorDetail::kInvalidArgument,
        "capacity " + std::to_string(capacity) + " is below the " + std::to_string(values.size()) + " " + what);
  }
  char* p = reinterpret_cast<char*>(out);
  for (double v : values) {
    std::memcpy(p, &v, sizeof v);
    p += stride;
  }
  return absl::OkStatus();
}

const cmrv::DidOptions kDefaults{};

const cmrv::DidOptions& OptionsOf(const cmrv_did_options* o) { return o == nullptr ? kDefaults : o->options; }

}  // namespace

extern "C" {

cmrv_status cmrv_did_panel_create(cmrv_context* ctx, size_t rows, cmrv_did_panel** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    auto* p = new cmrv_did_panel{};
    p->rows = rows;
    *out = p;
    return absl::OkStatus();
  });
}

void cmrv_did_panel_destroy(cmrv_did_panel* panel) { delete panel; }

cmrv_status cmrv_did_panel_set_column(cmrv_context* ctx, cmrv_did_panel* panel, const char* name, cmrv_dtype type,
                                      const void* data, size_t stride) {
  return Guard(ctx, [&]() -> absl::Status {
    if (panel == nullptr) return NullArgument("panel");
    if (auto st = cmrv::CheckText(name, "name"); !st.ok()) return st;
    const std::string n = name;
    cmrv::DidPanel& p = panel->panel;
    if (n == "y") {
      auto v = ReadColumn(name, type, data, stride, panel->rows);
      if (!v.ok()) return v.status();
      p.y = *std::move(v);
      return absl::OkStatus();
    }
    std::vector<int64_t>* col = n == "id"        ? &p.id
                                : n == "time"    ? &p.time
                                : n == "group"   ? &p.group
                                : n == "cluster" ? &p.cluster
                                                 : nullptr;
    if (col == nullptr) return BadArgument("column \"" + n + "\" is not one of id, time, y, group, cluster");
    return SetIntegerColumn(name, type, data, stride, panel->rows, *col);
  });
}

cmrv_status cmrv_did_panel_add_covariate(cmrv_context* ctx, cmrv_did_panel* panel, const char* name, cmrv_dtype type,
                                         const void* data, size_t stride) {
  return Guard(ctx, [&]() -> absl::Status {
    if (panel == nullptr) return NullArgument("panel");
    if (auto st = cmrv::CheckText(name, "name"); !st.ok()) return st;
    auto v = ReadColumn(name, type, data, stride, panel->rows);
    if (!v.ok()) return v.status();
    panel->panel.covariate_names.emplace_back(name);
    panel->panel.covariates.push_back(*std::move(v));
    return absl::OkStatus();
  });
}

cmrv_status cmrv_did_options_create(cmrv_context* ctx, cmrv_did_options** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_did_options{};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_did_options_set(cmrv_context* ctx, cmrv_did_options* options, const char* key, const char* value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    if (auto st = cmrv::CheckText(key, "key"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(value, "value"); !st.ok()) return st;
    return cmrv::SetDidOption(options->options, key, value);
  });
}

cmrv_status cmrv_did_options_set_progress(cmrv_context* ctx, cmrv_did_options* options, cmrv_progress_fn fn,
                                          void* user_data) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    options->options.att_gt.progress = cmrv::capi::ProgressOf(fn, user_data);
    return absl::OkStatus();
  });
}

void cmrv_did_options_destroy(cmrv_did_options* options) { delete options; }

cmrv_status cmrv_did_att_gt(cmrv_context* ctx, const cmrv_did_options* options, const cmrv_did_panel* panel,
                            cmrv_did_result** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (panel == nullptr) return NullArgument("panel");
    if (out == nullptr) return NullArgument("out");
    auto r = cmrv::AttGt(panel->panel, OptionsOf(options).att_gt);
    if (!r.ok()) return r.status();
    *out = new cmrv_did_result{*std::move(r)};
    return absl::OkStatus();
  });
}

void cmrv_did_result_destroy(cmrv_did_result* result) { delete result; }

cmrv_status cmrv_did_result_cell_count(cmrv_context* ctx, const cmrv_did_result* result, size_t* out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    if (out == nullptr) return NullArgument("out");
    *out = result->result.cells.size();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_did_result_cells(cmrv_context* ctx, const cmrv_did_result* result, const char* name, double* out,
                                  size_t capacity, size_t stride) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    if (auto st = cmrv::CheckText(name, "name"); !st.ok()) return st;
    const std::string n = name;
    double (*get)(const cmrv::AttGtCell&) = nullptr;
    if (n == "group") get = [](const cmrv::AttGtCell& c) { return static_cast<double>(c.group); };
    if (n == "time") get = [](const cmrv::AttGtCell& c) { return static_cast<double>(c.time); };
    if (n == "att") get = [](const cmrv::AttGtCell& c) { return c.att; };
    if (n == "se") get = [](const cmrv::AttGtCell& c) { return c.se; };
    if (n == "post") get = [](const cmrv::AttGtCell& c) { return c.post ? 1.0 : 0.0; };
    if (n == "treated") get = [](const cmrv::AttGtCell& c) { return static_cast<double>(c.treated); };
    if (n == "controls") get = [](const cmrv::AttGtCell& c) { return static_cast<double>(c.controls); };
    if (get == nullptr)
      return BadArgument("cell column \"" + n + "\" is not one of group, time, att, se, post, treated, controls");
    std::vector<double> v;
    for (const auto& c : result->result.cells) v.push_back(get(c));
    return CopyOut(v, out, capacity, stride, "cells (cmrv_did_result_cell_count)");
  });
}

cmrv_status cmrv_did_result_summary(cmrv_context* ctx, const cmrv_did_result* result, double* wald, double* wald_p,
                                    int32_t* wald_df, double* critical_value, int32_t* uniform_band) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    const auto& r = result->result;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (wald != nullptr) *wald = r.wald.value_or(nan);
    if (wald_p != nullptr) *wald_p = r.wald_p.value_or(nan);
    if (wald_df != nullptr) *wald_df = r.wald_df;
    if (critical_value != nullptr) *critical_value = r.critical_value;
    if (uniform_band != nullptr) *uniform_band = r.uniform_band ? 1 : 0;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_did_result_notes_json(cmrv_context* ctx, const cmrv_did_result* result, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(nlohmann::json(result->result.notes).dump());
    return absl::OkStatus();
  });
}

cmrv_status cmrv_did_aggregate_create(cmrv_context* ctx, const cmrv_did_result* result, const char* type,
                                      const cmrv_did_options* options, cmrv_did_aggregate** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    if (auto st = cmrv::CheckText(type, "type"); !st.ok()) return st;
    if (out == nullptr) return NullArgument("out");
    auto t = cmrv::ParseAggregationType(type);
    if (!t.ok()) return t.status();
    auto a = cmrv::Aggregate(result->result, *t, OptionsOf(options).aggregate);
    if (!a.ok()) return a.status();
    *out = new cmrv_did_aggregate{*std::move(a)};
    return absl::OkStatus();
  });
}

void cmrv_did_aggregate_destroy(cmrv_did_aggregate* aggregate) { delete aggregate; }

cmrv_status cmrv_did_aggregate_overall(cmrv_context* ctx, const cmrv_did_aggregate* aggregate, double* att, double* se,
                                       size_t* element_count, double* critical_value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (aggregate == nullptr) return NullArgument("aggregate");
    const auto& a = aggregate->aggregate;
    if (att != nullptr) *att = a.overall_att;
    if (se != nullptr) *se = a.overall_se;
    if (element_count != nullptr) *element_count = a.elements.size();
    if (critical_value != nullptr) *critical_value = a.critical_value;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_did_aggregate_elements(cmrv_context* ctx, const cmrv_did_aggregate* aggregate, const char* name,
                                        double* out, size_t capacity, size_t stride) {
  return Guard(ctx, [&]() -> absl::Status {
    if (aggregate == nullptr) return NullArgument("aggregate");
    if (auto st = cmrv::CheckText(name, "name"); !st.ok()) return st;
    const std::string n = name;
    if (n != "key" && n != "att" && n != "se")
      return BadArgument("element column \"" + n + "\" is not one of key, att, se");
    std::vector<double> v;
    for (const auto& e : aggregate->aggregate.elements) {
      v.push_back(n == "key" ? static_cast<double>(e.key) : n == "att" ? e.att : e.se);
    }
    return CopyOut(v, out, capacity, stride, "elements (cmrv_did_aggregate_overall)");
  });
}

cmrv_status cmrv_did_twfe(cmrv_context* ctx, const cmrv_did_options* options, const cmrv_did_panel* panel, double* coef,
                          double* se, size_t capacity) {
  return Guard(ctx, [&]() -> absl::Status {
    if (panel == nullptr) return NullArgument("panel");
    if (coef == nullptr) return NullArgument("coef");
    if (se == nullptr) return NullArgument("se");
    auto r = cmrv::Twfe(panel->panel, OptionsOf(options).att_gt.drop_incomplete_units);
    if (!r.ok()) return r.status();
    if (auto st = CopyOut(r->coef, coef, capacity, sizeof(double), "coefficients (1 + covariates)"); !st.ok())
      return st;
    return CopyOut(r->se, se, capacity, sizeof(double), "coefficients (1 + covariates)");
  });
}

cmrv_status cmrv_did_two_by_two(cmrv_context* ctx, const cmrv_did_options* options, const cmrv_did_panel* panel,
                                int64_t pre, int64_t post, double* att, double* se) {
  return Guard(ctx, [&]() -> absl::Status {
    if (panel == nullptr) return NullArgument("panel");
    auto r = cmrv::DidTwoByTwo(panel->panel, pre, post, OptionsOf(options).att_gt.control);
    if (!r.ok()) return r.status();
    if (att != nullptr) *att = r->att;
    if (se != nullptr) *se = r->se;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_did_bacon_json(cmrv_context* ctx, const cmrv_did_options* options, const cmrv_did_panel* panel,
                                char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (panel == nullptr) return NullArgument("panel");
    if (out_json == nullptr) return NullArgument("out_json");
    auto r = cmrv::BaconDecomposition(panel->panel, OptionsOf(options).att_gt.drop_incomplete_units);
    if (!r.ok()) return r.status();
    nlohmann::json j{{"twfe", r->twfe}, {"comparisons", nlohmann::json::array()}, {"notes", r->notes}};
    for (const auto& c : r->comparisons) {
      j["comparisons"].push_back({{"type", std::string(cmrv::BaconKindName(c.kind))},
                                  {"treated", c.treated},
                                  {"control", c.control},
                                  {"estimate", c.estimate},
                                  {"weight", c.weight}});
    }
    *out_json = cmrv::capi::DupString(j.dump());
    return absl::OkStatus();
  });
}

}  // extern "C"
