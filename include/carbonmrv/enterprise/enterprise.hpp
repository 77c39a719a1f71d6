// carbonmrv — the enterprise model: facilities, source streams, activity data with data quality,
// measured parameters per period, production output, and the energy balance of each period. One model
// for the carbon inventory, the energy balance and the cross-checks.
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
#include "carbonmrv/enterprise/allocation_data.hpp"
#include "carbonmrv/enterprise/audit.hpp"
#include "carbonmrv/enterprise/parameters.hpp"
#include "carbonmrv/shared_text.hpp"
#include "carbonmrv/units/units.hpp"
#include "carbonmrv/vocabulary.hpp"

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
  /// As written in the document. A SharedText: the records of a document share a buffer per distinct
  /// text, as they share the parsed unit.
  SharedText unit_text;
  Unit unit;  ///< parsed
};

/// A measured parameter (NCV, carbon content, oxidation, ...) for one period.
struct MeasuredParameter {
  GivenQuantity quantity;
  std::string basis;  ///< "as_received" | "air_dried" | "" (carbon content); "ncv" | "gcv"
  std::optional<double> moisture_ar_pct, moisture_ad_pct;  ///< for air-dried → as-received
  std::string source;                                      ///< lab report, sample id
  /// Half-width of the 95 % confidence interval as a percentage of the value (IPCC 2006 Vol. 1
  /// Ch. 3 convention), for uncertainty propagation (uncertainty.hpp).
  std::optional<double> uncertainty_pct;
};

// 144 bytes a record (192 with the two texts as std::string): an enterprise of 10⁵ sources × 12 months
// holds 1.2·10⁶ of them.
struct ActivityRecord {
  SharedText period;  ///< "2023" or "2023-07"; one buffer per distinct period in a document read
  GivenQuantity quantity;
  DataSource data_source = DataSource::kMeter;
  std::optional<double> uncertainty_pct;
  std::map<Parameter, MeasuredParameter> measured;  ///< the period's measurements
};

/// A factor stated in the document itself (a guideline default the reporter applies, a supplier's
/// contractual factor, ...), with its own provenance.
struct StatedFactor {
  GivenQuantity quantity;
  std::string source;                     ///< document, table, row
  std::optional<double> uncertainty_pct;  ///< as MeasuredParameter::uncertainty_pct
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
  /// A fluorinated gas held in equipment (SF6 in switchgear, a refrigerant), by mass balance: the
  /// activity is the mass acquired in the period; `material` names the species.
  kFgasMassBalance,
};
std::string_view SourceKindName(SourceKind k);
/// The kind named `name` ("fuel_combustion", "process", ...); INVALID_ARGUMENT listing them otherwise.
absl::StatusOr<SourceKind> ParseSourceKind(std::string_view name);
/// The calculation methods of a combustion source, in the order error messages list them.
inline constexpr std::string_view kCombustionMethods[] = {"default_factor", "energy_ef", "measured_carbon"};
/// True for one of kCombustionMethods.
bool IsCombustionMethod(std::string_view method);
/// The carrier a source of `kind` has when the document names none: "electricity" for electricity,
/// "heat" for heat sources, "" otherwise (a fuel must be named).
std::string_view DefaultCarrier(SourceKind kind);
/// "" when an activity of kind `k` fits a source of `kind`; otherwise what the source needs ("energy
/// (MWh, GJ)"). The enterprise reader and the batch engine apply the same rule.
std::string ActivityUnitExpected(SourceKind kind, const Kind& k);

/// The IPCC stationary-combustion sector of an industry code (GB/T 4754-2017, e.g. "4411" or "C3011";
/// its division, the first two digits, decides): divisions 06, 07 (coal, oil and gas extraction), 25
/// (fuel processing), 44 (power and heat) and 45 (gas supply) are energy industries (1.A.1); 08-43
/// mining and manufacturing and 47-50 construction are 1.A.2; 01-05 agriculture, forestry and fishing
/// are 1.A.4.c (Table 2.5); 46 and 51-97 (water supply and services) are commercial/institutional
/// (1.A.4.a). The IPCC categories are as IPCC 2006 Vol. 2 Ch. 8 Table 8.2 defines them by ISIC Rev. 3
/// divisions. nullopt for an empty code or one without a division.
std::optional<CombustionSector> SectorOfIndustry(std::string_view industry);

/// A source of other indirect (scope 3) emissions: outsourced transport, business travel, ... Its lines
/// are computed by the source's kind with the same methods and trace, and reported under scope 3.
struct Scope3 {
  int ghg_category = 0;  ///< GHG Protocol Corporate Value Chain (Scope 3) Standard, categories 1-15
  int iso_category = 0;  ///< ISO 14064-1:2018 §5.2.4 indirect categories 3-6
};

struct SourceStream {
  std::string id;
  std::string name;
  std::string facility;  ///< facility id or ""
  SourceKind kind = SourceKind::kFuelCombustion;
  std::string carrier;  ///< carrier id (resolved) for combustion, electricity, heat
  std::string
      material;        ///< carbonate formula (CaCO3, ...) for kCarbonate; F-gas id (sf6, hfc_134a) for kFgasMassBalance
  std::string method;  ///< "default_factor" | "measured_carbon" (combustion); "" otherwise
  /// kCems: id of the source whose calculation corroborates the measurement; that source's CO2 then
  /// becomes a memo (reported and compared, not counted twice).
  std::string calculation;
  std::vector<ActivityRecord> activity;
  /// Stated defaults and factors (the parameters ParameterTable() allows for this kind).
  std::map<Parameter, StatedFactor> factors;
  /// Combustion: the sector whose IPCC CH4/N2O table applies, when the enterprise's industry does not
  /// give it (a boiler house of a steel works that heats offices is still 1.A.2) or to override it.
  std::optional<CombustionSector> sector;
  /// Set for a scope 3 source; its lines never count in scope 1 or 2.
  std::optional<Scope3> scope3;
};

struct Facility {
  std::string id;
  std::string name;
  std::string type;  ///< boiler, kiln, generating_unit, chp, ...
  std::optional<GivenQuantity> capacity;
  /// Allowance-allocation data (category, output by year; schema /2), market/allocation.hpp.
  std::optional<AllocationData> allocation;
};

struct ProductionRecord {
  std::string product;
  std::string period;
  GivenQuantity quantity;
  /// Optional sales and product stock of the period, same kind as `quantity` (cross-check X15).
  std::optional<GivenQuantity> sales, opening_stock, closing_stock;
};

// ---------------------------------------------------------------------------------------------
// Energy balance data (GB/T 3484-2009 enterprise energy balance; computed in energy_balance.hpp)
// ---------------------------------------------------------------------------------------------

/// A quantity of one carrier (a converter input, an end use, a loss ...).
struct BalanceFlow {
  std::string carrier;  ///< carrier id (resolved), declared in EnergyBalanceData::carriers
  GivenQuantity quantity;
};

/// One carrier of a period's balance: its column's physical unit, the purchase-and-storage link and
/// how it converts to standard coal. At most one of `ncv` and `coefficient` is given.
struct BalanceCarrier {
  std::string carrier;  ///< carrier id (resolved)
  std::string unit_text;
  Unit unit;  ///< the column's physical unit; every flow of this carrier converts to it
  std::optional<GivenQuantity> purchased, opening_stock, closing_stock, exported;
  /// The boundary (revenue) meter's reading of what came in, where it differs from the bill in
  /// `purchased` (cross-check X02: bill vs meter).
  std::optional<GivenQuantity> metered;
  std::optional<StatedFactor> ncv;          ///< measured net calorific value, energy per `unit`
  std::optional<StatedFactor> coefficient;  ///< stated 折标准煤系数, standard coal (an energy) per `unit`
};

/// A converter of the conversion link (boiler, CHP unit, coke oven, gas producer ...).
struct Converter {
  std::string id, name, type, facility;
  std::vector<BalanceFlow> inputs, outputs;
  std::optional<GivenQuantity> loss;  ///< measured loss (energy); closes the converter when given
  /// Design or acceptance-test coal rate of a generating unit (standard coal per electricity, e.g.
  /// gce/kWh) for the heat-rate check (X12).
  std::optional<StatedFactor> design_coal_rate;
  /// 供热比 of a CHP unit (the share of its fuel attributed to heat, as the plant's accounting defines
  /// it), with its source; lets X12 check a CHP unit's electricity coal rate.
  std::optional<StatedFactor> heat_ratio;
};

/// End-use systems of GB/T 3484 / GB/T 28751 balance tables.
enum class EndUseSystem : int32_t {
  kMainProduction = 0,  ///< 主要生产系统
  kAuxiliary,           ///< 辅助生产系统
  kAncillary,           ///< 附属生产系统
  kHeatingCooling,      ///< 采暖(空调)
  kLighting,            ///< 照明
  kOther,               ///< 其他 (transport, living ...)
};
std::string_view EndUseSystemName(EndUseSystem s);

struct EndUse {
  EndUseSystem system = EndUseSystem::kMainProduction;
  std::string name;  ///< the energy-using unit (kiln 1, compressor house ...)
  BalanceFlow flow;
  bool feedstock = false;               ///< used as raw material, not as energy
  std::optional<GivenQuantity> useful;  ///< measured useful energy (有效能量), an energy
};

/// Energy recovered inside the boundary (waste heat, waste pressure) and put back as a carrier.
struct RecoveredEnergy {
  std::string name;  ///< where it is recovered from
  BalanceFlow flow;
};

struct BalanceProduct {
  std::string product;
  GivenQuantity quantity;
  /// Share of the comprehensive energy consumption attributed to this product; needed when a
  /// balance has more than one product.
  std::optional<double> energy_share;
  /// A comprehensive-energy benchmark per unit of product (e.g. a cleaner-production indicator level
  /// or an energy-consumption limit, kgce/t) with its source (cross-check X13).
  std::optional<StatedFactor> benchmark;
};

/// One period's enterprise energy balance as the audit records it.
struct EnergyBalanceData {
  std::string period;  ///< "2023" or "2023-MM"
  /// Electricity (and heat) in standard coal: calorific (当量值) or equivalent (等价值).
  ElectricityConvention convention = ElectricityConvention::kCalorific;
  std::optional<StatedFactor> generation_coal_rate;  ///< standard coal per electricity (gce/kWh)
  std::optional<StatedFactor> heat_coal_rate;        ///< standard coal per heat (kgce/GJ), 等价值 of heat
  /// Energy used as feedstock in the comprehensive consumption.
  FeedstockRule feedstock = FeedstockRule::kInclude;
  double warning_pct = 2.0, error_pct = 5.0;  ///< closure tolerances (engineering defaults, X06)
  std::vector<BalanceCarrier> carriers;
  std::vector<Converter> converters;
  std::vector<BalanceFlow> distribution_losses;
  std::vector<EndUse> end_uses;
  std::vector<RecoveredEnergy> recovered;
  std::vector<BalanceProduct> products;
  std::optional<MoneyAmount> output_value;  ///< output value of the period (产值)
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
  std::vector<EnergyBalanceData> energy_balances;  ///< one per period (usually the year)
  /// Cleaner-production audit rounds ("cleaner_production.audits", schema carbonmrv.enterprise/2).
  std::vector<AuditRound> audits;

  /// Parses and validates a "carbonmrv.enterprise/1" or "/2" document (/2 adds "cleaner_production"). All problems at
  /// once, each as
  /// "<json path>: <what is wrong and what was expected>", one per line.
  /// `threads` (0: the hardware's) read a large document's sources in runs, one per thread, from 4 MiB
  /// of text per thread; the enterprise and the problems are the same for any number.
  static absl::StatusOr<Enterprise> FromJson(std::string_view json_text, unsigned threads = 0);
  /// Serialises back (values and unit strings as given: lossless): "carbonmrv.enterprise/2" when the
  /// enterprise has audit rounds, "carbonmrv.enterprise/1" otherwise.
  std::string ToJson() const;
};

}  // namespace cmrv
