// `carbonmrv order-book EVENTS.csv|- [--market cn_national] [--previous-close P] [--tick 0.01] [--lot 1]
//  [--band-pct 10] [--block-band-pct 30] [--block-min N] [--max-order N] [--close-rule last_trade|vwap]
//  [--format table|json|csv]`: replays a session's events and prints its trades and summary.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "carbonmrv/market/order_book.hpp"
#include "carbonmrv/market/order_book_options.hpp"
#include "cli.hpp"

namespace cmrv::cli {
namespace {

struct Args {
  std::string file, market, previous_close, tick, lot, band_pct, block_band_pct, block_min, max_order, close_rule;
  Format format = Format::kText;
};

std::string Maybe(const std::optional<double>& v) { return v ? FormatNumber(*v) : std::string("-"); }

int Run(const Args& a) {
  auto text = ReadInput(a.file);
  if (!text.ok()) return Report(text.status(), std::cerr);
  auto events = ReadBookEventsCsv(*text, a.file == "-" ? "stdin" : a.file);
  if (!events.ok()) return Report(events.status(), std::cerr);
  BookSpec spec;
  // "market" first: it sets every other rule.
  for (auto [key, value] : {std::pair<const char*, const std::string*>{"market", &a.market},
                            {"previous_close", &a.previous_close},
                            {"tick", &a.tick},
                            {"lot", &a.lot},
                            {"band_pct", &a.band_pct},
                            {"block_band_pct", &a.block_band_pct},
                            {"block_min", &a.block_min},
                            {"max_order", &a.max_order},
                            {"close_rule", &a.close_rule}}) {
    if (value->empty()) continue;  // not given: the default
    if (auto st = SetBookOption(spec, key, *value); !st.ok()) return Report(st, std::cerr);
  }
  auto book = OrderBook::Create(spec);
  if (!book.ok()) return Report(book.status(), std::cerr);
  auto counts = book->Replay(*events);
  if (!counts.ok()) return Report(counts.status(), std::cerr);
  if (a.format == Format::kJson) {
    std::cout << book->ToJson() << "\n";
    return kExitOk;
  }
  if (a.format == Format::kCsv) {
    std::cout << book->ToCsv();
    return kExitOk;
  }
  const auto s = book->Summary();
  std::cout << "order book: " << counts->events << " events, " << counts->trades << " trades, " << counts->late_cancels
            << " cancels of orders no longer resting\n";
  std::cout << "listed: open " << Maybe(s.open) << ", high " << Maybe(s.high) << ", low " << Maybe(s.low) << ", close "
            << Maybe(s.close) << " (" << CloseRuleName(spec.close_rule) << "), vwap " << Maybe(s.vwap) << "; volume "
            << s.volume << ", turnover " << Fixed(s.turnover, 2) << "\n";
  std::cout << "block: " << s.block_trades << " trades, volume " << s.block_volume << ", turnover "
            << Fixed(s.block_turnover, 2) << "\n";
  std::cout << "best bid " << Maybe(book->BestBid()) << ", best ask " << Maybe(book->BestAsk()) << "\n";
  std::printf("  %5s %-6s %10s %10s %10s %12s %8s\n", "seq", "kind", "buy", "sell", "price", "quantity", "time");
  for (const auto& t : book->trades()) {
    std::printf("  %5lld %-6s %10lld %10lld %10s %12lld %8lld\n", static_cast<long long>(t.sequence),
                t.kind == TradeKind::kBlock ? "block" : "listed", static_cast<long long>(t.buy_order),
                static_cast<long long>(t.sell_order), FormatNumber(t.price).c_str(), static_cast<long long>(t.quantity),
                static_cast<long long>(t.time));
  }
  return kExitOk;
}

}  // namespace

void AddOrderBookCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("order-book", "Replay a trading session's orders, cancels and block trades");
  cmd->add_option("EVENTS", args->file, "CSV with id,event,side,price,quantity[,time], or - for standard input")
      ->required();
  cmd->add_option("--market", args->market,
                  "named rules: cn_national (tick 0.01, ±10 % listed, ±30 % block, VWAP close)");
  cmd->add_option("--previous-close", args->previous_close, "the bands' reference; none: no bands");
  cmd->add_option("--tick", args->tick, "price step (default 0.01)");
  cmd->add_option("--lot", args->lot, "quantities are whole lots (default 1)");
  cmd->add_option("--band-pct", args->band_pct, "listed orders: ± % of the previous close (default 10)");
  cmd->add_option("--block-band-pct", args->block_band_pct, "block trades: ± % of the previous close (default 30)");
  cmd->add_option("--block-min", args->block_min, "smallest block trade (default: one lot)");
  cmd->add_option("--max-order", args->max_order, "largest listed order (default: no limit)");
  cmd->add_option("--close-rule", args->close_rule, "last_trade|vwap (default last_trade; cn_national: vwap)");
  cmd->add_option("--format", args->format, "table|json|csv")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace cmrv::cli
