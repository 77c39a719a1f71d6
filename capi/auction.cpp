// C API: primary-market auctions (core: include/carbonmrv/market/auction.hpp).
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "carbonmrv/market/auction.hpp"
#include "carbonmrv/market/auction_options.hpp"
#include "guard.hpp"
#include "handles.hpp"
#include "strided.hpp"

struct cmrv_auction_options {
  cmrv::AuctionSpec spec;
};

struct cmrv_auction {
  cmrv::AuctionResult result;
};

namespace {

using cmrv::capi::At;
using cmrv::capi::BadArgument;
using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

absl::Status CheckStride(std::size_t stride, std::size_t size, const char* name) {
  if (stride != 0 && stride < size) {
    return BadArgument(std::string(name) + ": stride " + std::to_string(stride) + " is below the element size " +
                       std::to_string(size) + " (0 repeats the first element)");
  }
  return absl::OkStatus();
}

}  // namespace

extern "C" {

cmrv_status cmrv_auction_options_create(cmrv_context* ctx, cmrv_auction_options** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_auction_options{};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_auction_options_set(cmrv_context* ctx, cmrv_auction_options* options, const char* key,
                                     const char* value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    if (auto st = cmrv::CheckText(key, "key"); !st.ok()) return st;
    if (auto st = cmrv::CheckText(value, "value"); !st.ok()) return st;
    return cmrv::SetAuctionOption(options->spec, key, value);
  });
}

void cmrv_auction_options_destroy(cmrv_auction_options* options) { delete options; }

cmrv_status cmrv_auction_clear(cmrv_context* ctx, const cmrv_auction_options* options, size_t count,
                               const double* prices, size_t price_stride, const int64_t* volumes, size_t volume_stride,
                               const int64_t* times, size_t time_stride, const int64_t* bidders, size_t bidder_stride,
                               cmrv_auction** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (options == nullptr) return NullArgument("options");
    if (count > 0 && prices == nullptr) return NullArgument("prices");
    if (count > 0 && volumes == nullptr) return NullArgument("volumes");
    if (out == nullptr) return NullArgument("out");
    for (auto [stride, size, name] : {std::tuple{price_stride, sizeof(double), "price_stride"},
                                      std::tuple{volume_stride, sizeof(int64_t), "volume_stride"},
                                      std::tuple{time_stride, sizeof(int64_t), "time_stride"},
                                      std::tuple{bidder_stride, sizeof(int64_t), "bidder_stride"}}) {
      if (auto st = CheckStride(stride, size, name); !st.ok()) return st;
    }
    std::vector<cmrv::AuctionBid> bids(count);
    for (std::size_t i = 0; i < count; ++i) {
      auto& b = bids[i];
      b.price = At(prices, price_stride, i);
      b.volume = At(volumes, volume_stride, i);
      b.time = times != nullptr ? At(times, time_stride, i) : static_cast<int64_t>(i);
      b.bidder = std::to_string(bidders != nullptr ? At(bidders, bidder_stride, i) : static_cast<int64_t>(i));
    }
    auto r = cmrv::ClearAuction(options->spec, bids);
    if (!r.ok()) return r.status();
    *out = new cmrv_auction{*std::move(r)};
    return absl::OkStatus();
  });
}

void cmrv_auction_destroy(cmrv_auction* auction) { delete auction; }

cmrv_status cmrv_auction_summary(cmrv_context* ctx, const cmrv_auction* auction, double* out_clearing_price,
                                 int64_t* out_sold, int64_t* out_unsold, int32_t* out_cancelled) {
  return Guard(ctx, [&]() -> absl::Status {
    if (auction == nullptr) return NullArgument("auction");
    const auto& r = auction->result;
    if (out_clearing_price != nullptr) {
      *out_clearing_price = r.clearing_price.value_or(std::numeric_limits<double>::quiet_NaN());
    }
    if (out_sold != nullptr) *out_sold = r.sold;
    if (out_unsold != nullptr) *out_unsold = r.unsold;
    if (out_cancelled != nullptr) *out_cancelled = r.cancelled ? 1 : 0;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_auction_fills(cmrv_context* ctx, const cmrv_auction* auction, int64_t* out, size_t capacity,
                               size_t stride) {
  return Guard(ctx, [&]() -> absl::Status {
    if (auction == nullptr) return NullArgument("auction");
    if (out == nullptr) return NullArgument("out");
    if (stride < sizeof(int64_t)) {
      return BadArgument("stride " + std::to_string(stride) + " is below sizeof(int64_t) (an output needs one)");
    }
    const auto& bids = auction->result.bids;
    if (capacity < bids.size()) {
      return cmrv::MakeError(
          absl::StatusCode::kOutOfRange, cmrv::ErrorDetail::kInvalidArgument,
          "capacity " + std::to_string(capacity) + " is below the " + std::to_string(bids.size()) + " bids");
    }
    for (std::size_t i = 0; i < bids.size(); ++i) {
      std::memcpy(reinterpret_cast<unsigned char*>(out) + i * stride, &bids[i].filled, sizeof(int64_t));
    }
    return absl::OkStatus();
  });
}

cmrv_status cmrv_auction_to_json(cmrv_context* ctx, const cmrv_auction* auction, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (auction == nullptr) return NullArgument("auction");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(auction->result.ToJson());
    return absl::OkStatus();
  });
}

}  // extern "C"
