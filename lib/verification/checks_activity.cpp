// Checks of activity data over time and against production (X15, X18).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "verification/verifier.hpp"

namespace cmrv::internal {

// X15: production = sales + stock increase.
bool Verifier::X15() {
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
    Grade(CheckId::kX15, std::move(f));
  }
  return any || Skip(CheckId::kX15, "no production record states sales");
}

// X18: a month whose activity and measurements repeat the previous month's exactly; emission
// intensity month on month (sources reported monthly over monthly production) and year on year
// (against last year's inventory when given).
bool Verifier::X18() {
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
      Add(*Info(CheckId::kX18), std::move(f), false);
    }
  }
  return true;
}

void Verifier::Intensities() {
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
    if (!l.memo && l.scope != Scope::k3 && l.period.size() == 7) co2e[l.period.str()] += l.co2e_t;
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
        f.message_zh = StrCat(product, " ", month, "：排放强度 ", intensity, "，上月 ", prev->second, "（",
                              Pct(*f.relative), "）");
        Grade(CheckId::kX18, std::move(f));
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
    f.message =
        StrCat(lp.product, ": ", now_i, " tCO2e/", lp.quantity.unit_text, " in ", e_.year, " against ", last_i, " in ",
               last.year, " (", Pct(*f.relative), ") — document the cause (AVR-style year-on-year review)");
    f.message_zh = StrCat(lp.product, "：排放强度 ", now_i, "，上年 ", last_i, "（", Pct(*f.relative), "）");
    Grade(CheckId::kX18, std::move(f));
  }
}

}  // namespace cmrv::internal
