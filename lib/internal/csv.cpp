#include "internal/csv.hpp"

#include <gsl/narrow>

#include <algorithm>

#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv::internal {

int CsvTable::Column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return gsl::narrow<int>(i);
  }
  return -1;
}

namespace {
std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}
}  // namespace

absl::StatusOr<CsvTable> ParseCsv(std::string_view text, std::string_view source) {
  CsvTable table;
  std::size_t pos = 0, line = 1;
  if (text.starts_with("\xEF\xBB\xBF")) pos = 3;  // UTF-8 BOM (Excel exports)
  for (std::size_t start = pos, ln = 1; start < text.size(); ++ln) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (!ValidUtf8(text.substr(start, end - start))) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidDataset,
                       StrCat(source, ":", ln, ": not valid UTF-8"));
    }
    start = end + 1;
  }
  bool have_header = false;
  while (pos < text.size()) {
    // Metadata and comment lines ('#') and blank lines are allowed before the header.
    if (!have_header && (text[pos] == '#' || text[pos] == '\n' || text[pos] == '\r')) {
      std::size_t end = text.find('\n', pos);
      std::string_view l = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
      if (!l.empty() && l[0] == '#') {
        auto colon = l.find(':');
        if (colon != std::string_view::npos) {
          table.metadata[Trim(l.substr(1, colon - 1))] = Trim(l.substr(colon + 1));
        }
      }
      pos = end == std::string_view::npos ? text.size() : end + 1;
      ++line;
      continue;
    }
    std::vector<std::string> fields;
    std::string field;
    const std::size_t row_line = line;
    bool in_quotes = false, done = false;
    while (!done) {
      if (pos >= text.size()) {
        if (in_quotes) {
          return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                           StrCat(source, ":", row_line, ": unterminated quoted field"));
        }
        done = true;
        break;
      }
      char c = text[pos++];
      if (in_quotes) {
        if (c == '"') {
          if (pos < text.size() && text[pos] == '"') {
            field.push_back('"');
            ++pos;
          } else {
            in_quotes = false;
          }
        } else {
          if (c == '\n') ++line;
          field.push_back(c);
        }
      } else if (c == '"' && Trim(field).empty()) {
        in_quotes = true;
        field.clear();
      } else if (c == ',') {
        fields.push_back(Trim(field));
        field.clear();
      } else if (c == '\n') {
        ++line;
        done = true;
      } else {
        field.push_back(c);
      }
    }
    fields.push_back(Trim(field));
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (!have_header) {
      table.header = std::move(fields);
      have_header = true;
      continue;
    }
    if (fields.size() != table.header.size()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       StrCat(source, ":", row_line, ": expected ", table.header.size(),
                              " fields as in the header, found ", fields.size()));
    }
    table.rows.push_back(std::move(fields));
    table.lines.push_back(row_line);
  }
  if (!have_header) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat(source, ": no header line"));
  }
  return table;
}

}  // namespace cmrv::internal
