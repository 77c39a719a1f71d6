// carbonmrv._core: module definition and the exception hierarchy.
#include <pybind11/pybind11.h>

#include <cctype>
#include <string>

#include "carbonmrv/status.hpp"
#include "status.hpp"

namespace py = pybind11;

namespace cmrv::py {

void BindUnits(pybind11::module_& m);
void BindEnterprise(pybind11::module_& m);
void BindRegion(pybind11::module_& m);
void BindFactors(pybind11::module_& m);
void BindInventory(pybind11::module_& m);
void BindEnergyBalance(pybind11::module_& m);
void BindVerification(pybind11::module_& m);
void BindBatch(pybind11::module_& m);
void BindMemoryPool(pybind11::module_& m);
void BindUncertainty(pybind11::module_& m);
void BindCleanerProduction(pybind11::module_& m);
void BindAllocation(pybind11::module_& m);
void BindAuction(pybind11::module_& m);
void BindOrderBook(pybind11::module_& m);
void BindRegistry(pybind11::module_& m);
void BindPolicy(pybind11::module_& m);

namespace {
// Owned by the module (kept alive by its attributes); borrowed here.
PyObject* g_base = nullptr;
PyObject* g_unit = nullptr;
PyObject* g_invalid = nullptr;
PyObject* g_data = nullptr;
PyObject* g_not_found = nullptr;
PyObject* g_missing = nullptr;
PyObject* g_denied = nullptr;
PyObject* g_holdings = nullptr;
PyObject* g_cancelled = nullptr;

PyObject* NewException(pybind11::module_& m, const char* name, PyObject* bases, const char* doc) {
  std::string qualified = std::string("carbonmrv._core.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases, nullptr);
  if (cls == nullptr) throw pybind11::error_already_set();
  m.add_object(name, pybind11::handle(cls));  // steals the reference
  return cls;
}
}  // namespace

void RegisterExceptions(pybind11::module_& m) {
  g_base = NewException(m, "CarbonmrvError", PyExc_Exception,
                        "Base class of every carbonmrv error; .code and .detail name the cause.");
  pybind11::tuple unit_bases = pybind11::make_tuple(pybind11::handle(g_base), pybind11::handle(PyExc_ValueError));
  g_unit = NewException(m, "UnitError", unit_bases.ptr(),
                        "A unit string, a kind mismatch or a non-finite quantity (also a ValueError).");
  pybind11::tuple inv_bases = pybind11::make_tuple(pybind11::handle(g_base), pybind11::handle(PyExc_ValueError));
  g_invalid =
      NewException(m, "InvalidInputError", inv_bases.ptr(), "Invalid input data or argument (also a ValueError).");
  pybind11::tuple nf_bases = pybind11::make_tuple(pybind11::handle(g_base), pybind11::handle(PyExc_LookupError));
  g_not_found =
      NewException(m, "NotFoundError", nf_bases.ptr(),
                   "A named item (a period, a source, a factor, a dataset) does not exist (also a LookupError).");
  g_data = NewException(m, "FactorNotFoundError", pybind11::make_tuple(pybind11::handle(g_not_found)).ptr(),
                        "No factor, dataset or carrier matches the query (a NotFoundError).");
  g_missing = NewException(m, "MissingParameterError", pybind11::make_tuple(pybind11::handle(g_base)).ptr(),
                           "A calculation needs a parameter that no measurement, document or dataset gives.");
  g_denied = NewException(m, "PermissionDeniedError",
                          pybind11::make_tuple(pybind11::handle(g_base), pybind11::handle(PyExc_PermissionError)).ptr(),
                          "The registry actor may not apply the operation (also a PermissionError); it was logged.");
  g_holdings = NewException(m, "InsufficientHoldingsError", pybind11::make_tuple(pybind11::handle(g_base)).ptr(),
                            "A registry debit exceeds the account's balance of that kind and vintage.");
  g_cancelled = NewException(m, "CancelledError", pybind11::make_tuple(pybind11::handle(g_base)).ptr(),
                             "A progress callback cancelled the call; nothing was computed.");
}

void Raise(const absl::Status& status) {
  const auto detail = GetErrorDetail(status);
  const auto d = static_cast<int32_t>(detail);
  PyObject* cls = g_base;
  if (d >= 1000 && d < 2000) {
    cls = g_unit;
  } else if (status.code() == absl::StatusCode::kNotFound) {
    // A missing period or source is not a missing factor.
    cls = detail == ErrorDetail::kNotFound ? g_not_found : g_data;
  } else if (detail == ErrorDetail::kMissingParameter) {
    cls = g_missing;
  } else if (status.code() == absl::StatusCode::kPermissionDenied) {
    cls = g_denied;
  } else if (detail == ErrorDetail::kInsufficientHoldings) {
    cls = g_holdings;
  } else if (status.code() == absl::StatusCode::kInvalidArgument) {
    cls = g_invalid;
  } else if (status.code() == absl::StatusCode::kCancelled) {
    cls = g_cancelled;
  }
  std::string message(status.message().data(), status.message().size());
  pybind11::object exc = pybind11::handle(cls)(message);
  std::string code = absl::StatusCodeToString(status.code());
  for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  exc.attr("code") = code;  // "invalid_argument", as cmrv_status_name() in C
  exc.attr("detail") = std::string(ErrorDetailName(detail));
  PyErr_SetObject(cls, exc.ptr());
  throw pybind11::error_already_set();
}

}  // namespace cmrv::py

PYBIND11_MODULE(_core, m) {
  m.doc() = "carbonmrv compiled core (use the carbonmrv package, not this module directly).";
  m.attr("__version__") = CMRV_PY_VERSION;
  cmrv::py::RegisterExceptions(m);
  cmrv::py::BindUnits(m);
  cmrv::py::BindFactors(m);
  cmrv::py::BindEnterprise(m);
  cmrv::py::BindInventory(m);
  cmrv::py::BindEnergyBalance(m);
  cmrv::py::BindVerification(m);
  cmrv::py::BindRegion(m);
  cmrv::py::BindBatch(m);
  cmrv::py::BindMemoryPool(m);
  cmrv::py::BindUncertainty(m);
  cmrv::py::BindCleanerProduction(m);
  cmrv::py::BindAllocation(m);
  cmrv::py::BindAuction(m);
  cmrv::py::BindOrderBook(m);
  cmrv::py::BindRegistry(m);
  cmrv::py::BindPolicy(m);
}
