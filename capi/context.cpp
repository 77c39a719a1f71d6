// C API: contexts, errors, memory and version.
#include <cstdlib>
#include <cstring>
#include <new>

#include "guard.hpp"

namespace cmrv::capi {
char* DupString(std::string_view s) {
  auto* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}
}  // namespace cmrv::capi

extern "C" {

cmrv_context* cmrv_context_create(void) { return new (std::nothrow) cmrv_context(); }

void cmrv_context_destroy(cmrv_context* ctx) { delete ctx; }

const char* cmrv_context_last_error_message(const cmrv_context* ctx) {
  if (ctx == nullptr) return "NULL cmrv_context";
  return ctx->message.c_str();
}

cmrv_status cmrv_context_last_error_code(const cmrv_context* ctx) {
  return ctx == nullptr ? CMRV_ERR_INVALID_ARGUMENT : ctx->code;
}

int32_t cmrv_context_last_error_detail(const cmrv_context* ctx) {
  return ctx == nullptr ? CMRV_DETAIL_NULL_ARGUMENT : ctx->detail;
}

const char* cmrv_status_name(cmrv_status status) {
  switch (status) {
    case CMRV_OK: return "ok";
    case CMRV_ERR_CANCELLED: return "cancelled";
    case CMRV_ERR_UNKNOWN: return "unknown";
    case CMRV_ERR_INVALID_ARGUMENT: return "invalid_argument";
    case CMRV_ERR_NOT_FOUND: return "not_found";
    case CMRV_ERR_ALREADY_EXISTS: return "already_exists";
    case CMRV_ERR_RESOURCE_EXHAUSTED: return "resource_exhausted";
    case CMRV_ERR_FAILED_PRECONDITION: return "failed_precondition";
    case CMRV_ERR_OUT_OF_RANGE: return "out_of_range";
    case CMRV_ERR_UNIMPLEMENTED: return "unimplemented";
    case CMRV_ERR_PERMISSION_DENIED: return "permission_denied";
    case CMRV_ERR_INTERNAL: return "internal";
    case CMRV_ERR_UNAVAILABLE: return "unavailable";
    case CMRV_ERR_DATA_LOSS: return "data_loss";
    default: return "unrecognised_status";
  }
}

void cmrv_free(void* ptr) { std::free(ptr); }

const char* cmrv_version_string(void) { return CMRV_VERSION_STRING; }

int32_t cmrv_version_number(void) { return CMRV_VERSION_NUMBER; }

}  // extern "C"
