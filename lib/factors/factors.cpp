#include "carbonmrv/factors/factors.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "carbonmrv/status.hpp"
#include "carbonmrv/units/units.hpp"
#include "internal/csv.hpp"
#include "internal/embedded.hpp"
#include "internal/sha256.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find(sep, start);
    std::string_view part = s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

const internal::EmbeddedFile* Embedded(std::string_view path) {
  for (const auto& f : internal::EmbeddedFiles()) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Carriers
// ---------------------------------------------------------------------------------------------

const CarrierCatalogue& CarrierCatalogue::Builtin() {
  static const CarrierCatalogue catalogue = [] {
    CarrierCatalogue c;
    const auto* file = Embedded("data/carriers.csv");
    auto table = internal::ParseCsv(file->content, file->path);
    // The built-in file is checked by the test suite; a failure here is a build defect.
    if (!table.ok()) return c;
    auto col = [&](std::string_view name) { return static_cast<std::size_t>(table->Column(name)); };
    for (const auto& row : table->rows) {
      Carrier carrier;
      carrier.id = row[col("id")];
      carrier.name_en = row[col("name_en")];
      carrier.name_zh = row[col("name_zh")];
      carrier.aliases = Split(row[col("aliases")], ';');
      carrier.carrier_class = row[col("class")];
      carrier.state = row[col("state")];
      carrier.default_unit = row[col("default_unit")];
      c.carriers_.push_back(std::move(carrier));
    }
    return c;
  }();
  return catalogue;
}

const Carrier* CarrierCatalogue::Find(std::string_view name) const {
  for (const auto& c : carriers_) {
    if (c.id == name || c.name_en == name || (!c.name_zh.empty() && c.name_zh == name)) return &c;
  }
  for (const auto& c : carriers_) {
    if (std::find(c.aliases.begin(), c.aliases.end(), name) != c.aliases.end()) return &c;
  }
  return nullptr;
}

absl::StatusOr<const Carrier*> CarrierCatalogue::Resolve(std::string_view name) const {
  if (const auto* c = Find(name)) return c;
  std::vector<std::pair<std::size_t, std::string>> scored;
  if (name.size() <= internal::kMaxSuggestBytes) {
    for (const auto& c : carriers_) scored.emplace_back(internal::EditDistance(name, c.id), c.id);
  }
  std::sort(scored.begin(), scored.end());
  std::string hint;
  if (!scored.empty() && scored[0].first <= std::max<std::size_t>(2, name.size() / 3)) {
    hint = StrCat("; did you mean \"", scored[0].second, "\"?");
  }
  return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kUnknownCarrier,
                   StrCat("unknown carrier \"", name, "\"", hint));
}

// ---------------------------------------------------------------------------------------------
// Datasets
// ---------------------------------------------------------------------------------------------

std::string_view DatasetClassName(DatasetClass c) {
  switch (c) {
    case DatasetClass::kMeasured: return "measured";
    case DatasetClass::kUser: return "user";
    case DatasetClass::kNational: return "national";
    case DatasetClass::kRegulatory: return "regulatory";
    case DatasetClass::kIpcc: return "ipcc";
  }
  return "unknown";
}

namespace {

std::optional<DatasetClass> ParseClass(std::string_view s) {
  for (auto c : {DatasetClass::kMeasured, DatasetClass::kUser, DatasetClass::kNational, DatasetClass::kRegulatory,
                 DatasetClass::kIpcc}) {
    if (DatasetClassName(c) == s) return c;
  }
  return std::nullopt;
}

// Which kind a parameter's unit must have; `gas` picks the emission axis.
std::optional<Axis> GasAxis(std::string_view gas) {
  if (gas == "co2") return Axis::kCO2;
  if (gas == "ch4" || gas == "ch4_fossil" || gas == "ch4_non_fossil") return Axis::kCH4;
  if (gas == "n2o") return Axis::kN2O;
  return std::nullopt;
}

bool IsActivityKind(const Kind& k) {
  for (Axis a : {Axis::kMass, Axis::kVolume, Axis::kGasVolumeNormal, Axis::kGasVolumeScf60, Axis::kEnergy}) {
    if (k == Kind::Of(a)) return true;
  }
  return false;
}

// Returns an empty string if `unit` suits the parameter, else what was expected.
std::string CheckParameterUnit(std::string_view parameter, std::string_view gas, const Unit& unit) {
  const Kind& k = unit.kind();
  const Kind energy = Kind::Of(Axis::kEnergy);
  auto per = [&](const Kind& numerator) { return IsActivityKind(numerator / k) && !(numerator / k == numerator); };
  if (parameter == "ncv" || parameter == "hhv" || parameter == "coal_equivalent") {
    if (per(energy) && !(energy / k == energy)) return "";
    return "energy per fuel quantity (e.g. GJ/t, MJ/Nm3, MMBtu/short_ton, kgce/kg)";
  }
  if (parameter == "carbon_content") {
    if (k == Kind::Of(Axis::kCarbon) / energy || k == Kind::Of(Axis::kCarbon) / Kind::Of(Axis::kMass)) return "";
    return "carbon per energy or per mass (e.g. tC/TJ, tC/t)";
  }
  if (parameter == "oxidation") return k.IsDimensionless() ? "" : "a dimensionless fraction (1 or %)";
  const bool grid = parameter == "grid_ef" || parameter == "grid_ef_residual" || parameter == "grid_ef_fossil";
  if (grid) {
    return gas == "co2" && k == Kind::Of(Axis::kCO2) / energy ? "" : "gas co2 and CO2 per energy (e.g. kgCO2/kWh)";
  }
  if (parameter == "gwp100" && ParseFluorinatedGas(gas).ok()) {
    // An F-gas mass is a plain mass (no axis per species): its GWP is CO2e per tonne of the species.
    return k == Kind::Of(Axis::kCO2e) / Kind::Of(Axis::kMass) ? "" : "CO2e per mass of the species (tCO2e/t)";
  }
  if (parameter == "ef" || parameter == "ef_per_unit" || parameter == "gwp100") {
    auto axis = GasAxis(gas);
    if (!axis) return "a gas column of co2, ch4, ch4_fossil, ch4_non_fossil or n2o";
    if (parameter == "gwp100") {
      return k == Kind::Of(Axis::kCO2e) / Kind::Of(*axis) ? "" : "CO2e per mass of the gas (e.g. tCO2e/tCH4)";
    }
    const Kind gas_kind = Kind::Of(*axis);
    if (parameter == "ef") return k == gas_kind / energy ? "" : "gas mass per energy (e.g. tCO2/TJ, kgCO2/MMBtu)";
    Kind activity = gas_kind / k;
    return IsActivityKind(activity) && !(activity == energy) ? "" : "gas mass per fuel quantity (e.g. kgCO2/short_ton)";
  }
  return "a known parameter (ncv, hhv, carbon_content, oxidation, ef, ef_per_unit, gwp100, coal_equivalent, "
         "grid_ef, grid_ef_residual, grid_ef_fossil)";
}

// Empty when `value` (in `unit`) is in the parameter's physical domain, else why not. A negative
// factor or heating value turned inventory totals negative with every surface exiting 0. Zero is
// refused where it cannot be a measurement (a heating value, a carbon content, a GWP); emission
// factors may be 0 (a zero-emission supplier's grid_ef, a gas a fuel does not emit).
std::string CheckParameterValue(std::string_view parameter, double value, const Unit& unit) {
  if (value < 0) return StrCat(value, " is negative; a ", parameter, " cannot be");
  const bool positive = parameter == "ncv" || parameter == "hhv" || parameter == "coal_equivalent" ||
                        parameter == "carbon_content" || parameter == "gwp100" || parameter == "oxidation";
  if (positive && value == 0) return StrCat("0 is not a ", parameter, "; expected a value > 0");
  if (parameter == "oxidation") {
    auto fraction = Convert(value, unit.symbol(), "1");
    if (fraction.ok() && *fraction > 1) return StrCat(value, " ", unit.symbol(), " is above 100 %");
  }
  return "";
}

std::optional<double> ParseNumber(const std::string& s) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<int> ParseYear(const std::string& s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 1900 || v > 2200) return std::nullopt;
  return v;
}

}  // namespace

absl::Status FactorCatalogue::LoadDataset(std::string_view csv_text, std::string_view source_name) {
  auto table = internal::ParseCsv(csv_text, source_name);
  if (!table.ok()) {
    return MakeError(table.status().code(), ErrorDetail::kInvalidDataset, std::string(table.status().message()));
  }
  std::vector<std::string> errors;
  auto meta = [&](const char* key) -> std::string {
    auto it = table->metadata.find(key);
    return it == table->metadata.end() ? "" : it->second;
  };
  DatasetInfo info;
  info.id = meta("id");
  info.title = meta("title");
  info.document = meta("document");
  info.publisher = meta("publisher");
  info.published = meta("published");
  info.region = meta("region");
  info.basis = meta("basis");
  info.source = std::string(source_name);
  info.sha256 = internal::Sha256Hex(csv_text);
  if (const std::string selection = meta("selection"); selection == "explicit") {
    info.explicit_only = true;
  } else if (!selection.empty()) {
    errors.push_back(StrCat(source_name, ": selection \"", selection, "\" is not \"explicit\" (or absent)"));
  }
  for (const char* key : {"id", "title", "document", "class"}) {
    if (meta(key).empty()) errors.push_back(StrCat(source_name, ": missing metadata line \"# ", key, ": ...\""));
  }
  if (!meta("class").empty()) {
    auto cls = ParseClass(meta("class"));
    if (!cls) {
      errors.push_back(StrCat(source_name, ": class \"", meta("class"),
                              "\" is not one of measured, user, national, regulatory, ipcc"));
    } else {
      info.dataset_class = *cls;
    }
  }
  static const char* kRequired[] = {"carrier", "parameter", "value", "unit", "source_table", "source_row"};
  for (const char* col : kRequired) {
    if (table->Column(col) < 0) errors.push_back(StrCat(source_name, ": missing column \"", col, "\""));
  }
  if (!errors.empty()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidDataset, internal::StrJoin(errors, "\n"));
  }
  auto get = [&](const std::vector<std::string>& row, const char* col) -> std::string {
    int i = table->Column(col);
    return i < 0 ? "" : row[static_cast<std::size_t>(i)];
  };
  const auto& carriers = CarrierCatalogue::Builtin();
  std::vector<FactorRecord> records;
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>, std::size_t> seen;
  for (std::size_t r = 0; r < table->rows.size(); ++r) {
    const auto& row = table->rows[r];
    const std::size_t line = table->lines[r];
    auto where = [&](const char* col) { return StrCat(source_name, ":", line, ": column \"", col, "\": "); };
    FactorRecord rec;
    rec.dataset = info.id;
    rec.line = line;
    rec.carrier = get(row, "carrier");
    rec.parameter = get(row, "parameter");
    rec.gas = get(row, "gas");
    rec.basis = get(row, "basis");
    rec.region = get(row, "region").empty() ? (info.region.empty() ? "GLOBAL" : info.region) : get(row, "region");
    rec.source_table = get(row, "source_table");
    rec.source_row = get(row, "source_row");
    rec.confidence = get(row, "confidence");
    rec.note = get(row, "note");
    rec.sector = get(row, "sector");
    rec.sources = get(row, "sources");
    if (!rec.sector.empty()) {
      if (auto sector = ParseCombustionSector(rec.sector); !sector.ok()) {
        errors.push_back(StrCat(where("sector"), std::string(sector.status().message())));
      }
    }
    if (!rec.carrier.empty()) {
      if (const auto* c = carriers.Find(rec.carrier)) {
        rec.carrier = c->id;
      } else {
        errors.push_back(StrCat(where("carrier"), std::string(carriers.Resolve(rec.carrier).status().message())));
      }
    }
    auto value = ParseNumber(get(row, "value"));
    if (!value) {
      errors.push_back(StrCat(where("value"), "\"", get(row, "value"), "\" is not a number"));
    } else if (!std::isfinite(*value)) {
      errors.push_back(StrCat(where("value"), "\"", get(row, "value"), "\" is not finite"));
    } else {
      rec.value = *value;
    }
    auto unit = Unit::Parse(get(row, "unit"));
    if (!unit.ok()) {
      errors.push_back(StrCat(where("unit"), std::string(unit.status().message())));
    } else {
      rec.unit = unit->symbol();
      std::string expected = CheckParameterUnit(rec.parameter, rec.gas, *unit);
      if (!expected.empty()) {
        errors.push_back(StrCat(where("unit"), "\"", get(row, "unit"), "\" (", unit->kind().Describe(),
                                ") does not fit parameter \"", rec.parameter, "\"; expected ", expected));
      } else if (value) {
        if (std::string why = CheckParameterValue(rec.parameter, *value, *unit); !why.empty()) {
          errors.push_back(StrCat(where("value"), why));
        }
      }
    }
    for (const char* col : {"lower", "upper"}) {
      std::string text = get(row, col);
      if (text.empty()) continue;
      auto v = ParseNumber(text);
      if (!v || !std::isfinite(*v)) {
        errors.push_back(StrCat(where(col), "\"", text, "\" is not a finite number"));
      } else {
        (std::string_view(col) == "lower" ? rec.lower : rec.upper) = *v;
      }
    }
    for (const char* col : {"year_from", "year_to"}) {
      std::string text = get(row, col);
      if (text.empty()) continue;
      auto y = ParseYear(text);
      if (!y) {
        errors.push_back(StrCat(where(col), "\"", text, "\" is not a year (1900-2200)"));
      } else {
        (std::string_view(col) == "year_from" ? rec.year_from : rec.year_to) = *y;
      }
    }
    if (rec.source_table.empty() || rec.source_row.empty()) {
      errors.push_back(StrCat(where(rec.source_table.empty() ? "source_table" : "source_row"),
                              "every value must name its source table and row"));
    }
    auto key = std::make_tuple(rec.carrier, rec.parameter, rec.gas, rec.region,
                               rec.year_from ? StrCat(*rec.year_from) : std::string(), rec.sector);
    if (auto [it, inserted] = seen.emplace(key, line); !inserted) {
      errors.push_back(StrCat(source_name, ":", line, ": duplicate key (carrier \"", rec.carrier, "\", parameter \"",
                              rec.parameter, "\", gas \"", rec.gas, "\", region \"", rec.region,
                              "\", year_from, sector) of line ", it->second));
    }
    records.push_back(std::move(rec));
  }
  if (!errors.empty()) {
    const std::size_t shown = std::min<std::size_t>(errors.size(), 50);
    std::vector<std::string> head(errors.begin(), errors.begin() + static_cast<std::ptrdiff_t>(shown));
    std::string message = internal::StrJoin(head, "\n");
    if (shown < errors.size()) message += StrCat("\n... and ", errors.size() - shown, " more");
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidDataset,
                     StrCat(errors.size(), " problem(s) in dataset ", source_name, ":\n", message));
  }
  return AddDataset(std::move(info), std::move(records));
}

absl::Status FactorCatalogue::AddDataset(DatasetInfo info, std::vector<FactorRecord> records) {
  if (FindDataset(info.id) != nullptr) {
    return MakeError(absl::StatusCode::kAlreadyExists, ErrorDetail::kDuplicateDataset,
                     StrCat("dataset \"", info.id, "\" is already loaded (from ", FindDataset(info.id)->source, ")"));
  }
  info.record_count = records.size();
  datasets_.push_back(std::move(info));
  for (auto& r : records) AppendRecord(std::move(r));
  return absl::OkStatus();
}

namespace {
std::string RecordKey(std::string_view carrier, std::string_view parameter, std::string_view gas) {
  return StrCat(carrier, "\x1f", parameter, "\x1f", gas);
}
}  // namespace

void FactorCatalogue::AppendRecord(FactorRecord record) {
  by_key_[RecordKey(record.carrier, record.parameter, record.gas)].push_back(records_.size());
  records_.push_back(std::move(record));
}

absl::Status FactorCatalogue::AddOverride(FactorRecord record) {
  if (record.dataset.empty()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     "override: dataset (the measurement series, e.g. \"plant-lab-2024\") is empty");
  }
  if (!std::isfinite(record.value)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kNonFiniteValue, "override: value is not finite");
  }
  auto unit = Unit::Parse(record.unit);
  if (!unit.ok()) return WithContext(unit.status(), "override: unit");
  std::string expected = CheckParameterUnit(record.parameter, record.gas, *unit);
  if (!expected.empty()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
                     StrCat("override: unit \"", record.unit, "\" does not fit parameter \"", record.parameter,
                            "\"; expected ", expected));
  }
  if (std::string why = CheckParameterValue(record.parameter, record.value, *unit); !why.empty()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat("override: value: ", why));
  }
  for (const std::string* text : {&record.dataset, &record.carrier, &record.parameter, &record.gas, &record.region,
                                  &record.source_table, &record.source_row, &record.note}) {
    if (!internal::ValidUtf8(*text)) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       "override: a text field is not valid UTF-8");
    }
  }
  record.unit = unit->symbol();
  if (!record.carrier.empty()) {
    auto c = CarrierCatalogue::Builtin().Resolve(record.carrier);
    if (!c.ok()) return WithContext(c.status(), "override: carrier");
    record.carrier = (*c)->id;
  }
  if (record.region.empty()) record.region = "GLOBAL";
  const DatasetInfo* existing = FindDataset(record.dataset);
  if (existing == nullptr) {
    DatasetInfo info;
    info.id = record.dataset;
    info.title = "measured values";
    info.document = record.source_table;
    info.dataset_class = DatasetClass::kMeasured;
    info.source = "override";
    datasets_.push_back(std::move(info));
    existing = &datasets_.back();
  } else if (existing->dataset_class != DatasetClass::kMeasured) {
    return MakeError(absl::StatusCode::kAlreadyExists, ErrorDetail::kDuplicateDataset,
                     StrCat("override: dataset \"", record.dataset, "\" exists and is not a measured series"));
  }
  const std::string id = record.dataset;
  bool replaced = false;
  for (auto& r : records_) {
    if (r.dataset == record.dataset && r.carrier == record.carrier && r.parameter == record.parameter &&
        r.gas == record.gas && r.region == record.region && r.year_from == record.year_from) {
      r = record;  // a new measurement of the same key replaces the old one
      replaced = true;
      break;
    }
  }
  if (!replaced) {
    record.line = 0;
    AppendRecord(std::move(record));
  }
  // The content hash of a measured series covers every value and where it came from, so a replaced
  // value changes the SHA-256 that traces cite.
  for (auto& d : datasets_) {
    if (d.id != id) continue;
    std::string content;
    std::size_t count = 0;
    for (const auto& r : records_) {
      if (r.dataset != id) continue;
      ++count;
      content += StrCat(r.carrier, ",", r.parameter, ",", r.gas, ",", r.value, ",", r.unit, ",", r.region, ",",
                        r.year_from.value_or(0), ",", r.source_table, ",", r.source_row, "\n");
    }
    d.record_count = count;
    d.sha256 = internal::Sha256Hex(content);
  }
  return absl::OkStatus();
}

const DatasetInfo* FactorCatalogue::FindDataset(std::string_view id) const {
  for (const auto& d : datasets_) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

std::vector<FactorRecord> FactorCatalogue::Records(std::string_view dataset) const {
  std::vector<FactorRecord> out;
  for (const auto& r : records_) {
    if (r.dataset == dataset) out.push_back(r);
  }
  return out;
}

absl::StatusOr<FactorCatalogue> FactorCatalogue::Builtin() {
  FactorCatalogue c;
  for (const auto& f : internal::EmbeddedFiles()) {
    if (!f.path.starts_with("data/factors/")) continue;
    auto st = c.LoadDataset(f.content, f.path);
    if (!st.ok()) return WithContext(st, "built-in dataset");
    c.datasets_.back().builtin = true;
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Selection
// ---------------------------------------------------------------------------------------------

absl::StatusOr<std::vector<std::string>> PolicyPreference(std::string_view policy) {
  if (policy == "default") return std::vector<std::string>{"@measured", "@user", "@national", "@regulatory", "@ipcc"};
  if (policy == "china") return std::vector<std::string>{"@measured", "@user", "@national", "@ipcc"};
  if (policy == "epa") return std::vector<std::string>{"@measured", "@user", "epa_hub_2021"};
  if (policy == "ipcc") return std::vector<std::string>{"@measured", "@user", "@ipcc"};
  // China's national ETS: its grid factor for the accounting year, then the national defaults.
  if (policy == "cn_ets") {
    return std::vector<std::string>{"@measured", "@user", "cn_ets_grid", "@national", "@ipcc"};
  }
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                   StrCat("unknown policy \"", policy, "\"; known: default, china, cn_ets, epa, ipcc"));
}

absl::StatusOr<std::vector<std::string>> ParsePreference(std::string_view text) {
  if (text.starts_with("policy:")) return PolicyPreference(text.substr(7));
  return Split(text, ',');
}

namespace {

// 0 exact, 1 same country, 2 GLOBAL; nullopt if not applicable to the requested region.
std::optional<int> RegionRank(std::string_view requested, std::string_view record) {
  if (requested.empty()) return 0;
  if (record == requested) return 0;
  auto country = requested.substr(0, requested.find('-'));
  if (record == country) return 1;
  if (record == "GLOBAL") return 2;
  return std::nullopt;
}

std::string RecordRef(const FactorRecord& r) {
  return StrCat(r.dataset, " line ", r.line, " (", r.source_table, ", ", r.source_row, ")");
}

}  // namespace

absl::StatusOr<FactorSelection> FactorCatalogue::Lookup(const FactorQuery& query) const {
  std::vector<std::string> preference = query.preference;
  if (preference.empty()) preference = *PolicyPreference("default");
  for (const auto& p : preference) {
    if (p.starts_with("@") ? !ParseClass(std::string_view(p).substr(1)) : FindDataset(p) == nullptr) {
      return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kFactorNotFound,
                       StrCat("preference names \"", p,
                              "\", which is neither a loaded dataset nor a class token "
                              "(@measured, @user, @national, @regulatory, @ipcc)"));
    }
  }
  if (!query.sector.empty()) {
    if (auto sector = ParseCombustionSector(query.sector); !sector.ok()) return sector.status();
  }
  std::string carrier = query.carrier;
  if (!carrier.empty()) {
    auto c = CarrierCatalogue::Builtin().Resolve(carrier);
    if (!c.ok()) return c.status();
    carrier = (*c)->id;
  }
  auto preference_rank = [&](const DatasetInfo& d) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < preference.size(); ++i) {
      const auto& p = preference[i];
      if (p == d.id) return i;
      if (p.starts_with("@") && DatasetClassName(d.dataset_class) == std::string_view(p).substr(1)) return i;
    }
    return std::nullopt;
  };
  auto id_rank = [&](const DatasetInfo& d) -> std::optional<std::size_t> {
    auto it = std::find(preference.begin(), preference.end(), d.id);
    if (it == preference.end()) return std::nullopt;
    return static_cast<std::size_t>(it - preference.begin());
  };
  struct Scored {
    std::tuple<std::size_t, int, int, std::string, std::size_t> key;
    const FactorRecord* record;
    const DatasetInfo* dataset;
  };
  std::vector<Scored> eligible;
  std::vector<std::string> considered;
  static const std::vector<std::size_t> kNone;
  const auto hit = by_key_.find(RecordKey(carrier, query.parameter, query.gas));
  for (const std::size_t i : hit == by_key_.end() ? kNone : hit->second) {
    const FactorRecord& r = records_[i];
    const DatasetInfo* d = FindDataset(r.dataset);
    // A restricted record ranks where its dataset is named; a class token does not admit it.
    const bool restricted = IsRestrictedConfidence(r.confidence) || d->explicit_only;
    auto pref = restricted ? id_rank(*d) : preference_rank(*d);
    auto region = RegionRank(query.region, r.region);
    bool year_ok =
        !query.year || ((!r.year_from || *r.year_from <= *query.year) && (!r.year_to || *query.year <= *r.year_to));
    if (restricted && !pref && preference_rank(*d)) {
      considered.push_back(StrCat(RecordRef(r), ": not eligible, ",
                                  d->explicit_only ? "an explicit-only dataset" : StrCat("confidence ", r.confidence),
                                  " (used only when the preference names dataset ", d->id, ")"));
    } else if (!r.sector.empty() && r.sector != query.sector) {
      considered.push_back(StrCat(RecordRef(r), ": not eligible, sector ", r.sector,
                                  query.sector.empty()
                                      ? " and the source's sector is not known (state the enterprise's "
                                        "industry or the source's sector)"
                                      : StrCat(", the source's is ", query.sector)));
    } else if (!pref) {
      considered.push_back(StrCat(RecordRef(r), ": not eligible, dataset not in the preference list"));
    } else if (!region) {
      considered.push_back(StrCat(RecordRef(r), ": not eligible, region ", r.region, " does not cover ", query.region));
    } else if (!year_ok) {
      considered.push_back(StrCat(RecordRef(r), ": not eligible, valid ", r.year_from ? StrCat(*r.year_from) : "", "-",
                                  r.year_to ? StrCat(*r.year_to) : "", " excludes ", *query.year));
    } else {
      // Latest year_from first; records without one rank as oldest.
      eligible.push_back({{*pref, *region, -(r.year_from.value_or(0)), r.dataset, r.line}, &r, d});
    }
  }
  if (eligible.empty()) {
    std::string searched =
        StrCat("carrier \"", carrier, "\", parameter \"", query.parameter, "\"",
               query.gas.empty() ? "" : StrCat(", gas \"", query.gas, "\""),
               query.region.empty() ? "" : StrCat(", region ", query.region),
               query.year ? StrCat(", year ", *query.year) : "", " in ", internal::StrJoin(preference, ", "));
    std::string why = considered.empty()
                          ? "no dataset has a value for it"
                          : StrCat("candidates were excluded:\n  ", internal::StrJoin(considered, "\n  "));
    return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kFactorNotFound,
                     StrCat("no factor for ", searched, "; ", why));
  }
  std::stable_sort(eligible.begin(), eligible.end(), [](const Scored& a, const Scored& b) { return a.key < b.key; });
  const Scored& win = eligible.front();
  FactorSelection sel;
  sel.record = *win.record;
  sel.dataset = *win.dataset;
  static const char* kRegion[] = {"exact region", "country of the requested region", "GLOBAL fallback"};
  sel.rule = StrCat("preference ", std::get<0>(win.key) + 1, " of ", preference.size(), " (\"",
                    preference[std::get<0>(win.key)], "\", class ", DatasetClassName(win.dataset->dataset_class), "); ",
                    query.region.empty() ? "no region requested" : kRegion[std::get<1>(win.key)], "; ",
                    win.record->year_from ? StrCat("valid from ", *win.record->year_from) : "no validity year",
                    query.year ? StrCat(" (requested ", *query.year, ")") : "",
                    win.record->sector.empty() ? "" : StrCat("; sector ", win.record->sector));
  for (std::size_t i = 1; i < eligible.size(); ++i) {
    const auto& e = eligible[i];
    const char* why = std::get<0>(e.key) != std::get<0>(win.key)   ? "lower preference"
                      : std::get<1>(e.key) != std::get<1>(win.key) ? "less specific region"
                      : std::get<2>(e.key) != std::get<2>(win.key) ? "older validity year"
                                                                   : "tie broken by dataset id and line";
    considered.push_back(StrCat(RecordRef(*e.record), ": eligible, lost (", why, ")"));
  }
  sel.considered = std::move(considered);
  return sel;
}

bool IsRestrictedConfidence(std::string_view confidence) {
  return confidence == "single_source" || confidence == "disputed" || confidence == "unconfirmed";
}

std::string FactorSelection::Explain(std::size_t max_ineligible) const {
  std::string out =
      StrCat(record.value, " ", record.unit, " — ", record.carrier.empty() ? "" : record.carrier + " ",
             record.parameter, record.gas.empty() ? "" : " " + record.gas, "\n  from ", dataset.id, " (", dataset.title,
             "; ", dataset.document, "), ", record.source_table, ", row \"", record.source_row, "\", line ",
             record.line, ", basis ", record.basis.empty() ? "-" : record.basis, ", region ", record.region,
             ", confidence ", record.confidence.empty() ? "-" : record.confidence,
             record.sector.empty() ? "" : StrCat(", sector ", record.sector), "\n  dataset sha256 ", dataset.sha256,
             record.sources.empty() ? "" : StrCat("\n  transcriptions: ", record.sources), "\n  chosen by: ", rule);
  // Eligible runners-up in full; ineligible candidates capped (ToJson() has them all).
  std::size_t ineligible = 0;
  for (const auto& c : considered) {
    if (c.find(": not eligible, ") != std::string::npos && ++ineligible > max_ineligible) continue;
    out += StrCat("\n  also considered: ", c);
  }
  if (ineligible > max_ineligible) {
    out += StrCat("\n  ... and ", ineligible - max_ineligible, " more not eligible (see the JSON form or --explain)");
  }
  return out;
}

std::optional<double> RangeUncertaintyPct(const FactorRecord& record) {
  if ((!record.lower && !record.upper) || record.value == 0) return std::nullopt;
  double half = 0;
  if (record.lower) half = std::max(half, std::abs(record.value - *record.lower));
  if (record.upper) half = std::max(half, std::abs(*record.upper - record.value));
  return half / std::abs(record.value) * 100.0;
}

}  // namespace cmrv
