// carbonmrv — carrier catalogue and emission-factor datasets with provenance and explained selection.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// Every factor value is a row of a versioned dataset (document, version, table, row, unit, basis,
// region, validity years, confidence of the transcription); every dataset has a SHA-256 of its
// content. Built-in datasets are compiled in from data/; users load their own (CSV) and override
// single values. Lookup returns the value *and* why it was chosen.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carbonmrv/vocabulary.hpp"

namespace cmrv {

/// An energy carrier (fuel, electricity, heat) with its stable id.
struct Carrier {
  std::string id;  ///< snake_case English, e.g. "bituminous_coal"
  std::string name_en;
  std::string name_zh;               ///< e.g. "烟煤"; may be empty
  std::vector<std::string> aliases;  ///< IPCC / EPA names and Chinese synonyms
  std::string carrier_class;         ///< solid|liquid|gas|biomass_*|waste|electricity|heat
  std::string state;
  std::string default_unit;
};

/// The built-in carrier catalogue (data/carriers.csv). Immutable; safe to share between threads.
class CarrierCatalogue {
 public:
  static const CarrierCatalogue& Builtin();
  const std::vector<Carrier>& carriers() const { return carriers_; }
  /// By id, English or Chinese name, or alias (exact match); nullptr if none.
  const Carrier* Find(std::string_view name) const;
  /// Like Find, but an unknown name is an error naming the nearest ids.
  absl::StatusOr<const Carrier*> Resolve(std::string_view name) const;

 private:
  std::vector<Carrier> carriers_;
};

/// Dataset classes in default precedence order: measured > user > national > regulatory > ipcc.
enum class DatasetClass : int32_t { kMeasured = 0, kUser = 1, kNational = 2, kRegulatory = 3, kIpcc = 4 };
std::string_view DatasetClassName(DatasetClass c);

struct DatasetInfo {
  std::string id;
  std::string title;
  std::string document;  ///< document, version/date, tables
  std::string publisher;
  std::string published;
  std::string region;
  std::string basis;
  DatasetClass dataset_class = DatasetClass::kUser;
  std::string sha256;  ///< of the dataset's file content
  std::string source;  ///< "data/factors/x.csv" (built-in) or the name given when loading
  bool builtin = false;
  std::size_t record_count = 0;
  /// "# selection: explicit": the values are one guideline's or one scheme's defaults (a sector
  /// guideline's fuel table, the ETS grid factor), used only when a preference names the dataset.
  bool explicit_only = false;
};

/// One published value.
struct FactorRecord {
  std::string dataset;
  std::string carrier;    ///< carrier id; empty for carrier-independent values (GWP)
  std::string parameter;  ///< ncv, hhv, carbon_content, oxidation, ef, ef_per_unit, gwp100, coal_equivalent
  std::string gas;        ///< co2, ch4, n2o, ch4_fossil, ... for ef/ef_per_unit/gwp100
  double value = 0;
  std::string unit;  ///< canonical unit symbol
  std::string basis;
  std::string region;  ///< "GLOBAL", a country ("CN", "US") or a subdivision ("CN-11")
  std::optional<int> year_from, year_to;
  std::string source_table, source_row;
  std::optional<double> lower, upper;
  std::string confidence;  ///< primary | secondary | ...
  std::string note;
  std::size_t line = 0;  ///< line in the dataset file
  /// The stationary-combustion sector (CombustionSectorName) a value is for, when the source table
  /// depends on it (IPCC 2006 Vol. 2 Tables 2.2-2.5); "" for a value of every sector.
  std::string sector{};
  /// Every transcription that prints this value ("owner/repo@commit:path" or a URL), " | "-separated.
  std::string sources{};
};

/// Confidence values that keep a record out of default selection: one transcription only
/// ("single_source"), transcriptions that disagree ("disputed") or none found ("unconfirmed"). Such a
/// record is chosen only when the query's preference names its dataset by id.
bool IsRestrictedConfidence(std::string_view confidence);

/// U (%) of a dataset value from its (lower, upper) range, read as the 95 % confidence interval (as
/// IPCC 2006 prints its defaults); Approach 1 is symmetric, so the wider side is taken. nullopt when
/// the record has no range (or its value is 0).
std::optional<double> RangeUncertaintyPct(const FactorRecord& record);

struct FactorQuery {
  std::string carrier;
  std::string parameter;
  std::string gas;
  std::string region;       ///< empty: any region, no preference
  std::optional<int> year;  ///< empty: any year, latest preferred
  /// Ordered preference: dataset ids and/or class tokens ("@measured", "@user", "@national",
  /// "@regulatory", "@ipcc"). Empty: every dataset, by class precedence.
  std::vector<std::string> preference;
  /// The stationary-combustion sector of the source (CombustionSectorName); "" when unknown, which
  /// makes sector-specific records ineligible (the four IPCC tables would otherwise be chosen
  /// arbitrarily).
  std::string sector{};
};

struct FactorSelection {
  FactorRecord record;
  DatasetInfo dataset;
  std::string rule;                     ///< why this candidate won
  std::vector<std::string> considered;  ///< every candidate, with why it lost or was ineligible
  /// Multi-line explanation: value, provenance with the transcriptions, rule, and the candidates
  /// (eligible ones all, ineligible ones up to `max_ineligible`).
  std::string Explain(std::size_t max_ineligible = 3) const;
  /// {"value", "unit", "record": {...}, "dataset": {...}, "rule", "considered": [...]}.
  std::string ToJson() const;
};

/// JSON of one record / one dataset description / a list of datasets (same field names as the
/// structs). Used by the C API, the CLI and inventory traces.
std::string ToJson(const FactorRecord& record);
std::string ToJson(const DatasetInfo& dataset);
std::string ToJson(const std::vector<DatasetInfo>& datasets);
std::string ToJson(const std::vector<FactorRecord>& records);
std::string ToJson(const std::vector<Carrier>& carriers);

/// Named policies → preference lists ("default", "china", "epa", "ipcc").
absl::StatusOr<std::vector<std::string>> PolicyPreference(std::string_view policy);
/// The text form every surface accepts: "policy:NAME", or comma-separated dataset ids and @class
/// tokens ("@measured,@user,epa_hub_2021"); "" is the default precedence (an empty list).
absl::StatusOr<std::vector<std::string>> ParsePreference(std::string_view text);

/// A set of datasets. Copyable value; const methods are safe to call from many threads.
class FactorCatalogue {
 public:
  /// The built-in datasets from data/factors/.
  static absl::StatusOr<FactorCatalogue> Builtin();
  /// An empty catalogue (for users who bring every dataset themselves).
  FactorCatalogue() = default;

  /// Loads a dataset from CSV text with "# id:", "# title:", "# document:" and "# class:" metadata
  /// lines. Every problem is reported at once, each with `source_name`, line and column.
  absl::Status LoadDataset(std::string_view csv_text, std::string_view source_name);

  /// Adds one value of class "measured" (e.g. a plant's lab NCV), which outranks every default.
  /// `record.dataset` names the measurement series (e.g. "plant-lab-2024"); source_table/row
  /// should name the lab report.
  absl::Status AddOverride(FactorRecord record);

  const std::vector<DatasetInfo>& datasets() const { return datasets_; }
  const DatasetInfo* FindDataset(std::string_view id) const;
  /// Records of one dataset in file order.
  std::vector<FactorRecord> Records(std::string_view dataset) const;
  const std::vector<FactorRecord>& AllRecords() const { return records_; }

  /// Selects one value with an explanation. Eligible: the dataset is in the preference, the region
  /// covers the query's, the validity years include the query's, the record's sector (if any) is the
  /// query's, and a restricted confidence (IsRestrictedConfidence) or an explicit-only dataset is
  /// named by dataset id. Rule:
  /// preference order (dataset list or class precedence) > region (exact > country > GLOBAL) > latest
  /// year_from not after the requested year > dataset id > line. Nothing eligible: kNotFound naming
  /// what was searched and why each candidate was excluded.
  absl::StatusOr<FactorSelection> Lookup(const FactorQuery& query) const;

 private:
  absl::Status AddDataset(DatasetInfo info, std::vector<FactorRecord> records);
  void AppendRecord(FactorRecord record);
  std::vector<DatasetInfo> datasets_;
  std::vector<FactorRecord> records_;
  /// (carrier, parameter, gas) → indices into records_ in file order, so that a lookup reads only its
  /// candidates (an inventory of 10^5 sources makes ~10^6 lookups over thousands of records).
  std::unordered_map<std::string, std::vector<std::size_t>> by_key_;
};

}  // namespace cmrv
