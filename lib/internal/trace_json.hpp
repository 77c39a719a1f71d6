// The JSON form of a trace term, shared by the inventory document and the batch report so that a
// term reads the same wherever it appears.
#pragma once

#include <vector>
#include "internal/json.hpp"

#include "carbonmrv/inventory/inventory.hpp"

namespace cmrv::internal {

/// `with_inputs`: also the uncertain inputs of each term (the inventory document, where their ids name
/// the document's own sources; the batch report leaves them out, as its tuples are not documents).
inline nlohmann::json TraceTermsJson(const TraceTerms& terms, bool with_inputs) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : terms) {
    nlohmann::json j = {{"name", t.name}, {"value", t.value}, {"unit", t.unit}, {"provenance", t.provenance.str()}};
    if (with_inputs && !t.inputs.empty()) {
      nlohmann::json inputs = nlohmann::json::array();
      for (const auto& in : t.inputs) {
        nlohmann::json ij = {{"id", in.id.str()},
                             {"sensitivity", in.sensitivity},
                             {"u_pct", in.u_pct ? nlohmann::json(*in.u_pct) : nlohmann::json(nullptr)}};
        if (in.lower_pct) ij["lower_pct"] = *in.lower_pct;  // only for an asymmetric interval
        if (in.upper_pct) ij["upper_pct"] = *in.upper_pct;
        inputs.push_back(std::move(ij));
      }
      j["inputs"] = inputs;
    }
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace cmrv::internal
