#include <algorithm>
#include <vector>

#include "internal/strings.hpp"

namespace cmrv::internal {
namespace {
std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> cps;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    char32_t cp = 0;
    for (std::size_t j = 0; j < len && i + j < s.size(); ++j) {
      cp = (cp << 8) | static_cast<unsigned char>(s[i + j]);
    }
    cps.push_back(cp);
    i += len;
  }
  return cps;
}
}  // namespace

std::size_t EditDistance(std::string_view a, std::string_view b) {
  auto x = CodePoints(a), y = CodePoints(b);
  std::vector<std::size_t> row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[y.size()];
}

}  // namespace cmrv::internal
