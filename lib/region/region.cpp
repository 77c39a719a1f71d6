#include "carbonmrv/region/region.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include "internal/json.hpp"

#include "carbonmrv/status.hpp"
#include "internal/json_parse.hpp"
#include "internal/json_reader.hpp"
#include "internal/strings.hpp"

namespace cmrv {

using internal::Reader;
using internal::StrCat;
using nlohmann::json;

absl::StatusOr<RegionComparison> CompareRegion(const std::string& region, int year,
                                               const std::vector<Enterprise>& enterprises,
                                               const std::vector<ApparentConsumption>& apparent,
                                               const FactorCatalogue& catalogue, const InventoryOptions& options) {
  RegionComparison out;
  out.region = region;
  out.year = year;
  out.co2_per_carbon = options.co2_per_carbon;
  const double co2_per_c = Co2PerCarbonValue(options.co2_per_carbon);
  // Sectoral: fossil CO2 of the combustion lines, by the source's carrier.
  std::map<std::string, std::pair<double, std::vector<std::string>>> sectoral;
  std::vector<std::string> order;
  for (std::size_t i = 0; i < enterprises.size(); ++i) {
    const auto& e = enterprises[i];
    auto inv = ComputeInventory(e, catalogue, options);
    if (!inv.ok()) return WithContext(inv.status(), StrCat("enterprises[", i, "] (", e.name, ")"));
    for (const auto& l : inv->lines) {
      if (l.memo || l.gas != Gas::kCo2 || l.category != Category::kFuelCombustion) continue;
      auto s =
          std::find_if(e.sources.begin(), e.sources.end(), [&](const SourceStream& x) { return x.id == l.source_id; });
      if (s == e.sources.end() || s->carrier.empty()) continue;
      auto [it, fresh] = sectoral.try_emplace(s->carrier);
      if (fresh) order.push_back(s->carrier);
      it->second.first += l.mass_t;
      auto& names = it->second.second;
      if (std::find(names.begin(), names.end(), e.name) == names.end()) names.push_back(e.name);
    }
  }
  static const Unit tj = *Unit::Parse("TJ"), tc_per_tj = *Unit::Parse("tC/TJ");
  for (const auto& a : apparent) {
    RegionFuel f;
    f.carrier = a.carrier;
    f.unit = a.unit_text;
    f.apparent = a.production + a.imports - a.exports - a.stock_increase;
    // TJ = apparent × NCV; tC = TJ × CC × (1 − stored); tCO2 = tC × CO2/C.
    auto energy = ApplyFactor(f.apparent, a.unit, a.ncv.quantity.value, a.ncv.quantity.unit, tj);
    if (!energy.ok()) return WithContext(energy.status(), StrCat("apparent consumption of ", a.carrier, ": ncv"));
    auto cc = Convert(a.carbon_content.quantity.value, a.carbon_content.quantity.unit, tc_per_tj);
    if (!cc.ok()) return WithContext(cc.status(), StrCat("apparent consumption of ", a.carrier, ": carbon_content"));
    f.reference_t = *energy * *cc * (1.0 - a.stored_fraction) * co2_per_c;
    if (auto it = sectoral.find(a.carrier); it != sectoral.end()) {
      f.sectoral_t = it->second.first;
      f.enterprises = it->second.second;
      sectoral.erase(it);
    } else {
      f.note = "no enterprise in the set reports this fuel";
    }
    out.fuels.push_back(std::move(f));
  }
  for (const auto& carrier : order) {
    auto it = sectoral.find(carrier);
    if (it == sectoral.end()) continue;
    RegionFuel f;
    f.carrier = carrier;
    f.sectoral_t = it->second.first;
    f.enterprises = it->second.second;
    f.note = "no apparent-consumption row: reported by enterprises only";
    out.fuels.push_back(std::move(f));
  }
  for (auto& f : out.fuels) {
    f.difference_t = f.reference_t - f.sectoral_t;
    if (f.sectoral_t > 0) f.relative = f.difference_t / f.sectoral_t;
    out.reference_t += f.reference_t;
    out.sectoral_t += f.sectoral_t;
  }
  return out;
}

std::string RegionComparison::ToJson() const {
  json fuels_j = json::array();
  for (const auto& f : fuels) {
    fuels_j.push_back({{"carrier", f.carrier},
                       {"unit", f.unit},
                       {"apparent", f.apparent},
                       {"reference_t", f.reference_t},
                       {"sectoral_t", f.sectoral_t},
                       {"difference_t", f.difference_t},
                       {"relative", f.relative ? json(*f.relative) : json(nullptr)},
                       {"enterprises", f.enterprises},
                       {"note", f.note}});
  }
  json doc = {
      {"schema", "carbonmrv.region_comparison/1"},
      {"region", region},
      {"year", year},
      {"co2_per_carbon", std::string(Co2PerCarbonName(co2_per_carbon))},
      {"method", "IPCC 2006 Vol. 2 Ch. 6 reference approach (oxidation 1) vs the sum of enterprise inventories"},
      {"fuels", fuels_j},
      {"reference_t", reference_t},
      {"sectoral_t", sectoral_t},
      {"difference_t", reference_t - sectoral_t},
      {"relative", sectoral_t > 0 ? json((reference_t - sectoral_t) / sectoral_t) : json(nullptr)}};
  return doc.dump(1);
}

absl::StatusOr<RegionComparison> CompareRegionJson(std::string_view request, const FactorCatalogue& catalogue) {
  auto parsed = internal::ParseJson(request, "the region request");
  if (!parsed.ok()) return parsed.status();
  const json& doc = *parsed;
  if (!doc.is_object()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidDocument,
                     "not a JSON object (expected a carbonmrv.region/1 request)");
  }
  Reader r;
  r.CheckKeys(doc, "", {"schema", "region", "year", "conventions", "enterprises", "apparent_consumption"});
  if (auto s = r.String(doc, "", "schema", true); s && *s != "carbonmrv.region/1") {
    r.Error("schema", "expected \"carbonmrv.region/1\"");
  }
  const std::string region = r.String(doc, "", "region", true).value_or("");
  const int year = r.Integer(doc, "", "year", true, 1990, 2100).value_or(0);
  InventoryOptions options;
  if (const json* c = r.Object(doc, "", "conventions", false)) {
    r.CheckKeys(*c, "conventions", {"gwp_dataset", "co2_per_carbon"});
    options.gwp_dataset = r.String(*c, "conventions", "gwp_dataset", false).value_or(options.gwp_dataset);
    options.co2_per_carbon =
        r.Term(*c, "conventions", "co2_per_carbon", false, ParseCo2PerCarbon).value_or(options.co2_per_carbon);
  }
  std::vector<Enterprise> enterprises;
  r.ForEachObject(doc, "", "enterprises", true, [&](const json& e, const std::string& path) {
    auto ent = Enterprise::FromJson(e.dump());
    if (!ent.ok()) {
      // Prefix every line of the enterprise's own report with this element's path.
      std::string msg(ent.status().message());
      std::size_t start = msg.find('\n');
      for (std::size_t pos = start; pos != std::string::npos;) {
        const std::size_t next = msg.find('\n', pos + 1);
        r.Error(path, msg.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1));
        pos = next;
      }
      if (start == std::string::npos) r.Error(path, msg);
      return;
    }
    if (ent->year != year)
      r.Error(Reader::Join(path, "enterprise.year"), StrCat(ent->year, " is not the request's year ", year));
    enterprises.push_back(*std::move(ent));
  });
  std::vector<ApparentConsumption> apparent;
  r.ForEachObject(doc, "", "apparent_consumption", true, [&](const json& a, const std::string& path) {
    r.CheckKeys(a, path,
                {"carrier", "unit", "production", "imports", "exports", "stock_increase", "ncv", "carbon_content",
                 "stored_fraction"});
    ApparentConsumption ac;
    if (auto c = r.String(a, path, "carrier", true)) {
      auto resolved = CarrierCatalogue::Builtin().Resolve(*c);
      if (!resolved.ok()) {
        r.Error(Reader::Join(path, "carrier"), std::string(resolved.status().message()));
      } else {
        ac.carrier = (*resolved)->id;
      }
    }
    if (auto u = r.String(a, path, "unit", true)) {
      ac.unit_text = *u;
      if (auto unit = r.ParseUnit(*u, path, "unit")) ac.unit = *unit;
    }
    ac.production = r.Number(a, path, "production", false).value_or(0);
    ac.imports = r.Number(a, path, "imports", false).value_or(0);
    ac.exports = r.Number(a, path, "exports", false).value_or(0);
    ac.stock_increase = r.Number(a, path, "stock_increase", false).value_or(0);
    ac.stored_fraction = r.Number(a, path, "stored_fraction", false).value_or(0);
    if (ac.stored_fraction < 0 || ac.stored_fraction > 1)
      r.Error(Reader::Join(path, "stored_fraction"), "expected 0–1");
    for (auto [key, target] : {std::pair{"ncv", &ac.ncv}, std::pair{"carbon_content", &ac.carbon_content}}) {
      const json* f = r.Object(a, path, key, true);
      if (f == nullptr) continue;
      const std::string fp = Reader::Join(path, key);
      r.CheckKeys(*f, fp, {"value", "unit", "source"});
      auto q = r.Quantity(*f, fp, true);
      auto src = r.String(*f, fp, "source", true);
      if (q && src) *target = StatedFactor{*q, *src, std::nullopt};
    }
    apparent.push_back(std::move(ac));
  });
  if (auto st = r.Result("the region request"); !st.ok()) return st;
  return CompareRegion(region, year, enterprises, apparent, catalogue, options);
}

}  // namespace cmrv
