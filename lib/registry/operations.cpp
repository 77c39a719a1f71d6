// Registry operations: field checks and canonical payloads (registry/operations.hpp).
#include "registry/operations.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/status.hpp"
#include "internal/invalid.hpp"
#include "internal/strings.hpp"

namespace cmrv::internal {
namespace {

using nlohmann::json;

enum class Type { kText, kWhole, kNumber, kBool, kTextList, kDocument };

struct Field {
  const char* name;
  Type type;
  bool required;
  json fallback = nullptr;  ///< the default of an optional field (null: absent stays absent)
  int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  std::vector<std::string> one_of = {};  ///< allowed text values
};

struct Spec {
  const char* op;
  std::vector<Field> fields;
};

constexpr int64_t kMaxQuantity = 1'000'000'000'000;  // 10^12 t: more than every cap on Earth
const std::vector<std::string> kKinds = {"allowance", "ccer"};

const std::vector<Spec>& Specs() {
  static const std::vector<Spec> specs = {
      {"register_enterprise",
       {{"uscc", Type::kText, true},
        {"name", Type::kText, true},
        {"region", Type::kText, true},
        {"industry", Type::kText, false, ""}}},
      {"open_account",
       {{"id", Type::kText, true},
        {"kind", Type::kText, true, nullptr, 0, 0, {"government", "auction", "cancellation"}}}},
      {"assign_verifier", {{"verifier", Type::kText, true}, {"uscc", Type::kText, true}}},
      {"record_audit",
       {{"uscc", Type::kText, true},
        {"audit_id", Type::kText, true},
        {"year", Type::kWhole, true, nullptr, 1990, 2100},
        {"type", Type::kText, false, "voluntary", 0, 0, {"mandatory", "voluntary"}},
        {"trigger", Type::kText, false, ""},
        {"stage", Type::kText, true},
        {"accepted", Type::kBool, false, false}}},
      {"record_inventory",
       {{"uscc", Type::kText, true},
        {"year", Type::kWhole, true, nullptr, 1990, 2100},
        {"reported_t", Type::kNumber, true},
        {"document", Type::kDocument, false}}},
      {"attach_verification",
       {{"uscc", Type::kText, true},
        {"year", Type::kWhole, true, nullptr, 1990, 2100},
        {"verified_t", Type::kNumber, true},
        {"report", Type::kDocument, false},
        {"findings", Type::kTextList, false, json::array()}}},
      {"resolve_finding", {{"finding", Type::kWhole, true, nullptr, 1}, {"resolution", Type::kText, true}}},
      {"set_obligation",
       {{"uscc", Type::kText, true},
        {"year", Type::kWhole, true, nullptr, 1990, 2100},
        {"due_t", Type::kNumber, true},
        {"rules", Type::kText, false, ""}}},
      {"issue",
       {{"account", Type::kText, true},
        {"kind", Type::kText, false, "allowance", 0, 0, kKinds},
        {"vintage", Type::kWhole, true, nullptr, 1990, 2100},
        {"quantity", Type::kWhole, true, nullptr, 1, kMaxQuantity}}},
      {"allocate",
       {{"uscc", Type::kText, true},
        {"vintage", Type::kWhole, true, nullptr, 1990, 2100},
        {"quantity", Type::kWhole, true, nullptr, -kMaxQuantity, kMaxQuantity},
        {"movement", Type::kText, false, "allocation", 0, 0, {"allocation", "true_up", "borrowing"}}}},
      {"transfer",
       {{"from", Type::kText, true},
        {"to", Type::kText, true},
        {"kind", Type::kText, false, "allowance", 0, 0, kKinds},
        {"vintage", Type::kWhole, true, nullptr, 1990, 2100},
        {"quantity", Type::kWhole, true, nullptr, 1, kMaxQuantity},
        {"movement", Type::kText, false, "transfer", 0, 0, {"transfer", "trade", "auction_settlement"}}}},
      {"surrender",
       {{"uscc", Type::kText, true},
        {"year", Type::kWhole, true, nullptr, 1990, 2100},
        {"kind", Type::kText, false, "allowance", 0, 0, kKinds},
        {"vintage", Type::kWhole, true, nullptr, 1990, 2100},
        {"quantity", Type::kWhole, true, nullptr, 1, kMaxQuantity}}},
      {"cancel",
       {{"account", Type::kText, true},
        {"kind", Type::kText, false, "allowance", 0, 0, kKinds},
        {"vintage", Type::kWhole, true, nullptr, 1990, 2100},
        {"quantity", Type::kWhole, true, nullptr, 1, kMaxQuantity}}},
  };
  return specs;
}

absl::Status Check(const Spec& spec, const Field& f, const json& v, json& out) {
  const std::string where = StrCat(spec.op, ".", f.name);
  switch (f.type) {
    case Type::kText: {
      if (!v.is_string() || (f.required && v.get<std::string>().empty())) {
        return Invalid(StrCat(where, ": expected ", f.required ? "non-empty " : "", "text, got ", v.dump()));
      }
      const auto s = v.get<std::string>();
      if (!f.one_of.empty() && std::find(f.one_of.begin(), f.one_of.end(), s) == f.one_of.end()) {
        return Invalid(StrCat(where, ": \"", s, "\" is not one of ", StrJoin(f.one_of, ", ")));
      }
      out[f.name] = s;
      return absl::OkStatus();
    }
    case Type::kWhole: {
      if (!v.is_number_integer() || v.get<int64_t>() < f.lo || v.get<int64_t>() > f.hi) {
        return Invalid(StrCat(where, ": expected a whole number from ", f.lo, " to ", f.hi, ", got ", v.dump()));
      }
      out[f.name] = v.get<int64_t>();
      return absl::OkStatus();
    }
    case Type::kNumber: {
      if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0) {
        return Invalid(StrCat(where, ": expected a finite number ≥ 0 (tCO2e), got ", v.dump()));
      }
      out[f.name] = v.get<double>();
      return absl::OkStatus();
    }
    case Type::kBool:
      if (!v.is_boolean()) return Invalid(StrCat(where, ": expected true or false, got ", v.dump()));
      out[f.name] = v.get<bool>();
      return absl::OkStatus();
    case Type::kTextList:
      if (!v.is_array()) return Invalid(StrCat(where, ": expected a list of text, got ", v.dump()));
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string() || v[i].get<std::string>().empty()) {
          return Invalid(StrCat(where, "[", i, "]: expected non-empty text, got ", v[i].dump()));
        }
      }
      out[f.name] = v;
      return absl::OkStatus();
    case Type::kDocument:  // any JSON the caller keeps with the record (a report, an inventory document)
      out[f.name] = v;
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view OperationNames() {
  static const std::string names = [] {
    std::vector<std::string> n;
    for (const auto& s : Specs()) n.emplace_back(s.op);
    return StrJoin(n, ", ");
  }();
  return names;
}

absl::StatusOr<json> NormalizeOperation(const json& op) {
  if (!op.is_object()) return Invalid(StrCat("operation: expected a JSON object, got ", op.dump()));
  if (!op.contains("op") || !op["op"].is_string()) return Invalid(StrCat("op: expected one of ", OperationNames()));
  const std::string name = op["op"];
  const auto& specs = Specs();
  auto spec = std::find_if(specs.begin(), specs.end(), [&](const Spec& s) { return name == s.op; });
  if (spec == specs.end()) return Invalid(StrCat("op: \"", name, "\" is not one of ", OperationNames()));
  json out = {{"op", name}};
  for (const auto& item : op.items()) {
    const std::string& key = item.key();
    if (key == "op") continue;
    if (std::none_of(spec->fields.begin(), spec->fields.end(), [&](const Field& f) { return key == f.name; })) {
      std::vector<std::string> known;
      for (const auto& f : spec->fields) known.emplace_back(f.name);
      return Invalid(StrCat(name, ": unknown field \"", key, "\"; expected ", StrJoin(known, ", ")));
    }
  }
  for (const auto& f : spec->fields) {
    if (op.contains(f.name)) {
      if (auto st = Check(*spec, f, op[f.name], out); !st.ok()) return st;
    } else if (f.required) {
      return Invalid(StrCat(name, ".", f.name, ": required"));
    } else if (!f.fallback.is_null()) {
      out[f.name] = f.fallback;
    }
  }
  if (name == "register_enterprise") {
    if (auto st = ValidateUscc(out["uscc"].get<std::string>()); !st.ok()) {
      return Invalid(StrCat("register_enterprise.uscc: ", st.message()));
    }
  }
  if (name == "allocate" && out["quantity"].get<int64_t>() == 0) return Invalid("allocate.quantity: 0 moves nothing");
  if (name == "allocate" && out["quantity"].get<int64_t>() < 0 && out["movement"] != "true_up") {
    return Invalid("allocate.quantity: only a true_up may be negative (a return of allowances over-allocated)");
  }
  if (name == "transfer" && out["from"] == out["to"]) {
    return Invalid(StrCat("transfer.to: \"", out["to"].get<std::string>(), "\" is also the account it comes from"));
  }
  return out;
}

std::vector<Leg> LegsOf(const json& p) {
  const std::string op = p["op"];
  auto leg = [&](std::string account, int64_t q, std::string movement, std::optional<int> year = std::nullopt) {
    return Leg{std::move(account),      p.value("kind", std::string("allowance")),
               p["vintage"].get<int>(), q,
               std::move(movement),     year};
  };
  if (op == "issue") return {leg(p["account"], p["quantity"], "issuance")};
  if (op == "allocate") {
    const int64_t q = p["quantity"];
    if (q > 0) return {leg(p["uscc"], q, p["movement"])};
    return {leg(p["uscc"], q, p["movement"]), leg(std::string(kGovernmentAccount), -q, p["movement"])};
  }
  if (op == "transfer") {
    const int64_t q = p["quantity"];
    return {leg(p["from"], -q, p["movement"]), leg(p["to"], q, p["movement"])};
  }
  if (op == "surrender") {
    const int64_t q = p["quantity"];
    const int year = p["year"];
    return {leg(p["uscc"], -q, "surrender", year), leg(std::string(kCancellationAccount), q, "surrender", year)};
  }
  if (op == "cancel") {
    const int64_t q = p["quantity"];
    return {leg(p["account"], -q, "cancellation"), leg(std::string(kCancellationAccount), q, "cancellation")};
  }
  return {};
}

}  // namespace cmrv::internal
