#include "carbonmrv/units/units.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"
#include "units/unit_registry.hpp"

namespace cmrv {

struct Unit::Terms {
  std::vector<std::string> num, den;
};

// ---------------------------------------------------------------------------------------------
// Kind
// ---------------------------------------------------------------------------------------------

std::string_view AxisName(Axis axis) {
  switch (axis) {
    case Axis::kEnergy: return "energy";
    case Axis::kMass: return "mass";
    case Axis::kProduct: return "product_mass";
    case Axis::kCO2: return "co2_mass";
    case Axis::kCH4: return "ch4_mass";
    case Axis::kN2O: return "n2o_mass";
    case Axis::kCarbon: return "carbon_mass";
    case Axis::kCO2e: return "co2e_mass";
    case Axis::kVolume: return "volume";
    case Axis::kGasVolumeNormal: return "gas_volume_normal";
    case Axis::kGasVolumeScf60: return "gas_volume_scf60";
    case Axis::kTime: return "time";
    case Axis::kTemperatureDifference: return "temperature_difference";
    case Axis::kCelsius: return "celsius_temperature";
    case Axis::kDistance: return "distance";
    case Axis::kPassengerDistance: return "passenger_distance";
    case Axis::kCount_: break;
  }
  return "unknown";
}

namespace {

std::string_view AxisDescription(Axis axis) {
  switch (axis) {
    case Axis::kEnergy: return "energy";
    case Axis::kMass: return "mass of fuel or material";
    case Axis::kProduct: return "mass of product";
    case Axis::kCO2: return "mass of CO2";
    case Axis::kCH4: return "mass of CH4";
    case Axis::kN2O: return "mass of N2O";
    case Axis::kCarbon: return "mass of carbon";
    case Axis::kCO2e: return "CO2-equivalent mass";
    case Axis::kVolume: return "volume at actual conditions";
    case Axis::kGasVolumeNormal: return "gas volume at 0 °C/101.325 kPa";
    case Axis::kGasVolumeScf60: return "gas volume at 60 °F/14.7 psia";
    case Axis::kTime: return "time";
    case Axis::kTemperatureDifference: return "temperature difference";
    case Axis::kCelsius: return "temperature (°C)";
    case Axis::kDistance: return "distance";
    case Axis::kPassengerDistance: return "passenger-distance";
    case Axis::kCount_: break;
  }
  return "unknown";
}

Axis AxisAt(std::size_t i) { return static_cast<Axis>(i); }

bool IsGasVolume(Axis a) { return a == Axis::kGasVolumeNormal || a == Axis::kGasVolumeScf60; }
bool IsGasSpecies(Axis a) { return a == Axis::kCO2 || a == Axis::kCH4 || a == Axis::kN2O; }
bool IsEmission(Axis a) { return IsGasSpecies(a) || a == Axis::kCO2e || a == Axis::kCarbon; }

}  // namespace

Kind Kind::Of(Axis axis, int8_t exponent) {
  Kind k;
  k.exponents[static_cast<std::size_t>(axis)] = exponent;
  return k;
}

bool Kind::IsDimensionless() const {
  return std::all_of(exponents.begin(), exponents.end(), [](int8_t e) { return e == 0; });
}

constexpr int kMaxUnitExponent = 12;

Kind Kind::operator*(const Kind& other) const {
  Kind k;
  for (std::size_t i = 0; i < kAxisCount; ++i) {
    k.exponents[i] = static_cast<int8_t>(exponents[i] + other.exponents[i]);
  }
  return k;
}

Kind Kind::operator/(const Kind& other) const {
  Kind k;
  for (std::size_t i = 0; i < kAxisCount; ++i) {
    k.exponents[i] = static_cast<int8_t>(exponents[i] - other.exponents[i]);
  }
  return k;
}

std::string Kind::Describe() const {
  if (IsDimensionless()) return "dimensionless";
  if (*this == Kind::Of(Axis::kEnergy) / Kind::Of(Axis::kTime)) return "power";
  std::vector<std::string> num, den;
  for (std::size_t i = 0; i < kAxisCount; ++i) {
    int e = exponents[i];  // NOLINT(bugprone-signed-char-misuse): exponents are signed, -12 to 12
    if (e == 0) continue;
    std::string name(AxisDescription(AxisAt(i)));
    int mag = e < 0 ? -e : e;
    if (mag != 1) internal::StrAppend(&name, "^", mag);
    (e > 0 ? num : den).push_back(std::move(name));
  }
  std::string out = num.empty() ? "1" : internal::StrJoin(num, " × ");
  if (!den.empty()) internal::StrAppend(&out, " per ", internal::StrJoin(den, " × "));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

namespace {

// Folds spelling variants into one form: removes white space (so "t CO2e" == "tCO2e" and
// "10^4 Nm3" == "10^4Nm3"), maps superscript/subscript digits and typographic operators to ASCII.
std::string Normalize(std::string_view text) {
  static const std::pair<std::string_view, std::string_view> kReplacements[] = {
      {"³", "3"}, {"²", "2"}, {"⁴", "4"},  {"⁶", "6"}, {"⁸", "8"},  {"₂", "2"},  {"₄", "4"},  {"·", "*"},
      {"×", "*"}, {"⋅", "*"}, {"／", "/"}, {"−", "-"}, {"－", "-"}, {"（", "("}, {"）", ")"}, {"　", ""},
  };
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    bool replaced = false;
    if (static_cast<unsigned char>(c) >= 0x80) {
      for (const auto& [from, to] : kReplacements) {
        if (text.substr(i, from.size()) == from) {
          out.append(to);
          i += from.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct Lookup {
  // Normalised spelling → atom index, longest spellings first for greedy prefix matching.
  std::vector<std::pair<std::string, std::size_t>> atom_names;
  std::map<std::string, std::size_t, std::less<>> suffixes;  // spelling → suffix index
  std::map<std::string, std::string_view, std::less<>> ambiguous;
  // Spelling → canonical symbol, for suggestions.
  std::vector<std::pair<std::string, std::string>> suggestions;
};

const Lookup& GetLookup() {
  static const Lookup lookup = [] {
    Lookup l;
    const auto& atoms = internal::UnitAtoms();
    for (std::size_t i = 0; i < atoms.size(); ++i) {
      l.atom_names.emplace_back(Normalize(atoms[i].symbol), i);
      for (auto alias : atoms[i].aliases) l.atom_names.emplace_back(Normalize(alias), i);
    }
    std::stable_sort(l.atom_names.begin(), l.atom_names.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    const auto& suffixes = internal::MassSuffixes();
    for (std::size_t i = 0; i < suffixes.size(); ++i) {
      for (auto s : suffixes[i].spellings) l.suffixes.emplace(Normalize(s), i);
    }
    for (const auto& a : internal::AmbiguousNames()) l.ambiguous.emplace(Normalize(a.name), a.explanation);
    for (const auto& [name, idx] : l.atom_names) {
      l.suggestions.emplace_back(name, std::string(atoms[idx].symbol));
      if (atoms[idx].kind == Kind::Of(Axis::kMass) && (name == "t" || name == "kg")) {
        for (const auto& s : suffixes) {
          for (auto sp : s.spellings) {
            l.suggestions.emplace_back(name + Normalize(sp), internal::StrCat(atoms[idx].symbol, s.canonical));
          }
        }
      }
    }
    return l;
  }();
  return lookup;
}

std::string Suggest(std::string_view term) {
  if (term.size() > internal::kMaxSuggestBytes) return "";
  const auto& l = GetLookup();
  std::string lowered = ToLower(term);
  std::vector<std::pair<double, std::string>> scored;
  for (const auto& [name, canonical] : l.suggestions) {
    double d = static_cast<double>(internal::EditDistance(term, name));
    if (ToLower(name) == lowered) d = 0.5;  // only the case differs
    scored.emplace_back(d, canonical);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  auto limit = std::max<double>(2.0, static_cast<double>(internal::EditDistance(term, "")) / 2.0);
  std::vector<std::string> picked;
  // Only the nearest spellings (ties included): "tonn" → "t" (via "tonne"), not every 2-edit name.
  const double best = scored.empty() ? limit + 1 : scored.front().first;
  for (const auto& [d, canonical] : scored) {
    if (d > limit || d > best || picked.size() == 3) break;
    if (std::find(picked.begin(), picked.end(), canonical) == picked.end()) {
      picked.push_back(canonical);
    }
  }
  if (picked.empty()) return "";
  std::vector<std::string> quoted;
  quoted.reserve(picked.size());
  for (const auto& p : picked) quoted.push_back(internal::StrCat("\"", p, "\""));
  return internal::StrCat("; did you mean ", internal::StrJoin(quoted, " or "), "?");
}

std::string Quote(std::string_view s) { return internal::StrCat("\"", s, "\""); }

std::string FormatDouble(double v) { return internal::StrCat(v); }

}  // namespace

class UnitParser {
 public:
  static absl::StatusOr<Unit> Parse(std::string_view original) {
    std::string text = Normalize(original);
    if (text.empty()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kUnitSyntax, "empty unit string");
    }
    auto slash = text.find('/');
    if (slash != std::string::npos && text.find('/', slash + 1) != std::string::npos) {
      return MakeError(
          absl::StatusCode::kInvalidArgument, ErrorDetail::kUnitSyntax,
          internal::StrCat("unit ", Quote(original), ": at most one '/' is allowed; write a/(b*c) as a/b*c"));
    }
    std::string_view whole(text);
    std::string_view numerator = whole.substr(0, slash);
    std::string_view denominator = slash == std::string::npos ? std::string_view() : whole.substr(slash + 1);
    if (slash != std::string::npos && StripParens(denominator).empty()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kUnitSyntax,
                       internal::StrCat(Quote(original), ": nothing after '/'"));
    }
    Unit unit;
    if (auto s = ParseProduct(original, numerator, unit, false); !s.ok()) return s;
    if (slash != std::string::npos) {
      if (auto s = ParseProduct(original, StripParens(denominator), unit, true); !s.ok()) return s;
    }
    return unit;
  }

  static Unit Combine(const Unit& a, const Unit& b, bool divide) {
    Unit u;
    u.kind_ = divide ? a.kind_ / b.kind_ : a.kind_ * b.kind_;
    u.num_ = divide ? a.num_ * b.den_ : a.num_ * b.num_;
    u.den_ = divide ? a.den_ * b.num_ : a.den_ * b.den_;
    u.terms_ = a.terms_;
    if (b.terms_) {
      const auto& bn = divide ? b.terms_->den : b.terms_->num;
      const auto& bd = divide ? b.terms_->num : b.terms_->den;
      for (const auto& t : bn) AddTerm(u, t, false);
      for (const auto& t : bd) AddTerm(u, t, true);
    }
    return u;
  }

 private:
  static std::string_view StripParens(std::string_view s) {
    if (s.size() >= 2 && s.front() == '(' && s.back() == ')') return s.substr(1, s.size() - 2);
    return s;
  }

  // Adds a symbol term, cancelling an identical term on the other side (t × GJ/t → GJ).
  static void AddTerm(Unit& u, const std::string& term, bool to_denominator) {
    if (term == "1") return;
    Unit::Terms& terms = OwnTerms(u);
    auto& other = to_denominator ? terms.num : terms.den;
    if (auto it = std::find(other.begin(), other.end(), term); it != other.end()) {
      other.erase(it);
      return;
    }
    (to_denominator ? terms.den : terms.num).push_back(term);
  }

  // The terms of `u` to change: its own, or a copy when they are shared with another unit.
  static Unit::Terms& OwnTerms(Unit& u) {
    if (!u.terms_) {
      u.terms_ = std::make_shared<Unit::Terms>();
    } else if (u.terms_.use_count() > 1) {
      u.terms_ = std::make_shared<Unit::Terms>(*u.terms_);
    }
    return *u.terms_;
  }

  static absl::Status ParseProduct(std::string_view original, std::string_view side, Unit& unit, bool denominator) {
    std::size_t start = 0;
    while (start <= side.size()) {
      std::size_t star = side.find('*', start);
      std::string_view term =
          side.substr(start, star == std::string_view::npos ? std::string_view::npos : star - start);
      if (term.empty()) {
        return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kUnitSyntax,
                         internal::StrCat(Quote(original), ": empty factor around '*' or '/'"));
      }
      if (auto s = ParseTerm(original, term, unit, denominator); !s.ok()) return s;
      if (star == std::string_view::npos) break;
      start = star + 1;
    }
    return absl::OkStatus();
  }

  // term := [multiplier] atom [suffix];  multiplier := 10^N | 10**N | 1eN | 万 | 亿
  static absl::Status ParseTerm(std::string_view original, std::string_view term, Unit& unit, bool denominator) {
    double multiplier = 1.0;
    int exponent = 0;
    std::string_view rest = term;
    auto parse_exponent = [&](std::size_t skip) -> bool {
      std::string_view digits = rest.substr(skip);
      int value = 0;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec != std::errc() || ptr == digits.data() || value < -24 || value > 24) return false;
      exponent = value;
      multiplier = std::pow(10.0, value);
      rest = digits.substr(static_cast<std::size_t>(ptr - digits.data()));
      return true;
    };
    bool has_prefix = false;
    if (rest.starts_with("10^") || rest.starts_with("10**")) {
      has_prefix = parse_exponent(rest[2] == '^' ? 3 : 4);
    } else if (rest.size() > 2 && rest[0] == '1' && (rest[1] == 'e' || rest[1] == 'E') &&
               (std::isdigit(static_cast<unsigned char>(rest[2])) || rest[2] == '-')) {
      has_prefix = parse_exponent(2);
    } else if (rest.starts_with("万")) {
      multiplier = 1e4, exponent = 4, rest.remove_prefix(std::string_view("万").size());
      has_prefix = true;
    } else if (rest.starts_with("亿")) {
      multiplier = 1e8, exponent = 8, rest.remove_prefix(std::string_view("亿").size());
      has_prefix = true;
    }
    if (has_prefix && rest.empty()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kUnitSyntax,
                       internal::StrCat(Quote(original), ": multiplier ", Quote(term), " is not followed by a unit"));
    }
    const auto& l = GetLookup();
    if (auto it = l.ambiguous.find(rest); it != l.ambiguous.end()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kAmbiguousUnit,
                       internal::StrCat(Quote(original), ": ", it->second));
    }
    const auto& atoms = internal::UnitAtoms();
    const auto& suffixes = internal::MassSuffixes();
    for (const auto& [name, idx] : l.atom_names) {
      if (!rest.starts_with(name)) continue;
      std::string_view tail = rest.substr(name.size());
      const auto& atom = atoms[idx];
      Kind kind = atom.kind;
      std::string symbol(atom.symbol);
      if (!tail.empty()) {
        if (atom.kind != Kind::Of(Axis::kMass)) continue;
        auto sit = l.suffixes.find(tail);
        if (sit == l.suffixes.end()) continue;
        kind = Kind::Of(suffixes[sit->second].axis);
        internal::StrAppend(&symbol, suffixes[sit->second].canonical);
        if (suffixes[sit->second].axis == Axis::kProduct) symbol = internal::StrCat(atom.symbol, " product");
      }
      if (has_prefix) symbol = internal::StrCat("10^", exponent, " ", symbol);
      unit.kind_ = denominator ? unit.kind_ / kind : unit.kind_ * kind;
      // Exponents are int8: bound them long before they could wrap (256 × J once wrapped to a
      // dimensionless unit). No physical unit needs more than a few; 12 leaves room for products.
      for (int8_t e : unit.kind_.exponents) {
        if (e > kMaxUnitExponent || e < -kMaxUnitExponent) {
          return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kUnitSyntax,
                           internal::StrCat(Quote(original), ": a dimension's exponent exceeds ", kMaxUnitExponent));
        }
      }
      if (denominator) {
        unit.num_ *= atom.den;
        unit.den_ *= atom.num * multiplier;
      } else {
        unit.num_ *= atom.num * multiplier;
        unit.den_ *= atom.den;
      }
      AddTerm(unit, symbol, denominator);
      return absl::OkStatus();
    }
    std::string where =
        term == std::string_view(Normalize(original)) ? "" : internal::StrCat(" (in ", Quote(original), ")");
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kUnknownUnit,
                     internal::StrCat("unknown unit ", Quote(term), where, Suggest(rest)));
  }
};

absl::StatusOr<Unit> Unit::Parse(std::string_view text) { return UnitParser::Parse(text); }

std::string Unit::symbol() const {
  if (!terms_) return "1";
  auto join = [](const std::vector<std::string>& terms) { return internal::StrJoin(terms, "*"); };
  const auto& [num, den] = *terms_;
  std::string out = num.empty() ? "1" : join(num);
  if (den.size() == 1) internal::StrAppend(&out, "/", den[0]);
  if (den.size() > 1) internal::StrAppend(&out, "/(", join(den), ")");
  return out;
}

bool Unit::operator==(const Unit& other) const {
  static const Terms kNone;
  const Terms& a = terms_ ? *terms_ : kNone;
  const Terms& b = other.terms_ ? *other.terms_ : kNone;
  return num_ == other.num_ && den_ == other.den_ && kind_ == other.kind_ && a.num == b.num && a.den == b.den;
}

Unit Unit::operator*(const Unit& other) const { return UnitParser::Combine(*this, other, false); }
Unit Unit::operator/(const Unit& other) const { return UnitParser::Combine(*this, other, true); }

// ---------------------------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------------------------

namespace {

// What a conversion between two kinds would need, for the error message.
std::string_view IncompatibleHint(const Kind& from, const Kind& to) {
  Kind diff = from / to;
  std::vector<Axis> axes;
  for (std::size_t i = 0; i < kAxisCount; ++i) {
    if (diff.exponents[i] != 0) axes.push_back(AxisAt(i));
  }
  auto has = [&](auto pred) { return std::any_of(axes.begin(), axes.end(), pred); };
  auto is = [](Axis a) { return [a](Axis b) { return a == b; }; };
  auto only = [&](auto pred) { return std::all_of(axes.begin(), axes.end(), pred); };
  if (only(IsGasVolume)) {
    return "the gas reference states differ; use the reference-state conversion "
           "(cmrv_unit_convert_gas_state, carbonmrv.convert_gas_state)";
  }
  if (has(is(Axis::kVolume)) && has(IsGasVolume) && only([](Axis a) { return a == Axis::kVolume || IsGasVolume(a); })) {
    return "a volume at actual conditions needs its temperature and pressure to become a gas volume "
           "at a reference state (cmrv_unit_convert_actual_gas)";
  }
  if (has(is(Axis::kCarbon)) && has(is(Axis::kCO2)) && axes.size() == 2) {
    return "carbon to CO2 needs a declared ratio (44/12 in the Chinese guidelines and IPCC 2006, "
           "3.664 in EU MRR Art. 3/Annex II): apply it as a factor in tCO2/tC";
  }
  if (has(is(Axis::kCO2e)) && has(IsGasSpecies) && axes.size() == 2) {
    return "a gas mass to CO2e needs a GWP set: apply the GWP as a factor, e.g. in tCO2e/tCH4";
  }
  if (has(is(Axis::kEnergy)) && has([](Axis a) { return a == Axis::kMass || a == Axis::kVolume || IsGasVolume(a); })) {
    return "a fuel quantity and energy are related by the fuel's calorific value (NCV or GCV): "
           "apply it as a factor, e.g. in GJ/t or GJ/10^4 Nm3";
  }
  if (has(IsEmission) && !only(IsEmission)) {
    return "an emission and an activity are related by an emission factor: apply it as a factor, "
           "e.g. in tCO2/TJ";
  }
  if (has(is(Axis::kCelsius)) && has(is(Axis::kTemperatureDifference)) && axes.size() == 2) {
    return "a temperature in °C is not a temperature difference in K: subtract a reference "
           "temperature (T − T_ref) to get one";
  }
  if (has(is(Axis::kProduct)) && has(is(Axis::kMass))) {
    return "a mass of fuel or material is not product output";
  }
  return "";
}

absl::Status IncompatibleError(const Unit& from, const Unit& to) {
  std::string hint(IncompatibleHint(from.kind(), to.kind()));
  return MakeError(
      absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
      internal::StrCat("cannot convert ", Quote(from.symbol()), " (", from.kind().Describe(), ") to ",
                       Quote(to.symbol()), " (", to.kind().Describe(), ")", hint.empty() ? "" : ": ", hint));
}

absl::Status NonFiniteError(double value, std::string_view what) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kNonFiniteValue,
                   internal::StrCat(what, " is ", FormatDouble(value), "; a finite number is required"));
}

// The one formula every conversion path uses, so scalar and array results are bit-identical:
// value * (from.num * to.den) / (from.den * to.num). Grouping the exact-integer products first
// keeps common conversions (tce→GJ, tCO2/MWh→kgCO2/kWh) correctly rounded.
struct Ratio {
  double a;
  double b;
  double Apply(double v) const { return v * a / b; }
};
Ratio RatioOf(const Unit& from, const Unit& to) {
  return {from.scale_numerator() * to.scale_denominator(), from.scale_denominator() * to.scale_numerator()};
}

absl::StatusOr<double> Checked(double result, double value, const Unit& from, const Unit& to) {
  if (!std::isfinite(result)) {
    return MakeError(absl::StatusCode::kOutOfRange, ErrorDetail::kOverflow,
                     internal::StrCat(FormatDouble(value), " ", from.symbol(), " in ", to.symbol(),
                                      " is not representable as a finite double"));
  }
  return result;
}

}  // namespace

absl::StatusOr<double> Convert(double value, const Unit& from, const Unit& to) {
  if (!std::isfinite(value)) return NonFiniteError(value, "value");
  if (from.kind() != to.kind()) return IncompatibleError(from, to);
  return Checked(RatioOf(from, to).Apply(value), value, from, to);
}

absl::StatusOr<double> Convert(double value, std::string_view from, std::string_view to) {
  auto f = Unit::Parse(from);
  if (!f.ok()) return WithContext(f.status(), "from_unit");
  auto t = Unit::Parse(to);
  if (!t.ok()) return WithContext(t.status(), "to_unit");
  return Convert(value, *f, *t);
}

absl::Status ConvertStrided(const Unit& from, const Unit& to, const double* in, std::size_t in_stride_bytes,
                            std::size_t count, double* out, std::size_t out_stride_bytes) {
  if (count == 0) return absl::OkStatus();
  if (in == nullptr || out == nullptr) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kNullArgument,
                     in == nullptr ? "in is NULL but count > 0" : "out is NULL but count > 0");
  }
  if (out_stride_bytes < sizeof(double)) {
    return MakeError(
        absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
        internal::StrCat("out_stride_bytes ", out_stride_bytes,
                         " is below sizeof(double); outputs need a stride of at least 8 (0 is for inputs)"));
  }
  if (from.kind() != to.kind()) return IncompatibleError(from, to);
  const Ratio r = RatioOf(from, to);
  const auto* in_bytes = reinterpret_cast<const unsigned char*>(in);
  auto* out_bytes = reinterpret_cast<unsigned char*>(out);
  auto load = [&](std::size_t i) {
    double v;
    std::memcpy(&v, in_bytes + i * in_stride_bytes, sizeof v);  // strides need not be aligned
    return v;
  };
  // Validate everything first so that an error leaves `out` untouched (no partial result).
  for (std::size_t i = 0; i < count; ++i) {
    double v = load(i);
    if (!std::isfinite(v)) return NonFiniteError(v, internal::StrCat("element [", i, "]"));
    if (!std::isfinite(r.Apply(v))) {
      return WithContext(Checked(r.Apply(v), v, from, to).status(), internal::StrCat("element [", i, "]"));
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    double v = r.Apply(load(i));
    std::memcpy(out_bytes + i * out_stride_bytes, &v, sizeof v);
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Quantity
// ---------------------------------------------------------------------------------------------

absl::StatusOr<Quantity> Quantity::Create(double value, Unit unit) {
  if (!std::isfinite(value)) return NonFiniteError(value, "value");
  return Quantity(value, std::move(unit));
}

absl::StatusOr<Quantity> Quantity::Create(double value, std::string_view unit) {
  auto u = Unit::Parse(unit);
  if (!u.ok()) return u.status();
  return Create(value, *std::move(u));
}

absl::StatusOr<Quantity> Quantity::To(const Unit& unit) const {
  auto v = Convert(value_, unit_, unit);
  if (!v.ok()) return v.status();
  return Quantity(*v, unit);
}

absl::StatusOr<Quantity> Quantity::To(std::string_view unit) const {
  auto u = Unit::Parse(unit);
  if (!u.ok()) return u.status();
  return To(*u);
}

std::string Quantity::ToString() const { return internal::StrCat(FormatDouble(value_), " ", unit_.symbol()); }

namespace {
absl::StatusOr<Quantity> AddOrSubtract(const Quantity& a, const Quantity& b, bool subtract) {
  if (a.unit().kind() != b.unit().kind()) {
    return MakeError(
        absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
        internal::StrCat("cannot ", subtract ? "subtract " : "add ", b.ToString(), " (", b.unit().kind().Describe(),
                         subtract ? ") from " : ") to ", a.ToString(), " (", a.unit().kind().Describe(), ")"));
  }
  auto bv = Convert(b.value(), b.unit(), a.unit());
  if (!bv.ok()) return bv.status();
  return Quantity::Create(subtract ? a.value() - *bv : a.value() + *bv, a.unit());
}
}  // namespace

absl::StatusOr<Quantity> Add(const Quantity& a, const Quantity& b) { return AddOrSubtract(a, b, false); }
absl::StatusOr<Quantity> Subtract(const Quantity& a, const Quantity& b) { return AddOrSubtract(a, b, true); }

absl::StatusOr<Quantity> Multiply(const Quantity& a, const Quantity& b) {
  auto q = Quantity::Create(a.value() * b.value(), a.unit() * b.unit());
  if (!q.ok()) return WithContext(q.status(), "product overflowed");
  return q;
}

absl::StatusOr<Quantity> Divide(const Quantity& a, const Quantity& b) {
  if (b.value() == 0.0) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     internal::StrCat("division of ", a.ToString(), " by zero (", b.ToString(), ")"));
  }
  auto q = Quantity::Create(a.value() / b.value(), a.unit() / b.unit());
  if (!q.ok()) return WithContext(q.status(), "quotient overflowed");
  return q;
}

absl::StatusOr<double> ApplyFactor(double value, const Unit& unit, double factor, const Unit& factor_unit,
                                   const Unit& to) {
  if (!std::isfinite(value)) return NonFiniteError(value, "value");
  if (!std::isfinite(factor)) return NonFiniteError(factor, "factor");
  Unit product = unit * factor_unit;
  if (product.kind() != to.kind()) {
    return MakeError(
        absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
        internal::StrCat("a factor in ", Quote(factor_unit.symbol()), " applied to ", Quote(unit.symbol()), " gives ",
                         product.kind().Describe(), ", not ", to.kind().Describe(), " (", Quote(to.symbol()), ")"));
  }
  // An overflow names the value and the factor: either may be the wrong one.
  const double result = RatioOf(product, to).Apply(value * factor);
  if (!std::isfinite(result)) {
    return MakeError(
        absl::StatusCode::kOutOfRange, ErrorDetail::kOverflow,
        internal::StrCat(FormatDouble(value), " ", unit.symbol(), " × factor ", FormatDouble(factor), " ",
                         factor_unit.symbol(), " in ", to.symbol(), " is not representable as a finite double"));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Context conversions
// ---------------------------------------------------------------------------------------------

std::optional<GasReferenceState> ReferenceStateOf(Axis axis) {
  switch (axis) {
    case Axis::kGasVolumeNormal:
      return GasReferenceState{"normal (0 °C, 101.325 kPa)", 273.15, 101325.0,
                               "ISO 13443:1996 / DIN 1343; Chinese 标准状态"};
    case Axis::kGasVolumeScf60:
      // 60 °F = 288.705556 K; 14.7 psia × 6894.757293168 Pa/psi (NIST SP 811 B.8).
      return GasReferenceState{"US standard (60 °F, 14.7 psia)", (60.0 + 459.67) * 5.0 / 9.0, 14.7 * 6894.757293168,
                               "40 CFR 98.6 (60 °F branch)"};
    default: return std::nullopt;
  }
}

namespace {
// Moles per base gas-volume unit at the axis' reference state, up to the gas constant (which
// cancels): n/V = p/(R T) ∝ p/T.
double AmountPerVolume(Axis axis) {
  auto s = ReferenceStateOf(axis);
  return s->pressure_pa / s->temperature_k;
}

// Folds every gas-volume axis into one "amount of gas" exponent and returns the factor that turns a
// value's gas volumes into that amount.
std::pair<Kind, double> GasAmountForm(const Kind& kind) {
  Kind folded = kind;
  double factor = 1.0;
  int total = 0;
  for (Axis a : {Axis::kGasVolumeNormal, Axis::kGasVolumeScf60}) {
    int e = kind[a];  // NOLINT(bugprone-signed-char-misuse): exponents are signed, -12 to 12
    total += e;
    factor *= std::pow(AmountPerVolume(a), e);
    folded.exponents[static_cast<std::size_t>(a)] = 0;
  }
  folded.exponents[static_cast<std::size_t>(Axis::kGasVolumeNormal)] = static_cast<int8_t>(total);
  return {folded, factor};
}
}  // namespace

absl::StatusOr<double> ConvertGasReferenceState(double value, const Unit& from, const Unit& to) {
  if (!std::isfinite(value)) return NonFiniteError(value, "value");
  auto has_gas = [](const Kind& k) { return k[Axis::kGasVolumeNormal] != 0 || k[Axis::kGasVolumeScf60] != 0; };
  for (const Unit* u : {&from, &to}) {
    if (!has_gas(u->kind())) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
                       internal::StrCat(Quote(u->symbol()), " (", u->kind().Describe(),
                                        ") has no gas volume at a reference state (Nm3, scf)"));
    }
  }
  auto [fk, ff] = GasAmountForm(from.kind());
  auto [tk, tf] = GasAmountForm(to.kind());
  if (fk != tk) return IncompatibleError(from, to);
  double base = RatioOf(from, to).Apply(value);
  return Checked(base * ff / tf, value, from, to);
}

absl::StatusOr<double> ConvertActualGasVolume(double value, const Unit& from, double temperature_k, double pressure_pa,
                                              const Unit& to) {
  if (!std::isfinite(value)) return NonFiniteError(value, "value");
  if (!std::isfinite(temperature_k) || temperature_k <= 0) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     internal::StrCat("temperature_k is ", FormatDouble(temperature_k),
                                      "; an absolute temperature > 0 K is required"));
  }
  if (!std::isfinite(pressure_pa) || pressure_pa <= 0) {
    return MakeError(
        absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
        internal::StrCat("pressure_pa is ", FormatDouble(pressure_pa), "; an absolute pressure > 0 Pa is required"));
  }
  if (from.kind() != Kind::Of(Axis::kVolume)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
                     internal::StrCat(Quote(from.symbol()), " (", from.kind().Describe(),
                                      ") is not a volume at actual conditions (m3, L, ft3)"));
  }
  Axis target = Axis::kCount_;
  for (Axis a : {Axis::kGasVolumeNormal, Axis::kGasVolumeScf60}) {
    if (to.kind() == Kind::Of(a)) target = a;
  }
  if (target == Axis::kCount_) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
                     internal::StrCat(Quote(to.symbol()), " (", to.kind().Describe(),
                                      ") is not a gas volume at a reference state (Nm3, scf)"));
  }
  // V_ref = V_actual × (p / p_ref) × (T_ref / T), ideal gas.
  double m3 = value * from.scale_numerator() / from.scale_denominator();
  double amount_ratio = (pressure_pa / temperature_k) / AmountPerVolume(target);
  double v_ref = m3 * amount_ratio * to.scale_denominator() / to.scale_numerator();
  return Checked(v_ref, value, from, to);
}

absl::StatusOr<double> ElectricityToStandardCoal(double value, const Unit& unit, ElectricityConvention convention,
                                                 std::optional<double> coal_rate_kgce_per_kwh, const Unit& to) {
  if (!std::isfinite(value)) return NonFiniteError(value, "value");
  const Kind energy = Kind::Of(Axis::kEnergy);
  if (unit.kind() != energy) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
                     internal::StrCat("electricity must be given in an energy unit (kWh, MWh, 10^4 kWh); ",
                                      Quote(unit.symbol()), " is ", unit.kind().Describe()));
  }
  if (to.kind() != energy) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
                     internal::StrCat("standard coal must be an energy unit (kgce, tce, 10^4 tce); ",
                                      Quote(to.symbol()), " is ", to.kind().Describe()));
  }
  double rate = 0;
  switch (convention) {
    case ElectricityConvention::kCalorific:
      if (coal_rate_kgce_per_kwh.has_value()) {
        return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                         "coal_rate_kgce_per_kwh is only used with the equivalent-value (等价值) "
                         "convention; the calorific (当量值) coefficient is fixed at 0.1229 kgce/kWh");
      }
      rate = kElectricityCalorificKgcePerKwh;
      break;
    case ElectricityConvention::kEquivalent:
      if (!coal_rate_kgce_per_kwh.has_value()) {
        return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kNeedsContext,
                         "the equivalent-value (等价值) convention needs coal_rate_kgce_per_kwh, the "
                         "year's thermal generation standard-coal consumption (e.g. 0.3 kgce/kWh)");
      }
      rate = *coal_rate_kgce_per_kwh;
      if (!std::isfinite(rate) || rate <= 0 || rate > 1) {
        return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                         internal::StrCat("coal_rate_kgce_per_kwh is ", FormatDouble(rate),
                                          "; expected a generation coal rate in (0, 1] kgce/kWh"));
      }
      break;
    default:
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       internal::StrCat("convention ", static_cast<int32_t>(convention),
                                        " is not an ElectricityConvention (1 calorific, 2 equivalent)"));
  }
  static const Unit kwh = *Unit::Parse("kWh");
  static const Unit kgce_per_kwh = *Unit::Parse("kgce/kWh");
  auto kwh_value = Convert(value, unit, kwh);
  if (!kwh_value.ok()) return kwh_value.status();
  return ApplyFactor(*kwh_value, kwh, rate, kgce_per_kwh, to);
}

// ---------------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------------

const std::vector<UnitInfo>& ListUnits() {
  static const std::vector<UnitInfo> infos = [] {
    std::vector<UnitInfo> out;
    for (const auto& a : internal::UnitAtoms()) {
      UnitInfo info;
      info.symbol = std::string(a.symbol);
      for (auto alias : a.aliases) info.aliases.emplace_back(alias);
      info.kind = a.kind.Describe();
      info.scale = a.num / a.den;
      info.definition = std::string(a.definition);
      info.source = std::string(a.source);
      out.push_back(std::move(info));
    }
    return out;
  }();
  return infos;
}

std::vector<std::pair<std::string, std::string>> ListMassSuffixes() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : internal::MassSuffixes()) {
    for (auto sp : s.spellings) out.emplace_back(std::string(sp), std::string(AxisName(s.axis)));
  }
  return out;
}

}  // namespace cmrv
