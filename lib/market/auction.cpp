// The sealed-bid clearing engine (market/auction.hpp): validation, ranking by the platform's rules,
// fills, price and cancellation. Sources: docs/market.md.
#include "carbonmrv/market/auction.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

#include "absl/strings/numbers.h"

#include "carbonmrv/status.hpp"
#include "internal/csv.hpp"
#include "internal/invalid.hpp"
#include "internal/json.hpp"
#include "internal/name_table.hpp"
#include "internal/random.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;

constexpr std::pair<AuctionRules, std::string_view> kRulesNames[] = {{AuctionRules::kEuUniform, "eu"},
                                                                     {AuctionRules::kGuangdong, "guangdong"},
                                                                     {AuctionRules::kDiscriminatory, "discriminatory"},
                                                                     {AuctionRules::kFixedPrice, "fixed_price"}};
constexpr std::pair<BidStatus, std::string_view> kStatusNames[] = {{BidStatus::kFilled, "filled"},
                                                                   {BidStatus::kPartial, "partial"},
                                                                   {BidStatus::kUnfilled, "unfilled"},
                                                                   {BidStatus::kInvalid, "invalid"}};

using internal::InvalidField;

// A price is on the tick when price / tick is a whole number within the rounding of a decimal price
// (71.23 / 0.01 = 7122.999999999999 in binary).
bool OnTick(double price, double tick) {
  const double r = price / tick;
  return std::abs(r - std::round(r)) <= 1e-9 * std::max(1.0, std::abs(r));
}

absl::Status Validate(const AuctionSpec& s, std::span<const AuctionBid> bids) {
  if (s.volume <= 0) return InvalidField("volume", StrCat(s.volume, " is not > 0"));
  if (s.lot < 1) return InvalidField("lot", StrCat(s.lot, " is not ≥ 1"));
  if (!(std::isfinite(s.tick) && s.tick > 0)) return InvalidField("tick", "expected a finite price step > 0");
  if (s.reserve_price && !(std::isfinite(*s.reserve_price) && *s.reserve_price >= 0)) {
    return InvalidField("reserve_price", "expected a finite price ≥ 0");
  }
  if (s.min_bid_volume < 0) return InvalidField("min_bid_volume", StrCat(s.min_bid_volume, " is negative"));
  if (s.max_bidder_share && !(*s.max_bidder_share > 0 && *s.max_bidder_share <= 1)) {
    return InvalidField("max_bidder_share", "expected a fraction in (0, 1]");
  }
  if (s.rules == AuctionRules::kFixedPrice && !(s.fixed_price && std::isfinite(*s.fixed_price) && *s.fixed_price > 0)) {
    return InvalidField("fixed_price", "a fixed-price sale states its price (> 0)");
  }
  if (s.carry_over_auctions < 1 || s.carry_over_auctions > 100) {
    return InvalidField("carry_over_auctions", StrCat(s.carry_over_auctions, " is not from 1 to 100"));
  }
  // Volumes add up in int64: keep every bid and the offer below 10^15 allowances (far above any
  // auction; the world emits about 4 × 10^10 t a year) so that no sum or product can overflow.
  constexpr int64_t kMaxVolume = 1'000'000'000'000'000;
  if (s.volume > kMaxVolume) return InvalidField("volume", "is above 10^15 allowances");
  if (bids.size() > 100'000'000) return InvalidField("bids", "more than 10^8 bids");
  for (std::size_t i = 0; i < bids.size(); ++i) {
    const auto& b = bids[i];
    const std::string p = StrCat("bids[", i, "]");
    if (b.volume <= 0) return InvalidField(p + ".volume", StrCat(b.volume, " is not > 0"));
    if (b.volume > kMaxVolume) return InvalidField(p + ".volume", "is above 10^15 allowances");
    if (b.volume % s.lot != 0)
      return InvalidField(p + ".volume", StrCat(b.volume, " is not a whole number of lots of ", s.lot));
    if (s.rules == AuctionRules::kFixedPrice) continue;
    if (!std::isfinite(b.price) || b.price < 0) return InvalidField(p + ".price", "expected a finite price ≥ 0");
    if (!OnTick(b.price, s.tick))
      return InvalidField(p + ".price", StrCat(b.price, " is not a multiple of the tick ", s.tick));
  }
  return absl::OkStatus();
}

// Valid bids in clearing order. EU and pay-as-bid: price descending, equal prices shuffled by the
// seeded generator (Art. 7(2): "randomly, using an algorithm fixed before the auction"). Guangdong:
// price descending, then time, then input order.
std::vector<std::size_t> Rank(const AuctionSpec& s, std::span<const AuctionBid> bids, const std::vector<bool>& valid) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < bids.size(); ++i) {
    if (valid[i]) order.push_back(i);
  }
  if (s.rules == AuctionRules::kGuangdong) {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (bids[a].price != bids[b].price) return bids[a].price > bids[b].price;
      return bids[a].time < bids[b].time;
    });
    return order;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return bids[a].price > bids[b].price; });
  internal::SplitMix64 rng(s.seed);
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first + 1;
    while (last < order.size() && bids[order[last]].price == bids[order[first]].price) ++last;
    if (last - first > 1) internal::Shuffle(order, first, last, rng);
    first = last;
  }
  return order;
}

// Guangdong admission, in time order: the policy reserve price, the minimum size and the bidder cap.
void Admit(const AuctionSpec& s, std::span<const AuctionBid> bids, std::vector<BidFill>& fills,
           std::vector<bool>& valid) {
  std::vector<std::size_t> by_time(bids.size());
  std::iota(by_time.begin(), by_time.end(), std::size_t{0});
  std::stable_sort(by_time.begin(), by_time.end(),
                   [&](std::size_t a, std::size_t b) { return bids[a].time < bids[b].time; });
  std::map<std::string, int64_t> per_bidder;
  for (std::size_t i : by_time) {
    const auto& b = bids[i];
    std::string why;
    if (s.reserve_price && b.price < *s.reserve_price) {
      why = StrCat("price ", b.price, " is below the policy reserve price ", *s.reserve_price);
    } else if (b.volume < s.min_bid_volume) {
      why = StrCat("volume ", b.volume, " is below the minimum bid of ", s.min_bid_volume);
    } else if (s.max_bidder_share) {
      const double cap = *s.max_bidder_share * static_cast<double>(s.volume);
      const int64_t total = per_bidder[b.bidder] + b.volume;
      if (static_cast<double>(total) > cap) {
        why = StrCat("the bidder's bids would reach ", total, ", above ", *s.max_bidder_share * 100,
                     " % of the volume (", cap, ")");
      } else {
        per_bidder[b.bidder] = total;
      }
    }
    if (!why.empty()) {
      valid[i] = false;
      fills[i].status = BidStatus::kInvalid;
      fills[i].reason = std::move(why);
    }
  }
}

// Fixed-price sale: everyone is served when demand fits; otherwise each bid gets its pro-rata share in
// whole lots (floor), and the lots left go one each by largest remainder, ties by time then input order.
void Ration(const AuctionSpec& s, std::span<const AuctionBid> bids, AuctionResult& r) {
  const int64_t lots = s.volume / s.lot;
  int64_t demand_lots = 0;
  for (const auto& b : bids) demand_lots += b.volume / s.lot;
  if (demand_lots <= lots) {
    for (std::size_t i = 0; i < bids.size(); ++i) r.bids[i].filled = bids[i].volume;
    return;
  }
  __extension__ using Wide = __int128;  // lots × lots stays exact (both below 10^15)
  std::vector<std::pair<Wide, std::size_t>> remainders;
  int64_t given = 0;
  for (std::size_t i = 0; i < bids.size(); ++i) {
    const Wide num = static_cast<Wide>(bids[i].volume / s.lot) * lots;
    const auto share = static_cast<int64_t>(num / demand_lots);
    r.bids[i].filled = share * s.lot;
    given += share;
    remainders.emplace_back(num % demand_lots, i);
  }
  std::stable_sort(remainders.begin(), remainders.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return bids[a.second].time < bids[b.second].time;
  });
  for (std::size_t k = 0; given < lots && k < remainders.size(); ++k, ++given) {
    r.bids[remainders[k].second].filled += s.lot;
  }
}

}  // namespace

std::string_view AuctionRulesName(AuctionRules r) { return internal::NameIn(kRulesNames, r); }
absl::StatusOr<AuctionRules> ParseAuctionRules(std::string_view name) {
  return internal::ParseIn(kRulesNames, name, "auction rules");
}
std::string_view BidStatusName(BidStatus s) { return internal::NameIn(kStatusNames, s); }

absl::StatusOr<AuctionResult> ClearAuction(const AuctionSpec& spec, std::span<const AuctionBid> bids) {
  if (auto st = Validate(spec, bids); !st.ok()) return st;
  AuctionResult r;
  r.rules = spec.rules;
  r.volume = spec.volume;
  r.seed = spec.seed;
  r.bids.resize(bids.size());
  for (std::size_t i = 0; i < bids.size(); ++i) {
    r.bids[i].index = i;
    r.bids[i].bidder = bids[i].bidder;
    r.bids[i].price = spec.rules == AuctionRules::kFixedPrice ? *spec.fixed_price : bids[i].price;
    r.bids[i].volume = bids[i].volume;
  }
  std::vector<bool> valid(bids.size(), true);
  if (spec.rules == AuctionRules::kGuangdong) Admit(spec, bids, r.bids, valid);
  if (spec.rules == AuctionRules::kDiscriminatory && spec.reserve_price) {
    for (std::size_t i = 0; i < bids.size(); ++i) {
      if (bids[i].price < *spec.reserve_price) {
        valid[i] = false;
        r.bids[i].status = BidStatus::kInvalid;
        r.bids[i].reason = StrCat("price ", bids[i].price, " is below the reserve price ", *spec.reserve_price);
      }
    }
  }
  for (std::size_t i = 0; i < bids.size(); ++i) {
    if (valid[i]) r.demand += bids[i].volume;
  }

  if (spec.rules == AuctionRules::kFixedPrice) {
    Ration(spec, bids, r);
    for (std::size_t i = 0; i < bids.size(); ++i) r.bids[i].rank = static_cast<int64_t>(i);
    r.clearing_price = *spec.fixed_price;
  } else {
    const auto order = Rank(spec, bids, valid);
    int64_t cum = 0;
    std::optional<std::size_t> marginal;
    for (std::size_t k = 0; k < order.size(); ++k) {
      auto& f = r.bids[order[k]];
      f.rank = static_cast<int64_t>(k);
      if (cum >= spec.volume) continue;
      f.filled = std::min(f.volume, spec.volume - cum);
      cum += f.filled;
      marginal = order[k];
    }
    const bool eu = spec.rules == AuctionRules::kEuUniform;
    if (eu && r.demand < spec.volume) {
      r.cancelled = true;
      r.cancel_reason = StrCat("bid volume ", r.demand, " is below the volume offered ", spec.volume, " (Art. 7(5))");
    } else if (marginal && spec.rules != AuctionRules::kDiscriminatory) {
      // Uniform price: the bid at which cumulative volume reaches the offer (EU), the lowest winning bid
      // (Guangdong) — the same bid, the last one served.
      r.clearing_price = bids[*marginal].price;
      if (eu && spec.reserve_price && *r.clearing_price < *spec.reserve_price) {
        r.cancelled = true;
        r.cancel_reason = StrCat("clearing price ", *r.clearing_price, " is below the reserve price ",
                                 *spec.reserve_price, " (Art. 7(6))");
      }
    }
    if (r.cancelled) {
      r.clearing_price.reset();
      for (auto& f : r.bids) f.filled = 0;
      const int64_t n = spec.carry_over_auctions, part = spec.volume / n, rest = spec.volume % n;
      for (int64_t k = 0; k < n; ++k) r.carry_over.push_back(part + (k < rest ? 1 : 0));
    }
  }
  for (std::size_t i = 0; i < bids.size(); ++i) {
    auto& f = r.bids[i];
    if (f.status == BidStatus::kInvalid) continue;
    f.status = f.filled == f.volume ? BidStatus::kFilled : f.filled > 0 ? BidStatus::kPartial : BidStatus::kUnfilled;
    if (f.filled > 0) {
      f.pays = spec.rules == AuctionRules::kDiscriminatory ? bids[i].price : *r.clearing_price;
      r.sold += f.filled;
      r.revenue += static_cast<double>(f.filled) * f.pays;
    }
  }
  r.unsold = spec.volume - r.sold;
  return r;
}

absl::StatusOr<std::vector<AuctionBid>> ReadBidsCsv(std::string_view text, std::string_view source) {
  auto table = internal::ParseCsv(text, source);
  if (!table.ok()) return table.status();
  const int bidder = table->Column("bidder"), price = table->Column("price"), volume = table->Column("volume"),
            time = table->Column("time");
  for (auto [name, col] : {std::pair{"bidder", bidder}, std::pair{"price", price}, std::pair{"volume", volume}}) {
    if (col < 0)
      return InvalidField(std::string(source), StrCat("no \"", name, "\" column (bidder, price, volume[, time])"));
  }
  std::vector<AuctionBid> bids;
  bids.reserve(table->rows.size());
  for (std::size_t i = 0; i < table->rows.size(); ++i) {
    const auto& row = table->rows[i];
    const std::string where = StrCat(source, ":", table->lines[i]);
    auto cell = [&](int col) -> std::string_view {
      return static_cast<std::size_t>(col) < row.size() ? std::string_view(row[static_cast<std::size_t>(col)]) : "";
    };
    AuctionBid b;
    b.bidder = std::string(cell(bidder));
    const std::string_view p = cell(price);
    if (!absl::SimpleAtod(absl::string_view(p.data(), p.size()), &b.price) || !std::isfinite(b.price)) {
      return InvalidField(where, StrCat("price: \"", p, "\" is not a finite number"));
    }
    for (auto [name, col, target] : {std::tuple{"volume", volume, &b.volume}, std::tuple{"time", time, &b.time}}) {
      if (col < 0) {
        *target = static_cast<int64_t>(i);  // no time column: input order
        continue;
      }
      const std::string_view v = cell(col);
      if (!absl::SimpleAtoi(absl::string_view(v.data(), v.size()), target)) {
        return InvalidField(where, StrCat(name, ": \"", v, "\" is not a whole number"));
      }
    }
    bids.push_back(std::move(b));
  }
  return bids;
}

std::string AuctionResult::ToJson() const {
  nlohmann::json bids_j = nlohmann::json::array();
  for (const auto& b : bids) {
    bids_j.push_back({{"index", b.index},
                      {"bidder", b.bidder},
                      {"price", b.price},
                      {"volume", b.volume},
                      {"filled", b.filled},
                      {"pays", b.pays},
                      {"status", BidStatusName(b.status)},
                      {"reason", b.reason},
                      {"rank", b.rank}});
  }
  nlohmann::json doc = {{"schema", "carbonmrv.auction/1"},
                        {"rules", AuctionRulesName(rules)},
                        {"volume", volume},
                        {"cancelled", cancelled},
                        {"cancel_reason", cancel_reason},
                        {"clearing_price", clearing_price ? nlohmann::json(*clearing_price) : nlohmann::json(nullptr)},
                        {"sold", sold},
                        {"unsold", unsold},
                        {"demand", demand},
                        {"revenue", revenue},
                        {"carry_over", carry_over},
                        {"seed", seed},
                        {"bids", bids_j}};
  return doc.dump(1);
}

std::string AuctionResult::ToCsv() const {
  std::string out = "index,bidder,price,volume,filled,pays,status,rank,reason\n";
  for (const auto& b : bids) {
    out += StrCat(b.index, ",", internal::CsvField(b.bidder), ",", b.price, ",", b.volume, ",", b.filled, ",", b.pays,
                  ",", BidStatusName(b.status), ",", b.rank, ",", internal::CsvField(b.reason), "\n");
  }
  return out;
}

}  // namespace cmrv
