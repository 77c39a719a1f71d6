// Checks of factors and laboratory data (X07–X10) and of the two process-CO2 methods (X16).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "verification/verifier.hpp"

namespace cmrv::internal {

// Carbon per heat of one record, tC/GJ, or nullopt when the record has no carbon content.
std::optional<double> Verifier::CarbonPerHeat(const SourceStream& s, const ActivityRecord& r) {
  const MeasuredParameter* mc = nullptr;
  if (auto it = r.measured.find(Parameter::kCarbonContent); it != r.measured.end()) mc = &it->second;
  const GivenQuantity* cc = mc != nullptr ? &mc->quantity : nullptr;
  if (cc == nullptr) {
    auto it = s.factors.find(Parameter::kCarbonContent);
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
  if (auto it = r.measured.find(Parameter::kNcv); it != r.measured.end()) ncv = &it->second.quantity;
  if (ncv == nullptr) {
    auto it = s.factors.find(Parameter::kNcv);
    if (it == s.factors.end()) return std::nullopt;
    ncv = &it->second.quantity;
  }
  auto n = Convert(ncv->value, ncv->unit, gj_per_t);
  if (!n.ok() || *n <= 0) return std::nullopt;
  return c_ar / *n;
}

// X07: carbon per unit heat within the family's plausible range.
bool Verifier::X07() {
  const CheckInfo& info = *Info(CheckId::kX07);
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
      f.message_zh = StrCat(s.id, " ", r.period, "：单位热值含碳量 ", *cc, " tC/GJ 超出", fam->cc_low, "–",
                            fam->cc_high, "的合理范围");
      Add(info, std::move(f), true);
    }
  }
  return true;
}

// X08: the lab's NCV against the one GB/T 213 derives from its gross CV, hydrogen and moistures:
// Q_net,ar = (Q_gr,ad − 206·H_ad) × (100 − M_t)/(100 − M_ad) − 23·M_t, in J/g.
bool Verifier::X08() {
  static const Unit j_per_g = *Unit::Parse("kJ/kg");  // = J/g
  bool any = false;
  for (const auto& s : e_.sources) {
    for (const auto& r : s.activity) {
      auto gcv = r.measured.find(Parameter::kGcv), h = r.measured.find(Parameter::kHydrogen),
           ncv = r.measured.find(Parameter::kNcv);
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
      Finding f = Against(s.id, r.period.str(), *q_net, expected, "J/g");
      f.message = StrCat(s.id, " ", r.period, ": reported NCV ", *q_net, " J/g; GB/T 213 from Q_gr,ad ", *q_gr,
                         ", H_ad ", *h_frac * 100, " %, M_t ", mt, " %, M_ad ", mad, " % gives ", expected, " J/g");
      f.message_zh = StrCat(s.id, " ", r.period, "：报告低位发热量 ", *q_net,
                            " J/g，按GB/T 213由弹筒/高位发热量计算为 ", expected, " J/g");
      GradeBy(CheckId::kX08, std::move(f), std::abs(*q_net - expected));
    }
  }
  return any || Skip(CheckId::kX08, "no record with gcv, hydrogen, moistures and ncv");
}

// X09: as-received carbon against the air-dried value converted with the moistures.
bool Verifier::X09() {
  static const Unit per_t = *Unit::Parse("tC/t");
  bool any = false;
  for (const auto& s : e_.sources) {
    for (const auto& r : s.activity) {
      auto ar = r.measured.find(Parameter::kCarbonContent), ad = r.measured.find(Parameter::kCarbonContentAd);
      if (ar == r.measured.end() || ad == r.measured.end() || ar->second.basis == "air_dried") continue;
      const auto& m = ad->second;
      if (!m.moisture_ar_pct || !m.moisture_ad_pct) continue;
      auto c_ar = Convert(ar->second.quantity.value, ar->second.quantity.unit, per_t);
      auto c_ad = Convert(m.quantity.value, m.quantity.unit, per_t);
      if (!c_ar.ok() || !c_ad.ok()) continue;
      any = true;
      const double expected = *c_ad * (100 - *m.moisture_ar_pct) / (100 - *m.moisture_ad_pct);
      Finding f = Against(s.id, r.period.str(), *c_ar, expected, "tC/t");
      f.message = StrCat(s.id, " ", r.period, ": as-received carbon ", *c_ar, " tC/t; C_ad ", *c_ad, " × (100 − ",
                         *m.moisture_ar_pct, ")/(100 − ", *m.moisture_ad_pct, ") = ", expected,
                         *c_ar > expected ? " (an air-dried value reported as as-received?)" : "");
      f.message_zh = StrCat(s.id, " ", r.period, "：收到基碳含量 ", *c_ar, "，由空干基换算应为 ", expected);
      GradeBy(CheckId::kX09, std::move(f), std::abs(*c_ar - expected) * 100);  // percentage points
    }
  }
  return any || Skip(CheckId::kX09, "no record with both carbon_content and carbon_content_ad");
}

// X10: oxidation within 0.85–1.00 (above 1 is impossible), and measured NCV against the dataset
// default of the carrier where the catalogue has one.
bool Verifier::X10() {
  const CheckInfo& info = *Info(CheckId::kX10);
  const double w = Tolerance(info).first;
  std::set<std::string> seen;
  for (const auto& l : inv_.lines) {
    if (l.gas != Gas::kCo2 || l.category != Category::kFuelCombustion) continue;
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
      auto m = r.measured.find(Parameter::kNcv);
      if (m == r.measured.end() || !du.ok()) continue;
      auto measured = Convert(m->second.quantity.value, m->second.quantity.unit, *du);
      if (!measured.ok()) continue;
      Finding f = Against(s.id, r.period.str(), *measured, def->record.value, def->record.unit);
      f.message = StrCat(s.id, " ", r.period, ": measured NCV ", *measured, " ", def->record.unit, " vs the default ",
                         def->record.value, " of ", def->dataset.id, " (", Pct(*f.relative), ")");
      f.message_zh = StrCat(s.id, " ", r.period, "：实测低位发热量 ", *measured, " 与缺省值 ", def->record.value,
                            " 偏差 ", Pct(*f.relative));
      if (def->record.lower && def->record.upper) {
        // A default published with its 95 % interval (IPCC 2006 Table 1.2) says itself what is
        // plausible: a measurement inside the interval is not a finding, one outside is a warning.
        const double lo = *def->record.lower, hi = *def->record.upper;
        if (*measured >= lo && *measured <= hi) continue;
        f.severity = Severity::kWarning;
        f.lower = lo;
        f.upper = hi;
        f.tolerance = StrCat("outside the 95 % interval ", lo, "–", hi, " ", def->record.unit, " that ",
                             def->dataset.id, " gives (", def->record.source_table, ", ", def->record.source_row, ")");
        f.message += StrCat(", outside its 95 % interval ", lo, "–", hi);
        f.message_zh += StrCat("，超出其 95 % 区间 ", lo, "–", hi);
        Add(info, std::move(f), false);
        continue;
      }
      if (std::abs(*f.relative) * 100 > w) Grade(CheckId::kX10, std::move(f));
    }
  }
  return true;
}

// X16: process CO2 from carbonate raw materials against the clinker (CaO/MgO) method.
bool Verifier::X16() {
  double carbonate = 0, clinker = 0;
  for (const auto& l : inv_.lines) {
    if (l.memo) continue;
    if (l.kind == SourceKind::kCarbonate) carbonate += l.co2e_t;
    if (l.kind == SourceKind::kClinker) clinker += l.co2e_t;
  }
  if (carbonate <= 0 || clinker <= 0) return Skip(CheckId::kX16, "needs both carbonate and clinker sources");
  Finding f = Against("inventory", std::to_string(e_.year), carbonate, clinker, "tCO2");
  f.message = StrCat("carbonate raw materials give ", carbonate, " tCO2, the clinker method ", clinker, " tCO2 (",
                     Pct(*f.relative), "); note that the inventory counts both");
  f.message_zh = StrCat("碳酸盐法 ", carbonate, " tCO2，熟料法 ", clinker, " tCO2（", Pct(*f.relative), "）");
  Grade(CheckId::kX16, std::move(f));
  return true;
}

}  // namespace cmrv::internal
