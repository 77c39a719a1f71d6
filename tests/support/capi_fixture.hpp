// A C API context with the built-in catalogue, for the C API suites (one per test case).
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "carbonmrv.h"

namespace cmrv_test {

struct CatalogueContext {
  cmrv_context* ctx = cmrv_context_create();
  cmrv_factor_catalogue* cat = nullptr;
  CatalogueContext() { REQUIRE(cmrv_factor_catalogue_open_builtin(ctx, &cat) == CMRV_OK); }
  ~CatalogueContext() {
    cmrv_factor_catalogue_destroy(cat);
    cmrv_context_destroy(ctx);
  }
  CatalogueContext(const CatalogueContext&) = delete;
  CatalogueContext& operator=(const CatalogueContext&) = delete;
  std::string msg() const { return cmrv_context_last_error_message(ctx); }
};

}  // namespace cmrv_test
