#include "internal/json_parse.hpp"

#include <cmath>
#include <cstring>
#include <functional>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv::internal {
namespace {

using nlohmann::json;

// Builds the DOM like nlohmann's own SAX DOM parser, and also tracks the path of the value being
// read so that a refusal can name it. With a `divert` member, each element of the top-level array
// $.<divert> goes to `element` when complete instead of into the DOM (ParseJsonStreaming).
class Builder {
 public:
  Builder() = default;
  Builder(std::string_view divert, const JsonElementSink* element, FlatRecords* flat)
      : divert_(divert), element_(element), flat_(flat) {}
  /// Diverts the elements of the top-level array itself (a later run of a cut document).
  Builder(const JsonElementSink* element, FlatRecords* flat) : element_(element), flat_(flat), root_array_(true) {}

  json root;
  std::string error;  // set when the parse stopped on purpose (depth, duplicate key, ...)

  bool null() { return Put(json(nullptr)); }
  bool boolean(bool v) { return Put(json(v)); }
  bool number_integer(json::number_integer_t v) { return Put(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return Put(json(v)); }
  bool number_float(json::number_float_t v, const std::string& text) {
    if (!std::isfinite(v)) return Stop(StrCat(Path(), ": number ", text, " is outside the range of a double"));
    return Put(json(v));
  }
  bool string(std::string& v) {
    // A flat record's text goes into the string its field held for an earlier record: no allocation.
    if (!frames_.empty() && frames_.back().record != nullptr && frames_.back().slot->is_string()) {
      frames_.back().slot->get_ref<std::string&>() = v;
      return true;
    }
    return Put(json(std::move(v)));
  }
  bool binary(json::binary_t&) { return Stop(StrCat(Path(), ": binary values are not JSON")); }
  bool start_object(std::size_t) { return Open(json::object()); }
  bool start_array(std::size_t) { return Open(json::array()); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(std::string& k) {
    // One map operation: the member's slot is made here and filled by the value that follows.
    Frame& f = frames_.back();
    if (f.record != nullptr) {
      if (!FlatKey(f, k)) return false;
      if (f.record != nullptr) return true;  // one of the record's fields
    }
    auto [it, added] = f.node->get_ref<json::object_t&>().try_emplace(std::move(k));
    if (!added) return Duplicate(f, std::move(k));  // try_emplace leaves `k` as it was
    f.key = &it->first;
    f.slot = &it->second;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const json::exception& ex) {
    // Strip nlohmann's "[json.exception.parse_error.101] " prefix: the text after it names the byte.
    std::string what = ex.what();
    if (auto p = what.find("] "); what.rfind("[json.exception.", 0) == 0 && p != std::string::npos)
      what.erase(0, p + 2);
    error = what;
    return false;
  }

 private:
  struct Frame {
    json* node;
    const std::string* key = nullptr;       // objects: the key of the member being read (in its map node)
    json* slot = nullptr;                   // objects: that member's value
    std::size_t count = 0;                  // elements placed so far (arrays; a diverted array's DOM stays empty)
    FlatRecords::Record* record = nullptr;  // a flat record being read (its node is flat_node_)
    bool flat_array = false;                // the array whose elements go to flat_
  };
  std::vector<Frame> frames_;
  std::string_view divert_;
  const JsonElementSink* element_ = nullptr;
  FlatRecords* flat_ = nullptr;
  json flat_node_ = json::object();  // the node of every flat record's frame: an object, for Path()
  json pending_;                     // the diverted element being built
  std::string duplicate_;            // a repeated key, for the refusal's path
  bool root_array_ = false;          // the diverted array is the root (frame 0), not $.<divert> (frame 1)

  std::size_t ArrayFrame() const { return root_array_ ? 0 : 1; }

  // The frames open `depth` levels inside the array $.<divert>, the array member of the root object.
  bool InDiverted(std::size_t depth) const {
    if (element_ == nullptr) return false;
    if (root_array_) return frames_.size() == 1 + depth && frames_[0].node->is_array();
    return frames_.size() == 2 + depth && frames_[0].node->is_object() && frames_[0].key != nullptr &&
           *frames_[0].key == divert_ && frames_[1].node->is_array();
  }
  // The next value is an element of $.<divert>.
  bool Diverting() const { return InDiverted(0); }
  // The next value is the array $.<divert>[i].<flat member> (a key is read only in an object).
  bool OpensFlatArray() const {
    const Frame* element = InDiverted(1) ? &frames_[ArrayFrame() + 1] : nullptr;
    return flat_ != nullptr && element != nullptr && element->node == &pending_ && element->key != nullptr &&
           *element->key == flat_->member();
  }
  // Refuses a key that the object `f` already has, naming its path.
  bool Duplicate(Frame& f, std::string k) {
    duplicate_ = std::move(k);
    f.key = &duplicate_;
    return Stop(StrCat(Path(), ": duplicate key (JSON objects must not repeat a key)"));
  }
  void Emit() {
    (*element_)(frames_[ArrayFrame()].count - 1, std::move(pending_), root);
    pending_ = json();
    if (flat_ != nullptr) flat_->Clear();
  }
  // key() in a flat record: a known key selects its field; an unknown key turns the record into its DOM
  // (with the members read so far) and is then read as in any object. False when the parse stops.
  bool FlatKey(Frame& f, const std::string& k) {
    FlatRecords::Record& rec = *f.record;
    if (const int i = flat_->Field(k); i >= 0) {
      const auto bit = 1U << static_cast<unsigned>(i);
      if ((rec.present & bit) != 0) return Duplicate(f, k);
      rec.present |= bit;
      f.key = &flat_->FieldName(static_cast<std::size_t>(i));
      f.slot = &rec.fields[static_cast<std::size_t>(i)];
      return true;
    }
    rec.dom = json::object();
    for (std::size_t i = 0; i < FlatRecords::kMaxFields; ++i) {
      if ((rec.present >> i & 1U) != 0)
        rec.dom.get_ref<json::object_t&>().emplace(flat_->FieldName(i), std::move(rec.fields[i]));
    }
    rec.flat = false;
    f.node = &rec.dom;
    f.record = nullptr;
    return true;
  }

  bool Stop(std::string message) {
    error = std::move(message);
    return false;
  }
  json* Place(json v) {
    if (frames_.empty()) {
      root = std::move(v);
      return &root;
    }
    Frame& f = frames_.back();
    if (f.node->is_array()) {
      ++f.count;
      if (f.flat_array) {  // an element that is not an object: kept as it is
        FlatRecords::Record& rec = flat_->Add();
        rec.flat = false;
        rec.dom = std::move(v);
        return &rec.dom;
      }
      if (Diverting()) return &(pending_ = std::move(v));
      f.node->push_back(std::move(v));
      return &f.node->back();
    }
    *f.slot = std::move(v);
    return f.slot;
  }
  bool Put(json v) {
    const bool diverted = Diverting();
    Place(std::move(v));
    if (diverted) Emit();
    return true;
  }
  bool Open(json v) {
    if (frames_.size() >= kMaxJsonDepth) {
      return Stop(StrCat(Path(), ": nesting deeper than ", kMaxJsonDepth, " levels"));
    }
    if (!frames_.empty() && frames_.back().flat_array && v.is_object()) {
      ++frames_.back().count;
      FlatRecords::Record& rec = flat_->Add();
      frames_.push_back({&flat_node_});
      frames_.back().record = &rec;
      return true;
    }
    const bool flat_array = v.is_array() && OpensFlatArray();
    json* node = Place(std::move(v));
    frames_.push_back({node});
    if (flat_array) {
      frames_.back().flat_array = true;
      flat_->Clear();
    }
    return true;
  }
  bool Close() {
    frames_.pop_back();
    if (Diverting()) Emit();
    return true;
  }
  // "$" for the root, else "sources[2].id": the member or element being read.
  std::string Path() const {
    std::string p;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      if (f.node->is_array()) {
        // An enclosing array's open element is its last; the innermost's next value goes at size().
        StrAppend(&p, "[", f.count - (i + 1 < frames_.size() ? 1 : 0), "]");
      } else {
        StrAppend(&p, p.empty() ? "" : ".", f.key != nullptr ? std::string_view(*f.key) : std::string_view());
      }
    }
    return p.empty() ? "$" : p;
  }
};

}  // namespace

namespace {

// The bytes of several pieces of text in order, for nlohmann's iterator input (one byte at a time, as
// it reads a contiguous text): a run of a cut document is parsed without copying it into one string.
class PiecesIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  PiecesIterator() = default;  // the end
  explicit PiecesIterator(const JsonPieces& pieces) : piece_(pieces.data()), last_(pieces.data() + pieces.size()) {
    Enter();
  }
  reference operator*() const { return *p_; }
  PiecesIterator& operator++() {
    if (++p_ == end_) ++piece_, Enter();
    return *this;
  }
  PiecesIterator operator++(int) {
    PiecesIterator was = *this;
    ++*this;
    return was;
  }
  // Pieces are distinct memory, and the end is the null position.
  friend bool operator==(const PiecesIterator& a, const PiecesIterator& b) { return a.p_ == b.p_; }

 private:
  void Enter() {
    while (piece_ != last_ && piece_->empty()) ++piece_;
    p_ = piece_ != last_ ? piece_->data() : nullptr;
    end_ = piece_ != last_ ? piece_->data() + piece_->size() : nullptr;
  }
  const std::string_view* piece_ = nullptr;
  const std::string_view* last_ = nullptr;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
};

// Runs `b` over the text [first, last): its DOM, or the refusal naming the position or path; the top
// level must be of type `top` unless it is discarded (any type).
template <typename Input>
absl::StatusOr<nlohmann::json> Run(Builder& b, Input first, Input last, std::string_view what,
                                   json::value_t top = json::value_t::discarded) {
  if (!json::sax_parse(std::move(first), std::move(last), &b)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidDocument,
                     StrCat("not valid JSON: ", b.error, " (", what, ")"));
  }
  if (top != json::value_t::discarded && b.root.type() != top) {
    return MakeError(
        absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidDocument,
        StrCat("$: expected an ", top == json::value_t::object ? "object" : "array", ", found ", b.root.type_name()));
  }
  return std::move(b.root);
}

}  // namespace

FlatRecords::Record& FlatRecords::Add() {
  if (size_ == records_.size()) records_.emplace_back();
  Record& r = records_[size_++];
  r.flat = true;
  r.present = 0;
  if (!r.dom.is_null()) r.dom = json();
  return r;
}

int FlatRecords::Field(std::string_view key) const {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == key) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<nlohmann::json> ParseJson(std::string_view text, std::string_view what) {
  Builder b;
  return Run(b, text.begin(), text.end(), what);
}

absl::StatusOr<nlohmann::json> ParseJsonObject(std::string_view text, std::string_view what) {
  Builder b;
  return Run(b, text.begin(), text.end(), what, json::value_t::object);
}

absl::StatusOr<nlohmann::json> ParseJsonStreaming(std::string_view text, std::string_view what, std::string_view member,
                                                  const JsonElementSink& element, FlatRecords* flat) {
  Builder b(member, &element, flat);
  return Run(b, text.begin(), text.end(), what, json::value_t::object);
}

absl::StatusOr<nlohmann::json> ParseJsonStreaming(const JsonPieces& text, std::string_view what,
                                                  std::string_view member, const JsonElementSink& element,
                                                  FlatRecords* flat) {
  Builder b(member, &element, flat);
  return Run(b, PiecesIterator(text), PiecesIterator(), what, json::value_t::object);
}

absl::Status ParseJsonArrayStreaming(const JsonPieces& text, std::string_view what, const JsonElementSink& element,
                                     FlatRecords* flat) {
  Builder b(&element, flat);
  return Run(b, PiecesIterator(text), PiecesIterator(), what, json::value_t::array).status();
}

std::optional<ArrayCuts> CutArrayMember(std::string_view text, std::string_view member, std::size_t parts) {
  // One pass over strings (memchr to the closing quote) and brackets; depth 1 is the root object,
  // depth 2 the member's array, whose '{' elements are the candidate cuts.
  ArrayCuts cuts;
  std::vector<std::size_t> starts, commas;
  std::size_t depth = 0, last_comma = 0;
  std::string_view last_key;  // the last string read at depth 1
  bool in_array = false, found = false;
  const char* const data = text.data();
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    switch (data[i]) {
      case '"': {
        std::size_t j = i + 1;
        for (;;) {
          const void* q = j < n ? std::memchr(data + j, '"', n - j) : nullptr;
          if (q == nullptr) return std::nullopt;
          const auto k = static_cast<std::size_t>(static_cast<const char*>(q) - data);
          std::size_t backslashes = 0;
          while (k - backslashes > i + 1 && data[k - backslashes - 1] == '\\') ++backslashes;
          if (backslashes % 2 == 0) {
            if (depth == 1) last_key = text.substr(i + 1, k - i - 1);
            i = k;
            break;
          }
          j = k + 1;
        }
        break;
      }
      case '{':
      case '[':
        if (in_array && depth == 2 && data[i] == '{') {
          starts.push_back(i);
          commas.push_back(last_comma);
        }
        if (depth == 1 && data[i] == '[' && last_key == member && !found) in_array = found = true, cuts.open = i;
        if (++depth > kMaxJsonDepth) return std::nullopt;
        break;
      case '}':
      case ']':
        if (depth == 0) return std::nullopt;
        if (--depth == 1 && in_array) in_array = false, cuts.close = i;
        break;
      case ',':
        if (in_array && depth == 2) last_comma = i;
        break;
      default: break;
    }
  }
  if (!found || in_array || depth != 0) return std::nullopt;
  // The element starting at or after each k/parts of the array's bytes.
  std::size_t next = 1;  // element 0 starts run 0
  for (std::size_t k = 1; k < parts; ++k) {
    const std::size_t target = cuts.open + (cuts.close - cuts.open) / parts * k;
    while (next < starts.size() && starts[next] < target) ++next;
    if (next >= starts.size()) break;
    cuts.starts.push_back(starts[next]);
    cuts.commas.push_back(commas[next]);
    ++next;
  }
  if (cuts.starts.empty()) return std::nullopt;
  return cuts;
}

}  // namespace cmrv::internal
