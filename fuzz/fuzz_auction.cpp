// libFuzzer target: a bids CSV (what `carbonmrv auction` reads) cleared under each platform's rules.
// Any crash, sanitizer report or internal error is a finding.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "carbonmrv/market/auction.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto bids = cmrv::ReadBidsCsv(text, "fuzz.csv");
  if (!bids.ok()) return 0;
  for (auto rules : {cmrv::AuctionRules::kEuUniform, cmrv::AuctionRules::kGuangdong,
                     cmrv::AuctionRules::kDiscriminatory, cmrv::AuctionRules::kFixedPrice}) {
    cmrv::AuctionSpec spec;
    spec.rules = rules;
    spec.volume = 10000;
    spec.reserve_price = 10;
    spec.min_bid_volume = 100;
    spec.max_bidder_share = 0.5;
    spec.fixed_price = 50;
    auto r = cmrv::ClearAuction(spec, *bids);
    if (r.ok()) {
      if (r->sold + r->unsold != r->volume || r->sold > r->volume) std::abort();  // conservation
      (void)r->ToJson();
    } else if (r.status().code() == absl::StatusCode::kInternal) {
      std::abort();
    }
  }
  return 0;
}
