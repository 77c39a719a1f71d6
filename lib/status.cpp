#include "carbonmrv/status.hpp"

#include <charconv>

#include "absl/strings/cord.h"
#include "internal/strings.hpp"

namespace cmrv {
namespace {
// Payload type URL under which the detail code travels inside absl::Status.
constexpr std::string_view kDetailUrl = "type.carbonmrv/detail";
}  // namespace

std::string_view ErrorDetailName(ErrorDetail detail) {
  switch (detail) {
    case ErrorDetail::kNone: return "none";
    case ErrorDetail::kNullArgument: return "null_argument";
    case ErrorDetail::kInvalidArgument: return "invalid_argument";
    case ErrorDetail::kNotFound: return "not_found";
    case ErrorDetail::kUnknownUnit: return "unknown_unit";
    case ErrorDetail::kUnitSyntax: return "unit_syntax";
    case ErrorDetail::kIncompatibleUnits: return "incompatible_units";
    case ErrorDetail::kNonFiniteValue: return "non_finite_value";
    case ErrorDetail::kOverflow: return "overflow";
    case ErrorDetail::kAmbiguousUnit: return "ambiguous_unit";
    case ErrorDetail::kNeedsContext: return "needs_context";
    case ErrorDetail::kInvalidDataset: return "invalid_dataset";
    case ErrorDetail::kFactorNotFound: return "factor_not_found";
    case ErrorDetail::kUnknownCarrier: return "unknown_carrier";
    case ErrorDetail::kDuplicateDataset: return "duplicate_dataset";
    case ErrorDetail::kInvalidDocument: return "invalid_document";
    case ErrorDetail::kMissingParameter: return "missing_parameter";
    case ErrorDetail::kNotPermitted: return "not_permitted";
    case ErrorDetail::kInsufficientHoldings: return "insufficient_holdings";
    case ErrorDetail::kDuplicateEntry: return "duplicate_entry";
    case ErrorDetail::kStorage: return "storage";
    case ErrorDetail::kSchemaVersion: return "schema_version";
  }
  return "unknown";
}

absl::Status MakeError(absl::StatusCode code, ErrorDetail detail, std::string_view message) {
  // Messages echo caller input; they are always valid UTF-8, so every surface can print them.
  const std::string text = internal::ToValidUtf8(message);
  absl::Status status(code, absl::string_view(text.data(), text.size()));
  if (detail != ErrorDetail::kNone) {
    status.SetPayload(absl::string_view(kDetailUrl.data(), kDetailUrl.size()),
                      absl::Cord(internal::StrCat(static_cast<int32_t>(detail))));
  }
  return status;
}

ErrorDetail GetErrorDetail(const absl::Status& status) {
  if (status.ok()) return ErrorDetail::kNone;
  auto payload = status.GetPayload(absl::string_view(kDetailUrl.data(), kDetailUrl.size()));
  if (!payload) return ErrorDetail::kNone;
  std::string text(*payload);
  int32_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return ErrorDetail::kNone;
  return static_cast<ErrorDetail>(value);
}

absl::Status WithContext(const absl::Status& status, std::string_view where) {
  if (status.ok() || where.empty()) return status;
  std::string_view message(status.message().data(), status.message().size());
  absl::Status out(status.code(), internal::ToValidUtf8(internal::StrCat(where, ": ", message)));
  status.ForEachPayload([&out](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return out;
}

absl::Status CheckText(const char* text, std::string_view name) {
  if (text == nullptr) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kNullArgument,
                     internal::StrCat(name, " is NULL"));
  }
  if (!internal::ValidUtf8(text)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     internal::StrCat(name, " is not valid UTF-8"));
  }
  return absl::OkStatus();
}

}  // namespace cmrv
