// libFuzzer target: an order-book event CSV (what `carbonmrv order-book` reads) replayed under the
// national market's rules. Findings: any crash or sanitizer report, an internal error, a listed trade
// outside the daily band or a block outside its band, a crossed book, or a summary whose volume is not
// the listed trades' sum.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "carbonmrv/market/order_book.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto events = cmrv::ReadBookEventsCsv(text, "fuzz.csv");
  if (!events.ok()) return 0;
  auto spec = cmrv::BookMarket("cn_national");
  if (!spec.ok()) std::abort();
  spec->previous_close = 50.0;  // listed 45.00–55.00, block 35.00–65.00
  auto book = cmrv::OrderBook::Create(*spec);
  if (!book.ok()) std::abort();
  auto r = book->Replay(*events);
  if (!r.ok() && r.status().code() == absl::StatusCode::kInternal) std::abort();
  int64_t volume = 0;
  for (const auto& t : book->trades()) {
    const bool block = t.kind == cmrv::TradeKind::kBlock;
    if (t.quantity <= 0) std::abort();
    if (block ? (t.price < 35.0 - 1e-9 || t.price > 65.0 + 1e-9) : (t.price < 45.0 - 1e-9 || t.price > 55.0 + 1e-9)) {
      std::abort();
    }
    if (!block) volume += t.quantity;
  }
  const auto s = book->Summary();
  if (s.volume != volume) std::abort();
  const auto bid = book->BestBid(), ask = book->BestAsk();
  if (bid && ask && *bid >= *ask) std::abort();  // a crossed book: matching missed a trade
  (void)book->ToJson();
  return 0;
}
