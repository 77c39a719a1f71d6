// Scratch memory kept between calls. On this project's 2-core VM the first write to a fresh 4 KiB page
// costs about 11 µs (the hypervisor zeroes it: bench/bench_batch.cpp's floor, docs/performance.md), so
// a batch call that allocates its group tables afresh spends more time in page faults than in
// arithmetic: 10⁷ records into 240 000 groups touched ~7 700 new pages per call. Blocks released here
// stay mapped for the next call, up to a budget; numpy keeps freed blocks for the same reason.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include "internal/huge_pages.hpp"

namespace cmrv::internal {

/// A block of at least `bytes` bytes, 64-byte aligned, contents unspecified; returned to a process-wide
/// pool when destroyed. Thread-safe (the pool is locked for the take and the return only).
class ScratchBlock {
 public:
  ScratchBlock() = default;
  explicit ScratchBlock(std::size_t bytes) {
    if (bytes == 0) return;
    Pool& p = Pool::Get();
    {
      std::lock_guard lock(p.mutex);
      // The smallest pooled block that fits (blocks are few: a linear scan).
      auto best = p.blocks.end();
      for (auto it = p.blocks.begin(); it != p.blocks.end(); ++it) {
        if (it->second >= bytes && (best == p.blocks.end() || it->second < best->second)) best = it;
      }
      if (best != p.blocks.end()) {
        data_ = best->first;
        capacity_ = best->second;
        p.bytes -= capacity_;
        p.blocks.erase(best);
        return;
      }
    }
    capacity_ = (bytes + 63) / 64 * 64;
    data_ = static_cast<std::byte*>(std::aligned_alloc(64, capacity_));
    if (data_ == nullptr) throw std::bad_alloc();
    AdviseHugePages(data_, capacity_);
  }
  ~ScratchBlock() { Release(); }
  ScratchBlock(ScratchBlock&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), capacity_(std::exchange(o.capacity_, 0)) {}
  ScratchBlock& operator=(ScratchBlock&& o) noexcept {
    if (this != &o) {
      Release();
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
  // Free blocks, kept up to kBudget bytes: enough for the group tables of 2.4·10⁶ groups.
  struct Pool {
    static constexpr std::size_t kBudget = std::size_t{256} << 20;
    std::mutex mutex;
    std::vector<std::pair<std::byte*, std::size_t>> blocks;
    std::size_t bytes = 0;
    static Pool& Get() {
      static Pool* pool = new Pool;  // never destroyed: blocks may be returned during static destruction
      return *pool;
    }
  };

  void Release() noexcept {
    if (data_ == nullptr) return;
    Pool& p = Pool::Get();
    std::byte* freed = data_;
    data_ = nullptr;
    {
      std::lock_guard lock(p.mutex);
      if (capacity_ <= Pool::kBudget) {
        // Make room by freeing the smallest blocks first: the large ones are the expensive ones to fault in.
        while (p.bytes + capacity_ > Pool::kBudget && !p.blocks.empty()) {
          auto smallest = std::min_element(p.blocks.begin(), p.blocks.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
          std::free(smallest->first);
          p.bytes -= smallest->second;
          p.blocks.erase(smallest);
        }
        p.blocks.emplace_back(freed, capacity_);
        p.bytes += capacity_;
        freed = nullptr;
      }
    }
    std::free(freed);
  }

  std::byte* data_ = nullptr;
  std::size_t capacity_ = 0;
};

}  // namespace cmrv::internal
