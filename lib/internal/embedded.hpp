// Internal: data files compiled into the library (cmake/EmbedData.cmake).
#pragma once

#include <span>
#include <string_view>

namespace cmrv::internal {
struct EmbeddedFile {
  std::string_view path;  ///< relative to the repository root, e.g. "data/carriers.csv"
  std::string_view content;
  std::string_view sha256;  ///< computed by CMake at build time
};
std::span<const EmbeddedFile> EmbeddedFiles();
}  // namespace cmrv::internal
