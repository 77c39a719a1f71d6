// C API: a region's reference approach against the sum of its enterprise inventories (core:
// include/carbonmrv/region/region.hpp).
#include "carbonmrv/region/region.hpp"
#include "guard.hpp"
#include "handles.hpp"

using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

extern "C" {

cmrv_status cmrv_region_compare_json(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue,
                                     const char* request_json, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (request_json == nullptr) return NullArgument("request_json");
    if (out_json == nullptr) return NullArgument("out_json");
    auto r = cmrv::CompareRegionJson(request_json, catalogue->catalogue);
    if (!r.ok()) return r.status();
    *out_json = cmrv::capi::DupString(r->ToJson());
    return absl::OkStatus();
  });
}

}  // extern "C"
