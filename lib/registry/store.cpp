// Typed access to the values both registry backends return (registry/store.hpp).
#include <string>

#include "internal/strings.hpp"
#include "registry/store.hpp"

namespace cmrv::internal {

int64_t AsInt(const SqlValue& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return std::stoll(*s);
  return 0;
}

double AsDouble(const SqlValue& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  if (const auto* s = std::get_if<std::string>(&v)) return std::stod(*s);
  return 0;
}

std::string AsText(const SqlValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) return StrCat(*d);
  return "";
}

bool IsNull(const SqlValue& v) { return std::holds_alternative<std::nullptr_t>(v); }

}  // namespace cmrv::internal
