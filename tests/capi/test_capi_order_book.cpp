// C API: the shared sessions of tests/data/order_book_cases.json driven event by event through
// cmrv_order_book_submit / _cancel / _block (the CSV-only error cases are the core reader's), and misuse.
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"
#include "support/cases.hpp"
#include "support/fixtures.hpp"

namespace {

const nlohmann::json& Cases() {
  static const nlohmann::json cases = nlohmann::json::parse(cmrv_test::Read("order_book_cases.json"));
  return cases;
}

std::vector<std::string> Fields(const std::string& row) {
  std::vector<std::string> out;
  std::stringstream ss(row);
  std::string f;
  while (std::getline(ss, f, ',')) out.push_back(f);
  while (out.size() < 6) out.emplace_back();
  return out;
}

// Options in order, then the book; CMRV_OK or the first refusal.
cmrv_status Create(cmrv_context* ctx, const nlohmann::json& options, cmrv_order_book** book) {
  cmrv_order_book_options* o = nullptr;
  REQUIRE(cmrv_order_book_options_create(ctx, &o) == CMRV_OK);
  cmrv_status st = CMRV_OK;
  for (const auto& kv : options) {
    st = cmrv_order_book_options_set(ctx, o, kv[0].get<std::string>().c_str(), kv[1].get<std::string>().c_str());
    if (st != CMRV_OK) break;
  }
  if (st == CMRV_OK) st = cmrv_order_book_create(ctx, o, book);
  cmrv_order_book_options_destroy(o);
  return st;
}

// Applies the CSV rows after the header; returns the first refusal with its line (2 = first event) and
// counts cancels of orders no longer resting.
cmrv_status Replay(cmrv_context* ctx, cmrv_order_book* book, const nlohmann::json& rows, int* line, int* late) {
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto f = Fields(rows[i].get<std::string>());
    const int64_t id = std::stoll(f[0]), time = std::stoll(f[5]);
    const int64_t qty = f[4].empty() ? 0 : std::stoll(f[4]);
    const double price = f[3].empty() ? 0 : std::stod(f[3]);
    const int32_t side = f[2] == "buy" ? CMRV_SIDE_BUY : CMRV_SIDE_SELL;
    cmrv_status st = CMRV_OK;
    if (f[1] == "cancel") {
      if (cmrv_order_book_cancel(ctx, book, id) == CMRV_ERR_NOT_FOUND) ++*late;
    } else if (f[1] == "block") {
      st = cmrv_order_book_block(ctx, book, id, price, qty, time);
    } else {
      st = cmrv_order_book_submit(ctx, book, id, side, f[1] == "market" ? CMRV_ORDER_MARKET : CMRV_ORDER_LIMIT, price,
                                  qty, time, nullptr);
    }
    if (st != CMRV_OK) {
      *line = static_cast<int>(i) + 1;
      return st;
    }
  }
  return CMRV_OK;
}

double Nan(const nlohmann::json& v) { return v.is_null() ? NAN : v.get<double>(); }

bool Same(double got, double want) { return std::isnan(want) ? std::isnan(got) : got == want; }

}  // namespace

TEST_CASE("C API order book: the shared sessions", "[order_book]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "order_book_cases.json", "cases")) {
    INFO(c["name"].get<std::string>());
    cmrv_context* ctx = cmrv_context_create();
    cmrv_order_book* book = nullptr;
    REQUIRE(Create(ctx, c["options"], &book) == CMRV_OK);
    int line = 0, late = 0;
    REQUIRE(Replay(ctx, book, c["events"], &line, &late) == CMRV_OK);
    CHECK(late == c["late_cancels"].get<int>());
    size_t count = 0;
    REQUIRE(cmrv_order_book_trade_count(ctx, book, &count) == CMRV_OK);
    REQUIRE(count == c["trades"].size());
    for (size_t i = 0; i < count; ++i) {
      const auto& want = c["trades"][i];
      int64_t buy = 0, sell = 0, q = 0, time = 0;
      int32_t kind = -1;
      double p = 0;
      REQUIRE(cmrv_order_book_trade(ctx, book, i, &buy, &sell, &p, &q, &time, &kind) == CMRV_OK);
      CHECK(buy == want[0].get<int64_t>());
      CHECK(sell == want[1].get<int64_t>());
      CHECK(p == want[2].get<double>());
      CHECK(q == want[3].get<int64_t>());
      CHECK(kind == (want[4] == "block" ? CMRV_TRADE_BLOCK : CMRV_TRADE_LISTED));
    }
    CHECK(cmrv_order_book_trade(ctx, book, count, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr) ==
          CMRV_ERR_OUT_OF_RANGE);
    double open = 0, high = 0, low = 0, close = 0, vwap = 0;
    int64_t volume = 0, block = 0;
    REQUIRE(cmrv_order_book_summary(ctx, book, &open, &high, &low, &close, &vwap, &volume, &block) == CMRV_OK);
    const auto& w = c["summary"];
    CHECK(Same(open, Nan(w["open"])));
    CHECK(Same(high, Nan(w["high"])));
    CHECK(Same(low, Nan(w["low"])));
    CHECK(Same(close, Nan(w["close"])));
    if (w.contains("vwap")) CHECK(Same(vwap, Nan(w["vwap"])));
    CHECK(volume == w["volume"].get<int64_t>());
    CHECK(block == w["block_volume"].get<int64_t>());
    double bid = 0, ask = 0;
    REQUIRE(cmrv_order_book_best(ctx, book, &bid, &ask) == CMRV_OK);
    CHECK(Same(bid, Nan(c["best_bid"])));
    CHECK(Same(ask, Nan(c["best_ask"])));
    char* json = nullptr;
    REQUIRE(cmrv_order_book_to_json(ctx, book, &json) == CMRV_OK);
    const auto doc = nlohmann::json::parse(json);
    cmrv_free(json);
    CHECK(doc["volume"] == w["volume"]);
    CHECK(doc["trades"].size() == count);
    cmrv_order_book_destroy(book);
    cmrv_context_destroy(ctx);
  }
}

TEST_CASE("C API order book: refusals name the event and change nothing", "[order_book]") {
  cmrv_context* ctx = cmrv_context_create();
  for (const auto& c : cmrv_test::Counted(Cases(), "order_book_cases.json", "errors")) {
    if (c.value("csv_only", false)) continue;  // the CSV reader's errors; C callers pass fields
    INFO(c["name"].get<std::string>());
    cmrv_order_book* book = nullptr;
    REQUIRE(Create(ctx, c["options"], &book) == CMRV_OK);
    int line = 0, late = 0;
    REQUIRE(Replay(ctx, book, c["events"], &line, &late) == CMRV_ERR_INVALID_ARGUMENT);
    // The fixture's message is the replay's: "events.csv:<line>: " then the book's own message.
    const std::string prefix = "events.csv:" + std::to_string(line) + ": ";
    const std::string want = c["message"];
    REQUIRE(want.starts_with(prefix));
    CHECK(std::string(cmrv_context_last_error_message(ctx)) == want.substr(prefix.size()));
    size_t before = 0;
    REQUIRE(cmrv_order_book_trade_count(ctx, book, &before) == CMRV_OK);
    CHECK(before == 0);
    cmrv_order_book_destroy(book);
  }
  for (const auto& c : cmrv_test::Counted(Cases(), "order_book_cases.json", "option_errors")) {
    cmrv_order_book* book = nullptr;
    CHECK(Create(ctx, c["options"], &book) == CMRV_ERR_INVALID_ARGUMENT);
    CHECK(book == nullptr);
    CHECK(std::string(cmrv_context_last_error_message(ctx)) == c["message"].get<std::string>());
  }
  cmrv_context_destroy(ctx);
}

TEST_CASE("C API order book: misuse", "[order_book]") {
  cmrv_context* ctx = cmrv_context_create();
  cmrv_order_book* book = nullptr;
  REQUIRE(cmrv_order_book_create(ctx, nullptr, &book) == CMRV_OK);  // NULL options: the defaults
  CHECK(cmrv_order_book_submit(ctx, book, 1, 7, CMRV_ORDER_LIMIT, 80.00, 100, 1, nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(ctx)) == "side 7 is not CMRV_SIDE_BUY (0) or CMRV_SIDE_SELL (1)");
  CHECK(cmrv_order_book_submit(ctx, book, 1, CMRV_SIDE_BUY, 5, 80.00, 100, 1, nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_order_book_block(ctx, nullptr, 1, 80.0, 100, 1) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_order_book_summary(ctx, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_order_book_options_set(ctx, nullptr, "tick", "0.01") == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_order_book_options* o = nullptr;
  REQUIRE(cmrv_order_book_options_create(ctx, &o) == CMRV_OK);
  CHECK(cmrv_order_book_options_set(ctx, o, nullptr, "0.01") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_order_book_options_set(ctx, o, "tick", "ten") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(ctx)) == "tick \"ten\" is not a finite number");
  cmrv_order_book_options_destroy(o);
  cmrv_order_book_options_destroy(nullptr);
  cmrv_order_book_destroy(book);
  cmrv_order_book_destroy(nullptr);
  cmrv_context_destroy(ctx);
}
