// C API: the secondary-market order book (core: include/carbonmrv/market/order_book.hpp).
#include <cmath>
#include <limits>
#include <string>

#include "carbonmrv/market/order_book.hpp"
#include "carbonmrv/market/order_book_options.hpp"
#include "guard.hpp"
#include "handles.hpp"

struct cmrv_order_book_options {
  cmrv::BookSpec spec;
};

struct cmrv_order_book {
  cmrv::OrderBook book;
};

namespace {

using cmrv::capi::BadArgument;
using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();

}  // namespace

extern "C" {

cmrv_status cmrv_order_book_options_create(cmrv_context* ctx, cmrv_order_book_options** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_order_book_options{};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_order_book_options_set(cmrv_context* ctx, cmrv_order_book_options* options, const char* key,
                                        const char* value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    if (auto st = cmrv::CheckText(key, "key"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(value, "value"); !st.ok()) return st;
    return cmrv::SetBookOption(options->spec, key, value);
  });
}

void cmrv_order_book_options_destroy(cmrv_order_book_options* options) { delete options; }

cmrv_status cmrv_order_book_create(cmrv_context* ctx, const cmrv_order_book_options* options, cmrv_order_book** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    auto book = cmrv::OrderBook::Create(options == nullptr ? cmrv::BookSpec{} : options->spec);
    if (!book.ok()) return book.status();
    *out = new cmrv_order_book{*std::move(book)};
    return absl::OkStatus();
  });
}

void cmrv_order_book_destroy(cmrv_order_book* book) { delete book; }

cmrv_status cmrv_order_book_submit(cmrv_context* ctx, cmrv_order_book* book, int64_t id, int32_t side, int32_t type,
                                   double price, int64_t quantity, int64_t time, size_t* out_trades) {
  return Guard(ctx, [&]() -> absl::Status {
    if (book == nullptr) return NullArgument("book");
    if (side != CMRV_SIDE_BUY && side != CMRV_SIDE_SELL) {
      return BadArgument("side " + std::to_string(side) + " is not CMRV_SIDE_BUY (0) or CMRV_SIDE_SELL (1)");
    }
    if (type != CMRV_ORDER_LIMIT && type != CMRV_ORDER_MARKET) {
      return BadArgument("type " + std::to_string(type) + " is not CMRV_ORDER_LIMIT (0) or CMRV_ORDER_MARKET (1)");
    }
    const cmrv::Order order{id,
                            side == CMRV_SIDE_BUY ? cmrv::Side::kBuy : cmrv::Side::kSell,
                            type == CMRV_ORDER_LIMIT ? cmrv::OrderType::kLimit : cmrv::OrderType::kMarket,
                            price,
                            quantity,
                            time};
    auto n = book->book.Submit(order);
    if (!n.ok()) return n.status();
    if (out_trades != nullptr) *out_trades = *n;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_order_book_cancel(cmrv_context* ctx, cmrv_order_book* book, int64_t id) {
  return Guard(ctx, [&]() -> absl::Status {
    if (book == nullptr) return NullArgument("book");
    if (!book->book.Cancel(id)) {
      return cmrv::MakeError(absl::StatusCode::kNotFound, cmrv::ErrorDetail::kNotFound,
                             "order " + std::to_string(id) + " is not resting");
    }
    return absl::OkStatus();
  });
}

cmrv_status cmrv_order_book_block(cmrv_context* ctx, cmrv_order_book* book, int64_t id, double price, int64_t quantity,
                                  int64_t time) {
  return Guard(ctx, [&]() -> absl::Status {
    if (book == nullptr) return NullArgument("book");
    return book->book.Block({id, price, quantity, time});
  });
}

cmrv_status cmrv_order_book_trade_count(cmrv_context* ctx, const cmrv_order_book* book, size_t* out_count) {
  return Guard(ctx, [&]() -> absl::Status {
    if (book == nullptr) return NullArgument("book");
    if (out_count == nullptr) return NullArgument("out_count");
    *out_count = book->book.trades().size();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_order_book_trade(cmrv_context* ctx, const cmrv_order_book* book, size_t index, int64_t* out_buy,
                                  int64_t* out_sell, double* out_price, int64_t* out_quantity, int64_t* out_time,
                                  int32_t* out_kind) {
  return Guard(ctx, [&]() -> absl::Status {
    if (book == nullptr) return NullArgument("book");
    const auto& trades = book->book.trades();
    if (index >= trades.size()) {
      return cmrv::capi::IndexOutOfRange("trade", index, trades.size(), "trades");
    }
    const auto& t = trades[index];
    if (out_buy != nullptr) *out_buy = t.buy_order;
    if (out_sell != nullptr) *out_sell = t.sell_order;
    if (out_price != nullptr) *out_price = t.price;
    if (out_quantity != nullptr) *out_quantity = t.quantity;
    if (out_time != nullptr) *out_time = t.time;
    if (out_kind != nullptr) *out_kind = t.kind == cmrv::TradeKind::kBlock ? CMRV_TRADE_BLOCK : CMRV_TRADE_LISTED;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_order_book_best(cmrv_context* ctx, const cmrv_order_book* book, double* out_bid, double* out_ask) {
  return Guard(ctx, [&]() -> absl::Status {
    if (book == nullptr) return NullArgument("book");
    if (out_bid != nullptr) *out_bid = book->book.BestBid().value_or(kAbsent);
    if (out_ask != nullptr) *out_ask = book->book.BestAsk().value_or(kAbsent);
    return absl::OkStatus();
  });
}

cmrv_status cmrv_order_book_summary(cmrv_context* ctx, const cmrv_order_book* book, double* out_open, double* out_high,
                                    double* out_low, double* out_close, double* out_vwap, int64_t* out_volume,
                                    int64_t* out_block_volume) {
  return Guard(ctx, [&]() -> absl::Status {
    if (book == nullptr) return NullArgument("book");
    const auto s = book->book.Summary();
    if (out_open != nullptr) *out_open = s.open.value_or(kAbsent);
    if (out_high != nullptr) *out_high = s.high.value_or(kAbsent);
    if (out_low != nullptr) *out_low = s.low.value_or(kAbsent);
    if (out_close != nullptr) *out_close = s.close.value_or(kAbsent);
    if (out_vwap != nullptr) *out_vwap = s.vwap.value_or(kAbsent);
    if (out_volume != nullptr) *out_volume = s.volume;
    if (out_block_volume != nullptr) *out_block_volume = s.block_volume;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_order_book_to_json(cmrv_context* ctx, const cmrv_order_book* book, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (book == nullptr) return NullArgument("book");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(book->book.ToJson());
    return absl::OkStatus();
  });
}

}  // extern "C"
