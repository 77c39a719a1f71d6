// Monte Carlo options from key/value text (uncertainty/monte_carlo.hpp).
#include <cstdint>

#include "carbonmrv/uncertainty/monte_carlo.hpp"
#include "internal/option_text.hpp"
#include "internal/strings.hpp"
#include "internal/threads.hpp"

namespace cmrv {

using internal::StrCat;

namespace {

// "ID=SHAPE" or "ID=SHAPE:LOWER:UPPER".
absl::StatusOr<InputDistribution> ParseInput(std::string_view v) {
  const auto eq = v.rfind('=');
  if (eq == std::string_view::npos || eq == 0) {
    return internal::OptionError(StrCat("input \"", v, "\" is not ID=SHAPE or ID=SHAPE:LOWER_PCT:UPPER_PCT"));
  }
  InputDistribution in;
  in.input = std::string(v.substr(0, eq));
  std::string_view spec = v.substr(eq + 1);
  const auto colon = spec.find(':');
  auto shape = ParseDistribution(spec.substr(0, colon));
  if (!shape.ok()) return internal::OptionError(StrCat("input \"", in.input, "\": ", shape.status().message()));
  in.shape = *shape;
  if (colon == std::string_view::npos) return in;
  std::string_view bounds = spec.substr(colon + 1);
  const auto colon2 = bounds.find(':');
  if (colon2 == std::string_view::npos) {
    return internal::OptionError(StrCat("input \"", in.input, "\": give LOWER_PCT:UPPER_PCT after the shape"));
  }
  auto lo = internal::DecimalOption("input lower_pct", bounds.substr(0, colon2));
  if (!lo.ok()) return lo.status();
  auto hi = internal::DecimalOption("input upper_pct", bounds.substr(colon2 + 1));
  if (!hi.ok()) return hi.status();
  in.lower_pct = *lo;
  in.upper_pct = *hi;
  return in;
}

}  // namespace

absl::Status SetMonteCarloOption(MonteCarloOptions& o, std::string_view key, std::string_view v) {
  if (key == "draws") {
    auto n = internal::WholeOption(key, v, 2, 1'000'000'000);
    if (!n.ok()) return n.status();
    o.draws = static_cast<uint64_t>(*n);
  } else if (key == "seed") {
    auto n = internal::WholeOption(key, v, 0, INT64_MAX);
    if (!n.ok()) return n.status();
    o.seed = static_cast<uint64_t>(*n);
  } else if (key == "threads") {
    auto n = internal::WholeOption(key, v, 0, internal::kMaxThreads);
    if (!n.ok()) return n.status();
    o.threads = static_cast<unsigned>(*n);
  } else if (key == "symmetric" || key == "asymmetric") {
    auto d = ParseDistribution(v);
    if (!d.ok()) return internal::OptionError(StrCat(key, ": ", d.status().message()));
    if (key == "asymmetric" && *d == Distribution::kNormal) {
      return internal::OptionError("asymmetric: a normal distribution cannot have an asymmetric interval");
    }
    (key == "symmetric" ? o.symmetric : o.asymmetric) = *d;
  } else if (key == "keep_draws") {
    if (v != "true" && v != "false")
      return internal::OptionError(StrCat("keep_draws \"", v, "\" is not true or false"));
    o.keep_draws = v == "true";
  } else if (key == "input") {
    auto in = ParseInput(v);
    if (!in.ok()) return in.status();
    o.inputs.push_back(*std::move(in));
  } else {
    return internal::UnknownOptionKey(key, "draws, seed, threads, symmetric, asymmetric, keep_draws, input");
  }
  return absl::OkStatus();
}

}  // namespace cmrv
