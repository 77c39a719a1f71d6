// Reading a typed vocabulary both ways from one table of {value, name} pairs: the pattern of
// vocabulary.cpp, shared by the domains that keep their own vocabularies (audit, cleaner production).
#pragma once

#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv::internal {

template <typename E, std::size_t N>
std::string_view NameIn(const std::pair<E, std::string_view> (&table)[N], E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

// The value named `name`, or INVALID_ARGUMENT "<what> "<name>" is not one of a, b, c".
template <typename E, std::size_t N>
absl::StatusOr<E> ParseIn(const std::pair<E, std::string_view> (&table)[N], std::string_view name,
                          std::string_view what) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return MakeError(
      absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
      StrCat(what, " \"", name, "\" is not one of ", NameList(table, [](const auto& entry) { return entry.second; })));
}

}  // namespace cmrv::internal
