// carbonmrv._core: the secondary-market order book (core: market/order_book.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "carbonmrv/market/order_book.hpp"
#include "carbonmrv/status.hpp"
#include "status.hpp"

namespace cmrv::py {

namespace {

Side SideOf(const std::string& s) {
  if (s == "buy") return Side::kBuy;
  if (s == "sell") return Side::kSell;
  Raise(MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                  "side \"" + s + "\" is not \"buy\" or \"sell\""));
  return Side::kBuy;
}

}  // namespace

void BindOrderBook(pybind11::module_& m) {
  pybind11::class_<OrderBook>(m, "OrderBook", "A continuous double-auction order book for one allowance instrument.")
      .def(pybind11::init([](double tick, int64_t lot, std::optional<double> previous_close, double band_pct) {
             BookSpec spec;
             spec.tick = tick;
             spec.lot = lot;
             spec.previous_close = previous_close;
             spec.band_pct = band_pct;
             return Unwrap(OrderBook::Create(spec));
           }),
           pybind11::arg("tick") = 0.01, pybind11::arg("lot") = 1, pybind11::arg("previous_close") = std::nullopt,
           pybind11::arg("band_pct") = 10.0)
      .def(
          "submit",
          [](OrderBook& b, int64_t id, const std::string& side, int64_t quantity, std::optional<double> price,
             int64_t time) {
            const Order o{id,       SideOf(side), price ? OrderType::kLimit : OrderType::kMarket, price.value_or(0),
                          quantity, time};
            return Unwrap(b.Submit(o));
          },
          pybind11::arg("id"), pybind11::arg("side"), pybind11::arg("quantity"), pybind11::arg("price") = std::nullopt,
          pybind11::arg("time") = 0,
          "Submit a limit order (with price) or a market order (price None); returns the number of trades made.")
      .def("cancel", &OrderBook::Cancel, pybind11::arg("id"), "Cancel a resting order; False if it is not resting.")
      .def_property_readonly("best_bid", &OrderBook::BestBid)
      .def_property_readonly("best_ask", &OrderBook::BestAsk)
      .def("remaining", &OrderBook::Remaining, pybind11::arg("id"))
      .def("to_json", &OrderBook::ToJson);
}

}  // namespace cmrv::py
