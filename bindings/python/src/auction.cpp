// carbonmrv._core: primary-market auctions (core: market/auction.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <string>
#include <vector>

#include "carbonmrv/market/auction.hpp"
#include "carbonmrv/market/auction_options.hpp"
#include "carbonmrv/status.hpp"
#include "status.hpp"

namespace cmrv::py {

void BindAuction(pybind11::module_& m) {
  pybind11::class_<AuctionResult>(m, "AuctionResult", "The outcome of one auction or fixed-price sale.")
      .def_property_readonly("rules", [](const AuctionResult& r) { return std::string(AuctionRulesName(r.rules)); })
      .def_readonly("volume", &AuctionResult::volume)
      .def_readonly("cancelled", &AuctionResult::cancelled)
      .def_readonly("cancel_reason", &AuctionResult::cancel_reason)
      .def_readonly("clearing_price", &AuctionResult::clearing_price)
      .def_readonly("sold", &AuctionResult::sold)
      .def_readonly("unsold", &AuctionResult::unsold)
      .def_readonly("demand", &AuctionResult::demand)
      .def_readonly("revenue", &AuctionResult::revenue)
      .def_readonly("carry_over", &AuctionResult::carry_over)
      .def_readonly("seed", &AuctionResult::seed)
      .def_property_readonly(
          "fills",
          [](const AuctionResult& r) {
            std::vector<int64_t> out;
            out.reserve(r.bids.size());
            for (const auto& b : r.bids) out.push_back(b.filled);
            return out;
          },
          "Each bid's filled volume, in input order.")
      .def("to_json", &AuctionResult::ToJson)
      .def("to_csv", &AuctionResult::ToCsv);

  m.def(
      "_auction",
      [](const std::map<std::string, std::string>& options, const std::vector<std::string>& bidders,
         const std::vector<double>& prices, const std::vector<int64_t>& volumes, const std::vector<int64_t>& times) {
        AuctionSpec spec;
        for (const auto& [k, v] : options) {
          if (auto st = SetAuctionOption(spec, k, v); !st.ok()) Raise(st);
        }
        if (prices.size() != bidders.size() || volumes.size() != bidders.size() || times.size() != bidders.size()) {
          Raise(MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                          "bids: bidder, price, volume and time columns differ in length"));
        }
        std::vector<AuctionBid> bids(bidders.size());
        for (std::size_t i = 0; i < bids.size(); ++i) bids[i] = {bidders[i], prices[i], volumes[i], times[i]};
        absl::StatusOr<AuctionResult> r;
        {
          pybind11::gil_scoped_release release;
          r = ClearAuction(spec, bids);
        }
        return Unwrap(std::move(r));
      },
      pybind11::arg("options"), pybind11::arg("bidders"), pybind11::arg("prices"), pybind11::arg("volumes"),
      pybind11::arg("times"));
}

}  // namespace cmrv::py
