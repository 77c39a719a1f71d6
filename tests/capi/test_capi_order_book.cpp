// C API: the order book on the sequence worked by hand in tests/cpp/test_order_book.cpp, and misuse.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"

TEST_CASE("C API order book: the worked sequence", "[order_book]") {
  cmrv_context* ctx = cmrv_context_create();
  cmrv_order_book* book = nullptr;
  REQUIRE(cmrv_order_book_create(ctx, 0.01, 1, 80.0, 10, &book) == CMRV_OK);
  size_t n = 9;
  REQUIRE(cmrv_order_book_submit(ctx, book, 1, CMRV_SIDE_SELL, CMRV_ORDER_LIMIT, 81.00, 300, 1, &n) == CMRV_OK);
  CHECK(n == 0);
  REQUIRE(cmrv_order_book_submit(ctx, book, 2, CMRV_SIDE_SELL, CMRV_ORDER_LIMIT, 80.50, 200, 2, nullptr) == CMRV_OK);
  REQUIRE(cmrv_order_book_submit(ctx, book, 3, CMRV_SIDE_SELL, CMRV_ORDER_LIMIT, 80.50, 100, 3, nullptr) == CMRV_OK);
  REQUIRE(cmrv_order_book_submit(ctx, book, 4, CMRV_SIDE_BUY, CMRV_ORDER_LIMIT, 80.00, 500, 4, nullptr) == CMRV_OK);
  REQUIRE(cmrv_order_book_submit(ctx, book, 5, CMRV_SIDE_BUY, CMRV_ORDER_LIMIT, 80.60, 250, 5, &n) == CMRV_OK);
  CHECK(n == 2);
  REQUIRE(cmrv_order_book_submit(ctx, book, 6, CMRV_SIDE_BUY, CMRV_ORDER_MARKET, 0, 400, 6, &n) == CMRV_OK);
  CHECK(n == 2);
  REQUIRE(cmrv_order_book_cancel(ctx, book, 4) == CMRV_OK);
  CHECK(cmrv_order_book_cancel(ctx, book, 4) == CMRV_ERR_NOT_FOUND);
  // Trades: 200 @ 80.50 (2), 50 @ 80.50 (3), 50 @ 80.50 (3), 300 @ 81.00 (1).
  const int64_t sells[] = {2, 3, 3, 1}, qty[] = {200, 50, 50, 300};
  const double prices[] = {80.50, 80.50, 80.50, 81.00};
  size_t count = 0;
  REQUIRE(cmrv_order_book_trade_count(ctx, book, &count) == CMRV_OK);
  REQUIRE(count == 4);
  for (size_t i = 0; i < count; ++i) {
    int64_t buy = 0, sell = 0, q = 0;
    double p = 0;
    REQUIRE(cmrv_order_book_trade(ctx, book, i, &buy, &sell, &p, &q) == CMRV_OK);
    CHECK(sell == sells[i]);
    CHECK(q == qty[i]);
    CHECK(p == prices[i]);
  }
  CHECK(cmrv_order_book_trade(ctx, book, 4, nullptr, nullptr, nullptr, nullptr) == CMRV_ERR_OUT_OF_RANGE);
  double bid = 0, ask = 0;
  REQUIRE(cmrv_order_book_best(ctx, book, &bid, &ask) == CMRV_OK);
  CHECK(std::isnan(bid));
  CHECK(std::isnan(ask));
  char* json = nullptr;
  REQUIRE(cmrv_order_book_to_json(ctx, book, &json) == CMRV_OK);
  const auto j = nlohmann::json::parse(json);
  cmrv_free(json);
  CHECK(j["vwap"] == 80.75);  // 48 450 / 600
  CHECK(j["volume"] == 600);
  // Refused orders name themselves and change nothing.
  CHECK(cmrv_order_book_submit(ctx, book, 9, CMRV_SIDE_BUY, CMRV_ORDER_LIMIT, 90.00, 100, 9, nullptr) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(ctx)) ==
        "order 9: price 90 is outside the daily band 72 – 88 (± 10 % of the previous close 80)");
  CHECK(cmrv_order_book_submit(ctx, book, 10, 7, CMRV_ORDER_LIMIT, 80.00, 100, 10, nullptr) ==
        CMRV_ERR_INVALID_ARGUMENT);
  cmrv_order_book* bad = nullptr;
  CHECK(cmrv_order_book_create(ctx, 0, 1, NAN, 10, &bad) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(bad == nullptr);
  cmrv_order_book_destroy(book);
  cmrv_context_destroy(ctx);
}
