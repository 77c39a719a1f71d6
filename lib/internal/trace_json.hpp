// The JSON form of a trace term, shared by the inventory document and the batch report so that a
// term reads the same wherever it appears.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "carbonmrv/inventory.hpp"

namespace cmrv::internal {

inline nlohmann::json TraceTermsJson(const std::vector<TraceTerm>& terms) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : terms) {
    out.push_back({{"name", t.name}, {"value", t.value}, {"unit", t.unit}, {"provenance", t.provenance}});
  }
  return out;
}

}  // namespace cmrv::internal
