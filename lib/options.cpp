#include "carbonmrv/options.hpp"

#include <gsl/narrow>

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;

absl::Status Bad(const std::string& message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, message);
}

absl::Status UnknownKey(std::string_view key, std::string_view valid) {
  return Bad(StrCat("option \"", key, "\" is not one of ", valid));
}

// A whole decimal number within [lo, hi] ("2023"; not "2023.5", "0x7e7" or "").
absl::StatusOr<long long> Whole(std::string_view key, std::string_view v, long long lo, long long hi) {
  long long n = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() || n < lo || n > hi) {
    return Bad(StrCat(key, " \"", v, "\" is not a whole number from ", lo, " to ", hi));
  }
  return n;
}

// A finite decimal number ("80.5", "1e3"); not "", "nan" or "inf".
absl::StatusOr<double> Decimal(std::string_view key, std::string_view v) {
  double d = 0;
  if (!absl::SimpleAtod(absl::string_view(v.data(), v.size()), &d) || !std::isfinite(d)) {
    return Bad(StrCat(key, " \"", v, "\" is not a finite number"));
  }
  return d;
}

std::vector<std::string> SplitComma(std::string_view v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= v.size()) {
    const std::size_t end = std::min(v.find(',', start), v.size());
    if (end > start) out.emplace_back(v.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

constexpr std::string_view kInventoryKeys =
    "gwp_dataset (gwp), co2_per_carbon, co2_per_carbon_source, scope2_method (scope2), factor_preference "
    "(preference), uncertainty_unstated";

// Sets an inventory key; false when `key` is not one.
absl::StatusOr<bool> TrySetInventory(InventoryOptions& o, std::string_view key, std::string_view v) {
  if (key == "gwp_dataset" || key == "gwp") {
    if (v.empty()) return Bad("gwp_dataset is empty; expected SAR, AR4, AR5, AR6 or a GWP dataset id");
    o.gwp_dataset = GwpDatasetId(v);
  } else if (key == "co2_per_carbon") {
    auto c = ParseCo2PerCarbon(v);
    double number = 0;
    if (c.ok()) {
      o.co2_per_carbon = *c;
      o.co2_per_carbon_stated.reset();
    } else if (absl::SimpleAtod(absl::string_view(v.data(), v.size()), &number) && std::isfinite(number)) {
      // A ratio a document states (checked against the molar-mass ratio when the inventory is computed).
      std::string source = o.co2_per_carbon_stated ? o.co2_per_carbon_stated->source : "";
      o.co2_per_carbon_stated = InventoryOptions::StatedRatio{number, std::move(source)};
    } else {
      return Bad(StrCat("co2_per_carbon \"", v, "\" is not 44/12, 3.664 or a number (with co2_per_carbon_source)"));
    }
  } else if (key == "co2_per_carbon_source") {
    if (!o.co2_per_carbon_stated) o.co2_per_carbon_stated = InventoryOptions::StatedRatio{};
    o.co2_per_carbon_stated->source = std::string(v);
  } else if (key == "uncertainty_unstated") {
    if (v != "exact" && v != "not_assessed") {
      return Bad(StrCat("uncertainty_unstated \"", v, "\" is not one of not_assessed, exact"));
    }
    o.unstated_uncertainty_exact = v == "exact";
  } else if (key == "scope2_method" || key == "scope2") {
    auto m = ParseScope2Method(v);
    if (!m.ok()) return m.status();
    o.scope2_method = *m;
  } else if (key == "factor_preference" || key == "preference") {
    auto p = ParsePreference(v);
    if (!p.ok()) return p.status();
    o.factor_preference = *std::move(p);
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::string GwpDatasetId(std::string_view name) {
  std::string g = internal::AsciiLower(name);
  if (g == "ar2") g = "sar";
  if (g == "sar" || g == "ar4" || g == "ar5" || g == "ar6") return StrCat("ipcc_", g, "_gwp100");
  return std::string(name);
}

absl::Status SetInventoryOption(InventoryOptions& o, std::string_view key, std::string_view value) {
  auto set = TrySetInventory(o, key, value);
  if (!set.ok()) return set.status();
  return *set ? absl::OkStatus() : UnknownKey(key, kInventoryKeys);
}

absl::Status SetVerifyOption(VerifyOptions& o, std::string_view key, std::string_view v) {
  if (key == "factor_preference" || key == "preference") {
    auto p = ParsePreference(v);
    if (!p.ok()) return p.status();
    o.inventory.factor_preference = *p;
    o.energy_balance.coefficient_preference = *std::move(p);
    return absl::OkStatus();
  }
  auto set = TrySetInventory(o.inventory, key, v);
  if (!set.ok()) return set.status();
  if (*set) return absl::OkStatus();
  if (key == "checks") {
    std::vector<CheckId> ids;
    for (const auto& name : SplitComma(v)) {
      auto id = ParseCheckId(name);
      if (!id.ok()) return WithContext(id.status(), "checks");
      ids.push_back(*id);
    }
    o.checks = std::move(ids);
  } else if (key == "period") {
    o.energy_balance.period = std::string(v);
  } else if (key == "previous_inventory") {
    auto inv = Inventory::FromJson(v);
    if (!inv.ok()) return WithContext(inv.status(), "previous_inventory");
    o.previous_year = *std::move(inv);
  } else if (key == "audit_baseline") {
    auto e = Enterprise::FromJson(v);
    if (!e.ok()) return WithContext(e.status(), "audit_baseline");
    o.audit_baseline = *std::move(e);
  } else {
    return UnknownKey(key, StrCat(kInventoryKeys, ", checks, period, previous_inventory, audit_baseline"));
  }
  return absl::OkStatus();
}

absl::Status SetAuditOption(AuditComputeOptions& o, std::string_view key, std::string_view v) {
  auto set = TrySetInventory(o.inventory, key, v);
  if (!set.ok()) return set.status();
  if (*set) return absl::OkStatus();
  if (key == "audit") {
    o.audit_id = std::string(v);
  } else if (key == "carbon_price") {
    // "60" (CNY/tCO2e) or a value with its unit: "60 CNY/tCO2e", "0.006 万元/tCO2e".
    const auto space = v.find(' ');
    double value = 0;
    const std::string_view number = v.substr(0, space);
    if (!absl::SimpleAtod(absl::string_view(number.data(), number.size()), &value) || !std::isfinite(value) ||
        value < 0) {
      return Bad(StrCat("carbon_price: \"", v, "\" is not a price ≥ 0 such as \"60\" or \"60 CNY/tCO2e\""));
    }
    if (space == std::string_view::npos) {
      o.carbon_price_cny_per_t = value;
    } else {
      auto p = ParseCarbonPrice(value, v.substr(space + 1));
      if (!p.ok()) return WithContext(p.status(), "carbon_price");
      o.carbon_price_cny_per_t = p->cny_per_unit;
    }
  } else if (key == "review") {
    auto e = Enterprise::FromJson(v);
    if (!e.ok()) return WithContext(e.status(), "review");
    o.review = *std::move(e);
  } else {
    return UnknownKey(key, StrCat(kInventoryKeys, ", audit, carbon_price, review"));
  }
  return absl::OkStatus();
}

absl::Status SetVerifyTolerance(VerifyOptions& o, std::string_view check, double warning, double error) {
  auto id = ParseCheckId(check);
  if (!id.ok()) return id.status();
  if (!(warning >= 0 && warning <= error && std::isfinite(error))) {
    return Bad(StrCat("tolerance of ", CheckIdName(*id), ": expected finite 0 ≤ warning ≤ error, got ", warning,
                      " and ", error));
  }
  o.tolerances[*id] = {warning, error};
  return absl::OkStatus();
}

absl::Status SetBatchOption(batch::Options& o, unsigned& group_values, std::string_view key, std::string_view v) {
  auto set = TrySetInventory(o.inventory, key, v);
  if (!set.ok()) return set.status();
  if (*set) return absl::OkStatus();
  if (key == "kind") {
    o.kind = std::string(v);
  } else if (key == "region") {
    o.region = std::string(v);
  } else if (key == "year") {
    auto y = Whole(key, v, 1990, 2100);
    if (!y.ok()) return y.status();
    o.year = gsl::narrow<int>(*y);
  } else if (key == "method") {
    if (!IsCombustionMethod(v)) {
      return Bad(StrCat("method \"", v, "\" is not one of default_factor, energy_ef, measured_carbon"));
    }
    o.method = std::string(v);
  } else if (key == "policy") {
    if (v != "reject" && v != "skip") return Bad(StrCat("policy \"", v, "\" is not \"reject\" or \"skip\""));
    o.policy = v == "skip" ? batch::Policy::kSkip : batch::Policy::kReject;
  } else if (key == "threads") {
    auto t = Whole(key, v, 0, 1024);
    if (!t.ok()) return t.status();
    o.threads = gsl::narrow<unsigned>(*t);
  } else if (key == "report_rows") {
    auto r = Whole(key, v, 0, 1000000);
    if (!r.ok()) return r.status();
    o.report_rows = gsl::narrow<std::size_t>(*r);
  } else if (key == "group_values") {
    unsigned mask = 0;
    std::size_t start = 0;
    while (start <= v.size()) {
      const std::size_t end = std::min(v.find(',', start), v.size());
      const std::string_view item = v.substr(start, end - start);
      const unsigned bit = item == "co2_t"     ? batch::kCo2
                           : item == "ch4_t"   ? batch::kCh4
                           : item == "n2o_t"   ? batch::kN2o
                           : item == "co2e_t"  ? batch::kCo2e
                           : item == "records" ? batch::kRecords
                                               : 0u;
      if (bit == 0)
        return Bad(StrCat("group_values: \"", item, "\" is not one of co2_t, ch4_t, n2o_t, co2e_t, records"));
      mask |= bit;
      start = end + 1;
    }
    group_values = mask;
  } else {
    return UnknownKey(
        key, StrCat(kInventoryKeys, ", kind, region, year, method, policy, threads, report_rows, group_values"));
  }
  return absl::OkStatus();
}

absl::Status SetAuctionOption(AuctionSpec& o, std::string_view key, std::string_view v) {
  // Whole-number keys, their ranges and their targets; the spec's own checks run when it clears.
  constexpr long long kMax = 1'000'000'000'000'000;
  if (key == "rules") {
    auto r = ParseAuctionRules(v);
    if (!r.ok()) return r.status();
    o.rules = *r;
  } else if (key == "volume" || key == "lot" || key == "min_bid_volume") {
    auto n = Whole(key, v, key == "min_bid_volume" ? 0 : 1, kMax);
    if (!n.ok()) return n.status();
    (key == "volume" ? o.volume : key == "lot" ? o.lot : o.min_bid_volume) = *n;
  } else if (key == "seed") {
    auto n = Whole(key, v, 0, std::numeric_limits<long long>::max());
    if (!n.ok()) return n.status();
    o.seed = static_cast<uint64_t>(*n);
  } else if (key == "carry_over_auctions") {
    auto n = Whole(key, v, 1, 100);
    if (!n.ok()) return n.status();
    o.carry_over_auctions = gsl::narrow<int>(*n);
  } else if (key == "tick" || key == "reserve_price" || key == "max_bidder_share" || key == "fixed_price") {
    auto d = Decimal(key, v);
    if (!d.ok()) return d.status();
    if (key == "tick") {
      o.tick = *d;
    } else if (key == "reserve_price") {
      o.reserve_price = *d;
    } else if (key == "max_bidder_share") {
      o.max_bidder_share = *d;
    } else {
      o.fixed_price = *d;
    }
  } else if (key == "currency") {
    o.currency = std::string(v);
  } else {
    return UnknownKey(key,
                      "rules, volume, lot, tick, reserve_price, min_bid_volume, max_bidder_share, fixed_price, seed, "
                      "carry_over_auctions, currency");
  }
  return absl::OkStatus();
}

}  // namespace cmrv
