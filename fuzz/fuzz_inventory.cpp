// libFuzzer target: a reported inventory document (carbonmrv.inventory/1), which enters through
// cmrv_verify next to a fixed valid enterprise and is reconciled against it.
#include <cstdint>
#include <string>

#include "carbonmrv.h"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* kEnterprise =
      R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "f", "region": "US", "year": 2023},
   "sources": [{"id": "coal", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef",
                "activity": [{"period": "2023", "value": 10, "unit": "short_ton"}]}]})";
  const std::string text(reinterpret_cast<const char*>(data), size);
  cmrv_context* ctx = cmrv_context_create();
  static cmrv_enterprise* e = [&] {
    cmrv_enterprise* made = nullptr;
    cmrv_enterprise_from_json(ctx, kEnterprise, &made);
    return made;
  }();
  cmrv_verification* v = nullptr;
  cmrv_fuzz::NotInternal(ctx, cmrv_verify(ctx, e, cmrv_fuzz::Catalogue(), text.c_str(), nullptr, &v));
  cmrv_verification_destroy(v);
  cmrv_context_destroy(ctx);
  return 0;
}
