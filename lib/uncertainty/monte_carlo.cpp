#include "carbonmrv/uncertainty/monte_carlo.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <thread>

#include "carbonmrv/status.hpp"
#include "internal/invalid.hpp"
#include "internal/isa.hpp"
#include "internal/json.hpp"
#include "internal/line_group.hpp"
#include "internal/philox.hpp"
#include "internal/sha256.hpp"
#include "internal/strings.hpp"
#include "internal/threads.hpp"

namespace cmrv {

using internal::StrCat;

std::string_view DistributionName(Distribution d) {
  switch (d) {
    case Distribution::kNormal: return "normal";
    case Distribution::kLognormal: return "lognormal";
    case Distribution::kTriangular: return "triangular";
    case Distribution::kUniform: return "uniform";
  }
  return "?";
}

absl::StatusOr<Distribution> ParseDistribution(std::string_view name) {
  for (Distribution d : kDistributions) {
    if (DistributionName(d) == name) return d;
  }
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                   StrCat("unknown distribution \"", name, "\"; expected normal, lognormal, triangular or uniform"));
}

std::string_view MonteCarloMethod() {
  return "IPCC 2006 Vol. 1 Ch. 3 Approach 2 (Monte Carlo): every line the product of its trace terms, each "
         "uncertain input one draw shared by every line that uses it; distributions fitted to each input's 95 % "
         "interval (normal or lognormal by default); Philox4x32-10 draws keyed by (seed, input id, draw); "
         "2.5/97.5 percentiles by linear interpolation (type 7); contribution = squared correlation, normalised";
}

namespace {

constexpr double kZ975 = 1.959963984540054;  // Φ⁻¹(0.975): the 95 % interval of a normal is ±z·σ
constexpr double kTail = 0.025;              // each tail outside the 95 % interval
constexpr uint64_t kMaxDraws = 1'000'000'000;
constexpr uint64_t kMaxStored = uint64_t{1} << 30;  // draws × groups kept: 8 GiB of doubles
constexpr std::size_t kBlock = 64;                  // draws evaluated together (ratios stay in L2)
constexpr std::size_t kChunk = 1024;                // draws per deterministic partial sum

using internal::Invalid;

// A distribution of the ratio r = x/x̂, with its parameters fitted to the 95 % interval.
struct Law {
  Distribution shape = Distribution::kNormal;
  double p0 = 0, p1 = 0, p2 = 0;  // normal: σ; lognormal: μ, σ; triangular/uniform: a, b (and F(1))
};

// Triangular with mode 1 whose 2.5 and 97.5 percentiles are 1 − l and 1 + u: with w1 = 1 − a,
// w2 = b − 1 and W = w1 + w2, the lower tail gives (w1 − l)² = 0.025·W·w1 (w1 > l) and the upper
// (w2 − u)² = 0.025·W·w2; each is a quadratic in w for a given W, and W = w1(W) + w2(W) is found by
// bisection (the residual changes sign once on [l + u, ∞)).
std::pair<double, double> TriangularLimits(double l, double u) {
  auto side = [](double t, double W) {  // the root w > t of w² − (2t + pW)w + t² = 0
    const double b = 2 * t + kTail * W;
    return (b + std::sqrt(std::max(0.0, b * b - 4 * t * t))) / 2;
  };
  double lo = l + u, hi = 2 * (l + u) / (1 - std::sqrt(2 * kTail));
  while (side(l, hi) + side(u, hi) > hi) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
    const double mid = (lo + hi) / 2;
    (side(l, mid) + side(u, mid) > mid ? lo : hi) = mid;
  }
  const double W = (lo + hi) / 2;
  return {1 - side(l, W), 1 + side(u, W)};
}

absl::StatusOr<Law> Fit(Distribution shape, double lower_pct, double upper_pct, const std::string& who) {
  const double l = lower_pct / 100, u = upper_pct / 100;
  Law law{shape};
  switch (shape) {
    case Distribution::kNormal:
      if (lower_pct != upper_pct) {
        return Invalid(StrCat(who, ": a normal distribution needs a symmetric interval; this one is −", lower_pct,
                              " % / +", upper_pct, " % (use lognormal or triangular)"));
      }
      law.p0 = u / kZ975;
      return law;
    case Distribution::kLognormal:
      if (l >= 1) {
        return Invalid(StrCat(who, ": a lognormal distribution needs the lower bound above 0 (−", lower_pct,
                              " % reaches it); use normal, triangular or uniform"));
      }
      law.p0 = (std::log1p(u) + std::log1p(-l)) / 2;
      law.p1 = (std::log1p(u) - std::log1p(-l)) / (2 * kZ975);
      return law;
    case Distribution::kTriangular: {
      if (l == 0 && u == 0) return law;  // degenerate: r = 1
      if (l == 0 || u == 0) {
        return Invalid(
            StrCat(who, ": a triangular distribution with its mode at the value needs both sides of the interval"));
      }
      auto [a, b] = TriangularLimits(l, u);
      law.p0 = a;
      law.p1 = b;
      law.p2 = (1 - a) / (b - a);
      return law;
    }
    case Distribution::kUniform: {
      const double width = (l + u) / (1 - 2 * kTail);
      law.p0 = 1 - l - kTail * width;
      law.p1 = law.p0 + width;
      return law;
    }
  }
  return law;
}

// The input's 64-bit stream key: the first 8 bytes of SHA-256 of its id, so that an input's draws do
// not depend on which other inputs the inventory has.
uint64_t StreamOf(std::string_view id) {
  const std::string hex = internal::Sha256Hex(id);
  return std::stoull(hex.substr(0, 16), nullptr, 16);
}

// The Philox counter of pair `pair`, attempt `attempt`, of one input's stream.
internal::PhiloxBlock PairCounter(uint64_t pair, uint32_t attempt, uint64_t stream) {
  return {static_cast<uint32_t>(pair), static_cast<uint32_t>(pair >> 32) | (attempt << 24),
          static_cast<uint32_t>(stream), static_cast<uint32_t>(stream >> 32)};
}

// Philox blocks of `pairs` pairs of one input's stream at one attempt, as uniforms: pair `at[j]`
// (relative to `first`) gives u1[j], u2[j]. The rounds run across the pairs with the four counter
// words in separate arrays, so that they are vectorised.
[[gnu::always_inline]] inline void PairUniforms(const uint32_t* at, std::size_t pairs, uint64_t first, uint32_t attempt,
                                                uint64_t stream, std::array<uint32_t, 2> key, double* u1, double* u2) {
  constexpr std::size_t kPairs = kBlock / 2;
  uint32_t c0[kPairs], c1[kPairs], c2[kPairs], c3[kPairs];
  for (std::size_t j = 0; j < pairs; ++j) {
    const internal::PhiloxBlock c = PairCounter(first + (at ? at[j] : j), attempt, stream);
    c0[j] = c[0];
    c1[j] = c[1];
    c2[j] = c[2];
    c3[j] = c[3];
  }
  internal::Philox4x32Columns(c0, c1, c2, c3, pairs, key);
  for (std::size_t j = 0; j < pairs; ++j) {
    u1[j] = internal::UnitOpen(c0[j], c1[j]);
    u2[j] = internal::UnitOpen(c2[j], c3[j]);
  }
}

// Ratios r of draws [d0, d0 + n) of one input (n ≤ kBlock, d0 even): each Philox block gives the two
// uniforms of a pair of draws; a normal pair comes from Marsaglia's polar method, a rejected pair
// retrying with the attempt number in the counter. Done in phases over the block: the Philox rounds
// side by side, the rejected pairs of each attempt together, the logarithms, then the square roots
// and divisions (vectorised; IEEE-rounded like their scalar forms) and the distribution's transform,
// chosen once per block. Each pair's arithmetic is the same as one pair at a time, so the draws are.
[[gnu::always_inline]] inline void DrawRatios(const Law& law, uint64_t stream, uint64_t seed, uint64_t d0,
                                              std::size_t n, double* r) {
  constexpr std::size_t kPairs = kBlock / 2;
  const std::array<uint32_t, 2> key{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)};
  const std::size_t pairs = (n + 1) / 2;
  const uint64_t first = d0 / 2;
  double u1[kPairs], u2[kPairs];
  PairUniforms(nullptr, pairs, first, 0, stream, key, u1, u2);
  auto put = [&](std::size_t j, double a, double b) {
    r[2 * j] = a;
    if (2 * j + 1 < n) r[2 * j + 1] = b;
  };
  switch (law.shape) {
    case Distribution::kNormal:
    case Distribution::kLognormal: {
      double s[kPairs], f[kPairs];
      for (std::size_t j = 0; j < pairs; ++j) {
        u1[j] = 2 * u1[j] - 1;  // now v1, v2 of the polar method
        u2[j] = 2 * u2[j] - 1;
        s[j] = u1[j] * u1[j] + u2[j] * u2[j];
      }
      // Rejected pairs (s ≥ 1 or s = 0; 21 %) draw again, together, with the next attempt number.
      uint32_t rejected[kPairs];
      std::size_t m = 0;
      for (std::size_t j = 0; j < pairs; ++j) {
        rejected[m] = static_cast<uint32_t>(j);
        m += static_cast<std::size_t>((s[j] >= 1) | (s[j] == 0));  // no branch: 21 % would mispredict
      }
      for (uint32_t attempt = 1; m > 0; ++attempt) {
        double w1[kPairs], w2[kPairs];
        PairUniforms(rejected, m, first, attempt, stream, key, w1, w2);
        std::size_t still = 0;
        for (std::size_t q = 0; q < m; ++q) {
          const uint32_t j = rejected[q];
          u1[j] = 2 * w1[q] - 1;
          u2[j] = 2 * w2[q] - 1;
          s[j] = u1[j] * u1[j] + u2[j] * u2[j];
          rejected[still] = j;
          still += static_cast<std::size_t>((s[j] >= 1) | (s[j] == 0));
        }
        m = still;
      }
      for (std::size_t j = 0; j < pairs; ++j) f[j] = std::log(s[j]);
      for (std::size_t j = 0; j < pairs; ++j) {
        f[j] = std::sqrt(-2 * f[j] / s[j]);
        u1[j] *= f[j];  // now the normal pair
        u2[j] *= f[j];
      }
      if (law.shape == Distribution::kNormal) {
        for (std::size_t j = 0; j < pairs; ++j) put(j, 1 + law.p0 * u1[j], 1 + law.p0 * u2[j]);
      } else {
        for (std::size_t j = 0; j < pairs; ++j) {
          put(j, std::exp(law.p0 + law.p1 * u1[j]), std::exp(law.p0 + law.p1 * u2[j]));
        }
      }
      return;
    }
    case Distribution::kTriangular: {
      const double a = law.p0, b = law.p1, w = b - a;
      auto tri = [&](double u) {
        if (w == 0) return 1.0;
        return u < law.p2 ? a + std::sqrt(u * w * (1 - a)) : b - std::sqrt((1 - u) * w * (b - 1));
      };
      for (std::size_t j = 0; j < pairs; ++j) put(j, tri(u1[j]), tri(u2[j]));
      return;
    }
    case Distribution::kUniform:
      for (std::size_t j = 0; j < pairs; ++j) {
        put(j, law.p0 + u1[j] * (law.p1 - law.p0), law.p0 + u2[j] * (law.p1 - law.p0));
      }
      return;
  }
}

// The inventory flattened for the draw loop: each counted line with its terms and each term's
// uncertain inputs (index into the inputs, sensitivity).
struct Model {
  struct Ref {
    uint32_t input;
    double s;
  };
  std::vector<MonteCarloInput> inputs;
  std::vector<Law> laws;
  std::vector<uint64_t> streams;
  std::vector<bool> stated;  // the input has a 95 % interval (its own or an override's)
  std::vector<bool> drawn;   // stated and not exact: drawn; otherwise its ratio is 1
  std::vector<std::size_t> line_group;
  std::vector<double> line_value;
  std::vector<std::size_t> line_terms;  // offsets into term_refs (size lines + 1)
  std::vector<std::size_t> term_refs;   // offsets into refs (size terms + 1)
  std::vector<Ref> refs;
  std::vector<std::vector<uint32_t>> group_inputs;  // drawn inputs of each group, ascending
};

absl::Status CheckOptions(const MonteCarloOptions& o) {
  if (o.draws < 2 || o.draws > kMaxDraws) return Invalid(StrCat("draws: ", o.draws, " is outside 2 – ", kMaxDraws));
  if (o.threads > internal::kMaxThreads) {
    return Invalid(StrCat("threads: ", o.threads, " is outside 0 – ", internal::kMaxThreads));
  }
  if (o.asymmetric == Distribution::kNormal) {
    return Invalid(
        "asymmetric: a normal distribution cannot have an asymmetric interval (use lognormal, triangular or "
        "uniform)");
  }
  for (std::size_t i = 0; i < o.inputs.size(); ++i) {
    const auto& in = o.inputs[i];
    const std::string at = StrCat("inputs[", i, "]");
    if (in.input.empty()) return Invalid(StrCat(at, ".input is empty"));
    for (auto [v, name] : {std::pair{in.lower_pct, "lower_pct"}, std::pair{in.upper_pct, "upper_pct"}}) {
      if (v && (!std::isfinite(*v) || *v < 0))
        return Invalid(StrCat(at, ".", name, ": ", *v, " is not a percentage ≥ 0"));
    }
    if (in.lower_pct.has_value() != in.upper_pct.has_value()) {
      return Invalid(StrCat(at, ": give both lower_pct and upper_pct, or neither"));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (o.inputs[j].input == in.input)
        return Invalid(StrCat(at, ".input \"", in.input, "\" repeats inputs[", j, "]"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Model> Flatten(const Inventory& inv, const std::vector<std::string>& groups, TotalsKey key,
                              const MonteCarloOptions& o, std::vector<MonteCarloGroup>& out) {
  Model m;
  std::map<std::string, uint32_t> index;
  std::map<std::string, std::size_t> override_of;
  for (std::size_t i = 0; i < o.inputs.size(); ++i) override_of[o.inputs[i].input] = i;
  std::vector<bool> overridden_used(o.inputs.size(), false);
  std::map<std::string, std::size_t> group_index;
  for (std::size_t g = 0; g < groups.size(); ++g) group_index[groups[g]] = g;
  std::vector<std::vector<bool>> seen(groups.size());           // group → which inputs it uses
  std::vector<std::vector<uint32_t>> first_use(groups.size());  // ... in first-use order
  m.line_terms.push_back(0);
  m.term_refs.push_back(0);
  for (const auto& l : inv.lines) {
    auto g = internal::LineGroup(l, key);
    if (!g) continue;
    const std::size_t gi = group_index.at(*g);
    m.line_group.push_back(gi);
    m.line_value.push_back(l.co2e_t);
    for (const auto& t : l.terms) {
      for (const auto& in : t.inputs) {
        auto [it, fresh] = index.emplace(in.id, static_cast<uint32_t>(m.inputs.size()));
        if (fresh) {
          MonteCarloInput mi;
          mi.id = in.id.str();
          std::optional<double> lo = in.lower_pct ? in.lower_pct : in.u_pct,
                                hi = in.upper_pct ? in.upper_pct : in.u_pct;
          Distribution shape = lo && hi && *lo != *hi ? o.asymmetric : o.symmetric;
          if (auto ov = override_of.find(mi.id); ov != override_of.end()) {
            const auto& spec = o.inputs[ov->second];
            overridden_used[ov->second] = true;
            shape = spec.shape;
            if (spec.lower_pct) {
              lo = spec.lower_pct;
              hi = spec.upper_pct;
            }
          }
          const bool known = lo.has_value() && hi.has_value();
          mi.shape = shape;
          mi.lower_pct = known ? *lo : 0;
          mi.upper_pct = known ? *hi : 0;
          Law law;
          if (known) {
            auto fitted = Fit(shape, *lo, *hi, StrCat("input \"", in.id, "\""));
            if (!fitted.ok()) return fitted.status();
            law = *fitted;
          }
          m.inputs.push_back(std::move(mi));
          m.laws.push_back(law);
          m.streams.push_back(StreamOf(in.id));
          m.stated.push_back(known);
          m.drawn.push_back(known && (*lo > 0 || *hi > 0));
        }
        const uint32_t k = it->second;
        if (seen[gi].size() <= k) seen[gi].resize(k + 1, false);
        if (!seen[gi][k]) {
          seen[gi][k] = true;
          first_use[gi].push_back(k);
        }
        if (m.drawn[k]) m.refs.push_back({k, in.sensitivity});
      }
      m.term_refs.push_back(m.refs.size());
    }
    m.line_terms.push_back(m.term_refs.size() - 1);
  }
  for (std::size_t i = 0; i < o.inputs.size(); ++i) {
    if (!overridden_used[i]) {
      return Invalid(
          StrCat("inputs[", i, "].input: no counted line of this inventory uses \"", o.inputs[i].input, "\""));
    }
  }
  // Each group's inputs without an interval (missing, or assumed exact) and its drawn inputs.
  m.group_inputs.resize(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (uint32_t k : first_use[g]) {
      if (!m.stated[k])
        (inv.options.unstated_uncertainty_exact ? out[g].assumed_exact : out[g].missing).push_back(m.inputs[k].id);
      if (m.drawn[k]) m.group_inputs[g].push_back(k);
    }
    std::sort(m.group_inputs[g].begin(), m.group_inputs[g].end());
  }
  return m;
}

// One block's buffers and where its results go: the ratios of every input (K × kBlock), the group
// sums (G × kBlock), one line's product (kBlock); the chunk's partial sums and the draws kept.
struct BlockRefs {
  const Model& m;
  uint64_t seed, draws;
  const double* centre;        // each group's Approach 1 value
  const std::size_t* inc_off;  // offsets of each group's incidences in pxy
  double *r, *gs, *v;
  double *px, *pxy, *y;
  uint64_t* pneg;
};

// Draws [d0, d0 + n) of every drawn input, each line's product summed into its group, and the
// chunk's partial sums. Written once and instantiated for each x86-64 level (internal/isa.hpp).
[[gnu::always_inline]] inline void EvaluateBlockBody(const BlockRefs& w, uint64_t d0, std::size_t n) {
  const Model& m = w.m;
  const std::size_t K = m.inputs.size(), L = m.line_value.size(), G = m.group_inputs.size();
  double *r = w.r, *gs = w.gs, *v = w.v, *px = w.px, *pxy = w.pxy, *y = w.y;
  uint64_t* pneg = w.pneg;
  for (std::size_t k = 0; k < K; ++k) {
    if (!m.drawn[k]) continue;
    double* rk = &r[k * kBlock];
    DrawRatios(m.laws[k], m.streams[k], w.seed, d0, n, rk);
    double sx = 0, sxx = 0;
    uint64_t neg = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const double x = rk[j] - 1;
      sx += x;
      sxx += x * x;
      neg += rk[j] < 0;
    }
    px[2 * k] += sx;
    px[2 * k + 1] += sxx;
    pneg[k] += neg;
  }
  std::fill(gs, gs + G * kBlock, 0.0);
  for (std::size_t i = 0; i < L; ++i) {
    std::fill(v, v + n, m.line_value[i]);
    for (std::size_t t = m.line_terms[i]; t < m.line_terms[i + 1]; ++t) {
      const std::size_t a = m.term_refs[t], b = m.term_refs[t + 1];
      if (a == b) continue;
      if (b == a + 1 && m.refs[a].s == 1) {  // a plain value: the term scales with it
        const double* rk = &r[m.refs[a].input * kBlock];
        for (std::size_t j = 0; j < n; ++j) v[j] *= rk[j];
        continue;
      }
      for (std::size_t j = 0; j < n; ++j) {
        double f = 1;
        for (std::size_t q = a; q < b; ++q) f += m.refs[q].s * (r[m.refs[q].input * kBlock + j] - 1);
        v[j] *= f;
      }
    }
    double* gi = &gs[m.line_group[i] * kBlock];
    for (std::size_t j = 0; j < n; ++j) gi[j] += v[j];
  }
  for (std::size_t g = 0; g < G; ++g) {
    const double* gg = &gs[g * kBlock];
    std::copy(gg, gg + n, &y[g * w.draws + d0]);
    for (std::size_t q = 0; q < m.group_inputs[g].size(); ++q) {
      const double* rk = &r[m.group_inputs[g][q] * kBlock];
      double sxy = 0;
      for (std::size_t j = 0; j < n; ++j) sxy += (rk[j] - 1) * (gg[j] - w.centre[g]);
      pxy[w.inc_off[g] + q] += sxy;
    }
  }
}

#if CMRV_ISA_VARIANTS
[[gnu::target("arch=x86-64-v4")]] void EvaluateBlockV4(const BlockRefs& w, uint64_t d0, std::size_t n) {
  EvaluateBlockBody(w, d0, n);
}
[[gnu::target("arch=x86-64-v3")]] void EvaluateBlockV3(const BlockRefs& w, uint64_t d0, std::size_t n) {
  EvaluateBlockBody(w, d0, n);
}
#endif

void EvaluateBlock(internal::Isa isa, const BlockRefs& w, uint64_t d0, std::size_t n) {
  switch (isa) {
#if CMRV_ISA_VARIANTS
    case internal::Isa::kX86_64_V4: return EvaluateBlockV4(w, d0, n);
    case internal::Isa::kX86_64_V3: return EvaluateBlockV3(w, d0, n);
#endif
    default: return EvaluateBlockBody(w, d0, n);
  }
}

// Type-7 quantile of `v` (reordered in place): x[h] with h = (n − 1)p, interpolated linearly.
double Quantile(std::vector<double>& v, double p) {
  const double h = static_cast<double>(v.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(h);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
  const double a = v[lo];
  if (lo + 1 >= v.size()) return a;
  const double b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
  return a + (h - static_cast<double>(lo)) * (b - a);
}

}  // namespace

absl::StatusOr<MonteCarloResult> MonteCarlo(const Inventory& inventory, TotalsKey key, const MonteCarloOptions& o) {
  if (auto st = CheckOptions(o); !st.ok()) return st;
  std::vector<std::string> names;
  const std::map<std::string, double> totals = inventory.Totals(key);  // the groups and their values
  names.reserve(totals.size());
  for (const auto& [name, value] : totals) names.push_back(name);
  const std::size_t G = names.size();
  const uint64_t D = o.draws;
  if (G > 0 && D > kMaxStored / G) {
    return Invalid(StrCat("draws: ", D, " draws × ", G, " groups is more than the ", kMaxStored,
                          " values kept in memory; ask for fewer draws or a coarser key"));
  }
  MonteCarloResult result;
  result.method = std::string(MonteCarloMethod());
  result.generator = "philox4x32-10";
  result.seed = o.seed;
  result.draws = D;
  result.groups.resize(G);
  for (std::size_t g = 0; g < G; ++g) {
    result.groups[g].group = names[g];
    result.groups[g].co2e_t = totals.at(names[g]);
  }
  auto flat = Flatten(inventory, names, key, o, result.groups);
  if (!flat.ok()) return flat.status();
  const Model& m = *flat;
  const std::size_t K = m.inputs.size();
  std::vector<std::size_t> inc_off(G + 1, 0);  // group-input incidences
  for (std::size_t g = 0; g < G; ++g) inc_off[g + 1] = inc_off[g] + m.group_inputs[g].size();
  const std::size_t chunks = static_cast<std::size_t>((D + kChunk - 1) / kChunk);
  // Per chunk (combined in chunk order, so the bits do not depend on the threads): Σx and Σx² of each
  // input's x = r − 1, Σx·(y − ŷ) per incidence, and the input's negative draws.
  std::vector<double> part_x(chunks * K * 2, 0.0), part_xy(chunks * inc_off[G], 0.0);
  std::vector<uint64_t> part_neg(chunks * K, 0);
  std::vector<double> y(static_cast<std::size_t>(G * D));  // group-major draws
  std::vector<double> centre(G);
  for (std::size_t g = 0; g < G; ++g) centre[g] = result.groups[g].co2e_t;
  const internal::Isa isa = internal::KernelIsa();
  const unsigned threads = o.threads != 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  // Workers own their buffers; a chunk's results are written to its own slots only.
  std::vector<std::vector<double>> r_buf(std::max<std::size_t>(1, std::min<std::size_t>(threads, chunks))),
      g_buf(r_buf.size()), v_buf(r_buf.size());
  internal::RunTasks(threads, chunks, [&](std::size_t c) {
    const std::size_t w = c % r_buf.size();
    auto& r = r_buf[w];
    auto& gs = g_buf[w];
    auto& v = v_buf[w];
    r.resize(K * kBlock, 1.0);
    gs.resize(G * kBlock);
    v.resize(kBlock);
    const uint64_t c_lo = c * kChunk, c_hi = std::min<uint64_t>(D, c_lo + kChunk);
    double* px = &part_x[c * K * 2];
    double* pxy = &part_xy[c * inc_off[G]];
    uint64_t* pneg = &part_neg[c * K];
    const BlockRefs refs{m,         o.seed,   D,  centre.data(), inc_off.data(), r.data(),
                         gs.data(), v.data(), px, pxy,           y.data(),       pneg};
    for (uint64_t d0 = c_lo; d0 < c_hi; d0 += kBlock) {
      EvaluateBlock(isa, refs, d0, static_cast<std::size_t>(std::min<uint64_t>(kBlock, c_hi - d0)));
    }
  });
  result.inputs = m.inputs;
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t c = 0; c < chunks; ++c) result.inputs[k].negative_draws += part_neg[c * K + k];
  }
  const auto Dd = static_cast<double>(D);
  for (std::size_t g = 0; g < G; ++g) {
    MonteCarloGroup& out = result.groups[g];
    std::vector<double> draws(y.begin() + static_cast<std::ptrdiff_t>(g * D),
                              y.begin() + static_cast<std::ptrdiff_t>((g + 1) * D));
    if (out.missing.empty()) {
      double sy = 0, syy = 0;
      for (double v : draws) {
        sy += v - centre[g];
        syy += (v - centre[g]) * (v - centre[g]);
      }
      MonteCarloStats st;
      st.mean_t = centre[g] + sy / Dd;
      st.sd_t = std::sqrt(std::max(0.0, (syy - sy * sy / Dd) / (Dd - 1)));
      std::vector<double> work = draws;
      st.lower_t = Quantile(work, kTail);
      st.median_t = Quantile(work, 0.5);
      st.upper_t = Quantile(work, 1 - kTail);
      if (st.mean_t != 0) {
        st.lower_pct = (st.mean_t - st.lower_t) / std::abs(st.mean_t) * 100;
        st.upper_pct = (st.upper_t - st.mean_t) / std::abs(st.mean_t) * 100;
      }
      out.stats = st;
      // Squared correlation of each input with the group, normalised over the group's inputs.
      const double vy = Dd * syy - sy * sy;
      std::vector<double> rho2(m.group_inputs[g].size(), 0.0);
      double total = 0;
      for (std::size_t q = 0; q < rho2.size(); ++q) {
        const std::size_t k = m.group_inputs[g][q];
        double sx = 0, sxx = 0, sxy = 0;
        for (std::size_t c = 0; c < chunks; ++c) {
          sx += part_x[(c * K + k) * 2];
          sxx += part_x[(c * K + k) * 2 + 1];
          sxy += part_xy[c * inc_off[G] + inc_off[g] + q];
        }
        const double vx = Dd * sxx - sx * sx, cxy = Dd * sxy - sx * sy;
        rho2[q] = vx > 0 && vy > 0 ? cxy * cxy / (vx * vy) : 0;
        total += rho2[q];
      }
      for (std::size_t q = 0; q < rho2.size(); ++q) {
        if (rho2[q] > 0) out.contributions.push_back({m.inputs[m.group_inputs[g][q]].id, rho2[q] / total * 100});
      }
      std::stable_sort(out.contributions.begin(), out.contributions.end(), [](const auto& a, const auto& b) {
        return a.share_pct != b.share_pct ? a.share_pct > b.share_pct : a.input < b.input;
      });
    }
    if (o.keep_draws) out.draws = std::move(draws);
  }
  return result;
}

std::string MonteCarloToJson(const MonteCarloResult& r) {
  using nlohmann::json;
  json inputs = json::array();
  for (const auto& in : r.inputs) {
    inputs.push_back({{"id", in.id},
                      {"shape", DistributionName(in.shape)},
                      {"lower_pct", in.lower_pct},
                      {"upper_pct", in.upper_pct},
                      {"negative_draws", in.negative_draws}});
  }
  json groups = json::array();
  for (const auto& g : r.groups) {
    json j = {{"group", g.group}, {"co2e_t", g.co2e_t}};
    for (const char* f : {"mean_t", "median_t", "lower_t", "upper_t", "lower_pct", "upper_pct", "sd_t"}) j[f] = nullptr;
    if (g.stats) {
      const auto& s = *g.stats;
      j["mean_t"] = s.mean_t;
      j["median_t"] = s.median_t;
      j["lower_t"] = s.lower_t;
      j["upper_t"] = s.upper_t;
      j["lower_pct"] = s.lower_pct;
      j["upper_pct"] = s.upper_pct;
      j["sd_t"] = s.sd_t;
    }
    j["missing"] = g.missing;
    j["assumed_exact"] = g.assumed_exact;
    json contributions = json::array();
    for (const auto& c : g.contributions) contributions.push_back({{"input", c.input}, {"share_pct", c.share_pct}});
    j["contributions"] = std::move(contributions);
    groups.push_back(std::move(j));
  }
  return json{{"schema", "carbonmrv.monte_carlo/1"},
              {"method", r.method},
              {"generator", r.generator},
              {"seed", r.seed},
              {"draws", r.draws},
              {"inputs", std::move(inputs)},
              {"groups", std::move(groups)}}
      .dump();
}

}  // namespace cmrv
