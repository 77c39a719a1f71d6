#include "carbonmrv/energy_balance/energy_balance.hpp"

#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

#include "internal/json.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace cmrv {

using internal::StrCat;
using nlohmann::json;

namespace {

constexpr std::string_view kRowNames[kBalanceRowCount] = {
    "purchased", "stock_decrease",    "exported",        "net_supply", "conversion_input", "conversion_output",
    "recovered", "distribution_loss", "main_production", "auxiliary",  "ancillary",        "heating_cooling",
    "lighting",  "other_use",         "end_use_total",   "feedstock",  "imbalance"};

constexpr std::size_t Idx(BalanceRow r) { return static_cast<std::size_t>(r); }

BalanceRow EndUseRow(EndUseSystem s) {
  switch (s) {
    case EndUseSystem::kMainProduction: return BalanceRow::kMainProduction;
    case EndUseSystem::kAuxiliary: return BalanceRow::kAuxiliary;
    case EndUseSystem::kAncillary: return BalanceRow::kAncillary;
    case EndUseSystem::kHeatingCooling: return BalanceRow::kHeatingCooling;
    case EndUseSystem::kLighting: return BalanceRow::kLighting;
    case EndUseSystem::kOther: return BalanceRow::kOtherUse;
  }
  return BalanceRow::kOtherUse;
}

struct Units {
  Unit tce, gj, kwh;
  static const Units& Get() {
    // Registry symbols: parsing cannot fail.
    static const Units u{*Unit::Parse("tce"), *Unit::Parse("GJ"), *Unit::Parse("kWh")};
    return u;
  }
};

// Standard coal and energy content of one carrier column, with provenance.
struct Coefficients {
  double tce = 0;  // calorific, per column unit
  std::optional<double> tce_equivalent;
  double gj = 0;
  std::string tce_source, equivalent_source, gj_source;
};

class Computer {
 public:
  Computer(const Enterprise& e, const EnergyBalanceData& d, std::size_t index, const FactorCatalogue& catalogue,
           const EnergyBalanceOptions& options)
      : e_(e), d_(d), path_(StrCat("energy_balances[", index, "]")), catalogue_(catalogue), options_(options) {}

  absl::StatusOr<EnergyBalance> Run() {
    EnergyBalance b;
    b.enterprise_name = e_.name;
    b.uscc = e_.uscc;
    b.year = e_.year;
    b.period = d_.period;
    b.convention = d_.convention;
    b.feedstock = d_.feedstock;
    b.warning_pct = d_.warning_pct;
    b.error_pct = d_.error_pct;
    for (std::size_t i = 0; i < d_.carriers.size(); ++i) {
      auto col = Column(i);
      if (!col.ok()) return col.status();
      index_[d_.carriers[i].carrier] = b.columns.size();
      b.columns.push_back(*std::move(col));
    }
    auto add = [&](const BalanceFlow& f, BalanceRow row) -> absl::Status {
      auto& col = b.columns[index_.at(f.carrier)];
      auto v = Convert(f.quantity.value, f.quantity.unit, d_.carriers[index_.at(f.carrier)].unit);
      if (!v.ok()) return v.status();
      col.physical[Idx(row)] += *v;
      return absl::OkStatus();
    };
    for (const auto& c : d_.converters) {
      ConverterEfficiency ce{c.id};
      for (const auto& f : c.inputs) {
        if (auto st = add(f, BalanceRow::kConversionInput); !st.ok()) return st;
        ce.input_gj += GJ(b, f);
      }
      for (const auto& f : c.outputs) {
        if (auto st = add(f, BalanceRow::kConversionOutput); !st.ok()) return st;
        ce.output_gj += GJ(b, f);
      }
      ce.loss_gj = ce.input_gj - ce.output_gj;
      ce.efficiency = ce.input_gj > 0 ? ce.output_gj / ce.input_gj : 0;
      b.converters.push_back(ce);
    }
    for (const auto& f : d_.distribution_losses) {
      if (auto st = add(f, BalanceRow::kDistributionLoss); !st.ok()) return st;
    }
    double end_use_gj = 0, useful_gj = 0, useful_base_gj = 0;
    for (const auto& u : d_.end_uses) {
      if (auto st = add(u.flow, EndUseRow(u.system)); !st.ok()) return st;
      if (auto st = add(u.flow, BalanceRow::kEndUseTotal); !st.ok()) return st;
      if (u.feedstock) {
        if (auto st = add(u.flow, BalanceRow::kFeedstock); !st.ok()) return st;
      }
      end_use_gj += GJ(b, u.flow);
      if (u.useful) {
        auto v = Convert(u.useful->value, u.useful->unit, Units::Get().gj);
        if (!v.ok()) return v.status();
        useful_gj += *v;
        useful_base_gj += GJ(b, u.flow);
      }
    }
    for (const auto& r : d_.recovered) {
      if (auto st = add(r.flow, BalanceRow::kRecovered); !st.ok()) return st;
    }
    // Supply side of every column, then the gap.
    for (std::size_t i = 0; i < b.columns.size(); ++i) {
      const auto& bc = d_.carriers[i];
      auto& p = b.columns[i].physical;
      auto amount = [&](const std::optional<GivenQuantity>& q) -> absl::StatusOr<double> {
        if (!q) return 0.0;
        return Convert(q->value, q->unit, bc.unit);
      };
      auto purchased = amount(bc.purchased), opening = amount(bc.opening_stock), closing = amount(bc.closing_stock),
           exported = amount(bc.exported);
      for (const auto* s : {&purchased, &opening, &closing, &exported}) {
        if (!s->ok()) return s->status();
      }
      p[Idx(BalanceRow::kPurchased)] = *purchased;
      p[Idx(BalanceRow::kStockDecrease)] = *opening - *closing;
      p[Idx(BalanceRow::kExported)] = *exported;
      p[Idx(BalanceRow::kNetSupply)] = *purchased + (*opening - *closing) - *exported;
      const double in =
          p[Idx(BalanceRow::kNetSupply)] + p[Idx(BalanceRow::kConversionOutput)] + p[Idx(BalanceRow::kRecovered)];
      const double out = p[Idx(BalanceRow::kConversionInput)] + p[Idx(BalanceRow::kDistributionLoss)] +
                         p[Idx(BalanceRow::kEndUseTotal)];
      p[Idx(BalanceRow::kImbalance)] = in - out;
      const auto& col = b.columns[i];
      b.closures.push_back(
          Gap(col.carrier, "supply_and_use", col.unit, in, in - out, col.gj_per_unit, col.tce_per_unit_calorific));
    }
    // Converters with a measured loss close on their own: input = output + loss (GB/T 3484).
    for (std::size_t i = 0; i < d_.converters.size(); ++i) {
      const auto& c = d_.converters[i];
      if (!c.loss) continue;
      auto loss = Convert(c.loss->value, c.loss->unit, Units::Get().gj);
      if (!loss.ok()) return loss.status();
      const auto& ce = b.converters[i];
      b.closures.push_back(
          Gap(c.id, "conversion", "GJ", ce.input_gj, ce.input_gj - ce.output_gj - *loss, 1.0, 1.0 / 29.3076));
    }
    double supply_tce = 0, gap_tce = 0;
    for (std::size_t i = 0; i < b.columns.size(); ++i) {
      const auto& c = b.closures[i];
      supply_tce += c.supply * b.columns[i].tce_per_unit_calorific;
      gap_tce += c.imbalance_tce;
    }
    b.closures.push_back(Gap("total", "total", "tce", supply_tce, gap_tce, 29.3076, 1.0));
    // Efficiencies in GJ (calorific energy: what physically flows).
    double in_gj = 0, out_gj = 0;
    for (const auto& ce : b.converters) in_gj += ce.input_gj, out_gj += ce.output_gj;
    b.conversion_efficiency = in_gj > 0 ? out_gj / in_gj : 0;
    double loss_gj = 0;
    for (const auto& f : d_.distribution_losses) loss_gj += GJ(b, f);
    if (end_use_gj + loss_gj > 0) b.distribution_efficiency = end_use_gj / (end_use_gj + loss_gj);
    if (useful_base_gj > 0) {
      b.end_use_efficiency = useful_gj / useful_base_gj;
      b.end_use_useful_coverage = useful_base_gj / end_use_gj;
    }
    b.notes = notes_;
    // Intensities under the declared convention and feedstock rule.
    const double total = b.ComprehensiveTce();
    if (d_.products.size() == 1 || std::all_of(d_.products.begin(), d_.products.end(),
                                               [](const BalanceProduct& p) { return p.energy_share.has_value(); })) {
      for (const auto& p : d_.products) {
        const double share = p.energy_share.value_or(1.0);
        b.products.push_back({p.product, p.quantity.value, p.quantity.unit_text.str(), share,
                              total * 1000.0 * share / p.quantity.value});
      }
    } else if (!d_.products.empty()) {
      b.notes.push_back(StrCat(path_,
                               ".products: several products without energy_share; per-product comprehensive "
                               "consumption is not computed (GB/T 2589 attributes energy to each product)"));
    }
    if (d_.output_value) b.tce_per_10k_cny = total / (d_.output_value->cny / 1e4);
    return b;
  }

 private:
  double GJ(const EnergyBalance& b, const BalanceFlow& f) const {
    const std::size_t i = index_.at(f.carrier);
    // The reader checked the flow's kind against its column, so this conversion cannot fail.
    return Convert(f.quantity.value, f.quantity.unit, d_.carriers[i].unit).value_or(0.0) * b.columns[i].gj_per_unit;
  }

  Closure Gap(std::string subject, std::string link, std::string unit, double supply, double gap, double gj_per_unit,
              double tce_per_unit) const {
    Closure c{std::move(subject), std::move(link), std::move(unit),   supply, gap, gap * gj_per_unit,
              gap * tce_per_unit, std::nullopt,    ClosureStatus::kOk};
    // Rounding noise of the sums is not a gap.
    const double noise = 1e-9 * std::max(1.0, std::abs(supply));
    if (supply > 0) {
      c.relative = gap / supply;
      const double pct = std::abs(*c.relative) * 100;
      c.status = pct > d_.error_pct     ? ClosureStatus::kError
                 : pct > d_.warning_pct ? ClosureStatus::kWarning
                                        : ClosureStatus::kOk;
    } else if (std::abs(gap) > noise) {
      c.status = ClosureStatus::kError;  // uses with no supply at all
    }
    if (std::abs(gap) <= noise) c.status = ClosureStatus::kOk;
    return c;
  }

  // 等价值 of an energy carrier from a stated rate (standard coal per energy, e.g. gce/kWh): the
  // rate as a pure ratio of energies times the column unit's own energy in tce.
  static absl::Status SetEquivalent(BalanceColumn& col, const StatedFactor& rate, const Unit& unit,
                                    std::string_view which) {
    auto ratio = Convert(rate.quantity.value, rate.quantity.unit, Unit());
    if (!ratio.ok()) return ratio.status();
    auto tce = Convert(1.0, unit, Units::Get().tce);
    if (!tce.ok()) return tce.status();
    col.tce_per_unit_equivalent = *ratio * *tce;
    col.equivalent_source = StrCat("等价值: ", which, " coal rate ", rate.quantity.value, " ", rate.quantity.unit_text,
                                   " (", rate.source, ")");
    return absl::OkStatus();
  }

  absl::StatusOr<BalanceColumn> Column(std::size_t i) {
    const auto& bc = d_.carriers[i];
    const auto* carrier = CarrierCatalogue::Builtin().Find(bc.carrier);
    BalanceColumn col;
    col.carrier = bc.carrier;
    col.name_zh = carrier != nullptr ? carrier->name_zh : "";
    col.unit = bc.unit_text;
    const std::string where = StrCat(path_, ".carriers[", i, "] (", bc.carrier, ")");
    const Units& u = Units::Get();
    const Unit tce_per = u.tce / bc.unit, gj_per = u.gj / bc.unit;
    const bool energy_unit = bc.unit.kind() == Kind::Of(Axis::kEnergy);
    const std::string_view cls = carrier != nullptr ? std::string_view(carrier->carrier_class) : std::string_view();
    auto convert = [&](double v, const Unit& from, const Unit& to) { return Convert(v, from, to); };
    if (cls == "electricity") {
      // GB/T 2589 当量值 as published (0.1229), not the unrounded 3.6/29.3076.
      auto per_kwh = convert(1.0, bc.unit, u.kwh);
      if (!per_kwh.ok()) return per_kwh.status();
      col.tce_per_unit_calorific = *per_kwh * kElectricityCalorificKgcePerKwh / 1000.0;
      col.coefficient_source = "GB/T 2589 当量值 0.1229 kgce/kWh (as published)";
      if (d_.generation_coal_rate) {
        if (auto st = SetEquivalent(col, *d_.generation_coal_rate, bc.unit, "generation"); !st.ok()) return st;
      }
    } else if (bc.coefficient) {
      auto v = convert(bc.coefficient->quantity.value, bc.coefficient->quantity.unit, tce_per);
      if (!v.ok()) return v.status();
      col.tce_per_unit_calorific = *v;
      col.coefficient_source = StrCat("stated in the document: ", bc.coefficient->quantity.value, " ",
                                      bc.coefficient->quantity.unit_text, " (", bc.coefficient->source, ")");
    } else if (bc.ncv) {
      auto v = convert(bc.ncv->quantity.value, bc.ncv->quantity.unit, tce_per);
      if (!v.ok()) return v.status();
      col.tce_per_unit_calorific = *v;
      col.coefficient_source = StrCat("measured NCV ", bc.ncv->quantity.value, " ", bc.ncv->quantity.unit_text,
                                      " / 29.3076 GJ/tce (", bc.ncv->source, ")");
    } else if (energy_unit) {
      auto v = convert(1.0, bc.unit, u.tce);
      if (!v.ok()) return v.status();
      col.tce_per_unit_calorific = *v;
      col.coefficient_source = "energy unit: 1 kgce = 29.3076 MJ (GB/T 2589)";
    } else {
      const std::string region = e_.region.empty() ? "GLOBAL" : e_.region;
      auto sel =
          catalogue_.Lookup({bc.carrier, "coal_equivalent", "", region, e_.year, options_.coefficient_preference});
      if (!sel.ok()) {
        return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kMissingParameter,
                         StrCat(where,
                                ": no standard-coal coefficient: give a measured ncv or a stated coefficient, or "
                                "load a dataset with coal_equivalent for ",
                                bc.carrier, " (", sel.status().message(), ")"));
      }
      auto unit = Unit::Parse(sel->record.unit);
      if (!unit.ok()) return unit.status();
      auto v = convert(sel->record.value, *unit, tce_per);
      if (!v.ok()) {
        return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
                         StrCat(where, ": dataset coefficient ", sel->record.value, " ", sel->record.unit,
                                " does not apply to the column unit \"", bc.unit_text, "\": ", v.status().message()));
      }
      col.tce_per_unit_calorific = *v;
      col.coefficient_source =
          StrCat("dataset ", sel->dataset.id, " line ", sel->record.line, " (", sel->record.source_table, ", ",
                 sel->record.source_row, "): ", sel->record.value, " ", sel->record.unit, ", confidence ",
                 sel->record.confidence, ", sha256 ", sel->dataset.sha256);
      if (sel->record.confidence != "primary") {
        notes_.push_back(StrCat(bc.carrier, ": coefficient from a ", sel->record.confidence, " transcription (",
                                sel->dataset.id, "); check it against the published table"));
      }
    }
    if (cls == "heat" && d_.heat_coal_rate) {
      if (auto st = SetEquivalent(col, *d_.heat_coal_rate, bc.unit, "heat"); !st.ok()) return st;
    } else if (cls != "electricity") {
      col.tce_per_unit_equivalent = col.tce_per_unit_calorific;
      col.equivalent_source = "same as 当量值";
      if (cls == "heat" && d_.convention == ElectricityConvention::kEquivalent) {
        notes_.push_back(
            StrCat(bc.carrier, ": no heat_coal_rate stated; heat counted at its calorific value under 等价值"));
      }
    }
    // Energy content.
    if (energy_unit) {
      col.gj_per_unit = *convert(1.0, bc.unit, u.gj);
      col.gj_source = "energy unit";
    } else if (bc.ncv) {
      auto v = convert(bc.ncv->quantity.value, bc.ncv->quantity.unit, gj_per);
      if (!v.ok()) return v.status();
      col.gj_per_unit = *v;
      col.gj_source = "measured NCV";
    } else {
      col.gj_per_unit = *convert(col.tce_per_unit_calorific, tce_per, gj_per);
      col.gj_source = "from the standard-coal coefficient × 29.3076 GJ/tce";
    }
    return col;
  }

  const Enterprise& e_;
  const EnergyBalanceData& d_;
  std::string path_;
  const FactorCatalogue& catalogue_;
  const EnergyBalanceOptions& options_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::string> notes_;
};

double Coefficient(const BalanceColumn& c, std::string_view basis) {
  if (basis == "tce_equivalent") return c.tce_per_unit_equivalent.value_or(0.0);
  if (basis == "GJ") return c.gj_per_unit;
  return c.tce_per_unit_calorific;
}

std::string ResolveBasis(const EnergyBalance& b, std::string_view basis) {
  if (basis == "tce") return b.convention == ElectricityConvention::kEquivalent ? "tce_equivalent" : "tce_calorific";
  return std::string(basis);
}

absl::Status CheckBasis(const EnergyBalance& b, const std::string& basis) {
  if (basis != "physical" && basis != "GJ" && basis != "tce_calorific" && basis != "tce_equivalent") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat("basis \"", basis, "\" is not one of physical, GJ, tce, tce_calorific, tce_equivalent"));
  }
  if (basis == "tce_equivalent") {
    for (const auto& c : b.columns) {
      if (!c.tce_per_unit_equivalent) {
        return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kNeedsContext,
                         StrCat("the equivalent value (等价值) of ", c.carrier,
                                " needs convention.generation_coal_rate in the balance"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view BalanceRowName(BalanceRow row) { return kRowNames[Idx(row)]; }

std::optional<BalanceRow> ParseBalanceRow(std::string_view name) {
  for (std::size_t i = 0; i < kBalanceRowCount; ++i) {
    if (kRowNames[i] == name) return static_cast<BalanceRow>(i);
  }
  return std::nullopt;
}

std::string_view ClosureStatusName(ClosureStatus s) {
  switch (s) {
    case ClosureStatus::kOk: return "ok";
    case ClosureStatus::kWarning: return "warning";
    case ClosureStatus::kError: return "error";
  }
  return "unknown";
}

absl::StatusOr<double> EnergyBalance::ComprehensiveTce(ElectricityConvention as, FeedstockRule feedstock_rule) const {
  const bool include_feedstock = feedstock_rule == FeedstockRule::kInclude;
  const std::string basis = StrCat("tce_", ElectricityConventionName(as));
  if (auto st = CheckBasis(*this, basis); !st.ok()) return st;
  // GB/T 2589: Σ e_i p_i over the energy the boundary consumed (purchases, stock decrease, less
  // exports); energy produced or recovered inside is not counted again.
  double sum = 0;
  for (const auto& c : columns) {
    double q = c.physical[Idx(BalanceRow::kNetSupply)];
    if (!include_feedstock) q -= c.physical[Idx(BalanceRow::kFeedstock)];
    sum += q * Coefficient(c, basis);
  }
  return sum;
}

double EnergyBalance::ComprehensiveTce() const {
  // The declared convention was validated when the document was read (equivalent needs its rate).
  return ComprehensiveTce(convention, feedstock).value_or(0.0);
}

absl::StatusOr<double> EnergyBalance::Cell(BalanceRow row, std::string_view carrier, std::string_view basis) const {
  const std::string b = ResolveBasis(*this, basis);
  if (auto st = CheckBasis(*this, b); !st.ok()) return st;
  if (carrier == "total") {
    if (b == "physical") {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
                       "the total column has no physical unit (carriers differ); use GJ or tce");
    }
    double sum = 0;
    for (const auto& c : columns) sum += c.physical[Idx(row)] * Coefficient(c, b);
    return sum;
  }
  for (const auto& c : columns) {
    if (c.carrier == carrier) return b == "physical" ? c.physical[Idx(row)] : c.physical[Idx(row)] * Coefficient(c, b);
  }
  std::string ids;
  for (const auto& c : columns) ids += StrCat(ids.empty() ? "" : ", ", c.carrier);
  return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kUnknownCarrier,
                   StrCat("carrier \"", carrier, "\" is not in the balance; columns: ", ids, ", total"));
}

ClosureStatus EnergyBalance::Status() const {
  ClosureStatus worst = ClosureStatus::kOk;
  for (const auto& c : closures) worst = std::max(worst, c.status);
  return worst;
}

absl::StatusOr<std::string> EnergyBalance::ToCsv(std::string_view basis) const {
  const std::string b = ResolveBasis(*this, basis);
  if (auto st = CheckBasis(*this, b); !st.ok()) return st;
  auto quote = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  };
  std::string out = "row";
  for (const auto& c : columns) out += "," + quote(b == "physical" ? StrCat(c.carrier, " [", c.unit, "]") : c.carrier);
  if (b != "physical") out += ",total";
  out += "\n";
  for (std::size_t r = 0; r < kBalanceRowCount; ++r) {
    out += std::string(kRowNames[r]);
    for (const auto& c : columns) out += StrCat(",", *Cell(static_cast<BalanceRow>(r), c.carrier, b));
    if (b != "physical") out += StrCat(",", *Cell(static_cast<BalanceRow>(r), "total", b));
    out += "\n";
  }
  return out;
}

std::string EnergyBalance::ToJson() const {
  json doc = {{"schema", "carbonmrv.energy_balance/1"}};
  doc["enterprise"] = {{"name", enterprise_name}, {"uscc", uscc}, {"year", year}};
  doc["period"] = period;
  doc["conventions"] = {{"electricity", std::string(ElectricityConventionName(convention))},
                        {"feedstock", feedstock},
                        {"tolerance", {{"warning_pct", warning_pct}, {"error_pct", error_pct}}}};
  json rows = json::array();
  for (auto n : kRowNames) rows.push_back(std::string(n));
  doc["rows"] = rows;
  json cols = json::array();
  for (const auto& c : columns) {
    json j = {{"carrier", c.carrier},
              {"name_zh", c.name_zh},
              {"unit", c.unit},
              {"tce_per_unit", {{"calorific", c.tce_per_unit_calorific}, {"equivalent", nullptr}}},
              {"gj_per_unit", c.gj_per_unit},
              {"coefficient_source", c.coefficient_source},
              {"equivalent_source", c.equivalent_source},
              {"gj_source", c.gj_source}};
    if (c.tce_per_unit_equivalent) j["tce_per_unit"]["equivalent"] = *c.tce_per_unit_equivalent;
    json phys = json::object();
    for (std::size_t r = 0; r < kBalanceRowCount; ++r) phys[std::string(kRowNames[r])] = c.physical[r];
    j["physical"] = phys;
    cols.push_back(j);
  }
  doc["columns"] = cols;
  json total = json::object();
  for (std::string_view basis : {"GJ", "tce"}) {
    json t = json::object();
    for (std::size_t r = 0; r < kBalanceRowCount; ++r)
      t[std::string(kRowNames[r])] = *Cell(static_cast<BalanceRow>(r), "total", basis);
    total[std::string(basis)] = t;
  }
  doc["total"] = total;
  json closure = json::array();
  for (const auto& c : closures) {
    closure.push_back({{"subject", c.subject},
                       {"link", c.link},
                       {"unit", c.unit},
                       {"supply", c.supply},
                       {"imbalance", c.imbalance},
                       {"imbalance_gj", c.imbalance_gj},
                       {"imbalance_tce", c.imbalance_tce},
                       {"relative", c.relative ? json(*c.relative) : json(nullptr)},
                       {"status", std::string(ClosureStatusName(c.status))}});
  }
  doc["closure"] = closure;
  doc["status"] = std::string(ClosureStatusName(Status()));
  json comp = {{"tce", ComprehensiveTce()}};
  for (ElectricityConvention conv : {ElectricityConvention::kCalorific, ElectricityConvention::kEquivalent}) {
    for (FeedstockRule rule : {FeedstockRule::kInclude, FeedstockRule::kExclude}) {
      auto v = ComprehensiveTce(conv, rule);
      comp[StrCat(ElectricityConventionName(conv), rule == FeedstockRule::kInclude ? "" : "_excl_feedstock", "_tce")] =
          v.ok() ? json(*v) : json(nullptr);
    }
  }
  doc["comprehensive"] = comp;
  json prods = json::array();
  for (const auto& p : products) {
    prods.push_back({{"product", p.product},
                     {"quantity", p.quantity},
                     {"unit", p.unit},
                     {"share", p.share},
                     {"kgce_per_unit", p.kgce_per_unit}});
  }
  doc["intensity"] = {{"per_product", prods},
                      {"tce_per_10k_cny", tce_per_10k_cny ? json(*tce_per_10k_cny) : json(nullptr)}};
  json convs = json::array();
  for (const auto& c : converters) {
    convs.push_back({{"id", c.id},
                     {"input_gj", c.input_gj},
                     {"output_gj", c.output_gj},
                     {"loss_gj", c.loss_gj},
                     {"efficiency", c.efficiency}});
  }
  doc["efficiency"] = {{"converters", convs},
                       {"conversion", conversion_efficiency},
                       {"distribution", distribution_efficiency ? json(*distribution_efficiency) : json(nullptr)},
                       {"end_use", end_use_efficiency ? json(*end_use_efficiency) : json(nullptr)},
                       {"end_use_useful_coverage", end_use_useful_coverage}};
  doc["notes"] = notes;
  return doc.dump(1);
}

absl::StatusOr<EnergyBalance> ComputeEnergyBalance(const Enterprise& enterprise, const FactorCatalogue& catalogue,
                                                   const EnergyBalanceOptions& options) {
  const auto& balances = enterprise.energy_balances;
  std::string periods;
  for (const auto& d : balances) periods += StrCat(periods.empty() ? "" : ", ", d.period);
  if (balances.empty()) {
    return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kNotFound,
                     "the enterprise document has no energy_balances");
  }
  std::size_t index = 0;
  if (options.period.empty()) {
    if (balances.size() > 1) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       StrCat("the document has balances for several periods (", periods, "); name one"));
    }
  } else {
    auto it = std::find_if(balances.begin(), balances.end(),
                           [&](const EnergyBalanceData& d) { return d.period == options.period; });
    if (it == balances.end()) {
      return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kNotFound,
                       StrCat("no energy balance for period \"", options.period, "\"; periods given: ", periods));
    }
    index = static_cast<std::size_t>(it - balances.begin());
  }
  auto balance = Computer(enterprise, balances[index], index, catalogue, options).Run();
  // Sums of finite entries may still overflow: refused, never returned as OK holding inf.
  if (balance.ok() && !std::isfinite(balance->ComprehensiveTce())) {
    return MakeError(absl::StatusCode::kOutOfRange, ErrorDetail::kOverflow,
                     "the energy balance's comprehensive consumption exceeds the largest double; check the units");
  }
  return balance;
}

}  // namespace cmrv
