// libFuzzer target: user factor datasets (CSV) loaded into a copy of the built-in catalogue.
#include <cstdint>
#include <string>

#include "carbonmrv.h"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  cmrv_context* ctx = cmrv_context_create();
  cmrv_factor_catalogue* cat = nullptr;
  if (cmrv_factor_catalogue_open_builtin(ctx, &cat) == CMRV_OK) {
    cmrv_fuzz::NotInternal(ctx, cmrv_factor_catalogue_load_csv(ctx, cat, text.c_str(), "fuzz.csv"));
    cmrv_factor_catalogue_destroy(cat);
  }
  cmrv_context_destroy(ctx);
  return 0;
}
