// carbonmrv — secondary market: a continuous double-auction order book for one allowance instrument.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// Limit and market orders, price-time priority, a tick and a lot, a daily price band around the
// previous close (the national market's ±10 % for listed trades), cancellations; block trades agreed
// outside the book within their own band (±30 % there); the closing price by the exchange's rule (last
// listed trade, or the listed trades' volume-weighted average). Prices are held as whole ticks, so
// matching never compares doubles. Deterministic: the same event stream gives the same trades. One book
// is not thread-safe; distinct books are independent. Rules and sources: docs/market.md.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cmrv {

enum class Side : int32_t { kBuy = 0, kSell = 1 };
enum class OrderType : int32_t { kLimit = 0, kMarket = 1 };
/// How the session's closing price is set. Either way a session without listed trades opens and closes
/// at the previous close (unset when there is none); block trades never set either.
enum class CloseRule : int32_t {
  kLastTrade = 0,  ///< the last listed trade's price
  kVwap = 1,       ///< the listed trades' volume-weighted average, rounded half up to the tick
};
/// A trade matched in the book (listed) or a block trade agreed outside it.
enum class TradeKind : int32_t { kListed = 0, kBlock = 1 };

struct BookSpec {
  double tick = 0.01;                    ///< price step (CNY 0.01)
  int64_t lot = 1;                       ///< order quantities are whole lots
  std::optional<double> previous_close;  ///< the reference of both bands; unset: no band
  double band_pct = 10;                  ///< listed orders: ± % of the previous close
  double block_band_pct = 30;            ///< block trades: ± % of the previous close
  int64_t block_min = 0;                 ///< smallest block trade (0: one lot)
  int64_t max_order = 0;                 ///< largest listed order (0: no limit)
  CloseRule close_rule = CloseRule::kLastTrade;
};

/// A named market's book rules. "cn_national" (the national carbon market): tick CNY 0.01 and lot 1 t
/// (碳排放权交易管理规则（试行）, MEE announcement 2021 No. 21); listed orders below 100 000 t within ±10 %
/// of the previous close and the close = the listed trades' VWAP (the exchange's listed-trading rules,
/// 2021); block band ±30 % [U]. docs/market.md gives the sources. An unknown name is an error listing
/// the known ones.
absl::StatusOr<BookSpec> BookMarket(std::string_view name);
std::string_view CloseRuleName(CloseRule rule);
absl::StatusOr<CloseRule> ParseCloseRule(std::string_view name);

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

/// A block trade (大宗协议交易): agreed between two parties outside the book, checked against the block
/// band and minimum, recorded as a trade with both order ids equal to its id.
struct BlockDeal {
  int64_t id = 0;  ///< in the same increasing sequence as order ids
  double price = 0;
  int64_t quantity = 0;
  int64_t time = 0;
};

struct Trade {
  int64_t sequence = 0;  ///< 0, 1, 2 … in the order trades happen
  int64_t buy_order = 0, sell_order = 0;
  double price = 0;  ///< the resting order's price (a block trade: the agreed price)
  int64_t quantity = 0;
  int64_t time = 0;  ///< the incoming order's time
  Side aggressor = Side::kBuy;
  TradeKind kind = TradeKind::kListed;
};

/// Open, high, low, VWAP, volume and turnover are of listed trades, as exchanges publish them; block
/// trades are counted apart.
struct SessionSummary {
  std::optional<double> open, high, low, close, vwap;
  int64_t volume = 0;   ///< allowances traded in the book
  double turnover = 0;  ///< Σ price × quantity of listed trades
  int64_t trades = 0;
  int64_t block_volume = 0;
  double block_turnover = 0;
  int64_t block_trades = 0;
};

/// One event of a session's stream, as read from CSV (ReadBookEventsCsv) or built by the caller.
enum class BookAction : int32_t { kLimit = 0, kMarket = 1, kCancel = 2, kBlock = 3 };
struct BookEvent {
  BookAction action = BookAction::kLimit;
  int64_t id = 0;
  Side side = Side::kBuy;  ///< limit and market orders
  double price = 0;        ///< limit orders and block trades
  int64_t quantity = 0;    ///< all but cancels
  int64_t time = 0;
  std::string where;  ///< "events.csv:5" for error messages; may be empty
};

/// Reads events from CSV with columns id, event (limit | market | cancel | block), side (buy | sell),
/// price, quantity and optionally time (default: the row's index). Errors name the line and column.
absl::StatusOr<std::vector<BookEvent>> ReadBookEventsCsv(std::string_view text, std::string_view source);

/// What a replay did: events applied, trades made, cancels of orders no longer resting.
struct ReplayCounts {
  int64_t events = 0, trades = 0, late_cancels = 0;
};

class OrderBook {
 public:
  /// Errors: a tick or lot that is not > 0, a band outside (0, 100], a previous close ≤ 0, a negative
  /// block minimum or order maximum.
  static absl::StatusOr<OrderBook> Create(const BookSpec& spec);

  /// Submits an order; returns how many trades it made: the last that many of trades(). Errors name
  /// the order: an id not above the previous one, a quantity not > 0, not whole lots or above the
  /// largest order, a limit price off the tick or outside the daily band. A rejected order changes nothing. (Increasing
  /// ids make the duplicate check O(1) without a set of every id ever seen, which at 10^6 orders cost a cache miss per
  /// event.)
  absl::StatusOr<std::size_t> Submit(const Order& order);
  /// Cancels the rest of a resting order; false when no order with that id rests (filled, cancelled or
  /// unknown: a late cancel is routine, so it is not an error here; surfaces report it).
  bool Cancel(int64_t id);
  /// Records a block trade. Errors name the deal: an id not above the previous one, a quantity not
  /// whole lots or below the block minimum, a price off the tick or outside the block band.
  absl::Status Block(const BlockDeal& deal);
  /// Applies events in order; the first refused event stops the replay with its error, prefixed by its
  /// `where` (events before it stay applied, as on an exchange).
  absl::StatusOr<ReplayCounts> Replay(const std::vector<BookEvent>& events);

  /// Best bid and ask (nullopt on an empty side), and the quantity resting at a price.
  std::optional<double> BestBid() const;
  std::optional<double> BestAsk() const;
  int64_t DepthAt(Side side, double price) const;
  /// Quantity left of a resting order (0 when filled, cancelled or unknown).
  int64_t Remaining(int64_t id) const;

  const std::vector<Trade>& trades() const { return trades_; }
  const BookSpec& spec() const { return spec_; }
  /// The session so far: listed open, high, low, close (by the spec's rule), VWAP, volume, turnover;
  /// block volume and turnover.
  SessionSummary Summary() const;
  /// "carbonmrv.order_book/1": the rules, the summary and every trade.
  std::string ToJson() const;
  /// Every trade: sequence, kind, buy_order, sell_order, price, quantity, time, aggressor.
  std::string ToCsv() const;

 private:
  struct Resting {
    int64_t id = 0;
    int64_t remaining = 0;  ///< 0 once filled or cancelled
  };
  /// A price level: slots of pool_ in time order. A cancel zeroes the slot in O(1); matching drops it.
  using Level = std::deque<std::size_t>;

  explicit OrderBook(const BookSpec& spec) : spec_(spec) {}
  /// `what` ("order" or "block") and `id` name the event in errors; no text is built unless one is refused.
  absl::StatusOr<int64_t> Ticks(double price, std::string_view what, int64_t id, std::optional<int64_t> low,
                                std::optional<int64_t> high, double band_pct) const;
  absl::Status NextId(std::string_view what, int64_t id) const;
  double Price(int64_t ticks) const;
  template <typename Book>
  void Match(Book& opposite, const Order& order, int64_t& left, std::optional<int64_t> limit);

  BookSpec spec_;
  std::optional<int64_t> band_low_, band_high_;    ///< in ticks
  std::optional<int64_t> block_low_, block_high_;  ///< in ticks
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
