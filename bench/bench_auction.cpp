// Auction clearing: ClearAuction on 10^5 sealed bids (EU rules: validation, seeded tie shuffle, fills,
// result records) against the plain loop a user would otherwise write (sort by price, scan the
// cumulative volume), in the same run. Target (issue 16): well under 50 ms for 10^5 bids.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "carbonmrv/market/auction.hpp"

namespace {

// 10^5 bids: prices 60.00–89.99 in cents (many ties), volumes 1–200 lots of 500, bidder ids as text.
std::vector<cmrv::AuctionBid> MakeBids(std::size_t n) {
  std::vector<cmrv::AuctionBid> bids(n);
  uint64_t x = 88172645463325252ULL;  // xorshift64: fixed input for every contender
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    bids[i].bidder = "B" + std::to_string(x % 5000);
    bids[i].price = static_cast<double>(6000 + x % 3000) / 100.0;
    bids[i].volume = static_cast<int64_t>(1 + (x >> 20) % 200) * 500;
    bids[i].time = static_cast<int64_t>(i);
  }
  return bids;
}

void BM_ClearAuctionEu(benchmark::State& state) {
  const auto bids = MakeBids(static_cast<std::size_t>(state.range(0)));
  cmrv::AuctionSpec spec;
  spec.volume = 30'000'000;
  spec.lot = 500;
  spec.seed = 2024;
  for (auto _ : state) {
    auto r = cmrv::ClearAuction(spec, bids);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ClearAuctionEu)->Arg(100000)->Unit(benchmark::kMillisecond);

// The baseline: sort indices by price descending (std::sort, no tie rule), scan to the volume.
void BM_PlainSortScan(benchmark::State& state) {
  const auto bids = MakeBids(static_cast<std::size_t>(state.range(0)));
  const int64_t volume = 30'000'000;
  for (auto _ : state) {
    std::vector<std::size_t> order(bids.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return bids[a].price > bids[b].price; });
    std::vector<int64_t> fills(bids.size(), 0);
    int64_t cum = 0;
    double price = 0;
    for (std::size_t i : order) {
      if (cum >= volume) break;
      fills[i] = std::min(bids[i].volume, volume - cum);
      cum += fills[i];
      price = bids[i].price;
    }
    benchmark::DoNotOptimize(fills);
    benchmark::DoNotOptimize(price);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PlainSortScan)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
