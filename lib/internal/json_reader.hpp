// The enterprise document reader: collects every problem with its JSON path, so a document is
// either valid as a whole or rejected with all of its problems at once. Shared by the parts of the
// "carbonmrv.enterprise/1" reader that live in different files (sources, energy balance).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <gsl/narrow>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "absl/container/flat_hash_map.h"
#include "internal/json.hpp"

#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/status.hpp"
#include "carbonmrv/units/units.hpp"
#include "internal/strings.hpp"

namespace cmrv::internal {

using nlohmann::json;

inline bool IsFuelQuantity(const Kind& k) {
  static const std::array<Kind, 5> kFuel = {Kind::Of(Axis::kMass), Kind::Of(Axis::kVolume),
                                            Kind::Of(Axis::kGasVolumeNormal), Kind::Of(Axis::kGasVolumeScf60),
                                            Kind::Of(Axis::kEnergy)};  // asked for every activity record
  return std::find(kFuel.begin(), kFuel.end(), k) != kFuel.end();
}

// Collects every problem with its JSON path; nothing is built from a document that has any.
class Reader {
 public:
  std::vector<std::string> errors;

 private:
  static constexpr std::size_t kUnitMemo = 256;
  struct ParsedUnit {
    SharedText text;  // the unit's text, one buffer for every quantity that gives it
    Unit unit;
  };
  absl::flat_hash_map<std::string, ParsedUnit> units_;  // Parse's units by text
  // Other texts repeated on every record (a period), one buffer each: bounded as units_ is.
  absl::flat_hash_map<std::string, SharedText> texts_;

  // The unit `text` with its shared text, found in one lookup (this runs for every activity record).
  std::optional<ParsedUnit> Parse(const std::string& text, const std::string& path, std::string_view key) {
    // A document repeats a handful of units on every record (10⁵ sources × 12 months of "t"): each
    // distinct text is parsed once (a bounded memo, so that a document of distinct units stays linear).
    if (auto it = units_.find(text); it != units_.end()) return it->second;
    auto u = Unit::Parse(text);
    if (!u.ok()) {
      Error(Join(path, key), std::string(u.status().message()));
      return std::nullopt;
    }
    ParsedUnit parsed{SharedText(text), *std::move(u)};
    if (units_.size() < kUnitMemo) units_.emplace(text, parsed);
    return parsed;
  }

 public:
  void Error(const std::string& path, const std::string& what) { errors.push_back(StrCat(path, ": ", what)); }

  // OK, or every problem at once: "<n> problem(s) in <what>:" and one "<path>: <problem>" per line.
  absl::Status Result(std::string_view what) const {
    if (errors.empty()) return absl::OkStatus();
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidDocument,
                     StrCat(errors.size(), " problem(s) in ", what, ":\n", StrJoin(errors, "\n")));
  }

  static std::string TypeName(const json& j) { return j.type_name(); }

  // Unknown keys are errors: a typo ("untis") must not silently drop data.
  void CheckKeys(const json& obj, const std::string& path, std::initializer_list<std::string_view> allowed) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) UnknownKey(path, it.key(), allowed);
    }
  }

  /// CheckKeys and the look-up of every allowed member in one walk of `obj`: out[i] is the member named
  /// allowed[i], null when absent or JSON null (as Get). For the objects read a million times (activity
  /// records), where a map look-up per field cost more than reading the field.
  template <std::size_t N>
  void Fields(const json& obj, const std::string& path, const std::array<std::string_view, N>& allowed,
              std::array<const json*, N>& out) {
    out.fill(nullptr);
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const auto at = std::find(allowed.begin(), allowed.end(), it.key());
      if (at == allowed.end()) {
        UnknownKey(path, it.key(), allowed);
      } else if (!it->is_null()) {
        out[static_cast<std::size_t>(at - allowed.begin())] = &*it;
      }
    }
  }

  template <typename Names>
  void UnknownKey(const std::string& path, std::string_view key, const Names& allowed) {
    Error(Join(path, key), StrCat("unknown field; expected one of: ", NameList(allowed, Same)));
  }

  static std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : StrCat(path, ".", key);
  }
  static std::string Index(const std::string& path, std::size_t i) { return StrCat(path, "[", i, "]"); }

  const json* Get(const json& obj, const std::string& path, std::string_view key, bool required) {
    auto it = obj.find(std::string(key));
    return Present(it == obj.end() || it->is_null() ? nullptr : &*it, path, key, required);
  }

  // `j` (obj[key] found by Get or Fields), or null with the "missing" error when it is null and required.
  const json* Present(const json* j, const std::string& path, std::string_view key, bool required) {
    if (j == nullptr && required) Error(Join(path, key), "required field is missing");
    return j;
  }

  std::optional<std::string> String(const json& obj, const std::string& path, std::string_view key, bool required) {
    return String(Get(obj, path, key, false), path, key, required);
  }
  /// String of a member already found (Fields): the same checks and messages.
  std::optional<std::string> String(const json* found, const std::string& path, std::string_view key, bool required) {
    const json* j = Present(found, path, key, required);
    if (j == nullptr) return std::nullopt;
    if (!j->is_string()) {
      Error(Join(path, key), StrCat("expected a string, found ", TypeName(*j)));
      return std::nullopt;
    }
    return j->get<std::string>();
  }

  std::optional<double> Number(const json& obj, const std::string& path, std::string_view key, bool required) {
    return Number(Get(obj, path, key, false), path, key, required);
  }
  std::optional<double> Number(const json* found, const std::string& path, std::string_view key, bool required) {
    const json* j = Present(found, path, key, required);
    if (j == nullptr) return std::nullopt;
    if (!j->is_number()) {
      Error(Join(path, key), StrCat("expected a number, found ", TypeName(*j)));
      return std::nullopt;
    }
    double v = j->get<double>();
    if (!std::isfinite(v)) {
      Error(Join(path, key), "expected a finite number");
      return std::nullopt;
    }
    return v;
  }

  // A whole number within [lo, hi] (a year, a count): 2023.5, 1e300 and 2^32 + 2022 are errors, never
  // truncated or wrapped.
  std::optional<int> Integer(const json& obj, const std::string& path, std::string_view key, bool required, int lo,
                             int hi) {
    auto v = Number(obj, path, key, required);
    if (!v) return std::nullopt;
    if (*v != std::floor(*v) || *v < lo || *v > hi) {
      Error(Join(path, key), StrCat(*v, " is not a whole number from ", lo, " to ", hi));
      return std::nullopt;
    }
    return gsl::narrow<int>(*v);  // whole and within [lo, hi]: exact
  }

  /// A term of a typed vocabulary (vocabulary.hpp) read as a string and parsed with `parse`; an unknown
  /// name is an error at the key's path listing the valid names.
  template <typename E>
  std::optional<E> Term(const json& obj, const std::string& path, std::string_view key, bool required,
                        absl::StatusOr<E> (*parse)(std::string_view)) {
    auto s = String(obj, path, key, required);
    if (!s) return std::nullopt;
    auto v = parse(*s);
    if (!v.ok()) {
      Error(Join(path, key), std::string(v.status().message()));
      return std::nullopt;
    }
    return *v;
  }

  /// The unit at path.key: the path is only built for an error.
  std::optional<Unit> ParseUnit(const std::string& text, const std::string& path, std::string_view key) {
    auto parsed = Parse(text, path, key);
    if (!parsed) return std::nullopt;
    return std::move(parsed->unit);
  }

  /// `text` as a SharedText, one buffer per distinct text of the document (up to kUnitMemo of them).
  SharedText Shared(std::string_view text) {
    const absl::string_view key(text.data(), text.size());
    if (auto it = texts_.find(key); it != texts_.end()) return it->second;
    SharedText shared(text);
    if (texts_.size() < kUnitMemo) texts_.emplace(std::string(text), shared);
    return shared;
  }

  // {"value": number, "unit": string} (value and unit side by side in `obj`).
  std::optional<GivenQuantity> Quantity(const json& obj, const std::string& path, bool nonnegative) {
    return Quantity(Get(obj, path, "value", false), Get(obj, path, "unit", false), path, nonnegative);
  }
  /// Quantity of the members `value` and `unit` already found (Fields).
  std::optional<GivenQuantity> Quantity(const json* value, const json* unit_text, const std::string& path,
                                        bool nonnegative) {
    auto v = Number(value, path, "value", true);
    auto u = String(unit_text, path, "unit", true);
    if (!v || !u) return std::nullopt;
    auto unit = Parse(*u, path, "unit");
    if (!unit) return std::nullopt;
    if (nonnegative && *v < 0) {
      Error(Join(path, "value"), StrCat(*v, " is negative; expected a value ≥ 0"));
      return std::nullopt;
    }
    return GivenQuantity{*v, std::move(unit->text), std::move(unit->unit)};
  }

  const json* Array(const json& obj, const std::string& path, std::string_view key, bool required) {
    const json* j = Get(obj, path, key, required);
    if (j != nullptr && !j->is_array()) {
      Error(Join(path, key), StrCat("expected an array, found ", TypeName(*j)));
      return nullptr;
    }
    return j;
  }

  // Calls fn(element, its path) for every element of the array obj[key] that is an object; any other
  // element is an error. Returns the array (nullptr when absent or not an array).
  template <typename Fn>
  const json* ForEachObject(const json& obj, const std::string& path, std::string_view key, bool required, Fn&& fn) {
    const json* arr = Array(obj, path, key, required);
    if (arr == nullptr) return nullptr;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const std::string p = Index(Join(path, key), i);
      if ((*arr)[i].is_object()) {
        fn((*arr)[i], p);
      } else {
        Error(p, "expected an object");
      }
    }
    return arr;
  }

  // {"value": number, "unit": "CNY" | "元" | "10^4 CNY" | "万元"} at obj[key]: money is not a physical unit,
  // so it stays out of the units engine. `positive`: the value must be > 0, else ≥ 0 unless `any_sign`.
  std::optional<MoneyAmount> Money(const json& obj, const std::string& path, std::string_view key, bool required,
                                   bool positive, bool any_sign = false) {
    const json* m = Object(obj, path, key, required);
    if (m == nullptr) return std::nullopt;
    const std::string p = Join(path, key);
    CheckKeys(*m, p, {"value", "unit"});
    auto v = Number(*m, p, "value", true);
    auto u = String(*m, p, "unit", true);
    if (!v || !u) return std::nullopt;
    auto scale = MoneyScale(*u);
    if (!scale) {
      Error(Join(p, "unit"), StrCat("\"", *u, "\" is not a money unit; expected CNY, 元, 10^4 CNY or 万元"));
      return std::nullopt;
    }
    if (positive && *v <= 0) {
      Error(Join(p, "value"), StrCat(*v, " is not > 0"));
      return std::nullopt;
    }
    if (!positive && !any_sign && *v < 0) {
      Error(Join(p, "value"), StrCat(*v, " is negative; expected a value ≥ 0"));
      return std::nullopt;
    }
    return MoneyAmount{*v, *u, *v * *scale};
  }

  // CNY per unit of a money unit text; nullopt for anything else.
  static std::optional<double> MoneyScale(std::string_view unit) {
    if (unit == "CNY" || unit == "元") return 1.0;
    if (unit == "10^4 CNY" || unit == "万元") return 1e4;
    return std::nullopt;
  }

  const json* Object(const json& obj, const std::string& path, std::string_view key, bool required) {
    return Object(Get(obj, path, key, false), path, key, required);
  }
  const json* Object(const json* found, const std::string& path, std::string_view key, bool required) {
    const json* j = Present(found, path, key, required);
    if (j != nullptr && !j->is_object()) {
      Error(Join(path, key), StrCat("expected an object, found ", TypeName(*j)));
      return nullptr;
    }
    return j;
  }
};

// "2023" or "2023-MM" within the reporting year. Read digit by digit: asked for every activity record.
inline bool ValidPeriod(std::string_view p, int year) {
  auto number = [&](std::size_t from, std::size_t n) {  // the digits p[from, from + n) as a number, else -1
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (p[i] < '0' || p[i] > '9') return -1;
      v = v * 10 + (p[i] - '0');
    }
    return v;
  };
  if (p.size() == 4) return number(0, 4) == year;
  if (p.size() == 7 && p[4] == '-') {
    const int month = number(5, 2);
    return number(0, 4) == year && month >= 1 && month <= 12;
  }
  return false;
}

}  // namespace cmrv::internal

namespace cmrv::internal {

/// Reads the "energy_balances" array of an enterprise document `doc` into `e.energy_balances`
/// (facilities and the reporting year are already read), reporting problems on `r`.
void ReadEnergyBalances(Reader& r, const json& doc, Enterprise& e);
/// The "energy_balances" array as written (values and unit strings as given).
json EnergyBalancesToJson(const std::vector<EnergyBalanceData>& balances);
/// Reads the "cleaner_production" block of `doc` into `e.audits` (sources, facilities and production
/// are already read), reporting problems on `r`.
void ReadAudits(Reader& r, const json& doc, Enterprise& e);
/// The "cleaner_production" block as written.
json AuditsToJson(const std::vector<AuditRound>& audits);

}  // namespace cmrv::internal

namespace cmrv::internal {

/// Reads `facilities[i].allocation` (object `a` at `path`) for a document of reporting year `year`.
AllocationData ReadAllocationData(Reader& r, const json& a, const std::string& path);
json AllocationDataToJson(const AllocationData& data);

}  // namespace cmrv::internal
