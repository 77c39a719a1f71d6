// A facility's allocation data in the enterprise document (`facilities[i].allocation`,
// enterprise/allocation_data.hpp): read with JSON paths, written back as given.
#include "carbonmrv/enterprise/allocation_data.hpp"

#include <algorithm>

#include "internal/json_reader.hpp"
#include "internal/name_table.hpp"

namespace cmrv {
namespace {

using internal::Reader;
using internal::StrCat;
using nlohmann::json;

constexpr std::pair<UnitFuel, std::string_view> kFuelNames[] = {
    {UnitFuel::kCoal, "coal"}, {UnitFuel::kGas, "gas"}, {UnitFuel::kOther, "other"}};
constexpr std::pair<Cooling, std::string_view> kCoolingNames[] = {{Cooling::kWater, "water"}, {Cooling::kAir, "air"}};

// {"value", "unit", "source"} of the kind `kind` (energy, product mass, emissions).
std::optional<StatedAmount> Amount(Reader& r, const json& obj, const std::string& path, std::string_view key,
                                   const std::vector<Kind>& kinds, std::string_view expected) {
  const json* q = r.Object(obj, path, key, false);
  if (q == nullptr) return std::nullopt;
  const std::string p = Reader::Join(path, key);
  r.CheckKeys(*q, p, {"value", "unit", "source"});
  auto given = r.Quantity(*q, p, true);
  auto source = r.String(*q, p, "source", false);
  if (!given) return std::nullopt;
  if (std::find(kinds.begin(), kinds.end(), given->unit.kind()) == kinds.end()) {
    r.Error(Reader::Join(p, "unit"), StrCat("\"", given->unit_text, "\" is not ", expected));
    return std::nullopt;
  }
  return StatedAmount{given->value, given->unit_text.str(), given->unit, source.value_or("")};
}

std::optional<double> Share(Reader& r, const json& obj, const std::string& path, std::string_view key) {
  auto v = r.Number(obj, path, key, false);
  if (v && !(*v >= 0 && *v <= 1)) {
    r.Error(Reader::Join(path, key), StrCat(*v, " is not a fraction from 0 to 1"));
    return std::nullopt;
  }
  return v;
}

json AmountJson(const StatedAmount& a) {
  json j = {{"value", a.value}, {"unit", a.unit_text}};
  if (!a.source.empty()) j["source"] = a.source;
  return j;
}

}  // namespace

std::string_view UnitFuelName(UnitFuel f) { return internal::NameIn(kFuelNames, f); }
absl::StatusOr<UnitFuel> ParseUnitFuel(std::string_view name) { return internal::ParseIn(kFuelNames, name, "fuel"); }
std::string_view CoolingName(Cooling c) { return internal::NameIn(kCoolingNames, c); }
absl::StatusOr<Cooling> ParseCooling(std::string_view name) {
  return internal::ParseIn(kCoolingNames, name, "cooling");
}

const AllocationYear* AllocationData::Year(int year) const {
  for (const auto& y : years) {
    if (y.year == year) return &y;
  }
  return nullptr;
}

AllocationData internal::ReadAllocationData(Reader& r, const json& a, const std::string& path) {
  r.CheckKeys(a, path, {"category", "fuel", "cooling", "chp", "carbon_leakage_exposed", "years"});
  AllocationData d;
  d.category = r.String(a, path, "category", false).value_or("");
  d.fuel = r.Term(a, path, "fuel", false, &ParseUnitFuel).value_or(UnitFuel::kCoal);
  d.cooling = r.Term(a, path, "cooling", false, &ParseCooling);
  for (auto [key, target] : {std::pair{"chp", 0}, std::pair{"carbon_leakage_exposed", 1}}) {
    const json* b = r.Get(a, path, key, false);
    if (b == nullptr) continue;
    if (!b->is_boolean()) {
      r.Error(Reader::Join(path, key), "expected true or false");
    } else if (target == 0) {
      d.chp = b->get<bool>();
    } else {
      d.carbon_leakage_exposed = b->get<bool>();
    }
  }
  const std::vector<Kind> energy = {Kind::Of(Axis::kEnergy)};
  const std::vector<Kind> product = {Kind::Of(Axis::kProduct)};
  const std::vector<Kind> emissions = {Kind::Of(Axis::kCO2), Kind::Of(Axis::kCO2e)};
  r.ForEachObject(a, path, "years", true, [&](const json& y, const std::string& yp) {
    r.CheckKeys(y, yp,
                {"year", "electricity_generated", "electricity_supplied", "heat_supplied", "activity", "heat_ratio",
                 "load_factor", "verified_emissions"});
    AllocationYear ay;
    ay.year = r.Integer(y, yp, "year", true, 1990, 2100).value_or(0);
    ay.electricity_generated = Amount(r, y, yp, "electricity_generated", energy, "an energy (MWh)");
    ay.electricity_supplied = Amount(r, y, yp, "electricity_supplied", energy, "an energy (MWh)");
    ay.heat_supplied = Amount(r, y, yp, "heat_supplied", energy, "an energy (GJ)");
    ay.activity = Amount(r, y, yp, "activity", product, "a product output (t product)");
    ay.heat_ratio = Share(r, y, yp, "heat_ratio");
    ay.load_factor = Share(r, y, yp, "load_factor");
    ay.verified_emissions = Amount(r, y, yp, "verified_emissions", emissions, "an emission mass (tCO2, tCO2e)");
    if (ay.verified_emissions && ay.verified_emissions->source.empty()) {
      r.Error(Reader::Join(yp, "verified_emissions.source"), "verified emissions name their verification report");
    }
    if (ay.electricity_generated && ay.electricity_supplied &&
        ay.electricity_supplied->value * ay.electricity_supplied->unit.scale() >
            ay.electricity_generated->value * ay.electricity_generated->unit.scale()) {
      r.Error(Reader::Join(yp, "electricity_supplied"), "exceeds electricity_generated (supply is net of own use)");
    }
    if (!d.years.empty() && ay.year <= d.years.back().year) {
      r.Error(Reader::Join(yp, "year"), "years must be ascending without repeats");
    }
    d.years.push_back(std::move(ay));
  });
  return d;
}

json internal::AllocationDataToJson(const AllocationData& d) {
  json j = json::object();
  if (!d.category.empty()) j["category"] = d.category;
  j["fuel"] = std::string(UnitFuelName(d.fuel));
  if (d.cooling) j["cooling"] = std::string(CoolingName(*d.cooling));
  if (d.chp) j["chp"] = true;
  if (d.carbon_leakage_exposed) j["carbon_leakage_exposed"] = *d.carbon_leakage_exposed;
  json years = json::array();
  for (const auto& y : d.years) {
    json e = {{"year", y.year}};
    if (y.electricity_generated) e["electricity_generated"] = AmountJson(*y.electricity_generated);
    if (y.electricity_supplied) e["electricity_supplied"] = AmountJson(*y.electricity_supplied);
    if (y.heat_supplied) e["heat_supplied"] = AmountJson(*y.heat_supplied);
    if (y.activity) e["activity"] = AmountJson(*y.activity);
    if (y.heat_ratio) e["heat_ratio"] = *y.heat_ratio;
    if (y.load_factor) e["load_factor"] = *y.load_factor;
    if (y.verified_emissions) e["verified_emissions"] = AmountJson(*y.verified_emissions);
    years.push_back(std::move(e));
  }
  j["years"] = std::move(years);
  return j;
}

}  // namespace cmrv
