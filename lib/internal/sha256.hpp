// Internal: SHA-256 (FIPS 180-4) for dataset content hashes. Built-in datasets are also hashed by
// CMake at build time; a test checks both agree.
#pragma once

#include <string>
#include <string_view>

namespace cmrv::internal {
/// Lower-case hex digest of `data`.
std::string Sha256Hex(std::string_view data);
}  // namespace cmrv::internal
