// C API: inventories (core: include/carbonmrv/inventory/inventory.hpp).
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/inventory/inventory_options.hpp"
#include "guard.hpp"
#include "handles.hpp"

namespace {

using cmrv::capi::Guard;
using cmrv::capi::Line;
using cmrv::capi::Materialize;
using cmrv::capi::NullArgument;

}  // namespace

extern "C" {

cmrv_status cmrv_inventory_options_create(cmrv_context* ctx, cmrv_inventory_options** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_inventory_options{};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_inventory_options_set(cmrv_context* ctx, cmrv_inventory_options* options, const char* key,
                                       const char* value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    if (auto st = cmrv::CheckText(key, "key"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(value, "value"); !st.ok()) return st;
    return cmrv::SetInventoryOption(options->options, key, value);
  });
}

void cmrv_inventory_options_destroy(cmrv_inventory_options* options) { delete options; }

cmrv_status cmrv_inventory_compute(cmrv_context* ctx, const cmrv_enterprise* enterprise,
                                   const cmrv_factor_catalogue* catalogue, const cmrv_inventory_options* options,
                                   cmrv_inventory** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (enterprise == nullptr) return NullArgument("enterprise");
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (out == nullptr) return NullArgument("out");
    auto ent = Materialize(enterprise);
    if (!ent.ok()) return ent.status();
    auto inv = cmrv::ComputeInventory(**ent, catalogue->catalogue,
                                      options == nullptr ? cmrv::InventoryOptions{} : options->options);
    if (!inv.ok()) return inv.status();
    *out = new cmrv_inventory{*std::move(inv)};
    return absl::OkStatus();
  });
}

void cmrv_inventory_destroy(cmrv_inventory* inventory) { delete inventory; }

cmrv_status cmrv_inventory_total_co2e(cmrv_context* ctx, const cmrv_inventory* inventory, double* out_t) {
  return Guard(ctx, [&]() -> absl::Status {
    if (inventory == nullptr) return NullArgument("inventory");
    if (out_t == nullptr) return NullArgument("out_t");
    *out_t = inventory->inventory.TotalCo2e();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_inventory_total_scope2(cmrv_context* ctx, const cmrv_inventory* inventory, const char* method,
                                        double* out_total_t, double* out_scope2_t) {
  return Guard(ctx, [&]() -> absl::Status {
    if (inventory == nullptr) return NullArgument("inventory");
    if (method == nullptr) return NullArgument("method");
    auto m = cmrv::ParseScope2Method(method);
    if (!m.ok()) return cmrv::WithContext(m.status(), "method");
    if (out_total_t != nullptr) *out_total_t = inventory->inventory.TotalCo2e(*m);
    if (out_scope2_t != nullptr) *out_scope2_t = inventory->inventory.Scope2Co2e(*m);
    return absl::OkStatus();
  });
}

cmrv_status cmrv_inventory_total_by(cmrv_context* ctx, const cmrv_inventory* inventory, const char* key,
                                    const char* group, double* out_t) {
  return Guard(ctx, [&]() -> absl::Status {
    if (inventory == nullptr) return NullArgument("inventory");
    if (key == nullptr) return NullArgument("key");
    if (group == nullptr) return NullArgument("group");
    if (out_t == nullptr) return NullArgument("out_t");
    auto k = cmrv::ParseTotalsKey(key);
    if (!k.ok()) return k.status();
    auto totals = inventory->inventory.Totals(*k);
    auto it = totals.find(group);
    *out_t = it == totals.end() ? 0.0 : it->second;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_inventory_line_count(cmrv_context* ctx, const cmrv_inventory* inventory, size_t* out_count) {
  return Guard(ctx, [&]() -> absl::Status {
    if (inventory == nullptr) return NullArgument("inventory");
    if (out_count == nullptr) return NullArgument("out_count");
    *out_count = inventory->inventory.lines.size();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_inventory_line_values(cmrv_context* ctx, const cmrv_inventory* inventory, size_t index,
                                       double* out_mass_t, double* out_co2e_t) {
  return Guard(ctx, [&]() -> absl::Status {
    if (inventory == nullptr) return NullArgument("inventory");
    if (out_mass_t == nullptr) return NullArgument("out_mass_t");
    if (out_co2e_t == nullptr) return NullArgument("out_co2e_t");
    absl::Status st;
    const auto* l = Line(inventory, index, st);
    if (l == nullptr) return st;
    *out_mass_t = l->mass_t;
    *out_co2e_t = l->co2e_t;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_inventory_line_field(cmrv_context* ctx, const cmrv_inventory* inventory, size_t index,
                                      const char* field, const char** out_text) {
  return Guard(ctx, [&]() -> absl::Status {
    if (inventory == nullptr) return NullArgument("inventory");
    if (field == nullptr) return NullArgument("field");
    if (out_text == nullptr) return NullArgument("out_text");
    absl::Status st;
    const auto* l = Line(inventory, index, st);
    if (l == nullptr) return st;
    const std::string_view f(field);
    if (f == "source")
      *out_text = l->source_id.c_str();
    else if (f == "period")
      *out_text = l->period.c_str();
    else if (f == "gas")
      *out_text = cmrv::GasName(l->gas).data();  // static storage
    else if (f == "category")
      *out_text = cmrv::CategoryName(l->category).data();  // static storage
    else if (f == "equation")
      *out_text = l->equation.c_str();
    else if (f == "part")
      *out_text = l->part.c_str();
    else if (f == "kind")
      *out_text = cmrv::SourceKindName(l->kind).data();  // static storage
    else if (f == "scope2_method")
      *out_text = l->scope2_method ? cmrv::Scope2MethodName(*l->scope2_method).data() : "";  // static storage
    else if (f == "memo")
      *out_text = l->memo ? "true" : "false";
    else if (f == "species")
      *out_text = l->species.c_str();
    else {
      return cmrv::MakeError(absl::StatusCode::kInvalidArgument, cmrv::ErrorDetail::kInvalidArgument,
                             std::string("field \"") + field +
                                 "\" is not one of source, period, kind, gas, part, category, equation, "
                                 "scope2_method, memo, species");
    }
    return absl::OkStatus();
  });
}

cmrv_status cmrv_inventory_to_json(cmrv_context* ctx, const cmrv_inventory* inventory, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (inventory == nullptr) return NullArgument("inventory");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(inventory->inventory.ToJson());
    return absl::OkStatus();
  });
}

}  // extern "C"
