// C API: the registry (core: include/carbonmrv/registry/registry.hpp).
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "carbonmrv/registry/registry.hpp"
#include "guard.hpp"
#include "handles.hpp"

struct cmrv_registry {
  std::unique_ptr<cmrv::Registry> registry;
};

namespace {

using cmrv::capi::BadArgument;
using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

static_assert(CMRV_ERR_PERMISSION_DENIED == static_cast<int>(absl::StatusCode::kPermissionDenied));
static_assert(CMRV_ERR_UNAVAILABLE == static_cast<int>(absl::StatusCode::kUnavailable));
static_assert(CMRV_ERR_DATA_LOSS == static_cast<int>(absl::StatusCode::kDataLoss));
static_assert(CMRV_DETAIL_NOT_PERMITTED == static_cast<int>(cmrv::ErrorDetail::kNotPermitted));
static_assert(CMRV_DETAIL_INSUFFICIENT_HOLDINGS == static_cast<int>(cmrv::ErrorDetail::kInsufficientHoldings));
static_assert(CMRV_DETAIL_DUPLICATE_ENTRY == static_cast<int>(cmrv::ErrorDetail::kDuplicateEntry));
static_assert(CMRV_DETAIL_STORAGE == static_cast<int>(cmrv::ErrorDetail::kStorage));
static_assert(CMRV_DETAIL_SCHEMA_VERSION == static_cast<int>(cmrv::ErrorDetail::kSchemaVersion));
static_assert(CMRV_ROLE_REGULATOR == static_cast<int>(cmrv::Role::kRegulator) &&
              CMRV_ROLE_VERIFIER == static_cast<int>(cmrv::Role::kVerifier) &&
              CMRV_ROLE_ENTERPRISE == static_cast<int>(cmrv::Role::kEnterprise) &&
              CMRV_ROLE_EXCHANGE == static_cast<int>(cmrv::Role::kExchange));

absl::StatusOr<cmrv::Actor> ActorOf(int32_t role, const char* id) {
  if (role < CMRV_ROLE_REGULATOR || role > CMRV_ROLE_EXCHANGE) {
    return BadArgument("role " + std::to_string(role) +
                       " is not one of CMRV_ROLE_REGULATOR (0) … CMRV_ROLE_EXCHANGE (3)");
  }
  if (auto st = cmrv::CheckText(id, "actor_id"); !st.ok()) return st;
  return cmrv::Actor{static_cast<cmrv::Role>(role), id};
}

}  // namespace

extern "C" {

cmrv_status cmrv_registry_open(cmrv_context* ctx, const char* target, cmrv_registry** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (auto st = cmrv::CheckText(target, "target"); !st.ok()) return st;
    if (out == nullptr) return NullArgument("out");
    auto r = cmrv::Registry::Open(target);
    if (!r.ok()) return r.status();
    *out = new cmrv_registry{*std::move(r)};
    return absl::OkStatus();
  });
}

void cmrv_registry_close(cmrv_registry* registry) { delete registry; }

cmrv_status cmrv_registry_apply(cmrv_context* ctx, cmrv_registry* registry, int32_t role, const char* actor_id,
                                const char* op_json, int64_t* out_seq) {
  return Guard(ctx, [&]() -> absl::Status {
    if (registry == nullptr) return NullArgument("registry");
    auto actor = ActorOf(role, actor_id);
    if (!actor.ok()) return actor.status();
    if (auto st = cmrv::CheckText(op_json, "op_json"); !st.ok()) return st;
    auto seq = registry->registry->Apply(*actor, op_json);
    if (!seq.ok()) return seq.status();
    if (out_seq != nullptr) *out_seq = *seq;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_registry_apply_all(cmrv_context* ctx, cmrv_registry* registry, int32_t role, const char* actor_id,
                                    const char* ops_json, int64_t* out_first_seq, size_t* out_count) {
  return Guard(ctx, [&]() -> absl::Status {
    if (registry == nullptr) return NullArgument("registry");
    auto actor = ActorOf(role, actor_id);
    if (!actor.ok()) return actor.status();
    if (auto st = cmrv::CheckText(ops_json, "ops_json"); !st.ok()) return st;
    const auto doc = nlohmann::json::parse(ops_json, nullptr, false);
    if (doc.is_discarded() || !doc.is_array() || doc.empty()) {
      return BadArgument("ops_json: expected a non-empty JSON array of operations");
    }
    std::vector<std::string> ops;
    ops.reserve(doc.size());
    for (const auto& op : doc) ops.push_back(op.dump());
    auto seqs = registry->registry->ApplyAll(*actor, ops);
    if (!seqs.ok()) return seqs.status();
    if (out_first_seq != nullptr) *out_first_seq = seqs->front();
    if (out_count != nullptr) *out_count = seqs->size();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_registry_balance(cmrv_context* ctx, cmrv_registry* registry, const char* account, const char* kind,
                                  int32_t vintage, int64_t* out_quantity) {
  return Guard(ctx, [&]() -> absl::Status {
    if (registry == nullptr) return NullArgument("registry");
    if (auto st = cmrv::CheckText(account, "account"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(kind, "kind"); !st.ok()) return st;
    if (out_quantity == nullptr) return NullArgument("out_quantity");
    auto q = registry->registry->Balance(account, kind, vintage);
    if (!q.ok()) return q.status();
    *out_quantity = *q;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_registry_view(cmrv_context* ctx, cmrv_registry* registry, const char* name, const char* params_json,
                               char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (registry == nullptr) return NullArgument("registry");
    if (auto st = cmrv::CheckText(name, "name"); !st.ok()) return st;
    if (params_json != nullptr) {
      if (auto st = cmrv::CheckText(params_json, "params_json"); !st.ok()) return st;
    }
    if (out_json == nullptr) return NullArgument("out_json");
    auto v = registry->registry->View(name, params_json == nullptr ? "{}" : params_json);
    if (!v.ok()) return v.status();
    *out_json = cmrv::capi::DupString(*v);
    return absl::OkStatus();
  });
}

cmrv_status cmrv_registry_verify_journal(cmrv_context* ctx, cmrv_registry* registry, int32_t* out_ok,
                                         int64_t* out_entries, int64_t* out_first_bad, char** out_problem) {
  return Guard(ctx, [&]() -> absl::Status {
    if (registry == nullptr) return NullArgument("registry");
    if (out_ok == nullptr) return NullArgument("out_ok");
    auto check = registry->registry->VerifyJournal();
    if (!check.ok()) return check.status();
    *out_ok = check->ok ? 1 : 0;
    if (out_entries != nullptr) *out_entries = check->entries;
    if (out_first_bad != nullptr) *out_first_bad = check->first_bad;
    if (out_problem != nullptr) *out_problem = cmrv::capi::DupString(check->problem);
    return absl::OkStatus();
  });
}

}  // extern "C"
