// carbonmrv — the cleaner-production audit round (清洁生产审核) as the enterprise document records it:
// type and trigger, the seven stages, boundary, audit focus candidates, indicators and where their
// values come from, targets, options (方案) with their physical effect and economics, acceptance.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// These are data, read and written with the enterprise document ("cleaner_production" block of
// "carbonmrv.enterprise/2", docs/exchange-format.md). What they compute — indicator levels, focus
// ranking, abatement by the inventory engine, option economics, MACC — is cleaner_production.hpp.
// Sources: 《清洁生产审核办法》(NDRC/MEP Order No. 38, 2016) Art. 8 for the triggers; GB/T 25973-2010
// and the CNCPC audit-report template for the stages and the eight cause aspects.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace cmrv {

struct Enterprise;

/// An amount of money as written ("CNY"/"元" or "10^4 CNY"/"万元"); money is not a physical unit, so
/// it stays out of the units engine.
struct MoneyAmount {
  double value = 0;
  std::string unit_text;
  double cny = 0;  ///< the amount in CNY
};

/// 强制性审核 or 自愿性审核 (Order No. 38, Art. 8).
enum class AuditType : int32_t { kMandatory = 0, kVoluntary = 1 };
std::string_view AuditTypeName(AuditType t);
absl::StatusOr<AuditType> ParseAuditType(std::string_view name);

/// Why a mandatory audit applies: Order No. 38, Art. 8, items (1) to (3).
enum class AuditTrigger : int32_t {
  kPollutantDischarge = 0,  ///< (1) discharge above the standards or the total-load quota
  kEnergyQuota = 1,         ///< (2) unit-product energy use above the 能耗限额 standard
  kHazardousSubstances = 2  ///< (3) toxic or hazardous raw materials or discharges
};
std::string_view AuditTriggerName(AuditTrigger t);
absl::StatusOr<AuditTrigger> ParseAuditTrigger(std::string_view name);

/// The seven stages, in order (CNCPC names; GB/T 25973 calls stages 2 and 3 预审核/审核).
enum class AuditStage : int32_t {
  kPlanning = 0,          ///< 筹划与组织
  kPreAssessment = 1,     ///< 预评估 (预审核)
  kAssessment = 2,        ///< 评估 (审核)
  kOptionGeneration = 3,  ///< 方案产生和筛选
  kFeasibility = 4,       ///< 方案的确定 (可行性分析)
  kImplementation = 5,    ///< 方案实施
  kContinuous = 6,        ///< 持续清洁生产
};
inline constexpr AuditStage kAuditStages[] = {
    AuditStage::kPlanning,    AuditStage::kPreAssessment,  AuditStage::kAssessment, AuditStage::kOptionGeneration,
    AuditStage::kFeasibility, AuditStage::kImplementation, AuditStage::kContinuous};
std::string_view AuditStageName(AuditStage s);    ///< "planning", "pre_assessment", ...
std::string_view AuditStageNameZh(AuditStage s);  ///< "筹划与组织", "预评估", ...
std::string_view AuditStageTitle(AuditStage s);   ///< "planning and organisation", ...
absl::StatusOr<AuditStage> ParseAuditStage(std::string_view name);

enum class StageStatus : int32_t { kPlanned = 0, kInProgress = 1, kCompleted = 2 };
std::string_view StageStatusName(StageStatus s);
absl::StatusOr<StageStatus> ParseStageStatus(std::string_view name);

/// 无/低费方案 or 中/高费方案.
enum class OptionClass : int32_t { kNoLowCost = 0, kMediumHighCost = 1 };
std::string_view OptionClassName(OptionClass c);
absl::StatusOr<OptionClass> ParseOptionClass(std::string_view name);

/// The eight aspects of the cause analysis of waste generation (GB/T 25973-2010 §5.3; audit-report
/// template ch. 3): 原辅材料和能源, 技术工艺, 设备, 过程控制, 产品, 废弃物, 管理, 员工.
enum class CauseAspect : int32_t {
  kRawMaterialsEnergy = 0,
  kTechnology,
  kEquipment,
  kProcessControl,
  kProduct,
  kWaste,
  kManagement,
  kStaff,
};
std::string_view CauseAspectName(CauseAspect a);
std::string_view CauseAspectNameZh(CauseAspect a);
absl::StatusOr<CauseAspect> ParseCauseAspect(std::string_view name);

/// Where an option stands; an option is verified after its ex-post comparison.
enum class OptionStatus : int32_t { kProposed = 0, kScreened, kFeasible, kImplemented, kVerified };
std::string_view OptionStatusName(OptionStatus s);
absl::StatusOr<OptionStatus> ParseOptionStatus(std::string_view name);
/// True for kImplemented and kVerified: the option is in the next period's data.
constexpr bool IsImplemented(OptionStatus s) { return s == OptionStatus::kImplemented || s == OptionStatus::kVerified; }

/// A cleaner-production level of an indicator system: I (国际清洁生产领先水平), II (国内清洁生产先进水平),
/// III (国内清洁生产一般水平), or none reached.
enum class CpLevel : int32_t { kI = 1, kII = 2, kIII = 3, kNone = 4 };
std::string_view CpLevelName(CpLevel l);  ///< "I", "II", "III", "none"
absl::StatusOr<CpLevel> ParseCpLevel(std::string_view name);

/// How an indicator's value is obtained from the enterprise's own data.
enum class MetricKind : int32_t {
  kUnitProductEnergy = 0,  ///< 单位产品综合能耗: the energy balance's product intensity (kgce per product)
  kUnitProductCarrier,     ///< Σ activity of the sources of one carrier / production of the product
  kUnitProductSource,      ///< activity of one source (a raw material, a fuel) / production of the product
  kUnitProductCo2e,        ///< inventory scope 1 + 2 tCO2e / production of the product
  kStated,                 ///< a value the audit measured and states, with its source
  kStatedLevel,            ///< a qualitative indicator: the level the audit states it meets
};
std::string_view MetricKindName(MetricKind m);
absl::StatusOr<MetricKind> ParseMetricKind(std::string_view name);

/// A value stated by the audit for one year, with its source.
struct StatedMetricValue {
  int year = 0;
  double value = 0;                ///< kStated
  std::string unit_text;           ///< kStated
  CpLevel level = CpLevel::kNone;  ///< kStatedLevel
  std::string source;
};

/// An indicator of the audit: its id (the id an indicator system uses), how its value is obtained and
/// the unit it is reported in.
struct AuditIndicator {
  std::string id;
  std::string name;
  MetricKind metric = MetricKind::kStated;
  std::string product;                    ///< the product normalising the value (unit_product_*)
  std::string carrier;                    ///< kUnitProductCarrier
  std::string source;                     ///< kUnitProductSource
  std::string unit_text;                  ///< the unit the value is reported in (kgce/t, kWh/t, tCO2e/t); "" for levels
  std::vector<StatedMetricValue> values;  ///< kStated, kStatedLevel
};

/// 清洁生产目标: an indicator from its baseline to a target by a deadline year.
struct AuditTarget {
  std::string indicator;  ///< an AuditIndicator id
  double baseline = 0, target = 0;
  std::string unit_text;
  int deadline = 0;  ///< year
};

struct StageRecord {
  AuditStage stage = AuditStage::kPlanning;
  StageStatus status = StageStatus::kPlanned;
  std::string start, end;  ///< "YYYY-MM-DD" or ""
};

/// 权重总和计分排序法: criteria with weights, candidate units scored on each.
struct FocusCriterion {
  std::string id, name;
  double weight = 0;  ///< > 0 (the handbook's weights are 1-10)
};
struct FocusCandidate {
  std::string unit;            ///< the candidate unit (workshop, process, facility)
  std::vector<double> scores;  ///< one per criterion, in criterion order, 0-10
};
struct AuditFocus {
  std::vector<FocusCriterion> criteria;
  std::vector<FocusCandidate> candidates;
  std::string chosen;  ///< the unit the audit chose, or "" (then the top-ranked)
};

/// The physical effect of an option on one source's activity in the document's year: an absolute
/// change (`change`, in any unit of the activity's kind; negative = saved) or a relative one
/// (`change_pct`). A relative change applies to the activity as earlier options left it.
struct OptionEffect {
  std::string source;                ///< a source id of the enterprise
  std::optional<double> change;      ///< in `unit_text`
  std::string unit_text;             ///< with `change`
  std::optional<double> change_pct;  ///< percent of the current activity
};

/// 方案.
struct AuditOption {
  std::string id, title;
  OptionClass option_class = OptionClass::kNoLowCost;
  std::optional<CauseAspect> cause;
  OptionStatus status = OptionStatus::kProposed;
  std::vector<OptionEffect> effects;
  MoneyAmount investment;            ///< I
  MoneyAmount annual_om_change;      ///< ΔO&M per year (positive: costs more)
  MoneyAmount other_annual_savings;  ///< savings not priced from the effects (materials, water, fees)
  int life_years = 0;                ///< economic life n (and the NPV horizon)
  int depreciation_years = 0;        ///< straight-line depreciation period; 0: the life
};

/// A price of one source's activity (fuel, electricity, heat), to value an option's savings.
/// A price per physical unit, as written ({"value": 900, "unit": "CNY/t"}): money unit / physical unit.
struct UnitPrice {
  double value = 0;
  std::string unit_text;      ///< "CNY/t", "万元/10^4 Nm3", "CNY/tCO2e"
  std::string physical_unit;  ///< the part after the money unit ("t")
  double cny_per_unit = 0;    ///< CNY per one `physical_unit`
};

/// The price of one source's activity (fuel, electricity, heat), to value an option's savings.
struct ActivityPrice {
  std::string source;
  UnitPrice price;
};

/// Financial parameters of the round, percentages as written.
struct AuditEconomics {
  double discount_rate_pct = 0;              ///< i, for NPV and the capital recovery factor
  double tax_rate_pct = 0;                   ///< income tax on the option's profit
  std::optional<double> benchmark_rate_pct;  ///< 基准收益率 the IRR is judged against
  std::optional<UnitPrice> carbon_price;     ///< value of an avoided tCO2e (CNY/tCO2e)
};

struct AuditAcceptance {
  std::string result;  ///< "pending" | "passed" | "failed"
  std::string date, authority;
};

struct AuditRound {
  std::string id;
  AuditType type = AuditType::kVoluntary;
  std::optional<AuditTrigger> trigger;  ///< required for a mandatory audit
  std::vector<std::string> boundary;    ///< facility ids
  std::vector<StageRecord> stages;
  std::optional<AuditFocus> focus;
  std::string product;  ///< the product that normalises ex-post comparisons
  std::vector<AuditIndicator> indicators;
  std::vector<AuditTarget> targets;
  AuditEconomics economics;
  std::vector<ActivityPrice> prices;
  std::vector<AuditOption> options;  ///< in the order they are applied
  std::optional<AuditAcceptance> acceptance;
};

/// A carbon price as written (value and "CNY/tCO2e", "万元/10^4 tCO2e", "CNY/tCO2"), in CNY per tCO2e;
/// kInvalidArgument naming what is wrong otherwise.
absl::StatusOr<UnitPrice> ParseCarbonPrice(double value, std::string_view unit);

/// Output of `product` over the enterprise's production records, in `unit` (a unit of the product's
/// kind). kNotFound without records of the product; kInvalidArgument for a unit of another kind.
absl::StatusOr<double> ProductOutput(const Enterprise& enterprise, std::string_view product, std::string_view unit);

/// Activity of the source `id` over its records, in `unit`; kNotFound for an unknown source.
absl::StatusOr<double> SourceActivity(const Enterprise& enterprise, std::string_view id, std::string_view unit);

/// `enterprise` with `option`'s effects applied to its activity (every record of the reporting year):
/// an absolute change is spread over the source's records in proportion to their quantities (or, for a
/// source with no activity yet, recorded as the year's activity); a relative one scales them. Errors
/// (kInvalidArgument) name `path` (the option's JSON path): an unknown source, a unit of the wrong kind,
/// an activity that would become negative.
absl::StatusOr<Enterprise> ApplyOption(const Enterprise& enterprise, const AuditOption& option,
                                       const std::string& path);

}  // namespace cmrv
