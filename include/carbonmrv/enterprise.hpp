// carbonmrv — the enterprise model: facilities, source streams, activity data with data quality,
// measured parameters per period, production output. One model for the carbon inventory and (later)
// the energy balance and the cross-checks.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// The exchange format is the JSON document "carbonmrv.enterprise/1" (docs/exchange-format.md,
// docs/schema/enterprise-1.schema.json). Parsing validates everything and reports *all* problems at
// once, each with its JSON path; a document that failed validation yields no Enterprise.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carbonmrv/units.hpp"

namespace cmrv {

/// GB 32100-2015 统一社会信用代码: 18 characters of 0-9 and A-Y without I, O, S, V, Z, with the check
/// digit of §5 (weights 3^(i-1) mod 31). Returns an error naming the problem.
absl::Status ValidateUscc(std::string_view code);

/// How an activity value was obtained (data-quality metadata).
enum class DataSource : int32_t { kMeter = 0, kInvoice, kStockTake, kEstimate, kDefault };
std::string_view DataSourceName(DataSource s);

/// A value with its unit as given in the document, kept for the trace; `unit` is parsed.
struct GivenQuantity {
  double value = 0;
  std::string unit_text;  ///< as written in the document
  Unit unit;              ///< parsed
};

/// A measured parameter (NCV, carbon content, oxidation, ...) for one period.
struct MeasuredParameter {
  GivenQuantity quantity;
  std::string basis;   ///< "as_received" | "air_dried" | "" (carbon content); "ncv" | "gcv"
  std::optional<double> moisture_ar_pct, moisture_ad_pct;  ///< for air-dried → as-received
  std::string source;  ///< lab report, sample id
};

struct ActivityRecord {
  std::string period;  ///< "2023" or "2023-07"
  GivenQuantity quantity;
  DataSource data_source = DataSource::kMeter;
  std::optional<double> uncertainty_pct;
  std::map<std::string, MeasuredParameter> measured;  ///< parameter name → value for this period
};

/// A factor stated in the document itself (a guideline default the reporter applies, a supplier's
/// contractual factor, ...), with its own provenance.
struct StatedFactor {
  GivenQuantity quantity;
  std::string source;  ///< document, table, row
};

enum class SourceKind : int32_t {
  kFuelCombustion = 0,
  kProcessGeneric,
  kCarbonate,
  kPurchasedElectricity,
  kPurchasedHeat,
  kExportedElectricity,
  kExportedHeat,
  kCo2Recovered,
  kBiomassCombustion,
  kClinker,       ///< cement clinker, CaO/MgO method with non-carbonate corrections
  kCarbonInput,   ///< carbon mass balance: a carbon-bearing input stream (coke, coal, ore, scrap ...)
  kCarbonOutput,  ///< carbon mass balance: a carbon-bearing output stream (steel, by-products, gas sold ...)
  kCems,          ///< CO2 measured by a continuous emission monitoring system, tCO2 per period
};
std::string_view SourceKindName(SourceKind k);

struct SourceStream {
  std::string id;
  std::string name;
  std::string facility;  ///< facility id or ""
  SourceKind kind = SourceKind::kFuelCombustion;
  std::string carrier;   ///< carrier id (resolved) for combustion, electricity, heat
  std::string material;  ///< carbonate formula (CaCO3, ...) for kCarbonate
  std::string method;    ///< "default_factor" | "measured_carbon" (combustion); "" otherwise
  /// kCems: id of the source whose calculation corroborates the measurement; that source's CO2 then
  /// becomes a memo (reported and compared, not counted twice).
  std::string calculation;
  std::vector<ActivityRecord> activity;
  /// Stated defaults and factors by parameter name: ncv, carbon_content, oxidation, ef_co2, ef_ch4,
  /// ef_n2o, purity, calcination, ef (process), grid_ef (electricity), market_ef, heat_ef,
  /// cao, cao_nc, mgo, mgo_nc (clinker oxide fractions and their non-carbonate parts).
  std::map<std::string, StatedFactor> factors;
};

struct Facility {
  std::string id;
  std::string name;
  std::string type;  ///< boiler, kiln, generating_unit, chp, ...
  std::optional<GivenQuantity> capacity;
};

struct ProductionRecord {
  std::string product;
  std::string period;
  GivenQuantity quantity;
};

struct Enterprise {
  std::string name;
  std::string uscc;      ///< 统一社会信用代码, validated
  std::string industry;  ///< GB/T 4754 code
  std::string region;    ///< "CN-37" (GB/T 2260 province) or other region code used by factor datasets
  int year = 0;          ///< reporting year
  std::vector<Facility> facilities;
  std::vector<SourceStream> sources;
  std::vector<ProductionRecord> production;

  /// Parses and validates a "carbonmrv.enterprise/1" document. All problems at once, each as
  /// "<json path>: <what is wrong and what was expected>", one per line.
  static absl::StatusOr<Enterprise> FromJson(std::string_view json_text);
  /// Serialises back to "carbonmrv.enterprise/1" (values and unit strings as given: lossless).
  std::string ToJson() const;
};

}  // namespace cmrv
