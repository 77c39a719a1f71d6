// carbonmrv — enterprise energy balance (GB/T 3484-2009 four links, GB/T 28751 table layout) and
// comprehensive energy consumption in standard coal (GB/T 2589).
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// The balance is computed from the enterprise model's EnergyBalanceData on the same carrier catalogue
// as the inventory. Each carrier column is kept in its physical unit; standard coal and GJ follow from
// one coefficient per carrier whose provenance is reported (measured NCV > stated coefficient > a
// catalogue dataset such as GB/T 2589 Annex A; electricity by 当量值 or 等价值).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/factors/factors.hpp"

namespace cmrv {

/// Rows of the balance table, in table order. Physical quantities of one carrier; for the total
/// column they are summed in GJ or tce.
enum class BalanceRow : int32_t {
  kPurchased = 0,     ///< 购入
  kStockDecrease,     ///< opening − closing stock (库存减少; negative when stock grew)
  kExported,          ///< transferred out or sold (外销/调出)
  kNetSupply,         ///< purchased + stock decrease − exported
  kConversionInput,   ///< into converters (加工转换投入)
  kConversionOutput,  ///< out of converters (加工转换产出)
  kRecovered,         ///< recovered waste heat/pressure (回收利用)
  kDistributionLoss,  ///< transport and distribution losses (输送分配损失)
  kMainProduction,    ///< end use: 主要生产系统
  kAuxiliary,         ///< end use: 辅助生产系统
  kAncillary,         ///< end use: 附属生产系统
  kHeatingCooling,    ///< end use: 采暖(空调)
  kLighting,          ///< end use: 照明
  kOtherUse,          ///< end use: 其他
  kEndUseTotal,       ///< 最终使用合计
  kFeedstock,         ///< of the end use, used as raw material (用作原料)
  kImbalance,         ///< net supply + conversion output + recovered − conversion input − losses − end use
};
inline constexpr std::size_t kBalanceRowCount = 17;
std::string_view BalanceRowName(BalanceRow row);
/// Parses a row name ("purchased", "end_use_total", ...); nullopt if unknown.
std::optional<BalanceRow> ParseBalanceRow(std::string_view name);

/// Severity of a closure gap against the balance's tolerances.
enum class ClosureStatus : int32_t { kOk = 0, kWarning = 1, kError = 2 };
std::string_view ClosureStatusName(ClosureStatus s);

/// One carrier column.
struct BalanceColumn {
  std::string carrier;
  std::string name_zh;
  std::string unit;                               ///< the column's physical unit as written
  double tce_per_unit_calorific = 0;              ///< 当量值 coefficient, tce per `unit`
  std::optional<double> tce_per_unit_equivalent;  ///< 等价值 coefficient; unset without a stated rate
  double gj_per_unit = 0;                         ///< energy content, GJ per `unit`
  std::string coefficient_source, equivalent_source, gj_source;
  std::array<double, kBalanceRowCount> physical{};  ///< in `unit`
};

/// A located gap: a carrier's supply against its uses (link "supply_and_use"), a converter's input
/// against output + measured loss (link "conversion"), or the whole enterprise ("total", in tce).
struct Closure {
  std::string subject;  ///< carrier id, converter id, or "total"
  std::string link;     ///< supply_and_use | conversion | total
  std::string unit;     ///< unit of `imbalance`
  double supply = 0;    ///< what the gap is relative to, in `unit`
  double imbalance = 0;
  double imbalance_gj = 0;
  double imbalance_tce = 0;
  /// imbalance / supply; unset when there is no supply (then any use is an error).
  std::optional<double> relative;
  ClosureStatus status = ClosureStatus::kOk;
};

struct ConverterEfficiency {
  std::string id;
  double input_gj = 0, output_gj = 0, loss_gj = 0;  ///< loss = input − output
  double efficiency = 0;                            ///< output / input
};

struct ProductIntensity {
  std::string product;
  double quantity = 0;
  std::string unit;
  double share = 1;          ///< of the comprehensive consumption attributed to the product
  double kgce_per_unit = 0;  ///< 单位产品综合能耗, kgce per `unit`
};

struct EnergyBalanceOptions {
  std::string period;  ///< "" = the document's only balance
  /// Dataset preference for coal_equivalent coefficients; empty: the catalogue's default precedence.
  std::vector<std::string> coefficient_preference;
};

struct EnergyBalance {
  std::string enterprise_name;
  std::string uscc;
  int year = 0;
  std::string period;
  ElectricityConvention convention = ElectricityConvention::kCalorific;  ///< declared
  FeedstockRule feedstock = FeedstockRule::kInclude;                     ///< declared
  double warning_pct = 0, error_pct = 0;
  std::vector<BalanceColumn> columns;
  std::vector<Closure> closures;  ///< carriers in column order, converters with a measured loss, total
  std::vector<ConverterEfficiency> converters;
  double conversion_efficiency = 0;               ///< Σ output / Σ input, GJ; 0 without converters
  std::optional<double> distribution_efficiency;  ///< end use / (end use + distribution losses), GJ
  std::optional<double> end_use_efficiency;       ///< useful / end use over end uses with a measured useful energy
  double end_use_useful_coverage = 0;             ///< share (GJ) of end use with a measured useful energy
  std::vector<ProductIntensity> products;
  std::optional<double> tce_per_10k_cny;  ///< 万元产值综合能耗
  std::vector<std::string> notes;

  /// 综合能耗, tce: Σ net supply × coefficient, under the declared convention and feedstock rule.
  double ComprehensiveTce() const;
  /// The same under convention `as` and feedstock rule `feedstock`; the equivalent value needs a
  /// stated generation coal rate when electricity is in the balance.
  absl::StatusOr<double> ComprehensiveTce(ElectricityConvention as, FeedstockRule feedstock) const;
  /// One cell: `row` of `carrier` (a carrier id or "total") in `basis`: "physical" (carriers only),
  /// "GJ", "tce" (declared convention), "tce_calorific", "tce_equivalent".
  absl::StatusOr<double> Cell(BalanceRow row, std::string_view carrier, std::string_view basis) const;
  /// The worst closure status.
  ClosureStatus Status() const;
  /// "carbonmrv.energy_balance/1" JSON.
  std::string ToJson() const;
  /// The table as CSV: one row per BalanceRow, one column per carrier (+ "total" unless physical).
  absl::StatusOr<std::string> ToCsv(std::string_view basis) const;
};

/// Computes the balance of one period. Errors: kNotFound for an unknown period (naming those
/// given), kMissingParameter naming the carrier and its JSON path when no coefficient is found.
absl::StatusOr<EnergyBalance> ComputeEnergyBalance(const Enterprise& enterprise, const FactorCatalogue& catalogue,
                                                   const EnergyBalanceOptions& options);

}  // namespace cmrv
