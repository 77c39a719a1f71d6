// Checks of the energy balance against the inventory (X01–X06, X12–X14, X19; docs/verification.md).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "verification/verifier.hpp"

namespace cmrv::internal {

// X01: purchases + stock decrease − exports − non-energy use against the inventory's consumption.
bool Verifier::X01() {
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
    f.message_zh = StrCat(col.name_zh, "购销存不平衡：购入+库存减少−外销−原料用 = ", supply, " ", col.unit,
                          "，排放核算消耗量 ", u.quantity, " ", col.unit, "（", Pct(*f.relative), "）");
    Grade(CheckId::kX01, std::move(f));
  }
  return true;
}

// X02: the bill against the boundary meter, where the balance records both.
bool Verifier::X02() {
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
    Grade(CheckId::kX02, std::move(f));
  }
  return any || Skip(CheckId::kX02, "no carrier records both a bill (purchased) and a meter reading (metered)");
}

// X03: every combustible carrier that enters the boundary and is used as energy has a source stream
// in the inventory. Gases made inside (blast-furnace or coke-oven gas from inventoried coke and coal)
// carry carbon that is already counted at their inputs, so they need none.
bool Verifier::X03() {
  for (const auto& col : balance_->columns) {
    const Carrier* c = CarrierOf(col.carrier);
    if (c == nullptr || !Combustible(*c)) continue;
    if (Row(col, BalanceRow::kPurchased) + Row(col, BalanceRow::kStockDecrease) <= 0) continue;
    const double energy_use =
        Row(col, BalanceRow::kConversionInput) + Row(col, BalanceRow::kEndUseTotal) - Row(col, BalanceRow::kFeedstock);
    if (energy_use <= 0) continue;
    const bool covered = std::any_of(e_.sources.begin(), e_.sources.end(), [&](const SourceStream& s) {
      return UsesFuel(s.kind) && s.carrier == col.carrier;
    });
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
    f.message_zh =
        StrCat(col.name_zh, "：能源平衡中作为能源消耗 ", energy_use, " ", col.unit, "，但排放清单中没有对应的排放源");
    Add(*Info(CheckId::kX03), std::move(f), false);
  }
  return true;
}

// X04: metered uses (conversion input + end use − feedstock) against the inventory's activity.
bool Verifier::X04() {
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
      Add(*Info(CheckId::kX04), std::move(f), false);
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
    Grade(CheckId::kX04, std::move(f));
  }
  return true;
}

// X05: the NCV implied by the balance's standard-coal coefficient against the inventory's NCV.
bool Verifier::X05() {
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
    f.message_zh = StrCat(col.name_zh, "：排放核算低位发热量 ", *inv_ncv, " GJ/", col.unit, "，能源平衡折标系数对应 ",
                          implied, "（", Pct(*f.relative), "）");
    Grade(CheckId::kX05, std::move(f));
  }
  return true;
}

// X06: the balance's own closure.
bool Verifier::X06() {
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
    Add(*Info(CheckId::kX06), std::move(f), false);
  }
  return true;
}

// X12: the coal rate of a generating unit against its design or test value.
bool Verifier::X12() {
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
    auto design =
        Convert(conv.design_coal_rate->quantity.value, conv.design_coal_rate->quantity.unit, *Unit::Parse("gce/kWh"));
    if (!design.ok()) continue;
    Finding f = Against(conv.id, balance_->period, actual, *design, "gce/kWh");
    f.message = StrCat(conv.id, ": ", tce, " tce for ", kwh / 1e3, " MWh = ", actual, " gce/kWh against the design ",
                       *design, " (", conv.design_coal_rate->source, "), ", Pct(*f.relative));
    f.message_zh = StrCat(conv.id, "：发电煤耗 ", actual, " gce/kWh，设计值 ", *design, "（", Pct(*f.relative), "）");
    Grade(CheckId::kX12, std::move(f));
  }
  return any || Skip(CheckId::kX12, "no converter states a design_coal_rate");
}

// X13: comprehensive energy per product against its stated benchmark.
bool Verifier::X13() {
  const auto& data = *std::find_if(e_.energy_balances.begin(), e_.energy_balances.end(),
                                   [&](const EnergyBalanceData& x) { return x.period == balance_->period; });
  bool any = false;
  for (const auto& p : balance_->products) {
    auto bp = std::find_if(data.products.begin(), data.products.end(),
                           [&](const BalanceProduct& x) { return x.product == p.product && x.benchmark; });
    if (bp == data.products.end()) continue;
    auto unit = Unit::Parse(StrCat("kgce/(", p.unit, ")"));
    auto bench =
        unit.ok() ? Convert(bp->benchmark->quantity.value, bp->benchmark->quantity.unit, *unit) : unit.status();
    if (!bench.ok()) {
      report_.checks_skipped.push_back(StrCat("X13: benchmark of ", p.product, ": ", bench.status().message()));
      continue;
    }
    any = true;
    Finding f = Against(p.product, balance_->period, p.kgce_per_unit, *bench, StrCat("kgce/", p.unit));
    f.message = StrCat(p.product, ": ", p.kgce_per_unit, " kgce/", p.unit, " against the benchmark ", *bench, " (",
                       bp->benchmark->source, "), ", Pct(*f.relative));
    f.message_zh = StrCat(p.product, "：单位产品综合能耗 ", p.kgce_per_unit, " kgce，基准值 ", *bench, "（",
                          Pct(*f.relative), "）");
    const double excess_pct = *f.relative * 100;  // read before f is moved into the finding
    if (f.difference > 0) GradeBy(CheckId::kX13, std::move(f), excess_pct);
  }
  return any || Skip(CheckId::kX13, "no product states a benchmark");
}

// X14: inventory CO2 per tce of the carrier against the range implied by X07's carbon range.
bool Verifier::X14() {
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
      if (l.memo || l.gas != Gas::kCo2 || l.category != Category::kFuelCombustion ||
          !InPeriod(l.period, balance_->period))
        continue;
      auto s = std::find_if(e_.sources.begin(), e_.sources.end(),
                            [&](const SourceStream& x) { return x.id == l.source_id; });
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
    f.message_zh =
        StrCat(col.name_zh, "：单位标准煤二氧化碳排放 ", implied, " tCO2/tce，超出", low, "–", high, "的范围");
    Grade(CheckId::kX14, std::move(f));
  }
  return true;
}

// X19: purchased and exported electricity in the inventory equal the balance's (own generation is
// neither purchased nor, unless sold, exported).
bool Verifier::X19() {
  auto col = std::find_if(balance_->columns.begin(), balance_->columns.end(),
                          [](const BalanceColumn& c) { return c.carrier == "electricity"; });
  if (col == balance_->columns.end()) return Skip(CheckId::kX19, "no electricity in the energy balance");
  auto unit = Unit::Parse(col->unit);
  if (!unit.ok()) return Skip(CheckId::kX19, "electricity column unit");
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
    f.message =
        StrCat("electricity ", what, ": inventory ", inv, " ", col->unit, ", energy balance ", bal, " ", col->unit,
               own_as_purchased
                   ? StrCat(" — the excess looks like own generation (", own, " ", col->unit, ") counted as purchased")
                   : std::string());
    f.message_zh = StrCat("电力", what_zh, "量不一致：排放清单 ", inv, " ", col->unit, "，能源平衡 ", bal, " ",
                          col->unit, own_as_purchased ? "，疑似将自发电计为外购电" : "");
    Grade(CheckId::kX19, std::move(f));
  }
  return true;
}

// Activity-weighted NCV of a carrier's inventory lines, GJ per `unit`, from the trace terms (AD, NCV).
std::optional<double> Verifier::InventoryNcv(const std::string& carrier, const Unit& unit) const {
  static const Unit gj = *Unit::Parse("GJ");
  const Unit gj_per = gj / unit;
  double ad_sum = 0, energy = 0;
  for (const auto& l : inv_.lines) {
    if (l.gas != Gas::kCo2 || l.category != Category::kFuelCombustion || !InPeriod(l.period, balance_->period))
      continue;
    auto s =
        std::find_if(e_.sources.begin(), e_.sources.end(), [&](const SourceStream& x) { return x.id == l.source_id; });
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

const Converter& Verifier::DataOf(std::size_t i) const {
  const auto& d = *std::find_if(e_.energy_balances.begin(), e_.energy_balances.end(),
                                [&](const EnergyBalanceData& x) { return x.period == balance_->period; });
  return d.converters[i];
}

const BalanceColumn& Verifier::Column(const std::string& carrier) const {
  return *std::find_if(balance_->columns.begin(), balance_->columns.end(),
                       [&](const BalanceColumn& c) { return c.carrier == carrier; });
}

double Verifier::Physical(const BalanceFlow& f) const {
  auto unit = Unit::Parse(Column(f.carrier).unit);
  return unit.ok() ? Convert(f.quantity.value, f.quantity.unit, *unit).value_or(0.0) : 0.0;
}

}  // namespace cmrv::internal
