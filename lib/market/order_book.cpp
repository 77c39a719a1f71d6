// The continuous double-auction order book (market/order_book.hpp): price-time priority on whole
// ticks, the daily band, market orders that never rest, lazy cancellation.
#include "carbonmrv/market/order_book.hpp"

#include <cmath>

#include "carbonmrv/status.hpp"
#include "internal/json.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;

absl::Status Bad(const std::string& what) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, what);
}

}  // namespace

absl::StatusOr<OrderBook> OrderBook::Create(const BookSpec& spec) {
  if (!(std::isfinite(spec.tick) && spec.tick > 0)) return Bad("tick: expected a finite price step > 0");
  if (spec.lot < 1) return Bad(StrCat("lot: ", spec.lot, " is not ≥ 1"));
  if (!(spec.band_pct > 0 && spec.band_pct <= 100)) return Bad("band_pct: expected a percentage in (0, 100]");
  OrderBook book(spec);
  if (spec.previous_close) {
    const double close = *spec.previous_close;
    if (!(std::isfinite(close) && close > 0)) return Bad("previous_close: expected a finite price > 0");
    // The band in whole ticks, inward: a price on the tick is inside when it lies within ± band.
    book.band_low_ = static_cast<int64_t>(std::ceil(close * (1 - spec.band_pct / 100) / spec.tick - 1e-9));
    book.band_high_ = static_cast<int64_t>(std::floor(close * (1 + spec.band_pct / 100) / spec.tick + 1e-9));
  }
  return book;
}

double OrderBook::Price(int64_t ticks) const {
  // Dividing by a whole number of ticks per unit (100 for 0.01) gives the nearest double to the decimal
  // price; multiplying by the binary 0.01 may be one ulp off.
  const double per_unit = std::round(1 / spec_.tick);
  if (spec_.tick < 1 && std::abs(per_unit * spec_.tick - 1) < 1e-12) return static_cast<double>(ticks) / per_unit;
  return static_cast<double>(ticks) * spec_.tick;
}

absl::StatusOr<int64_t> OrderBook::Ticks(double price, int64_t id) const {
  const double r = price / spec_.tick;
  if (!std::isfinite(r) || price <= 0 || std::abs(r - std::round(r)) > 1e-9 * std::max(1.0, std::abs(r)) ||
      std::abs(r) > 9e15) {
    return Bad(StrCat("order ", id, ": price ", price, " is not a positive multiple of the tick ", spec_.tick));
  }
  const auto t = static_cast<int64_t>(std::llround(r));
  if (band_low_ && (t < *band_low_ || t > *band_high_)) {
    return Bad(StrCat("order ", id, ": price ", price, " is outside the daily band ", Price(*band_low_), " – ",
                      Price(*band_high_), " (± ", spec_.band_pct, " % of the previous close ", *spec_.previous_close,
                      ")"));
  }
  return t;
}

// Takes from the opposite side best level first, oldest order first, while the incoming order has
// quantity left and the level's price is within its limit (a market order: within the band, which the
// resting orders already are).
template <typename Book>
void OrderBook::Match(Book& opposite, const Order& order, int64_t& left, std::optional<int64_t> limit) {
  while (left > 0 && !opposite.empty()) {
    auto level = opposite.begin();
    const int64_t ticks = level->first;
    if (limit && (order.side == Side::kBuy ? ticks > *limit : ticks < *limit)) break;
    Level& queue = level->second;
    while (left > 0 && !queue.empty()) {
      Resting& r = pool_[queue.front()];
      if (r.remaining == 0) {  // cancelled
        queue.pop_front();
        continue;
      }
      const int64_t q = std::min(left, r.remaining);
      r.remaining -= q;
      left -= q;
      Trade t;
      t.sequence = static_cast<int64_t>(trades_.size());
      t.buy_order = order.side == Side::kBuy ? order.id : r.id;
      t.sell_order = order.side == Side::kBuy ? r.id : order.id;
      t.price = Price(ticks);
      t.quantity = q;
      t.time = order.time;
      t.aggressor = order.side;
      trades_.push_back(t);
      if (r.remaining == 0) {
        resting_.erase(r.id);
        queue.pop_front();
      }
    }
    if (queue.empty()) opposite.erase(level);
  }
}

absl::StatusOr<std::size_t> OrderBook::Submit(const Order& order) {
  if (last_id_ && order.id <= *last_id_) {
    return Bad(StrCat("order ", order.id, ": the id is not above the previous order's ", *last_id_));
  }
  if (order.quantity <= 0 || order.quantity % spec_.lot != 0) {
    return Bad(StrCat("order ", order.id, ": quantity ", order.quantity, " is not a positive whole number of lots of ",
                      spec_.lot));
  }
  std::optional<int64_t> limit;
  if (order.type == OrderType::kLimit) {
    auto t = Ticks(order.price, order.id);
    if (!t.ok()) return t.status();
    limit = *t;
  }
  last_id_ = order.id;
  const std::size_t before = trades_.size();
  int64_t left = order.quantity;
  if (order.side == Side::kBuy) {
    Match(asks_, order, left, limit);
  } else {
    Match(bids_, order, left, limit);
  }
  if (left > 0 && limit) {  // the rest of a limit order rests at its price, behind earlier orders
    const std::size_t slot = pool_.size();
    pool_.push_back({order.id, left});
    if (order.side == Side::kBuy) {
      bids_[*limit].push_back(slot);
    } else {
      asks_[*limit].push_back(slot);
    }
    resting_[order.id] = {order.side, *limit, slot};
  }
  return trades_.size() - before;
}

bool OrderBook::Cancel(int64_t id) {
  auto it = resting_.find(id);
  if (it == resting_.end()) return false;
  pool_[it->second.slot].remaining = 0;  // its slot leaves the level when matching reaches it
  resting_.erase(it);
  return true;
}

namespace {

template <typename Book, typename Pool>
std::optional<int64_t> Best(const Book& book, const Pool& pool) {
  for (const auto& [ticks, level] : book) {
    for (std::size_t slot : level) {
      if (pool[slot].remaining > 0) return ticks;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> OrderBook::BestBid() const {
  auto t = Best(bids_, pool_);
  return t ? std::optional<double>(Price(*t)) : std::nullopt;
}

std::optional<double> OrderBook::BestAsk() const {
  auto t = Best(asks_, pool_);
  return t ? std::optional<double>(Price(*t)) : std::nullopt;
}

int64_t OrderBook::DepthAt(Side side, double price) const {
  const auto t = static_cast<int64_t>(std::llround(price / spec_.tick));
  int64_t sum = 0;
  auto add = [&](const auto& book) {
    auto it = book.find(t);
    if (it == book.end()) return;
    for (std::size_t slot : it->second) sum += pool_[slot].remaining;
  };
  if (side == Side::kBuy) {
    add(bids_);
  } else {
    add(asks_);
  }
  return sum;
}

int64_t OrderBook::Remaining(int64_t id) const {
  auto it = resting_.find(id);
  return it == resting_.end() ? 0 : pool_[it->second.slot].remaining;
}

SessionSummary OrderBook::Summary() const {
  SessionSummary s;
  for (const auto& t : trades_) {
    if (!s.open) s.open = t.price;
    s.high = s.high ? std::max(*s.high, t.price) : t.price;
    s.low = s.low ? std::min(*s.low, t.price) : t.price;
    s.close = t.price;
    s.volume += t.quantity;
    s.turnover += t.price * static_cast<double>(t.quantity);
    ++s.trades;
  }
  if (s.volume > 0) s.vwap = s.turnover / static_cast<double>(s.volume);
  return s;
}

std::string OrderBook::ToJson() const {
  const auto s = Summary();
  auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json trades = nlohmann::json::array();
  for (const auto& t : trades_) {
    trades.push_back({{"sequence", t.sequence},
                      {"buy_order", t.buy_order},
                      {"sell_order", t.sell_order},
                      {"price", t.price},
                      {"quantity", t.quantity},
                      {"time", t.time},
                      {"aggressor", t.aggressor == Side::kBuy ? "buy" : "sell"}});
  }
  const nlohmann::json doc = {{"schema", "carbonmrv.order_book/1"},
                              {"tick", spec_.tick},
                              {"lot", spec_.lot},
                              {"previous_close", opt(spec_.previous_close)},
                              {"band_pct", spec_.band_pct},
                              {"open", opt(s.open)},
                              {"high", opt(s.high)},
                              {"low", opt(s.low)},
                              {"close", opt(s.close)},
                              {"vwap", opt(s.vwap)},
                              {"volume", s.volume},
                              {"turnover", s.turnover},
                              {"best_bid", opt(BestBid())},
                              {"best_ask", opt(BestAsk())},
                              {"trades", trades}};
  return doc.dump(1);
}

}  // namespace cmrv
