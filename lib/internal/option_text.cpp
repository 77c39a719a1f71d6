#include "internal/option_text.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv::internal {

absl::Status OptionError(const std::string& message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, message);
}

absl::Status UnknownOptionKey(std::string_view key, std::string_view valid) {
  return OptionError(StrCat("option \"", key, "\" is not one of ", valid));
}

absl::StatusOr<long long> WholeOption(std::string_view key, std::string_view v, long long lo, long long hi) {
  long long n = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() || n < lo || n > hi) {
    return OptionError(StrCat(key, " \"", v, "\" is not a whole number from ", lo, " to ", hi));
  }
  return n;
}

absl::StatusOr<double> DecimalOption(std::string_view key, std::string_view v) {
  double d = 0;
  if (!absl::SimpleAtod(absl::string_view(v.data(), v.size()), &d) || !std::isfinite(d)) {
    return OptionError(StrCat(key, " \"", v, "\" is not a finite number"));
  }
  return d;
}

std::vector<std::string> SplitComma(std::string_view v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= v.size()) {
    const std::size_t end = std::min(v.find(',', start), v.size());
    if (end > start) out.emplace_back(v.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace cmrv::internal
