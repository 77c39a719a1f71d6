// C++ core: the auction clearing engine on the shared fixtures (tests/data/auction_cases.json): EU
// uniform price with a seeded tie and a partial fill, pay-as-bid, cancellation and carry-over,
// Guangdong admission and priority, fixed-price rationing; bad input naming the bid.
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv/market/auction.hpp"
#include "carbonmrv/market/auction_options.hpp"
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

// The spec through the options layer, as the C API, Python and the CLI set it.
cmrv::AuctionSpec Spec(const json& j) {
  cmrv::AuctionSpec s;
  for (const auto& [key, value] : j.items()) {
    const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    INFO(key << "=" << text);
    REQUIRE(cmrv::SetAuctionOption(s, key, text).ok());
  }
  return s;
}

std::vector<cmrv::AuctionBid> Bids(const json& j) {
  std::vector<cmrv::AuctionBid> out;
  for (const auto& b : j) {
    out.push_back({b["bidder"].get<std::string>(), b["price"].get<double>(), b["volume"].get<int64_t>(),
                   b.value("time", int64_t{0})});
  }
  return out;
}

}  // namespace

TEST_CASE("Auction: the shared cases clear as worked by hand", "[auction]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "auction_cases.json", "cases")) {
    INFO(c["name"].get<std::string>() << ": " << c["worked"].get<std::string>());
    const auto bids = Bids(c["bids"]);
    auto r = cmrv::ClearAuction(Spec(c["spec"]), bids);
    REQUIRE(r.ok());
    CHECK(r->cancelled == c["cancelled"].get<bool>());
    CHECK(r->sold == c["sold"].get<int64_t>());
    CHECK(Close(r->revenue, c["revenue"].get<double>(), 1e-12));
    if (c["clearing_price"].is_null()) {
      CHECK_FALSE(r->clearing_price.has_value());
    } else {
      REQUIRE(r->clearing_price.has_value());
      CHECK(*r->clearing_price == c["clearing_price"].get<double>());
    }
    if (c.contains("carry_over")) CHECK(r->carry_over == c["carry_over"].get<std::vector<int64_t>>());
    if (c.contains("fills")) {
      for (const auto& f : r->bids) {
        if (c["fills"].contains(f.bidder)) CHECK(f.filled == c["fills"][f.bidder].get<int64_t>());
      }
    }
    if (c.contains("tied")) {
      // The tied bids get the tie's fills in the seeded order: one full, one the remainder.
      std::multiset<int64_t> got, want;
      for (const auto& f : r->bids) {
        for (const auto& t : c["tied"]["bidders"]) {
          if (f.bidder == t) got.insert(f.filled);
        }
      }
      for (const auto& v : c["tied"]["fills"]) want.insert(v.get<int64_t>());
      CHECK(got == want);
    }
    if (c.contains("by_index")) {
      for (std::size_t i = 0; i < r->bids.size(); ++i) CHECK(r->bids[i].filled == c["by_index"][i].get<int64_t>());
      for (const auto& i : c["invalid"]) CHECK(r->bids[i.get<std::size_t>()].status == cmrv::BidStatus::kInvalid);
    }
    CHECK(r->sold + r->unsold == r->volume);
  }
}

TEST_CASE("Auction: ties are drawn from the seed, recorded, and the same seed gives the same order", "[auction]") {
  const auto& c = Cases()["cases"][0];
  const auto bids = Bids(c["bids"]);
  std::set<std::string> first_served;  // which tied bidder got the full 2500, over many seeds
  for (uint64_t seed = 0; seed < 32; ++seed) {
    auto spec = Spec(c["spec"]);
    spec.seed = seed;
    auto a = cmrv::ClearAuction(spec, bids);
    auto b = cmrv::ClearAuction(spec, bids);
    REQUIRE(a.ok());
    CHECK(a->ToJson() == b->ToJson());
    CHECK(a->seed == seed);
    for (const auto& f : a->bids) {
      if (f.filled == 2500) first_served.insert(f.bidder);
    }
  }
  CHECK(first_served == std::set<std::string>{"C", "D"});  // both orders occur
}

TEST_CASE("Auction: bad input names the field or the bid", "[auction]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "auction_cases.json", "errors")) {
    INFO(c["name"].get<std::string>());
    auto r = cmrv::ClearAuction(Spec(c["spec"]), Bids(c["bids"]));
    REQUIRE_FALSE(r.ok());
    CHECK(std::string(r.status().message()) == c["message"].get<std::string>());
  }
  cmrv::AuctionSpec s;
  CHECK(cmrv::SetAuctionOption(s, "rules", "dutch").message() ==
        "auction rules \"dutch\" is not one of eu, guangdong, discriminatory, fixed_price");
  CHECK(cmrv::SetAuctionOption(s, "volume", "-5").message() ==
        "volume \"-5\" is not a whole number from 1 to 1000000000000000");
  CHECK(cmrv::SetAuctionOption(s, "tick", "nan").message() == "tick \"nan\" is not a finite number");
}
