#include "internal/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>

namespace cmrv::internal {

namespace {

// The length of the well-formed UTF-8 sequence at `s[i]` (Unicode 15, Table 3-7), 0 if ill-formed:
// nlohmann checks the same table and throws on an ill-formed text, which JsonWriter leaves to it.
std::size_t Utf8Length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0U; };
  const auto in = [](unsigned v, unsigned lo, unsigned hi) { return v >= lo && v <= hi; };
  const unsigned c = b(0);
  if (in(c, 0xC2, 0xDF)) return in(b(1), 0x80, 0xBF) ? 2 : 0;
  if (in(c, 0xE0, 0xEF)) {
    const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return in(b(1), lo, hi) && in(b(2), 0x80, 0xBF) ? 3 : 0;
  }
  if (in(c, 0xF0, 0xF4)) {
    const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return in(b(1), lo, hi) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// `text` between quotes, escaped as nlohmann's serializer escapes with ensure_ascii off.
void AppendEscaped(std::string& out, std::string_view text) {
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet appended
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t n = Utf8Length(text, i);
      if (n == 0) {
        // Ill-formed: nlohmann's own message and exception (type_error 316), as before this writer.
        (void)nlohmann::json(std::string(text)).dump();
      }
      i += n;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(text.data() + run, i - run);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
    run = ++i;
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

}  // namespace

void JsonWriter::NewElement() {
  out_ += empty_.back() ? "\n" : ",\n";
  empty_.back() = false;
  out_.append(empty_.size(), ' ');
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
  } else if (!empty_.empty()) {
    NewElement();  // an array element
  }
}

void JsonWriter::Open(char bracket) {
  Separate();
  out_ += bracket;
  empty_.push_back(true);
}

void JsonWriter::Close(char bracket) {
  const bool was_empty = empty_.back();
  empty_.pop_back();
  if (!was_empty) {
    out_ += '\n';
    out_.append(empty_.size(), ' ');
  }
  out_ += bracket;
}

void JsonWriter::Key(std::string_view key) {
  NewElement();
  AppendEscaped(out_, key);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::String(std::string_view text) {
  Separate();
  AppendEscaped(out_, text);
}

void JsonWriter::Number(double value) {
  Separate();
  if (!std::isfinite(value)) {
    out_ += "null";
    return;
  }
  std::array<char, 64> buffer{};  // nlohmann's number buffer
  char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out_.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

void JsonWriter::Int(std::int64_t value) {
  Separate();
  std::array<char, 24> buffer{};
  const auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out_.append(buffer.data(), static_cast<std::size_t>(r.ptr - buffer.data()));
}

void JsonWriter::Value(const nlohmann::json& value) {
  using nlohmann::json;
  switch (value.type()) {
    case json::value_t::object:
      BeginObject();
      for (auto it = value.begin(); it != value.end(); ++it) {
        Key(it.key());
        Value(it.value());
      }
      EndObject();
      return;
    case json::value_t::array:
      BeginArray();
      for (const auto& element : value) Value(element);
      EndArray();
      return;
    case json::value_t::string: String(value.get_ref<const std::string&>()); return;
    case json::value_t::boolean: Bool(value.get<bool>()); return;
    case json::value_t::number_integer: Int(value.get<std::int64_t>()); return;
    case json::value_t::number_float: Number(value.get<double>()); return;
    case json::value_t::null: Null(); return;
    default: Raw(value.dump()); return;  // unsigned, binary: as nlohmann writes them
  }
}

}  // namespace cmrv::internal
