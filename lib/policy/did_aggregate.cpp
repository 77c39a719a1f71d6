// Aggregations of ATT(g,t) (policy/did.hpp): R did's aggte() with analytic standard errors. Weights are
// P(G = g) normalised over the cells kept; their estimation adds, for every unit i,
//   wif_i = Σ_k [ (1{G_i = g_k} − p_k) / Σp − (Σ_j (1{G_i = g_j} − p_j)) p_k / (Σp)² ] ATT_k
// to the weighted influence functions (Callaway & Sant'Anna 2021, Appendix; did's wif()).
#include <algorithm>
#include <cmath>
#include <map>

#include "carbonmrv/policy/did.hpp"
#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"
#include "policy/did_inference.hpp"

namespace cmrv {
namespace {

struct Estimate {
  int64_t key = 0;
  double att = 0;
  std::vector<double> influence;  ///< one value per unit
};

double ShareOf(const AttGtResult& r, int64_t g) {
  const auto it = std::find(r.groups.begin(), r.groups.end(), g);
  return r.group_share[static_cast<std::size_t>(it - r.groups.begin())];
}

// Σ_k w_k θ_k over `keep` (cells, or per-cohort estimates with their cohorts) with w ∝ P(G = g_k),
// including the weights' influence.
Estimate Weighted(const AttGtResult& r, const std::vector<Estimate>& parts, const std::vector<int64_t>& cohorts) {
  const std::size_t N = static_cast<std::size_t>(r.units), K = parts.size();
  std::vector<double> p(K);
  double sum_p = 0;
  for (std::size_t k = 0; k < K; ++k) sum_p += p[k] = ShareOf(r, cohorts[k]);
  Estimate e;
  e.influence.assign(N, 0.0);
  for (std::size_t k = 0; k < K; ++k) {
    const double w = p[k] / sum_p;
    e.att += w * parts[k].att;
    for (std::size_t i = 0; i < N; ++i) e.influence[i] += w * parts[k].influence[i];
  }
  for (std::size_t i = 0; i < N; ++i) {
    double total = 0;  // Σ_j (1{G_i = g_j} − p_j)
    for (std::size_t k = 0; k < K; ++k) total += (r.unit_group[i] == cohorts[k] ? 1.0 : 0.0) - p[k];
    double wif = 0;
    for (std::size_t k = 0; k < K; ++k) {
      const double own = (r.unit_group[i] == cohorts[k] ? 1.0 : 0.0) - p[k];
      wif += (own / sum_p - total * p[k] / (sum_p * sum_p)) * parts[k].att;
    }
    e.influence[i] += wif;
  }
  return e;
}

// The plain mean of estimates and of their influence functions (equal, fixed weights).
Estimate Mean(const std::vector<Estimate>& parts) {
  Estimate e;
  e.influence.assign(parts.front().influence.size(), 0.0);
  const double w = 1.0 / static_cast<double>(parts.size());
  for (const auto& part : parts) {
    e.att += w * part.att;
    for (std::size_t i = 0; i < e.influence.size(); ++i) e.influence[i] += w * part.influence[i];
  }
  return e;
}

Estimate Cell(const AttGtResult& r, std::size_t k) {
  const std::size_t N = static_cast<std::size_t>(r.units);
  const auto first = r.influence.begin() + static_cast<std::ptrdiff_t>(k * N);
  return {0, r.cells[k].att, std::vector<double>(first, first + static_cast<std::ptrdiff_t>(N))};
}

// The cells selected by `keep`, weighted by cohort share.
Estimate WeightedCells(const AttGtResult& r, const std::vector<std::size_t>& keep) {
  std::vector<Estimate> parts;
  std::vector<int64_t> cohorts;
  for (std::size_t k : keep) {
    parts.push_back(Cell(r, k));
    cohorts.push_back(r.cells[k].group);
  }
  return Weighted(r, parts, cohorts);
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
  Estimate overall;
  std::vector<Estimate> elements;
  if (type == AggregationType::kSimple) {
    std::vector<std::size_t> keep;
    for (std::size_t k = 0; k < r.cells.size(); ++k) {
      if (post(r.cells[k])) keep.push_back(k);
    }
    overall = WeightedCells(r, keep);
  } else if (type == AggregationType::kGroup) {
    std::vector<Estimate> by_group;
    std::vector<int64_t> cohorts;
    for (int64_t g : r.groups) {
      std::vector<Estimate> cells;
      for (std::size_t k = 0; k < r.cells.size(); ++k) {
        if (r.cells[k].group == g && post(r.cells[k])) cells.push_back(Cell(r, k));
      }
      if (cells.empty()) continue;
      by_group.push_back(Mean(cells));
      by_group.back().key = g;
      cohorts.push_back(g);
    }
    elements = by_group;
    overall = Weighted(r, by_group, cohorts);
  } else if (type == AggregationType::kDynamic) {
    std::map<int64_t, std::vector<std::size_t>> by_e;
    for (std::size_t k = 0; k < r.cells.size(); ++k) {
      const int64_t e = r.cells[k].time - r.cells[k].group;
      if ((!opt.min_e || e >= *opt.min_e) && (!opt.max_e || e <= *opt.max_e)) by_e[e].push_back(k);
    }
    std::vector<Estimate> post_e;
    for (const auto& [e, keep] : by_e) {
      Estimate est = WeightedCells(r, keep);
      est.key = e;
      if (e >= -ant) post_e.push_back(est);
      elements.push_back(std::move(est));
    }
    if (post_e.empty()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       "aggregate: no post-treatment event time in the window");
    }
    overall = Mean(post_e);
  } else {
    std::vector<Estimate> by_t;
    for (int64_t t : r.periods) {
      if (t < r.groups.front()) continue;
      std::vector<std::size_t> keep;
      for (std::size_t k = 0; k < r.cells.size(); ++k) {
        if (r.cells[k].time == t && post(r.cells[k])) keep.push_back(k);
      }
      if (keep.empty()) continue;
      Estimate est = WeightedCells(r, keep);
      est.key = t;
      by_t.push_back(std::move(est));
    }
    overall = Mean(by_t);
    elements = std::move(by_t);
  }
  out.overall_att = overall.att;
  out.overall_se = internal::Inference(r, {overall.influence.data()}).se.front();
  std::vector<const double*> psi;
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
