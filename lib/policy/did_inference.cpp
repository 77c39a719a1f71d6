// Influence-function inference for DiD estimates (did_inference.hpp).
#include "policy/did_inference.hpp"

#include <algorithm>
#include <cmath>

#include "internal/random.hpp"

namespace cmrv::internal {
namespace {

// Σ_{i∈c} ψ_i for every cluster c.
std::vector<double> ClusterSums(const AttGtResult& r, const double* psi) {
  std::vector<double> s(static_cast<std::size_t>(r.clusters), 0.0);
  for (std::size_t i = 0; i < r.unit_cluster.size(); ++i) s[static_cast<std::size_t>(r.unit_cluster[i])] += psi[i];
  return s;
}

// R's quantile(x, p, type = 1): the smallest order statistic with empirical CDF ≥ p.
double QuantileType1(std::vector<double> x, double p) {
  const auto k = static_cast<std::size_t>(std::max(1.0, std::ceil(p * static_cast<double>(x.size()))));
  std::nth_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(k - 1), x.end());
  return x[k - 1];
}

}  // namespace

double InfluenceSe(const AttGtResult& r, const double* psi) {
  double ss = 0;
  if (static_cast<std::size_t>(r.clusters) == r.unit_cluster.size()) {
    for (std::size_t i = 0; i < r.unit_cluster.size(); ++i) ss += psi[i] * psi[i];
  } else {
    for (double s : ClusterSums(r, psi)) ss += s * s;
  }
  return std::sqrt(ss) / static_cast<double>(r.units);
}

Band Inference(const AttGtResult& r, const std::vector<const double*>& psi) {
  Band band;
  const AttGtOptions& o = r.options;
  if (o.bootstrap_draws <= 0) {
    for (const double* p : psi) band.se.push_back(InfluenceSe(r, p));
    band.critical_value = NormalQuantile(1 - o.alpha / 2);
    return band;
  }
  // Cluster sums, cluster-major: S[c·J + j].
  const std::size_t J = psi.size(), C = static_cast<std::size_t>(r.clusters),
                    B = static_cast<std::size_t>(o.bootstrap_draws);
  std::vector<double> S(C * J);
  for (std::size_t j = 0; j < J; ++j) {
    const std::vector<double> s = ClusterSums(r, psi[j]);
    for (std::size_t c = 0; c < C; ++c) S[c * J + j] = s[c];
  }
  // Mammen (1993) two-point weights: mean 0, variance 1.
  const double sqrt5 = std::sqrt(5.0), low = (1 - sqrt5) / 2, high = (1 + sqrt5) / 2;
  const double p_low = (sqrt5 + 1) / (2 * sqrt5);
  SplitMix64 rng(o.seed);
  const double inv_n = 1 / static_cast<double>(r.units);
  std::vector<double> draws(B * J, 0.0);  // draw b of estimate j: (1/N) Σ_c v_bc S_cj
  for (std::size_t b = 0; b < B; ++b) {
    double* row = &draws[b * J];
    for (std::size_t c = 0; c < C; ++c) {
      const double u = static_cast<double>(rng.Next() >> 11) * 0x1.0p-53;
      const double v = u < p_low ? low : high;
      for (std::size_t j = 0; j < J; ++j) row[j] += v * S[c * J + j];
    }
    for (std::size_t j = 0; j < J; ++j) row[j] *= inv_n;
  }
  const double z_iqr = NormalQuantile(0.75) - NormalQuantile(0.25);
  std::vector<double> column(B);
  for (std::size_t j = 0; j < J; ++j) {
    for (std::size_t b = 0; b < B; ++b) column[b] = draws[b * J + j];
    band.se.push_back((QuantileType1(column, 0.75) - QuantileType1(column, 0.25)) / z_iqr);
  }
  // The uniform band over the estimates whose draws are not degenerate (R: bSigma > 0).
  std::vector<double> t_max(B, 0.0);
  bool any = false;
  for (std::size_t j = 0; j < J; ++j) {
    if (!(band.se[j] > 0)) continue;  // degenerate draws (R's mboot drops them too)
    any = true;
    for (std::size_t b = 0; b < B; ++b) t_max[b] = std::max(t_max[b], std::abs(draws[b * J + j]) / band.se[j]);
  }
  band.critical_value = any ? QuantileType1(t_max, 1 - o.alpha) : NormalQuantile(1 - o.alpha / 2);
  band.uniform = any;
  return band;
}

}  // namespace cmrv::internal
