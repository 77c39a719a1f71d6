// C API: the batch engine (core: include/carbonmrv/batch/batch.hpp).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "carbonmrv/batch/batch.hpp"
#include "carbonmrv/batch/batch_options.hpp"
#include "guard.hpp"
#include "handles.hpp"

struct cmrv_batch_options {
  cmrv::batch::Options options;
  cmrv::batch::Output shape;  // only group_values and group_keys: the columns are the records'
};

struct cmrv_batch_records {
  cmrv::batch::Input input;
  cmrv::batch::Output output;
};

struct cmrv_batch_result {
  cmrv::batch::Result result;
};

struct cmrv_batch_group_sums {
  cmrv::batch::GroupSums sums;
};
namespace {

using cmrv::capi::BadArgument;
using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

absl::StatusOr<cmrv::batch::DType> TypeOf(int32_t t) {
  if (t < CMRV_DTYPE_INT8 || t > CMRV_DTYPE_FLOAT64) {
    return BadArgument("dtype " + std::to_string(t) + " is not a cmrv_dtype (CMRV_DTYPE_INT8 .. CMRV_DTYPE_FLOAT64)");
  }
  return static_cast<cmrv::batch::DType>(t);
}

absl::StatusOr<cmrv::batch::Column> ColumnOf(const char* name, int32_t type, const void* data, size_t stride) {
  if (data == nullptr) return NullArgument(std::string(name) + " data");
  auto t = TypeOf(type);
  if (!t.ok()) return t.status();
  cmrv::batch::Column c;
  c.data = data;
  c.type = *t;
  c.stride = stride;  // 0: one value for every record (a broadcast scalar, as numpy's stride 0)
  return c;
}

// An output buffer of `capacity` elements of `size` bytes, `stride` bytes apart: stride 0 (one
// element for every index) has no meaning for an output, and an overlapping stride would write
// elements over each other.
absl::Status CheckOutputStride(const char* name, std::size_t stride, std::size_t size) {
  if (stride < size) {
    return BadArgument(std::string(name) + " stride " + std::to_string(stride) + " is below the element size " +
                       std::to_string(size) + " (outputs need a stride of at least the element size; 0 is for inputs)");
  }
  return absl::OkStatus();
}

// Copies n values, value j given by value_of(j), into a caller buffer of `capacity` elements with a byte
// stride, converting to Out.
template <typename Out, typename ValueOf>
absl::Status CopyStrided(std::size_t n, ValueOf&& value_of, Out* out, std::size_t capacity, std::size_t stride) {
  if (auto st = CheckOutputStride("out", stride, sizeof(Out)); !st.ok()) return st;
  if (capacity < n) {
    return cmrv::MakeError(absl::StatusCode::kOutOfRange, cmrv::ErrorDetail::kInvalidArgument,
                           "capacity " + std::to_string(capacity) + " is below the " + std::to_string(n) +
                               " groups (cmrv_batch_result_group_count)");
  }
  char* p = reinterpret_cast<char*>(out);
  for (std::size_t j = 0; j < n; ++j, p += stride) {
    const Out x = static_cast<Out>(value_of(j));
    std::memcpy(p, &x, sizeof x);
  }
  return absl::OkStatus();
}

template <typename Out, typename In, typename Alloc>
absl::Status CopyStrided(const std::vector<In, Alloc>& values, Out* out, std::size_t capacity, std::size_t stride) {
  return CopyStrided(
      values.size(), [&](std::size_t j) { return values[j]; }, out, capacity, stride);
}

// Checks that the groups have key column `key_index` (in either form: values, or levels and codes) and,
// with `levels_codes`, that it was computed as levels and codes.
absl::Status CheckKey(const cmrv::batch::Groups& g, std::size_t key_index, bool levels_codes) {
  const std::size_t columns = std::max(g.keys.size(), g.levels.size());
  if (key_index >= columns) {
    return BadArgument("key_index " + std::to_string(key_index) + " is not below the " + std::to_string(columns) +
                       " key column(s)");
  }
  if (levels_codes && g.levels.empty()) {
    return BadArgument("group levels and codes were not computed (see the group_keys option)");
  }
  return absl::OkStatus();
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
    if (auto st = cmrv::CheckText(key, "key"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(value, "value"); !st.ok()) return st;
    return cmrv::SetBatchOption(options->options, options->shape, key, value);
  });
}

cmrv_status cmrv_batch_options_set_progress(cmrv_context* ctx, cmrv_batch_options* options, cmrv_progress_fn fn,
                                            void* user_data) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    options->options.progress = cmrv::capi::ProgressOf(fn, user_data);
    return absl::OkStatus();
  });
}

void cmrv_batch_options_destroy(cmrv_batch_options* options) { delete options; }

cmrv_status cmrv_batch_records_create(cmrv_context* ctx, size_t count, cmrv_batch_records** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_batch_records{};
    (*out)->input.size = count;
    return absl::OkStatus();
  });
}

void cmrv_batch_records_destroy(cmrv_batch_records* records) { delete records; }

cmrv_status cmrv_batch_records_set_codes(cmrv_context* ctx, cmrv_batch_records* records, const char* name, int32_t type,
                                         const void* codes, size_t stride, const char* const* values,
                                         size_t value_count) {
  return Guard(ctx, [&]() -> absl::Status {
    if (records == nullptr) return NullArgument("records");
    if (name == nullptr) return NullArgument("name");
    if (values == nullptr && value_count > 0) return NullArgument("values");
    const std::string n(name);
    auto& in = records->input;
    cmrv::batch::Coded* coded = n == "carrier"  ? &in.carrier
                                : n == "unit"   ? &in.unit
                                : n == "kind"   ? &in.kind
                                : n == "region" ? &in.region
                                                : nullptr;
    if (coded == nullptr) return BadArgument("coded column \"" + n + "\" is not one of carrier, unit, kind, region");
    auto c = ColumnOf(name, type, codes, stride);
    if (!c.ok()) return c.status();
    if (!cmrv::batch::IsInteger(c->type)) return BadArgument(n + " codes must have an integer dtype");
    std::vector<std::string> v;
    for (size_t i = 0; i < value_count; ++i) {
      if (auto st = cmrv::CheckText(values[i], "values[" + std::to_string(i) + "]"); !st.ok()) return st;
      v.emplace_back(values[i]);
    }
    coded->codes = *c;
    coded->values = std::move(v);
    return absl::OkStatus();
  });
}

cmrv_status cmrv_batch_records_set_column(cmrv_context* ctx, cmrv_batch_records* records, const char* name,
                                          int32_t type, const void* data, size_t stride, const char* unit) {
  return Guard(ctx, [&]() -> absl::Status {
    if (records == nullptr) return NullArgument("records");
    if (name == nullptr) return NullArgument("name");
    const std::string n(name);
    auto& in = records->input;
    auto c = ColumnOf(name, type, data, stride);
    if (!c.ok()) return c.status();
    if (n == "quantity" || n == "year") {
      if (unit != nullptr) return BadArgument(n + " takes no unit (the unit column gives the quantity's)");
      (n == "quantity" ? in.quantity : in.year) = *c;
      return absl::OkStatus();
    }
    cmrv::batch::Measured* m = n == "ncv"              ? &in.ncv
                               : n == "carbon_content" ? &in.carbon_content
                               : n == "oxidation"      ? &in.oxidation
                                                       : nullptr;
    if (m == nullptr) {
      return BadArgument("column \"" + n + "\" is not one of quantity, year, ncv, carbon_content, oxidation");
    }
    if (unit == nullptr) return NullArgument("unit (of the measured " + n + ")");
    m->values = *c;
    m->unit = unit;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_batch_records_add_key(cmrv_context* ctx, cmrv_batch_records* records, int32_t type, const void* data,
                                       size_t stride) {
  return Guard(ctx, [&]() -> absl::Status {
    if (records == nullptr) return NullArgument("records");
    auto c = ColumnOf("key", type, data, stride);
    if (!c.ok()) return c.status();
    records->input.keys.push_back(*c);
    return absl::OkStatus();
  });
}

cmrv_status cmrv_batch_records_set_output(cmrv_context* ctx, cmrv_batch_records* records, const char* name,
                                          double* data, size_t stride) {
  return Guard(ctx, [&]() -> absl::Status {
    if (records == nullptr) return NullArgument("records");
    if (name == nullptr) return NullArgument("name");
    if (data == nullptr) return NullArgument("data");
    auto& o = records->output;
    const std::string n(name);
    cmrv::batch::OutColumn* c = n == "co2_t"    ? &o.co2_t
                                : n == "ch4_t"  ? &o.ch4_t
                                : n == "n2o_t"  ? &o.n2o_t
                                : n == "co2e_t" ? &o.co2e_t
                                                : nullptr;
    if (c == nullptr) return BadArgument("output \"" + n + "\" is not one of co2_t, ch4_t, n2o_t, co2e_t");
    if (auto st = CheckOutputStride("output", stride, sizeof(double)); !st.ok()) return st;
    *c = {data, stride};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_batch_compute(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue,
                               const cmrv_batch_options* options, const cmrv_batch_records* records,
                               cmrv_batch_result** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (records == nullptr) return NullArgument("records");
    if (out == nullptr) return NullArgument("out");
    static const cmrv_batch_options kDefaults{};  // NULL options mean the defaults, as in every compute call
    const cmrv_batch_options& opt = options == nullptr ? kDefaults : *options;
    cmrv::batch::Output o = records->output;
    o.group_values = opt.shape.group_values;
    o.group_keys = opt.shape.group_keys;
    auto r = cmrv::batch::Compute(records->input, catalogue->catalogue, opt.options, o);
    if (!r.ok()) return r.status();
    *out = new cmrv_batch_result{*std::move(r)};
    return absl::OkStatus();
  });
}

void cmrv_batch_result_destroy(cmrv_batch_result* result) { delete result; }

cmrv_status cmrv_batch_result_counts(cmrv_context* ctx, const cmrv_batch_result* result, size_t* valid,
                                     size_t* skipped) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    if (valid != nullptr) *valid = result->result.report.valid;
    if (skipped != nullptr) *skipped = result->result.report.skipped;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_batch_result_report_json(cmrv_context* ctx, const cmrv_batch_result* result, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(result->result.report.ToJson());
    return absl::OkStatus();
  });
}

cmrv_status cmrv_batch_result_group_count(cmrv_context* ctx, const cmrv_batch_result* result, size_t* out_count) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    if (out_count == nullptr) return NullArgument("out_count");
    *out_count = result->result.groups.size();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_batch_result_group_keys(cmrv_context* ctx, const cmrv_batch_result* result, size_t key_index,
                                         int64_t* out, size_t capacity, size_t stride) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    if (out == nullptr) return NullArgument("out");
    const auto& g = result->result.groups;
    if (auto st = CheckKey(g, key_index, /*levels_codes=*/false); !st.ok()) return st;
    if (g.levels.empty()) return CopyStrided(g.keys[key_index], out, capacity, stride);
    // Levels and codes: each group's key is its level, decoded as it is copied.
    const auto& levels = g.levels[key_index];
    const auto& codes = g.codes[key_index];
    return CopyStrided(
        codes.size(), [&](std::size_t j) { return levels[static_cast<std::size_t>(codes[j])]; }, out, capacity, stride);
  });
}

cmrv_status cmrv_batch_result_group_levels(cmrv_context* ctx, const cmrv_batch_result* result, size_t key_index,
                                           int64_t* out, size_t capacity, size_t* out_count) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    if (out == nullptr && capacity > 0) return NullArgument("out");  // NULL with capacity 0: the count only
    if (out_count == nullptr) return NullArgument("out_count");
    const auto& g = result->result.groups;
    if (auto st = CheckKey(g, key_index, /*levels_codes=*/true); !st.ok()) return st;
    const auto& levels = g.levels[key_index];
    *out_count = levels.size();
    if (out == nullptr) return absl::OkStatus();
    if (capacity < levels.size()) {
      return cmrv::MakeError(absl::StatusCode::kOutOfRange, cmrv::ErrorDetail::kInvalidArgument,
                             "capacity " + std::to_string(capacity) + " is below the " + std::to_string(levels.size()) +
                                 " levels of key column " + std::to_string(key_index));
    }
    std::copy(levels.begin(), levels.end(), out);
    return absl::OkStatus();
  });
}

cmrv_status cmrv_batch_result_group_codes(cmrv_context* ctx, const cmrv_batch_result* result, size_t key_index,
                                          int32_t* out, size_t capacity, size_t stride) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    if (out == nullptr) return NullArgument("out");
    const auto& g = result->result.groups;
    if (auto st = CheckKey(g, key_index, /*levels_codes=*/true); !st.ok()) return st;
    return CopyStrided(g.codes[key_index], out, capacity, stride);
  });
}

cmrv_status cmrv_batch_result_group_values(cmrv_context* ctx, const cmrv_batch_result* result, const char* name,
                                           double* out, size_t capacity, size_t stride) {
  return Guard(ctx, [&]() -> absl::Status {
    if (result == nullptr) return NullArgument("result");
    if (name == nullptr) return NullArgument("name");
    if (out == nullptr) return NullArgument("out");
    const auto& g = result->result.groups;
    const std::string n(name);
    if (n == "records") {
      if (g.records.size() != g.size()) {
        return BadArgument("group value \"records\" was not computed (see the group_values option)");
      }
      return CopyStrided(g.records, out, capacity, stride);
    }
    const cmrv::batch::ResultColumn<double>* v = n == "co2_t"    ? &g.co2_t
                                                 : n == "ch4_t"  ? &g.ch4_t
                                                 : n == "n2o_t"  ? &g.n2o_t
                                                 : n == "co2e_t" ? &g.co2e_t
                                                                 : nullptr;
    if (v == nullptr)
      return BadArgument("group value \"" + n + "\" is not one of co2_t, ch4_t, n2o_t, co2e_t, records");
    if (v->size() != g.size()) {
      return BadArgument("group value \"" + n + "\" was not computed (see the group_values option)");
    }
    return CopyStrided(*v, out, capacity, stride);
  });
}

cmrv_status cmrv_batch_group_sums_create(cmrv_context* ctx, cmrv_batch_group_sums** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_batch_group_sums{};
    return absl::OkStatus();
  });
}

void cmrv_batch_group_sums_destroy(cmrv_batch_group_sums* sums) { delete sums; }

cmrv_status cmrv_batch_group_sums_add(cmrv_context* ctx, cmrv_batch_group_sums* sums, const cmrv_batch_result* result) {
  return Guard(ctx, [&]() -> absl::Status {
    if (sums == nullptr) return NullArgument("sums");
    if (result == nullptr) return NullArgument("result");
    return sums->sums.Add(result->result);
  });
}

cmrv_status cmrv_batch_group_sums_counts(cmrv_context* ctx, const cmrv_batch_group_sums* sums, size_t* out_groups,
                                         uint64_t* out_records) {
  return Guard(ctx, [&]() -> absl::Status {
    if (sums == nullptr) return NullArgument("sums");
    if (out_groups != nullptr) *out_groups = sums->sums.size();
    if (out_records != nullptr) *out_records = sums->sums.records();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_batch_group_sums_take(cmrv_context* ctx, cmrv_batch_group_sums* sums, cmrv_batch_result** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (sums == nullptr) return NullArgument("sums");
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_batch_result{sums->sums.Take()};
    return absl::OkStatus();
  });
}

}  // extern "C"
