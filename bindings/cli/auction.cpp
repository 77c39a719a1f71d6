// `carbonmrv auction BIDS.csv|- --volume N [--rules eu|guangdong|discriminatory|fixed_price] [--lot 500]
//  [--tick 0.01] [--reserve P] [--min-bid N] [--max-share 0.5] [--fixed-price P] [--seed S]
//  [--format table|json|csv]`.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "carbonmrv/market/auction.hpp"
#include "carbonmrv/market/auction_options.hpp"
#include "carbonmrv/status.hpp"
#include "cli.hpp"

namespace cmrv::cli {
namespace {

struct Args {
  std::string file, rules = "eu", volume, lot = "1", tick = "0.01", reserve, min_bid = "0", max_share, fixed_price,
                    seed = "0", carry_over = "4", currency = "EUR";
  Format format = Format::kText;
};

int Run(const Args& a) {
  auto text = ReadInput(a.file);
  if (!text.ok()) return Report(text.status(), std::cerr);
  auto bids = ReadBidsCsv(*text, a.file == "-" ? "stdin" : a.file);
  if (!bids.ok()) return Report(bids.status(), std::cerr);
  AuctionSpec spec;
  for (auto [key, value] : {std::pair<const char*, const std::string*>{"rules", &a.rules},
                            {"volume", &a.volume},
                            {"lot", &a.lot},
                            {"tick", &a.tick},
                            {"reserve_price", &a.reserve},
                            {"min_bid_volume", &a.min_bid},
                            {"max_bidder_share", &a.max_share},
                            {"fixed_price", &a.fixed_price},
                            {"seed", &a.seed},
                            {"carry_over_auctions", &a.carry_over},
                            {"currency", &a.currency}}) {
    if (value->empty()) continue;  // not given: the default
    if (auto st = SetAuctionOption(spec, key, *value); !st.ok()) return Report(st, std::cerr);
  }
  auto r = ClearAuction(spec, *bids);
  if (!r.ok()) return Report(r.status(), std::cerr);
  if (a.format == Format::kJson) {
    std::cout << r->ToJson() << "\n";
    return kExitOk;
  }
  if (a.format == Format::kCsv) {
    std::cout << r->ToCsv();
    return kExitOk;
  }
  std::cout << "auction (" << AuctionRulesName(r->rules) << "): " << r->volume << " offered, " << r->demand
            << " bid (valid), seed " << r->seed << "\n";
  if (r->cancelled) {
    std::cout << "cancelled: " << r->cancel_reason << "\ncarry-over:";
    for (auto v : r->carry_over) std::cout << " " << v;
    std::cout << "\n";
    return kExitOk;
  }
  std::cout << "sold " << r->sold << ", unsold " << r->unsold << ", "
            << (r->clearing_price ? "clearing price " + FormatNumber(*r->clearing_price) + " " + spec.currency
                                  : std::string("pay-as-bid"))
            << ", revenue " << Fixed(r->revenue, 2) << " " << spec.currency << "\n";
  std::printf("  %5s %-16s %12s %12s %12s %10s %-9s %s\n", "bid", "bidder", "price", "volume", "filled", "pays",
              "status", "reason");
  for (const auto& b : r->bids) {
    std::printf("  %5zu %-16s %12s %12lld %12lld %10s %-9s %s\n", b.index, b.bidder.c_str(),
                FormatNumber(b.price).c_str(), static_cast<long long>(b.volume), static_cast<long long>(b.filled),
                FormatNumber(b.pays).c_str(), std::string(BidStatusName(b.status)).c_str(), b.reason.c_str());
  }
  return kExitOk;
}

}  // namespace

void AddAuctionCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("auction", "Clear a sealed-bid allowance auction or fixed-price sale from a bids CSV");
  cmd->add_option("BIDS", args->file, "CSV with bidder,price,volume[,time], or - for standard input")->required();
  cmd->add_option("--volume", args->volume, "allowances offered")->required();
  cmd->add_option("--rules", args->rules, "eu|guangdong|discriminatory|fixed_price")->capture_default_str();
  cmd->add_option("--lot", args->lot, "bid volumes are whole lots (EU: 500)")->capture_default_str();
  cmd->add_option("--tick", args->tick, "price step")->capture_default_str();
  cmd->add_option("--reserve", args->reserve, "reserve price (EU cancellation threshold; Guangdong policy reserve)");
  cmd->add_option("--min-bid", args->min_bid, "minimum bid volume (Guangdong: 1000)")->capture_default_str();
  cmd->add_option("--max-share", args->max_share, "a bidder's maximum share of the volume (Guangdong: 0.5)");
  cmd->add_option("--fixed-price", args->fixed_price, "price of a fixed-price sale");
  cmd->add_option("--seed", args->seed, "tie-break draw (EU, pay-as-bid); recorded in the result")
      ->capture_default_str();
  cmd->add_option("--carry-over", args->carry_over, "auctions a cancelled EU volume is spread over")
      ->capture_default_str();
  cmd->add_option("--currency", args->currency, "currency of prices")->capture_default_str();
  cmd->add_option("--format", args->format, "table|json|csv")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace cmrv::cli
