// The "energy_balances" part of a carbonmrv.enterprise/1 document: reading with every problem
// reported at its JSON path, and writing back losslessly.
#include "carbonmrv/factors/factors.hpp"
#include "internal/json_reader.hpp"

#include <map>
#include <set>

namespace cmrv::internal {
namespace {

constexpr EndUseSystem kSystems[] = {EndUseSystem::kMainProduction, EndUseSystem::kAuxiliary, EndUseSystem::kAncillary,
                                     EndUseSystem::kHeatingCooling, EndUseSystem::kLighting,  EndUseSystem::kOther};

// Reads one balance; `carriers` maps a declared carrier id to its column unit kind.
class BalanceReader {
 public:
  BalanceReader(Reader& r, const Enterprise& e) : r_(r), e_(e) {}

  std::optional<StatedFactor> Stated(const json& obj, const std::string& path, std::string_view key) {
    const json* j = r_.Object(obj, path, key, false);
    if (j == nullptr) return std::nullopt;
    const std::string p = Reader::Join(path, key);
    r_.CheckKeys(*j, p, {"value", "unit", "source"});
    auto q = r_.Quantity(*j, p, true);
    auto source = r_.String(*j, p, "source", true);
    if (!q || !source) return std::nullopt;
    if (q->value <= 0) {
      r_.Error(Reader::Join(p, "value"), "expected a value > 0");
      return std::nullopt;
    }
    return StatedFactor{*q, *source, std::nullopt};
  }

  // {"value", "unit"} under `key`, with the unit's kind checked against `kind` (described as
  // `what`).
  std::optional<GivenQuantity> Amount(const json& obj, const std::string& path, std::string_view key,
                                      const std::optional<Kind>& kind, std::string_view what) {
    const json* j = r_.Object(obj, path, key, false);
    if (j == nullptr) return std::nullopt;
    const std::string p = Reader::Join(path, key);
    r_.CheckKeys(*j, p, {"value", "unit"});
    return Checked(r_.Quantity(*j, p, true), p, kind, what);
  }

  std::optional<GivenQuantity> Checked(std::optional<GivenQuantity> q, const std::string& path,
                                       const std::optional<Kind>& kind, std::string_view what) {
    if (!q || !kind) return q;
    if (!(q->unit.kind() == *kind)) {
      r_.Error(Reader::Join(path, "unit"), StrCat("\"", q->unit_text, "\" is ", q->unit.kind().Describe(),
                                                  "; expected ", what, " (", kind->Describe(), ")"));
      return std::nullopt;
    }
    return q;
  }

  // {"carrier", "value", "unit"} with the carrier declared in this balance and the unit of its
  // column's kind.
  std::optional<BalanceFlow> Flow(const json& obj, const std::string& path,
                                  std::initializer_list<std::string_view> keys) {
    r_.CheckKeys(obj, path, keys);
    auto c = r_.String(obj, path, "carrier", true);
    auto q = r_.Quantity(obj, path, true);
    if (!c) return std::nullopt;
    auto resolved = CarrierCatalogue::Builtin().Resolve(*c);
    if (!resolved.ok()) {
      r_.Error(Reader::Join(path, "carrier"), std::string(resolved.status().message()));
      return std::nullopt;
    }
    const std::string id = (*resolved)->id;
    auto it = columns_.find(id);
    if (it == columns_.end()) {
      r_.Error(Reader::Join(path, "carrier"),
               StrCat("carrier \"", id, "\" is not declared in ", carriers_path_, "; declare it with its unit"));
      return std::nullopt;
    }
    q = Checked(q, path, it->second, StrCat("a quantity of ", id, " like its column"));
    if (!q) return std::nullopt;
    return BalanceFlow{id, *q};
  }

  std::vector<BalanceFlow> Flows(const json& obj, const std::string& path, std::string_view key) {
    std::vector<BalanceFlow> out;
    r_.ForEachObject(obj, path, key, false, [&](const json& f, const std::string& p) {
      if (auto flow = Flow(f, p, {"carrier", "value", "unit"})) out.push_back(*std::move(flow));
    });
    return out;
  }

  void Carriers(const json& b, const std::string& path, EnergyBalanceData& d) {
    carriers_path_ = Reader::Join(path, "carriers");
    const Kind energy = Kind::Of(Axis::kEnergy);
    const json* arr = r_.ForEachObject(b, path, "carriers", true, [&](const json& c, const std::string& p) {
      r_.CheckKeys(c, p,
                   {"carrier", "unit", "purchased", "opening_stock", "closing_stock", "exported", "metered", "ncv",
                    "coefficient"});
      BalanceCarrier bc;
      auto name = r_.String(c, p, "carrier", true);
      auto unit_text = r_.String(c, p, "unit", true);
      const Carrier* carrier = nullptr;
      if (name) {
        auto resolved = CarrierCatalogue::Builtin().Resolve(*name);
        if (!resolved.ok()) {
          r_.Error(Reader::Join(p, "carrier"), std::string(resolved.status().message()));
        } else {
          carrier = *resolved;
          bc.carrier = carrier->id;
        }
      }
      std::optional<Unit> unit;
      if (unit_text) unit = r_.ParseUnit(*unit_text, p, "unit");
      const bool energy_carrier =
          carrier != nullptr && (carrier->carrier_class == "electricity" || carrier->carrier_class == "heat");
      if (unit && !IsFuelQuantity(unit->kind())) {
        r_.Error(Reader::Join(p, "unit"), StrCat("\"", *unit_text, "\" is ", unit->kind().Describe(),
                                                 "; expected a carrier quantity (mass, volume, Nm3 or energy)"));
        unit.reset();
      } else if (unit && energy_carrier && !(unit->kind() == energy)) {
        r_.Error(Reader::Join(p, "unit"), StrCat("\"", *unit_text, "\" is ", unit->kind().Describe(), "; ", carrier->id,
                                                 " is measured in energy (MWh, GJ)"));
        unit.reset();
      }
      if (unit) {
        bc.unit_text = *unit_text;
        bc.unit = *unit;
      }
      std::optional<Kind> kind;
      if (unit) kind = unit->kind();
      const std::string what = StrCat("a quantity of ", bc.carrier.empty() ? std::string("the carrier") : bc.carrier,
                                      " like its unit \"", unit_text.value_or(""), "\"");
      bc.purchased = Amount(c, p, "purchased", kind, what);
      bc.opening_stock = Amount(c, p, "opening_stock", kind, what);
      bc.closing_stock = Amount(c, p, "closing_stock", kind, what);
      bc.exported = Amount(c, p, "exported", kind, what);
      bc.metered = Amount(c, p, "metered", kind, what);
      bc.ncv = Stated(c, p, "ncv");
      bc.coefficient = Stated(c, p, "coefficient");
      if (bc.ncv && bc.coefficient) {
        r_.Error(p, "give either ncv (GB/T 2589: measured NCV first) or coefficient, not both");
      }
      if (energy_carrier && (bc.ncv || (bc.coefficient && carrier->carrier_class == "electricity"))) {
        r_.Error(p, StrCat(carrier->id,
                           " converts to standard coal by the balance's convention (当量值/等价值), "
                           "not by an ncv or coefficient"));
      }
      if (unit) {
        // An energy-unit carrier (heat in GJ) may state a dimensionless coefficient (tce/GJ);
        // others need energy per unit of the carrier.
        const Kind per = energy / unit->kind();
        for (auto* f : {&bc.ncv, &bc.coefficient}) {
          if (*f && !((*f)->quantity.unit.kind() == per) && !(f == &bc.ncv && per.IsDimensionless())) {
            r_.Error(Reader::Join(p, f == &bc.ncv ? "ncv.unit" : "coefficient.unit"),
                     StrCat("\"", (*f)->quantity.unit_text, "\" is ", (*f)->quantity.unit.kind().Describe(),
                            "; expected energy per \"", *unit_text, "\" (e.g. GJ/t, kgce/t)"));
          }
        }
        if (bc.ncv && per.IsDimensionless())
          r_.Error(Reader::Join(p, "ncv"), "a carrier measured in energy has no NCV");
      }
      if (!bc.carrier.empty()) {
        if (!columns_.emplace(bc.carrier, kind).second) {
          r_.Error(Reader::Join(p, "carrier"), StrCat("carrier \"", bc.carrier, "\" is declared twice"));
        }
      }
      d.carriers.push_back(std::move(bc));
    });
    if (arr != nullptr && arr->empty()) r_.Error(carriers_path_, "at least one carrier is required");
  }

  EnergyBalanceData Read(const json& b, const std::string& path) {
    EnergyBalanceData d;
    r_.CheckKeys(b, path,
                 {"period", "convention", "tolerance", "carriers", "converters", "distribution_losses", "end_uses",
                  "recovered", "products", "output_value"});
    d.period = r_.String(b, path, "period", true).value_or("");
    if (!d.period.empty() && e_.year != 0 && !ValidPeriod(d.period, e_.year)) {
      r_.Error(Reader::Join(path, "period"),
               StrCat("\"", d.period, "\" is not \"", e_.year, "\" or \"", e_.year, "-MM\" (the reporting year)"));
    }
    if (const json* conv = r_.Object(b, path, "convention", false)) {
      const std::string p = Reader::Join(path, "convention");
      r_.CheckKeys(*conv, p, {"electricity", "generation_coal_rate", "heat_coal_rate", "feedstock"});
      // calorific (当量值) or equivalent (等价值); include or exclude.
      d.convention = r_.Term(*conv, p, "electricity", false, ParseElectricityConvention).value_or(d.convention);
      d.feedstock = r_.Term(*conv, p, "feedstock", false, ParseFeedstockRule).value_or(d.feedstock);
      d.generation_coal_rate = Stated(*conv, p, "generation_coal_rate");
      d.heat_coal_rate = Stated(*conv, p, "heat_coal_rate");
      for (auto* f : {&d.generation_coal_rate, &d.heat_coal_rate}) {
        if (*f && !(*f)->quantity.unit.kind().IsDimensionless()) {
          r_.Error(Reader::Join(p, f == &d.generation_coal_rate ? "generation_coal_rate.unit" : "heat_coal_rate.unit"),
                   StrCat("\"", (*f)->quantity.unit_text, "\" is ", (*f)->quantity.unit.kind().Describe(),
                          "; expected standard coal per energy (gce/kWh, kgce/GJ)"));
        }
      }
    }
    if (d.convention == ElectricityConvention::kEquivalent && !d.generation_coal_rate) {
      r_.Error(Reader::Join(path, "convention.generation_coal_rate"),
               "required for the equivalent-value (等价值) convention: the year's thermal "
               "generation standard-coal "
               "consumption with its source (e.g. 300 gce/kWh)");
    }
    if (const json* tol = r_.Object(b, path, "tolerance", false)) {
      const std::string p = Reader::Join(path, "tolerance");
      r_.CheckKeys(*tol, p, {"warning_pct", "error_pct"});
      d.warning_pct = r_.Number(*tol, p, "warning_pct", false).value_or(d.warning_pct);
      d.error_pct = r_.Number(*tol, p, "error_pct", false).value_or(d.error_pct);
      if (!(d.warning_pct > 0 && d.warning_pct <= d.error_pct)) {
        r_.Error(p, StrCat("expected 0 < warning_pct ≤ error_pct; found ", d.warning_pct, " and ", d.error_pct));
      }
    }
    Carriers(b, path, d);
    std::set<std::string> converter_ids;
    r_.ForEachObject(b, path, "converters", false, [&](const json& c, const std::string& p) {
      r_.CheckKeys(c, p,
                   {"id", "name", "type", "facility", "inputs", "outputs", "loss", "design_coal_rate", "heat_ratio"});
      Converter conv;
      conv.id = r_.String(c, p, "id", true).value_or("");
      if (!conv.id.empty() && !converter_ids.insert(conv.id).second) {
        r_.Error(Reader::Join(p, "id"), StrCat("duplicate converter id \"", conv.id, "\""));
      }
      conv.name = r_.String(c, p, "name", false).value_or("");
      conv.type = r_.String(c, p, "type", false).value_or("");
      conv.facility = r_.String(c, p, "facility", false).value_or("");
      if (!conv.facility.empty() && std::none_of(e_.facilities.begin(), e_.facilities.end(),
                                                 [&](const Facility& f) { return f.id == conv.facility; })) {
        r_.Error(Reader::Join(p, "facility"), StrCat("no facility with id \"", conv.facility, "\""));
      }
      if (r_.Array(c, p, "inputs", true) != nullptr) conv.inputs = Flows(c, p, "inputs");
      if (r_.Array(c, p, "outputs", true) != nullptr) conv.outputs = Flows(c, p, "outputs");
      if (c.contains("inputs") && c["inputs"].is_array() && c["inputs"].empty())
        r_.Error(Reader::Join(p, "inputs"), "a converter needs at least one input");
      conv.loss = Amount(c, p, "loss", Kind::Of(Axis::kEnergy), "energy");
      conv.design_coal_rate = Stated(c, p, "design_coal_rate");
      conv.heat_ratio = Stated(c, p, "heat_ratio");
      if (conv.heat_ratio) {
        auto v = Convert(conv.heat_ratio->quantity.value, conv.heat_ratio->quantity.unit, Unit());
        if (!v.ok() || *v >= 1) {
          r_.Error(Reader::Join(p, "heat_ratio"), "expected a fraction in (0, 1) (e.g. 0.35 or 35 %)");
          conv.heat_ratio.reset();
        }
      }
      if (conv.design_coal_rate && !conv.design_coal_rate->quantity.unit.kind().IsDimensionless()) {
        r_.Error(Reader::Join(p, "design_coal_rate.unit"),
                 StrCat("\"", conv.design_coal_rate->quantity.unit_text, "\" is ",
                        conv.design_coal_rate->quantity.unit.kind().Describe(),
                        "; expected standard coal per electricity (gce/kWh)"));
      }
      d.converters.push_back(std::move(conv));
    });
    d.distribution_losses = Flows(b, path, "distribution_losses");
    r_.ForEachObject(b, path, "end_uses", false, [&](const json& u, const std::string& p) {
      auto flow = Flow(u, p, {"system", "name", "carrier", "value", "unit", "feedstock", "useful"});
      EndUse eu;
      auto sys = r_.String(u, p, "system", true);
      if (sys) {
        bool found = false;
        for (auto s : kSystems) {
          if (EndUseSystemName(s) == *sys) eu.system = s, found = true;
        }
        if (!found) {
          r_.Error(Reader::Join(p, "system"), StrCat("\"", *sys, "\" is not an end-use system; expected one of: ",
                                                     NameList(kSystems, EndUseSystemName)));
        }
      }
      eu.name = r_.String(u, p, "name", false).value_or("");
      if (const json* fs = r_.Get(u, p, "feedstock", false)) {
        if (!fs->is_boolean()) {
          r_.Error(Reader::Join(p, "feedstock"), StrCat("expected true or false, found ", fs->type_name()));
        } else {
          eu.feedstock = fs->get<bool>();
        }
      }
      eu.useful = Amount(u, p, "useful", Kind::Of(Axis::kEnergy), "energy");
      if (flow) {
        eu.flow = *std::move(flow);
        d.end_uses.push_back(std::move(eu));
      }
    });
    r_.ForEachObject(b, path, "recovered", false, [&](const json& rec, const std::string& p) {
      auto flow = Flow(rec, p, {"name", "carrier", "value", "unit"});
      if (flow) d.recovered.push_back(RecoveredEnergy{r_.String(rec, p, "name", false).value_or(""), *std::move(flow)});
    });
    double shares = 0;
    r_.ForEachObject(b, path, "products", false, [&](const json& pr, const std::string& p) {
      r_.CheckKeys(pr, p, {"product", "value", "unit", "energy_share", "benchmark"});
      BalanceProduct bp;
      bp.product = r_.String(pr, p, "product", true).value_or("");
      auto q = r_.Quantity(pr, p, true);
      bp.energy_share = r_.Number(pr, p, "energy_share", false);
      bp.benchmark = Stated(pr, p, "benchmark");
      if (bp.energy_share && !(*bp.energy_share > 0 && *bp.energy_share <= 1)) {
        r_.Error(Reader::Join(p, "energy_share"), "expected a fraction in (0, 1]");
      }
      shares += bp.energy_share.value_or(0);
      if (q && q->value <= 0) r_.Error(Reader::Join(p, "value"), "expected an output > 0");
      if (q) {
        bp.quantity = *q;
        d.products.push_back(std::move(bp));
      }
    });
    if (shares > 1 + 1e-9) r_.Error(Reader::Join(path, "products"), StrCat("energy shares add up to ", shares, " > 1"));
    d.output_value = r_.Money(b, path, "output_value", false, true);
    return d;
  }

 private:
  Reader& r_;
  const Enterprise& e_;
  std::string carriers_path_;
  std::map<std::string, std::optional<Kind>> columns_;
};

void PutQuantity(json& j, const GivenQuantity& q) {
  j["value"] = q.value;
  j["unit"] = q.unit_text;
}
json Stated(const StatedFactor& f) {
  return {{"value", f.quantity.value}, {"unit", f.quantity.unit_text}, {"source", f.source}};
}
json FlowJson(const BalanceFlow& f) {
  return {{"carrier", f.carrier}, {"value", f.quantity.value}, {"unit", f.quantity.unit_text}};
}

}  // namespace

void ReadEnergyBalances(Reader& r, const json& doc, Enterprise& e) {
  std::set<std::string> periods;
  r.ForEachObject(doc, "", "energy_balances", false, [&](const json& balance, const std::string& path) {
    EnergyBalanceData d = BalanceReader(r, e).Read(balance, path);
    if (!d.period.empty() && !periods.insert(d.period).second) {
      r.Error(Reader::Join(path, "period"), StrCat("a balance for \"", d.period, "\" is already given"));
    }
    e.energy_balances.push_back(std::move(d));
  });
}

json EnergyBalancesToJson(const std::vector<EnergyBalanceData>& balances) {
  json arr = json::array();
  for (const auto& d : balances) {
    json b = {{"period", d.period}};
    json conv = {{"electricity", std::string(ElectricityConventionName(d.convention))},
                 {"feedstock", std::string(FeedstockRuleName(d.feedstock))}};
    if (d.generation_coal_rate) conv["generation_coal_rate"] = Stated(*d.generation_coal_rate);
    if (d.heat_coal_rate) conv["heat_coal_rate"] = Stated(*d.heat_coal_rate);
    b["convention"] = conv;
    b["tolerance"] = {{"warning_pct", d.warning_pct}, {"error_pct", d.error_pct}};
    json carriers = json::array();
    for (const auto& c : d.carriers) {
      json j = {{"carrier", c.carrier}, {"unit", c.unit_text}};
      const std::pair<const char*, const std::optional<GivenQuantity>*> amounts[] = {
          {"purchased", &c.purchased},
          {"opening_stock", &c.opening_stock},
          {"closing_stock", &c.closing_stock},
          {"exported", &c.exported},
          {"metered", &c.metered}};
      for (const auto& [key, q] : amounts) {
        if (*q) PutQuantity(j[key], **q);
      }
      if (c.ncv) j["ncv"] = Stated(*c.ncv);
      if (c.coefficient) j["coefficient"] = Stated(*c.coefficient);
      carriers.push_back(j);
    }
    b["carriers"] = carriers;
    if (!d.converters.empty()) {
      json convs = json::array();
      for (const auto& c : d.converters) {
        json j = {{"id", c.id}};
        if (!c.name.empty()) j["name"] = c.name;
        if (!c.type.empty()) j["type"] = c.type;
        if (!c.facility.empty()) j["facility"] = c.facility;
        j["inputs"] = json::array();
        for (const auto& f : c.inputs) j["inputs"].push_back(FlowJson(f));
        j["outputs"] = json::array();
        for (const auto& f : c.outputs) j["outputs"].push_back(FlowJson(f));
        if (c.loss) PutQuantity(j["loss"], *c.loss);
        if (c.design_coal_rate) j["design_coal_rate"] = Stated(*c.design_coal_rate);
        if (c.heat_ratio) j["heat_ratio"] = Stated(*c.heat_ratio);
        convs.push_back(j);
      }
      b["converters"] = convs;
    }
    if (!d.distribution_losses.empty()) {
      for (const auto& f : d.distribution_losses) b["distribution_losses"].push_back(FlowJson(f));
    }
    if (!d.end_uses.empty()) {
      for (const auto& u : d.end_uses) {
        json j = FlowJson(u.flow);
        j["system"] = std::string(EndUseSystemName(u.system));
        if (!u.name.empty()) j["name"] = u.name;
        if (u.feedstock) j["feedstock"] = true;
        if (u.useful) PutQuantity(j["useful"], *u.useful);
        b["end_uses"].push_back(j);
      }
    }
    for (const auto& rec : d.recovered) {
      json j = FlowJson(rec.flow);
      if (!rec.name.empty()) j["name"] = rec.name;
      b["recovered"].push_back(j);
    }
    for (const auto& p : d.products) {
      json j = {{"product", p.product}};
      PutQuantity(j, p.quantity);
      if (p.energy_share) j["energy_share"] = *p.energy_share;
      if (p.benchmark) j["benchmark"] = Stated(*p.benchmark);
      b["products"].push_back(j);
    }
    if (d.output_value) b["output_value"] = {{"value", d.output_value->value}, {"unit", d.output_value->unit_text}};
    arr.push_back(b);
  }
  return arr;
}

}  // namespace cmrv::internal

namespace cmrv {

std::string_view EndUseSystemName(EndUseSystem s) {
  switch (s) {
    case EndUseSystem::kMainProduction: return "main_production";
    case EndUseSystem::kAuxiliary: return "auxiliary";
    case EndUseSystem::kAncillary: return "ancillary";
    case EndUseSystem::kHeatingCooling: return "heating_cooling";
    case EndUseSystem::kLighting: return "lighting";
    case EndUseSystem::kOther: return "other";
  }
  return "unknown";
}

}  // namespace cmrv
