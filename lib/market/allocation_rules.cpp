// Allocation rule sets as data (market/allocation.hpp): "carbonmrv.allocation_rules/1" read with every
// problem reported at once, and the built-in plans embedded from data/allocation/.
#include <algorithm>
#include <cmath>

#include "carbonmrv/market/allocation.hpp"
#include "carbonmrv/status.hpp"
#include "internal/embedded.hpp"
#include "internal/json_parse.hpp"
#include "internal/json_reader.hpp"
#include "internal/name_table.hpp"
#include "internal/sha256.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::Reader;
using internal::StrCat;
using nlohmann::json;

constexpr std::string_view kRulesSchema = "carbonmrv.allocation_rules/1";
constexpr std::string_view kDataDir = "data/allocation/";

constexpr std::pair<AllocationMethod, std::string_view> kMethodNames[] = {
    {AllocationMethod::kPowerBenchmark, "power_benchmark"},
    {AllocationMethod::kProductBenchmark, "product_benchmark"},
    {AllocationMethod::kGrandfathering, "grandfathering"}};

// {"source": ..., "confidence": ...} beside the values of `obj`.
RuleSource SourceOf(Reader& r, const json& obj, const std::string& path) {
  RuleSource s;
  s.source = r.String(obj, path, "source", true).value_or("");
  s.confidence = r.String(obj, path, "confidence", true).value_or("");
  return s;
}

std::optional<double> Fraction(Reader& r, const json& obj, const std::string& path, std::string_view key, bool required,
                               double hi = 1.0) {
  auto v = r.Number(obj, path, key, required);
  if (v && !(*v >= 0 && *v <= hi)) {
    r.Error(Reader::Join(path, key), StrCat(*v, " is not from 0 to ", hi));
    return std::nullopt;
  }
  return v;
}

std::vector<int> Years(Reader& r, const json& obj, const std::string& path, std::string_view key) {
  std::vector<int> out;
  const json* arr = r.Array(obj, path, key, true);
  if (arr == nullptr) return out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const json& y = (*arr)[i];
    if (!y.is_number_integer() || y.get<int64_t>() < 1990 || y.get<int64_t>() > 2100) {
      r.Error(Reader::Index(Reader::Join(path, key), i), "expected a year from 1990 to 2100");
      continue;
    }
    out.push_back(y.get<int>());
  }
  if (!std::is_sorted(out.begin(), out.end()) || std::adjacent_find(out.begin(), out.end()) != out.end()) {
    r.Error(Reader::Join(path, key), "years must be ascending without repeats");
  }
  return out;
}

std::vector<UnitFuel> Fuels(Reader& r, const json& obj, const std::string& path) {
  std::vector<UnitFuel> out;
  const json* arr = r.Array(obj, path, "fuels", true);
  if (arr == nullptr) return out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string p = Reader::Index(Reader::Join(path, "fuels"), i);
    if (!(*arr)[i].is_string()) {
      r.Error(p, "expected a fuel name");
      continue;
    }
    auto f = ParseUnitFuel((*arr)[i].get<std::string>());
    if (f.ok()) {
      out.push_back(*f);
    } else {
      r.Error(p, std::string(f.status().message()));
    }
  }
  return out;
}

// A benchmark {"value", "unit"} whose unit must be an emission per `per` (tCO2/MWh per energy ...).
std::optional<RuleQuantity> Benchmark(Reader& r, const json& obj, const std::string& path, std::string_view key,
                                      const RuleSource& from, const Kind& per) {
  const json* q = r.Object(obj, path, key, false);
  if (q == nullptr) return std::nullopt;
  const std::string p = Reader::Join(path, key);
  r.CheckKeys(*q, p, {"value", "unit"});
  auto given = r.Quantity(*q, p, true);
  if (!given) return std::nullopt;
  const Kind expected = Kind::Of(Axis::kCO2) / per;
  const Kind expected_e = Kind::Of(Axis::kCO2e) / per;
  if (!(given->unit.kind() == expected || given->unit.kind() == expected_e)) {
    r.Error(Reader::Join(p, "unit"), StrCat("\"", given->unit_text, "\" is not an emission per ", per.Describe(),
                                            " (e.g. tCO2/", per == Kind::Of(Axis::kEnergy) ? "MWh" : "t", ")"));
    return std::nullopt;
  }
  return RuleQuantity{given->value, given->unit_text.str(), given->unit, from};
}

void ReadCategories(Reader& r, const json& doc, AllocationRules& rules) {
  r.ForEachObject(doc, "", "categories", true, [&](const json& c, const std::string& path) {
    r.CheckKeys(c, path, {"id", "name", "fuel", "benchmarks"});
    AllocationCategory cat;
    cat.id = r.String(c, path, "id", true).value_or("");
    cat.name = r.String(c, path, "name", false).value_or("");
    cat.fuel = r.Term(c, path, "fuel", rules.method == AllocationMethod::kPowerBenchmark, &ParseUnitFuel);
    r.ForEachObject(c, path, "benchmarks", true, [&](const json& b, const std::string& bp) {
      r.CheckKeys(b, bp, {"year", "electricity", "heat", "product", "source", "confidence"});
      AllocationCategory::YearBenchmarks yb;
      yb.year = r.Integer(b, bp, "year", true, 0, 2100).value_or(0);
      const RuleSource from = SourceOf(r, b, bp);
      yb.electricity = Benchmark(r, b, bp, "electricity", from, Kind::Of(Axis::kEnergy));
      yb.heat = Benchmark(r, b, bp, "heat", from, Kind::Of(Axis::kEnergy));
      yb.product = Benchmark(r, b, bp, "product", from, Kind::Of(Axis::kProduct));
      if (rules.method == AllocationMethod::kPowerBenchmark && !yb.electricity) {
        r.Error(Reader::Join(bp, "electricity"), "a power benchmark states the electricity benchmark");
      }
      if (rules.method == AllocationMethod::kProductBenchmark && !yb.product) {
        r.Error(Reader::Join(bp, "product"), "a product benchmark states the product benchmark");
      }
      cat.benchmarks.push_back(std::move(yb));
    });
    for (const auto& other : rules.categories) {
      if (other.id == cat.id) r.Error(Reader::Join(path, "id"), StrCat("duplicate category \"", cat.id, "\""));
    }
    rules.categories.push_back(std::move(cat));
  });
}

void ReadCorrections(Reader& r, const json& doc, AllocationRules& rules) {
  const json* c = r.Object(doc, "", "corrections", false);
  if (c == nullptr) return;
  r.CheckKeys(*c, "corrections", {"cooling", "heat_ratio", "load"});
  if (const json* j = r.Object(*c, "corrections", "cooling", false)) {
    const std::string p = "corrections.cooling";
    r.CheckKeys(*j, p, {"air", "water", "fuels", "source", "confidence"});
    AllocationRules::CoolingCorrection k;
    k.air = Fraction(r, *j, p, "air", true, 2.0).value_or(1);
    k.water = Fraction(r, *j, p, "water", true, 2.0).value_or(1);
    k.fuels = Fuels(r, *j, p);
    k.from = SourceOf(r, *j, p);
    rules.cooling = k;
  }
  if (const json* j = r.Object(*c, "corrections", "heat_ratio", false)) {
    const std::string p = "corrections.heat_ratio";
    r.CheckKeys(*j, p, {"coal", "gas", "source", "confidence"});
    AllocationRules::HeatRatioCorrection k;
    k.coal = Fraction(r, *j, p, "coal", true).value_or(0);
    k.gas = Fraction(r, *j, p, "gas", true).value_or(0);
    k.from = SourceOf(r, *j, p);
    rules.heat_ratio = k;
  }
  if (const json* j = r.Object(*c, "corrections", "load", false)) {
    const std::string p = "corrections.load";
    r.CheckKeys(*j, p, {"function", "categories", "chp", "source", "confidence"});
    AllocationRules::LoadCorrection k;
    k.function = r.String(*j, p, "function", true).value_or("");
    if (!k.function.empty() && k.function != "cn_power_2019") {
      r.Error(Reader::Join(p, "function"), StrCat("\"", k.function, "\" is not one of cn_power_2019"));
    }
    if (const json* cats = r.Array(*j, p, "categories", true)) {
      for (const auto& id : *cats) {
        if (id.is_string()) k.categories.push_back(id.get<std::string>());
      }
    }
    if (const json* chp = r.Get(*j, p, "chp", false); chp != nullptr) {
      if (chp->is_boolean()) {
        k.chp = chp->get<bool>();
      } else {
        r.Error(Reader::Join(p, "chp"), "expected true or false");
      }
    }
    k.from = SourceOf(r, *j, p);
    rules.load = k;
  }
}

void ReadCompliance(Reader& r, const json& doc, ComplianceRules& c) {
  const json* j = r.Object(doc, "", "compliance", true);
  if (j == nullptr) return;
  const std::string p = "compliance";
  r.CheckKeys(
      *j, p,
      {"scope", "shortfall_cap", "exempt_fuels", "offset_limit", "eligible_vintages", "borrowing", "carry_over_cap"});
  if (const json* s = r.Object(*j, p, "scope", true)) {
    const std::string sp = "compliance.scope";
    r.CheckKeys(*s, sp, {"value", "source", "confidence"});
    auto v = r.String(*s, sp, "value", true);
    if (v && *v != "direct" && *v != "direct_and_indirect") {
      r.Error(Reader::Join(sp, "value"), StrCat("\"", *v, "\" is not one of direct, direct_and_indirect"));
    }
    c.scope = v == "direct" ? EmissionsScope::kDirect : EmissionsScope::kDirectAndIndirect;
    c.scope_from = SourceOf(r, *s, sp);
  }
  if (const json* s = r.Object(*j, p, "shortfall_cap", false)) {
    const std::string sp = "compliance.shortfall_cap";
    r.CheckKeys(*s, sp, {"share_of_verified", "source", "confidence"});
    c.shortfall_cap_share = Fraction(r, *s, sp, "share_of_verified", true);
    c.shortfall_cap_from = SourceOf(r, *s, sp);
  }
  if (const json* s = r.Object(*j, p, "exempt_fuels", false)) {
    const std::string sp = "compliance.exempt_fuels";
    r.CheckKeys(*s, sp, {"fuels", "source", "confidence"});
    c.exempt_fuels = Fuels(r, *s, sp);
    c.exempt_from = SourceOf(r, *s, sp);
  }
  if (const json* s = r.Object(*j, p, "offset_limit", false)) {
    const std::string sp = "compliance.offset_limit";
    r.CheckKeys(*s, sp, {"share_of_due", "source", "confidence"});
    c.offset_limit_share = Fraction(r, *s, sp, "share_of_due", true);
    c.offset_limit_from = SourceOf(r, *s, sp);
  }
  if (const json* s = r.Object(*j, p, "eligible_vintages", false)) {
    const std::string sp = "compliance.eligible_vintages";
    r.CheckKeys(*s, sp, {"vintages", "source", "confidence"});
    c.eligible_vintages = Years(r, *s, sp, "vintages");
    c.eligible_from = SourceOf(r, *s, sp);
  }
  if (const json* s = r.Object(*j, p, "borrowing", false)) {
    const std::string sp = "compliance.borrowing";
    r.CheckKeys(*s, sp, {"min_shortfall_share", "max_share_of_shortfall", "from_vintage", "source", "confidence"});
    ComplianceRules::Borrowing b;
    b.min_shortfall_share = Fraction(r, *s, sp, "min_shortfall_share", true).value_or(0);
    b.max_share = Fraction(r, *s, sp, "max_share_of_shortfall", true).value_or(0);
    b.from_vintage = r.Integer(*s, sp, "from_vintage", true, 1990, 2100).value_or(0);
    b.from = SourceOf(r, *s, sp);
    c.borrowing = b;
  }
  if (const json* s = r.Object(*j, p, "carry_over_cap", false)) {
    const std::string sp = "compliance.carry_over_cap";
    r.CheckKeys(*s, sp, {"fixed", "per_net_sold", "source", "confidence"});
    ComplianceRules::CarryOverCap k;
    k.fixed = r.Number(*s, sp, "fixed", true).value_or(0);
    k.per_net_sold = r.Number(*s, sp, "per_net_sold", true).value_or(0);
    if (k.fixed < 0 || k.per_net_sold < 0) r.Error(sp, "fixed and per_net_sold are ≥ 0");
    k.from = SourceOf(r, *s, sp);
    c.carry_over_cap = k;
  }
}

void ReadMethodBlocks(Reader& r, const json& doc, AllocationRules& rules) {
  if (const json* e = r.Object(doc, "", "electricity_basis", rules.method == AllocationMethod::kPowerBenchmark)) {
    r.CheckKeys(*e, "electricity_basis", {"value", "source", "confidence"});
    auto v = r.String(*e, "electricity_basis", "value", true);
    if (v && *v != "supply" && *v != "generation") {
      r.Error("electricity_basis.value", StrCat("\"", *v, "\" is not one of supply, generation"));
    }
    rules.electricity_basis = v == "generation" ? ElectricityBasis::kGeneration : ElectricityBasis::kSupply;
    rules.electricity_basis_from = SourceOf(r, *e, "electricity_basis");
  }
  const bool product = rules.method == AllocationMethod::kProductBenchmark;
  if (const json* j = r.Object(doc, "", "clef", product)) {
    r.CheckKeys(*j, "clef", {"exposed", "other", "source", "confidence"});
    rules.clef_exposed = Fraction(r, *j, "clef", "exposed", true);
    rules.clef_other = Fraction(r, *j, "clef", "other", true);
    rules.clef_from = SourceOf(r, *j, "clef");
  }
  if (const json* j = r.Object(doc, "", "cscf", product)) {
    r.CheckKeys(*j, "cscf", {"value", "source", "confidence"});
    rules.cscf = Fraction(r, *j, "cscf", "value", true);
    rules.cscf_from = SourceOf(r, *j, "cscf");
  }
  if (const json* j = r.Object(doc, "", "baseline_years", product)) {
    r.CheckKeys(*j, "baseline_years", {"years", "source", "confidence"});
    rules.baseline_years = Years(r, *j, "baseline_years", "years");
    rules.baseline_from = SourceOf(r, *j, "baseline_years");
  }
  if (const json* j = r.Object(doc, "", "grandfathering", rules.method == AllocationMethod::kGrandfathering)) {
    r.CheckKeys(*j, "grandfathering", {"share", "base_year_offset", "source", "confidence"});
    rules.grandfathering_share = Fraction(r, *j, "grandfathering", "share", true, 2.0).value_or(1);
    rules.grandfathering_base_offset = r.Integer(*j, "grandfathering", "base_year_offset", true, -20, 0).value_or(0);
    rules.grandfathering_from = SourceOf(r, *j, "grandfathering");
  }
  if (const json* j = r.Object(doc, "", "pre_allocation", false)) {
    r.CheckKeys(*j, "pre_allocation", {"share", "base_year", "source", "confidence"});
    AllocationRules::PreAllocation pre;
    pre.share = Fraction(r, *j, "pre_allocation", "share", true).value_or(0.7);
    pre.base_year = r.Integer(*j, "pre_allocation", "base_year", true, 1990, 2100).value_or(0);
    pre.from = SourceOf(r, *j, "pre_allocation");
    rules.pre_allocation = pre;
  }
}

}  // namespace

std::string_view AllocationMethodName(AllocationMethod m) { return internal::NameIn(kMethodNames, m); }
absl::StatusOr<AllocationMethod> ParseAllocationMethod(std::string_view name) {
  return internal::ParseIn(kMethodNames, name, "allocation method");
}

absl::StatusOr<AllocationRules> AllocationRules::FromJson(std::string_view json_text) {
  auto parsed = internal::ParseJsonObject(json_text, "the allocation rule set");
  if (!parsed.ok()) return parsed.status();
  const json& doc = *parsed;
  Reader r;
  AllocationRules rules;
  r.CheckKeys(doc, "",
              {"schema", "id", "name", "document", "jurisdiction", "sector", "method", "years", "electricity_basis",
               "categories", "corrections", "clef", "cscf", "baseline_years", "grandfathering", "pre_allocation",
               "compliance", "notes"});
  if (auto s = r.String(doc, "", "schema", true); s && *s != kRulesSchema) {
    r.Error("schema", StrCat("\"", *s, "\" is not supported; expected \"", kRulesSchema, "\""));
  }
  rules.id = r.String(doc, "", "id", true).value_or("");
  rules.name = r.String(doc, "", "name", true).value_or("");
  rules.document = r.String(doc, "", "document", true).value_or("");
  rules.jurisdiction = r.String(doc, "", "jurisdiction", false).value_or("");
  rules.sector = r.String(doc, "", "sector", false).value_or("");
  rules.method = r.Term(doc, "", "method", true, &ParseAllocationMethod).value_or(AllocationMethod::kPowerBenchmark);
  rules.years = Years(r, doc, "", "years");
  if (rules.years.empty()) r.Error("years", "at least one year");
  ReadMethodBlocks(r, doc, rules);
  ReadCategories(r, doc, rules);
  ReadCorrections(r, doc, rules);
  ReadCompliance(r, doc, rules.compliance);
  if (const json* notes = r.Array(doc, "", "notes", false)) {
    for (const auto& n : *notes) {
      if (n.is_string()) rules.notes.push_back(n.get<std::string>());
    }
  }
  if (rules.load) {
    for (const auto& id : rules.load->categories) {
      if (rules.Category(id) == nullptr) {
        r.Error("corrections.load.categories", StrCat("\"", id, "\" is not a category of this rule set"));
      }
    }
  }
  if (auto st = r.Result("the allocation rule set"); !st.ok()) return st;
  rules.text_ = std::string(json_text);
  rules.sha256 = internal::Sha256Hex(json_text);
  return rules;
}

std::vector<std::string> AllocationRules::BuiltinIds() {
  std::vector<std::string> ids;
  for (const auto& f : internal::EmbeddedFiles()) {
    if (f.path.starts_with(kDataDir) && f.path.ends_with(".json")) {
      ids.emplace_back(f.path.substr(kDataDir.size(), f.path.size() - kDataDir.size() - 5));
    }
  }
  return ids;
}

absl::StatusOr<AllocationRules> AllocationRules::Builtin(std::string_view id) {
  for (const auto& f : internal::EmbeddedFiles()) {
    if (f.path == StrCat(kDataDir, id, ".json")) return FromJson(f.content);
  }
  return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kNotFound,
                   StrCat("allocation rule set \"", id, "\" is not built in; expected one of ",
                          internal::StrJoin(BuiltinIds(), ", "), " or a rule-set file"));
}

std::string AllocationRules::ToJson() const { return text_; }

const AllocationCategory* AllocationRules::Category(std::string_view category_id) const {
  for (const auto& c : categories) {
    if (c.id == category_id) return &c;
  }
  return nullptr;
}

}  // namespace cmrv
