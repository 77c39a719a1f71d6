// absl::Status → Python exceptions. pybind11_abseil does this upstream but is not in Debian.
#pragma once

#include <pybind11/pybind11.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carbonmrv/factors/factors.hpp"

namespace cmrv::py {

/// Creates carbonmrv._core.{CarbonmrvError, UnitError, InvalidInputError} on the module.
void RegisterExceptions(pybind11::module_& m);

/// Raises the matching exception (with .code and .detail attributes) for a non-OK status.
[[noreturn]] void Raise(const absl::Status& status);

inline void Check(const absl::Status& status) {
  if (!status.ok()) Raise(status);
}

template <typename T>
T Unwrap(absl::StatusOr<T> value) {
  if (!value.ok()) Raise(value.status());
  return *std::move(value);
}

/// `catalogue`, or the built-in datasets when it is None. The built-in catalogue is immutable, so it
/// is built once per process and shared (a C++ static, not a Python object). Call with the GIL held.
inline const FactorCatalogue& CatalogueOr(const FactorCatalogue* catalogue) {
  if (catalogue != nullptr) return *catalogue;
  static const absl::StatusOr<FactorCatalogue> builtin = FactorCatalogue::Builtin();
  if (!builtin.ok()) Raise(builtin.status());
  return *builtin;
}

}  // namespace cmrv::py
