// carbonmrv._core: the registry (core: registry/registry.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

#include "carbonmrv/registry/registry.hpp"
#include "carbonmrv/status.hpp"
#include "status.hpp"

namespace cmrv::py {

namespace {

Actor ActorOf(const std::string& text) { return Unwrap(ParseActor(text)); }

}  // namespace

void BindRegistry(pybind11::module_& m) {
  pybind11::class_<Registry, std::unique_ptr<Registry>>(
      m, "Registry",
      "A registry of enterprises, audits, inventories, accounts, movements and compliance on SQLite or PostgreSQL.")
      .def(pybind11::init([](const std::string& target) {
             absl::StatusOr<std::unique_ptr<Registry>> r;
             {
               pybind11::gil_scoped_release release;
               r = Registry::Open(target);
             }
             return Unwrap(std::move(r));
           }),
           pybind11::arg("target"), "Open \"sqlite:PATH\", \"postgresql:CONNINFO\" or a file path (SQLite).")
      .def_property_readonly("backend", [](const Registry& r) { return std::string(r.backend()); })
      .def(
          "_apply",
          [](Registry& r, const std::string& actor, const std::string& op) {
            const Actor a = ActorOf(actor);
            absl::StatusOr<int64_t> seq;
            {
              pybind11::gil_scoped_release release;
              seq = r.Apply(a, op);
            }
            return Unwrap(std::move(seq));
          },
          pybind11::arg("actor"), pybind11::arg("op"))
      .def(
          "_apply_all",
          [](Registry& r, const std::string& actor, const std::vector<std::string>& ops) {
            const Actor a = ActorOf(actor);
            absl::StatusOr<std::vector<int64_t>> seqs;
            {
              pybind11::gil_scoped_release release;
              seqs = r.ApplyAll(a, ops);
            }
            return Unwrap(std::move(seqs));
          },
          pybind11::arg("actor"), pybind11::arg("ops"))
      .def(
          "balance",
          [](Registry& r, const std::string& account, int vintage, const std::string& kind) {
            absl::StatusOr<int64_t> q;
            {
              pybind11::gil_scoped_release release;
              q = r.Balance(account, kind, vintage);
            }
            return Unwrap(std::move(q));
          },
          pybind11::arg("account"), pybind11::arg("vintage"), pybind11::arg("kind") = "allowance",
          "The balance of an account in one kind (allowance | ccer) and vintage.")
      .def(
          "_view",
          [](Registry& r, const std::string& name, const std::string& params) {
            absl::StatusOr<std::string> v;
            {
              pybind11::gil_scoped_release release;
              v = r.View(name, params);
            }
            return Unwrap(std::move(v));
          },
          pybind11::arg("name"), pybind11::arg("params"))
      .def(
          "verify_journal",
          [](Registry& r) {
            absl::StatusOr<JournalCheck> c;
            {
              pybind11::gil_scoped_release release;
              c = r.VerifyJournal();
            }
            const auto check = Unwrap(std::move(c));
            return pybind11::dict(pybind11::arg("ok") = check.ok, pybind11::arg("entries") = check.entries,
                                  pybind11::arg("movements") = check.movements,
                                  pybind11::arg("first_bad") = check.first_bad,
                                  pybind11::arg("problem") = check.problem);
          },
          "Recompute the hash chain and check every entry's movements; {ok, entries, movements, first_bad, problem}.");
}

}  // namespace cmrv::py
