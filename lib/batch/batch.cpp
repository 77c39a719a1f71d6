// The batch engine's public helpers (dtypes, result column memory) and its report (batch.hpp). The
// engine itself is in columns.cpp, tuples.cpp, groups.cpp and kernel.cpp (engine.hpp says which does what).
#include "carbonmrv/batch/batch.hpp"

#include <cstdint>
#include <cstring>
#include <new>
#include <string>

#include "internal/json.hpp"
#include "internal/scratch.hpp"
#include "internal/strings.hpp"
#include "internal/trace_json.hpp"

namespace cmrv::batch {

using nlohmann::json;

namespace detail {

// A pooled column carries its block's capacity in a 64-byte header (the pool hands out blocks larger
// than asked, and deallocate knows only the size asked for); the data stay 64-byte aligned.
constexpr std::size_t kPooledColumn = std::size_t{256} << 10;
constexpr std::size_t kHeader = 64;

void* AllocateColumn(std::size_t bytes) {
  if (bytes < kPooledColumn) return ::operator new(bytes);
  if (bytes > SIZE_MAX / 4) throw std::bad_alloc();  // the header and the bound below must not wrap
  // A block at most twice the size asked for: a small column must not hold a large table's block.
  const auto [block, capacity] = internal::TakeBlock(bytes + kHeader, 2 * (bytes + kHeader));
  std::memcpy(block, &capacity, sizeof capacity);
  return block + kHeader;
}

void FreeColumn(void* data, std::size_t bytes) noexcept {
  if (data == nullptr) return;
  if (bytes < kPooledColumn) {
    ::operator delete(data);
    return;
  }
  std::byte* const block = static_cast<std::byte*>(data) - kHeader;
  std::size_t capacity;
  std::memcpy(&capacity, block, sizeof capacity);
  internal::ReturnBlock(block, capacity);
}

}  // namespace detail

std::string_view DTypeName(DType t) {
  static constexpr std::string_view kNames[] = {"int8",   "int16",  "int32",  "int64",   "uint8",
                                                "uint16", "uint32", "uint64", "float32", "float64"};
  const auto i = static_cast<std::size_t>(t);
  return i < std::size(kNames) ? kNames[i] : "unknown";
}

std::size_t DTypeSize(DType t) {
  switch (t) {
    case DType::kInt8:
    case DType::kUInt8: return 1;
    case DType::kInt16:
    case DType::kUInt16: return 2;
    case DType::kInt32:
    case DType::kUInt32:
    case DType::kFloat32: return 4;
    case DType::kInt64:
    case DType::kUInt64:
    case DType::kFloat64: return 8;
  }
  return 0;
}

bool IsInteger(DType t) { return t != DType::kFloat32 && t != DType::kFloat64 && DTypeSize(t) != 0; }

std::string Report::ToJson() const {
  json fs = json::array();
  for (const auto& f : factors) {
    fs.push_back({{"kind", f.kind},
                  {"carrier", f.carrier},
                  {"unit", f.unit},
                  {"region", f.region},
                  {"year", f.year},
                  {"co2_t_per_unit", f.co2},
                  {"ch4_t_per_unit", f.ch4},
                  {"n2o_t_per_unit", f.n2o},
                  {"co2e_t_per_unit", f.co2e},
                  {"records", f.records},
                  {"terms", internal::TraceTermsJson(f.terms, false)}});
  }
  json j = {{"valid", valid},
            {"skipped", skipped},
            {"counts", counts},
            {"first_rows", first_rows},
            {"pair_errors", pair_errors},
            {"defaults_used", defaults_used},
            {"factors", fs}};
  return j.dump(1);
}

}  // namespace cmrv::batch
