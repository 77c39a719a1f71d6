// The JSON form of a trace term, shared by the inventory document and the batch report so that a
// term reads the same wherever it appears.
#pragma once

#include <string>

#include "carbonmrv/inventory/inventory.hpp"
#include "internal/json.hpp"
#include "internal/json_writer.hpp"

namespace cmrv::internal {

/// `with_inputs`: also the uncertain inputs of each term (the inventory document, where their ids name
/// the document's own sources; the batch report leaves them out, as its tuples are not documents).
/// Keys in nlohmann's (sorted) order.
inline void WriteTraceTerms(JsonWriter& w, const TraceTerms& terms, bool with_inputs) {
  w.BeginArray();
  for (const auto& t : terms) {
    w.BeginObject();
    if (with_inputs && !t.inputs.empty()) {
      w.Key("inputs");
      w.BeginArray();
      for (const auto& in : t.inputs) {
        w.BeginObject();
        w.Member("id", in.id.view());
        if (in.lower_pct) w.Member("lower_pct", *in.lower_pct);  // only for an asymmetric interval
        w.Member("sensitivity", in.sensitivity);
        w.Key("u_pct");
        in.u_pct ? w.Number(*in.u_pct) : w.Null();
        if (in.upper_pct) w.Member("upper_pct", *in.upper_pct);
        w.EndObject();
      }
      w.EndArray();
    }
    w.Member("name", t.name);
    w.Member("provenance", t.provenance.view());
    w.Member("unit", t.unit);
    w.Member("value", t.value);
    w.EndObject();
  }
  w.EndArray();
}

/// The same as a DOM, for a document built as one (the batch report's few factor tuples).
inline nlohmann::json TraceTermsJson(const TraceTerms& terms, bool with_inputs) {
  std::string text;
  JsonWriter w(text);
  WriteTraceTerms(w, terms, with_inputs);
  return nlohmann::json::parse(text);
}

}  // namespace cmrv::internal
