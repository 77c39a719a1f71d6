// Standard errors and bands of DiD estimates from their influence functions (policy/did.hpp), shared by
// ATT(g,t) and its aggregations so that both use the same clusters, draws and seed.
#pragma once

#include <vector>

#include "carbonmrv/policy/did.hpp"

namespace cmrv::internal {

/// Cluster-robust analytic SE of an estimate with influence function ψ (one value per unit of `r`):
/// √(Σ_c (Σ_{i∈c} ψ_i)²) / N; with one unit per cluster, √(Σψ²)/N = √(ψ'ψ/N)/√N as R did's.
double InfluenceSe(const AttGtResult& r, const double* psi);

struct Band {
  std::vector<double> se;  ///< one per estimate
  double critical_value = 0;
  bool uniform = false;
};

/// The SEs and band multiplier of estimates with influence functions `psi` (each N values): analytic
/// and z(1 − α/2) without bootstrap draws; otherwise R did's multiplier bootstrap (mboot): Mammen
/// weights drawn per cluster from SplitMix64(seed), SE = IQR of the draws / (z.75 − z.25), and the
/// uniform critical value = the (1 − α) quantile (type 1) of max_j |draw_j| / SE_j.
Band Inference(const AttGtResult& r, const std::vector<const double*>& psi);

}  // namespace cmrv::internal
