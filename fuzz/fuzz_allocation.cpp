// libFuzzer target: an allocation rule set (carbonmrv.allocation_rules/1) through the C API, then an
// allocation of a fixed condensing unit and its compliance position with fixed holdings. Any crash,
// sanitizer report, CMRV_ERR_INTERNAL or a non-finite total presented as a result is a finding.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "carbonmrv.h"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* kEnterprise = R"({"schema": "carbonmrv.enterprise/2",
   "enterprise": {"name": "f", "region": "CN-15", "year": 2022},
   "facilities": [{"id": "unit-1", "type": "generating_unit", "capacity": {"value": 600, "unit": "MW"},
     "allocation": {"category": "I", "fuel": "coal", "cooling": "air", "years": [
       {"year": 2022, "electricity_generated": {"value": 3200000, "unit": "MWh", "source": "fuzz"},
        "electricity_supplied": {"value": 3000000, "unit": "MWh", "source": "fuzz"}, "load_factor": 0.78}]}}],
   "sources": [{"id": "coal", "facility": "unit-1", "kind": "process",
     "factors": {"ef": {"value": 2.9, "unit": "tCO2/t", "source": "fuzz"}},
     "activity": [{"period": "2022", "value": 1000000, "unit": "t", "data_source": "meter"}]}]})";
  const std::string text(reinterpret_cast<const char*>(data), size);
  cmrv_context* ctx = cmrv_context_create();
  static cmrv_enterprise* e = [&] {
    cmrv_enterprise* made = nullptr;
    if (cmrv_enterprise_from_json(ctx, kEnterprise, &made) != CMRV_OK) std::abort();
    return made;
  }();
  cmrv_allocation_rules* rules = nullptr;
  cmrv_fuzz::NotInternal(ctx, cmrv_allocation_rules_from_json(ctx, text.c_str(), &rules));
  if (rules != nullptr) {
    cmrv_allocation* alloc = nullptr;
    cmrv_fuzz::NotInternal(ctx, cmrv_allocate(ctx, e, cmrv_fuzz::Catalogue(), rules, 0, nullptr, &alloc));
    if (alloc != nullptr) {
      double total = 0;
      if (cmrv_allocation_summary(ctx, alloc, &total, nullptr, nullptr, nullptr) != CMRV_OK || !std::isfinite(total)) {
        std::abort();
      }
      char* json = nullptr;
      if (cmrv_fuzz::NotInternal(ctx, cmrv_allocation_to_json(ctx, alloc, &json)) == CMRV_OK) cmrv_free(json);
      const int32_t kinds[] = {CMRV_HOLDING_ALLOWANCE, CMRV_HOLDING_CCER};
      const int32_t vintages[] = {2022, 2021};
      const double quantities[] = {2500000, 100000};
      cmrv_compliance* pos = nullptr;
      cmrv_fuzz::NotInternal(ctx, cmrv_compliance_assess(ctx, alloc, rules, 2, kinds, sizeof(int32_t), vintages,
                                                         sizeof(int32_t), quantities, sizeof(double), NAN, &pos));
      if (pos != nullptr) {
        double due = 0, shortfall = 0;
        if (cmrv_compliance_summary(ctx, pos, &due, nullptr, &shortfall, nullptr) != CMRV_OK || !std::isfinite(due) ||
            !std::isfinite(shortfall) || shortfall < 0) {
          std::abort();
        }
      }
      cmrv_compliance_destroy(pos);
      cmrv_allocation_destroy(alloc);
    }
    cmrv_allocation_rules_destroy(rules);
  }
  cmrv_context_destroy(ctx);
  return 0;
}
