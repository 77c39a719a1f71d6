// Order book: events per second (new limit orders around a mid price, one in ten a market order, one in
// ten a cancel) through OrderBook, against a plain sorted-container book written the usual way
// (std::multimap per side, match from begin(), no ids, bands, cancels or trade records), same run.
// Target (issue 16): at least 10^6 order events per second on one core.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "carbonmrv/market/order_book.hpp"

namespace {

struct Event {
  int kind;  // 0 limit, 1 market, 2 cancel
  bool buy;
  int64_t ticks, qty, target;
};

std::vector<Event> MakeEvents(std::size_t n) {
  std::vector<Event> ev(n);
  uint64_t x = 88172645463325252ULL;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const uint64_t r = x % 10;
    ev[i] = {r == 0   ? 1
             : r == 1 ? 2
                      : 0,
             (x >> 8 & 1) != 0, static_cast<int64_t>(7950 + (x >> 10) % 100), static_cast<int64_t>(1 + (x >> 20) % 100),
             static_cast<int64_t>(i > 0 ? (x >> 30) % i : 0)};
  }
  return ev;
}

void BM_OrderBook(benchmark::State& state) {
  const auto ev = MakeEvents(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto book = cmrv::OrderBook::Create({});
    for (std::size_t i = 0; i < ev.size(); ++i) {
      const auto& e = ev[i];
      if (e.kind == 2) {
        (void)book->Cancel(e.target);
        continue;
      }
      auto n = book->Submit({static_cast<int64_t>(i), e.buy ? cmrv::Side::kBuy : cmrv::Side::kSell,
                             e.kind == 1 ? cmrv::OrderType::kMarket : cmrv::OrderType::kLimit,
                             static_cast<double>(e.ticks) / 100.0, e.qty, static_cast<int64_t>(i)});
      benchmark::DoNotOptimize(n);
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_OrderBook)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_PlainMultimapBook(benchmark::State& state) {
  const auto ev = MakeEvents(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    std::multimap<int64_t, int64_t, std::greater<>> bids;
    std::multimap<int64_t, int64_t> asks;
    int64_t traded = 0;
    for (const auto& e : ev) {
      if (e.kind == 2) continue;
      int64_t left = e.qty;
      auto take = [&](auto& book, auto crosses) {
        while (left > 0 && !book.empty() && (e.kind == 1 || crosses(book.begin()->first))) {
          auto it = book.begin();
          const int64_t q = std::min(left, it->second);
          it->second -= q;
          left -= q;
          traded += q;
          if (it->second == 0) book.erase(it);
        }
      };
      if (e.buy) {
        take(asks, [&](int64_t p) { return p <= e.ticks; });
        if (left > 0 && e.kind == 0) bids.emplace(e.ticks, left);
      } else {
        take(bids, [&](int64_t p) { return p >= e.ticks; });
        if (left > 0 && e.kind == 0) asks.emplace(e.ticks, left);
      }
    }
    benchmark::DoNotOptimize(traded);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PlainMultimapBook)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace
