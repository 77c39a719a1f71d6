// libFuzzer target: an indicator system (carbonmrv.indicator_system/1) through the C API, then scored
// by an audit of a fixed enterprise whose indicators are stated. Any crash, sanitizer report or
// CMRV_ERR_INTERNAL is a finding.
#include <cstdint>
#include <string>

#include "carbonmrv.h"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* kEnterprise = R"({"schema": "carbonmrv.enterprise/2",
   "enterprise": {"name": "f", "region": "CN-37", "year": 2023},
   "sources": [{"id": "grid", "kind": "purchased_electricity",
                "factors": {"grid_ef": {"value": 0.5, "unit": "tCO2/MWh", "source": "fuzz"}},
                "activity": [{"period": "2023", "value": 1000, "unit": "MWh"}]}],
   "production": [{"product": "board", "period": "2023", "value": 10000, "unit": "t product"}],
   "cleaner_production": {"audits": [{"id": "a", "type": "voluntary", "indicators": [
     {"id": "unit_energy", "metric": "stated", "unit": "kgce/t product",
      "values": [{"year": 2023, "value": 95, "unit": "kgce/t product", "source": "fuzz"}]},
     {"id": "elec_intensity", "metric": "unit_product_carrier", "carrier": "electricity", "product": "board",
      "unit": "kWh/t product"},
     {"id": "management", "metric": "stated_level", "values": [{"year": 2023, "level": "II", "source": "fuzz"}]}]}]}})";
  const std::string text(reinterpret_cast<const char*>(data), size);
  cmrv_context* ctx = cmrv_context_create();
  static cmrv_enterprise* e = [&] {
    cmrv_enterprise* made = nullptr;
    cmrv_enterprise_from_json(ctx, kEnterprise, &made);
    return made;
  }();
  cmrv_indicator_system* sys = nullptr;
  cmrv_fuzz::NotInternal(ctx, cmrv_indicator_system_from_json(ctx, text.c_str(), &sys));
  if (sys != nullptr) {
    cmrv_audit* audit = nullptr;
    cmrv_fuzz::NotInternal(ctx, cmrv_audit_compute(ctx, e, cmrv_fuzz::Catalogue(), sys, nullptr, &audit));
    char* json = nullptr;
    if (audit != nullptr && cmrv_fuzz::NotInternal(ctx, cmrv_audit_to_json(ctx, audit, &json)) == CMRV_OK)
      cmrv_free(json);
    cmrv_audit_destroy(audit);
    cmrv_indicator_system_destroy(sys);
  }
  cmrv_context_destroy(ctx);
  return 0;
}
