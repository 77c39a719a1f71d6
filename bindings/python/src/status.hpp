// absl::Status → Python exceptions. pybind11_abseil does this upstream but is not in Debian.
#pragma once

#include <pybind11/pybind11.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

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

}  // namespace cmrv::py
