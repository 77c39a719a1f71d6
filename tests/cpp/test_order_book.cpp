// C++ core: the order book on a sequence worked by hand — price-time priority, partial fills, a market
// order that never rests, cancellation, the daily band and the tick.
#include <string>

#include <catch2/catch.hpp>

#include "carbonmrv/market/order_book.hpp"

namespace {

cmrv::Order Limit(int64_t id, cmrv::Side side, double price, int64_t qty, int64_t time) {
  return {id, side, cmrv::OrderType::kLimit, price, qty, time};
}

}  // namespace

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
