// JSON text written as it is produced, byte for byte what nlohmann's `dump(1)` writes for the same
// DOM (indentation, escapes, number forms), without building the DOM. A large inventory's DOM was
// ~40 allocations per line and most of the time of writing it: 3 000 sources × 12 months took 4.2 s for
// an 81 MB document (docs/performance.md, 2026-12-07 session 13).
//
// Keys are written in the order the caller gives them; a document that must read as nlohmann writes
// it gives each object's keys in std::map order (bytewise), as nlohmann's objects hold them. Tests parse
// the output and re-dump it with nlohmann to check both.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/inlined_vector.h"
#include "internal/json.hpp"

namespace cmrv::internal {

/// Thread safety: one writer per thread; it appends to the string it was given.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  /// The next member's key; its value follows.
  void Key(std::string_view key);

  void String(std::string_view text);
  /// As nlohmann writes a double: shortest round-trip digits, ".0" on an integer, null if not finite.
  void Number(double value);
  void Int(std::int64_t value);
  void Bool(bool value) { Raw(value ? "true" : "false"); }
  void Null() { Raw("null"); }
  /// A DOM value written at the current depth, as dump(1) would nest it.
  void Value(const nlohmann::json& value);

  /// Shorthands for a member: Key then the value.
  void Member(std::string_view key, std::string_view text) { Key(key), String(text); }
  void Member(std::string_view key, const char* text) { Key(key), String(text); }
  void Member(std::string_view key, double value) { Key(key), Number(value); }
  void Member(std::string_view key, int value) { Key(key), Int(value); }
  void Member(std::string_view key, bool value) { Key(key), Bool(value); }

 private:
  void Open(char bracket);
  void Close(char bracket);
  void Raw(std::string_view text) {
    Separate();
    out_ += text;
  }
  // Before a value: after a key nothing; in an array the separator and indentation of a new element.
  void Separate();
  void NewElement();

  std::string& out_;
  absl::InlinedVector<bool, 16> empty_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace cmrv::internal
