// Free allocation (market/allocation.hpp): a plan's benchmarks and corrections applied to each facility's
// allocation data, with every step in a trace. Formulas and sources: docs/market.md.
#include "carbonmrv/market/allocation.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "carbonmrv/status.hpp"
#include "internal/csv.hpp"
#include "internal/invalid.hpp"
#include "internal/json.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;
using nlohmann::json;

using internal::InvalidField;

absl::Status Missing(const std::string& field, const std::string& what) {
  return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kMissingParameter, StrCat(field, ": ", what));
}

// A stated amount in `to` ("MWh", "GJ", "t").
double In(const StatedAmount& a, std::string_view to) { return a.value * a.unit.scale() / Unit::Parse(to)->scale(); }

// Output × benchmark in tonnes of CO2, through the units engine (a benchmark per GJ cannot meet MWh
// unconverted, nor a per-tonne benchmark an energy).
absl::StatusOr<double> Times(const StatedAmount& output, const RuleQuantity& benchmark, const std::string& field) {
  const Unit to = benchmark.unit.kind()[Axis::kCO2e] != 0 ? *Unit::Parse("tCO2e") : *Unit::Parse("tCO2");
  auto v = ApplyFactor(output.value, output.unit, benchmark.value, benchmark.unit, to);
  if (!v.ok()) return InvalidField(field, std::string(v.status().message()));
  return *v;
}

const AllocationCategory::YearBenchmarks* BenchmarksFor(const AllocationCategory& c, int year) {
  const AllocationCategory::YearBenchmarks* any = nullptr;
  for (const auto& b : c.benchmarks) {
    if (b.year == year) return &b;
    if (b.year == 0) any = &b;
  }
  return any;
}

std::string CategoryList(const AllocationRules& rules) {
  return internal::NameList(rules.categories, [](const AllocationCategory& c) { return c.id; });
}

// Everything one facility's allocation in one year is computed from, looked up once.
struct FacilityInput {
  const Facility* facility = nullptr;
  std::string path;  ///< "facilities[1].allocation"
  const AllocationCategory* category = nullptr;
};

// The power formula for one year's output: B_e × Q_e × F_cool × F_heat × F_load + B_h × Q_h.
absl::StatusOr<double> PowerAllocation(const FacilityInput& in, const AllocationRules& rules, int year,
                                       const AllocationYear& rec, const std::string& yp, FacilityAllocation* out) {
  const AllocationData& d = *in.facility->allocation;
  const auto* b = BenchmarksFor(*in.category, year);
  if (b == nullptr || !b->electricity) {
    return Missing(in.path + ".category",
                   StrCat("rule set ", rules.id, " has no benchmark for category ", in.category->id, " in ", year));
  }
  const bool supply = rules.electricity_basis == ElectricityBasis::kSupply;
  const auto& qe = supply ? rec.electricity_supplied : rec.electricity_generated;
  const char* qe_name = supply ? "electricity_supplied" : "electricity_generated";
  if (!qe) {
    return Missing(StrCat(yp, ".", qe_name),
                   StrCat("required by ", rules.id, " (", supply ? "net supply, 供电量" : "generation, 发电量", ")"));
  }
  auto electricity = Times(*qe, *b->electricity, StrCat(yp, ".", qe_name));
  if (!electricity.ok()) return electricity.status();
  std::vector<AllocationStep> steps;
  steps.push_back({qe_name, In(*qe, "MWh"), "MWh", StrCat(qe->value, " ", qe->unit_text), {qe->source, ""}});
  steps.push_back({"benchmark_electricity", b->electricity->value, b->electricity->unit_text,
                   StrCat("category ", in.category->id, ", ", year), b->electricity->from});
  double factor = 1;
  if (rules.cooling && std::count(rules.cooling->fuels.begin(), rules.cooling->fuels.end(), d.fuel) > 0) {
    if (!d.cooling) return Missing(in.path + ".cooling", StrCat("required by ", rules.id, " (cooling correction)"));
    const double f = *d.cooling == Cooling::kAir ? rules.cooling->air : rules.cooling->water;
    factor *= f;
    steps.push_back({"cooling", f, "", StrCat(CoolingName(*d.cooling), " cooling"), rules.cooling->from});
  }
  const bool heat_given = rec.heat_supplied && rec.heat_supplied->value > 0;
  if (rules.heat_ratio && (d.chp || heat_given)) {
    if (!rec.heat_ratio)
      return Missing(yp + ".heat_ratio", StrCat("required by ", rules.id, " (heat-supply correction)"));
    if (d.fuel == UnitFuel::kOther) {
      return InvalidField(in.path + ".fuel",
                          StrCat("rule set ", rules.id, " has a heat-supply coefficient for coal and gas only"));
    }
    const double k = d.fuel == UnitFuel::kGas ? rules.heat_ratio->gas : rules.heat_ratio->coal;
    const double f = 1 - k * *rec.heat_ratio;
    factor *= f;
    steps.push_back(
        {"heat_ratio", f, "", StrCat("1 - ", k, " x heat_ratio ", *rec.heat_ratio), rules.heat_ratio->from});
  }
  if (rules.load && (!d.chp || rules.load->chp) &&
      std::count(rules.load->categories.begin(), rules.load->categories.end(), in.category->id) > 0) {
    if (!rec.load_factor) {
      return Missing(yp + ".load_factor",
                     StrCat("required by ", rules.id, " (load correction of category ", in.category->id, ")"));
    }
    const double f = CnPowerLoadCorrection2019(*rec.load_factor);
    factor *= f;
    steps.push_back({"load", f, "", StrCat("load_factor ", *rec.load_factor), rules.load->from});
  }
  double heat = 0;
  if (heat_given) {
    if (!b->heat) {
      return Missing(yp + ".heat_supplied", StrCat("rule set ", rules.id, " has no heat benchmark for category ",
                                                   in.category->id, " in ", year));
    }
    auto h = Times(*rec.heat_supplied, *b->heat, yp + ".heat_supplied");
    if (!h.ok()) return h.status();
    heat = *h;
    steps.push_back({"heat_supplied",
                     In(*rec.heat_supplied, "GJ"),
                     "GJ",
                     StrCat(rec.heat_supplied->value, " ", rec.heat_supplied->unit_text),
                     {rec.heat_supplied->source, ""}});
    steps.push_back({"benchmark_heat", b->heat->value, b->heat->unit_text,
                     StrCat("category ", in.category->id, ", ", year), b->heat->from});
  }
  if (out != nullptr) {
    out->electricity_part_t = *electricity * factor;
    out->heat_part_t = heat;
    out->trace.insert(out->trace.end(), steps.begin(), steps.end());
  }
  return *electricity * factor + heat;
}

// FAR: BM × HAL × CLEF × CSCF, HAL the median activity of the baseline years the facility reports.
absl::StatusOr<double> ProductAllocation(const FacilityInput& in, const AllocationRules& rules, int year,
                                         FacilityAllocation& out) {
  const AllocationData& d = *in.facility->allocation;
  const auto* b = BenchmarksFor(*in.category, year);
  if (b == nullptr || !b->product) {
    return Missing(in.path + ".category",
                   StrCat("rule set ", rules.id, " has no benchmark for ", in.category->id, " in ", year));
  }
  std::vector<double> levels;
  std::vector<int> missing;
  for (int y : rules.baseline_years) {
    const AllocationYear* rec = d.Year(y);
    if (rec == nullptr || !rec->activity) {
      missing.push_back(y);
      continue;
    }
    levels.push_back(In(*rec->activity, "t product"));
  }
  if (levels.empty()) {
    return Missing(in.path + ".years", StrCat("no activity for any baseline year of ", rules.id, " (",
                                              internal::NameList(rules.baseline_years, internal::Same), ")"));
  }
  std::sort(levels.begin(), levels.end());
  const std::size_t n = levels.size();
  const double hal = n % 2 == 1 ? levels[n / 2] : (levels[n / 2 - 1] + levels[n / 2]) / 2;
  if (!d.carbon_leakage_exposed) {
    return Missing(in.path + ".carbon_leakage_exposed", StrCat("required by ", rules.id, " (CLEF)"));
  }
  const double clef = *d.carbon_leakage_exposed ? rules.clef_exposed.value_or(1) : rules.clef_other.value_or(1);
  const double cscf = rules.cscf.value_or(1);
  const StatedAmount hal_amount{hal, "t product", *Unit::Parse("t product"), ""};
  auto fa = Times(hal_amount, *b->product, in.path + ".years");
  if (!fa.ok()) return fa.status();
  out.trace.push_back(
      {"hal", hal, "t product",
       StrCat("median of ", n, " baseline year(s)",
              missing.empty() ? "" : StrCat("; no activity for ", internal::NameList(missing, internal::Same))),
       rules.baseline_from});
  out.trace.push_back(
      {"benchmark_product", b->product->value, b->product->unit_text, in.category->id, b->product->from});
  out.trace.push_back(
      {"clef", clef, "", *d.carbon_leakage_exposed ? "exposed to carbon leakage" : "not exposed", rules.clef_from});
  out.trace.push_back({"cscf", cscf, "", StrCat(year), rules.cscf_from});
  out.product_part_t = *fa * clef * cscf;
  return out.product_part_t;
}

// Emissions attributed to each facility with allocation data for the reporting year, from the inventory
// lines of its sources (the rule set's scope; no memo lines, no scope 3).
struct Attributed {
  std::map<std::string, double> by_facility;
  double unattributed = 0;
};

Attributed Attribute(const Enterprise& e, const Inventory& inv, EmissionsScope scope) {
  std::map<std::string, std::string> facility_of;
  for (const auto& s : e.sources) facility_of[s.id] = s.facility;
  std::map<std::string, bool> allocated;
  for (const auto& f : e.facilities) allocated[f.id] = f.allocation.has_value();
  Attributed a;
  for (const auto& line : inv.lines) {
    if (line.memo || line.scope == Scope::k3) continue;
    if (scope == EmissionsScope::kDirect && line.scope != Scope::k1) continue;
    const std::string& fac = facility_of[line.source_id.str()];
    if (!fac.empty() && allocated[fac]) {
      a.by_facility[fac] += line.co2e_t;
    } else {
      a.unattributed += line.co2e_t;
    }
  }
  return a;
}

json SourceJson(const RuleSource& s) { return {{"source", s.source}, {"confidence", s.confidence}}; }

}  // namespace

double CnPowerLoadCorrection2019(double f) {
  if (f >= 0.85) return 1.0;
  if (f >= 0.80) return 1 + 0.0014 * (85 - 100 * f);
  if (f >= 0.75) return 1.007 + 0.0016 * (80 - 100 * f);
  return std::pow(1.015, 16 - 20 * f);
}

absl::StatusOr<AllocationResult> Allocate(const Enterprise& enterprise, const FactorCatalogue& catalogue,
                                          const AllocationRules& rules, const AllocateOptions& options,
                                          const Inventory* inventory) {
  const int year = options.year == 0 ? enterprise.year : options.year;
  if (std::find(rules.years.begin(), rules.years.end(), year) == rules.years.end()) {
    return InvalidField("year", StrCat(year, " is not a year of rule set ", rules.id, " (",
                                       internal::NameList(rules.years, internal::Same), ")"));
  }
  AllocationResult res;
  res.rules_id = rules.id;
  res.rules_name = rules.name;
  res.rules_sha256 = rules.sha256;
  res.method = rules.method;
  res.year = year;
  res.enterprise = enterprise.name;
  res.notes = rules.notes;

  // The reporting year's verified emissions come from the inventory (computed once, when needed): for
  // the year's own compliance, or as the base of grandfathering on the reporting year.
  const bool reporting_year_needed =
      year == enterprise.year ||
      (rules.method == AllocationMethod::kGrandfathering && year + rules.grandfathering_base_offset == enterprise.year);
  std::optional<Inventory> computed;
  if (reporting_year_needed && inventory == nullptr) {
    auto inv = ComputeInventory(enterprise, catalogue, options.inventory);
    if (!inv.ok()) return WithContext(inv.status(), "inventory");
    computed = *std::move(inv);
    inventory = &*computed;
  }
  Attributed attributed;
  if (reporting_year_needed) attributed = Attribute(enterprise, *inventory, rules.compliance.scope);
  if (year == enterprise.year) res.unattributed_emissions_t = attributed.unattributed;

  for (std::size_t i = 0; i < enterprise.facilities.size(); ++i) {
    const Facility& f = enterprise.facilities[i];
    if (!f.allocation) continue;
    FacilityInput in{&f, StrCat("facilities[", i, "].allocation"), nullptr};
    const AllocationData& d = *f.allocation;
    FacilityAllocation out;
    out.facility = f.id;
    out.category = d.category;
    out.fuel = d.fuel;
    if (rules.method != AllocationMethod::kGrandfathering) {
      in.category = rules.Category(d.category);
      if (in.category == nullptr) {
        return InvalidField(in.path + ".category", StrCat("\"", d.category, "\" is not a category of rule set ",
                                                          rules.id, "; expected one of ", CategoryList(rules)));
      }
      if (in.category->fuel && *in.category->fuel != d.fuel) {
        return InvalidField(in.path + ".fuel",
                            StrCat(UnitFuelName(d.fuel), " does not match category ", in.category->id, " (",
                                   UnitFuelName(*in.category->fuel), " units)"));
      }
    }
    const AllocationYear* rec = d.Year(year);
    const std::string yp = StrCat(in.path, ".years[", year, "]");
    // Verified emissions of the year: the inventory's for the reporting year, else as stated.
    if (year == enterprise.year) {
      out.verified_emissions_t = attributed.by_facility[f.id];
      out.emissions_source = "inventory";
      if (*out.verified_emissions_t == 0) {
        res.notes.push_back(StrCat(f.id,
                                   ": no inventory line of a source linked to it (sources[].facility); its "
                                   "verified emissions count as 0"));
      }
    } else if (rec != nullptr && rec->verified_emissions) {
      out.verified_emissions_t = In(*rec->verified_emissions, "t");
      out.emissions_source = rec->verified_emissions->source;
    }
    absl::StatusOr<double> a = 0.0;
    if (rules.method == AllocationMethod::kPowerBenchmark) {
      if (rec == nullptr) return Missing(in.path + ".years", StrCat("no entry for ", year));
      a = PowerAllocation(in, rules, year, *rec, yp, &out);
      if (a.ok() && rules.pre_allocation) {
        const AllocationYear* base = d.Year(rules.pre_allocation->base_year);
        if (base == nullptr) {
          res.notes.push_back(StrCat(f.id, ": no data for the pre-allocation base year ",
                                     rules.pre_allocation->base_year, "; pre-allocation not computed"));
        } else {
          // The base year's output with this year's benchmarks and corrections (ICAP node/731).
          auto pre = PowerAllocation(in, rules, year, *base,
                                     StrCat(in.path, ".years[", rules.pre_allocation->base_year, "]"), nullptr);
          if (!pre.ok()) return pre.status();
          out.pre_allocation_t = rules.pre_allocation->share * *pre;
          out.true_up_t = *a - *out.pre_allocation_t;
          out.trace.push_back(
              {"pre_allocation", rules.pre_allocation->share, "",
               StrCat("share of the allocation on ", rules.pre_allocation->base_year, " output ", *pre, " t"),
               rules.pre_allocation->from});
        }
      }
    } else if (rules.method == AllocationMethod::kProductBenchmark) {
      a = ProductAllocation(in, rules, year, out);
    } else {
      const int base_year = year + rules.grandfathering_base_offset;
      double base = 0;
      if (base_year == enterprise.year) {
        base = attributed.by_facility[f.id];
      } else if (const AllocationYear* b = d.Year(base_year); b != nullptr && b->verified_emissions) {
        base = In(*b->verified_emissions, "t");
      } else {
        return Missing(StrCat(in.path, ".years[", base_year, "].verified_emissions"),
                       StrCat("required by ", rules.id, " (grandfathering on ", base_year, " emissions)"));
      }
      out.trace.push_back({"base_emissions", base, "t", StrCat(base_year), {"verified emissions", ""}});
      out.trace.push_back({"grandfathering_share", rules.grandfathering_share, "", "", rules.grandfathering_from});
      a = rules.grandfathering_share * base;
    }
    if (!a.ok()) return a.status();
    out.allocation_t = *a;
    res.total_t += out.allocation_t;
    if (out.pre_allocation_t) {
      res.pre_allocation_t = res.pre_allocation_t.value_or(0) + *out.pre_allocation_t;
      res.true_up_t = res.true_up_t.value_or(0) + *out.true_up_t;
    }
    res.facilities.push_back(std::move(out));
  }
  if (res.facilities.empty()) {
    return Missing("facilities", "no facility has allocation data (facilities[i].allocation)");
  }
  return res;
}

std::string AllocationResult::ToJson() const {
  json j = {{"schema", "carbonmrv.allocation/1"},
            {"rules", {{"id", rules_id}, {"name", rules_name}, {"sha256", rules_sha256}}},
            {"method", std::string(AllocationMethodName(method))},
            {"year", year},
            {"enterprise", enterprise},
            {"total_t", total_t},
            {"unattributed_emissions_t", unattributed_emissions_t},
            {"notes", notes}};
  if (pre_allocation_t) j["pre_allocation_t"] = *pre_allocation_t;
  if (true_up_t) j["true_up_t"] = *true_up_t;
  json fs = json::array();
  for (const auto& f : facilities) {
    json o = {{"facility", f.facility},
              {"category", f.category},
              {"fuel", std::string(UnitFuelName(f.fuel))},
              {"electricity_part_t", f.electricity_part_t},
              {"heat_part_t", f.heat_part_t},
              {"product_part_t", f.product_part_t},
              {"allocation_t", f.allocation_t}};
    if (f.pre_allocation_t) o["pre_allocation_t"] = *f.pre_allocation_t;
    if (f.true_up_t) o["true_up_t"] = *f.true_up_t;
    if (f.verified_emissions_t) {
      o["verified_emissions_t"] = *f.verified_emissions_t;
      o["emissions_source"] = f.emissions_source;
    }
    json trace = json::array();
    for (const auto& s : f.trace) {
      trace.push_back(
          {{"step", s.name}, {"value", s.value}, {"unit", s.unit}, {"input", s.input}, {"from", SourceJson(s.from)}});
    }
    o["trace"] = std::move(trace);
    fs.push_back(std::move(o));
  }
  j["facilities"] = std::move(fs);
  return j.dump(2);
}

std::string AllocationResult::ToCsv() const {
  std::string out =
      "facility,category,fuel,electricity_part_t,heat_part_t,product_part_t,allocation_t,pre_allocation_t,true_up_t,"
      "verified_emissions_t\n";
  auto opt = [](const std::optional<double>& v) { return v ? StrCat(*v) : std::string(); };
  for (const auto& f : facilities) {
    out += StrCat(internal::CsvField(f.facility), ",", internal::CsvField(f.category), ",", UnitFuelName(f.fuel), ",",
                  f.electricity_part_t, ",", f.heat_part_t, ",", f.product_part_t, ",", f.allocation_t, ",",
                  opt(f.pre_allocation_t), ",", opt(f.true_up_t), ",", opt(f.verified_emissions_t), "\n");
  }
  return out;
}

}  // namespace cmrv
