// C API: auctions on the shared fixtures (parity with the C++ and Python suites), strided bid structs,
// and misuse.
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"
#include "support/capi_fixture.hpp"
#include "support/cases.hpp"
#include "support/fixtures.hpp"

namespace {

using cmrv_test::Close;
using cmrv_test::Read;
using nlohmann::json;

const json& Cases() {
  static const json cases = json::parse(Read("auction_cases.json"));
  return cases;
}

// An ERP's own bid record: the engine reads its fields in place through strides.
struct BidRecord {
  int32_t desk;
  double price;
  int64_t volume;
  int64_t bidder;
  int64_t time;
};

struct Fixture {
  cmrv_context* ctx = cmrv_context_create();
  cmrv_auction_options* opt = nullptr;
  cmrv_auction* res = nullptr;
  Fixture() { REQUIRE(cmrv_auction_options_create(ctx, &opt) == CMRV_OK); }
  ~Fixture() {
    cmrv_auction_destroy(res);
    cmrv_auction_options_destroy(opt);
    cmrv_context_destroy(ctx);
  }
  std::string msg() const { return cmrv_context_last_error_message(ctx); }
  void Spec(const json& spec) {
    for (const auto& [key, value] : spec.items()) {
      const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
      REQUIRE(cmrv_auction_options_set(ctx, opt, key.c_str(), text.c_str()) == CMRV_OK);
    }
  }
  cmrv_status Clear(const std::vector<BidRecord>& r) {
    const BidRecord* b = r.data();
    return cmrv_auction_clear(ctx, opt, r.size(), r.empty() ? nullptr : &b->price, sizeof(BidRecord),
                              r.empty() ? nullptr : &b->volume, sizeof(BidRecord), r.empty() ? nullptr : &b->time,
                              sizeof(BidRecord), r.empty() ? nullptr : &b->bidder, sizeof(BidRecord), &res);
  }
};

// Bidder names become numeric ids (the C API takes int64 ids); the map turns them back.
std::vector<BidRecord> Records(const json& bids, std::map<std::string, int64_t>& ids) {
  std::vector<BidRecord> out;
  for (const auto& b : bids) {
    const std::string name = b["bidder"];
    const auto id = ids.emplace(name, static_cast<int64_t>(ids.size())).first->second;
    out.push_back({7, b["price"].get<double>(), b["volume"].get<int64_t>(), id, b.value("time", int64_t{0})});
  }
  return out;
}

}  // namespace

TEST_CASE("C API auction: the shared cases, bids read in place from record structs", "[auction]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "auction_cases.json", "cases")) {
    INFO(c["name"].get<std::string>());
    Fixture f;
    f.Spec(c["spec"]);
    std::map<std::string, int64_t> ids;
    const auto recs = Records(c["bids"], ids);
    REQUIRE(f.Clear(recs) == CMRV_OK);
    double price = 0;
    int64_t sold = 0, unsold = 0;
    int32_t cancelled = 0;
    REQUIRE(cmrv_auction_summary(f.ctx, f.res, &price, &sold, &unsold, &cancelled) == CMRV_OK);
    CHECK(sold == c["sold"].get<int64_t>());
    CHECK(cancelled == (c["cancelled"].get<bool>() ? 1 : 0));
    if (c["clearing_price"].is_null()) {
      CHECK(std::isnan(price));
    } else {
      CHECK(price == c["clearing_price"].get<double>());
    }
    std::vector<int64_t> fills(recs.size() + 1, -1);
    if (!recs.empty())
      REQUIRE(cmrv_auction_fills(f.ctx, f.res, fills.data(), fills.size(), sizeof(int64_t)) == CMRV_OK);
    if (c.contains("by_index")) {
      for (std::size_t i = 0; i < recs.size(); ++i) CHECK(fills[i] == c["by_index"][i].get<int64_t>());
    }
    char* out = nullptr;
    REQUIRE(cmrv_auction_to_json(f.ctx, f.res, &out) == CMRV_OK);
    const json j = json::parse(out);
    cmrv_free(out);
    CHECK(Close(j["revenue"].get<double>(), c["revenue"].get<double>(), 1e-12));
    if (c.contains("carry_over")) CHECK(j["carry_over"] == c["carry_over"]);
  }
}

TEST_CASE("C API auction: bad input names the bid, strides and capacity are checked", "[auction]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "auction_cases.json", "errors")) {
    INFO(c["name"].get<std::string>());
    Fixture f;
    f.Spec(c["spec"]);
    std::map<std::string, int64_t> ids;
    CHECK(f.Clear(Records(c["bids"], ids)) == CMRV_ERR_INVALID_ARGUMENT);
    CHECK(f.msg() == c["message"].get<std::string>());
  }
  Fixture f;
  CHECK(cmrv_auction_options_set(f.ctx, f.opt, "rules", "dutch") == CMRV_ERR_INVALID_ARGUMENT);
  REQUIRE(cmrv_auction_options_set(f.ctx, f.opt, "volume", "1000") == CMRV_OK);
  const double price = 80;
  const int64_t vol = 500;
  // Stride 0 repeats one bid: three bids of 500 at 80 for 1000 offered.
  REQUIRE(cmrv_auction_clear(f.ctx, f.opt, 3, &price, 0, &vol, 0, nullptr, 0, nullptr, 0, &f.res) == CMRV_OK);
  int64_t fills[3] = {0, 0, 0};
  CHECK(cmrv_auction_fills(f.ctx, f.res, fills, 2, sizeof(int64_t)) == CMRV_ERR_OUT_OF_RANGE);
  CHECK(fills[0] == 0);  // nothing written
  REQUIRE(cmrv_auction_fills(f.ctx, f.res, fills, 3, sizeof(int64_t)) == CMRV_OK);
  CHECK(fills[0] + fills[1] + fills[2] == 1000);
  cmrv_auction* other = nullptr;
  CHECK(cmrv_auction_clear(f.ctx, f.opt, 1, &price, 4, &vol, 8, nullptr, 0, nullptr, 0, &other) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().find("price_stride: stride 4 is below the element size 8") != std::string::npos);
  CHECK(cmrv_auction_clear(f.ctx, f.opt, 1, nullptr, 8, &vol, 8, nullptr, 0, nullptr, 0, &other) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().find("prices") != std::string::npos);
}
