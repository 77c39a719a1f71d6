// carbonmrv — auction options from key/value text.
//
// Every surface (C API cmrv_*_options_set, Python keywords, CLI flags) sets these options from key/value
// text through this function, so keys, aliases and error text are the same everywhere. An unknown key or
// value is an error that lists the valid ones.
//
// Source-level API only: it may change in minor releases. Link the C API for binary stability.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "carbonmrv/market/auction.hpp"

namespace cmrv {

/// Auction keys: rules (eu | guangdong | discriminatory | fixed_price), volume, lot, tick,
/// reserve_price, min_bid_volume, max_bidder_share, fixed_price, seed, carry_over_auctions, currency.
absl::Status SetAuctionOption(AuctionSpec& options, std::string_view key, std::string_view value);

}  // namespace cmrv
