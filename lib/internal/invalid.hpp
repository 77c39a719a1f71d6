// The error of input validation: kInvalidArgument with its detail, optionally prefixed by the field it
// names ("auction.reserve_price: ..."). One definition for every module, so that each file does not
// keep its own private copy (they collided when the files were compiled together).
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv::internal {

inline absl::Status Invalid(std::string_view what) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, what);
}

inline absl::Status InvalidField(std::string_view field, std::string_view what) {
  return Invalid(StrCat(field, ": ", what));
}

}  // namespace cmrv::internal
