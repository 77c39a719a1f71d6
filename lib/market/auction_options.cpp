#include "carbonmrv/market/auction_options.hpp"

#include <gsl/narrow>

#include <cstdint>
#include <limits>
#include <string>
#include "carbonmrv/status.hpp"
#include "internal/option_text.hpp"
#include "internal/strings.hpp"

namespace cmrv {

using internal::DecimalOption;
using internal::UnknownOptionKey;
using internal::WholeOption;

absl::Status SetAuctionOption(AuctionSpec& o, std::string_view key, std::string_view v) {
  // Whole-number keys, their ranges and their targets; the spec's own checks run when it clears.
  constexpr long long kMax = 1'000'000'000'000'000;
  if (key == "rules") {
    auto r = ParseAuctionRules(v);
    if (!r.ok()) return r.status();
    o.rules = *r;
  } else if (key == "volume" || key == "lot" || key == "min_bid_volume") {
    auto n = WholeOption(key, v, key == "min_bid_volume" ? 0 : 1, kMax);
    if (!n.ok()) return n.status();
    (key == "volume" ? o.volume : key == "lot" ? o.lot : o.min_bid_volume) = *n;
  } else if (key == "seed") {
    auto n = WholeOption(key, v, 0, std::numeric_limits<long long>::max());
    if (!n.ok()) return n.status();
    o.seed = static_cast<uint64_t>(*n);
  } else if (key == "carry_over_auctions") {
    auto n = WholeOption(key, v, 1, 100);
    if (!n.ok()) return n.status();
    o.carry_over_auctions = gsl::narrow<int>(*n);
  } else if (key == "tick" || key == "reserve_price" || key == "max_bidder_share" || key == "fixed_price") {
    auto d = DecimalOption(key, v);
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
    return UnknownOptionKey(
        key,
        "rules, volume, lot, tick, reserve_price, min_bid_volume, max_bidder_share, fixed_price, seed, "
        "carry_over_auctions, currency");
  }
  return absl::OkStatus();
}

}  // namespace cmrv
