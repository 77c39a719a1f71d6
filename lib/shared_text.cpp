#include "carbonmrv/shared_text.hpp"

#include <atomic>
#include <cstring>
#include <new>
#include <ostream>

namespace cmrv {

// One allocation: the count, the size and the bytes (NUL-terminated for c_str).
struct SharedText::Rep {
  std::atomic<std::size_t> refs;
  std::size_t size;
  char* bytes() { return reinterpret_cast<char*>(this + 1); }  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
};

SharedText::SharedText(std::string_view text) {
  if (text.empty()) return;  // the empty text needs no buffer
  void* raw = ::operator new(sizeof(Rep) + text.size() + 1);
  rep_ = new (raw) Rep{{1}, text.size()};
  std::memcpy(rep_->bytes(), text.data(), text.size());
  rep_->bytes()[text.size()] = '\0';
}

SharedText::SharedText(const SharedText& other) noexcept : rep_(other.rep_) {
  if (rep_ != nullptr) rep_->refs.fetch_add(1, std::memory_order_relaxed);
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
  if (rep_ != nullptr && rep_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    rep_->~Rep();
    ::operator delete(rep_);
  }
}

std::string_view SharedText::view() const noexcept {
  return rep_ == nullptr ? std::string_view() : std::string_view(rep_->bytes(), rep_->size);
}

const char* SharedText::c_str() const noexcept { return rep_ == nullptr ? "" : rep_->bytes(); }

std::size_t SharedText::size() const noexcept { return rep_ == nullptr ? 0 : rep_->size; }

std::ostream& operator<<(std::ostream& out, const SharedText& text) { return out << text.view(); }

}  // namespace cmrv
