// carbonmrv — secondary market: a continuous double-auction order book for one allowance instrument.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// Limit and market orders, price-time priority, a tick and a lot, a daily price band around the
// previous close (the national market's ±10 % for listed trades), cancellations. Prices are held as
// whole ticks, so matching never compares doubles. Deterministic: the same event stream gives the same
// trades. One book is not thread-safe; distinct books are independent. Rules and sources: docs/market.md.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace cmrv {

enum class Side : int32_t { kBuy = 0, kSell = 1 };
enum class OrderType : int32_t { kLimit = 0, kMarket = 1 };

struct BookSpec {
  double tick = 0.01;                    ///< price step (CNY 0.01)
  int64_t lot = 1;                       ///< order quantities are whole lots
  std::optional<double> previous_close;  ///< the reference of the daily band; unset: no band
  double band_pct = 10;                  ///< the band, ± % of the previous close (national market, listed trades)
};

/// A new order. A market order trades what the book offers within the band and the rest is cancelled
/// (it never rests).
struct Order {
  int64_t id = 0;  ///< strictly increasing, as an exchange's matching engine assigns them
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  double price = 0;  ///< limit price; ignored for a market order
  int64_t quantity = 0;
  int64_t time = 0;  ///< the event's time stamp (kept on trades)
};

struct Trade {
  int64_t sequence = 0;  ///< 0, 1, 2 … in the order trades happen
  int64_t buy_order = 0, sell_order = 0;
  double price = 0;  ///< the resting order's price
  int64_t quantity = 0;
  int64_t time = 0;  ///< the incoming order's time
  Side aggressor = Side::kBuy;
};

struct SessionSummary {
  std::optional<double> open, high, low, close, vwap;
  int64_t volume = 0;   ///< allowances traded
  double turnover = 0;  ///< Σ price × quantity
  int64_t trades = 0;
};

class OrderBook {
 public:
  /// Errors: a tick or lot that is not > 0, a band outside (0, 100], a previous close ≤ 0.
  static absl::StatusOr<OrderBook> Create(const BookSpec& spec);

  /// Submits an order; returns how many trades it made: the last that many of trades(). Errors name
  /// the order: an id not above the previous one, a quantity not > 0 or not whole lots, a limit price
  /// off the tick or outside the daily band. A rejected order changes nothing. (Increasing ids make the
  /// duplicate check O(1) without a set of every id ever seen, which at 10^6 orders cost a cache miss
  /// per event.)
  absl::StatusOr<std::size_t> Submit(const Order& order);
  /// Cancels the rest of a resting order; false when no order with that id rests (filled, cancelled or
  /// unknown: a late cancel is routine, so it is not an error here; surfaces report it).
  bool Cancel(int64_t id);

  /// Best bid and ask (nullopt on an empty side), and the quantity resting at a price.
  std::optional<double> BestBid() const;
  std::optional<double> BestAsk() const;
  int64_t DepthAt(Side side, double price) const;
  /// Quantity left of a resting order (0 when filled, cancelled or unknown).
  int64_t Remaining(int64_t id) const;

  const std::vector<Trade>& trades() const { return trades_; }
  /// Open, high, low, last (close), volume-weighted average, volume and turnover of the trades so far.
  SessionSummary Summary() const;
  /// "carbonmrv.order_book/1": the summary and every trade.
  std::string ToJson() const;

 private:
  struct Resting {
    int64_t id = 0;
    int64_t remaining = 0;  ///< 0 once filled or cancelled
  };
  /// A price level: slots of pool_ in time order. A cancel zeroes the slot in O(1); matching drops it.
  using Level = std::deque<std::size_t>;

  explicit OrderBook(const BookSpec& spec) : spec_(spec) {}
  absl::StatusOr<int64_t> Ticks(double price, int64_t id) const;
  double Price(int64_t ticks) const;
  template <typename Book>
  void Match(Book& opposite, const Order& order, int64_t& left, std::optional<int64_t> limit);

  BookSpec spec_;
  std::optional<int64_t> band_low_, band_high_;    ///< in ticks
  std::map<int64_t, Level, std::greater<>> bids_;  ///< best (highest) first
  std::map<int64_t, Level> asks_;                  ///< best (lowest) first
  std::vector<Resting> pool_;                      ///< every order that ever rested, by slot
  struct Where {
    Side side;
    int64_t ticks;
    std::size_t slot;
  };
  absl::flat_hash_map<int64_t, Where> resting_;  ///< id → where it rests (open addressing: 10^6 ids stay fast)
  std::optional<int64_t> last_id_;               ///< the id of the last accepted order
  std::vector<Trade> trades_;
};

}  // namespace cmrv
