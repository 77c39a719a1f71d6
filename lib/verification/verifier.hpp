// The verifier (internal; lib/verification/): one object per Verify call holding the recomputed inventory,
// the energy balance and the report, with the checks as members. The checks are listed in the
// registry (check_registry.cpp: info, the inputs each needs, the member that runs it) and defined by
// family: checks_energy_balance.cpp, checks_factors.cpp, checks_activity.cpp, checks_reported.cpp,
// checks_cleaner_production.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "carbonmrv/status.hpp"
#include "carbonmrv/units/units.hpp"
#include "carbonmrv/verification/verification.hpp"
#include "internal/strings.hpp"

namespace cmrv::internal {

class Verifier;

/// The inputs a check needs beyond the enterprise and the recomputed inventory.
enum CheckNeeds : unsigned { kNeedsNothing = 0, kNeedsBalance = 1, kNeedsReported = 2 };

/// One entry of the registry: what the check is (CheckCatalogue), what it needs, how it runs. `run`
/// returns false when the check skipped itself (with its reason in the report).
struct Check {
  CheckInfo info;
  unsigned needs = kNeedsNothing;
  bool (Verifier::*run)() = nullptr;
};

/// Every check, in id order (check_registry.cpp).
const std::vector<Check>& CheckRegistry();

/// The registry entry of `id` (every CheckId has one).
const Check& CheckOf(CheckId id);

inline constexpr std::string_view kEngineering =
    "engineering default (no standard gives a number; docs/verification.md)";

// Plausible carbon per unit heat, tC/GJ, by carrier family (X07). Engineering defaults recorded in the
// project's domain reference §4.4: coal 0.024–0.030, natural gas 0.0150–0.0156, oils 0.0185–0.0215.
struct Family {
  const char* name;
  double cc_low, cc_high;
};
inline constexpr Family kCoal{"coal and coal products", 0.024, 0.030};
inline constexpr Family kGas{"natural gas", 0.0150, 0.0156};
inline constexpr Family kOil{"oils", 0.0185, 0.0215};
// Oxidation range used to derive the X14 tCO2/tce ranges from the X07 carbon ranges [C]: 0.93–1.00.
inline constexpr double kOfLow = 0.93, kOfHigh = 1.0;
inline constexpr double kGjPerTce = 29.3076;

inline std::optional<Family> FamilyOf(const Carrier& c) {
  if (c.id == "natural_gas" || c.id == "natural_gas_oilfield" || c.id == "natural_gas_gasfield") return kGas;
  for (const char* oil : {"crude_oil", "fuel_oil", "diesel", "motor_gasoline", "kerosene", "jet_kerosene"}) {
    if (c.id == oil) return kOil;
  }
  if (c.carrier_class == "solid") return kCoal;
  return std::nullopt;
}

inline bool Combustible(const Carrier& c) {
  return c.carrier_class == "solid" || c.carrier_class == "liquid" || c.carrier_class == "gas" ||
         c.carrier_class.starts_with("biomass") || c.carrier_class == "waste";
}

inline bool InPeriod(std::string_view record, std::string_view balance) {
  return record == balance || (balance.size() == 4 && record.starts_with(balance));
}

inline bool UsesFuel(SourceKind k) {
  return k == SourceKind::kFuelCombustion || k == SourceKind::kBiomassCombustion || k == SourceKind::kCarbonInput;
}

inline std::string Pct(double v) { return StrCat(std::round(v * 1e4) / 1e2, " %"); }

// A finding that compares an observed value with an expected one (difference and relative filled in).
inline Finding Against(std::string subject, std::string period, double observed, double expected, std::string unit) {
  Finding f;
  f.subject = std::move(subject);
  f.period = std::move(period);
  f.observed = observed;
  f.expected = expected;
  f.difference = observed - expected;
  if (expected != 0) f.relative = f.difference / expected;
  f.unit = std::move(unit);
  return f;
}

// Base-unit value of a term (value × the unit's scale), or nullopt when the unit does not parse.
inline std::optional<double> Scaled(const TraceTerm& t) {
  auto u = Unit::Parse(t.unit);
  if (!u.ok()) return std::nullopt;
  return t.value * u->scale();
}

inline std::string LineKey(const InventoryLine& l) {
  return StrCat(l.source_id, "|", l.period, "|", GasName(l.gas), "|", l.part);
}
inline bool Counted(const InventoryLine& l) { return !l.memo && l.scope != Scope::k3; }

class Verifier {
 public:
  Verifier(const Enterprise& e, const FactorCatalogue& cat, const VerifyOptions& o) : e_(e), cat_(cat), o_(o) {}

  /// Recomputes the inventory (and the energy balance, when the document has one), then runs the
  /// registry's checks that the options select (verification.cpp).
  absl::StatusOr<VerificationReport> Run(const Inventory* reported);

  // The checks and their helpers (registry entries point at them), defined in checks_*.cpp.
  // X01: purchases + stock decrease − exports − non-energy use against the inventory's consumption.
  bool X01();

  // X02: the bill against the boundary meter, where the balance records both.
  bool X02();

  // X03: every combustible carrier that enters the boundary and is used as energy has a source stream
  // in the inventory. Gases made inside (blast-furnace or coke-oven gas from inventoried coke and coal)
  // carry carbon that is already counted at their inputs, so they need none.
  bool X03();

  // X04: metered uses (conversion input + end use − feedstock) against the inventory's activity.
  bool X04();

  // Activity-weighted NCV of a carrier's inventory lines, GJ per `unit`, from the trace terms (AD, NCV).
  std::optional<double> InventoryNcv(const std::string& carrier, const Unit& unit) const;

  // X05: the NCV implied by the balance's standard-coal coefficient against the inventory's NCV.
  bool X05();

  // X06: the balance's own closure.
  bool X06();

  // Carbon per heat of one record, tC/GJ, or nullopt when the record has no carbon content.
  static std::optional<double> CarbonPerHeat(const SourceStream& s, const ActivityRecord& r);

  // X07: carbon per unit heat within the family's plausible range.
  bool X07();

  // X08: the lab's NCV against the one GB/T 213 derives from its gross CV, hydrogen and moistures:
  // Q_net,ar = (Q_gr,ad − 206·H_ad) × (100 − M_t)/(100 − M_ad) − 23·M_t, in J/g.
  bool X08();

  // X09: as-received carbon against the air-dried value converted with the moistures.
  bool X09();

  // X10: oxidation within 0.85–1.00 (above 1 is impossible), and measured NCV against the dataset
  // default of the carrier where the catalogue has one.
  bool X10();

  // X12: the coal rate of a generating unit against its design or test value.
  bool X12();

  // X13: comprehensive energy per product against its stated benchmark.
  bool X13();

  // X15: production = sales + stock increase.
  bool X15();

  // X16: process CO2 from carbonate raw materials against the clinker (CaO/MgO) method.
  bool X16();

  const Converter& DataOf(std::size_t i) const;
  const BalanceColumn& Column(const std::string& carrier) const;
  double Physical(const BalanceFlow& f) const;

  // X14: inventory CO2 per tce of the carrier against the range implied by X07's carbon range.
  bool X14();

  // X18: a month whose activity and measurements repeat the previous month's exactly; emission
  // intensity month on month (sources reported monthly over monthly production) and year on year
  // (against last year's inventory when given).
  bool X18();

  void Intensities();

  // X19: purchased and exported electricity in the inventory equal the balance's (own generation is
  // neither purchased nor, unless sold, exported).
  bool X19();

  // X20: the reported inventory's conventions are the ones the verification applies.
  bool X20();

  // X22: materiality of the misstatements found by the reconciliation.
  bool X22();

  // X23: savings claimed by an earlier year's implemented cleaner-production options against this
  // year's data (checks_cleaner_production.cpp).
  bool X23();

 private:
  // Runs one registry entry unless the options leave it out; a check whose inputs are missing is
  // skipped with the reason.
  void RunCheck(const Check& check);
  bool Balance() const { return balance_.has_value(); }
  bool Skip(CheckId id, std::string_view why) {
    report_.checks_skipped.push_back(StrCat(CheckIdName(id), ": ", why));
    return false;
  }
  static const CheckInfo* Info(CheckId id) { return &CheckOf(id).info; }

  std::pair<double, double> Tolerance(const CheckInfo& c) const {
    auto it = o_.tolerances.find(c.id);
    return it != o_.tolerances.end() ? it->second : std::make_pair(c.warning, c.error);
  }
  std::string ToleranceText(const CheckInfo& c) const {
    auto [w, e] = Tolerance(c);
    return StrCat("warning > ", w, " ", c.tolerance_unit, ", error > ", e, " ", c.tolerance_unit);
  }

  // A finding for `relative` (a fraction) graded against the check's % tolerances; none when within.
  void Grade(CheckId id, Finding f) {
    const double pct = std::abs(f.relative.value_or(0)) * 100;
    GradeBy(id, std::move(f), pct);
  }
  // The same for a magnitude already in the check's tolerance unit (J/g, percentage points …).
  void GradeBy(CheckId id, Finding f, double magnitude) {
    const CheckInfo& c = *Info(id);
    auto [w, e] = Tolerance(c);
    if (magnitude <= w) return;
    f.severity = magnitude > e ? Severity::kError : Severity::kWarning;
    Add(c, std::move(f), true);
  }
  void Add(const CheckInfo& c, Finding f, bool numeric_tolerance) {
    f.check = c.id;
    f.enterprise = e_.name;
    f.source = c.source;
    if (numeric_tolerance) f.tolerance = ToleranceText(c);
    report_.findings.push_back(std::move(f));
  }

  // Fuel a carrier's inventory sources consumed in the balance period, in the column unit.
  struct Use {
    double quantity = 0;
    bool any = false;
    std::string problem;  // a unit that cannot be compared
  };
  Use InventoryUse(const BalanceColumn& col) const {
    Use u;
    auto unit = Unit::Parse(col.unit);
    for (const auto& s : e_.sources) {
      if (!UsesFuel(s.kind) || s.carrier != col.carrier) continue;
      for (const auto& r : s.activity) {
        if (!InPeriod(r.period, balance_->period)) continue;
        u.any = true;
        auto v = unit.ok() ? Convert(r.quantity.value, r.quantity.unit, *unit) : unit.status();
        if (!v.ok()) {
          u.problem = StrCat("source ", s.id, " period ", r.period, ": \"", r.quantity.unit_text,
                             "\" cannot be compared with the balance unit \"", col.unit, "\"");
          continue;
        }
        u.quantity += *v;
      }
    }
    return u;
  }
  static double Row(const BalanceColumn& c, BalanceRow r) { return c.physical[static_cast<std::size_t>(r)]; }
  static const Carrier* CarrierOf(const std::string& id) { return CarrierCatalogue::Builtin().Find(id); }

  const Enterprise& e_;
  const FactorCatalogue& cat_;
  const VerifyOptions& o_;
  Inventory inv_;
  std::optional<EnergyBalance> balance_;
  VerificationReport report_;
  const Inventory* reported_ = nullptr;  // the enterprise's own inventory, when given
  std::string no_balance_;               // why the balance checks are skipped, when they are
};

}  // namespace cmrv::internal
