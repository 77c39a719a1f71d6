// Internal: a small RFC 4180 CSV reader (and field writer) with '#' metadata lines, reporting 1-based line numbers.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace cmrv::internal {

struct CsvTable {
  std::map<std::string, std::string> metadata;  ///< "# key: value" lines before the header
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;  ///< source line of each row (1-based)
  /// Index of a column, or -1.
  int Column(std::string_view name) const;
};

/// One CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
inline std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

/// Parses `text`; `source` names the file in errors ("data.csv:12: unterminated quote").
absl::StatusOr<CsvTable> ParseCsv(std::string_view text, std::string_view source);

}  // namespace cmrv::internal
