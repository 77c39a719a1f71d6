#include "carbonmrv/batch.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>

#include "carbonmrv/enterprise.hpp"
#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv::batch {

using internal::StrCat;
using nlohmann::json;

namespace {

// Error kinds, in report order; 0 = valid.
enum Kind : uint8_t { kValid = 0, kBadCode, kNonFinite, kNegative, kUnknownCarrier, kUnknownUnit, kUnitKind, kMissingFactor };
constexpr const char* kKindNames[] = {"valid", "bad_code", "non_finite", "negative", "unknown_carrier",
                                      "unknown_unit", "unit_kind", "missing_factor"};

// Per (carrier, unit) pair: tonnes of each gas and of CO2e per unit of quantity, or why not.
struct Pair {
  Kind error = kValid;
  double co2 = 0, ch4 = 0, n2o = 0, co2e = 0;
};

Pair Resolve(const std::string& carrier, const std::string& unit, const FactorCatalogue& catalogue, const Options& o,
             std::string* why) {
  Pair p;
  if (auto c = CarrierCatalogue::Builtin().Resolve(carrier); !c.ok()) {
    *why = std::string(c.status().message());
    p.error = kUnknownCarrier;
    return p;
  }
  if (auto u = Unit::Parse(unit); !u.ok()) {
    *why = std::string(u.status().message());
    p.error = kUnknownUnit;
    return p;
  }
  // One record of one unit through the document engine: same methods, datasets and conventions.
  json doc = {{"schema", "carbonmrv.enterprise/1"},
              {"enterprise", {{"name", "batch"}, {"year", o.year}}},
              {"sources",
               {{{"id", "s"},
                 {"kind", "fuel_combustion"},
                 {"carrier", carrier},
                 {"method", o.method},
                 {"activity", {{{"period", std::to_string(o.year)}, {"value", 1.0}, {"unit", unit}}}}}}}};
  if (!o.region.empty() && o.region != "GLOBAL") doc["enterprise"]["region"] = o.region;
  auto e = Enterprise::FromJson(doc.dump());
  if (!e.ok()) {
    *why = std::string(e.status().message());
    p.error = kUnitKind;
    return p;
  }
  auto inv = ComputeInventory(*e, catalogue, o.inventory);
  if (!inv.ok()) {
    *why = std::string(inv.status().message());
    p.error = kMissingFactor;
    return p;
  }
  for (const auto& l : inv->lines) {
    if (l.memo) continue;
    if (l.gas == "co2") p.co2 += l.mass_t;
    if (l.gas == "ch4") p.ch4 += l.mass_t;
    if (l.gas == "n2o") p.n2o += l.mass_t;
    p.co2e += l.co2e_t;
  }
  return p;
}

template <typename Fn>
void Parallel(std::size_t n, unsigned threads, Fn&& fn) {
  const std::size_t t = std::max<std::size_t>(1, std::min<std::size_t>(threads, (n + 65535) / 65536));
  if (t == 1) {
    fn(std::size_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  const std::size_t step = (n + t - 1) / t;
  for (std::size_t k = 0; k < t; ++k) {
    const std::size_t lo = k * step, hi = std::min(n, lo + step);
    if (lo < hi) pool.emplace_back([&fn, lo, hi] { fn(lo, hi); });
  }
  for (auto& th : pool) th.join();
}

}  // namespace

std::string Report::ToJson() const {
  json j = {{"valid", valid}, {"skipped", skipped}, {"counts", counts}, {"first_rows", first_rows},
            {"pair_errors", pair_errors}};
  return j.dump(1);
}

absl::StatusOr<Report> Compute(const Input& in, const FactorCatalogue& catalogue, const Options& o, const Output& out) {
  auto bad = [](std::string m) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, std::move(m));
  };
  if (in.size > 0 && (in.carrier.data == nullptr || in.unit.data == nullptr || in.quantity.data == nullptr)) {
    return bad("carrier, unit and quantity columns are required");
  }
  if (o.year < 1990 || o.year > 2100) return bad(StrCat("year ", o.year, " is not a reporting year (1990-2100)"));
  if (out.group_co2e_t != nullptr && in.group.data == nullptr) return bad("group sums need a group column");
  const std::size_t nc = in.carriers.size(), nu = in.units.size();
  const unsigned threads = o.threads != 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t n = in.size;
  // Pass 1 (parallel): record-level checks, and which (carrier, unit) pairs occur.
  std::vector<uint8_t> kind(n);
  std::vector<uint8_t> used(nc * nu, 0);
  std::mutex used_mutex;
  std::atomic<std::size_t> invalid{0};
  Parallel(n, threads, [&](std::size_t lo, std::size_t hi) {
    std::vector<uint8_t> mine(nc * nu, 0);
    std::size_t bad_here = 0;
    for (std::size_t i = lo; i < hi; ++i) {
      const int32_t c = in.carrier[i], u = in.unit[i];
      const double q = in.quantity[i];
      uint8_t k = kValid;
      if (c < 0 || u < 0 || static_cast<std::size_t>(c) >= nc || static_cast<std::size_t>(u) >= nu) {
        k = kBadCode;
      } else if (!std::isfinite(q)) {
        k = kNonFinite;
      } else if (q < 0) {
        k = kNegative;
      } else {
        mine[static_cast<std::size_t>(c) * nu + static_cast<std::size_t>(u)] = 1;
      }
      if (k == kValid && in.group.data != nullptr) {
        const int32_t g = in.group[i];
        if (g < 0 || static_cast<std::size_t>(g) >= in.group_count) k = kBadCode;
      }
      kind[i] = k;
      bad_here += k != kValid;
    }
    invalid += bad_here;
    std::lock_guard<std::mutex> lock(used_mutex);
    for (std::size_t j = 0; j < used.size(); ++j) used[j] |= mine[j];
  });
  // Resolve each pair that occurs, once, through the document engine.
  std::vector<Pair> pairs(nc * nu);
  Report report;
  bool pair_failed = false;
  for (std::size_t c = 0; c < nc; ++c) {
    for (std::size_t u = 0; u < nu; ++u) {
      if (!used[c * nu + u]) continue;
      std::string why;
      pairs[c * nu + u] = Resolve(in.carriers[c], in.units[u], catalogue, o, &why);
      if (!why.empty()) report.pair_errors[StrCat(in.carriers[c], "|", in.units[u])] = why;
      pair_failed = pair_failed || pairs[c * nu + u].error != kValid;
    }
  }
  // Pass 1b, only when a pair failed: mark its records.
  if (pair_failed) {
    Parallel(n, threads, [&](std::size_t lo, std::size_t hi) {
      std::size_t bad_here = 0;
      for (std::size_t i = lo; i < hi; ++i) {
        if (kind[i] != kValid) continue;
        const uint8_t k = pairs[static_cast<std::size_t>(in.carrier[i]) * nu + static_cast<std::size_t>(in.unit[i])].error;
        kind[i] = k;
        bad_here += k != kValid;
      }
      invalid += bad_here;
    });
  }
  if (invalid > 0) {
    for (std::size_t i = 0; i < n; ++i) {
      if (kind[i] == kValid) continue;
      const char* name = kKindNames[kind[i]];
      ++report.counts[name];
      auto& rows = report.first_rows[name];
      if (rows.size() < o.report_rows) rows.push_back(i);
    }
  }
  report.skipped = 0;
  for (const auto& [k, v] : report.counts) report.skipped += v;
  report.valid = n - report.skipped;
  if (report.skipped > 0 && o.policy == Policy::kReject) {
    std::string msg = StrCat(report.skipped, " invalid record(s); nothing computed:");
    for (const auto& [k, v] : report.counts) {
      msg += StrCat("\n", k, ": ", v, " record(s), first rows ", internal::StrJoin([&] {
                      std::vector<std::string> s;
                      for (auto r : report.first_rows[k]) s.push_back(std::to_string(r));
                      return s;
                    }(), ", "));
    }
    for (const auto& [pair, why] : report.pair_errors) msg += StrCat("\n", pair, ": ", why);
    return bad(msg);
  }
  // Pass 2: per-record values (independent records: any split gives the same bits).
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const bool per_record = out.co2_t || out.ch4_t || out.n2o_t || out.co2e_t;
  if (per_record) Parallel(n, threads, [&](std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i) {
      if (kind[i] != kValid) {
        if (out.co2_t) out.co2_t[i] = kNaN;
        if (out.ch4_t) out.ch4_t[i] = kNaN;
        if (out.n2o_t) out.n2o_t[i] = kNaN;
        if (out.co2e_t) out.co2e_t[i] = kNaN;
        continue;
      }
      const Pair& p = pairs[static_cast<std::size_t>(in.carrier[i]) * nu + static_cast<std::size_t>(in.unit[i])];
      const double q = in.quantity[i];
      if (out.co2_t) out.co2_t[i] = q * p.co2;
      if (out.ch4_t) out.ch4_t[i] = q * p.ch4;
      if (out.n2o_t) out.n2o_t[i] = q * p.n2o;
      if (out.co2e_t) out.co2e_t[i] = q * p.co2e;
    }
  });
  // Pass 3: group sums in record order (deterministic whatever the thread count).
  if (out.group_co2e_t != nullptr) {
    std::fill(out.group_co2e_t, out.group_co2e_t + in.group_count, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      if (kind[i] != kValid) continue;
      const Pair& p = pairs[static_cast<std::size_t>(in.carrier[i]) * nu + static_cast<std::size_t>(in.unit[i])];
      out.group_co2e_t[in.group[i]] += in.quantity[i] * p.co2e;
    }
  }
  return report;
}

}  // namespace cmrv::batch
