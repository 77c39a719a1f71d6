// carbonmrv._core: the secondary-market order book (core: market/order_book.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "carbonmrv/market/order_book.hpp"
#include "carbonmrv/market/order_book_options.hpp"
#include "carbonmrv/status.hpp"
#include "status.hpp"

namespace cmrv::py {

namespace {

absl::Status Invalid(const std::string& what) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, what);
}

Side SideOf(const std::string& s) {
  if (s == "buy") return Side::kBuy;
  if (s == "sell") return Side::kSell;
  Raise(Invalid("side \"" + s + "\" is not \"buy\" or \"sell\""));
  return Side::kBuy;
}

BookAction ActionOf(const std::string& s, std::size_t row) {
  if (s == "limit") return BookAction::kLimit;
  if (s == "market") return BookAction::kMarket;
  if (s == "cancel") return BookAction::kCancel;
  if (s == "block") return BookAction::kBlock;
  Raise(Invalid("events row " + std::to_string(row) + ": event \"" + s +
                "\" is not one of limit, market, cancel, block"));
  return BookAction::kLimit;
}

// Keyword options as option text; "market" first because it sets every other rule.
BookSpec SpecOf(const pybind11::kwargs& options) {
  BookSpec spec;
  std::vector<std::pair<std::string, std::string>> text;
  for (const auto& [k, v] : options) {
    if (v.is_none()) continue;
    if (pybind11::isinstance<pybind11::bool_>(v)) {
      Raise(Invalid("option \"" + pybind11::str(k).cast<std::string>() + "\" takes a number or a name, not a bool"));
    }
    text.emplace_back(pybind11::str(k).cast<std::string>(), pybind11::str(v).cast<std::string>());
  }
  std::stable_partition(text.begin(), text.end(), [](const auto& kv) { return kv.first == "market"; });
  for (const auto& [k, v] : text) {
    if (auto st = SetBookOption(spec, k, v); !st.ok()) Raise(st);
  }
  return spec;
}

}  // namespace

void BindOrderBook(pybind11::module_& m) {
  pybind11::class_<OrderBook>(m, "OrderBook",
                              "A continuous double-auction order book for one allowance instrument. Keyword "
                              "options: market (cn_national), tick, lot, previous_close, band_pct, "
                              "block_band_pct, block_min, max_order, close_rule (last_trade | vwap).")
      .def(pybind11::init([](const pybind11::kwargs& options) { return Unwrap(OrderBook::Create(SpecOf(options))); }))
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
      .def(
          "block",
          [](OrderBook& b, int64_t id, double price, int64_t quantity, int64_t time) {
            if (auto st = b.Block({id, price, quantity, time}); !st.ok()) Raise(st);
          },
          pybind11::arg("id"), pybind11::arg("price"), pybind11::arg("quantity"), pybind11::arg("time") = 0,
          "Record a block trade agreed outside the book (checked against the block band and minimum).")
      .def(
          "_replay",
          [](OrderBook& b, const std::vector<int64_t>& ids, const std::vector<std::string>& events,
             const std::vector<std::string>& sides, const std::vector<double>& prices,
             const std::vector<int64_t>& quantities, const std::vector<int64_t>& times) {
            const std::size_t n = ids.size();
            if (events.size() != n || sides.size() != n || prices.size() != n || quantities.size() != n ||
                times.size() != n) {
              Raise(Invalid("events: the id, event, side, price, quantity and time columns differ in length"));
            }
            std::vector<BookEvent> stream(n);
            for (std::size_t i = 0; i < n; ++i) {
              BookEvent& e = stream[i];
              e.action = ActionOf(events[i], i);
              e.id = ids[i];
              if (e.action == BookAction::kLimit || e.action == BookAction::kMarket) e.side = SideOf(sides[i]);
              e.price = prices[i];
              e.quantity = quantities[i];
              e.time = times[i];
              e.where = "events row " + std::to_string(i);
            }
            return Unwrap(b.Replay(stream)).trades;
          },
          pybind11::arg("ids"), pybind11::arg("events"), pybind11::arg("sides"), pybind11::arg("prices"),
          pybind11::arg("quantities"), pybind11::arg("times"))
      .def(
          "replay_csv",
          [](OrderBook& b, const std::string& text, const std::string& source) {
            auto events = ReadBookEventsCsv(text, source);
            if (!events.ok()) Raise(events.status());
            const auto counts = Unwrap(b.Replay(*events));
            return pybind11::dict(pybind11::arg("events") = counts.events, pybind11::arg("trades") = counts.trades,
                                  pybind11::arg("late_cancels") = counts.late_cancels);
          },
          pybind11::arg("text"), pybind11::arg("source") = "events.csv",
          "Apply CSV events (id, event, side, price, quantity[, time]); returns events, trades, late_cancels.")
      .def_property_readonly("best_bid", &OrderBook::BestBid)
      .def_property_readonly("best_ask", &OrderBook::BestAsk)
      .def("remaining", &OrderBook::Remaining, pybind11::arg("id"))
      .def("to_json", &OrderBook::ToJson);
}

}  // namespace cmrv::py
