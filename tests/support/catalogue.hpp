// The built-in factor catalogue, built once for the whole C++ core suite.
#pragma once

#include <catch2/catch.hpp>

#include "carbonmrv/factors/factors.hpp"

namespace cmrv_test {

inline const cmrv::FactorCatalogue& Catalogue() {
  static const cmrv::FactorCatalogue c = [] {
    auto built = cmrv::FactorCatalogue::Builtin();
    REQUIRE(built.ok());
    return *std::move(built);
  }();
  return c;
}

}  // namespace cmrv_test
