// Ex-post comparison of cleaner-production options (X23): what the implemented options of an audit
// claimed against what a later year's data show, normalised by the output of the audit's product
// (GB/T 13234 用能单位节能量计算方法: ΔE = Σ (e_report − e_base) × M_report, a saving
// measured at the reporting period's output).
#include <set>

#include "verification/verifier.hpp"

namespace cmrv {

namespace {

absl::Status AuditError(std::size_t a, std::string_view field, const std::string& what) {
  return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kInvalidArgument,
                   internal::StrCat("cleaner_production.audits[", a, "]", field.empty() ? "" : ".", field, ": ", what));
}

}  // namespace

absl::StatusOr<std::vector<ExPostComparison>> CompareExPost(const Enterprise& baseline, const Enterprise& review,
                                                            const FactorCatalogue& catalogue,
                                                            const InventoryOptions& options,
                                                            const Inventory* baseline_inventory,
                                                            const Inventory* review_inventory) {
  using internal::StrCat;
  if (review.year <= baseline.year) {
    return MakeError(
        absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
        StrCat("the review document's year ", review.year, " is not after the audit's year ", baseline.year));
  }
  std::vector<ExPostComparison> out;
  std::optional<double> base_total, review_total;  // computed once, when an audit needs them
  for (std::size_t a = 0; a < baseline.audits.size(); ++a) {
    const AuditRound& round = baseline.audits[a];
    Enterprise after = baseline;
    std::vector<const AuditOption*> done;
    for (std::size_t j = 0; j < round.options.size(); ++j) {
      if (!IsImplemented(round.options[j].status)) continue;
      auto applied =
          ApplyOption(after, round.options[j], StrCat("cleaner_production.audits[", a, "].options[", j, "]"));
      if (!applied.ok()) return applied.status();
      after = *std::move(applied);
      done.push_back(&round.options[j]);
    }
    if (done.empty()) continue;
    if (round.product.empty()) {
      return AuditError(a, "product", "the ex-post comparison normalises by a product's output; name it");
    }
    // The product's unit as the baseline records it.
    const auto first = std::find_if(baseline.production.begin(), baseline.production.end(),
                                    [&](const ProductionRecord& p) { return p.product == round.product; });
    if (first == baseline.production.end()) {
      return AuditError(a, "product", StrCat("no production of \"", round.product, "\" in ", baseline.year));
    }
    const std::string punit = first->quantity.unit_text.str();
    auto p_base = ProductOutput(baseline, round.product, punit);
    auto p_rev = ProductOutput(review, round.product, punit);
    if (!p_base.ok()) return AuditError(a, "product", std::string(p_base.status().message()));
    if (!p_rev.ok()) return AuditError(a, "product", StrCat("review document: ", p_rev.status().message()));
    if (*p_base <= 0) return AuditError(a, "product", StrCat("output of \"", round.product, "\" is 0"));
    const double ratio = *p_rev / *p_base;

    auto compare = [&](std::string subject, std::string unit, double base, double after_v, double rev,
                       std::string ids) {
      ExPostComparison c;
      c.audit = round.id;
      c.options = std::move(ids);
      c.subject = std::move(subject);
      c.unit = std::move(unit);
      c.baseline_year = baseline.year;
      c.review_year = review.year;
      c.baseline = base;
      c.review = rev;
      c.production_ratio = ratio;
      c.claimed = base - after_v;
      c.expected = c.claimed * ratio;
      c.observed = base * ratio - rev;
      if (c.expected != 0) c.relative = (c.observed - c.expected) / c.expected;
      out.push_back(std::move(c));
    };
    // Per source, in the order the options first touch them.
    std::vector<std::string> sources;
    for (const auto* o : done) {
      for (const auto& fx : o->effects) {
        if (std::find(sources.begin(), sources.end(), fx.source) == sources.end()) sources.push_back(fx.source);
      }
    }
    for (const auto& id : sources) {
      const auto& src = *std::find_if(baseline.sources.begin(), baseline.sources.end(),
                                      [&](const SourceStream& s) { return s.id == id; });
      const std::string unit = src.activity.front().quantity.unit_text.str();
      auto base = SourceActivity(baseline, id, unit);
      auto aft = SourceActivity(after, id, unit);
      if (!base.ok()) return base.status();
      if (!aft.ok()) return aft.status();
      // A source the review year no longer has (a fuel switched away from) used nothing.
      auto rev = SourceActivity(review, id, unit);
      if (!rev.ok() && rev.status().code() != absl::StatusCode::kNotFound) {
        return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
                         StrCat("review document: source \"", id, "\": ", rev.status().message()));
      }
      std::vector<std::string> ids;
      for (const auto* o : done) {
        if (std::any_of(o->effects.begin(), o->effects.end(), [&](const OptionEffect& fx) { return fx.source == id; }))
          ids.push_back(o->id);
      }
      compare(id, unit, *base, *aft, rev.ok() ? *rev : 0.0, internal::StrJoin(ids, ","));
    }
    // Scope 1 + 2 emissions, each year by its own inventory.
    if (!base_total) {
      auto total = [&](const Enterprise& e, const Inventory* given) -> absl::StatusOr<double> {
        if (given != nullptr) return given->TotalCo2e();
        auto inv = ComputeInventory(e, catalogue, options);
        if (!inv.ok()) return inv.status();
        return inv->TotalCo2e();
      };
      auto b = total(baseline, baseline_inventory);
      if (!b.ok()) return b.status();
      auto r = total(review, review_inventory);
      if (!r.ok()) return WithContext(r.status(), "review document");
      base_total = *b;
      review_total = *r;
    }
    auto after_inv = ComputeInventory(after, catalogue, options);
    if (!after_inv.ok()) return after_inv.status();
    std::vector<std::string> ids;
    ids.reserve(done.size());
    for (const auto* o : done) ids.push_back(o->id);
    compare("total", "tCO2e", *base_total, after_inv->TotalCo2e(), *review_total, internal::StrJoin(ids, ","));
  }
  return out;
}

namespace internal {

bool Verifier::X23() {
  if (!o_.audit_baseline) return Skip(CheckId::kX23, "no audit baseline document");
  auto cmp = CompareExPost(*o_.audit_baseline, e_, cat_, o_.inventory, nullptr, &inv_);  // this year's: recomputed
  if (!cmp.ok()) return Skip(CheckId::kX23, std::string(cmp.status().message()));
  if (cmp->empty()) return Skip(CheckId::kX23, "the audit baseline has no implemented option");
  for (const auto& c : *cmp) {
    if (!c.relative) continue;
    Finding f = Against(c.subject, std::to_string(c.review_year), c.observed, c.expected, c.unit);
    f.message =
        StrCat("audit ", c.audit, " options ", c.options, ": claimed saving ", c.claimed, " ", c.unit, " at ",
               c.baseline_year, " output, ", c.expected, " at ", c.review_year, " output (× ", c.production_ratio,
               "); the ", c.review_year, " data show ", c.observed, " (", Pct(*c.relative), ")");
    f.message_zh = StrCat("审核 ", c.audit, " 方案 ", c.options, "：申报节约量 ", c.expected, " ", c.unit, "（按",
                          c.review_year, "年产量折算），实际 ", c.observed, "（", Pct(*c.relative), "）");
    Grade(CheckId::kX23, std::move(f));
  }
  return true;
}

}  // namespace internal
}  // namespace cmrv
