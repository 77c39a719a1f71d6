// C API: units and quantity kinds (core: include/carbonmrv/units/units.hpp).
#include <cmath>
#include <optional>

#include "carbonmrv/units/units.hpp"
#include "guard.hpp"

namespace {

using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

// Parses a required unit argument, naming the parameter in both the NULL and the parse error.
absl::StatusOr<cmrv::Unit> ParseArg(const char* text, std::string_view name) {
  if (text == nullptr) return NullArgument(name);
  auto unit = cmrv::Unit::Parse(text);
  if (!unit.ok()) return cmrv::WithContext(unit.status(), name);
  return unit;
}

// Shared tail of every scalar entry point: check `out`, run the core call, store the result.
template <typename F>
absl::Status Store(double* out, F&& compute) {
  if (out == nullptr) return NullArgument("out");
  absl::StatusOr<double> v = compute();
  if (!v.ok()) return v.status();
  *out = *v;
  return absl::OkStatus();
}

}  // namespace

// `var` names the variables the macro declares, so it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CMRV_PARSE(var, text, name)             \
  auto var##_or = ParseArg(text, name);         \
  if (!var##_or.ok()) return var##_or.status(); \
  const cmrv::Unit& var = *var##_or
// NOLINTEND(bugprone-macro-parentheses)

extern "C" {

cmrv_status cmrv_unit_convert(cmrv_context* ctx, double value, const char* from_unit, const char* to_unit,
                              double* out) {
  return Guard(ctx, [&]() -> absl::Status {
    CMRV_PARSE(from, from_unit, "from_unit");
    CMRV_PARSE(to, to_unit, "to_unit");
    return Store(out, [&] { return cmrv::Convert(value, from, to); });
  });
}

cmrv_status cmrv_unit_convert_array(cmrv_context* ctx, const char* from_unit, const char* to_unit, const double* in,
                                    size_t in_stride_bytes, size_t count, double* out, size_t out_stride_bytes) {
  return Guard(ctx, [&]() -> absl::Status {
    CMRV_PARSE(from, from_unit, "from_unit");
    CMRV_PARSE(to, to_unit, "to_unit");
    return cmrv::ConvertStrided(from, to, in, in_stride_bytes, count, out, out_stride_bytes);
  });
}

cmrv_status cmrv_unit_normalize(cmrv_context* ctx, const char* unit, char** out_symbol) {
  return Guard(ctx, [&]() -> absl::Status {
    CMRV_PARSE(u, unit, "unit");
    if (out_symbol == nullptr) return NullArgument("out_symbol");
    *out_symbol = cmrv::capi::DupString(u.symbol());
    return absl::OkStatus();
  });
}

cmrv_status cmrv_unit_kind(cmrv_context* ctx, const char* unit, char** out_kind) {
  return Guard(ctx, [&]() -> absl::Status {
    CMRV_PARSE(u, unit, "unit");
    if (out_kind == nullptr) return NullArgument("out_kind");
    *out_kind = cmrv::capi::DupString(u.kind().Describe());
    return absl::OkStatus();
  });
}

cmrv_status cmrv_unit_compatible(cmrv_context* ctx, const char* unit_a, const char* unit_b, int32_t* out_result) {
  return Guard(ctx, [&]() -> absl::Status {
    CMRV_PARSE(a, unit_a, "unit_a");
    CMRV_PARSE(b, unit_b, "unit_b");
    if (out_result == nullptr) return NullArgument("out_result");
    *out_result = a.kind() == b.kind() ? 1 : 0;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_unit_apply_factor(cmrv_context* ctx, double value, const char* unit, double factor,
                                   const char* factor_unit, const char* to_unit, double* out) {
  return Guard(ctx, [&]() -> absl::Status {
    CMRV_PARSE(u, unit, "unit");
    CMRV_PARSE(f, factor_unit, "factor_unit");
    CMRV_PARSE(to, to_unit, "to_unit");
    return Store(out, [&] { return cmrv::ApplyFactor(value, u, factor, f, to); });
  });
}

cmrv_status cmrv_unit_convert_gas_state(cmrv_context* ctx, double value, const char* from_unit, const char* to_unit,
                                        double* out) {
  return Guard(ctx, [&]() -> absl::Status {
    CMRV_PARSE(from, from_unit, "from_unit");
    CMRV_PARSE(to, to_unit, "to_unit");
    return Store(out, [&] { return cmrv::ConvertGasReferenceState(value, from, to); });
  });
}

cmrv_status cmrv_unit_convert_actual_gas(cmrv_context* ctx, double value, const char* from_unit, double temperature_k,
                                         double pressure_pa, const char* to_unit, double* out) {
  return Guard(ctx, [&]() -> absl::Status {
    CMRV_PARSE(from, from_unit, "from_unit");
    CMRV_PARSE(to, to_unit, "to_unit");
    return Store(out, [&] { return cmrv::ConvertActualGasVolume(value, from, temperature_k, pressure_pa, to); });
  });
}

cmrv_status cmrv_electricity_to_standard_coal(cmrv_context* ctx, double value, const char* unit, int32_t convention,
                                              double coal_rate_kgce_per_kwh, const char* to_unit, double* out) {
  return Guard(ctx, [&]() -> absl::Status {
    CMRV_PARSE(u, unit, "unit");
    CMRV_PARSE(to, to_unit, "to_unit");
    // NaN means "not given" in C; any other value is passed on and validated by the core.
    std::optional<double> rate;
    if (!std::isnan(coal_rate_kgce_per_kwh)) rate = coal_rate_kgce_per_kwh;
    return Store(out, [&] {
      return cmrv::ElectricityToStandardCoal(value, u, static_cast<cmrv::ElectricityConvention>(convention), rate, to);
    });
  });
}

}  // extern "C"
