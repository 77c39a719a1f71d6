// Aggregations of ATT(g,t) (policy/did.hpp): R did's aggte() with analytic standard errors. Weights are
// P(G = g) normalised over the cells kept; their estimation adds, for every unit i,
//   wif_i = Σ_k [ (1{G_i = g_k} − p_k) / Σp − (Σ_j (1{G_i = g_j} − p_j)) p_k / (Σp)² ] ATT_k
// to the weighted influence functions (Callaway & Sant'Anna 2021, Appendix; did's wif()).
#include <algorithm>
#include <cmath>
#include <map>

#include "carbonmrv/policy/did.hpp"
#include "carbonmrv/status.hpp"
#include "internal/huge_pages.hpp"
#include "internal/strings.hpp"
#include "policy/did_inference.hpp"

namespace cmrv {
namespace {

struct Estimate {
  int64_t key = 0;
  double att = 0;
  std::vector<double> influence;  ///< one value per unit
};

// An estimate to combine, by reference: its ATT, its influence function (N values, not copied) and the
// cohort whose share weights it.
struct Part {
  double att;
  const double* influence;
  int64_t cohort;
};

double ShareOf(const AttGtResult& r, int64_t g) {
  const auto it = std::find(r.groups.begin(), r.groups.end(), g);
  return r.group_share[static_cast<std::size_t>(it - r.groups.begin())];
}

// Each unit's position in r.groups, or groups.size() for a unit in no estimated cohort: the weights'
// influence depends on a unit only through its cohort, so it is computed once per cohort.
std::vector<uint32_t> CohortIndex(const AttGtResult& r) {
  std::vector<uint32_t> idx(r.unit_group.size());
  for (std::size_t i = 0; i < idx.size(); ++i) {
    const auto it = std::find(r.groups.begin(), r.groups.end(), r.unit_group[i]);
    idx[i] = static_cast<uint32_t>(it - r.groups.begin());
  }
  return idx;
}

// Σ_k w_k θ_k with w ∝ P(G = g_k), including the weights' influence (wif above).
Estimate Weighted(const AttGtResult& r, const std::vector<uint32_t>& cohort_index, const std::vector<Part>& parts) {
  const std::size_t N = static_cast<std::size_t>(r.units), K = parts.size(), C = r.groups.size();
  std::vector<double> p(K);
  double sum_p = 0;
  for (std::size_t k = 0; k < K; ++k) sum_p += p[k] = ShareOf(r, parts[k].cohort);
  Estimate e;
  e.influence = internal::HugeVector(N, 0.0);
  for (std::size_t k = 0; k < K; ++k) {
    const double w = p[k] / sum_p;
    e.att += w * parts[k].att;
    const double* f = parts[k].influence;
    for (std::size_t i = 0; i < N; ++i) e.influence[i] += w * f[i];
  }
  // wif for a unit of cohort c (c = C: none of the estimated cohorts).
  std::vector<double> wif(C + 1, 0.0);
  for (std::size_t c = 0; c <= C; ++c) {
    const int64_t g = c < C ? r.groups[c] : -1;
    double total = 0;  // Σ_j (1{G_i = g_j} − p_j)
    for (std::size_t k = 0; k < K; ++k) total += (parts[k].cohort == g ? 1.0 : 0.0) - p[k];
    for (std::size_t k = 0; k < K; ++k) {
      const double own = (parts[k].cohort == g ? 1.0 : 0.0) - p[k];
      wif[c] += (own / sum_p - total * p[k] / (sum_p * sum_p)) * parts[k].att;
    }
  }
  for (std::size_t i = 0; i < N; ++i) e.influence[i] += wif[cohort_index[i]];
  return e;
}

// The plain mean of estimates and of their influence functions (equal, fixed weights).
Estimate Mean(const std::vector<Part>& parts, std::size_t n) {
  Estimate e;
  e.influence = internal::HugeVector(n, 0.0);
  const double w = 1.0 / static_cast<double>(parts.size());
  for (const auto& part : parts) {
    e.att += w * part.att;
    for (std::size_t i = 0; i < n; ++i) e.influence[i] += w * part.influence[i];
  }
  return e;
}

Part CellPart(const AttGtResult& r, std::size_t k) {
  return {r.cells[k].att, r.influence.data() + k * static_cast<std::size_t>(r.units), r.cells[k].group};
}

Part EstimatePart(const Estimate& e, int64_t cohort) { return {e.att, e.influence.data(), cohort}; }

// The cells selected by `keep`, weighted by cohort share.
Estimate WeightedCells(const AttGtResult& r, const std::vector<uint32_t>& cohort_index,
                       const std::vector<std::size_t>& keep) {
  std::vector<Part> parts;
  parts.reserve(keep.size());
  for (std::size_t k : keep) parts.push_back(CellPart(r, k));
  return Weighted(r, cohort_index, parts);
}

}  // namespace

std::string_view AggregationTypeName(AggregationType t) {
  switch (t) {
    case AggregationType::kSimple: return "simple";
    case AggregationType::kGroup: return "group";
    case AggregationType::kDynamic: return "dynamic";
    case AggregationType::kCalendar: return "calendar";
  }
  return "simple";
}

absl::StatusOr<AggregationType> ParseAggregationType(std::string_view name) {
  for (auto t :
       {AggregationType::kSimple, AggregationType::kGroup, AggregationType::kDynamic, AggregationType::kCalendar}) {
    if (name == AggregationTypeName(t)) return t;
  }
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                   internal::StrCat("aggregation \"", name, "\" is not one of simple, group, dynamic, calendar"));
}

absl::StatusOr<AggregateResult> Aggregate(const AttGtResult& r, AggregationType type, const AggregateOptions& opt) {
  if (r.cells.empty() || r.influence.size() != r.cells.size() * static_cast<std::size_t>(r.units)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     "aggregate: the ATT(g,t) result has no cells or no influence functions");
  }
  AggregateResult out;
  out.type = type;
  const int ant = r.options.anticipation;
  // Post-treatment cells: t ≥ g − anticipation.
  auto post = [&](const AttGtCell& c) { return c.time >= c.group - ant; };
  if (opt.min_e && opt.max_e && *opt.min_e > *opt.max_e) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     internal::StrCat("aggregate: min_e ", *opt.min_e, " is after max_e ", *opt.max_e));
  }
  const std::vector<uint32_t> cohort_index = CohortIndex(r);
  const std::size_t N = static_cast<std::size_t>(r.units);
  Estimate overall;
  std::vector<Estimate> elements;
  if (type == AggregationType::kSimple) {
    std::vector<std::size_t> keep;
    for (std::size_t k = 0; k < r.cells.size(); ++k) {
      if (post(r.cells[k])) keep.push_back(k);
    }
    overall = WeightedCells(r, cohort_index, keep);
  } else if (type == AggregationType::kGroup) {
    for (int64_t g : r.groups) {
      std::vector<Part> cells;
      for (std::size_t k = 0; k < r.cells.size(); ++k) {
        if (r.cells[k].group == g && post(r.cells[k])) cells.push_back(CellPart(r, k));
      }
      if (cells.empty()) continue;
      elements.push_back(Mean(cells, N));
      elements.back().key = g;
    }
    std::vector<Part> by_group;
    by_group.reserve(elements.size());
    for (const auto& e : elements) by_group.push_back(EstimatePart(e, e.key));
    overall = Weighted(r, cohort_index, by_group);
  } else if (type == AggregationType::kDynamic) {
    std::map<int64_t, std::vector<std::size_t>> by_e;
    for (std::size_t k = 0; k < r.cells.size(); ++k) {
      const int64_t e = r.cells[k].time - r.cells[k].group;
      if ((!opt.min_e || e >= *opt.min_e) && (!opt.max_e || e <= *opt.max_e)) by_e[e].push_back(k);
    }
    for (const auto& [e, keep] : by_e) {
      elements.push_back(WeightedCells(r, cohort_index, keep));
      elements.back().key = e;
    }
    std::vector<Part> post_e;
    for (const auto& e : elements) {
      if (e.key >= -ant) post_e.push_back(EstimatePart(e, 0));
    }
    if (post_e.empty()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       "aggregate: no post-treatment event time in the window");
    }
    overall = Mean(post_e, N);
  } else {
    for (int64_t t : r.periods) {
      if (t < r.groups.front()) continue;
      std::vector<std::size_t> keep;
      for (std::size_t k = 0; k < r.cells.size(); ++k) {
        if (r.cells[k].time == t && post(r.cells[k])) keep.push_back(k);
      }
      if (keep.empty()) continue;
      elements.push_back(WeightedCells(r, cohort_index, keep));
      elements.back().key = t;
    }
    std::vector<Part> by_t;
    by_t.reserve(elements.size());
    for (const auto& e : elements) by_t.push_back(EstimatePart(e, 0));
    overall = Mean(by_t, N);
  }
  out.overall_att = overall.att;
  out.overall_se = internal::Inference(r, {overall.influence.data()}).se.front();
  std::vector<const double*> psi;
  psi.reserve(elements.size());
  for (const auto& e : elements) psi.push_back(e.influence.data());
  if (!psi.empty()) {
    const internal::Band band = internal::Inference(r, psi);
    for (std::size_t j = 0; j < elements.size(); ++j) {
      out.elements.push_back({elements[j].key, elements[j].att, band.se[j]});
    }
    out.critical_value = band.critical_value;
    out.uniform_band = band.uniform;
  } else {
    out.critical_value = NormalQuantile(1 - r.options.alpha / 2);
  }
  return out;
}

}  // namespace cmrv
