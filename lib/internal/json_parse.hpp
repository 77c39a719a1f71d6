// The one JSON parser for outside input. Every document, request and override that enters the core
// goes through ParseJson, so the same limits hold on every surface:
//  - nesting deeper than kMaxJsonDepth is refused (the DOM is walked recursively later, by dump()
//    and by readers: a 200 KB run of '[' overflowed the stack of the region path);
//  - a duplicate key is refused with its JSON path (nlohmann keeps the last value silently: one
//    document reported 10 450 000 t instead of 1 045);
//  - a number outside double range (9e999) is a syntax error with its byte offset, never an exception;
//  - strings must be valid UTF-8 (the lexer checks it).
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
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

/// ParseJsonObject, except that each element of the top-level array member `member` is handed to
/// `element` as soon as it is complete and is not kept: the returned DOM has that member as an empty
/// array. A reader can then turn a 10⁵-element array into its own types one element at a time instead
/// of holding a DOM of the whole document (the enterprise document's sources: Enterprise::FromJson).
/// The same limits and messages as ParseJson; a syntax error after some elements were handed over
/// is still an error (the caller discards what it built). Elements of any other array are kept.
absl::StatusOr<nlohmann::json> ParseJsonStreaming(std::string_view text, std::string_view what, std::string_view member,
                                                  const JsonElementSink& element);

}  // namespace cmrv::internal
