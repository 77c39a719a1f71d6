// Scratch memory kept between calls. On this project's 2-core VM the first write to a fresh 4 KiB page
// costs about 11 µs (the hypervisor zeroes it: bench/bench_batch.cpp's floor, docs/performance.md), so
// a batch call that allocates its group tables afresh spends more time in page faults than in
// arithmetic: 10⁷ records into 240 000 groups touched ~7 700 new pages per call. Blocks released here
// stay mapped for the next call, up to a budget; numpy keeps freed blocks for the same reason.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <tuple>
#include <utility>
#include <vector>

#include "internal/huge_pages.hpp"

namespace cmrv::internal {

// The pool: free blocks, kept up to `budget` bytes (enough for the group tables of 2.4·10⁶ groups and
// their result columns). Never destroyed: blocks may be returned during static destruction.
struct BlockPool {
  static constexpr std::size_t kDefaultBudget = std::size_t{256} << 20;
  std::size_t budget = kDefaultBudget;
  std::mutex mutex;
  std::vector<std::pair<std::byte*, std::size_t>> blocks;
  std::size_t bytes = 0;
  static BlockPool& Get() {
    static BlockPool* pool = new BlockPool;
    return *pool;
  }
  /// The blocks held now (for tests).
  std::vector<std::pair<std::byte*, std::size_t>> Held() {
    std::lock_guard lock(mutex);
    return blocks;
  }
};

/// A block of at least `bytes` bytes, 64-byte aligned, contents unspecified, and its capacity: the
/// smallest pooled block whose capacity is at most `most` (blocks are few: a linear scan), else a new
/// one advised huge. Thread-safe.
inline std::pair<std::byte*, std::size_t> TakeBlock(std::size_t bytes, std::size_t most = SIZE_MAX,
                                                    BlockPool& p = BlockPool::Get()) {
  {
    std::lock_guard lock(p.mutex);
    auto best = p.blocks.end();
    for (auto it = p.blocks.begin(); it != p.blocks.end(); ++it) {
      if (it->second >= bytes && it->second <= most && (best == p.blocks.end() || it->second < best->second)) {
        best = it;
      }
    }
    if (best != p.blocks.end()) {
      const auto taken = *best;
      p.bytes -= taken.second;
      p.blocks.erase(best);
      return taken;
    }
  }
  // A block of two huge pages or more starts on a huge page boundary. Advice covers only whole 2 MiB
  // pages, and an 8 MiB block at malloc's 64-byte alignment straddles five of them: a quarter of it was
  // faulted in 4 KiB pages (the inventory's arena blocks, docs/performance.md). The alignment's slack
  // before the block is address space, never touched.
  const std::size_t align = bytes >= 2 * kHugePageBytes ? kHugePageBytes : 64;
  const std::size_t capacity = (bytes + 63) / 64 * 64;
  void* raw = nullptr;
  if (posix_memalign(&raw, align, capacity) != 0) raw = nullptr;
  auto* data = static_cast<std::byte*>(raw);
  if (data == nullptr) throw std::bad_alloc();
  AdviseHugePages(data, capacity);
  return {data, capacity};
}

/// Frees held blocks, the smallest first (the large ones are the expensive ones to fault in), until the
/// pool holds at most `limit` bytes. The caller holds p.mutex.
inline void EvictTo(std::size_t limit, BlockPool& p) noexcept {
  while (p.bytes > limit && !p.blocks.empty()) {
    auto smallest = std::min_element(p.blocks.begin(), p.blocks.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
    std::free(smallest->first);
    p.bytes -= smallest->second;
    p.blocks.erase(smallest);
  }
}

/// Gives a block from TakeBlock back to the pool, or to the system if the pool is full. Thread-safe.
inline void ReturnBlock(std::byte* data, std::size_t capacity, BlockPool& p = BlockPool::Get()) noexcept {
  if (data == nullptr) return;
  {
    std::lock_guard lock(p.mutex);
    if (capacity <= p.budget) {
      EvictTo(p.budget - capacity, p);  // room for this block
      p.blocks.emplace_back(data, capacity);
      p.bytes += capacity;
      return;
    }
  }
  std::free(data);
}

/// Frees every block the pool holds; returns their bytes. Blocks in use return later, within the budget.
/// Thread-safe.
inline std::size_t ReleaseBlocks(BlockPool& p = BlockPool::Get()) noexcept {
  std::lock_guard lock(p.mutex);
  const std::size_t released = p.bytes;
  EvictTo(0, p);
  return released;
}

/// Sets the most the pool holds, freeing held blocks (the smallest first) down to it. Thread-safe.
inline void SetBlockBudget(std::size_t budget, BlockPool& p = BlockPool::Get()) noexcept {
  std::lock_guard lock(p.mutex);
  p.budget = budget;
  EvictTo(budget, p);
}

/// A block of at least `bytes` bytes from the pool (TakeBlock), returned to it when destroyed.
class ScratchBlock {
 public:
  ScratchBlock() = default;
  explicit ScratchBlock(std::size_t bytes) {
    if (bytes > 0) std::tie(data_, capacity_) = TakeBlock(bytes);
  }
  ~ScratchBlock() { ReturnBlock(std::exchange(data_, nullptr), capacity_); }
  ScratchBlock(ScratchBlock&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), capacity_(std::exchange(o.capacity_, 0)) {}
  ScratchBlock& operator=(ScratchBlock&& o) noexcept {
    if (this != &o) {
      ReturnBlock(std::exchange(data_, nullptr), capacity_);
      data_ = std::exchange(o.data_, nullptr);
      capacity_ = std::exchange(o.capacity_, 0);
    }
    return *this;
  }
  ScratchBlock(const ScratchBlock&) = delete;
  ScratchBlock& operator=(const ScratchBlock&) = delete;

  template <typename T>
  T* as() const {
    return reinterpret_cast<T*>(data_);
  }

 private:
  std::byte* data_ = nullptr;
  std::size_t capacity_ = 0;
};

}  // namespace cmrv::internal
