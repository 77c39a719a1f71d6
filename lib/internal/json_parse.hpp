// The one JSON parser for outside input. Every document, request and override that enters the core
// goes through ParseJson, so the same limits hold on every surface:
//  - nesting deeper than kMaxJsonDepth is refused (the DOM is walked recursively later, by dump()
//    and by readers: a 200 KB run of '[' overflowed the stack of the region path);
//  - a duplicate key is refused with its JSON path (nlohmann keeps the last value silently: one
//    document reported 10 450 000 t instead of 1 045);
//  - a number outside double range (9e999) is a syntax error with its byte offset, never an exception;
//  - strings must be valid UTF-8 (the lexer checks it).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>
#include "internal/json.hpp"

#include "absl/status/statusor.h"

namespace cmrv::internal {

/// Deep enough for every carbonmrv document (an enterprise nests 7 levels, a region request 9).
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Parses `text` into a DOM or returns kInvalidArgument / kInvalidDocument naming the position or
/// the JSON path. `what` names the document in the message ("enterprise document").
absl::StatusOr<nlohmann::json> ParseJson(std::string_view text, std::string_view what);
/// ParseJson for a document whose top level must be an object ("$: expected an object, found array").
absl::StatusOr<nlohmann::json> ParseJsonObject(std::string_view text, std::string_view what);

/// Called with each element of a streamed array, its index and the document read so far (the members
/// before the array, in document order).
using JsonElementSink = std::function<void(std::size_t index, nlohmann::json&& element, const nlohmann::json& root)>;

/// The elements of one array member of each streamed element (an enterprise source's "activity"), read
/// into fixed fields instead of a DOM. A million activity records built and dropped as DOM objects cost a
/// map, a node per member and a string per text each (nine allocations; docs/performance.md); here the
/// fields of the records are reused from one element to the next, so a record of known fields allocates
/// nothing once the first element has been read. An element that is not such an object (an unknown key,
/// a number) is kept as its DOM, so a reader sees everything that was written.
class FlatRecords {
 public:
  static constexpr std::size_t kMaxFields = 8;

  struct Record {
    bool flat = true;           // an object of known keys only: its members are in `fields`
    std::uint32_t present = 0;  // bit i: fields[i] was written (null included)
    std::array<nlohmann::json, kMaxFields> fields;
    nlohmann::json dom;  // any other element, as parsed

    /// out[i]: the member fields[i], null when absent or JSON null (as Reader::Fields).
    template <std::size_t N>
    void Fill(std::array<const nlohmann::json*, N>& out) const {
      static_assert(N <= kMaxFields);
      for (std::size_t i = 0; i < N; ++i) {
        out[i] = (present >> i & 1U) != 0 && !fields[i].is_null() ? &fields[i] : nullptr;
      }
    }
  };

  /// `member`: the array member of each element; `fields`: the keys of its records.
  template <std::size_t N>
  FlatRecords(std::string_view member, const std::array<std::string_view, N>& fields)
      : member_(member), names_(fields.begin(), fields.end()) {
    static_assert(N <= kMaxFields);
  }

  std::string_view member() const { return member_; }
  /// The index of `key` among the fields, or -1.
  int Field(std::string_view key) const;
  const std::string& FieldName(std::size_t i) const { return names_[i]; }
  /// The records of the element being read (valid in its JsonElementSink call).
  std::size_t size() const { return size_; }
  const Record& operator[](std::size_t i) const { return records_[i]; }

  /// For the parser: starts an element's array, adds a record.
  void Clear() { size_ = 0; }
  Record& Add();

 private:
  std::string member_;
  std::vector<std::string> names_;
  std::vector<Record> records_;  // kept between elements: their fields' storage is reused
  std::size_t size_ = 0;
};

/// ParseJsonObject, except that each element of the top-level array member `member` is handed to
/// `element` as soon as it is complete and is not kept: the returned DOM has that member as an empty
/// array. A reader can then turn a 10⁵-element array into its own types one element at a time instead
/// of holding a DOM of the whole document (the enterprise document's sources: Enterprise::FromJson).
/// The same limits and messages as ParseJson; a syntax error after some elements were handed over
/// is still an error (the caller discards what it built). Elements of any other array are kept.
/// With `flat`, the elements of each element's array member flat->member() go to `flat` instead of the
/// element's DOM (where that member stays an empty array); `element` reads them from there.
absl::StatusOr<nlohmann::json> ParseJsonStreaming(std::string_view text, std::string_view what, std::string_view member,
                                                  const JsonElementSink& element, FlatRecords* flat = nullptr);

/// A text in pieces read one after the other, without copying them into one string.
using JsonPieces = std::vector<std::string_view>;

/// ParseJsonStreaming of a text in pieces: the first run of a cut document (ArrayCuts), which is its
/// text up to the first cut's comma and then from the array's ']'.
absl::StatusOr<nlohmann::json> ParseJsonStreaming(const JsonPieces& text, std::string_view what,
                                                  std::string_view member, const JsonElementSink& element,
                                                  FlatRecords* flat = nullptr);
/// The elements of the array `text` (in pieces: "[", a later run's elements, "]") handed to `element`
/// as ParseJsonStreaming hands those of its member, with indices from 0 in this array.
absl::Status ParseJsonArrayStreaming(const JsonPieces& text, std::string_view what, const JsonElementSink& element,
                                     FlatRecords* flat = nullptr);

/// Where the top-level array member `member` of an object text can be cut between its object
/// elements into up to `parts` runs of about equal bytes, each parsed on its own thread
/// (Enterprise::FromJson). Found by one scan of strings and brackets, no value parsed: `starts[k]` is
/// the offset of the first element of run k + 1 and `commas[k]` that of the comma before it; `open`
/// and `close` those of the array's brackets. nullopt when there is no such array, no element past the
/// first cut, or the scan meets what is not JSON (the caller then reads the text whole, which says
/// what is wrong).
/// The bytes of document text from which a reader cuts it into runs for another thread (4 MiB: a run
/// then takes ~40 ms to parse, against ~0.1 ms to start a thread and read the header again). A test
/// hook: tests lower it to cut small fixtures.
inline std::atomic<std::size_t>& BytesPerRunForTesting() {
  static std::atomic<std::size_t> bytes{std::size_t{4} << 20};
  return bytes;
}

/// Test hook: documents a reader read in runs (rather than falling back to one thread).
inline std::atomic<std::size_t>& DocumentsReadInRunsForTesting() {
  static std::atomic<std::size_t> documents{0};
  return documents;
}

struct ArrayCuts {
  std::size_t open = 0, close = 0;
  std::vector<std::size_t> starts, commas;
};
std::optional<ArrayCuts> CutArrayMember(std::string_view text, std::string_view member, std::size_t parts);

}  // namespace cmrv::internal
