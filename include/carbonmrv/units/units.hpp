// carbonmrv — physical units and quantity kinds for industrial carbon accounting.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// A unit is a scale to a canonical base unit plus a *kind*: a vector of exponents over axes that keep
// apart what carbon accounting must never mix. A tonne of coal, a tonne of CO2, a tonne of CH4, a tonne
// of CO2e and a tonne of product are five different axes; so are gas volumes at different reference
// states. Two units convert into each other only when their kinds are equal. Conversions that need
// context — fuel mass to energy (an NCV), gas to CO2e (a GWP set), carbon to CO2 (44/12 or 3.664),
// electricity to standard coal under GB/T 2589 (当量值 or 等价值), gas volume between reference states —
// are separate, named functions or a multiplication by an explicit factor; never implicit.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cmrv {

/// Axes of a kind. The order is internal (not part of any ABI); names are stable.
enum class Axis : uint8_t {
  kEnergy = 0,       ///< base J
  kMass,             ///< mass of a fuel or material, base kg
  kProduct,          ///< mass of product output, base kg
  kCO2,              ///< mass of CO2, base kg
  kCH4,              ///< mass of CH4, base kg
  kN2O,              ///< mass of N2O, base kg
  kCarbon,           ///< mass of carbon (C), base kg
  kCO2e,             ///< CO2-equivalent mass, base kg
  kVolume,           ///< volume at actual (unstated) conditions, base m3
  kGasVolumeNormal,  ///< gas volume at 0 °C, 101.325 kPa (Nm3), base Nm3
  kGasVolumeScf60,   ///< gas volume at 60 °F, 14.7 psia (US scf), base m3 at that state
  kTime,             ///< base s
  /// Temperature *difference*, base K (heat capacity kJ/(kg·K), a rise T − T_ref).
  kTemperatureDifference,
  /// Temperature on the Celsius scale (°C), kept apart from K: an absolute temperature and a
  /// difference only convert with an offset, which a scale factor cannot express.
  kCelsius,
  kDistance,           ///< base m (freight as t·km is mass × distance)
  kPassengerDistance,  ///< passenger-distance of travel, base passenger·km (business travel, commuting)
  kCount_,             // number of axes; keep last
};
inline constexpr std::size_t kAxisCount = static_cast<std::size_t>(Axis::kCount_);

/// Stable machine name of an axis ("energy", "co2_mass", "gas_volume_normal", ...).
std::string_view AxisName(Axis axis);

/// A kind: integer exponents over the axes. Energy/mass of fuel (an NCV) is {energy:1, mass:-1}.
struct Kind {
  std::array<int8_t, kAxisCount> exponents{};

  static Kind Of(Axis axis, int8_t exponent = 1);
  int8_t operator[](Axis axis) const { return exponents[static_cast<std::size_t>(axis)]; }
  bool IsDimensionless() const;
  Kind operator*(const Kind& other) const;
  Kind operator/(const Kind& other) const;
  bool operator==(const Kind& other) const = default;
  /// Human-readable description, e.g. "mass of CO2 per energy".
  std::string Describe() const;
};

/// A parsed unit: `value_in_unit * scale()` is the value in the kind's base units.
class Unit {
 public:
  /// Parses a unit string: SI/English symbols, Chinese names, compound "a/b" and "a*b" forms, a
  /// multiplier prefix (10^4, 1e4, 万, 亿) and a gas/product suffix (t CO2e, 吨二氧化碳, t product).
  /// Errors: kUnknownUnit (with the nearest known units), kUnitSyntax, kAmbiguousUnit.
  static absl::StatusOr<Unit> Parse(std::string_view text);

  /// Base units per unit. Kept internally as numerator/denominator products of the atoms' defining
  /// values so that e.g. tCO2/MWh → kgCO2/kWh divides exact integers and stays exact.
  double scale() const { return num_ / den_; }
  double scale_numerator() const { return num_; }
  double scale_denominator() const { return den_; }
  const Kind& kind() const { return kind_; }
  /// The canonical spelling ("10^4 Nm3", "tCO2/MWh").
  std::string symbol() const;

  /// Compound units; identical terms in numerator and denominator cancel in the symbol.
  Unit operator*(const Unit& other) const;
  Unit operator/(const Unit& other) const;
  bool operator==(const Unit& other) const;
  /// The dimensionless unit "1".
  Unit() = default;

 private:
  friend class UnitParser;
  /// The symbol's terms, numerator and denominator (units.cpp). Shared by the copies of a unit — a
  /// document's activity records each hold the unit of their quantity, a million copies of "t" — and
  /// never changed once shared (a copy is made before a change when it is).
  struct Terms;
  double num_ = 1.0;
  double den_ = 1.0;
  Kind kind_;
  std::shared_ptr<Terms> terms_;  // null: no terms (the unit "1")
};

/// Converts `value` from one unit to another of the same kind: value * from.scale / to.scale.
/// Errors: kNonFiniteValue (NaN/inf input), kIncompatibleUnits (with a hint naming the context a
/// conversion between these kinds would need), kOverflow (result not finite).
absl::StatusOr<double> Convert(double value, const Unit& from, const Unit& to);
absl::StatusOr<double> Convert(double value, std::string_view from, std::string_view to);

/// Strided array conversion (byte strides, as in PROJ's proj_trans_generic). Validates every element
/// before writing any output, so on error `out` is untouched; the error names the element index.
/// `out` may alias `in` when the strides are equal.
absl::Status ConvertStrided(const Unit& from, const Unit& to, const double* in, std::size_t in_stride_bytes,
                            std::size_t count, double* out, std::size_t out_stride_bytes);

/// A value with its unit. Immutable; arithmetic checks kinds.
class Quantity {
 public:
  /// Fails with kNonFiniteValue for NaN/inf.
  static absl::StatusOr<Quantity> Create(double value, Unit unit);
  static absl::StatusOr<Quantity> Create(double value, std::string_view unit);

  double value() const { return value_; }
  const Unit& unit() const { return unit_; }
  /// The same quantity expressed in another unit of the same kind.
  absl::StatusOr<Quantity> To(const Unit& unit) const;
  absl::StatusOr<Quantity> To(std::string_view unit) const;
  /// "29.3076 GJ" (shortest round-trip formatting of the value).
  std::string ToString() const;

 private:
  Quantity(double value, Unit unit) : value_(value), unit_(std::move(unit)) {}
  double value_;
  Unit unit_;
};

/// Sum/difference: both operands must be of one kind; the result is in the left operand's unit.
absl::StatusOr<Quantity> Add(const Quantity& a, const Quantity& b);
absl::StatusOr<Quantity> Subtract(const Quantity& a, const Quantity& b);
/// Product/quotient: kinds combine (t × GJ/t → GJ·t/t simplifies to energy); the unit is compound.
absl::StatusOr<Quantity> Multiply(const Quantity& a, const Quantity& b);
absl::StatusOr<Quantity> Divide(const Quantity& a, const Quantity& b);

/// The explicit way to apply a context factor (an NCV, an emission factor, a GWP in tCO2e/tCH4, a
/// carbon-to-CO2 ratio in tCO2/tC): value × factor, expressed in `to`. Fails with kIncompatibleUnits
/// unless unit × factor_unit has the kind of `to` — so a factor per GJ cannot be applied to tonnes.
absl::StatusOr<double> ApplyFactor(double value, const Unit& unit, double factor, const Unit& factor_unit,
                                   const Unit& to);

/// A gas reference state for volume conversions (ideal gas: V ∝ T / p at fixed amount).
struct GasReferenceState {
  std::string_view name;
  double temperature_k;
  double pressure_pa;
  std::string_view source;
};
/// The reference state of a gas-volume axis; nullopt for other axes.
std::optional<GasReferenceState> ReferenceStateOf(Axis axis);

/// Converts between units that differ only in the reference state of their gas volumes (Nm3 ↔ scf,
/// GJ/10^4 Nm3 ↔ MMBtu/Mscf), treating the gas as ideal (compressibility ignored; natural gas
/// Z ≈ 0.998 at these states, so the error is about 0.2 % at most). Other kinds: kIncompatibleUnits.
absl::StatusOr<double> ConvertGasReferenceState(double value, const Unit& from, const Unit& to);

/// Converts a volume measured at actual conditions (a unit of kind volume, e.g. m3) at the given
/// absolute temperature and pressure to a gas volume at a reference state (e.g. Nm3).
absl::StatusOr<double> ConvertActualGasVolume(double value, const Unit& from, double temperature_k, double pressure_pa,
                                              const Unit& to);

/// GB/T 2589-2020 conventions for expressing electricity in standard coal.
enum class ElectricityConvention : int32_t {
  /// 当量值 (calorific equivalent): the published coefficient 0.1229 kgce/kWh, not the unrounded
  /// 3.6/29.3076 = 0.122843 that a plain kWh → kgce unit conversion gives.
  kCalorific = 1,
  /// 等价值 (equivalent value): a stated generation coal rate in kgce/kWh (the year's thermal
  /// generation standard-coal consumption); must be given.
  kEquivalent = 2,
};
/// GB/T 2589-2020 Annex A: electricity 当量值 coefficient, kgce per kWh, as published.
inline constexpr double kElectricityCalorificKgcePerKwh = 0.1229;

/// Converts electricity (an energy unit) to standard coal in `to` (an energy unit such as tce).
/// For kEquivalent, `coal_rate_kgce_per_kwh` must be finite and in (0, 1]; for kCalorific it must be
/// unset. Errors name the offending argument.
absl::StatusOr<double> ElectricityToStandardCoal(double value, const Unit& unit, ElectricityConvention convention,
                                                 std::optional<double> coal_rate_kgce_per_kwh, const Unit& to);

/// One row of the unit registry, for listings and docs.
struct UnitInfo {
  std::string symbol;                ///< canonical symbol
  std::vector<std::string> aliases;  ///< other accepted spellings (incl. Chinese)
  std::string kind;                  ///< Kind::Describe()
  double scale;                      ///< base units per unit
  std::string definition;            ///< e.g. "7000 kcal_IT = 29.3076 MJ"
  std::string source;                ///< the defining document
};
/// Every unit atom the parser knows (gas and product suffixes combine with mass atoms).
const std::vector<UnitInfo>& ListUnits();
/// Accepted suffixes after a mass unit: {suffix, axis name}.
std::vector<std::pair<std::string, std::string>> ListMassSuffixes();

}  // namespace cmrv
