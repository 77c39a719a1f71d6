// carbonmrv — order-book options from key/value text.
//
// Every surface (C API cmrv_order_book_options_set, Python keywords, CLI flags) sets a book's rules from
// key/value text through this function, so keys and error text are the same everywhere.
//
// Source-level API only: it may change in minor releases. Link the C API for binary stability.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "carbonmrv/market/order_book.hpp"

namespace cmrv {

/// Order-book keys: market (cn_national: sets every rule key but previous_close, so set it first),
/// tick, lot, previous_close, band_pct, block_band_pct, block_min, max_order, close_rule
/// (last_trade | vwap).
absl::Status SetBookOption(BookSpec& spec, std::string_view key, std::string_view value);

}  // namespace cmrv
