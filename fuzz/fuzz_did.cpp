// libFuzzer target: a long-form panel CSV (what `carbonmrv did` reads, columns id,time,y,g,x) through
// ATT(g,t) with the covariate (DR; dropping incomplete units, keeping them as an unbalanced panel, or as
// repeated cross-sections, chosen by the input's length), every aggregation, TWFE and the Goodman-Bacon
// decomposition. Findings: any crash or sanitizer report, an internal error, a non-finite
// estimate or SE presented as a result, or Goodman-Bacon weights that do not sum to 1.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "carbonmrv/policy/did.hpp"
#include "carbonmrv/policy/twfe.hpp"

namespace {

void Check(const absl::Status& s) {
  if (s.code() == absl::StatusCode::kInternal) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto panel = cmrv::ReadDidPanelCsv(text, "fuzz.csv", {"y", "time", "id", "g", {"x"}, ""});
  if (!panel.ok()) return 0;
  if (panel->id.size() > 4000) return 0;  // keep each input fast
  cmrv::AttGtOptions o;
  o.drop_incomplete_units = true;
  o.allow_unbalanced_panel = size % 3 == 1;
  o.panel = size % 3 != 2;
  auto r = cmrv::AttGt(*panel, o);
  Check(r.status());
  if (r.ok()) {
    for (const auto& c : r->cells) {
      if (!std::isfinite(c.att) || !std::isfinite(c.se)) std::abort();
    }
    for (auto t : {cmrv::AggregationType::kSimple, cmrv::AggregationType::kGroup, cmrv::AggregationType::kDynamic,
                   cmrv::AggregationType::kCalendar}) {
      Check(cmrv::Aggregate(*r, t).status());
    }
  }
  auto plain = *panel;
  plain.covariate_names.clear();
  plain.covariates.clear();
  Check(cmrv::Twfe(plain, true).status());
  auto b = cmrv::BaconDecomposition(plain, true);
  Check(b.status());
  if (b.ok()) {
    double w = 0;
    for (const auto& c : b->comparisons) w += c.weight;
    if (std::abs(w - 1) > 1e-9) std::abort();
  }
  return 0;
}
