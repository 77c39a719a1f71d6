// Shared pieces of the libFuzzer targets: one built-in catalogue per process, and the rule that no
// input may produce CMRV_ERR_INTERNAL (a bug by the error model's contract, docs/error-handling.md).
#pragma once

#include <cstdio>
#include <cstdlib>

#include "carbonmrv.h"

namespace cmrv_fuzz {

inline const cmrv_factor_catalogue* Catalogue() {
  static cmrv_factor_catalogue* cat = [] {
    cmrv_context* ctx = cmrv_context_create();
    cmrv_factor_catalogue* c = nullptr;
    if (cmrv_factor_catalogue_open_builtin(ctx, &c) != CMRV_OK) std::abort();
    cmrv_context_destroy(ctx);
    return c;
  }();
  return cat;
}

inline cmrv_status NotInternal(cmrv_context* ctx, cmrv_status st) {
  if (st == CMRV_ERR_INTERNAL) {
    std::fprintf(stderr, "CMRV_ERR_INTERNAL: %s\n", cmrv_context_last_error_message(ctx));
    std::abort();
  }
  return st;
}

}  // namespace cmrv_fuzz
