// libFuzzer target: unit strings. The input is split at the first newline into two units, which are
// normalised, compared and converted between (1 and 1e300, to reach the overflow paths).
#include <cstdint>
#include <string>

#include "carbonmrv.h"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto nl = text.find('\n');
  const std::string a = text.substr(0, nl), b = nl == std::string::npos ? "t" : text.substr(nl + 1);
  cmrv_context* ctx = cmrv_context_create();
  char* sym = nullptr;
  if (cmrv_fuzz::NotInternal(ctx, cmrv_unit_normalize(ctx, a.c_str(), &sym)) == CMRV_OK) cmrv_free(sym);
  int32_t same = 0;
  cmrv_fuzz::NotInternal(ctx, cmrv_unit_compatible(ctx, a.c_str(), b.c_str(), &same));
  double out = 0;
  cmrv_fuzz::NotInternal(ctx, cmrv_unit_convert(ctx, 1.0, a.c_str(), b.c_str(), &out));
  cmrv_fuzz::NotInternal(ctx, cmrv_unit_convert(ctx, 1e300, a.c_str(), b.c_str(), &out));
  cmrv_context_destroy(ctx);
  return 0;
}
