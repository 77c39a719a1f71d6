// carbonmrv — primary market: one sealed-bid clearing engine for allowance auctions and fixed-price
// sales, with the rules of a platform as a policy (EU uniform price, Guangdong, pay-as-bid, fixed price).
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// Rules and their sources: docs/market.md. EU: Commission Regulation (EU) No 1031/2010 Art. 7 (kept by
// Delegated Regulation (EU) 2023/2830). Guangdong: the 广州碳排放权交易所 allowance-auction
// announcements (2014–2017). ClearAuction is a pure function: thread-safe, deterministic for a given
// seed, which the result records.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace cmrv {

/// How bids are ranked, filled and priced.
enum class AuctionRules : int32_t {
  /// EU (Reg. 1031/2010 Art. 7): price descending, equal prices in a seeded random order, uniform price
  /// = the bid at which cumulative volume first reaches the volume offered; the marginal bid is filled
  /// with what remains; cancelled below the volume offered or the reserve price, and the cancelled volume
  /// spread over the next four auctions.
  kEuUniform = 0,
  /// Guangdong: bids below the policy reserve price or the minimum size are invalid, a bidder's bids
  /// may not exceed a share of the volume; price then time priority; uniform price = the lowest winning
  /// bid; unsold volume stays unsold.
  kGuangdong = 1,
  /// Pay-as-bid: ranked as kEuUniform, each winning bid pays its own price.
  kDiscriminatory = 2,
  /// Fixed-price sale: every bid at the stated price; pro-rata rationing in lots when oversubscribed.
  kFixedPrice = 3,
};
std::string_view AuctionRulesName(AuctionRules r);  ///< "eu", "guangdong", "discriminatory", "fixed_price"
absl::StatusOr<AuctionRules> ParseAuctionRules(std::string_view name);

struct AuctionBid {
  std::string bidder;
  double price = 0;    ///< per allowance, in the auction's currency; ignored by kFixedPrice
  int64_t volume = 0;  ///< allowances (tCO2e)
  int64_t time = 0;    ///< submission order or timestamp (time priority; ties by input order)
};

struct AuctionSpec {
  AuctionRules rules = AuctionRules::kEuUniform;
  int64_t volume = 0;  ///< allowances offered
  int64_t lot = 1;     ///< bid volumes are whole lots (EU: 500)
  double tick = 0.01;  ///< bid prices are whole ticks (EU: EUR 0.01)
  /// Minimum clearing price: the EU platform's cancellation threshold (Art. 7(6)); the Guangdong
  /// policy reserve price (bids below it are invalid). Unset: none.
  std::optional<double> reserve_price;
  int64_t min_bid_volume = 0;              ///< Guangdong: 1 000 t
  std::optional<double> max_bidder_share;  ///< Guangdong: 0.5 of the volume
  std::optional<double> fixed_price;       ///< kFixedPrice: the price
  uint64_t seed = 0;                       ///< kEuUniform, kDiscriminatory: the tie-break draw
  int carry_over_auctions = 4;             ///< EU: auctions a cancelled volume is spread over
  std::string currency = "EUR";
};

enum class BidStatus : int32_t { kFilled = 0, kPartial, kUnfilled, kInvalid };
std::string_view BidStatusName(BidStatus s);

struct BidFill {
  std::size_t index = 0;  ///< the bid's position in the input
  std::string bidder;
  double price = 0;
  int64_t volume = 0;
  int64_t filled = 0;
  double pays = 0;  ///< per allowance (0 when unfilled)
  BidStatus status = BidStatus::kUnfilled;
  std::string reason;  ///< why invalid, or ""
  int64_t rank = -1;   ///< position in the clearing order (−1: invalid)
};

struct AuctionResult {
  AuctionRules rules = AuctionRules::kEuUniform;
  int64_t volume = 0;
  bool cancelled = false;
  std::string cancel_reason;
  std::optional<double> clearing_price;  ///< uniform rules; unset when cancelled or pay-as-bid
  int64_t sold = 0, unsold = 0;
  int64_t demand = 0;  ///< valid bid volume
  double revenue = 0;
  /// A cancelled EU volume, one entry per following auction (equal parts; the remainder goes to the
  /// earliest, one allowance each).
  std::vector<int64_t> carry_over;
  uint64_t seed = 0;
  std::vector<BidFill> bids;  ///< in input order

  std::string ToJson() const;  ///< "carbonmrv.auction/1"
  std::string ToCsv() const;   ///< one row per bid
};

/// Clears one auction. Errors (kInvalidArgument) name the field or the bid ("bids[3].price: 71.234 is
/// not a multiple of the tick 0.01"): a negative or non-lot volume, a price off the tick or not finite,
/// a spec value out of range. Bids that break a platform's admission rule (Guangdong reserve, minimum
/// size, bidder cap) are not errors: they are listed as invalid with the reason.
absl::StatusOr<AuctionResult> ClearAuction(const AuctionSpec& spec, std::span<const AuctionBid> bids);

/// Bids from CSV text with a header naming `bidder`, `price` and `volume` (and optionally `time`; any
/// other column is ignored). Errors name the line and the column ("bids.csv:4: volume: \"12x\" is not a
/// whole number").
absl::StatusOr<std::vector<AuctionBid>> ReadBidsCsv(std::string_view text, std::string_view source);

}  // namespace cmrv
