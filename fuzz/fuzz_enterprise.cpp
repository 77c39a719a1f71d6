// libFuzzer target: enterprise documents through the C API entry an ERP calls, then every reader of
// the validated enterprise (inventory, energy balance, cleaner-production audit, serialisation). Any crash, sanitizer
// report or CMRV_ERR_INTERNAL is a finding.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "carbonmrv.h"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  cmrv_context* ctx = cmrv_context_create();
  cmrv_enterprise* e = nullptr;
  cmrv_fuzz::NotInternal(ctx, cmrv_enterprise_from_json(ctx, text.c_str(), &e));
  if (e != nullptr) {
    cmrv_inventory* inv = nullptr;
    cmrv_fuzz::NotInternal(ctx, cmrv_inventory_compute(ctx, e, cmrv_fuzz::Catalogue(), nullptr, &inv));
    char* json = nullptr;
    if (inv != nullptr && cmrv_fuzz::NotInternal(ctx, cmrv_inventory_to_json(ctx, inv, &json)) == CMRV_OK)
      cmrv_free(json);
    cmrv_inventory_destroy(inv);
    cmrv_energy_balance* bal = nullptr;
    cmrv_fuzz::NotInternal(ctx, cmrv_energy_balance_compute(ctx, e, cmrv_fuzz::Catalogue(), nullptr, nullptr, &bal));
    cmrv_energy_balance_destroy(bal);
    cmrv_audit* audit = nullptr;  // a document without audit rounds is refused, never an internal error
    cmrv_fuzz::NotInternal(ctx, cmrv_audit_compute(ctx, e, cmrv_fuzz::Catalogue(), nullptr, nullptr, &audit));
    if (audit != nullptr && cmrv_fuzz::NotInternal(ctx, cmrv_audit_to_json(ctx, audit, &json)) == CMRV_OK)
      cmrv_free(json);
    cmrv_audit_destroy(audit);
    if (cmrv_fuzz::NotInternal(ctx, cmrv_enterprise_to_json(ctx, e, &json)) == CMRV_OK) cmrv_free(json);
    cmrv_enterprise_destroy(e);
  }
  cmrv_context_destroy(ctx);
  return 0;
}
