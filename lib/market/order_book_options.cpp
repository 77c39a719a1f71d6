#include "carbonmrv/market/order_book_options.hpp"

#include "internal/option_text.hpp"

namespace cmrv {

using internal::DecimalOption;
using internal::UnknownOptionKey;
using internal::WholeOption;

absl::Status SetBookOption(BookSpec& s, std::string_view key, std::string_view v) {
  // Ranges are checked by OrderBook::Create; here only the text's form.
  constexpr long long kMax = 1'000'000'000'000'000;
  if (key == "market") {
    auto m = BookMarket(v);
    if (!m.ok()) return m.status();
    const auto previous_close = s.previous_close;
    s = *m;
    s.previous_close = previous_close;
  } else if (key == "close_rule") {
    auto r = ParseCloseRule(v);
    if (!r.ok()) return r.status();
    s.close_rule = *r;
  } else if (key == "lot" || key == "block_min" || key == "max_order") {
    auto n = WholeOption(key, v, key == "lot" ? 1 : 0, kMax);
    if (!n.ok()) return n.status();
    (key == "lot" ? s.lot : key == "block_min" ? s.block_min : s.max_order) = *n;
  } else if (key == "tick" || key == "previous_close" || key == "band_pct" || key == "block_band_pct") {
    auto d = DecimalOption(key, v);
    if (!d.ok()) return d.status();
    if (key == "tick") {
      s.tick = *d;
    } else if (key == "previous_close") {
      s.previous_close = *d;
    } else {
      (key == "band_pct" ? s.band_pct : s.block_band_pct) = *d;
    }
  } else {
    return UnknownOptionKey(key,
                            "market, tick, lot, previous_close, band_pct, block_band_pct, block_min, max_order, "
                            "close_rule");
  }
  return absl::OkStatus();
}

}  // namespace cmrv
