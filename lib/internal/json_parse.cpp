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
  Builder(std::string_view divert, const JsonElementSink* element) : divert_(divert), element_(element) {}

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
  bool string(std::string& v) { return Put(json(std::move(v))); }
  bool binary(json::binary_t&) { return Stop(StrCat(Path(), ": binary values are not JSON")); }
  bool start_object(std::size_t) { return Open(json::object()); }
  bool start_array(std::size_t) { return Open(json::array()); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(std::string& k) {
    // One map operation: the member's slot is made here and filled by the value that follows.
    Frame& f = frames_.back();
    auto [it, added] = f.node->get_ref<json::object_t&>().try_emplace(std::move(k));
    if (!added) {  // try_emplace leaves `k` as it was
      duplicate_ = std::move(k);
      f.key = &duplicate_;
      return Stop(StrCat(Path(), ": duplicate key (JSON objects must not repeat a key)"));
    }
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
    const std::string* key = nullptr;  // objects: the key of the member being read (in its map node)
    json* slot = nullptr;              // objects: that member's value
    std::size_t count = 0;             // elements placed so far (arrays; a diverted array's DOM stays empty)
  };
  std::vector<Frame> frames_;
  std::string_view divert_;
  const JsonElementSink* element_ = nullptr;
  json pending_;           // the diverted element being built
  std::string duplicate_;  // a repeated key, for the refusal's path

  // The next value is an element of $.<divert>: the array member of the root object.
  bool Diverting() const {
    return element_ != nullptr && frames_.size() == 2 && frames_[0].node->is_object() && frames_[0].key != nullptr &&
           *frames_[0].key == divert_ && frames_[1].node->is_array();
  }
  void Emit() {
    (*element_)(frames_[1].count - 1, std::move(pending_), root);
    pending_ = json();
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
    json* node = Place(std::move(v));
    frames_.push_back({node});
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

absl::StatusOr<nlohmann::json> ParseJson(std::string_view text, std::string_view what) {
  Builder b;
  return Run(b, text, what, false);
}

absl::StatusOr<nlohmann::json> ParseJsonObject(std::string_view text, std::string_view what) {
  Builder b;
  return Run(b, text, what, true);
}

absl::StatusOr<nlohmann::json> ParseJsonStreaming(std::string_view text, std::string_view what, std::string_view member,
                                                  const JsonElementSink& element) {
  Builder b(member, &element);
  return Run(b, text, what, true);
}

}  // namespace cmrv::internal
