// The audit round's vocabularies and ApplyOption (enterprise/audit.hpp).
#include "carbonmrv/enterprise/audit.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/status.hpp"
#include "internal/name_table.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::NameIn;
using internal::ParseIn;
using internal::StrCat;

constexpr std::pair<AuditType, std::string_view> kTypeNames[] = {{AuditType::kMandatory, "mandatory"},
                                                                 {AuditType::kVoluntary, "voluntary"}};
constexpr std::pair<AuditTrigger, std::string_view> kTriggerNames[] = {
    {AuditTrigger::kPollutantDischarge, "pollutant_discharge"},
    {AuditTrigger::kEnergyQuota, "energy_quota"},
    {AuditTrigger::kHazardousSubstances, "hazardous_substances"}};
constexpr std::pair<AuditStage, std::string_view> kStageNames[] = {
    {AuditStage::kPlanning, "planning"},       {AuditStage::kPreAssessment, "pre_assessment"},
    {AuditStage::kAssessment, "assessment"},   {AuditStage::kOptionGeneration, "option_generation"},
    {AuditStage::kFeasibility, "feasibility"}, {AuditStage::kImplementation, "implementation"},
    {AuditStage::kContinuous, "continuous"}};
// CNCPC names (the audit-report template's chapter titles); GB/T 25973-2010 says 预审核/审核 for 2 and 3.
constexpr std::pair<AuditStage, std::string_view> kStageNamesZh[] = {
    {AuditStage::kPlanning, "筹划与组织"},    {AuditStage::kPreAssessment, "预评估"},
    {AuditStage::kAssessment, "评估"},        {AuditStage::kOptionGeneration, "方案产生和筛选"},
    {AuditStage::kFeasibility, "方案的确定"}, {AuditStage::kImplementation, "方案实施"},
    {AuditStage::kContinuous, "持续清洁生产"}};
constexpr std::pair<AuditStage, std::string_view> kStageTitles[] = {
    {AuditStage::kPlanning, "planning and organisation"},
    {AuditStage::kPreAssessment, "pre-assessment"},
    {AuditStage::kAssessment, "assessment"},
    {AuditStage::kOptionGeneration, "option generation and screening"},
    {AuditStage::kFeasibility, "feasibility analysis"},
    {AuditStage::kImplementation, "implementation"},
    {AuditStage::kContinuous, "continuous cleaner production"}};
constexpr std::pair<StageStatus, std::string_view> kStageStatusNames[] = {{StageStatus::kPlanned, "planned"},
                                                                          {StageStatus::kInProgress, "in_progress"},
                                                                          {StageStatus::kCompleted, "completed"}};
constexpr std::pair<OptionClass, std::string_view> kClassNames[] = {{OptionClass::kNoLowCost, "no_low_cost"},
                                                                    {OptionClass::kMediumHighCost, "medium_high_cost"}};
constexpr std::pair<CauseAspect, std::string_view> kCauseNames[] = {
    {CauseAspect::kRawMaterialsEnergy, "raw_materials_energy"},
    {CauseAspect::kTechnology, "technology"},
    {CauseAspect::kEquipment, "equipment"},
    {CauseAspect::kProcessControl, "process_control"},
    {CauseAspect::kProduct, "product"},
    {CauseAspect::kWaste, "waste"},
    {CauseAspect::kManagement, "management"},
    {CauseAspect::kStaff, "staff"}};
constexpr std::pair<CauseAspect, std::string_view> kCauseNamesZh[] = {
    {CauseAspect::kRawMaterialsEnergy, "原辅材料和能源"},
    {CauseAspect::kTechnology, "技术工艺"},
    {CauseAspect::kEquipment, "设备"},
    {CauseAspect::kProcessControl, "过程控制"},
    {CauseAspect::kProduct, "产品"},
    {CauseAspect::kWaste, "废弃物"},
    {CauseAspect::kManagement, "管理"},
    {CauseAspect::kStaff, "员工"}};
constexpr std::pair<OptionStatus, std::string_view> kOptionStatusNames[] = {{OptionStatus::kProposed, "proposed"},
                                                                            {OptionStatus::kScreened, "screened"},
                                                                            {OptionStatus::kFeasible, "feasible"},
                                                                            {OptionStatus::kImplemented, "implemented"},
                                                                            {OptionStatus::kVerified, "verified"}};
constexpr std::pair<CpLevel, std::string_view> kLevelNames[] = {
    {CpLevel::kI, "I"}, {CpLevel::kII, "II"}, {CpLevel::kIII, "III"}, {CpLevel::kNone, "none"}};
constexpr std::pair<MetricKind, std::string_view> kMetricNames[] = {
    {MetricKind::kUnitProductEnergy, "unit_product_energy"},
    {MetricKind::kUnitProductCarrier, "unit_product_carrier"},
    {MetricKind::kUnitProductSource, "unit_product_source"},
    {MetricKind::kUnitProductCo2e, "unit_product_co2e"},
    {MetricKind::kStated, "stated"},
    {MetricKind::kStatedLevel, "stated_level"}};

}  // namespace

std::string_view AuditTypeName(AuditType t) { return NameIn(kTypeNames, t); }
absl::StatusOr<AuditType> ParseAuditType(std::string_view n) { return ParseIn(kTypeNames, n, "audit type"); }
std::string_view AuditTriggerName(AuditTrigger t) { return NameIn(kTriggerNames, t); }
absl::StatusOr<AuditTrigger> ParseAuditTrigger(std::string_view n) {
  return ParseIn(kTriggerNames, n, "audit trigger (Order No. 38 Art. 8)");
}
std::string_view AuditStageName(AuditStage s) { return NameIn(kStageNames, s); }
std::string_view AuditStageNameZh(AuditStage s) { return NameIn(kStageNamesZh, s); }
std::string_view AuditStageTitle(AuditStage s) { return NameIn(kStageTitles, s); }
absl::StatusOr<AuditStage> ParseAuditStage(std::string_view n) { return ParseIn(kStageNames, n, "audit stage"); }
std::string_view StageStatusName(StageStatus s) { return NameIn(kStageStatusNames, s); }
absl::StatusOr<StageStatus> ParseStageStatus(std::string_view n) {
  return ParseIn(kStageStatusNames, n, "stage status");
}
std::string_view OptionClassName(OptionClass c) { return NameIn(kClassNames, c); }
absl::StatusOr<OptionClass> ParseOptionClass(std::string_view n) { return ParseIn(kClassNames, n, "option class"); }
std::string_view CauseAspectName(CauseAspect a) { return NameIn(kCauseNames, a); }
std::string_view CauseAspectNameZh(CauseAspect a) { return NameIn(kCauseNamesZh, a); }
absl::StatusOr<CauseAspect> ParseCauseAspect(std::string_view n) { return ParseIn(kCauseNames, n, "cause aspect"); }
std::string_view OptionStatusName(OptionStatus s) { return NameIn(kOptionStatusNames, s); }
absl::StatusOr<OptionStatus> ParseOptionStatus(std::string_view n) {
  return ParseIn(kOptionStatusNames, n, "option status");
}
std::string_view CpLevelName(CpLevel l) { return NameIn(kLevelNames, l); }
absl::StatusOr<CpLevel> ParseCpLevel(std::string_view n) { return ParseIn(kLevelNames, n, "cleaner-production level"); }
std::string_view MetricKindName(MetricKind m) { return NameIn(kMetricNames, m); }
absl::StatusOr<MetricKind> ParseMetricKind(std::string_view n) { return ParseIn(kMetricNames, n, "metric"); }

absl::StatusOr<double> ProductOutput(const Enterprise& enterprise, std::string_view product, std::string_view unit) {
  auto u = Unit::Parse(unit);
  if (!u.ok()) return u.status();
  double total = 0;
  bool any = false;
  for (const auto& p : enterprise.production) {
    if (p.product != product) continue;
    auto v = Convert(p.quantity.value, p.quantity.unit, *u);
    if (!v.ok()) return v.status();
    total += *v;
    any = true;
  }
  if (!any) {
    return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kNotFound,
                     StrCat("no production records of product \"", product, "\" in ", enterprise.year));
  }
  return total;
}

absl::StatusOr<double> SourceActivity(const Enterprise& enterprise, std::string_view id, std::string_view unit) {
  auto it = std::find_if(enterprise.sources.begin(), enterprise.sources.end(),
                         [&](const SourceStream& s) { return s.id == id; });
  if (it == enterprise.sources.end()) {
    return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kNotFound,
                     StrCat("no source \"", id, "\" in ", enterprise.year));
  }
  auto u = Unit::Parse(unit);
  if (!u.ok()) return u.status();
  double total = 0;
  for (const auto& rec : it->activity) {
    auto v = Convert(rec.quantity.value, rec.quantity.unit, *u);
    if (!v.ok()) return v.status();
    total += *v;
  }
  return total;
}

absl::StatusOr<Enterprise> ApplyOption(const Enterprise& enterprise, const AuditOption& option,
                                       const std::string& path) {
  Enterprise out = enterprise;
  auto bad = [&](std::size_t i, const std::string& what) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat(path, ".effects[", i, "]: ", what));
  };
  for (std::size_t i = 0; i < option.effects.size(); ++i) {
    const OptionEffect& fx = option.effects[i];
    auto it =
        std::find_if(out.sources.begin(), out.sources.end(), [&](const SourceStream& s) { return s.id == fx.source; });
    if (it == out.sources.end()) return bad(i, StrCat("source \"", fx.source, "\" is not a source of the enterprise"));
    auto& records = it->activity;
    if (records.empty()) return bad(i, StrCat("source \"", fx.source, "\" has no activity record to change"));
    if (fx.change_pct) {
      const double f = 1 + *fx.change_pct / 100;
      if (f < 0) return bad(i, StrCat("change_pct ", *fx.change_pct, " would make the activity negative"));
      for (auto& rec : records) rec.quantity.value *= f;
      continue;
    }
    // An absolute change, in the effect's unit: the source's current total in that unit first.
    auto unit = Unit::Parse(fx.unit_text);
    if (!unit.ok()) return bad(i, std::string(unit.status().message()));
    double total = 0;
    for (const auto& rec : records) {
      auto v = Convert(rec.quantity.value, rec.quantity.unit, *unit);
      if (!v.ok()) {
        return bad(i, StrCat("unit \"", fx.unit_text, "\" does not fit the activity of source \"", fx.source, "\" (",
                             rec.quantity.unit_text, "): ", v.status().message()));
      }
      total += *v;
    }
    const double change = fx.change.value_or(0);
    if (total + change < 0) {
      return bad(i, StrCat("a change of ", change, " ", fx.unit_text, " exceeds the activity of source \"", fx.source,
                           "\" in ", enterprise.year, " (", total, " ", fx.unit_text, ")"));
    }
    if (total > 0) {
      const double f = (total + change) / total;
      for (auto& rec : records) rec.quantity.value *= f;
    } else {
      // A source with no activity yet (a fuel switched to): the change is spread evenly over its records.
      for (auto& rec : records) {
        auto v = Convert(change / static_cast<double>(records.size()), *unit, rec.quantity.unit);
        if (!v.ok()) return bad(i, std::string(v.status().message()));
        rec.quantity.value = *v;
      }
    }
  }
  return out;
}

}  // namespace cmrv
