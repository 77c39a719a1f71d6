// libFuzzer target: region requests (carbonmrv.region/1) through cmrv_region_compare_json.
#include <cstdint>
#include <string>

#include "carbonmrv.h"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  cmrv_context* ctx = cmrv_context_create();
  char* out = nullptr;
  if (cmrv_fuzz::NotInternal(ctx, cmrv_region_compare_json(ctx, cmrv_fuzz::Catalogue(), text.c_str(), &out)) ==
      CMRV_OK) {
    cmrv_free(out);
  }
  cmrv_context_destroy(ctx);
  return 0;
}
