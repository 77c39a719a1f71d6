// The one exception and status guard every C entry point runs through (GEOS execute() idea).
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <new>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carbonmrv.h"
#include "carbonmrv/status.hpp"

struct cmrv_context {
  cmrv_status code = CMRV_OK;
  int32_t detail = CMRV_DETAIL_NONE;
  std::string message;
};

namespace cmrv::capi {

/// Records a failure on the context and returns its code.
inline cmrv_status Fail(cmrv_context* ctx, const absl::Status& status) noexcept {
  try {
    ctx->code = static_cast<cmrv_status>(status.code());
    ctx->detail = static_cast<int32_t>(GetErrorDetail(status));
    ctx->message.assign(status.message().data(), status.message().size());
  } catch (...) {
    ctx->message.clear();  // no memory for the message; the code still says what happened
  }
  return ctx->code;
}

inline absl::Status NullArgument(std::string_view name) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kNullArgument, std::string(name) + " is NULL");
}

/// An argument outside its documented domain (CMRV_DETAIL_INVALID_ARGUMENT).
/// A caller's progress callback as the core's: cancel when it returns non-zero; empty for NULL.
inline std::function<bool(std::uint64_t, std::uint64_t)> ProgressOf(cmrv_progress_fn fn, void* user_data) {
  if (fn == nullptr) return nullptr;
  return [fn, user_data](std::uint64_t done, std::uint64_t total) { return fn(user_data, done, total) == 0; };
}

inline absl::Status BadArgument(const std::string& message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, message);
}

/// An index past the end of a result's list: "<what> index 7 is out of range (3 <items>)" (kOutOfRange).
inline absl::Status IndexOutOfRange(std::string_view what, std::size_t index, std::size_t size,
                                    std::string_view items) {
  return MakeError(absl::StatusCode::kOutOfRange, ErrorDetail::kInvalidArgument,
                   std::string(what) + " index " + std::to_string(index) + " is out of range (" + std::to_string(size) +
                       " " + std::string(items) + ")");
}

/// Runs `body` (returning absl::Status) for a C entry point: checks the context, converts a failed
/// status into code + message, and catches every exception so none crosses extern "C".
template <typename Body>
cmrv_status Guard(cmrv_context* ctx, Body&& body) noexcept {
  if (ctx == nullptr) return CMRV_ERR_INVALID_ARGUMENT;
  try {
    absl::Status status = body();
    if (status.ok()) return CMRV_OK;
    return Fail(ctx, status);
  } catch (const std::bad_alloc&) {
    return Fail(ctx, absl::ResourceExhaustedError("out of memory"));
  } catch (const std::exception& e) {
    return Fail(ctx, absl::InternalError(std::string("internal error: ") + e.what()));
  } catch (...) {
    return Fail(ctx, absl::InternalError("internal error: unknown exception"));
  }
}

/// Copies a string into memory the caller releases with cmrv_free().
char* DupString(std::string_view s);

}  // namespace cmrv::capi
