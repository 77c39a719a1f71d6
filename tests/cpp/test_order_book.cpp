// C++ core: the order book on a sequence worked by hand — price-time priority, partial fills, a market
// order that never rests, cancellation, the daily band and the tick — and the shared sessions of
// tests/data/order_book_cases.json (block trades, the closing-price rules, errors naming the line).
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv/market/order_book.hpp"
#include "carbonmrv/market/order_book_options.hpp"
#include "support/cases.hpp"
#include "support/fixtures.hpp"

namespace {

cmrv::Order Limit(int64_t id, cmrv::Side side, double price, int64_t qty, int64_t time) {
  return {id, side, cmrv::OrderType::kLimit, price, qty, time};
}

const nlohmann::json& Cases() {
  static const nlohmann::json cases = nlohmann::json::parse(cmrv_test::Read("order_book_cases.json"));
  return cases;
}

std::string Csv(const nlohmann::json& rows) {
  std::string out;
  for (const auto& r : rows) out += r.get<std::string>() + "\n";
  return out;
}

// The case's options in order; the first refused one (or Create's refusal) as the status.
absl::StatusOr<cmrv::OrderBook> Book(const nlohmann::json& options) {
  cmrv::BookSpec spec;
  for (const auto& kv : options) {
    if (auto st = cmrv::SetBookOption(spec, kv[0].get<std::string>(), kv[1].get<std::string>()); !st.ok()) return st;
  }
  return cmrv::OrderBook::Create(spec);
}

void CheckOptional(const std::optional<double>& got, const nlohmann::json& want) {
  if (want.is_null()) {
    CHECK_FALSE(got.has_value());
  } else {
    REQUIRE(got.has_value());
    CHECK(*got == want.get<double>());
  }
}

}  // namespace

TEST_CASE("Order book: the shared sessions", "[order_book]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "order_book_cases.json", "cases")) {
    INFO(c["name"].get<std::string>());
    auto book = Book(c["options"]);
    REQUIRE(book.ok());
    auto events = cmrv::ReadBookEventsCsv(Csv(c["events"]), "events.csv");
    REQUIRE(events.ok());
    auto counts = book->Replay(*events);
    REQUIRE(counts.ok());
    CHECK(counts->late_cancels == c["late_cancels"].get<int64_t>());
    const auto& trades = book->trades();
    REQUIRE(trades.size() == c["trades"].size());
    CHECK(counts->trades == static_cast<int64_t>(trades.size()));
    for (std::size_t i = 0; i < trades.size(); ++i) {
      const auto& want = c["trades"][i];
      CHECK(trades[i].buy_order == want[0].get<int64_t>());
      CHECK(trades[i].sell_order == want[1].get<int64_t>());
      CHECK(trades[i].price == want[2].get<double>());
      CHECK(trades[i].quantity == want[3].get<int64_t>());
      CHECK((trades[i].kind == cmrv::TradeKind::kBlock ? "block" : "listed") == want[4].get<std::string>());
    }
    const auto s = book->Summary();
    const auto& w = c["summary"];
    for (auto [key, got] :
         {std::pair{"open", s.open}, {"high", s.high}, {"low", s.low}, {"close", s.close}, {"vwap", s.vwap}}) {
      INFO(key);
      if (w.contains(key)) CheckOptional(got, w[key]);
    }
    CHECK(s.volume == w["volume"].get<int64_t>());
    CHECK(cmrv_test::Close(s.turnover, w["turnover"].get<double>(), 1e-12));
    CHECK(s.block_volume == w["block_volume"].get<int64_t>());
    CHECK(cmrv_test::Close(s.block_turnover, w["block_turnover"].get<double>(), 1e-12));
    CheckOptional(book->BestBid(), c["best_bid"]);
    CheckOptional(book->BestAsk(), c["best_ask"]);
    // The JSON document carries the same summary.
    const auto doc = nlohmann::json::parse(book->ToJson());
    CHECK(doc["close"] == (s.close ? nlohmann::json(*s.close) : nlohmann::json(nullptr)));
    CHECK(doc["block_volume"] == s.block_volume);
  }
}

TEST_CASE("Order book: refused events name the line and the field", "[order_book]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "order_book_cases.json", "errors")) {
    INFO(c["name"].get<std::string>());
    auto book = Book(c["options"]);
    REQUIRE(book.ok());
    auto events = cmrv::ReadBookEventsCsv(Csv(c["events"]), "events.csv");
    absl::Status st = events.status();
    if (events.ok()) st = book->Replay(*events).status();
    CHECK(st.code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(st.message()) == c["message"].get<std::string>());
  }
  for (const auto& c : cmrv_test::Counted(Cases(), "order_book_cases.json", "option_errors")) {
    const auto book = Book(c["options"]);
    REQUIRE_FALSE(book.ok());
    CHECK(std::string(book.status().message()) == c["message"].get<std::string>());
  }
}

TEST_CASE("Order book: a sequence worked by hand", "[order_book]") {
  using cmrv::Side;
  cmrv::BookSpec spec;
  spec.previous_close = 80.0;  // band ± 10 %: 72.00 – 88.00
  auto made = cmrv::OrderBook::Create(spec);
  REQUIRE(made.ok());
  auto& book = *made;
  REQUIRE(*book.Submit(Limit(1, Side::kSell, 81.00, 300, 1)) == 0);
  REQUIRE(*book.Submit(Limit(2, Side::kSell, 80.50, 200, 2)) == 0);
  REQUIRE(*book.Submit(Limit(3, Side::kSell, 80.50, 100, 3)) == 0);  // behind order 2 at 80.50
  REQUIRE(*book.Submit(Limit(4, Side::kBuy, 80.00, 500, 4)) == 0);
  CHECK(*book.BestBid() == 80.00);
  CHECK(*book.BestAsk() == 80.50);
  CHECK(book.DepthAt(Side::kSell, 80.50) == 300);
  // Buy 250 at 80.60: order 2 first (time priority) 200 at 80.50, then 50 of order 3.
  REQUIRE(*book.Submit(Limit(5, Side::kBuy, 80.60, 250, 5)) == 2);
  const auto& t = book.trades();
  CHECK((t[0].sell_order == 2 && t[0].buy_order == 5 && t[0].quantity == 200 && t[0].price == 80.50));
  CHECK((t[1].sell_order == 3 && t[1].quantity == 50));
  CHECK(book.Remaining(3) == 50);
  // A market buy of 400: the 50 left of order 3 at 80.50, 300 of order 1 at 81.00; the last 50 lapse.
  REQUIRE(*book.Submit({6, Side::kBuy, cmrv::OrderType::kMarket, 0, 400, 6}) == 2);
  CHECK((t[2].sell_order == 3 && t[2].quantity == 50 && t[2].price == 80.50));
  CHECK((t[3].sell_order == 1 && t[3].quantity == 300 && t[3].price == 81.00 && t[3].aggressor == Side::kBuy));
  CHECK(book.Remaining(6) == 0);
  CHECK_FALSE(book.BestAsk().has_value());
  // Cancel the resting bid; a sell at 79 then finds nobody and rests.
  REQUIRE(book.Cancel(4));
  CHECK_FALSE(book.Cancel(4));  // no longer resting
  REQUIRE(*book.Submit(Limit(8, Side::kSell, 79.00, 100, 8)) == 0);
  CHECK_FALSE(book.BestBid().has_value());
  CHECK(*book.BestAsk() == 79.00);
  // Outside the band, off the tick, a used id: refused, naming the order; nothing changes.
  CHECK(book.Submit(Limit(9, Side::kBuy, 90.00, 100, 9)).status().message() ==
        "order 9: price 90 is outside the daily band 72 – 88 (± 10 % of the previous close 80)");
  CHECK(book.Submit(Limit(10, Side::kSell, 80.555, 100, 10)).status().message() ==
        "order 10: price 80.555 is not a positive multiple of the tick 0.01");
  CHECK(book.Submit(Limit(8, Side::kSell, 80.00, 100, 11)).status().message() ==
        "order 8: the id is not above the previous order's 8");
  CHECK(book.Submit(Limit(12, Side::kSell, 80.00, 0, 12)).status().message() ==
        "order 12: quantity 0 is not a positive whole number of lots of 1");
  // Session: open 80.50, high 81.00, low 80.50, close 81.00; 600 traded; turnover 80.5 × 300 + 81 × 300
  // = 48 450; VWAP 80.75.
  const auto s = book.Summary();
  CHECK(*s.open == 80.50);
  CHECK(*s.high == 81.00);
  CHECK(*s.low == 80.50);
  CHECK(*s.close == 81.00);
  CHECK(s.volume == 600);
  CHECK(s.turnover == 48450.0);
  CHECK(*s.vwap == 80.75);
  CHECK(s.trades == 4);
}

TEST_CASE("Order book: the same stream gives the same trades", "[order_book]") {
  auto run = [] {
    auto book = cmrv::OrderBook::Create({});
    uint64_t x = 42;
    for (int64_t id = 0; id < 5000; ++id) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      const auto side = (x & 1) != 0 ? cmrv::Side::kBuy : cmrv::Side::kSell;
      const double price = static_cast<double>(7900 + (x >> 8) % 200) / 100.0;
      REQUIRE(
          book->Submit({id, side, cmrv::OrderType::kLimit, price, static_cast<int64_t>(1 + (x >> 20) % 50), id}).ok());
    }
    return book->trades();
  };
  const auto a = run(), b = run();
  REQUIRE(a.size() == b.size());
  REQUIRE(!a.empty());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK((a[i].buy_order == b[i].buy_order && a[i].sell_order == b[i].sell_order && a[i].price == b[i].price &&
           a[i].quantity == b[i].quantity));
  }
}
