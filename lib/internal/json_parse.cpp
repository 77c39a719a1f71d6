#include "internal/json_parse.hpp"

#include <cmath>
#include <functional>
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

  // The frames open `depth` levels inside the array $.<divert>, the array member of the root object.
  bool InDiverted(std::size_t depth) const {
    return element_ != nullptr && frames_.size() == 2 + depth && frames_[0].node->is_object() &&
           frames_[0].key != nullptr && *frames_[0].key == divert_ && frames_[1].node->is_array();
  }
  // The next value is an element of $.<divert>.
  bool Diverting() const { return InDiverted(0); }
  // The next value is the array $.<divert>[i].<flat member> (a key is read only in an object).
  bool OpensFlatArray() const {
    return flat_ != nullptr && InDiverted(1) && frames_[2].node == &pending_ && frames_[2].key != nullptr &&
           *frames_[2].key == flat_->member();
  }
  // Refuses a key that the object `f` already has, naming its path.
  bool Duplicate(Frame& f, std::string k) {
    duplicate_ = std::move(k);
    f.key = &duplicate_;
    return Stop(StrCat(Path(), ": duplicate key (JSON objects must not repeat a key)"));
  }
  void Emit() {
    (*element_)(frames_[1].count - 1, std::move(pending_), root);
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

// Runs `b` over `text`: its DOM, or the refusal naming the position or path; `object`: the top level
// must be an object.
absl::StatusOr<nlohmann::json> Run(Builder& b, std::string_view text, std::string_view what, bool object) {
  if (!json::sax_parse(text.begin(), text.end(), &b)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidDocument,
                     StrCat("not valid JSON: ", b.error, " (", what, ")"));
  }
  if (object && !b.root.is_object()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidDocument,
                     StrCat("$: expected an object, found ", b.root.type_name()));
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
  return Run(b, text, what, false);
}

absl::StatusOr<nlohmann::json> ParseJsonObject(std::string_view text, std::string_view what) {
  Builder b;
  return Run(b, text, what, true);
}

absl::StatusOr<nlohmann::json> ParseJsonStreaming(std::string_view text, std::string_view what, std::string_view member,
                                                  const JsonElementSink& element, FlatRecords* flat) {
  Builder b(member, &element, flat);
  return Run(b, text, what, true);
}

}  // namespace cmrv::internal
