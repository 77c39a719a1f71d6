#include "carbonmrv/verification/verification.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv {

using internal::StrCat;
using nlohmann::json;

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "unknown";
}

namespace {

constexpr std::string_view kEngineering = "engineering default (no standard gives a number; docs/verification.md)";

// Plausible carbon per unit heat, tC/GJ, by carrier family (X07). Engineering defaults recorded in the
// project's domain reference §4.4: coal 0.024–0.030, natural gas 0.0150–0.0156, oils 0.0185–0.0215.
struct Family {
  const char* name;
  double cc_low, cc_high;
};
constexpr Family kCoal{"coal and coal products", 0.024, 0.030};
constexpr Family kGas{"natural gas", 0.0150, 0.0156};
constexpr Family kOil{"oils", 0.0185, 0.0215};
// Oxidation range used to derive the X14 tCO2/tce ranges from the X07 carbon ranges [C]: 0.93–1.00.
constexpr double kOfLow = 0.93, kOfHigh = 1.0;
constexpr double kGjPerTce = 29.3076;

std::optional<Family> FamilyOf(const Carrier& c) {
  if (c.id == "natural_gas" || c.id == "natural_gas_oilfield" || c.id == "natural_gas_gasfield") return kGas;
  for (const char* oil : {"crude_oil", "fuel_oil", "diesel", "motor_gasoline", "kerosene", "jet_kerosene"}) {
    if (c.id == oil) return kOil;
  }
  if (c.carrier_class == "solid") return kCoal;
  return std::nullopt;
}

bool Combustible(const Carrier& c) {
  return c.carrier_class == "solid" || c.carrier_class == "liquid" || c.carrier_class == "gas" ||
         c.carrier_class.starts_with("biomass") || c.carrier_class == "waste";
}

bool InPeriod(const std::string& record, const std::string& balance) {
  return record == balance || (balance.size() == 4 && record.starts_with(balance));
}

bool UsesFuel(SourceKind k) {
  return k == SourceKind::kFuelCombustion || k == SourceKind::kBiomassCombustion || k == SourceKind::kCarbonInput;
}

std::string Pct(double v) { return StrCat(std::round(v * 1e4) / 1e2, " %"); }

// A finding that compares an observed value with an expected one (difference and relative filled in).
Finding Against(std::string subject, std::string period, double observed, double expected, std::string unit) {
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

class Verifier {
 public:
  Verifier(const Enterprise& e, const FactorCatalogue& cat, const VerifyOptions& o) : e_(e), cat_(cat), o_(o) {}

  absl::StatusOr<VerificationReport> Run(const Inventory* reported) {
    for (const auto& id : o_.checks) {
      if (Info(id) == nullptr) return Bad(StrCat("unknown check \"", id, "\"; known: ", Known()));
    }
    for (const auto& [id, tol] : o_.tolerances) {
      if (Info(id) == nullptr) return Bad(StrCat("tolerance for unknown check \"", id, "\"; known: ", Known()));
      if (!(tol.first >= 0 && tol.first <= tol.second)) {
        return Bad(StrCat("tolerance of ", id, ": expected 0 ≤ warning ≤ error, got ", tol.first, " and ", tol.second));
      }
    }
    auto inv = ComputeInventory(e_, cat_, o_.inventory);
    if (!inv.ok()) return inv.status();
    inv_ = *std::move(inv);
    report_.enterprise = e_.name;
    report_.year = e_.year;
    std::string no_balance = "no energy balance";
    if (!e_.energy_balances.empty()) {
      EnergyBalanceOptions bo = o_.energy_balance;
      const bool implicit = bo.period.empty() && e_.energy_balances.size() > 1;
      if (implicit) bo.period = std::to_string(e_.year);
      auto b = ComputeEnergyBalance(e_, cat_, bo);
      if (b.ok()) {
        balance_ = *std::move(b);
      } else if (implicit && b.status().code() == absl::StatusCode::kNotFound) {
        // Monthly balances only: the balance checks need the period named (options.energy_balance.period).
        no_balance = StrCat("no annual energy balance; name a period (", b.status().message(), ")");
      } else {
        return b.status();
      }
    }
    if (reported != nullptr) report_.reconciliation = Reconcile(*reported, inv_);
    Run("X01", [&] { return Balance() ? X01() : Skip("X01", no_balance); });
    Run("X02", [&] { return Balance() ? X02() : Skip("X02", no_balance); });
    Run("X03", [&] { return Balance() ? X03() : Skip("X03", no_balance); });
    Run("X04", [&] { return Balance() ? X04() : Skip("X04", no_balance); });
    Run("X05", [&] { return Balance() ? X05() : Skip("X05", no_balance); });
    Run("X06", [&] { return Balance() ? X06() : Skip("X06", no_balance); });
    Run("X07", [&] { return X07(); });
    Run("X08", [&] { return X08(); });
    Run("X09", [&] { return X09(); });
    Run("X10", [&] { return X10(); });
    Run("X12", [&] { return Balance() ? X12() : Skip("X12", no_balance); });
    Run("X13", [&] { return Balance() ? X13() : Skip("X13", no_balance); });
    Run("X14", [&] { return Balance() ? X14() : Skip("X14", no_balance); });
    Run("X15", [&] { return X15(); });
    Run("X16", [&] { return X16(); });
    Run("X18", [&] { return X18(); });
    Run("X19", [&] { return Balance() ? X19() : Skip("X19", no_balance); });
    Run("X20", [&] { return reported ? X20(*reported) : Skip("X20", "no reported inventory"); });
    Run("X22", [&] { return reported ? X22() : Skip("X22", "no reported inventory"); });
    return report_;
  }

 private:
  static absl::Status Bad(std::string message) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, std::move(message));
  }
  static const CheckInfo* Info(std::string_view id) {
    for (const auto& c : CheckCatalogue()) {
      if (c.id == id) return &c;
    }
    return nullptr;
  }
  static std::string Known() {
    std::string s;
    for (const auto& c : CheckCatalogue()) s += StrCat(s.empty() ? "" : ", ", c.id);
    return s;
  }
  bool Balance() const { return balance_.has_value(); }

  template <typename Fn>
  void Run(const std::string& id, Fn&& fn) {
    if (!o_.checks.empty() && std::find(o_.checks.begin(), o_.checks.end(), id) == o_.checks.end()) return;
    if (fn()) report_.checks_run.push_back(id);
  }
  bool Skip(const std::string& id, std::string_view why) {
    report_.checks_skipped.push_back(StrCat(id, ": ", why));
    return false;
  }

  std::pair<double, double> Tolerance(const CheckInfo& c) const {
    auto it = o_.tolerances.find(c.id);
    return it != o_.tolerances.end() ? it->second : std::make_pair(c.warning, c.error);
  }
  std::string ToleranceText(const CheckInfo& c) const {
    auto [w, e] = Tolerance(c);
    return StrCat("warning > ", w, " ", c.tolerance_unit, ", error > ", e, " ", c.tolerance_unit);
  }

  // A finding for `relative` (a fraction) graded against the check's % tolerances; none when within.
  void Grade(const std::string& id, Finding f) {
    const double pct = std::abs(f.relative.value_or(0)) * 100;
    GradeBy(id, std::move(f), pct);
  }
  // The same for a magnitude already in the check's tolerance unit (J/g, percentage points …).
  void GradeBy(const std::string& id, Finding f, double magnitude) {
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

  // X01: purchases + stock decrease − exports − non-energy use against the inventory's consumption.
  bool X01() {
    for (const auto& col : balance_->columns) {
      const Carrier* c = CarrierOf(col.carrier);
      if (c == nullptr || !Combustible(*c)) continue;
      Use u = InventoryUse(col);
      if (!u.any || u.quantity <= 0 || !u.problem.empty()) continue;
      const double supply = Row(col, BalanceRow::kNetSupply) - Row(col, BalanceRow::kFeedstock);
      Finding f = Against(col.carrier, balance_->period, supply, u.quantity, col.unit);
      f.message = StrCat(col.carrier, ": purchases + stock decrease − exports − feedstock = ", supply, " ", col.unit,
                         " but the inventory burns ", u.quantity, " ", col.unit, " (", Pct(*f.relative),
                         "); check stock-takes, their sign and transfers out");
      f.message_zh = StrCat(col.name_zh, "购销存不平衡：购入+库存减少−外销−原料用 = ", supply, " ", col.unit, "，排放核算消耗量 ",
                            u.quantity, " ", col.unit, "（", Pct(*f.relative), "）");
      Grade("X01", std::move(f));
    }
    return true;
  }

  // X02: the bill against the boundary meter, where the balance records both.
  bool X02() {
    const auto& data = *std::find_if(e_.energy_balances.begin(), e_.energy_balances.end(),
                                     [&](const EnergyBalanceData& x) { return x.period == balance_->period; });
    bool any = false;
    for (const auto& bc : data.carriers) {
      if (!bc.purchased || !bc.metered) continue;
      auto bill = Convert(bc.purchased->value, bc.purchased->unit, bc.unit);
      auto meter = Convert(bc.metered->value, bc.metered->unit, bc.unit);
      if (!bill.ok() || !meter.ok() || *bill <= 0) continue;
      any = true;
      Finding f = Against(bc.carrier, data.period, *meter, *bill, bc.unit_text);
      f.message = StrCat(bc.carrier, ": the boundary meter reads ", *meter, " ", bc.unit_text, ", the bills ", *bill, " ",
                         bc.unit_text, " (", Pct(*f.relative), ")");
      f.message_zh = StrCat(bc.carrier, "：计量表读数 ", *meter, "，结算单 ", *bill, "（", Pct(*f.relative), "）");
      Grade("X02", std::move(f));
    }
    return any || Skip("X02", "no carrier records both a bill (purchased) and a meter reading (metered)");
  }

  // X03: every combustible carrier that enters the boundary and is used as energy has a source stream
  // in the inventory. Gases made inside (blast-furnace or coke-oven gas from inventoried coke and coal)
  // carry carbon that is already counted at their inputs, so they need none.
  bool X03() {
    for (const auto& col : balance_->columns) {
      const Carrier* c = CarrierOf(col.carrier);
      if (c == nullptr || !Combustible(*c)) continue;
      if (Row(col, BalanceRow::kPurchased) + Row(col, BalanceRow::kStockDecrease) <= 0) continue;
      const double energy_use =
          Row(col, BalanceRow::kConversionInput) + Row(col, BalanceRow::kEndUseTotal) - Row(col, BalanceRow::kFeedstock);
      if (energy_use <= 0) continue;
      const bool covered = std::any_of(e_.sources.begin(), e_.sources.end(),
                                       [&](const SourceStream& s) { return UsesFuel(s.kind) && s.carrier == col.carrier; });
      if (covered) continue;
      Finding f;
      f.severity = Severity::kError;
      f.subject = col.carrier;
      f.period = balance_->period;
      f.observed = energy_use;
      f.expected = 0;
      f.difference = energy_use;
      f.unit = col.unit;
      f.tolerance = "none may be missing";
      f.message = StrCat(col.carrier, ": the energy balance uses ", energy_use, " ", col.unit,
                         " as energy but the inventory has no source stream for it");
      f.message_zh = StrCat(col.name_zh, "：能源平衡中作为能源消耗 ", energy_use, " ", col.unit, "，但排放清单中没有对应的排放源");
      Add(*Info("X03"), std::move(f), false);
    }
    return true;
  }

  // X04: metered uses (conversion input + end use − feedstock) against the inventory's activity.
  bool X04() {
    for (const auto& col : balance_->columns) {
      const Carrier* c = CarrierOf(col.carrier);
      if (c == nullptr || !Combustible(*c)) continue;
      Use u = InventoryUse(col);
      if (!u.any) continue;
      Finding f;
      f.subject = col.carrier;
      f.period = balance_->period;
      f.unit = col.unit;
      if (!u.problem.empty()) {
        f.severity = Severity::kError;
        f.message = StrCat(col.carrier, ": ", u.problem);
        f.message_zh = StrCat(col.name_zh, "：排放清单活动数据的单位与能源平衡不可比");
        Add(*Info("X04"), std::move(f), false);
        continue;
      }
      const double used =
          Row(col, BalanceRow::kConversionInput) + Row(col, BalanceRow::kEndUseTotal) - Row(col, BalanceRow::kFeedstock);
      f.observed = u.quantity;
      f.expected = used;
      f.difference = u.quantity - used;
      f.relative = used > 0 ? std::optional<double>(f.difference / used) : std::nullopt;
      if (!f.relative) f.relative = 1.0;  // used nothing, burned something: 100 % off
      f.message = StrCat(col.carrier, ": the inventory's activity is ", u.quantity, " ", col.unit,
                         ", the energy balance's use as energy ", used, " ", col.unit, " (", Pct(*f.relative),
                         "); the same meter data should agree — look for a unit (万Nm³ vs Nm³) or period slip");
      f.message_zh = StrCat(col.name_zh, "：排放清单活动数据 ", u.quantity, " ", col.unit, "，能源平衡消耗量 ", used, " ",
                            col.unit, "（", Pct(*f.relative), "）");
      Grade("X04", std::move(f));
    }
    return true;
  }

  // Activity-weighted NCV of a carrier's inventory lines, GJ per `unit`, from the trace terms (AD, NCV).
  std::optional<double> InventoryNcv(const std::string& carrier, const Unit& unit) const {
    static const Unit gj = *Unit::Parse("GJ");
    const Unit gj_per = gj / unit;
    double ad_sum = 0, energy = 0;
    for (const auto& l : inv_.lines) {
      if (l.gas != "co2" || l.category != "fuel_combustion" || !InPeriod(l.period, balance_->period)) continue;
      auto s = std::find_if(e_.sources.begin(), e_.sources.end(), [&](const SourceStream& x) { return x.id == l.source_id; });
      if (s == e_.sources.end() || s->carrier != carrier) continue;
      const TraceTerm* ad = nullptr;
      const TraceTerm* ncv = nullptr;
      for (const auto& t : l.terms) {
        if (t.name == "AD") ad = &t;
        if (t.name == "NCV") ncv = &t;
      }
      if (ad == nullptr || ncv == nullptr) return std::nullopt;  // a line without an NCV: no basis to compare
      auto au = Unit::Parse(ad->unit), nu = Unit::Parse(ncv->unit);
      if (!au.ok() || !nu.ok()) return std::nullopt;
      auto a = Convert(ad->value, *au, unit);
      auto n = Convert(ncv->value, *nu, gj_per);
      if (!a.ok() || !n.ok()) return std::nullopt;
      ad_sum += *a;
      energy += *a * *n;
    }
    if (ad_sum <= 0) return std::nullopt;
    return energy / ad_sum;
  }

  // X05: the NCV implied by the balance's standard-coal coefficient against the inventory's NCV.
  bool X05() {
    for (const auto& col : balance_->columns) {
      const Carrier* c = CarrierOf(col.carrier);
      if (c == nullptr || !Combustible(*c)) continue;
      auto unit = Unit::Parse(col.unit);
      if (!unit.ok()) continue;
      auto inv_ncv = InventoryNcv(col.carrier, *unit);
      if (!inv_ncv) continue;
      const double implied = col.tce_per_unit_calorific * kGjPerTce;
      Finding f = Against(col.carrier, balance_->period, *inv_ncv, implied, StrCat("GJ/", col.unit));
      f.message = StrCat(col.carrier, ": the inventory's NCV averages ", *inv_ncv, " GJ/", col.unit,
                         "; the balance's coefficient ", col.tce_per_unit_calorific, " tce/", col.unit, " implies ",
                         implied, " (", Pct(*f.relative), "); a unit, basis (GCV vs NCV) or default-vs-measured gap");
      f.message_zh = StrCat(col.name_zh, "：排放核算低位发热量 ", *inv_ncv, " GJ/", col.unit, "，能源平衡折标系数对应 ", implied,
                            "（", Pct(*f.relative), "）");
      Grade("X05", std::move(f));
    }
    return true;
  }

  // X06: the balance's own closure.
  bool X06() {
    for (const auto& cl : balance_->closures) {
      if (cl.status == ClosureStatus::kOk) continue;
      Finding f;
      f.severity = cl.status == ClosureStatus::kError ? Severity::kError : Severity::kWarning;
      f.subject = cl.subject;
      f.period = balance_->period;
      f.observed = cl.supply - cl.imbalance;
      f.expected = cl.supply;
      f.difference = -cl.imbalance;
      f.relative = cl.relative;
      f.unit = cl.unit;
      f.tolerance = StrCat("warning > ", balance_->warning_pct, " %, error > ", balance_->error_pct,
                           " % (the balance's tolerance)");
      f.message = StrCat(cl.subject, " (", cl.link, "): supply ", cl.supply, " ", cl.unit, ", uses and losses ",
                         cl.supply - cl.imbalance, " ", cl.unit,
                         cl.relative ? StrCat(" (gap ", Pct(*cl.relative), ")") : std::string(" (no supply)"));
      f.message_zh = StrCat(cl.subject, "能量平衡不闭合：供入 ", cl.supply, " ", cl.unit, "，使用与损失 ",
                            cl.supply - cl.imbalance, " ", cl.unit);
      Add(*Info("X06"), std::move(f), false);
    }
    return true;
  }

  // Carbon per heat of one record, tC/GJ, or nullopt when the record has no carbon content.
  static std::optional<double> CarbonPerHeat(const SourceStream& s, const ActivityRecord& r) {
    const MeasuredParameter* mc = nullptr;
    if (auto it = r.measured.find("carbon_content"); it != r.measured.end()) mc = &it->second;
    const GivenQuantity* cc = mc != nullptr ? &mc->quantity : nullptr;
    if (cc == nullptr) {
      auto it = s.factors.find("carbon_content");
      if (it == s.factors.end()) return std::nullopt;
      cc = &it->second.quantity;
    }
    static const Unit per_gj = *Unit::Parse("tC/GJ"), per_t = *Unit::Parse("tC/t"), gj_per_t = *Unit::Parse("GJ/t");
    if (auto v = Convert(cc->value, cc->unit, per_gj); v.ok()) return *v;
    auto c = Convert(cc->value, cc->unit, per_t);
    if (!c.ok()) return std::nullopt;
    double c_ar = *c;
    if (mc != nullptr && mc->basis == "air_dried" && mc->moisture_ar_pct && mc->moisture_ad_pct) {
      c_ar *= (100 - *mc->moisture_ar_pct) / (100 - *mc->moisture_ad_pct);
    }
    const GivenQuantity* ncv = nullptr;
    if (auto it = r.measured.find("ncv"); it != r.measured.end()) ncv = &it->second.quantity;
    if (ncv == nullptr) {
      auto it = s.factors.find("ncv");
      if (it == s.factors.end()) return std::nullopt;
      ncv = &it->second.quantity;
    }
    auto n = Convert(ncv->value, ncv->unit, gj_per_t);
    if (!n.ok() || *n <= 0) return std::nullopt;
    return c_ar / *n;
  }

  // X07: carbon per unit heat within the family's plausible range.
  bool X07() {
    const CheckInfo& info = *Info("X07");
    auto [w, err] = Tolerance(info);
    for (const auto& s : e_.sources) {
      if (s.kind != SourceKind::kFuelCombustion) continue;
      const Carrier* c = CarrierOf(s.carrier);
      if (c == nullptr) continue;
      auto fam = FamilyOf(*c);
      if (!fam) continue;
      for (const auto& r : s.activity) {
        auto cc = CarbonPerHeat(s, r);
        if (!cc) continue;
        const double bound = *cc < fam->cc_low ? fam->cc_low : *cc > fam->cc_high ? fam->cc_high : *cc;
        const double rel = (*cc - bound) / bound;
        if (bound == *cc || std::abs(rel) * 100 <= w) continue;
        Finding f;
        f.severity = std::abs(rel) * 100 > err ? Severity::kError : Severity::kWarning;
        f.subject = s.id;
        f.period = r.period;
        f.observed = *cc;
        f.lower = fam->cc_low;
        f.upper = fam->cc_high;
        f.difference = *cc - bound;
        f.relative = rel;
        f.unit = "tC/GJ";
        f.message = StrCat(s.id, " ", r.period, ": carbon per heat ", *cc, " tC/GJ is ", *cc < bound ? "below" : "above",
                           " the ", fam->name, " range ", fam->cc_low, "–", fam->cc_high,
                           *cc < bound ? " (a carbon content too low for its NCV understates emissions)"
                                       : " (an air-dried carbon content used as as-received, or an NCV too low?)");
        f.message_zh = StrCat(s.id, " ", r.period, "：单位热值含碳量 ", *cc, " tC/GJ 超出", fam->cc_low, "–", fam->cc_high,
                              "的合理范围");
        Add(info, std::move(f), true);
      }
    }
    return true;
  }

  // X08: the lab's NCV against the one GB/T 213 derives from its gross CV, hydrogen and moistures:
  // Q_net,ar = (Q_gr,ad − 206·H_ad) × (100 − M_t)/(100 − M_ad) − 23·M_t, in J/g.
  bool X08() {
    static const Unit j_per_g = *Unit::Parse("kJ/kg");  // = J/g
    bool any = false;
    for (const auto& s : e_.sources) {
      for (const auto& r : s.activity) {
        auto gcv = r.measured.find("gcv"), h = r.measured.find("hydrogen"), ncv = r.measured.find("ncv");
        if (gcv == r.measured.end() || h == r.measured.end() || ncv == r.measured.end()) continue;
        const auto& g = gcv->second;
        if (!g.moisture_ar_pct || !g.moisture_ad_pct) continue;
        auto q_gr = Convert(g.quantity.value, g.quantity.unit, j_per_g);
        auto q_net = Convert(ncv->second.quantity.value, ncv->second.quantity.unit, j_per_g);
        auto h_frac = Convert(h->second.quantity.value, h->second.quantity.unit, Unit());
        if (!q_gr.ok() || !q_net.ok() || !h_frac.ok()) continue;
        any = true;
        const double mt = *g.moisture_ar_pct, mad = *g.moisture_ad_pct;
        const double expected = (*q_gr - 206 * (*h_frac * 100)) * (100 - mt) / (100 - mad) - 23 * mt;
        Finding f = Against(s.id, r.period, *q_net, expected, "J/g");
        f.message = StrCat(s.id, " ", r.period, ": reported NCV ", *q_net, " J/g; GB/T 213 from Q_gr,ad ", *q_gr,
                           ", H_ad ", *h_frac * 100, " %, M_t ", mt, " %, M_ad ", mad, " % gives ", expected, " J/g");
        f.message_zh = StrCat(s.id, " ", r.period, "：报告低位发热量 ", *q_net, " J/g，按GB/T 213由弹筒/高位发热量计算为 ", expected,
                              " J/g");
        GradeBy("X08", std::move(f), std::abs(*q_net - expected));
      }
    }
    return any || Skip("X08", "no record with gcv, hydrogen, moistures and ncv");
  }

  // X09: as-received carbon against the air-dried value converted with the moistures.
  bool X09() {
    static const Unit per_t = *Unit::Parse("tC/t");
    bool any = false;
    for (const auto& s : e_.sources) {
      for (const auto& r : s.activity) {
        auto ar = r.measured.find("carbon_content"), ad = r.measured.find("carbon_content_ad");
        if (ar == r.measured.end() || ad == r.measured.end() || ar->second.basis == "air_dried") continue;
        const auto& m = ad->second;
        if (!m.moisture_ar_pct || !m.moisture_ad_pct) continue;
        auto c_ar = Convert(ar->second.quantity.value, ar->second.quantity.unit, per_t);
        auto c_ad = Convert(m.quantity.value, m.quantity.unit, per_t);
        if (!c_ar.ok() || !c_ad.ok()) continue;
        any = true;
        const double expected = *c_ad * (100 - *m.moisture_ar_pct) / (100 - *m.moisture_ad_pct);
        Finding f = Against(s.id, r.period, *c_ar, expected, "tC/t");
        f.message = StrCat(s.id, " ", r.period, ": as-received carbon ", *c_ar, " tC/t; C_ad ", *c_ad, " × (100 − ",
                           *m.moisture_ar_pct, ")/(100 − ", *m.moisture_ad_pct, ") = ", expected,
                           *c_ar > expected ? " (an air-dried value reported as as-received?)" : "");
        f.message_zh = StrCat(s.id, " ", r.period, "：收到基碳含量 ", *c_ar, "，由空干基换算应为 ", expected);
        GradeBy("X09", std::move(f), std::abs(*c_ar - expected) * 100);  // percentage points
      }
    }
    return any || Skip("X09", "no record with both carbon_content and carbon_content_ad");
  }

  // X10: oxidation within 0.85–1.00 (above 1 is impossible), and measured NCV against the dataset
  // default of the carrier where the catalogue has one.
  bool X10() {
    const CheckInfo& info = *Info("X10");
    const double w = Tolerance(info).first;
    std::set<std::string> seen;
    for (const auto& l : inv_.lines) {
      if (l.gas != "co2" || l.category != "fuel_combustion") continue;
      for (const auto& t : l.terms) {
        if (t.name != "OF") continue;
        auto u = Unit::Parse(t.unit);
        auto of = u.ok() ? Convert(t.value, *u, Unit()) : u.status();
        if (!of.ok() || (*of >= 0.85 && *of <= 1.0) || !seen.insert(StrCat(l.source_id, "|", l.period)).second) continue;
        Finding f;
        f.severity = Severity::kError;
        f.subject = l.source_id;
        f.period = l.period;
        f.observed = *of;
        f.lower = 0.85;
        f.upper = 1.0;
        f.difference = *of > 1.0 ? *of - 1.0 : *of - 0.85;
        f.unit = "1";
        f.tolerance = "oxidation in 0.85–1.00";
        f.message = StrCat(l.source_id, " ", l.period, ": oxidation ", *of,
                           *of > 1.0 ? " exceeds 1 (more carbon oxidised than burned)" : " is below 0.85");
        f.message_zh = StrCat(l.source_id, " ", l.period, "：碳氧化率 ", *of, " 超出 0.85–1.00");
        Add(info, std::move(f), false);
      }
    }
    for (const auto& s : e_.sources) {
      if (s.kind != SourceKind::kFuelCombustion) continue;
      const std::string region = e_.region.empty() ? "GLOBAL" : e_.region;
      auto def = cat_.Lookup({s.carrier, "ncv", "", region, e_.year, o_.inventory.factor_preference});
      if (!def.ok()) continue;
      auto du = Unit::Parse(def->record.unit);
      for (const auto& r : s.activity) {
        auto m = r.measured.find("ncv");
        if (m == r.measured.end() || !du.ok()) continue;
        auto measured = Convert(m->second.quantity.value, m->second.quantity.unit, *du);
        if (!measured.ok()) continue;
        Finding f = Against(s.id, r.period, *measured, def->record.value, def->record.unit);
        f.message = StrCat(s.id, " ", r.period, ": measured NCV ", *measured, " ", def->record.unit, " vs the default ",
                           def->record.value, " of ", def->dataset.id, " (", Pct(*f.relative), ")");
        f.message_zh = StrCat(s.id, " ", r.period, "：实测低位发热量 ", *measured, " 与缺省值 ", def->record.value, " 偏差 ",
                              Pct(*f.relative));
        if (def->record.lower && def->record.upper) {
          // A default published with its 95 % interval (IPCC 2006 Table 1.2) says itself what is
          // plausible: a measurement inside the interval is not a finding, one outside is a warning.
          const double lo = *def->record.lower, hi = *def->record.upper;
          if (*measured >= lo && *measured <= hi) continue;
          f.severity = Severity::kWarning;
          f.lower = lo;
          f.upper = hi;
          f.tolerance = StrCat("outside the 95 % interval ", lo, "–", hi, " ", def->record.unit, " that ", def->dataset.id,
                               " gives (", def->record.source_table, ", ", def->record.source_row, ")");
          f.message += StrCat(", outside its 95 % interval ", lo, "–", hi);
          f.message_zh += StrCat("，超出其 95 % 区间 ", lo, "–", hi);
          Add(info, std::move(f), false);
          continue;
        }
        if (std::abs(*f.relative) * 100 > w) Grade("X10", std::move(f));
      }
    }
    return true;
  }

  // X12: the coal rate of a generating unit against its design or test value.
  bool X12() {
    bool any = false;
    for (std::size_t i = 0; i < balance_->converters.size(); ++i) {
      const Converter& conv = DataOf(i);
      if (!conv.design_coal_rate) continue;
      any = true;
      double tce = 0, kwh = 0;
      bool heat = false;
      for (const auto& f : conv.inputs) tce += Physical(f) * Column(f.carrier).tce_per_unit_calorific;
      for (const auto& f : conv.outputs) {
        if (f.carrier == "electricity") {
          kwh += Convert(f.quantity.value, f.quantity.unit, *Unit::Parse("kWh")).value_or(0.0);
        } else {
          heat = true;
        }
      }
      if (kwh <= 0) continue;
      double heat_ratio = 0;
      if (heat) {
        if (!conv.heat_ratio) {
          report_.checks_skipped.push_back(
              StrCat("X12: ", conv.id, " also supplies heat; state its heat_ratio (供热比) to check it"));
          continue;
        }
        heat_ratio = Convert(conv.heat_ratio->quantity.value, conv.heat_ratio->quantity.unit, Unit()).value_or(0.0);
      }
      // Electricity's share of the fuel: 1 − 供热比 as stated by the plant.
      const double actual = tce * (1 - heat_ratio) * 1e6 / kwh;  // gce/kWh
      auto design = Convert(conv.design_coal_rate->quantity.value, conv.design_coal_rate->quantity.unit,
                            *Unit::Parse("gce/kWh"));
      if (!design.ok()) continue;
      Finding f = Against(conv.id, balance_->period, actual, *design, "gce/kWh");
      f.message = StrCat(conv.id, ": ", tce, " tce for ", kwh / 1e3, " MWh = ", actual, " gce/kWh against the design ",
                         *design, " (", conv.design_coal_rate->source, "), ", Pct(*f.relative));
      f.message_zh = StrCat(conv.id, "：发电煤耗 ", actual, " gce/kWh，设计值 ", *design, "（", Pct(*f.relative), "）");
      Grade("X12", std::move(f));
    }
    return any || Skip("X12", "no converter states a design_coal_rate");
  }

  // X13: comprehensive energy per product against its stated benchmark.
  bool X13() {
    const auto& data = *std::find_if(e_.energy_balances.begin(), e_.energy_balances.end(),
                                     [&](const EnergyBalanceData& x) { return x.period == balance_->period; });
    bool any = false;
    for (const auto& p : balance_->products) {
      auto bp = std::find_if(data.products.begin(), data.products.end(),
                             [&](const BalanceProduct& x) { return x.product == p.product && x.benchmark; });
      if (bp == data.products.end()) continue;
      auto unit = Unit::Parse(StrCat("kgce/(", p.unit, ")"));
      auto bench = unit.ok() ? Convert(bp->benchmark->quantity.value, bp->benchmark->quantity.unit, *unit) : unit.status();
      if (!bench.ok()) {
        report_.checks_skipped.push_back(StrCat("X13: benchmark of ", p.product, ": ", bench.status().message()));
        continue;
      }
      any = true;
      Finding f = Against(p.product, balance_->period, p.kgce_per_unit, *bench, StrCat("kgce/", p.unit));
      f.message = StrCat(p.product, ": ", p.kgce_per_unit, " kgce/", p.unit, " against the benchmark ", *bench, " (",
                         bp->benchmark->source, "), ", Pct(*f.relative));
      f.message_zh = StrCat(p.product, "：单位产品综合能耗 ", p.kgce_per_unit, " kgce，基准值 ", *bench, "（", Pct(*f.relative), "）");
      if (f.difference > 0) GradeBy("X13", std::move(f), *f.relative * 100);
    }
    return any || Skip("X13", "no product states a benchmark");
  }

  // X15: production = sales + stock increase.
  bool X15() {
    bool any = false;
    for (const auto& p : e_.production) {
      if (!p.sales) continue;
      any = true;
      auto in = [&](const std::optional<GivenQuantity>& q) {
        return q ? Convert(q->value, q->unit, p.quantity.unit).value_or(0.0) : 0.0;
      };
      const double sold_and_stocked = in(p.sales) + in(p.closing_stock) - in(p.opening_stock);
      Finding f;
      f.subject = p.product;
      f.period = p.period;
      f.observed = p.quantity.value;
      f.expected = sold_and_stocked;
      f.difference = p.quantity.value - sold_and_stocked;
      f.relative = p.quantity.value > 0 ? f.difference / p.quantity.value : 1.0;
      f.unit = p.quantity.unit_text;
      f.message = StrCat(p.product, " ", p.period, ": production ", p.quantity.value, " ", p.quantity.unit_text,
                         " vs sales + stock increase ", sold_and_stocked, " (", Pct(*f.relative), ")");
      f.message_zh = StrCat(p.product, " ", p.period, "：产量 ", p.quantity.value, "，销量+库存增加 ", sold_and_stocked);
      Grade("X15", std::move(f));
    }
    return any || Skip("X15", "no production record states sales");
  }

  // X16: process CO2 from carbonate raw materials against the clinker (CaO/MgO) method.
  bool X16() {
    double carbonate = 0, clinker = 0;
    for (const auto& l : inv_.lines) {
      if (l.memo) continue;
      if (l.kind == SourceKind::kCarbonate) carbonate += l.co2e_t;
      if (l.kind == SourceKind::kClinker) clinker += l.co2e_t;
    }
    if (carbonate <= 0 || clinker <= 0) return Skip("X16", "needs both carbonate and clinker sources");
    Finding f = Against("inventory", std::to_string(e_.year), carbonate, clinker, "tCO2");
    f.message = StrCat("carbonate raw materials give ", carbonate, " tCO2, the clinker method ", clinker, " tCO2 (",
                       Pct(*f.relative), "); note that the inventory counts both");
    f.message_zh = StrCat("碳酸盐法 ", carbonate, " tCO2，熟料法 ", clinker, " tCO2（", Pct(*f.relative), "）");
    Grade("X16", std::move(f));
    return true;
  }

  const Converter& DataOf(std::size_t i) const {
    const auto& d = *std::find_if(e_.energy_balances.begin(), e_.energy_balances.end(),
                                  [&](const EnergyBalanceData& x) { return x.period == balance_->period; });
    return d.converters[i];
  }
  const BalanceColumn& Column(const std::string& carrier) const {
    return *std::find_if(balance_->columns.begin(), balance_->columns.end(),
                         [&](const BalanceColumn& c) { return c.carrier == carrier; });
  }
  double Physical(const BalanceFlow& f) const {
    auto unit = Unit::Parse(Column(f.carrier).unit);
    return unit.ok() ? Convert(f.quantity.value, f.quantity.unit, *unit).value_or(0.0) : 0.0;
  }

  // X14: inventory CO2 per tce of the carrier against the range implied by X07's carbon range.
  bool X14() {
    for (const auto& col : balance_->columns) {
      const Carrier* c = CarrierOf(col.carrier);
      if (c == nullptr) continue;
      auto fam = FamilyOf(*c);
      if (!fam) continue;
      // The balance's energy use of the carrier in tce against the inventory's CO2 from it: the two
      // datasets meet here, so a quantity or factor slip on either side shows.
      const double used =
          Row(col, BalanceRow::kConversionInput) + Row(col, BalanceRow::kEndUseTotal) - Row(col, BalanceRow::kFeedstock);
      if (used <= 0) continue;
      double co2 = 0;
      for (const auto& l : inv_.lines) {
        if (l.memo || l.gas != "co2" || l.category != "fuel_combustion" || !InPeriod(l.period, balance_->period)) continue;
        auto s = std::find_if(e_.sources.begin(), e_.sources.end(), [&](const SourceStream& x) { return x.id == l.source_id; });
        if (s != e_.sources.end() && s->carrier == col.carrier) co2 += l.mass_t;
      }
      if (co2 <= 0) continue;
      const double tce = used * col.tce_per_unit_calorific;
      const double implied = co2 / tce;
      // [C] tCO2/tce = CC (tC/GJ) × 29.3076 GJ/tce × OF × 44/12.
      const double low = fam->cc_low * kGjPerTce * kOfLow * 44.0 / 12.0;
      const double high = fam->cc_high * kGjPerTce * kOfHigh * 44.0 / 12.0;
      if (implied >= low && implied <= high) continue;
      const double bound = implied < low ? low : high;
      Finding f;
      f.subject = col.carrier;
      f.period = balance_->period;
      f.observed = implied;
      f.lower = low;
      f.upper = high;
      f.difference = implied - bound;
      f.relative = f.difference / bound;
      f.unit = "tCO2/tce";
      f.message = StrCat(col.carrier, ": the inventory's ", co2, " tCO2 over the balance's ", tce, " tce is ", implied,
                         " tCO2/tce, outside ", low, "–", high, " for ", fam->name);
      f.message_zh = StrCat(col.name_zh, "：单位标准煤二氧化碳排放 ", implied, " tCO2/tce，超出", low, "–", high, "的范围");
      Grade("X14", std::move(f));
    }
    return true;
  }

  // X18: a month whose activity and measurements repeat the previous month's exactly; emission
  // intensity month on month (sources reported monthly over monthly production) and year on year
  // (against last year's inventory when given).
  bool X18() {
    Intensities();
    for (const auto& s : e_.sources) {
      std::vector<const ActivityRecord*> months;
      for (const auto& r : s.activity) {
        if (r.period.size() == 7) months.push_back(&r);
      }
      std::sort(months.begin(), months.end(), [](auto* a, auto* b) { return a->period < b->period; });
      for (std::size_t i = 1; i < months.size(); ++i) {
        const auto& a = *months[i - 1];
        const auto& b = *months[i];
        if (a.quantity.value != b.quantity.value || a.quantity.unit_text != b.quantity.unit_text) continue;
        bool same = a.measured.size() == b.measured.size();
        for (const auto& [k, m] : b.measured) {
          auto it = a.measured.find(k);
          same = same && it != a.measured.end() && it->second.quantity.value == m.quantity.value;
        }
        if (!same) continue;
        Finding f;
        f.severity = Severity::kWarning;
        f.subject = s.id;
        f.period = b.period;
        f.observed = b.quantity.value;
        f.expected = a.quantity.value;
        f.difference = 0;
        f.unit = b.quantity.unit_text;
        f.tolerance = "identical consecutive months";
        f.message = StrCat(s.id, " ", b.period, ": activity and measurements are identical to ", a.period,
                           " — a month copied from the previous one?");
        f.message_zh = StrCat(s.id, " ", b.period, "：活动数据与监测数据与", a.period, "完全相同，疑似复制上月数据");
        Add(*Info("X18"), std::move(f), false);
      }
    }
    return true;
  }

  void Intensities() {
    // Month on month: CO2e of the monthly lines over the month's production of each product.
    std::map<std::string, std::map<std::string, double>> output;  // product → month → quantity
    std::map<std::string, std::string> units;
    for (const auto& p : e_.production) {
      if (p.period.size() != 7) continue;
      auto& u = units[p.product];
      if (u.empty()) u = p.quantity.unit_text;
      auto v = Convert(p.quantity.value, p.quantity.unit, *Unit::Parse(u));
      if (v.ok()) output[p.product][p.period] += *v;
    }
    std::map<std::string, double> co2e;  // month → tCO2e of monthly lines
    for (const auto& l : inv_.lines) {
      if (!l.memo && l.scope != 3 && l.period.size() == 7) co2e[l.period] += l.co2e_t;
    }
    for (const auto& [product, months] : output) {
      std::optional<std::pair<std::string, double>> prev;
      for (const auto& [month, q] : months) {
        if (q <= 0 || !co2e.count(month)) continue;
        const double intensity = co2e[month] / q;
        if (prev) {
          Finding f = Against(product, month, intensity, prev->second, StrCat("tCO2e/", units[product]));
          f.message = StrCat(product, " ", month, ": ", intensity, " tCO2e/", units[product], " against ", prev->second,
                             " in ", prev->first, " (", Pct(*f.relative), ") — document the cause or check the month");
          f.message_zh = StrCat(product, " ", month, "：排放强度 ", intensity, "，上月 ", prev->second, "（", Pct(*f.relative), "）");
          Grade("X18", std::move(f));
        }
        prev = std::make_pair(month, intensity);
      }
    }
    // Year on year: total CO2e per product output against last year's.
    if (!o_.previous_year) return;
    const Inventory& last = *o_.previous_year;
    for (const auto& lp : last.production) {
      double now_q = 0;
      bool found = false;
      for (const auto& p : e_.production) {
        if (p.product != lp.product) continue;
        auto v = Convert(p.quantity.value, p.quantity.unit, lp.quantity.unit);
        if (v.ok()) now_q += *v, found = true;
      }
      if (!found || now_q <= 0 || lp.quantity.value <= 0) continue;
      const double now_i = inv_.TotalCo2e() / now_q;
      const double last_i = last.TotalCo2e() / lp.quantity.value;
      Finding f = Against(lp.product, std::to_string(e_.year), now_i, last_i, StrCat("tCO2e/", lp.quantity.unit_text));
      f.message = StrCat(lp.product, ": ", now_i, " tCO2e/", lp.quantity.unit_text, " in ", e_.year, " against ", last_i,
                         " in ", last.year, " (", Pct(*f.relative), ") — document the cause (AVR-style year-on-year review)");
      f.message_zh = StrCat(lp.product, "：排放强度 ", now_i, "，上年 ", last_i, "（", Pct(*f.relative), "）");
      Grade("X18", std::move(f));
    }
  }

  // X19: purchased and exported electricity in the inventory equal the balance's (own generation is
  // neither purchased nor, unless sold, exported).
  bool X19() {
    auto col = std::find_if(balance_->columns.begin(), balance_->columns.end(),
                            [](const BalanceColumn& c) { return c.carrier == "electricity"; });
    if (col == balance_->columns.end()) return Skip("X19", "no electricity in the energy balance");
    auto unit = Unit::Parse(col->unit);
    if (!unit.ok()) return Skip("X19", "electricity column unit");
    const double own = Row(*col, BalanceRow::kConversionOutput) + Row(*col, BalanceRow::kRecovered);
    for (auto [kind, row, what, what_zh] :
         {std::tuple{SourceKind::kPurchasedElectricity, BalanceRow::kPurchased, "purchased", "购入"},
          std::tuple{SourceKind::kExportedElectricity, BalanceRow::kExported, "exported", "输出"}}) {
      double inv = 0;
      bool any = false;
      for (const auto& s : e_.sources) {
        if (s.kind != kind) continue;
        for (const auto& r : s.activity) {
          if (!InPeriod(r.period, balance_->period)) continue;
          auto v = Convert(r.quantity.value, r.quantity.unit, *unit);
          if (v.ok()) inv += *v, any = true;
        }
      }
      const double bal = Row(*col, row);
      // Exports only matter when the inventory deducts them (a power plant that sells its output
      // reports no exported-electricity line).
      if (!any && (bal == 0 || kind == SourceKind::kExportedElectricity)) continue;
      Finding f;
      f.subject = "electricity";
      f.period = balance_->period;
      f.observed = inv;
      f.expected = bal;
      f.difference = inv - bal;
      f.relative = bal > 0 ? f.difference / bal : 1.0;
      f.unit = col->unit;
      const bool own_as_purchased = kind == SourceKind::kPurchasedElectricity && inv > bal && own > 0;
      f.message = StrCat("electricity ", what, ": inventory ", inv, " ", col->unit, ", energy balance ", bal, " ",
                         col->unit, own_as_purchased ? StrCat(" — the excess looks like own generation (", own, " ",
                                                               col->unit, ") counted as purchased")
                                                     : std::string());
      f.message_zh = StrCat("电力", what_zh, "量不一致：排放清单 ", inv, " ", col->unit, "，能源平衡 ", bal, " ", col->unit,
                            own_as_purchased ? "，疑似将自发电计为外购电" : "");
      Grade("X19", std::move(f));
    }
    return true;
  }

  // X20: the reported inventory's conventions are the ones the verification applies.
  bool X20(const Inventory& reported) {
    const auto& r = *report_.reconciliation;
    auto part = [&](const char* p) {
      auto it = r.by_part.find(p);
      return it == r.by_part.end() ? 0.0 : it->second;
    };
    for (auto [name, rep, mine, p] :
         {std::tuple{"GWP set", reported.options.gwp_dataset, inv_.options.gwp_dataset, "gwp"},
          std::tuple{"CO2/C ratio", reported.options.co2_per_carbon, inv_.options.co2_per_carbon, "convention"}}) {
      if (rep == mine) continue;
      Finding f;
      f.severity = Severity::kError;
      f.subject = "inventory";
      f.period = std::to_string(e_.year);
      f.observed = part(p);
      f.expected = 0;
      f.difference = part(p);
      f.unit = "tCO2e";
      f.tolerance = "exact";
      f.message = StrCat("the reported inventory uses ", name, " ", rep, "; the verification applies ", mine, " (effect ",
                         part(p), " tCO2e)");
      f.message_zh = StrCat("报告清单采用的", name, "为 ", rep, "，核查采用 ", mine, "（影响 ", part(p), " tCO2e）");
      Add(*Info("X20"), std::move(f), false);
    }
    return true;
  }

  // X22: materiality of the misstatements found by the reconciliation.
  bool X22() {
    const auto& r = *report_.reconciliation;
    double misstated = 0;
    for (const auto& l : r.lines) misstated += std::abs(l.reported_t - l.recomputed_t);
    if (r.recomputed_total <= 0) return Skip("X22", "recomputed total is zero");
    // Materiality level by installation category (EU MRR Art. 19: C above 500 kt CO2e).
    const double level = r.recomputed_total > 500000 ? 2.0 : 5.0;
    const double rel = misstated / r.recomputed_total;
    if (rel * 100 <= level) return true;
    Finding f;
    f.severity = Severity::kError;
    f.subject = "inventory";
    f.period = std::to_string(e_.year);
    f.observed = misstated;
    f.expected = 0;
    f.difference = misstated;
    f.relative = rel;
    f.unit = "tCO2e";
    f.tolerance = StrCat("material above ", level, " % of the total");
    f.message = StrCat("misstatements add up to ", misstated, " tCO2e, ", Pct(rel), " of ", r.recomputed_total,
                       " tCO2e: material (level ", level, " %)");
    f.message_zh = StrCat("错报合计 ", misstated, " tCO2e，占 ", Pct(rel), "，超过实质性水平 ", level, " %");
    Add(*Info("X22"), std::move(f), false);
    return true;
  }

  const Enterprise& e_;
  const FactorCatalogue& cat_;
  const VerifyOptions& o_;
  Inventory inv_;
  std::optional<EnergyBalance> balance_;
  VerificationReport report_;
};

// Base-unit value of a term (value × the unit's scale), or nullopt when the unit does not parse.
std::optional<double> Scaled(const TraceTerm& t) {
  auto u = Unit::Parse(t.unit);
  if (!u.ok()) return std::nullopt;
  return t.value * u->scale();
}

std::string LineKey(const InventoryLine& l) { return StrCat(l.source_id, "|", l.period, "|", l.gas, "|", l.part); }
bool Counted(const InventoryLine& l) { return !l.memo && l.scope != 3; }

}  // namespace

const std::vector<CheckInfo>& CheckCatalogue() {
  static const std::vector<CheckInfo> catalogue = {
      {"X01", "Fuel purchase–stock–consumption balance", "燃料购销存平衡",
       "r = (purchased + opening − closing − exported − feedstock − FC_inventory) / FC_inventory", std::string(kEngineering),
       "energy balance carriers; inventory activity", 1, 3, "%"},
      {"X02", "Meter vs bill", "计量表与结算单一致",
       "(metered − purchased) / purchased for carriers with both; sub-meter closure is X06",
       "engineering default (domain reference X02: ≤ 0.5 % for 0.2S/0.5S meters)",
       "energy balance carriers with purchased and metered", 0.5, 2, "%"},
      {"X03", "Every combustible carrier used as energy has an inventory source", "能源平衡燃料品种全部纳入排放核算",
       "energy use (conversion input + end use − feedstock) > 0 ⇒ a fuel source stream of that carrier",
       "completeness principle (GB/T 32150-2015 basic principles; EU MRR (EU) 2018/2066 Art. 5)", "energy balance; inventory sources", 0, 0, ""},
      {"X04", "Physical quantities agree between balance and inventory", "能源平衡与排放核算实物量一致",
       "r = (FC_inventory − (conversion input + end use − feedstock)) / (conversion input + end use − feedstock)",
       std::string(kEngineering), "energy balance uses; inventory activity", 1, 1, "%"},
      {"X05", "tce vs GJ: NCV implied by the standard-coal coefficient", "折标系数与低位发热量一致",
       "implied NCV = tce per unit × 29.3076 GJ/tce against the inventory's activity-weighted NCV",
       std::string(kEngineering), "energy balance coefficients; inventory NCV terms", 10, 25, "%"},
      {"X06", "Energy-balance closure", "能量平衡闭合",
       "gap = supply − uses − losses per carrier, converter and in total (GB/T 3484-2009)",
       "GB/T 3484-2009 balance equations; tolerance: the balance's own (engineering default 2 % / 5 %)",
       "energy balance", 0, 0, ""},
      {"X07", "Carbon per unit heat plausibility", "单位热值含碳量合理性",
       "CC = C_ar / NCV_ar within coal 0.024–0.030, natural gas 0.0150–0.0156, oils 0.0185–0.0215 tC/GJ",
       std::string(kEngineering), "carbon content and NCV (measured or stated)", 0, 10, "%"},
      {"X08", "Lab NCV vs gross CV, hydrogen and moisture", "化验低位发热量与高位发热量、氢、水分一致",
       "Q_net,ar = (Q_gr,ad − 206·H_ad) × (100 − M_t)/(100 − M_ad) − 23·M_t (J/g)",
       "GB/T 213 (coal calorific value) formula; tolerance: engineering default (≈ reproducibility)",
       "measured gcv (air-dried, with moistures), hydrogen and ncv", 120, 300, "J/g"},
      {"X09", "As-received vs air-dried carbon basis", "收到基与空干基碳含量换算一致",
       "C_ar = C_ad × (100 − M_t)/(100 − M_ad)", "basis conversion (GB/T 483); tolerance: engineering default",
       "measured carbon_content (as received) and carbon_content_ad with moistures", 0.1, 0.5,
       "percentage points"},
      {"X10", "Measured vs default: oxidation bounds and NCV deviation", "实测值与缺省值偏差",
       "OF in 0.85–1.00 (error outside); |measured NCV − dataset default| / default",
       std::string(kEngineering), "inventory OF terms; measured NCV and a dataset default", 15, 30, "%"},
      {"X12", "Heat rate of generating units", "发电机组煤耗",
       "coal rate = input tce × (1 − 供热比) × 10^6 / electricity output kWh against the design or test coal rate",
       "engineering default (domain reference X12: ±3 % of design or test)", "converter inputs/outputs; design_coal_rate",
       3, 10, "%"},
      {"X13", "Energy intensity vs benchmark", "单位产品能耗与基准值",
       "comprehensive energy per product unit above the product's stated benchmark (CP indicator level, limit)",
       "the benchmark's own source (stated in the document); grading: engineering default (1.3 × benchmark)",
       "energy balance products with a benchmark", 0, 30, "%"},
      {"X14", "Implied CO2 per tce", "单位标准煤二氧化碳排放",
       "CO2_inventory / tce_balance (energy use × coefficient) within CC range × 29.3076 × OF 0.93–1.00 × 44/12",
       std::string(kEngineering), "inventory CO2 per carrier; energy balance coefficients", 5, 10, "%"},
      {"X15", "Production vs sales and stock", "产量与销量、库存一致",
       "(production − sales − (closing − opening stock)) / production", std::string(kEngineering),
       "production records with sales and stock", 1, 3, "%"},
      {"X16", "Carbonate vs clinker process CO2", "碳酸盐法与熟料法一致",
       "(CO2_carbonates − CO2_clinker) / CO2_clinker", "engineering default (domain reference X16: ≤ 5 %)",
       "carbonate and clinker sources", 5, 10, "%"},
      {"X18", "Month-on-month and year-on-year plausibility", "逐月、逐年数据合理性",
       "a month identical to the previous one; |Δ intensity| month on month (monthly sources over monthly "
       "production) and year on year (against last year's inventory)",
       "engineering default (domain reference X18: |Δ intensity| > 10 % YoY without a documented cause)",
       "monthly activity; monthly production; last year's inventory", 10, 25, "%"},
      {"X19", "Double counting of own generation, exports and resold electricity", "自发电、输出电量重复计算",
       "inventory purchased (exported) electricity = the balance's purchased (exported); own generation is neither",
       "GB/T 32150-2015 (net purchased electricity); tolerance: engineering default (meter rounding)",
       "energy balance electricity column; inventory electricity sources", 0.5, 0.5, "%"},
      {"X20", "Convention consistency (GWP set, CO2/C ratio)", "核算约定一致（GWP、碳氧转换系数）",
       "reported conventions = the conventions the verification applies", "the verification's declared conventions",
       "a reported inventory", 0, 0, ""},
      {"X22", "Materiality of the misstatements found", "错报的实质性",
       "Σ|reported − recomputed| / recomputed total > 5 % (≤ 500 kt) or 2 % (> 500 kt)",
       "Commission Implementing Regulation (EU) 2018/2067 (AVR) Art. 23; categories per (EU) 2018/2066 Art. 19",
       "a reported inventory", 0, 0, ""},
  };
  return catalogue;
}

Severity VerificationReport::Worst() const {
  Severity w = Severity::kInfo;
  for (const auto& f : findings) w = std::max(w, f.severity);
  return w;
}

Reconciliation Reconcile(const Inventory& reported, const Inventory& recomputed) {
  Reconciliation r;
  std::map<std::string, const InventoryLine*> mine;
  for (const auto& l : recomputed.lines) {
    if (Counted(l)) mine[LineKey(l)] = &l, r.recomputed_total += l.co2e_t;
  }
  std::set<std::string> seen;
  for (const auto& rep : reported.lines) {
    if (!Counted(rep)) continue;
    r.reported_total += rep.co2e_t;
    ReconciliationLine rl{rep.source_id, rep.period, rep.gas, rep.part, rep.co2e_t, 0, {}};
    auto it = mine.find(LineKey(rep));
    if (it == mine.end()) {
      rl.parts["extra"] = rep.co2e_t;
      r.lines.push_back(std::move(rl));
      continue;
    }
    if (!seen.insert(it->first).second) {
      // The same source, period, gas and part reported twice: the second is counted in the reported
      // total but matches nothing, so it is a misstatement of its whole amount (a duplicated line once
      // reconciled with no finding while inflating the total by 15.8 %).
      rl.parts["duplicate"] = rep.co2e_t;
      r.lines.push_back(std::move(rl));
      continue;
    }
    const InventoryLine& re = *it->second;
    rl.recomputed_t = re.co2e_t;
    // Sequential substitution over the recomputed terms, replaced one by one with the reported ones.
    bool comparable = rep.terms.size() == re.terms.size();
    std::vector<double> a, b;  // recomputed, reported (scaled)
    for (std::size_t i = 0; comparable && i < re.terms.size(); ++i) {
      auto x = Scaled(re.terms[i]), y = Scaled(rep.terms[i]);
      comparable = x && y && re.terms[i].name == rep.terms[i].name && *x != 0;
      if (comparable) a.push_back(*x), b.push_back(*y);
    }
    double reported_mass = re.mass_t;
    if (comparable) {
      double product = 1;
      for (double v : a) product *= v;
      const double k = re.mass_t / product;
      std::vector<double> cur = a;
      double prev = re.mass_t;
      for (std::size_t i = 0; i < cur.size(); ++i) {
        cur[i] = b[i];
        double p = k;
        for (double v : cur) p *= v;
        const auto& t = re.terms[i];
        const std::string part = t.name == "AD"                          ? "activity"
                                 : t.name == "CO2/C"                     ? "convention"
                                 : t.unit != rep.terms[i].unit ? "unit_or_basis"
                                                                         : "factor";
        rl.parts[part] += (p - prev) * re.gwp;
        prev = p;
      }
      reported_mass = prev;
      rl.parts["rounding"] += (rep.mass_t - reported_mass) * re.gwp;
    } else {
      rl.parts["factor"] += (rep.mass_t - re.mass_t) * re.gwp;
    }
    rl.parts["gwp"] += rep.mass_t * (rep.gwp - re.gwp);
    rl.parts["rounding"] += rep.co2e_t - rep.mass_t * rep.gwp;
    r.lines.push_back(std::move(rl));
  }
  for (const auto& [key, l] : mine) {
    if (seen.count(key)) continue;
    ReconciliationLine rl{l->source_id, l->period, l->gas, l->part, 0, l->co2e_t, {}};
    rl.parts["missing"] = -l->co2e_t;
    r.lines.push_back(std::move(rl));
  }
  for (const auto& l : r.lines) {
    for (const auto& [k, v] : l.parts) r.by_part[k] += v;
  }
  return r;
}

std::string VerificationReport::ToJson() const {
  json doc = {{"schema", "carbonmrv.verification/1"}, {"enterprise", enterprise}, {"year", year}};
  doc["checks_run"] = checks_run;
  doc["checks_skipped"] = checks_skipped;
  doc["status"] = findings.empty() ? "clean" : std::string(SeverityName(Worst()));
  json arr = json::array();
  // JSON has no infinity, and nlohmann writes inf as null, which reads as "not applicable": a
  // non-finite value is written as the string "inf", "-inf" or "nan" instead.
  auto num = [](double v) {
    if (std::isfinite(v)) return json(v);
    return json(std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
  };
  auto opt = [&](const std::optional<double>& v) { return v ? num(*v) : json(nullptr); };
  for (const auto& f : findings) {
    arr.push_back({{"check", f.check},          {"severity", std::string(SeverityName(f.severity))},
                   {"enterprise", f.enterprise}, {"subject", f.subject},
                   {"period", f.period},         {"observed", num(f.observed)},
                   {"expected", opt(f.expected)}, {"lower", opt(f.lower)},
                   {"upper", opt(f.upper)},       {"difference", num(f.difference)},
                   {"relative", opt(f.relative)}, {"unit", f.unit},
                   {"tolerance", f.tolerance},   {"source", f.source},
                   {"message", f.message},       {"message_zh", f.message_zh}});
  }
  doc["findings"] = arr;
  if (reconciliation) {
    json lines = json::array();
    for (const auto& l : reconciliation->lines) {
      lines.push_back({{"source", l.source}, {"period", l.period}, {"gas", l.gas}, {"part", l.part},
                       {"reported_t", l.reported_t}, {"recomputed_t", l.recomputed_t}, {"parts", l.parts}});
    }
    doc["reconciliation"] = {{"reported_total", reconciliation->reported_total},
                             {"recomputed_total", reconciliation->recomputed_total},
                             {"difference", reconciliation->reported_total - reconciliation->recomputed_total},
                             {"by_part", reconciliation->by_part},
                             {"lines", lines}};
  }
  return doc.dump(1);
}

std::string VerificationReport::ToCsv() const {
  auto field = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  auto num = [](const std::optional<double>& v) { return v ? StrCat(*v) : std::string(); };
  std::string out = "check,severity,subject,period,observed,expected,lower,upper,difference,relative,unit,tolerance,message\n";
  for (const auto& f : findings) {
    out += StrCat(f.check, ",", SeverityName(f.severity), ",", field(f.subject), ",", f.period, ",", f.observed, ",",
                  num(f.expected), ",", num(f.lower), ",", num(f.upper), ",", f.difference, ",", num(f.relative), ",",
                  field(f.unit), ",", field(f.tolerance), ",", field(f.message), "\n");
  }
  return out;
}

absl::StatusOr<VerificationReport> Verify(const Enterprise& enterprise, const FactorCatalogue& catalogue,
                                          const Inventory* reported, const VerifyOptions& options) {
  return Verifier(enterprise, catalogue, options).Run(reported);
}

}  // namespace cmrv
