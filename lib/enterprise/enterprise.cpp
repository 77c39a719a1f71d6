#include "carbonmrv/enterprise/enterprise.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include "absl/container/flat_hash_set.h"
#include "internal/json.hpp"

#include "carbonmrv/factors/carbonates.hpp"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/status.hpp"
#include "internal/huge_pages.hpp"
#include "internal/json_parse.hpp"
#include "internal/json_reader.hpp"
#include "internal/strings.hpp"
#include "internal/threads.hpp"

namespace cmrv {

using internal::NameList;
using internal::Reader;
using internal::Same;
using internal::StrCat;
using internal::ValidPeriod;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// GB 32100-2015
// ---------------------------------------------------------------------------------------------

absl::Status ValidateUscc(std::string_view code) {
  // §4: the character set excludes I, O, S, V, Z; §5: check digit C18 = 31 − (Σ Ci·Wi mod 31),
  // Wi = 3^(i−1) mod 31, with 31 written as 0.
  static constexpr std::string_view kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  auto fail = [&](const std::string& why) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat("unified social credit code \"", code, "\" ", why));
  };
  if (code.size() != 18) return fail(StrCat("has ", code.size(), " characters; GB 32100-2015 requires 18"));
  int sum = 0, weight = 1;
  for (std::size_t i = 0; i < 18; ++i) {
    auto pos = kChars.find(code[i]);
    if (pos == std::string_view::npos) {
      return fail(StrCat("has '", code[i], "' at position ", i + 1, "; allowed are 0-9 and A-Y except I, O, S, V, Z"));
    }
    if (i < 17) {
      sum += static_cast<int>(pos) * weight;
      weight = weight * 3 % 31;
    }
  }
  const char expected = kChars[static_cast<std::size_t>((31 - sum % 31) % 31)];
  if (code[17] != expected) {
    return fail(StrCat("has check digit '", code[17], "' but GB 32100-2015 §5 gives '", expected, "'"));
  }
  return absl::OkStatus();
}

std::string_view DataSourceName(DataSource s) {
  switch (s) {
    case DataSource::kMeter: return "meter";
    case DataSource::kInvoice: return "invoice";
    case DataSource::kStockTake: return "stock_take";
    case DataSource::kEstimate: return "estimate";
    case DataSource::kDefault: return "default";
  }
  return "unknown";
}

std::string_view SourceKindName(SourceKind k) {
  switch (k) {
    case SourceKind::kFuelCombustion: return "fuel_combustion";
    case SourceKind::kProcessGeneric: return "process";
    case SourceKind::kCarbonate: return "carbonate";
    case SourceKind::kPurchasedElectricity: return "purchased_electricity";
    case SourceKind::kPurchasedHeat: return "purchased_heat";
    case SourceKind::kExportedElectricity: return "exported_electricity";
    case SourceKind::kExportedHeat: return "exported_heat";
    case SourceKind::kCo2Recovered: return "co2_recovered";
    case SourceKind::kBiomassCombustion: return "biomass_combustion";
    case SourceKind::kClinker: return "clinker";
    case SourceKind::kCarbonInput: return "carbon_input";
    case SourceKind::kCarbonOutput: return "carbon_output";
    case SourceKind::kCems: return "cems";
    case SourceKind::kFgasMassBalance: return "fgas_mass_balance";
  }
  return "unknown";
}

namespace {

constexpr std::string_view kSchema = "carbonmrv.enterprise/1";
// Version 2 adds the "cleaner_production" block; a version 1 document is read unchanged.
constexpr std::string_view kSchema2 = "carbonmrv.enterprise/2";

// The members of an activity record, in the order of the reader's `Field` indexes.
enum Field : std::size_t { kPeriod, kValue, kUnit, kDataSource, kUncertainty, kMeasured };
constexpr std::array<std::string_view, 6> kActivityFields = {"period",      "value",           "unit",
                                                             "data_source", "uncertainty_pct", "measured"};

const std::vector<SourceKind> kKinds = {SourceKind::kFuelCombustion,
                                        SourceKind::kProcessGeneric,
                                        SourceKind::kCarbonate,
                                        SourceKind::kPurchasedElectricity,
                                        SourceKind::kPurchasedHeat,
                                        SourceKind::kExportedElectricity,
                                        SourceKind::kExportedHeat,
                                        SourceKind::kCo2Recovered,
                                        SourceKind::kBiomassCombustion,
                                        SourceKind::kClinker,
                                        SourceKind::kCarbonInput,
                                        SourceKind::kCarbonOutput,
                                        SourceKind::kCems,
                                        SourceKind::kFgasMassBalance};

bool IsCombustion(SourceKind k) { return k == SourceKind::kFuelCombustion || k == SourceKind::kBiomassCombustion; }
bool IsElectricity(SourceKind k) {
  return k == SourceKind::kPurchasedElectricity || k == SourceKind::kExportedElectricity;
}
bool IsHeat(SourceKind k) { return k == SourceKind::kPurchasedHeat || k == SourceKind::kExportedHeat; }

// "uncertainty_pct": the half-width of the 95 % confidence interval as a percentage (IPCC 2006
// Vol. 1 Ch. 3), the same range for activity, measured and stated values.
std::optional<double> UncertaintyPct(Reader& r, const json* found, const std::string& path) {
  auto u = r.Number(found, path, "uncertainty_pct", false);
  if (u && (*u < 0 || *u > 100)) {
    r.Error(Reader::Join(path, "uncertainty_pct"), "expected a percentage in [0, 100]");
    return std::nullopt;
  }
  return u;
}
std::optional<double> UncertaintyPct(Reader& r, const json& obj, const std::string& path) {
  return UncertaintyPct(r, r.Get(obj, path, "uncertainty_pct", false), path);
}

// Reports (at `path`) a stated or measured value whose unit does not fit its name and the activity;
// true when it fits.
bool CheckFactorUnit(Reader& r, const std::string& path, Parameter p, const GivenQuantity& q, const Kind& a) {
  if (IsHeatMedium(p) && !(a == Kind::Of(Axis::kMass))) {
    r.Error(path, StrCat("applies only when the activity is a mass of steam or hot water (t, kg); this source's "
                         "activity is ",
                         a.Describe()));
    return false;
  }
  const std::string expected = CheckParameterUnit(p, q.unit.kind(), a);
  if (expected.empty()) return true;
  r.Error(Reader::Join(path, "unit"),
          StrCat("\"", q.unit_text, "\" is ", q.unit.kind().Describe(), "; expected ", expected));
  return false;
}

}  // namespace

std::string ActivityUnitExpected(SourceKind kind, const Kind& k) {
  if (IsCombustion(kind) && !internal::IsFuelQuantity(k)) return "a fuel quantity (mass, volume, Nm3 or energy)";
  if (IsElectricity(kind) && !(k == Kind::Of(Axis::kEnergy))) return "energy (MWh, GJ)";
  if (IsHeat(kind) && !(k == Kind::Of(Axis::kEnergy)) && !(k == Kind::Of(Axis::kMass))) {
    return "energy (GJ) or a mass of steam or hot water (t) with its enthalpy or temperature";
  }
  if (kind == SourceKind::kCarbonate && !(k == Kind::Of(Axis::kMass))) return "a mass of the carbonate (t)";
  if (kind == SourceKind::kFgasMassBalance && !(k == Kind::Of(Axis::kMass))) {
    return "the mass of the gas acquired in the period (kg, t)";
  }
  if ((kind == SourceKind::kCo2Recovered || kind == SourceKind::kCems) && !(k == Kind::Of(Axis::kCO2))) {
    return "a mass of CO2 (tCO2)";
  }
  if ((kind == SourceKind::kCarbonInput || kind == SourceKind::kCarbonOutput) &&
      !(k == Kind::Of(Axis::kMass) || k == Kind::Of(Axis::kProduct) || k == Kind::Of(Axis::kGasVolumeNormal))) {
    return "a mass or a gas volume of the stream (t, t product, 10^4 Nm3)";
  }
  if (kind == SourceKind::kClinker && !(k == Kind::Of(Axis::kProduct)) && !(k == Kind::Of(Axis::kMass))) {
    return "the clinker output (t product or t)";
  }
  return "";
}

bool IsCombustionMethod(std::string_view method) {
  return std::find(std::begin(kCombustionMethods), std::end(kCombustionMethods), method) !=
         std::end(kCombustionMethods);
}

std::optional<CombustionSector> SectorOfIndustry(std::string_view industry) {
  if (!industry.empty() && industry.front() >= 'A' && industry.front() <= 'T') industry.remove_prefix(1);
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (industry.size() < 2 || !digit(industry[0]) || !digit(industry[1])) return std::nullopt;
  const int division = (industry[0] - '0') * 10 + (industry[1] - '0');
  using S = CombustionSector;
  if (division >= 1 && division <= 5) return S::kResidentialAgriculture;  // 1.A.4.c
  if (division == 6 || division == 7 || division == 25 || division == 44 || division == 45) {
    return S::kEnergyIndustries;  // 1.A.1.a power and heat, 1.A.1.b refining, 1.A.1.c solid fuels and own use
  }
  if ((division >= 8 && division <= 43) || (division >= 47 && division <= 50)) return S::kManufacturingConstruction;
  if (division == 46 || (division >= 51 && division <= 97)) return S::kCommercialInstitutional;  // 1.A.4.a
  return std::nullopt;
}

std::string_view DefaultCarrier(SourceKind kind) {
  if (IsElectricity(kind)) return "electricity";
  if (IsHeat(kind)) return "heat";
  return "";
}

absl::StatusOr<SourceKind> ParseSourceKind(std::string_view name) {
  for (auto k : kKinds) {
    if (SourceKindName(k) == name) return k;
  }
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                   StrCat("\"", name, "\" is not a source kind; expected one of: ", NameList(kKinds, SourceKindName)));
}

namespace {

// The "carbonmrv.enterprise/1" and "/2" reader, in three parts so that the sources can be read one at a
// time as the parser completes them (Enterprise::FromJson) or from a whole DOM (ReadWhole). They share the
// error list and what earlier sections declared (facility ids, source ids, the year), so that every
// problem in the document is reported at once with its path. Unit rules come from ActivityUnitExpected
// and the parameter table; energy balances from ReadEnergyBalances.
class EnterpriseReader {
 public:
  Reader r;
  Enterprise e;

  // Schema, top-level keys, enterprise and facilities.
  void Header(const json& doc) {
    r.CheckKeys(
        doc, "",
        {"schema", "enterprise", "facilities", "sources", "production", "energy_balances", "cleaner_production"});
    const auto schema = r.String(doc, "", "schema", true);
    schema_1 = schema && *schema == kSchema;
    if (const auto& s = schema; s && *s != kSchema && *s != kSchema2) {
      r.Error("schema", StrCat("\"", *s, "\" is not supported; expected \"", kSchema, "\" or \"", kSchema2, "\""));
    }
    if (const json* ent = r.Object(doc, "", "enterprise", true)) {
      r.CheckKeys(*ent, "enterprise", {"name", "uscc", "industry", "region", "year"});
      e.name = r.String(*ent, "enterprise", "name", true).value_or("");
      if (auto u = r.String(*ent, "enterprise", "uscc", false)) {
        e.uscc = *u;
        if (auto st = ValidateUscc(*u); !st.ok()) r.Error("enterprise.uscc", std::string(st.message()));
      }
      e.industry = r.String(*ent, "enterprise", "industry", false).value_or("");
      e.region = r.String(*ent, "enterprise", "region", false).value_or("");
      if (auto y = r.Integer(*ent, "enterprise", "year", true, 1990, 2100)) e.year = *y;
    }
    r.ForEachObject(doc, "", "facilities", false, [&](const json& f, const std::string& path) {
      r.CheckKeys(f, path, {"id", "name", "type", "capacity", "allocation"});
      Facility fac;
      fac.id = r.String(f, path, "id", true).value_or("");
      fac.name = r.String(f, path, "name", false).value_or("");
      fac.type = r.String(f, path, "type", false).value_or("");
      if (const json* cap = r.Object(f, path, "capacity", false)) {
        r.CheckKeys(*cap, Reader::Join(path, "capacity"), {"value", "unit"});
        fac.capacity = r.Quantity(*cap, Reader::Join(path, "capacity"), true);
      }
      if (const json* a = r.Object(f, path, "allocation", false)) {
        if (schema_1) r.Error(Reader::Join(path, "allocation"), StrCat("needs schema \"", kSchema2, "\""));
        fac.allocation = internal::ReadAllocationData(r, *a, Reader::Join(path, "allocation"));
      }
      if (!fac.id.empty() && !facility_ids.insert(fac.id).second)
        r.Error(Reader::Join(path, "id"), StrCat("duplicate facility id \"", fac.id, "\""));
      e.facilities.push_back(std::move(fac));
    });
  }

  // sources[i]. About 210 lines: a source's fields, then its activity records with their
  // measurements, then its stated factors; each check needs the fields read before it.
  // `flat`: the source's activity records as the streaming parser read them (its "activity" array in
  // `s` is then empty); null for a whole DOM.
  void Source(const json& s, std::size_t i, const internal::FlatRecords* flat = nullptr) {
    const std::string path = Reader::Index("sources", i);
    if (!s.is_object()) {
      r.Error(path, "expected an object");
      return;
    }
    r.CheckKeys(s, path,
                {"id", "name", "facility", "kind", "carrier", "material", "method", "calculation", "factors",
                 "activity", "sector", "scope3_category", "iso_category"});
    SourceStream src;
    const auto id = r.String(s, path, "id", true);
    if (id && id->empty()) r.Error(Reader::Join(path, "id"), "is empty");
    src.id = id.value_or("");
    if (!src.id.empty() && !source_ids.insert(src.id).second) {
      r.Error(Reader::Join(path, "id"), StrCat("duplicate source id \"", src.id, "\""));
    }
    src.name = r.String(s, path, "name", false).value_or("");
    src.facility = r.String(s, path, "facility", false).value_or("");
    if (!src.facility.empty() && !facility_ids.count(src.facility)) {
      r.Error(Reader::Join(path, "facility"), StrCat("no facility with id \"", src.facility, "\""));
    }
    bool kind_ok = false;
    if (auto k = r.Term(s, path, "kind", true, ParseSourceKind)) src.kind = *k, kind_ok = true;
    if (auto c = r.String(s, path, "carrier", kind_ok && IsCombustion(src.kind))) {
      auto resolved = carriers.Resolve(*c);
      if (!resolved.ok()) {
        r.Error(Reader::Join(path, "carrier"), std::string(resolved.status().message()));
      } else {
        src.carrier = (*resolved)->id;
      }
    }
    if (kind_ok && src.carrier.empty()) src.carrier = std::string(DefaultCarrier(src.kind));
    const bool fgas = kind_ok && src.kind == SourceKind::kFgasMassBalance;
    if (auto m = r.String(s, path, "material", kind_ok && (src.kind == SourceKind::kCarbonate || fgas))) {
      const auto& known = KnownCarbonates();
      if (fgas) {
        if (auto g = ParseFluorinatedGas(*m); !g.ok()) {
          r.Error(Reader::Join(path, "material"), std::string(g.status().message()));
        } else {
          src.material = std::string((*g)->id);
        }
      } else if (std::find(known.begin(), known.end(), *m) == known.end()) {
        r.Error(Reader::Join(path, "material"),
                StrCat("\"", *m, "\" is not a known carbonate; expected one of: ", NameList(known, Same)));
      }
      if (!fgas) src.material = *m;
    }
    src.calculation = r.String(s, path, "calculation", false).value_or("");
    if (!src.calculation.empty() && !(kind_ok && src.kind == SourceKind::kCems)) {
      r.Error(Reader::Join(path, "calculation"), "only a cems source names a corroborating calculation");
    }
    src.method = r.String(s, path, "method", false).value_or(kind_ok && IsCombustion(src.kind) ? "default_factor" : "");
    if (kind_ok && IsCombustion(src.kind) && !IsCombustionMethod(src.method)) {
      r.Error(Reader::Join(path, "method"),
              StrCat("\"", src.method,
                     "\" is not a combustion method; expected default_factor, energy_ef or measured_carbon"));
    }
    if (s.contains("sector")) {
      src.sector = r.Term(s, path, "sector", false, ParseCombustionSector);
      if (src.sector && kind_ok && !IsCombustion(src.kind)) {
        r.Error(Reader::Join(path, "sector"), "only a combustion source has a combustion sector");
      }
    }
    {
      // Both or neither: a scope 3 source names its category in both reporting frameworks.
      auto ghg = r.Integer(s, path, "scope3_category", false, 1, 15);
      auto iso = r.Integer(s, path, "iso_category", false, 3, 6);
      if (ghg && iso) {
        src.scope3 = Scope3{*ghg, *iso};
      } else if (s.contains("scope3_category") != s.contains("iso_category")) {
        r.Error(Reader::Join(path, s.contains("scope3_category") ? "iso_category" : "scope3_category"),
                "a scope 3 source states both scope3_category (GHG Protocol, 1-15) and iso_category (ISO "
                "14064-1:2018, 3-6)");
      }
      if (src.scope3 && kind_ok && !IsCombustion(src.kind) && src.kind != SourceKind::kProcessGeneric) {
        r.Error(Reader::Join(path, "scope3_category"),
                "a scope 3 source is fuel_combustion, biomass_combustion or process (a fuel burnt by a contractor, "
                "travel by distance and mode factor)");
      }
    }
    // Activity.
    std::optional<Kind> activity_kind;
    // Views of the periods of src.activity (reserved below, so they stay put): no node per record.
    absl::flat_hash_set<std::string_view> periods;
    if (const json* acts = r.Array(s, path, "activity", true)) {
      const std::size_t n = flat != nullptr ? flat->size() : acts->size();
      if (n == 0) r.Error(Reader::Join(path, "activity"), "at least one activity record is required");
      src.activity.reserve(n);
      periods.reserve(n);
      const std::string acts_path = Reader::Join(path, "activity");
      std::string apath;  // "sources[i].activity[j]", rebuilt in place: no allocation per record
      for (std::size_t j = 0; j < n; ++j) {
        apath.assign(acts_path);
        internal::StrAppend(&apath, "[", j, "]");
        std::array<const json*, kActivityFields.size()> f;
        if (flat != nullptr && (*flat)[j].flat) {
          (*flat)[j].Fill(f);
        } else {
          const json& a = flat != nullptr ? (*flat)[j].dom : (*acts)[j];
          if (!a.is_object()) {
            r.Error(apath, "expected an object");
            continue;
          }
          r.Fields(a, apath, kActivityFields, f);
        }
        ActivityRecord rec;
        if (auto period = r.String(f[kPeriod], apath, "period", true)) {
          if (period->empty()) {
            r.Error(Reader::Join(apath, "period"),
                    StrCat("is empty; expected \"", e.year, "\" or \"", e.year, "-MM\""));
          }
          rec.period = r.Shared(*period);
        }
        if (!rec.period.empty()) {
          if (e.year != 0 && !ValidPeriod(rec.period, e.year)) {
            r.Error(Reader::Join(apath, "period"),
                    StrCat("\"", rec.period, "\" is not \"", e.year, "\" or \"", e.year, "-MM\" (the reporting year)"));
          }
          if (periods.contains(rec.period)) {
            r.Error(Reader::Join(apath, "period"), StrCat("duplicate period \"", rec.period, "\" in this source"));
          }
        }
        auto q = r.Quantity(f[kValue], f[kUnit], apath, true);
        if (q) {
          rec.quantity = *std::move(q);
          const Kind& k = rec.quantity.unit.kind();
          const std::string bad = kind_ok ? ActivityUnitExpected(src.kind, k) : std::string();
          if (!bad.empty()) {
            r.Error(Reader::Join(apath, "unit"), StrCat("\"", rec.quantity.unit_text, "\" is ", k.Describe(), "; a ",
                                                        SourceKindName(src.kind), " source needs ", bad));
          } else if (activity_kind && !(*activity_kind == k)) {
            r.Error(Reader::Join(apath, "unit"),
                    StrCat("\"", rec.quantity.unit_text, "\" is ", k.Describe(),
                           ", unlike the source's earlier records (", activity_kind->Describe(), ")"));
          } else {
            activity_kind = k;
          }
        }
        if (auto ds = r.String(f[kDataSource], apath, "data_source", false)) {
          bool found = false;
          for (auto d : {DataSource::kMeter, DataSource::kInvoice, DataSource::kStockTake, DataSource::kEstimate,
                         DataSource::kDefault}) {
            if (DataSourceName(d) == *ds) rec.data_source = d, found = true;
          }
          if (!found)
            r.Error(Reader::Join(apath, "data_source"),
                    StrCat("\"", *ds, "\" is not one of meter, invoice, stock_take, estimate, default"));
        }
        rec.uncertainty_pct = UncertaintyPct(r, f[kUncertainty], apath);
        if (const json* meas = r.Object(f[kMeasured], apath, "measured", false)) {
          for (auto it = meas->begin(); it != meas->end(); ++it) {
            const std::string mpath = Reader::Join(Reader::Join(apath, "measured"), it.key());
            if (!it->is_object()) {
              r.Error(mpath, "expected an object {value, unit, ...}");
              continue;
            }
            r.CheckKeys(*it, mpath,
                        {"value", "unit", "basis", "moisture_ar_pct", "moisture_ad_pct", "source", "uncertainty_pct"});
            MeasuredParameter mp;
            auto mq = r.Quantity(*it, mpath, true);
            if (!mq) continue;
            mp.quantity = *mq;
            mp.basis = r.String(*it, mpath, "basis", false).value_or("");
            mp.moisture_ar_pct = r.Number(*it, mpath, "moisture_ar_pct", false);
            mp.moisture_ad_pct = r.Number(*it, mpath, "moisture_ad_pct", false);
            mp.source = r.String(*it, mpath, "source", false).value_or("");
            mp.uncertainty_pct = UncertaintyPct(r, *it, mpath);
            if (!mp.basis.empty() && mp.basis != "as_received" && mp.basis != "air_dried") {
              r.Error(Reader::Join(mpath, "basis"), "expected \"as_received\" or \"air_dried\"");
            }
            if (mp.basis == "air_dried" && (!mp.moisture_ar_pct || !mp.moisture_ad_pct)) {
              r.Error(mpath, "an air-dried value needs moisture_ar_pct and moisture_ad_pct to convert to as-received");
            }
            auto param = ParseParameter(it.key());
            if (!kind_ok) continue;  // the kind's own error is reported
            if (!param.ok() || !AppliesTo(*param, src.kind)) {
              r.Error(mpath, StrCat("\"", it.key(), "\" is not a parameter of a ", SourceKindName(src.kind),
                                    " source; expected one of: ", NameList(ParameterNames(src.kind), Same)));
              continue;
            }
            if (activity_kind) CheckFactorUnit(r, mpath, *param, mp.quantity, *activity_kind);
            rec.measured.emplace(*param, std::move(mp));
          }
        }
        src.activity.push_back(std::move(rec));
        if (!src.activity.back().period.empty()) periods.insert(src.activity.back().period);
      }
      // An annual record next to monthly ones would count the months twice.
      const std::string annual = StrCat(e.year);
      if (e.year != 0 && periods.count(annual) && periods.size() > 1) {
        r.Error(Reader::Join(path, "activity"), StrCat("mixes the annual period \"", annual,
                                                       "\" with monthly periods; they would be summed twice. "
                                                       "Give either one annual record or monthly records"));
      }
    }
    if (const json* facs = r.Object(s, path, "factors", false)) {
      for (auto it = facs->begin(); it != facs->end(); ++it) {
        const std::string fpath = Reader::Join(Reader::Join(path, "factors"), it.key());
        if (!it->is_object()) {
          r.Error(fpath, "expected an object {value, unit, source}");
          continue;
        }
        r.CheckKeys(*it, fpath, {"value", "unit", "source", "uncertainty_pct"});
        auto q = r.Quantity(*it, fpath, true);
        auto source = r.String(*it, fpath, "source", true);
        auto u = UncertaintyPct(r, *it, fpath);
        if (!q || !source) continue;
        auto param = ParseParameter(it.key());
        if (!kind_ok) continue;  // the kind's own error is reported
        if (!param.ok() || !AppliesTo(*param, src.kind)) {
          r.Error(fpath, StrCat("\"", it.key(), "\" is not a factor of a ", SourceKindName(src.kind),
                                " source; expected one of: ", NameList(ParameterNames(src.kind), Same)));
          continue;
        }
        if (activity_kind && !CheckFactorUnit(r, fpath, *param, *q, *activity_kind)) continue;
        src.factors.emplace(*param, StatedFactor{*q, *source, u});
      }
    }
    internal::PushBackHuge(e.sources, std::move(src));
  }

  // What follows the sources: cross-source references, production, energy balances, audits.
  void Rest(const json& doc) {
    if (schema_1 && doc.contains("cleaner_production")) {
      r.Error("cleaner_production", StrCat("needs schema \"", kSchema2, "\""));
    }
    for (std::size_t i = 0; i < e.sources.size(); ++i) {
      const auto& src = e.sources[i];
      if (src.calculation.empty()) continue;
      const std::string path = StrCat("sources[", i, "].calculation");
      auto it = std::find_if(e.sources.begin(), e.sources.end(),
                             [&](const SourceStream& o) { return o.id == src.calculation; });
      if (it == e.sources.end()) {
        r.Error(path, StrCat("no source with id \"", src.calculation, "\""));
      } else if (it->kind == SourceKind::kCems) {
        r.Error(path, StrCat("\"", src.calculation, "\" is itself a cems source; name the calculated source"));
      } else if (std::count_if(e.sources.begin(), e.sources.end(),
                               [&](const SourceStream& o) { return o.calculation == src.calculation; }) > 1) {
        r.Error(path, StrCat("\"", src.calculation, "\" already corroborates another cems source"));
      }
    }
    // One product's records must add up: a record in a unit of another kind would otherwise be left out
    // of the product's output (and intensity) without notice.
    std::map<std::string, std::pair<Kind, std::string>> product_kind;  // product → (kind, path of its first record)
    r.ForEachObject(doc, "", "production", false, [&](const json& p, const std::string& path) {
      r.CheckKeys(p, path, {"product", "period", "value", "unit", "sales", "opening_stock", "closing_stock"});
      ProductionRecord rec;
      rec.product = r.String(p, path, "product", true).value_or("");
      rec.period = r.String(p, path, "period", true).value_or("");
      if (!rec.period.empty() && e.year != 0 && !ValidPeriod(rec.period, e.year)) {
        r.Error(Reader::Join(path, "period"), StrCat("\"", rec.period, "\" is not in the reporting year ", e.year));
      }
      if (auto q = r.Quantity(p, path, true)) {
        rec.quantity = *q;
        auto [first, added] = product_kind.try_emplace(rec.product, q->unit.kind(), path);
        if (!added && !(first->second.first == q->unit.kind())) {
          r.Error(Reader::Join(path, "unit"),
                  StrCat("\"", q->unit_text, "\" is ", q->unit.kind().Describe(), "; ", first->second.second,
                         " gives product \"", rec.product, "\" in ", first->second.first.Describe(),
                         ": one product's output must add up"));
        }
        for (auto [key, target] : {std::pair{"sales", &rec.sales}, std::pair{"opening_stock", &rec.opening_stock},
                                   std::pair{"closing_stock", &rec.closing_stock}}) {
          const json* j = r.Object(p, path, key, false);
          if (j == nullptr) continue;
          const std::string kp = Reader::Join(path, key);
          r.CheckKeys(*j, kp, {"value", "unit"});
          auto v = r.Quantity(*j, kp, true);
          if (v && !(v->unit.kind() == q->unit.kind())) {
            r.Error(Reader::Join(kp, "unit"),
                    StrCat("\"", v->unit_text, "\" is ", v->unit.kind().Describe(),
                           "; expected the kind of the production (", q->unit.kind().Describe(), ")"));
          } else {
            *target = v;
          }
        }
      }
      e.production.push_back(std::move(rec));
    });
    internal::ReadEnergyBalances(r, doc, e);
    internal::ReadAudits(r, doc, e);
  }

  // A source read by another reader of the same document (ReadInRuns), appended in document order:
  // false when its id is one this reader already has.
  bool Adopt(SourceStream&& src) {
    if (!source_ids.insert(src.id).second) return false;
    e.sources.push_back(std::move(src));
    return true;
  }

  absl::StatusOr<Enterprise> Finish() {
    if (auto st = r.Result("the enterprise document"); !st.ok()) return st;
    return std::move(e);
  }

 private:
  const CarrierCatalogue& carriers = CarrierCatalogue::Builtin();
  bool schema_1 = false;
  std::set<std::string> facility_ids;
  absl::flat_hash_set<std::string> source_ids;
};

// The whole document from its DOM, section by section.
absl::StatusOr<Enterprise> ReadWhole(const json& doc) {
  EnterpriseReader x;
  x.Header(doc);
  if (const json* srcs = x.r.Array(doc, "", "sources", true)) {
    if (srcs->empty()) x.r.Error("sources", "at least one source stream is required");
    for (std::size_t i = 0; i < srcs->size(); ++i) x.Source((*srcs)[i], i);
  }
  x.Rest(doc);
  return x.Finish();
}

}  // namespace

namespace {

constexpr std::string_view kWhat = "the enterprise document";

// Streams the sources of `parse`'s document into `x` (Header at the first): the document read so far
// when every section the sources depend on came before them and nothing was refused, else nullopt (then
// the caller reads the document whole, so that the result and its problems are ReadWhole's). `parse`
// runs ParseJsonStreaming with the sink and the flat activity records it is given.
template <typename Parse>
std::optional<json> ReadStreamed(EnterpriseReader& x, Parse&& parse, absl::Status& syntax) {
  std::vector<std::string> before_sources;  // top-level keys read before the first source
  std::size_t streamed = 0;
  internal::FlatRecords activity("activity", kActivityFields);
  auto parsed = parse(
      [&](std::size_t i, json&& source, const json& root) {
        if (streamed++ == 0) {
          x.Header(root);
          for (auto it = root.begin(); it != root.end(); ++it) before_sources.push_back(it.key());
        }
        x.Source(source, i, &activity);
      },
      &activity);
  if (!parsed.ok()) {
    syntax = parsed.status();
    return std::nullopt;
  }
  if (streamed == 0) return std::nullopt;  // nothing was handed over: read whole
  for (auto it = parsed->begin(); it != parsed->end(); ++it) {
    const std::string& k = it.key();
    if (k != "sources" && k != "production" && k != "energy_balances" && k != "cleaner_production" &&
        std::find(before_sources.begin(), before_sources.end(), k) == before_sources.end()) {
      return std::nullopt;
    }
  }
  if (!x.r.errors.empty()) return std::nullopt;
  return *std::move(parsed);
}

// A large document read in runs of its sources on several threads (internal::CutArrayMember): run 0
// is the document with the later runs' sources left out, each later run its own sources after its own
// read of the header. The sources are then joined in document order. nullopt when the document is
// not cut or anything is wrong anywhere (a problem, a source id repeated across runs): the one-thread
// read then gives exactly the result and the problems it always gave, whatever the cut.
std::optional<Enterprise> ReadInRuns(std::string_view text, unsigned threads) {
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  const std::size_t parts =
      std::min<std::size_t>(threads, text.size() / std::max<std::size_t>(1, internal::BytesPerRunForTesting()));
  if (parts < 2) return std::nullopt;
  const auto cuts = internal::CutArrayMember(text, "sources", parts);
  if (!cuts) return std::nullopt;
  const std::size_t later = cuts->starts.size();
  std::vector<EnterpriseReader> readers(later + 1);
  std::vector<char> ok(later + 1, 0);
  std::optional<json> first_root;
  const auto sink_to = [](EnterpriseReader& x, internal::FlatRecords& activity) {
    return [&x, &activity](std::size_t i, json&& source, const json&) { x.Source(source, i, &activity); };
  };
  internal::RunTasks(static_cast<unsigned>(later + 1), later + 1, [&](std::size_t k) {
    EnterpriseReader& x = readers[k];
    absl::Status syntax;
    if (k == 0) {
      const internal::JsonPieces run = {text.substr(0, cuts->commas[0]), text.substr(cuts->close)};
      first_root = ReadStreamed(
          x,
          [&](const auto& sink, internal::FlatRecords* flat) {
            return internal::ParseJsonStreaming(run, kWhat, "sources", sink, flat);
          },
          syntax);
      ok[0] = first_root.has_value();
      return;
    }
    // The header as run 0 reads it: the text before the array, the array closed empty.
    const internal::JsonPieces head = {text.substr(0, cuts->open + 1), "]}"};
    const auto root = internal::ParseJsonStreaming(head, kWhat, "sources", [](std::size_t, json&&, const json&) {});
    if (!root.ok()) return;
    x.Header(*root);
    const std::size_t end = k < later ? cuts->commas[k] : cuts->close;
    const internal::JsonPieces run = {"[", text.substr(cuts->starts[k - 1], end - cuts->starts[k - 1]), "]"};
    internal::FlatRecords activity("activity", kActivityFields);
    ok[k] = internal::ParseJsonArrayStreaming(run, kWhat, sink_to(x, activity), &activity).ok() && x.r.errors.empty();
  });
  if (std::find(ok.begin(), ok.end(), 0) != ok.end()) return std::nullopt;
  EnterpriseReader& x = readers[0];
  std::size_t total = x.e.sources.size();
  for (std::size_t k = 1; k <= later; ++k) total += readers[k].e.sources.size();
  internal::ReserveHuge(x.e.sources, total);
  for (std::size_t k = 1; k <= later; ++k) {
    for (auto& src : readers[k].e.sources) {
      if (!x.Adopt(std::move(src))) return std::nullopt;  // an id repeated across runs
    }
  }
  x.Rest(*first_root);
  if (!x.r.errors.empty()) return std::nullopt;
  internal::DocumentsReadInRunsForTesting().fetch_add(1, std::memory_order_relaxed);
  return std::move(x.e);
}

}  // namespace

// Each source is read as soon as the parser completes it and its DOM is dropped: the DOM of a whole
// document of 10⁵ sources × 12 months took about 700 MB and a third of the time (docs/performance.md).
// This needs the sections the sources depend on (schema, enterprise, facilities) before "sources",
// as ToJson writes them. A document in another order, or with problems, is read again as a whole
// DOM, so that the result and the list of problems are those of ReadWhole in every case. A large
// document is read in runs on several threads first (ReadInRuns), with the same result.
absl::StatusOr<Enterprise> Enterprise::FromJson(std::string_view json_text, unsigned threads) {
  if (auto e = ReadInRuns(json_text, threads)) return *std::move(e);
  EnterpriseReader x;
  absl::Status syntax;
  auto root = ReadStreamed(
      x,
      [&](const auto& sink, internal::FlatRecords* flat) {
        return internal::ParseJsonStreaming(json_text, kWhat, "sources", sink, flat);
      },
      syntax);
  if (!syntax.ok()) return syntax;
  if (root) {
    x.Rest(*root);
    if (x.r.errors.empty()) return x.Finish();
  }
  auto doc = internal::ParseJsonObject(json_text, kWhat);
  if (!doc.ok()) return doc.status();
  return ReadWhole(*doc);
}

std::string Enterprise::ToJson() const {
  auto quantity = [](json& j, const GivenQuantity& q) {
    j["value"] = q.value;
    j["unit"] = q.unit_text;
  };
  const bool needs_2 = !audits.empty() || std::any_of(facilities.begin(), facilities.end(),
                                                      [](const Facility& f) { return f.allocation.has_value(); });
  json doc = {{"schema", std::string(needs_2 ? kSchema2 : kSchema)}};
  json ent = {{"name", name}, {"year", year}};
  if (!uscc.empty()) ent["uscc"] = uscc;
  if (!industry.empty()) ent["industry"] = industry;
  if (!region.empty()) ent["region"] = region;
  doc["enterprise"] = ent;
  if (!facilities.empty()) {
    json arr = json::array();
    for (const auto& f : facilities) {
      json j = {{"id", f.id}};
      if (!f.name.empty()) j["name"] = f.name;
      if (!f.type.empty()) j["type"] = f.type;
      if (f.capacity) quantity(j["capacity"], *f.capacity);
      if (f.allocation) j["allocation"] = internal::AllocationDataToJson(*f.allocation);
      arr.push_back(j);
    }
    doc["facilities"] = arr;
  }
  json sources_j = json::array();
  for (const auto& s : sources) {
    json j = {{"id", s.id}, {"kind", std::string(SourceKindName(s.kind))}};
    if (!s.name.empty()) j["name"] = s.name;
    if (!s.facility.empty()) j["facility"] = s.facility;
    if (!s.carrier.empty()) j["carrier"] = s.carrier;
    if (!s.material.empty()) j["material"] = s.material;
    if (!s.method.empty()) j["method"] = s.method;
    if (!s.calculation.empty()) j["calculation"] = s.calculation;
    if (s.sector) j["sector"] = std::string(CombustionSectorName(*s.sector));
    if (s.scope3) {
      j["scope3_category"] = s.scope3->ghg_category;
      j["iso_category"] = s.scope3->iso_category;
    }
    if (!s.factors.empty()) {
      json f = json::object();
      for (const auto& [factor_name, sf] : s.factors) {
        json fj;
        quantity(fj, sf.quantity);
        fj["source"] = sf.source;
        if (sf.uncertainty_pct) fj["uncertainty_pct"] = *sf.uncertainty_pct;
        f[std::string(ParameterName(factor_name))] = fj;
      }
      j["factors"] = f;
    }
    json acts = json::array();
    for (const auto& a : s.activity) {
      json aj = {{"period", a.period}};
      quantity(aj, a.quantity);
      aj["data_source"] = std::string(DataSourceName(a.data_source));
      if (a.uncertainty_pct) aj["uncertainty_pct"] = *a.uncertainty_pct;
      if (!a.measured.empty()) {
        json m = json::object();
        for (const auto& [param_name, mp] : a.measured) {
          json mj;
          quantity(mj, mp.quantity);
          if (!mp.basis.empty()) mj["basis"] = mp.basis;
          if (mp.moisture_ar_pct) mj["moisture_ar_pct"] = *mp.moisture_ar_pct;
          if (mp.moisture_ad_pct) mj["moisture_ad_pct"] = *mp.moisture_ad_pct;
          if (!mp.source.empty()) mj["source"] = mp.source;
          if (mp.uncertainty_pct) mj["uncertainty_pct"] = *mp.uncertainty_pct;
          m[std::string(ParameterName(param_name))] = mj;
        }
        aj["measured"] = m;
      }
      acts.push_back(aj);
    }
    j["activity"] = acts;
    sources_j.push_back(j);
  }
  doc["sources"] = sources_j;
  if (!production.empty()) {
    json arr = json::array();
    for (const auto& p : production) {
      json j = {{"product", p.product}, {"period", p.period}};
      quantity(j, p.quantity);
      if (p.sales) quantity(j["sales"], *p.sales);
      if (p.opening_stock) quantity(j["opening_stock"], *p.opening_stock);
      if (p.closing_stock) quantity(j["closing_stock"], *p.closing_stock);
      arr.push_back(j);
    }
    doc["production"] = arr;
  }
  if (!energy_balances.empty()) doc["energy_balances"] = internal::EnergyBalancesToJson(energy_balances);
  if (!audits.empty()) doc["cleaner_production"] = internal::AuditsToJson(audits);
  return doc.dump(1);
}

}  // namespace cmrv
