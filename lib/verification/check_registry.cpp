// The check registry: each check's catalogue entry (title, rule, source, default tolerances), the
// inputs it needs beyond the recomputed inventory, and the Verifier member that runs it. Adding a check
// is one entry here, its member in the family's checks_*.cpp and its id in CheckId.
#include <gsl/assert>
#include <string>

#include "verification/verifier.hpp"

namespace cmrv {
namespace internal {

const std::vector<Check>& CheckRegistry() {
  static const std::vector<Check> registry = {
      {{CheckId::kX01, "Fuel purchase–stock–consumption balance", "燃料购销存平衡",
        "r = (purchased + opening − closing − exported − feedstock − FC_inventory) / FC_inventory",
        std::string(kEngineering), "energy balance carriers; inventory activity", 1, 3, "%"},
       kNeedsBalance,
       &Verifier::X01},
      {{CheckId::kX02, "Meter vs bill", "计量表与结算单一致",
        "(metered − purchased) / purchased for carriers with both; sub-meter closure is X06",
        "engineering default (domain reference X02: ≤ 0.5 % for 0.2S/0.5S meters)",
        "energy balance carriers with purchased and metered", 0.5, 2, "%"},
       kNeedsBalance,
       &Verifier::X02},
      {{CheckId::kX03, "Every combustible carrier used as energy has an inventory source",
        "能源平衡燃料品种全部纳入排放核算",
        "energy use (conversion input + end use − feedstock) > 0 ⇒ a fuel source stream of that carrier",
        "completeness principle (GB/T 32150-2015 basic principles; EU MRR (EU) 2018/2066 Art. 5)",
        "energy balance; inventory sources", 0, 0, ""},
       kNeedsBalance,
       &Verifier::X03},
      {{CheckId::kX04, "Physical quantities agree between balance and inventory", "能源平衡与排放核算实物量一致",
        "r = (FC_inventory − (conversion input + end use − feedstock)) / (conversion input + end use − feedstock)",
        std::string(kEngineering), "energy balance uses; inventory activity", 1, 1, "%"},
       kNeedsBalance,
       &Verifier::X04},
      {{CheckId::kX05, "tce vs GJ: NCV implied by the standard-coal coefficient", "折标系数与低位发热量一致",
        "implied NCV = tce per unit × 29.3076 GJ/tce against the inventory's activity-weighted NCV",
        std::string(kEngineering), "energy balance coefficients; inventory NCV terms", 10, 25, "%"},
       kNeedsBalance,
       &Verifier::X05},
      {{CheckId::kX06, "Energy-balance closure", "能量平衡闭合",
        "gap = supply − uses − losses per carrier, converter and in total (GB/T 3484-2009)",
        "GB/T 3484-2009 balance equations; tolerance: the balance's own (engineering default 2 % / 5 %)",
        "energy balance", 0, 0, ""},
       kNeedsBalance,
       &Verifier::X06},
      {{CheckId::kX07, "Carbon per unit heat plausibility", "单位热值含碳量合理性",
        "CC = C_ar / NCV_ar within coal 0.024–0.030, natural gas 0.0150–0.0156, oils 0.0185–0.0215 tC/GJ",
        std::string(kEngineering), "carbon content and NCV (measured or stated)", 0, 10, "%"},
       kNeedsNothing,
       &Verifier::X07},
      {{CheckId::kX08, "Lab NCV vs gross CV, hydrogen and moisture", "化验低位发热量与高位发热量、氢、水分一致",
        "Q_net,ar = (Q_gr,ad − 206·H_ad) × (100 − M_t)/(100 − M_ad) − 23·M_t (J/g)",
        "GB/T 213 (coal calorific value) formula; tolerance: engineering default (≈ reproducibility)",
        "measured gcv (air-dried, with moistures), hydrogen and ncv", 120, 300, "J/g"},
       kNeedsNothing,
       &Verifier::X08},
      {{CheckId::kX09, "As-received vs air-dried carbon basis", "收到基与空干基碳含量换算一致",
        "C_ar = C_ad × (100 − M_t)/(100 − M_ad)", "basis conversion (GB/T 483); tolerance: engineering default",
        "measured carbon_content (as received) and carbon_content_ad with moistures", 0.1, 0.5, "percentage points"},
       kNeedsNothing,
       &Verifier::X09},
      {{CheckId::kX10, "Measured vs default: oxidation bounds and NCV deviation", "实测值与缺省值偏差",
        "OF in 0.85–1.00 (error outside); |measured NCV − dataset default| / default", std::string(kEngineering),
        "inventory OF terms; measured NCV and a dataset default", 15, 30, "%"},
       kNeedsNothing,
       &Verifier::X10},
      {{CheckId::kX12, "Heat rate of generating units", "发电机组煤耗",
        "coal rate = input tce × (1 − 供热比) × 10^6 / electricity output kWh against the design or test coal rate",
        "engineering default (domain reference X12: ±3 % of design or test)",
        "converter inputs/outputs; design_coal_rate", 3, 10, "%"},
       kNeedsBalance,
       &Verifier::X12},
      {{CheckId::kX13, "Energy intensity vs benchmark", "单位产品能耗与基准值",
        "comprehensive energy per product unit above the product's stated benchmark (CP indicator level, limit)",
        "the benchmark's own source (stated in the document); grading: engineering default (1.3 × benchmark)",
        "energy balance products with a benchmark", 0, 30, "%"},
       kNeedsBalance,
       &Verifier::X13},
      {{CheckId::kX14, "Implied CO2 per tce", "单位标准煤二氧化碳排放",
        "CO2_inventory / tce_balance (energy use × coefficient) within CC range × 29.3076 × OF 0.93–1.00 × 44/12",
        std::string(kEngineering), "inventory CO2 per carrier; energy balance coefficients", 5, 10, "%"},
       kNeedsBalance,
       &Verifier::X14},
      {{CheckId::kX15, "Production vs sales and stock", "产量与销量、库存一致",
        "(production − sales − (closing − opening stock)) / production", std::string(kEngineering),
        "production records with sales and stock", 1, 3, "%"},
       kNeedsNothing,
       &Verifier::X15},
      {{CheckId::kX16, "Carbonate vs clinker process CO2", "碳酸盐法与熟料法一致",
        "(CO2_carbonates − CO2_clinker) / CO2_clinker", "engineering default (domain reference X16: ≤ 5 %)",
        "carbonate and clinker sources", 5, 10, "%"},
       kNeedsNothing,
       &Verifier::X16},
      {{CheckId::kX18, "Month-on-month and year-on-year plausibility", "逐月、逐年数据合理性",
        "a month identical to the previous one; |Δ intensity| month on month (monthly sources over monthly "
        "production) and year on year (against last year's inventory)",
        "engineering default (domain reference X18: |Δ intensity| > 10 % YoY without a documented cause)",
        "monthly activity; monthly production; last year's inventory", 10, 25, "%"},
       kNeedsNothing,
       &Verifier::X18},
      {{CheckId::kX19, "Double counting of own generation, exports and resold electricity", "自发电、输出电量重复计算",
        "inventory purchased (exported) electricity = the balance's purchased (exported); own generation is neither",
        "GB/T 32150-2015 (net purchased electricity); tolerance: engineering default (meter rounding)",
        "energy balance electricity column; inventory electricity sources", 0.5, 0.5, "%"},
       kNeedsBalance,
       &Verifier::X19},
      {{CheckId::kX20, "Convention consistency (GWP set, CO2/C ratio)", "核算约定一致（GWP、碳氧转换系数）",
        "reported conventions = the conventions the verification applies", "the verification's declared conventions",
        "a reported inventory", 0, 0, ""},
       kNeedsReported,
       &Verifier::X20},
      {{CheckId::kX22, "Materiality of the misstatements found", "错报的实质性",
        "Σ|reported − recomputed| / recomputed total > 5 % (≤ 500 kt) or 2 % (> 500 kt)",
        "Commission Implementing Regulation (EU) 2018/2067 (AVR) Art. 23; categories per (EU) 2018/2066 Art. 19",
        "a reported inventory", 0, 0, ""},
       kNeedsReported,
       &Verifier::X22},
      {{CheckId::kX23, "Cleaner-production savings: claimed vs observed", "清洁生产方案节能减排量申报与实测",
        "observed = baseline × (output_review / output_baseline) − review, per source changed by implemented "
        "options and for scope 1 + 2 tCO2e, against claimed × the same output ratio",
        "production-normalised savings (GB/T 13234: ΔE = Σ (e_report − e_base) × M_report); tolerance: engineering "
        "default (domain reference "
        "X23: ex-post within ±30 % of ex-ante); error beyond 100 % (the observed saving has the opposite sign)",
        "an earlier year's document with an audit whose options are implemented (audit_baseline)", 30, 100, "%"},
       kNeedsNothing,
       &Verifier::X23},
  };
  return registry;
}

const Check& CheckOf(CheckId id) {
  for (const auto& c : CheckRegistry()) {
    if (c.info.id == id) return c;
  }
  // Every enumerator has an entry (tested: "every check id has a registry entry").
  Expects(false);
  return CheckRegistry().front();
}

}  // namespace internal

const std::vector<CheckInfo>& CheckCatalogue() {
  static const std::vector<CheckInfo> catalogue = [] {
    std::vector<CheckInfo> out;
    for (const auto& c : internal::CheckRegistry()) out.push_back(c.info);
    return out;
  }();
  return catalogue;
}

}  // namespace cmrv
