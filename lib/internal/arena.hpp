// Small objects made by the million in blocks the library keeps (the memory pool: memory_pool.hpp,
// internal/scratch.hpp), not in malloc's heap. An inventory of 10⁵ sources × 12 months makes a
// 200-byte activity term per record: from malloc those are ~230 MiB of 4 KiB pages, which a fresh
// process faults in at ~11 µs each on the reference VM, and which a worker thread's malloc arena gives
// back to the system when the inventory is freed, so that the next inventory faults them in again
// (docs/performance.md, session 12). From pooled blocks advised huge they are neither.
//
// An object lives in a block with a count of its live objects; the last one freed, from any thread,
// returns the block to the pool. An Arena object only hands out memory, from one block at a time, and
// may be destroyed before the objects it made (they do not refer to it).
//
// Thread safety: one Arena per thread; Free is safe from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstring>
#include <new>
#include <utility>

#include "internal/scratch.hpp"

namespace cmrv::internal {

class Arena {
 public:
  static constexpr std::size_t kBlockBytes = std::size_t{8} << 20;  // 8 MiB: advised huge (huge_pages.hpp)
  static constexpr std::size_t kAlign = 16;
  static constexpr std::size_t kHeadBytes = 64;  // the block's head, on a cache line of its own

  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena() { Close(); }

  /// The most one Allocate can give: a block less its head and the object's header.
  static constexpr std::size_t kMaxBytes = kBlockBytes - kHeadBytes - kAlign;

  /// `bytes` bytes aligned to kAlign, valid until Free; std::bad_alloc above kMaxBytes (larger objects
  /// than a block are not for an arena).
  void* Allocate(std::size_t bytes) {
    if (bytes > kMaxBytes) throw std::bad_alloc();
    const std::size_t need = kHeader + (bytes + kAlign - 1) / kAlign * kAlign;  // fits an empty block
    if (block_ == nullptr || used_ + need > capacity_) Open();
    std::byte* at = block_ + used_;
    used_ += need;
    Head(block_)->live.fetch_add(1, std::memory_order_relaxed);
    std::memcpy(at, &block_, sizeof block_);  // the object's block, before it
    return at + kHeader;
  }

  /// Frees an object from Allocate (any Arena, any thread). The block goes back to the pool with its
  /// last object, once its Arena has moved on from it.
  static void Free(void* p) noexcept {
    std::byte* block = nullptr;
    std::memcpy(&block, static_cast<std::byte*>(p) - kHeader, sizeof block);
    Release(block);
  }

 private:
  struct BlockHead {
    std::atomic<std::size_t> live;  // objects not yet freed, + 1 while the block is an Arena's current one
    std::size_t capacity;
  };
  static constexpr std::size_t kHeader = kAlign;  // the block pointer, padded to the alignment
  static_assert(sizeof(BlockHead) <= kHeadBytes);
  static BlockHead* Head(std::byte* block) { return std::launder(reinterpret_cast<BlockHead*>(block)); }

  void Open() {
    Close();
    const auto [block, capacity] = TakeBlock(kBlockBytes, 2 * kBlockBytes);
    new (block) BlockHead{1, capacity};
    block_ = block;
    capacity_ = capacity;
    used_ = kHeadBytes;
  }
  void Close() noexcept {
    if (block_ != nullptr) Release(std::exchange(block_, nullptr));
  }
  static void Release(std::byte* block) noexcept {
    BlockHead* h = Head(block);
    if (h->live.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      const std::size_t capacity = h->capacity;
      h->~BlockHead();
      ReturnBlock(block, capacity);
    }
  }

  std::byte* block_ = nullptr;
  std::size_t used_ = 0, capacity_ = 0;
};

/// A standard allocator over an Arena, for std::allocate_shared: allocation from the Arena, and
/// deallocation that needs no Arena (the control block keeps this allocator after the Arena is gone).
template <typename T>
struct ArenaAllocator {
  using value_type = T;
  explicit ArenaAllocator(Arena* a) noexcept : arena(a) {}
  template <typename U>
  ArenaAllocator(const ArenaAllocator<U>& o) noexcept : arena(o.arena) {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) {
    static_assert(alignof(T) <= Arena::kAlign);
    return static_cast<T*>(arena->Allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t) noexcept { Arena::Free(p); }
  template <typename U>
  friend bool operator==(const ArenaAllocator&, const ArenaAllocator<U>&) noexcept {
    return true;  // any one frees what another allocated
  }
  Arena* arena;
};

}  // namespace cmrv::internal
