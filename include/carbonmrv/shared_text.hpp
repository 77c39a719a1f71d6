// An immutable string whose copies share one buffer.
//
// The inventory's trace repeats the same texts on every line that uses a value: a dataset factor's
// provenance (about 300 bytes: dataset, line, table, row, SHA-256, selection rule) and its input id appear
// on every period of every source burning that fuel. As std::string each copy was an allocation and a
// copy of the bytes; 10⁵ sources × 12 months held 1.2 million of them. A SharedText copy is a reference
// count increment, and the object is one pointer.
//
// Thread safety: the text never changes; copies may be made, read and destroyed on any threads at once
// (the count is atomic). Assigning to one SharedText object from two threads at once is a data race, as
// for any value.
#pragma once

#include <compare>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>

namespace cmrv {

class SharedText;
namespace internal {
class Arena;
/// SharedText::Pair in `arena`'s blocks (internal/arena.hpp), for the per-record texts of an inventory.
std::pair<SharedText, SharedText> PairInArena(Arena& arena, std::string_view first, std::string_view second);
}  // namespace internal

class SharedText {
 public:
  SharedText() noexcept = default;
  /// Copies the bytes once; every copy of the SharedText then shares them. Implicit, so that a string
  /// or a literal is assigned as before.
  SharedText(std::string_view text);                                           // NOLINT(google-explicit-constructor)
  SharedText(const std::string& text) : SharedText(std::string_view(text)) {}  // NOLINT(google-explicit-constructor)
  SharedText(const char* text) : SharedText(std::string_view(text)) {}         // NOLINT(google-explicit-constructor)

  /// Two texts in one allocation, sharing one count (the buffer lives while either text or a copy of
  /// either does): for texts made together a million times, such as an activity term's provenance and
  /// its input id (docs/performance.md). Each is then an ordinary SharedText.
  static std::pair<SharedText, SharedText> Pair(std::string_view first, std::string_view second);

  SharedText(const SharedText& other) noexcept;
  SharedText(SharedText&& other) noexcept : rep_(other.rep_) { other.rep_ = nullptr; }
  SharedText& operator=(const SharedText& other) noexcept;
  SharedText& operator=(SharedText&& other) noexcept;
  ~SharedText();

  std::string_view view() const noexcept;
  operator std::string_view() const noexcept { return view(); }  // NOLINT(google-explicit-constructor)
  std::string str() const { return std::string(view()); }
  /// NUL-terminated; "" for an empty text. Valid while this object or a copy of it lives.
  const char* c_str() const noexcept;
  bool empty() const noexcept { return size() == 0; }
  std::size_t size() const noexcept;

  friend bool operator==(const SharedText& a, const SharedText& b) noexcept { return a.view() == b.view(); }
  friend bool operator==(const SharedText& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(const SharedText& a, const char* b) noexcept { return a.view() == std::string_view(b); }
  friend bool operator==(const SharedText& a, const std::string& b) noexcept { return a.view() == b; }
  friend std::strong_ordering operator<=>(const SharedText& a, const SharedText& b) noexcept {
    return a.view().compare(b.view()) <=> 0;
  }

 private:
  struct Rep;
  struct Part;
  Rep* rep_ = nullptr;  // a Rep, or a Part (the second text of a Pair) with its lowest bit set

  Rep* Owner() const noexcept;
  template <typename Allocate>
  static std::pair<SharedText, SharedText> MakePair(std::string_view first, std::string_view second,
                                                    Allocate&& allocate, bool in_arena);
  friend std::pair<SharedText, SharedText> internal::PairInArena(internal::Arena& arena, std::string_view first,
                                                                 std::string_view second);
};

std::ostream& operator<<(std::ostream& out, const SharedText& text);

}  // namespace cmrv
