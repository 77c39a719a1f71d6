// Large arrays filled once (the DiD influence matrix: cells × units doubles) spend most of their time in
// page faults when the kernel backs them with 4 KiB pages; on this project's 2-core VM a first touch of
// 432 MB cost more than the arithmetic. numpy asks for transparent huge pages on arrays ≥ 4 MiB for the
// same reason (numpy/core/src/multiarray/alloc.c, madvise(MADV_HUGEPAGE)); this does the same for a
// buffer reserved but not yet written. Advice only: where THP is off or unsupported, nothing changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#if defined(__linux__)
#  include <sys/mman.h>
#endif

namespace cmrv::internal {

/// A transparent huge page on x86-64 and the usual arm64 kernels.
inline constexpr std::size_t kHugePageBytes = std::size_t{1} << 21;  // 2 MiB

#if defined(__linux__)
/// madvise(`advice`) over the whole `page`-byte pages inside [data, data + bytes), found by offsets from
/// its start (no integer-to-pointer casts); nothing if there are none.
inline void AdviseWholePages(const void* data, std::size_t bytes, std::size_t page, int advice) {
  const auto start = reinterpret_cast<std::uintptr_t>(data);
  const std::size_t skip = static_cast<std::size_t>((page - start % page) % page);
  if (bytes <= skip) return;
  const std::size_t length = (bytes - skip) / page * page;
  if (length > 0) madvise(const_cast<char*>(static_cast<const char*>(data)) + skip, length, advice);
}
#endif

inline void AdviseHugePages(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes >= 2 * kHugePageBytes) AdviseWholePages(data, bytes, kHugePageBytes, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

/// Faults in the whole 4 KiB pages inside [data, data + bytes) for writing, now, on the calling thread (their
/// first touch, moved to where a core is free). Advice only: without MADV_POPULATE_WRITE (Linux < 5.14)
/// or on failure, the pages are faulted in when first written, as before.
inline void PopulateForWrite(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  AdviseWholePages(data, bytes, 4096, MADV_POPULATE_WRITE);
#else
  (void)data;
  (void)bytes;
#endif
}

/// Reserves room for n elements in `v` and advises its buffer huge before it is first written.
template <typename T, typename Alloc>
void ReserveHuge(std::vector<T, Alloc>& v, std::size_t n) {
  v.reserve(n);
  AdviseHugePages(v.data(), v.capacity() * sizeof(T));
}

/// A vector of n copies of `value` whose pages are advised huge before they are first written.
template <typename T>
std::vector<T> HugeVector(std::size_t n, T value) {
  std::vector<T> v;
  ReserveHuge(v, n);
  v.assign(n, value);
  return v;
}

/// push_back for a vector that grows one element at a time to tens of MB (an enterprise's 10⁵ sources of
/// 328 bytes, read as the parser completes them): each growth doubles the capacity into a buffer advised
/// huge before the elements move in. A buffer that size is a fresh mapping on every growth, even when
/// the process has freed as much before, so its 4 KiB first touches recur on every document.
template <typename T>
void PushBackHuge(std::vector<T>& v, std::type_identity_t<T>&& value) {  // an rvalue, not a forwarding reference
  if (v.size() == v.capacity()) {
    std::vector<T> bigger;
    bigger.reserve(v.capacity() < 8 ? 16 : 2 * v.capacity());
    AdviseHugePages(bigger.data(), bigger.capacity() * sizeof(T));
    for (T& x : v) bigger.push_back(std::move(x));
    v.swap(bigger);
  }
  v.push_back(std::move(value));
}

}  // namespace cmrv::internal
