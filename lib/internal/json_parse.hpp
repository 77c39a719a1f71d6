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

}  // namespace cmrv::internal
