// Internal string building that accepts std::string_view. Debian's Abseil is built with its own
// absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW=0), so absl::StrCat rejects std::string_view.
#pragma once

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"

namespace cmrv::internal {

inline void AppendOne(std::string& out, std::string_view s) { out.append(s); }
inline void AppendOne(std::string& out, const char* s) { out.append(s); }
inline void AppendOne(std::string& out, const std::string& s) { out.append(s); }
inline void AppendOne(std::string& out, char c) { out.push_back(c); }
#if !ABSL_USES_STD_STRING_VIEW
inline void AppendOne(std::string& out, absl::string_view s) { out.append(s.data(), s.size()); }
#endif
template <std::integral T>
requires(!std::same_as<T, char> && !std::same_as<T, bool>) void AppendOne(std::string& out, T v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}
/// Shortest representation that round-trips (std::to_chars).
inline void AppendOne(std::string& out, double v) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

// Upper bounds of what AppendOne adds, so that StrCat allocates once: appending a 300-byte provenance
// piece by piece reallocated five times (the inventory builds one per trace term).
inline std::size_t SizeOne(std::string_view s) { return s.size(); }
inline std::size_t SizeOne(const char* s) { return std::char_traits<char>::length(s); }
inline std::size_t SizeOne(const std::string& s) { return s.size(); }
inline std::size_t SizeOne(char) { return 1; }
#if !ABSL_USES_STD_STRING_VIEW
inline std::size_t SizeOne(absl::string_view s) { return s.size(); }
#endif
template <std::integral T>
requires(!std::same_as<T, char> && !std::same_as<T, bool>) std::size_t SizeOne(T) { return 24; }
inline std::size_t SizeOne(double) { return 32; }

template <typename... Args>
void StrAppend(std::string* out, const Args&... args) {
  out->reserve(out->size() + (SizeOne(args) + ... + 0));
  (AppendOne(*out, args), ...);
}

template <typename... Args>
std::string StrCat(const Args&... args) {
  std::string out;
  out.reserve((SizeOne(args) + ... + 0));
  (AppendOne(out, args), ...);
  return out;
}

/// Levenshtein distance counted in Unicode code points (吨 is one character, not three), for
/// "did you mean" suggestions of units and carriers.
std::size_t EditDistance(std::string_view a, std::string_view b);

/// Longest input (bytes) for which "did you mean" suggestions are computed. The work is
/// length × names; a 10 MB unit string took more than 30 s, and no name that long is a typo.
inline constexpr std::size_t kMaxSuggestBytes = 64;

/// "a, b, c": the names of `items` by `name` (for "expected one of" messages); "(none)" when empty.
template <typename Range, typename Name>
inline std::string NameList(const Range& items, Name name) {
  std::string list;
  for (const auto& item : items) list += StrCat(list.empty() ? "" : ", ", name(item));
  return list.empty() ? "(none)" : list;
}
inline auto Same = [](const auto& x) -> decltype(auto) { return x; };

/// ASCII letters lowered (option values, aliases); other bytes unchanged.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// ASCII letters raised (check ids); other bytes unchanged.
inline std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

/// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
/// Text is checked where it enters (C API strings, CSV files, batch dictionaries) so that it never
/// fails later, when a result is serialised.
bool ValidUtf8(std::string_view s);
/// `s` with every ill-formed byte replaced by U+FFFD: for messages that echo caller input.
std::string ToValidUtf8(std::string_view s);

inline std::string StrJoin(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.append(sep);
    out.append(parts[i]);
  }
  return out;
}

}  // namespace cmrv::internal
