// The continuous double-auction order book (market/order_book.hpp): price-time priority on whole
// ticks, the daily band, market orders that never rest, lazy cancellation, block trades and the
// closing-price rule.
#include "carbonmrv/market/order_book.hpp"

#include <cmath>

#include "absl/strings/numbers.h"
#include "carbonmrv/status.hpp"
#include "internal/csv.hpp"
#include "internal/invalid.hpp"
#include "internal/json.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;

using internal::Invalid;

// Σ ticks × quantity of a session can pass 2^63 (10^6 trades of 10^5 t at 10^4 ticks), so the VWAP
// close is summed in 128 bits and rounded exactly.
__extension__ typedef __int128 Wide;  // NOLINT(modernize-use-using): __extension__ needs the typedef form

bool ValidBand(double pct) { return pct > 0 && pct <= 100; }

}  // namespace

std::string_view CloseRuleName(CloseRule rule) { return rule == CloseRule::kVwap ? "vwap" : "last_trade"; }

absl::StatusOr<CloseRule> ParseCloseRule(std::string_view name) {
  if (name == "last_trade") return CloseRule::kLastTrade;
  if (name == "vwap") return CloseRule::kVwap;
  return Invalid(StrCat("close_rule \"", name, "\" is not one of last_trade, vwap"));
}

absl::StatusOr<BookSpec> BookMarket(std::string_view name) {
  if (name == "cn_national") {
    // 碳排放权交易管理规则（试行） (MEE announcement 2021 No. 21): price step CNY 0.01, quantity step 1 t.
    // The exchange's listed-trading (挂牌协议交易) rules, as republished by tanpaifang.com on 2021-06-24:
    // a single order below 100 000 t, trades within ±10 % of the previous close, the close = the VWAP of
    // the day's listed trades (the previous close on a day without one). Block trades (大宗协议交易)
    // within ±30 % [U]: the figure, not seen in a source here.
    BookSpec s;
    s.tick = 0.01;
    s.lot = 1;
    s.band_pct = 10;
    s.max_order = 99'999;
    s.block_band_pct = 30;
    s.close_rule = CloseRule::kVwap;
    return s;
  }
  return Invalid(StrCat("market \"", name, "\" is not one of cn_national"));
}

absl::StatusOr<OrderBook> OrderBook::Create(const BookSpec& spec) {
  if (!(std::isfinite(spec.tick) && spec.tick > 0)) return Invalid("tick: expected a finite price step > 0");
  if (spec.lot < 1) return Invalid(StrCat("lot: ", spec.lot, " is not ≥ 1"));
  if (!ValidBand(spec.band_pct)) return Invalid("band_pct: expected a percentage in (0, 100]");
  if (!ValidBand(spec.block_band_pct)) return Invalid("block_band_pct: expected a percentage in (0, 100]");
  if (spec.block_min < 0) return Invalid(StrCat("block_min: ", spec.block_min, " is negative"));
  if (spec.max_order < 0) return Invalid(StrCat("max_order: ", spec.max_order, " is negative"));
  OrderBook book(spec);
  if (spec.previous_close) {
    const double close = *spec.previous_close;
    if (!(std::isfinite(close) && close > 0)) return Invalid("previous_close: expected a finite price > 0");
    // Each band in whole ticks, inward: a price on the tick is inside when it lies within ± band.
    auto low = [&](double pct) { return static_cast<int64_t>(std::ceil(close * (1 - pct / 100) / spec.tick - 1e-9)); };
    auto high = [&](double pct) {
      return static_cast<int64_t>(std::floor(close * (1 + pct / 100) / spec.tick + 1e-9));
    };
    book.band_low_ = low(spec.band_pct);
    book.band_high_ = high(spec.band_pct);
    book.block_low_ = low(spec.block_band_pct);
    book.block_high_ = high(spec.block_band_pct);
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

absl::StatusOr<int64_t> OrderBook::Ticks(double price, std::string_view what, int64_t id, std::optional<int64_t> low,
                                         std::optional<int64_t> high, double band_pct) const {
  const double r = price / spec_.tick;
  if (!std::isfinite(r) || price <= 0 || std::abs(r - std::round(r)) > 1e-9 * std::max(1.0, std::abs(r)) ||
      std::abs(r) > 9e15) {
    return Invalid(StrCat(what, " ", id, ": price ", price, " is not a positive multiple of the tick ", spec_.tick));
  }
  const auto t = static_cast<int64_t>(std::llround(r));
  if (low && (t < *low || t > *high)) {
    return Invalid(StrCat(what, " ", id, ": price ", price, " is outside the ", what == "block" ? "block" : "daily",
                          " band ", Price(*low), " – ", Price(*high), " (± ", band_pct, " % of the previous close ",
                          *spec_.previous_close, ")"));
  }
  return t;
}

absl::Status OrderBook::NextId(std::string_view what, int64_t id) const {
  if (last_id_ && id <= *last_id_) {
    return Invalid(StrCat(what, " ", id, ": the id is not above the previous order's ", *last_id_));
  }
  return absl::OkStatus();
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
  if (auto st = NextId("order", order.id); !st.ok()) return st;
  if (order.quantity <= 0 || order.quantity % spec_.lot != 0) {
    return Invalid(StrCat("order ", order.id, ": quantity ", order.quantity,
                          " is not a positive whole number of lots of ", spec_.lot));
  }
  if (spec_.max_order > 0 && order.quantity > spec_.max_order) {
    return Invalid(StrCat("order ", order.id, ": quantity ", order.quantity, " is above the largest listed order ",
                          spec_.max_order));
  }
  std::optional<int64_t> limit;
  if (order.type == OrderType::kLimit) {
    auto t = Ticks(order.price, "order", order.id, band_low_, band_high_, spec_.band_pct);
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

absl::Status OrderBook::Block(const BlockDeal& deal) {
  if (auto st = NextId("block", deal.id); !st.ok()) return st;
  const int64_t least = std::max(spec_.block_min, spec_.lot);
  if (deal.quantity < least || deal.quantity % spec_.lot != 0) {
    return Invalid(StrCat("block ", deal.id, ": quantity ", deal.quantity, " is not a whole number of lots of ",
                          spec_.lot, " of at least ", least));
  }
  auto t = Ticks(deal.price, "block", deal.id, block_low_, block_high_, spec_.block_band_pct);
  if (!t.ok()) return t.status();
  last_id_ = deal.id;
  Trade trade;
  trade.sequence = static_cast<int64_t>(trades_.size());
  trade.buy_order = trade.sell_order = deal.id;
  trade.price = Price(*t);
  trade.quantity = deal.quantity;
  trade.time = deal.time;
  trade.kind = TradeKind::kBlock;
  trades_.push_back(trade);
  return absl::OkStatus();
}

absl::StatusOr<ReplayCounts> OrderBook::Replay(const std::vector<BookEvent>& events) {
  ReplayCounts counts;
  const std::size_t before = trades_.size();
  for (const auto& e : events) {
    absl::Status st;
    switch (e.action) {
      case BookAction::kLimit:
      case BookAction::kMarket:
        st = Submit({e.id, e.side, e.action == BookAction::kLimit ? OrderType::kLimit : OrderType::kMarket, e.price,
                     e.quantity, e.time})
                 .status();
        break;
      case BookAction::kCancel:
        if (!Cancel(e.id)) ++counts.late_cancels;
        break;
      case BookAction::kBlock: st = Block({e.id, e.price, e.quantity, e.time}); break;
    }
    if (!st.ok()) {
      return Invalid(e.where.empty() ? std::string(st.message()) : StrCat(e.where, ": ", st.message()));
    }
    ++counts.events;
  }
  counts.trades = static_cast<int64_t>(trades_.size() - before);
  return counts;
}

absl::StatusOr<std::vector<BookEvent>> ReadBookEventsCsv(std::string_view text, std::string_view source) {
  auto table = internal::ParseCsv(text, source);
  if (!table.ok()) return table.status();
  const int id = table->Column("id"), event = table->Column("event"), side = table->Column("side"),
            price = table->Column("price"), quantity = table->Column("quantity"), time = table->Column("time");
  if (id < 0 || event < 0 || side < 0 || price < 0 || quantity < 0) {
    return Invalid(StrCat(source, ": the header names id, event, side, price and quantity (time is optional)"));
  }
  std::vector<BookEvent> out;
  out.reserve(table->rows.size());
  for (std::size_t i = 0; i < table->rows.size(); ++i) {
    const auto& row = table->rows[i];
    BookEvent e;
    e.where = StrCat(source, ":", table->lines[i]);
    auto field = [&](int col) -> absl::string_view {
      return col >= 0 && static_cast<std::size_t>(col) < row.size()
                 ? absl::string_view(row[static_cast<std::size_t>(col)])
                 : absl::string_view();
    };
    auto whole = [&](int col, const char* name, int64_t& target) -> absl::Status {
      if (absl::SimpleAtoi(field(col), &target)) return absl::OkStatus();
      return Invalid(StrCat(e.where, ": ", name, ": \"", field(col), "\" is not a whole number"));
    };
    if (auto st = whole(id, "id", e.id); !st.ok()) return st;
    const absl::string_view ev = field(event);
    if (ev == "limit") {
      e.action = BookAction::kLimit;
    } else if (ev == "market") {
      e.action = BookAction::kMarket;
    } else if (ev == "cancel") {
      e.action = BookAction::kCancel;
    } else if (ev == "block") {
      e.action = BookAction::kBlock;
    } else {
      return Invalid(StrCat(e.where, ": event: \"", ev, "\" is not one of limit, market, cancel, block"));
    }
    if (e.action == BookAction::kLimit || e.action == BookAction::kMarket) {
      const absl::string_view sd = field(side);
      if (sd != "buy" && sd != "sell") return Invalid(StrCat(e.where, ": side: \"", sd, "\" is not buy or sell"));
      e.side = sd == "buy" ? Side::kBuy : Side::kSell;
    }
    if (e.action == BookAction::kLimit || e.action == BookAction::kBlock) {
      if (!absl::SimpleAtod(field(price), &e.price) || !std::isfinite(e.price)) {
        return Invalid(StrCat(e.where, ": price: \"", field(price), "\" is not a number"));
      }
    }
    if (e.action != BookAction::kCancel) {
      if (auto st = whole(quantity, "quantity", e.quantity); !st.ok()) return st;
    }
    e.time = static_cast<int64_t>(i);
    if (!field(time).empty()) {
      if (auto st = whole(time, "time", e.time); !st.ok()) return st;
    }
    out.push_back(std::move(e));
  }
  return out;
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
  Wide tick_turnover = 0;  // Σ ticks × quantity of listed trades
  for (const auto& t : trades_) {
    if (t.kind == TradeKind::kBlock) {
      s.block_volume += t.quantity;
      s.block_turnover += t.price * static_cast<double>(t.quantity);
      ++s.block_trades;
      continue;
    }
    if (!s.open) s.open = t.price;
    s.high = s.high ? std::max(*s.high, t.price) : t.price;
    s.low = s.low ? std::min(*s.low, t.price) : t.price;
    s.close = t.price;
    s.volume += t.quantity;
    s.turnover += t.price * static_cast<double>(t.quantity);
    tick_turnover += static_cast<Wide>(std::llround(t.price / spec_.tick)) * t.quantity;
    ++s.trades;
  }
  if (s.volume > 0) {
    s.vwap = s.turnover / static_cast<double>(s.volume);
    if (spec_.close_rule == CloseRule::kVwap) {
      // Half up on whole ticks: floor((2 Σ + V) / 2V), exact for any session.
      const Wide v = s.volume;
      s.close = Price(static_cast<int64_t>((2 * tick_turnover + v) / (2 * v)));
    }
  } else {  // the exchange's rule for a day without a listed trade: open and close at the previous close
    s.open = s.close = spec_.previous_close;
  }
  return s;
}

std::string OrderBook::ToJson() const {
  const auto s = Summary();
  auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json trades = nlohmann::json::array();
  for (const auto& t : trades_) {
    trades.push_back(
        {{"sequence", t.sequence},
         {"buy_order", t.buy_order},
         {"sell_order", t.sell_order},
         {"price", t.price},
         {"quantity", t.quantity},
         {"time", t.time},
         {"aggressor", t.kind == TradeKind::kBlock ? nlohmann::json(nullptr)
                                                   : nlohmann::json(t.aggressor == Side::kBuy ? "buy" : "sell")},
         {"kind", t.kind == TradeKind::kBlock ? "block" : "listed"}});
  }
  const nlohmann::json doc = {{"schema", "carbonmrv.order_book/1"},
                              {"tick", spec_.tick},
                              {"lot", spec_.lot},
                              {"previous_close", opt(spec_.previous_close)},
                              {"band_pct", spec_.band_pct},
                              {"block_band_pct", spec_.block_band_pct},
                              {"block_min", spec_.block_min},
                              {"max_order", spec_.max_order},
                              {"close_rule", CloseRuleName(spec_.close_rule)},
                              {"open", opt(s.open)},
                              {"high", opt(s.high)},
                              {"low", opt(s.low)},
                              {"close", opt(s.close)},
                              {"vwap", opt(s.vwap)},
                              {"volume", s.volume},
                              {"turnover", s.turnover},
                              {"trade_count", s.trades},
                              {"block_volume", s.block_volume},
                              {"block_turnover", s.block_turnover},
                              {"block_trades", s.block_trades},
                              {"best_bid", opt(BestBid())},
                              {"best_ask", opt(BestAsk())},
                              {"trades", trades}};
  return doc.dump(1);
}

std::string OrderBook::ToCsv() const {
  std::string out = "sequence,kind,buy_order,sell_order,price,quantity,time,aggressor\n";
  for (const auto& t : trades_) {
    const bool block = t.kind == TradeKind::kBlock;
    out += StrCat(t.sequence, ",", block ? "block" : "listed", ",", t.buy_order, ",", t.sell_order, ",", t.price, ",",
                  t.quantity, ",", t.time, ",",
                  block                       ? ""
                  : t.aggressor == Side::kBuy ? "buy"
                                              : "sell",
                  "\n");
  }
  return out;
}

}  // namespace cmrv
