// Validation and balancing of a long-form DiD panel (did_panel.hpp).
#include "policy/did_panel.hpp"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "carbonmrv/status.hpp"
#include "internal/huge_pages.hpp"
#include "internal/invalid.hpp"
#include "internal/strings.hpp"

namespace cmrv::internal {
namespace {

// Equal column lengths; `id_needed` false for repeated cross-sections, where the id column may be empty.
absl::Status CheckColumns(const DidPanel& p, bool id_needed) {
  const std::size_t rows = p.time.size();
  if ((id_needed || !p.id.empty()) && p.id.size() != rows) {
    return Invalid(StrCat("panel: the id and time columns have ", p.id.size(), " and ", rows, " rows"));
  }
  if (p.y.size() != rows || p.group.size() != rows) {
    return Invalid(
        StrCat("panel: the time, y and group columns have ", rows, ", ", p.y.size(), " and ", p.group.size(), " rows"));
  }
  if (p.covariates.size() != p.covariate_names.size()) {
    return Invalid(StrCat("covariates: ", p.covariates.size(), " columns but ", p.covariate_names.size(), " names"));
  }
  for (std::size_t k = 0; k < p.covariates.size(); ++k) {
    if (p.covariates[k].size() != rows)
      return Invalid(StrCat("covariate ", p.covariate_names[k], ": ", p.covariates[k].size(), " rows, not ", rows));
  }
  if (!p.cluster.empty() && p.cluster.size() != rows)
    return Invalid(StrCat("cluster: ", p.cluster.size(), " rows, not ", rows));
  if (rows == 0) return Invalid("panel: no rows");
  return absl::OkStatus();
}

// A covariate constant over the sample is collinear with the intercept (NaN: an unobserved cell).
absl::Status CheckNotConstant(const std::vector<double>& x, const std::string& name) {
  double lo = INFINITY, hi = -INFINITY;
  for (const double v : x) {
    if (std::isnan(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo == hi)
    return Invalid(
        StrCat("covariate ", name, ": constant (", lo, ") in every row; it is collinear with the intercept"));
  return absl::OkStatus();
}

// Replaces cluster labels by their rank among the distinct labels; without labels, each unit is one.
absl::Status NumberClusters(bool given, std::size_t units, std::vector<int64_t>& cluster, int64_t& clusters) {
  if (!given) {
    cluster.resize(units);
    for (std::size_t u = 0; u < units; ++u) cluster[u] = static_cast<int64_t>(u);
    clusters = static_cast<int64_t>(units);
    return absl::OkStatus();
  }
  std::vector<int64_t> labels = cluster;
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  for (auto& c : cluster) c = std::lower_bound(labels.begin(), labels.end(), c) - labels.begin();
  clusters = static_cast<int64_t>(labels.size());
  if (clusters < 2) return Invalid("cluster: the units fall in one cluster; standard errors need two or more");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Panel> BalancePanel(const DidPanel& p, IncompleteUnits incomplete) {
  if (auto s = CheckColumns(p, true); !s.ok()) return s;
  const std::size_t rows = p.id.size();
  Panel P;
  // Units in ascending id order, so that results do not depend on the row order. Rows sorted by id (the
  // usual layout) are numbered by runs; otherwise ids are hashed in order of appearance and renumbered.
  std::vector<uint32_t> row_unit(rows);
  std::vector<int64_t> periods;
  bool sorted = true;
  for (std::size_t i = 0; i < rows; ++i) {
    if (std::isinf(p.y[i]))
      return Invalid(StrCat("y[", i, "] (unit ", p.id[i], ", period ", p.time[i], "): not finite"));
    if (p.group[i] < 0) return Invalid(StrCat("group[", i, "]: ", p.group[i], " is negative (0 means never treated)"));
    if (std::find(periods.begin(), periods.end(), p.time[i]) == periods.end()) periods.push_back(p.time[i]);
    if (i > 0 && p.id[i] < p.id[i - 1]) sorted = false;
  }
  std::vector<uint32_t> rank;
  if (sorted) {
    for (std::size_t i = 0; i < rows; ++i) {
      if (i == 0 || p.id[i] != p.id[i - 1]) P.unit_id.push_back(p.id[i]);
      row_unit[i] = static_cast<uint32_t>(P.unit_id.size() - 1);
    }
    rank.resize(P.unit_id.size());
    for (uint32_t k = 0; k < rank.size(); ++k) rank[k] = k;
  } else {
    absl::flat_hash_map<int64_t, uint32_t> seen_unit;  // id → order of first appearance
    for (std::size_t i = 0; i < rows; ++i) {
      row_unit[i] = i > 0 && p.id[i] == p.id[i - 1]
                        ? row_unit[i - 1]
                        : seen_unit.try_emplace(p.id[i], static_cast<uint32_t>(seen_unit.size())).first->second;
    }
    P.unit_id.resize(seen_unit.size());
    for (const auto& [u, k] : seen_unit) P.unit_id[k] = u;
    std::vector<uint32_t> order(P.unit_id.size());
    for (uint32_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return P.unit_id[a] < P.unit_id[b]; });
    rank.resize(order.size());
    for (uint32_t k = 0; k < order.size(); ++k) rank[order[k]] = k;
    std::sort(P.unit_id.begin(), P.unit_id.end());
  }
  std::sort(periods.begin(), periods.end());
  P.periods = periods;
  const std::size_t T = P.periods.size(), N = P.unit_id.size(), K = p.covariates.size();
  if (T < 2) return Invalid("time: the panel needs at least two periods");
  std::vector<uint8_t> present = HugeVector<uint8_t>(N * T, 0);
  std::vector<double> Y = HugeVector(N * T, std::nan(""));
  std::vector<std::vector<double>> X(K);
  for (auto& x : X) x = HugeVector(N * T, std::nan(""));
  std::vector<int64_t> G(N, -1), CL(N, 0);
  std::vector<std::size_t> first_row(N, 0);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::size_t u = rank[row_unit[i]];
    const auto t =
        static_cast<std::size_t>(std::lower_bound(periods.begin(), periods.end(), p.time[i]) - periods.begin());
    if (present[u * T + t]) return Invalid(StrCat("row ", i, ": unit ", p.id[i], " has period ", p.time[i], " twice"));
    present[u * T + t] = 1;
    Y[u * T + t] = p.y[i];
    for (std::size_t k = 0; k < K; ++k) {
      const double v = p.covariates[k][i];
      if (!std::isfinite(v))
        return Invalid(StrCat("covariate ", p.covariate_names[k], "[", i, "] (unit ", p.id[i], "): not finite"));
      X[k][u * T + t] = v;
    }
    if (G[u] < 0) {
      G[u] = p.group[i];
      first_row[u] = i;
      if (!p.cluster.empty()) CL[u] = p.cluster[i];
    } else if (G[u] != p.group[i]) {
      return Invalid(StrCat("group: unit ", p.id[i], " has first-treatment period ", G[u], " in row ", first_row[u],
                            " and ", p.group[i], " in row ", i,
                            "; a unit's cohort is fixed (treatment cannot switch off)"));
    } else if (!p.cluster.empty() && CL[u] != p.cluster[i]) {
      return Invalid(StrCat("cluster: unit ", p.id[i], " is in cluster ", CL[u], " in row ", first_row[u], " and ",
                            p.cluster[i], " in row ", i, "; a unit's cluster is fixed"));
    }
  }
  // Incomplete units: an error naming the first, dropped with a note (R did's makeBalancedPanel), or kept
  // with their observed cells (units without any outcome are then dropped: they have no observation).
  std::vector<uint8_t> keep(N, 1);
  std::size_t dropped = 0;
  for (std::size_t u = 0; u < N; ++u) {
    std::size_t observed = 0;
    for (std::size_t t = 0; t < T; ++t) observed += present[u * T + t] && !std::isnan(Y[u * T + t]) ? 1U : 0U;
    if (incomplete == IncompleteUnits::kKeep) {
      if (observed > 0 && observed < T) P.complete = false;
      if (observed == 0) {
        keep[u] = 0;
        ++dropped;
      }
      continue;
    }
    for (std::size_t t = 0; t < T && keep[u]; ++t) {
      if (present[u * T + t] && !std::isnan(Y[u * T + t])) continue;
      if (incomplete == IncompleteUnits::kRefuse) {
        return Invalid(StrCat(
            "panel: unit ", P.unit_id[u],
            present[u * T + t] ? " has a missing outcome (NaN) in period " : " has no row for period ", P.periods[t],
            "; the estimator needs a balanced panel (or drop_incomplete_units to leave such units "
            "out)"));
      }
      keep[u] = 0;
      ++dropped;
    }
  }
  if (dropped == N) {
    return Invalid(incomplete == IncompleteUnits::kKeep ? "panel: no unit has an outcome"
                                                        : "panel: no unit is observed in every period");
  }
  if (dropped > 0) {
    P.notes.push_back(StrCat(dropped, " of ", N, " units ",
                             incomplete == IncompleteUnits::kKeep
                                 ? "have no outcome in any period"
                                 : "are not observed (with an outcome) in every period",
                             ": left out"));
  }
  P.T = T;
  P.N = N - dropped;
  if (dropped == 0) {  // the common case: take the arrays as they are
    P.group = std::move(G);
    P.cluster = std::move(CL);
    P.y = std::move(Y);
    P.x = std::move(X);
  } else {
    P.x.assign(K, {});
    std::vector<int64_t> kept_ids;
    for (std::size_t u = 0; u < N; ++u) {
      if (!keep[u]) continue;
      kept_ids.push_back(P.unit_id[u]);
      P.group.push_back(G[u]);
      P.cluster.push_back(CL[u]);
      P.y.insert(P.y.end(), Y.begin() + static_cast<std::ptrdiff_t>(u * T),
                 Y.begin() + static_cast<std::ptrdiff_t>((u + 1) * T));
      for (std::size_t k = 0; k < K; ++k) {
        P.x[k].insert(P.x[k].end(), X[k].begin() + static_cast<std::ptrdiff_t>(u * T),
                      X[k].begin() + static_cast<std::ptrdiff_t>((u + 1) * T));
      }
    }
    P.unit_id = std::move(kept_ids);
  }
  for (std::size_t k = 0; k < K; ++k) {
    if (auto s = CheckNotConstant(P.x[k], p.covariate_names[k]); !s.ok()) return s;
  }
  if (auto s = NumberClusters(!p.cluster.empty(), P.N, P.cluster, P.clusters); !s.ok()) return s;
  return P;
}

}  // namespace cmrv::internal

namespace cmrv::internal {

Observations ObservedCells(Panel panel) {
  Observations o;
  o.periods = std::move(panel.periods);
  o.unit_id = std::move(panel.unit_id);
  o.group = std::move(panel.group);
  o.cluster = std::move(panel.cluster);
  o.T = panel.T;
  o.N = panel.N;
  o.clusters = panel.clusters;
  o.notes = std::move(panel.notes);
  o.x.resize(panel.x.size());
  for (std::size_t u = 0; u < o.N; ++u) {
    for (std::size_t t = 0; t < o.T; ++t) {
      const double y = panel.y[u * o.T + t];
      if (std::isnan(y)) continue;
      o.unit.push_back(static_cast<uint32_t>(u));
      o.period.push_back(static_cast<uint32_t>(t));
      o.y.push_back(y);
      for (std::size_t k = 0; k < o.x.size(); ++k) o.x[k].push_back(panel.x[k][u * o.T + t]);
    }
  }
  return o;
}

absl::StatusOr<Observations> CrossSections(const DidPanel& p) {
  if (auto s = CheckColumns(p, false); !s.ok()) return s;
  const std::size_t rows = p.time.size(), K = p.covariates.size();
  Observations o;
  o.periods = p.time;
  std::sort(o.periods.begin(), o.periods.end());
  o.periods.erase(std::unique(o.periods.begin(), o.periods.end()), o.periods.end());
  o.T = o.periods.size();
  if (o.T < 2) return Invalid("time: the cross-sections need at least two periods");
  o.x.resize(K);
  std::size_t missing = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    if (std::isinf(p.y[i])) return Invalid(StrCat("y[", i, "] (period ", p.time[i], "): not finite"));
    if (p.group[i] < 0) return Invalid(StrCat("group[", i, "]: ", p.group[i], " is negative (0 means never treated)"));
    for (std::size_t k = 0; k < K; ++k) {
      if (!std::isfinite(p.covariates[k][i]))
        return Invalid(StrCat("covariate ", p.covariate_names[k], "[", i, "]: not finite"));
    }
    if (std::isnan(p.y[i])) {
      ++missing;
      continue;
    }
    // Each row is its own unit, numbered by its row in the input (R did's .rowid).
    o.unit.push_back(static_cast<uint32_t>(o.unit_id.size()));
    o.unit_id.push_back(static_cast<int64_t>(i));
    o.period.push_back(
        static_cast<uint32_t>(std::lower_bound(o.periods.begin(), o.periods.end(), p.time[i]) - o.periods.begin()));
    o.y.push_back(p.y[i]);
    o.group.push_back(p.group[i]);
    if (!p.cluster.empty()) o.cluster.push_back(p.cluster[i]);
    for (std::size_t k = 0; k < K; ++k) o.x[k].push_back(p.covariates[k][i]);
  }
  o.N = o.unit_id.size();
  if (o.N == 0) return Invalid("y: every outcome is missing");
  if (missing > 0) o.notes.push_back(StrCat(missing, " of ", rows, " rows have no outcome: left out"));
  for (std::size_t k = 0; k < K; ++k) {
    if (auto s = CheckNotConstant(o.x[k], p.covariate_names[k]); !s.ok()) return s;
  }
  if (auto s = NumberClusters(!p.cluster.empty(), o.N, o.cluster, o.clusters); !s.ok()) return s;
  return o;
}

}  // namespace cmrv::internal
