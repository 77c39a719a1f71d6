#include "carbonmrv/shared_text.hpp"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <ostream>

#include "internal/arena.hpp"

namespace cmrv {

// One allocation: the count, the size and the bytes (NUL-terminated for c_str). The size's top bit marks
// an allocation from an internal::Arena, which is freed to its block rather than to operator delete.
struct SharedText::Rep {
  static constexpr std::size_t kInArena = std::size_t{1} << (8 * sizeof(std::size_t) - 1);
  std::atomic<std::size_t> refs;
  std::size_t size_and_flag;
  std::size_t size() const { return size_and_flag & ~kInArena; }
  bool in_arena() const { return (size_and_flag & kInArena) != 0; }
  char* bytes() { return reinterpret_cast<char*>(this + 1); }  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
};

// The second text of a Pair, after the first in its Rep's allocation: `offset` bytes from that Rep, whose
// count it shares. SharedText::rep_ points to it with the lowest bit set (both are 8-byte aligned).
struct SharedText::Part {
  std::size_t offset;
  std::size_t size;
  char* bytes() { return reinterpret_cast<char*>(this + 1); }  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
};

namespace {

constexpr std::uintptr_t kPartBit = 1;

std::uintptr_t Bits(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }  // NOLINT
template <typename T>
T* FromBits(std::uintptr_t bits) {
  return reinterpret_cast<T*>(bits);  // NOLINT(performance-no-int-to-ptr,cppcoreguidelines-pro-type-reinterpret-cast)
}

// A header (Rep: its count; Part: its offset; then the size) and its text, written at `raw`.
template <typename Header>
Header* Write(void* raw, std::size_t first_field, std::string_view text) {
  auto* h = new (raw) Header{first_field, text.size()};
  std::memcpy(h->bytes(), text.data(), text.size());
  h->bytes()[text.size()] = '\0';
  return h;
}

}  // namespace

SharedText::SharedText(std::string_view text) {
  if (text.empty()) return;  // the empty text needs no buffer
  rep_ = Write<Rep>(::operator new(sizeof(Rep) + text.size() + 1), 1, text);
}

template <typename Allocate>
std::pair<SharedText, SharedText> SharedText::MakePair(std::string_view first, std::string_view second,
                                                       Allocate&& allocate, bool in_arena) {
  const std::size_t offset = (sizeof(Rep) + first.size() + 1 + alignof(Part) - 1) / alignof(Part) * alignof(Part);
  auto* raw = static_cast<char*>(allocate(offset + sizeof(Part) + second.size() + 1));
  std::pair<SharedText, SharedText> out;
  out.first.rep_ = Write<Rep>(raw, 2, first);  // two owners
  if (in_arena) out.first.rep_->size_and_flag |= Rep::kInArena;
  out.second.rep_ = FromBits<Rep>(Bits(Write<Part>(raw + offset, offset, second)) | kPartBit);
  return out;
}

std::pair<SharedText, SharedText> SharedText::Pair(std::string_view first, std::string_view second) {
  if (first.empty() || second.empty()) return {SharedText(first), SharedText(second)};
  return MakePair(
      first, second, [](std::size_t bytes) { return ::operator new(bytes); }, false);
}

std::pair<SharedText, SharedText> internal::PairInArena(Arena& arena, std::string_view first, std::string_view second) {
  if (first.empty() || second.empty()) return {SharedText(first), SharedText(second)};
  return SharedText::MakePair(
      first, second, [&arena](std::size_t bytes) { return arena.Allocate(bytes); }, true);
}

SharedText::Rep* SharedText::Owner() const noexcept {
  if ((Bits(rep_) & kPartBit) == 0) return rep_;
  const auto* part = FromBits<Part>(Bits(rep_) & ~kPartBit);
  return FromBits<Rep>(Bits(part) - part->offset);
}

SharedText::SharedText(const SharedText& other) noexcept : rep_(other.rep_) {
  if (rep_ != nullptr) Owner()->refs.fetch_add(1, std::memory_order_relaxed);
}

SharedText& SharedText::operator=(const SharedText& other) noexcept {
  SharedText copy(other);
  std::swap(rep_, copy.rep_);
  return *this;
}

SharedText& SharedText::operator=(SharedText&& other) noexcept {
  std::swap(rep_, other.rep_);
  return *this;
}

SharedText::~SharedText() {
  // The last owner frees; acquire/release orders the other owners' reads before the free.
  if (rep_ == nullptr) return;
  Rep* owner = Owner();
  if (owner->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    const bool in_arena = owner->in_arena();
    owner->~Rep();
    if (in_arena) {
      internal::Arena::Free(owner);
    } else {
      ::operator delete(owner);
    }
  }
}

std::string_view SharedText::view() const noexcept {
  if (rep_ == nullptr) return {};
  if ((Bits(rep_) & kPartBit) != 0) {
    auto* part = FromBits<Part>(Bits(rep_) & ~kPartBit);
    return {part->bytes(), part->size};
  }
  return {rep_->bytes(), rep_->size()};
}

const char* SharedText::c_str() const noexcept { return rep_ == nullptr ? "" : view().data(); }

std::size_t SharedText::size() const noexcept { return view().size(); }

std::ostream& operator<<(std::ostream& out, const SharedText& text) { return out << text.view(); }

}  // namespace cmrv
