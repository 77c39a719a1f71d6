// The "cleaner_production" block of the enterprise document: reader and writer of audit rounds
// (enterprise/audit.hpp). Every problem is reported with its JSON path; references (sources,
// facilities, products, indicators) are checked against what the document declares.
#include <algorithm>
#include <map>
#include <set>

#include "carbonmrv/enterprise/audit.hpp"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/status.hpp"
#include "internal/json_reader.hpp"

namespace cmrv::internal {
namespace {

// "YYYY-MM-DD" with a month 1-12 and a day 1-31 (a calendar check is not needed for ordering).
bool ValidDate(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0U, 1U, 2U, 3U, 5U, 6U, 8U, 9U}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

class AuditReader {
 public:
  AuditReader(Reader& r, const Enterprise& e) : r_(r) {
    for (const auto& s : e.sources) {
      if (!s.activity.empty())
        source_kind_.emplace(s.id, s.activity.front().quantity.unit.kind());
      else
        source_kind_.emplace(s.id, std::nullopt);
    }
    for (const auto& f : e.facilities) facilities_.insert(f.id);
    for (const auto& p : e.production) products_.insert(p.product);
  }

  AuditRound Read(const json& a, const std::string& path) {
    r_.CheckKeys(a, path,
                 {"id", "type", "trigger", "boundary", "stages", "focus", "product", "indicators", "targets",
                  "economics", "prices", "options", "acceptance"});
    AuditRound round;
    round.id = r_.String(a, path, "id", true).value_or("");
    if (auto t = r_.Term(a, path, "type", true, ParseAuditType)) round.type = *t;
    if (a.contains("trigger")) round.trigger = r_.Term(a, path, "trigger", false, ParseAuditTrigger);
    if (round.type == AuditType::kMandatory && !a.contains("trigger")) {
      r_.Error(Reader::Join(path, "trigger"),
               "a mandatory audit states its trigger (Order No. 38 Art. 8): pollutant_discharge, energy_quota or "
               "hazardous_substances");
    }
    if (round.type == AuditType::kVoluntary && round.trigger) {
      r_.Error(Reader::Join(path, "trigger"), "only a mandatory audit has a trigger");
    }
    if (const json* b = r_.Array(a, path, "boundary", false)) {
      for (std::size_t i = 0; i < b->size(); ++i) {
        const std::string p = Reader::Index(Reader::Join(path, "boundary"), i);
        if (!(*b)[i].is_string()) {
          r_.Error(p, "expected a facility id");
          continue;
        }
        const auto id = (*b)[i].get<std::string>();
        if (!facilities_.count(id)) r_.Error(p, StrCat("no facility with id \"", id, "\""));
        round.boundary.push_back(id);
      }
    }
    ReadStages(a, path, round);
    if (const json* f = r_.Object(a, path, "focus", false)) round.focus = ReadFocus(*f, Reader::Join(path, "focus"));
    round.product = r_.String(a, path, "product", false).value_or("");
    if (!round.product.empty() && !products_.count(round.product)) {
      r_.Error(Reader::Join(path, "product"), StrCat("no production records of product \"", round.product, "\""));
    }
    ReadIndicators(a, path, round);
    ReadTargets(a, path, round);
    ReadEconomics(a, path, round);
    r_.ForEachObject(a, path, "prices", false, [&](const json& p, const std::string& pp) {
      r_.CheckKeys(p, pp, {"source", "value", "unit"});
      ActivityPrice price;
      price.source = Source(p, pp);
      if (auto up = Price(p, pp)) {
        price.price = *up;
        CheckActivityUnit(price.source, price.price.physical_unit, Reader::Join(pp, "unit"));
      }
      round.prices.push_back(std::move(price));
    });
    std::set<std::string> option_ids;
    r_.ForEachObject(a, path, "options", false, [&](const json& o, const std::string& op) {
      AuditOption opt = ReadOption(o, op);
      if (!opt.id.empty() && !option_ids.insert(opt.id).second) {
        r_.Error(Reader::Join(op, "id"), StrCat("duplicate option id \"", opt.id, "\""));
      }
      round.options.push_back(std::move(opt));
    });
    if (const json* acc = r_.Object(a, path, "acceptance", false)) {
      const std::string p = Reader::Join(path, "acceptance");
      r_.CheckKeys(*acc, p, {"result", "date", "authority"});
      AuditAcceptance ac;
      ac.result = r_.String(*acc, p, "result", true).value_or("");
      if (!ac.result.empty() && ac.result != "pending" && ac.result != "passed" && ac.result != "failed") {
        r_.Error(Reader::Join(p, "result"), StrCat("\"", ac.result, "\" is not one of pending, passed, failed"));
      }
      ac.date = r_.String(*acc, p, "date", false).value_or("");
      if (!ac.date.empty() && !ValidDate(ac.date)) r_.Error(Reader::Join(p, "date"), "expected \"YYYY-MM-DD\"");
      ac.authority = r_.String(*acc, p, "authority", false).value_or("");
      round.acceptance = ac;
    }
    return round;
  }

 private:
  // A source id that the enterprise declares; "" (with the error reported) otherwise.
  std::string Source(const json& obj, const std::string& path) {
    auto s = r_.String(obj, path, "source", true);
    if (!s) return "";
    if (!source_kind_.count(*s)) {
      r_.Error(Reader::Join(path, "source"), StrCat("no source with id \"", *s, "\" in the enterprise"));
      return "";
    }
    return *s;
  }

  // A unit text that must be of the kind of `source`'s activity.
  void CheckActivityUnit(const std::string& source, const std::string& unit_text, const std::string& path) {
    if (source.empty()) return;
    auto u = Unit::Parse(unit_text);
    if (!u.ok()) {
      r_.Error(path, std::string(u.status().message()));
      return;
    }
    const auto& k = source_kind_.at(source);
    if (k && !(*k == u->kind())) {
      r_.Error(path, StrCat("\"", unit_text, "\" is ", u->kind().Describe(), "; source \"", source,
                            "\" records its activity as ", k->Describe()));
    }
  }

  // {"value": 900, "unit": "CNY/t"}: a money unit, '/', a physical unit.
  std::optional<UnitPrice> Price(const json& obj, const std::string& path) {
    auto v = r_.Number(obj, path, "value", true);
    auto u = r_.String(obj, path, "unit", true);
    if (!v || !u) return std::nullopt;
    const auto slash = u->find('/');
    const auto scale = slash == std::string::npos ? std::nullopt : Reader::MoneyScale(u->substr(0, slash));
    if (!scale) {
      r_.Error(Reader::Join(path, "unit"), StrCat("\"", *u,
                                                  "\" is not a price; expected a money unit (CNY, 元, 10^4 "
                                                  "CNY, 万元), '/', and a physical unit: \"CNY/t\""));
      return std::nullopt;
    }
    if (*v < 0) {
      r_.Error(Reader::Join(path, "value"), StrCat(*v, " is negative; expected a price ≥ 0"));
      return std::nullopt;
    }
    return UnitPrice{*v, *u, u->substr(slash + 1), *v * *scale};
  }

  void ReadStages(const json& a, const std::string& path, AuditRound& round) {
    std::set<AuditStage> seen;
    r_.ForEachObject(a, path, "stages", false, [&](const json& s, const std::string& sp) {
      r_.CheckKeys(s, sp, {"stage", "status", "start", "end"});
      StageRecord rec;
      auto st = r_.Term(s, sp, "stage", true, ParseAuditStage);
      if (st) {
        rec.stage = *st;
        if (!seen.insert(*st).second) {
          r_.Error(Reader::Join(sp, "stage"), StrCat("stage \"", AuditStageName(*st), "\" is given twice"));
        }
      }
      if (auto status = r_.Term(s, sp, "status", true, ParseStageStatus)) rec.status = *status;
      rec.start = r_.String(s, sp, "start", false).value_or("");
      rec.end = r_.String(s, sp, "end", false).value_or("");
      for (const auto& [key, d] : {std::pair{"start", rec.start}, std::pair{"end", rec.end}}) {
        if (!d.empty() && !ValidDate(d)) r_.Error(Reader::Join(sp, key), StrCat("\"", d, "\" is not YYYY-MM-DD"));
      }
      if (ValidDate(rec.start) && ValidDate(rec.end) && rec.end < rec.start) {
        r_.Error(Reader::Join(sp, "end"), StrCat(rec.end, " is before the start ", rec.start));
      }
      round.stages.push_back(rec);
    });
  }

  AuditFocus ReadFocus(const json& f, const std::string& path) {
    r_.CheckKeys(f, path, {"criteria", "candidates", "chosen"});
    AuditFocus focus;
    std::set<std::string> ids;
    r_.ForEachObject(f, path, "criteria", true, [&](const json& c, const std::string& cp) {
      r_.CheckKeys(c, cp, {"id", "name", "weight"});
      FocusCriterion crit;
      crit.id = r_.String(c, cp, "id", true).value_or("");
      crit.name = r_.String(c, cp, "name", false).value_or("");
      if (auto w = r_.Number(c, cp, "weight", true)) {
        if (*w <= 0) r_.Error(Reader::Join(cp, "weight"), StrCat(*w, " is not > 0"));
        crit.weight = *w;
      }
      if (!crit.id.empty() && !ids.insert(crit.id).second) {
        r_.Error(Reader::Join(cp, "id"), StrCat("duplicate criterion \"", crit.id, "\""));
      }
      focus.criteria.push_back(std::move(crit));
    });
    std::set<std::string> units;
    r_.ForEachObject(f, path, "candidates", true, [&](const json& c, const std::string& cp) {
      r_.CheckKeys(c, cp, {"unit", "scores"});
      FocusCandidate cand;
      cand.unit = r_.String(c, cp, "unit", true).value_or("");
      if (!cand.unit.empty() && !units.insert(cand.unit).second) {
        r_.Error(Reader::Join(cp, "unit"), StrCat("duplicate candidate \"", cand.unit, "\""));
      }
      if (const json* sc = r_.Object(c, cp, "scores", true)) {
        const std::string sp = Reader::Join(cp, "scores");
        for (auto it = sc->begin(); it != sc->end(); ++it) {
          if (!ids.count(it.key())) r_.Error(Reader::Join(sp, it.key()), "not a criterion id of focus.criteria");
        }
        for (const auto& crit : focus.criteria) {
          auto v = r_.Number(*sc, sp, crit.id, true);
          if (v && (*v < 0 || *v > 10)) r_.Error(Reader::Join(sp, crit.id), StrCat(*v, " is not a score from 0 to 10"));
          cand.scores.push_back(v.value_or(0));
        }
      }
      focus.candidates.push_back(std::move(cand));
    });
    focus.chosen = r_.String(f, path, "chosen", false).value_or("");
    if (!focus.chosen.empty() && !units.count(focus.chosen)) {
      r_.Error(Reader::Join(path, "chosen"), StrCat("\"", focus.chosen, "\" is not one of the candidates"));
    }
    return focus;
  }

  void ReadIndicators(const json& a, const std::string& path, AuditRound& round) {
    std::set<std::string> ids;
    r_.ForEachObject(a, path, "indicators", false, [&](const json& i, const std::string& ip) {
      r_.CheckKeys(i, ip, {"id", "name", "metric", "product", "carrier", "source", "unit", "values"});
      AuditIndicator ind;
      ind.id = r_.String(i, ip, "id", true).value_or("");
      if (!ind.id.empty() && !ids.insert(ind.id).second) {
        r_.Error(Reader::Join(ip, "id"), StrCat("duplicate indicator id \"", ind.id, "\""));
      }
      ind.name = r_.String(i, ip, "name", false).value_or("");
      auto metric = r_.Term(i, ip, "metric", true, ParseMetricKind);
      if (metric) ind.metric = *metric;
      const bool per_product =
          metric && (*metric == MetricKind::kUnitProductEnergy || *metric == MetricKind::kUnitProductCarrier ||
                     *metric == MetricKind::kUnitProductCo2e);
      ind.product = r_.String(i, ip, "product", per_product).value_or("");
      if (!ind.product.empty() && !products_.count(ind.product)) {
        r_.Error(Reader::Join(ip, "product"), StrCat("no production records of product \"", ind.product, "\""));
      }
      ind.carrier = r_.String(i, ip, "carrier", metric && *metric == MetricKind::kUnitProductCarrier).value_or("");
      if (metric && *metric == MetricKind::kUnitProductSource) ind.source = Source(i, ip);
      const bool level = metric && *metric == MetricKind::kStatedLevel;
      if (auto u = r_.String(i, ip, "unit", metric && !level)) {
        ind.unit_text = *u;
        if (auto pu = Unit::Parse(*u); !pu.ok()) r_.Error(Reader::Join(ip, "unit"), std::string(pu.status().message()));
      }
      const bool stated = metric && (*metric == MetricKind::kStated || level);
      if (!stated && i.contains("values")) {
        r_.Error(Reader::Join(ip, "values"), "only a stated or stated_level indicator lists values");
      }
      if (stated) {
        r_.ForEachObject(i, ip, "values", true, [&](const json& v, const std::string& vp) {
          r_.CheckKeys(v, vp,
                       level ? std::initializer_list<std::string_view>{"year", "level", "source"}
                             : std::initializer_list<std::string_view>{"year", "value", "unit", "source"});
          StatedMetricValue sv;
          sv.year = r_.Integer(v, vp, "year", true, 1990, 2100).value_or(0);
          sv.source = r_.String(v, vp, "source", true).value_or("");
          if (level) {
            if (auto l = r_.Term(v, vp, "level", true, ParseCpLevel)) sv.level = *l;
          } else if (auto q = r_.Quantity(v, vp, false)) {
            sv.value = q->value;
            sv.unit_text = q->unit_text;
          }
          ind.values.push_back(std::move(sv));
        });
      }
      round.indicators.push_back(std::move(ind));
    });
  }

  void ReadTargets(const json& a, const std::string& path, AuditRound& round) {
    r_.ForEachObject(a, path, "targets", false, [&](const json& t, const std::string& tp) {
      r_.CheckKeys(t, tp, {"indicator", "baseline", "target", "unit", "deadline"});
      AuditTarget target;
      target.indicator = r_.String(t, tp, "indicator", true).value_or("");
      if (!target.indicator.empty() &&
          std::none_of(round.indicators.begin(), round.indicators.end(),
                       [&](const AuditIndicator& i) { return i.id == target.indicator; })) {
        r_.Error(Reader::Join(tp, "indicator"), StrCat("\"", target.indicator, "\" is not an indicator of this audit"));
      }
      target.baseline = r_.Number(t, tp, "baseline", true).value_or(0);
      target.target = r_.Number(t, tp, "target", true).value_or(0);
      if (auto u = r_.String(t, tp, "unit", true)) {
        target.unit_text = *u;
        if (auto pu = Unit::Parse(*u); !pu.ok()) r_.Error(Reader::Join(tp, "unit"), std::string(pu.status().message()));
      }
      target.deadline = r_.Integer(t, tp, "deadline", true, 1990, 2100).value_or(0);
      round.targets.push_back(std::move(target));
    });
  }

  void ReadEconomics(const json& a, const std::string& path, AuditRound& round) {
    const json* ec = r_.Object(a, path, "economics", false);
    if (ec == nullptr) return;
    const std::string p = Reader::Join(path, "economics");
    r_.CheckKeys(*ec, p, {"discount_rate_pct", "tax_rate_pct", "benchmark_rate_pct", "carbon_price"});
    auto pct = [&](std::string_view key, bool required) -> std::optional<double> {
      auto v = r_.Number(*ec, p, key, required);
      if (v && (*v < 0 || *v >= 100)) {
        r_.Error(Reader::Join(p, key), StrCat(*v, " is not a percentage in [0, 100)"));
        return std::nullopt;
      }
      return v;
    };
    round.economics.discount_rate_pct = pct("discount_rate_pct", true).value_or(0);
    round.economics.tax_rate_pct = pct("tax_rate_pct", false).value_or(0);
    round.economics.benchmark_rate_pct = pct("benchmark_rate_pct", false);
    if (const json* cp = r_.Object(*ec, p, "carbon_price", false)) {
      const std::string cpp = Reader::Join(p, "carbon_price");
      r_.CheckKeys(*cp, cpp, {"value", "unit"});
      round.economics.carbon_price = CarbonPrice(*cp, cpp);
    }
  }

 public:
  // A price per tonne of CO2e ("CNY/tCO2e", "CNY/tCO2", "万元/10^4 tCO2e"), as CNY per tCO2e.
  std::optional<UnitPrice> CarbonPrice(const json& obj, const std::string& path) {
    auto up = Price(obj, path);
    if (!up) return std::nullopt;
    auto u = Unit::Parse(up->physical_unit);
    if (!u.ok() || !(u->kind() == Kind::Of(Axis::kCO2e) || u->kind() == Kind::Of(Axis::kCO2))) {
      r_.Error(Reader::Join(path, "unit"),
               StrCat("\"", up->unit_text, "\" is not a price per mass of CO2e; expected e.g. \"CNY/tCO2e\""));
      return std::nullopt;
    }
    // Per tonne: a price per kgCO2e is 1000 times one per tCO2e.
    up->cny_per_unit /= u->scale() / 1000.0;
    return up;
  }

 private:
  AuditOption ReadOption(const json& o, const std::string& op) {
    r_.CheckKeys(o, op,
                 {"id", "title", "class", "cause", "status", "effects", "investment", "annual_om_change",
                  "other_annual_savings", "life_years", "depreciation_years"});
    AuditOption opt;
    opt.id = r_.String(o, op, "id", true).value_or("");
    opt.title = r_.String(o, op, "title", false).value_or("");
    if (auto c = r_.Term(o, op, "class", true, ParseOptionClass)) opt.option_class = *c;
    if (o.contains("cause")) opt.cause = r_.Term(o, op, "cause", false, ParseCauseAspect);
    if (auto s = r_.Term(o, op, "status", true, ParseOptionStatus)) opt.status = *s;
    r_.ForEachObject(o, op, "effects", false, [&](const json& fx, const std::string& fp) {
      r_.CheckKeys(fx, fp, {"source", "change", "change_pct"});
      OptionEffect eff;
      eff.source = Source(fx, fp);
      if (fx.contains("change") == fx.contains("change_pct")) {
        r_.Error(fp, "states exactly one of change ({value, unit}) and change_pct");
      }
      if (const json* ch = r_.Object(fx, fp, "change", false)) {
        const std::string cp = Reader::Join(fp, "change");
        r_.CheckKeys(*ch, cp, {"value", "unit"});
        if (auto q = r_.Quantity(*ch, cp, false)) {
          eff.change = q->value;
          eff.unit_text = q->unit_text;
          CheckActivityUnit(eff.source, q->unit_text.str(), Reader::Join(cp, "unit"));
        }
      }
      eff.change_pct = r_.Number(fx, fp, "change_pct", false);
      if (eff.change_pct && *eff.change_pct < -100) {
        r_.Error(Reader::Join(fp, "change_pct"), StrCat(*eff.change_pct, " is below -100 %"));
      }
      opt.effects.push_back(std::move(eff));
    });
    opt.investment = r_.Money(o, op, "investment", false, false).value_or(MoneyAmount{0, "CNY", 0});
    opt.annual_om_change = r_.Money(o, op, "annual_om_change", false, false, true).value_or(MoneyAmount{0, "CNY", 0});
    opt.other_annual_savings =
        r_.Money(o, op, "other_annual_savings", false, false, true).value_or(MoneyAmount{0, "CNY", 0});
    opt.life_years = r_.Integer(o, op, "life_years", true, 1, 100).value_or(0);
    opt.depreciation_years = r_.Integer(o, op, "depreciation_years", false, 1, 100).value_or(0);
    return opt;
  }

  Reader& r_;
  std::map<std::string, std::optional<Kind>> source_kind_;
  std::set<std::string> facilities_, products_;
};

json MoneyJson(const MoneyAmount& m) { return {{"value", m.value}, {"unit", m.unit_text}}; }
json PriceJson(const UnitPrice& p) { return {{"value", p.value}, {"unit", p.unit_text}}; }

}  // namespace

void ReadAudits(Reader& r, const json& doc, Enterprise& e) {
  const json* cp = r.Object(doc, "", "cleaner_production", false);
  if (cp == nullptr) return;
  r.CheckKeys(*cp, "cleaner_production", {"audits"});
  AuditReader reader(r, e);
  std::set<std::string> ids;
  r.ForEachObject(*cp, "cleaner_production", "audits", true, [&](const json& a, const std::string& path) {
    AuditRound round = reader.Read(a, path);
    if (!round.id.empty() && !ids.insert(round.id).second) {
      r.Error(Reader::Join(path, "id"), StrCat("duplicate audit id \"", round.id, "\""));
    }
    e.audits.push_back(std::move(round));
  });
}

json AuditsToJson(const std::vector<AuditRound>& audits) {
  json arr = json::array();
  for (const auto& a : audits) {
    json j = {{"id", a.id}, {"type", AuditTypeName(a.type)}};
    if (a.trigger) j["trigger"] = AuditTriggerName(*a.trigger);
    if (!a.boundary.empty()) j["boundary"] = a.boundary;
    if (!a.stages.empty()) {
      json st = json::array();
      for (const auto& s : a.stages) {
        json sj = {{"stage", AuditStageName(s.stage)}, {"status", StageStatusName(s.status)}};
        if (!s.start.empty()) sj["start"] = s.start;
        if (!s.end.empty()) sj["end"] = s.end;
        st.push_back(sj);
      }
      j["stages"] = st;
    }
    if (a.focus) {
      json crit = json::array(), cands = json::array();
      for (const auto& c : a.focus->criteria) {
        json cj = {{"id", c.id}, {"weight", c.weight}};
        if (!c.name.empty()) cj["name"] = c.name;
        crit.push_back(cj);
      }
      for (const auto& c : a.focus->candidates) {
        json scores = json::object();
        for (std::size_t i = 0; i < c.scores.size() && i < a.focus->criteria.size(); ++i) {
          scores[a.focus->criteria[i].id] = c.scores[i];
        }
        cands.push_back({{"unit", c.unit}, {"scores", scores}});
      }
      j["focus"] = {{"criteria", crit}, {"candidates", cands}};
      if (!a.focus->chosen.empty()) j["focus"]["chosen"] = a.focus->chosen;
    }
    if (!a.product.empty()) j["product"] = a.product;
    if (!a.indicators.empty()) {
      json arr_i = json::array();
      for (const auto& i : a.indicators) {
        json ij = {{"id", i.id}, {"metric", MetricKindName(i.metric)}};
        if (!i.name.empty()) ij["name"] = i.name;
        if (!i.product.empty()) ij["product"] = i.product;
        if (!i.carrier.empty()) ij["carrier"] = i.carrier;
        if (!i.source.empty()) ij["source"] = i.source;
        if (!i.unit_text.empty()) ij["unit"] = i.unit_text;
        if (i.metric == MetricKind::kStated || i.metric == MetricKind::kStatedLevel) {
          json vals = json::array();
          for (const auto& v : i.values) {
            json vj = {{"year", v.year}};
            if (i.metric == MetricKind::kStatedLevel) {
              vj["level"] = CpLevelName(v.level);
            } else {
              vj["value"] = v.value;
              vj["unit"] = v.unit_text;
            }
            vj["source"] = v.source;
            vals.push_back(vj);
          }
          ij["values"] = vals;
        }
        arr_i.push_back(ij);
      }
      j["indicators"] = arr_i;
    }
    if (!a.targets.empty()) {
      json ts = json::array();
      for (const auto& t : a.targets) {
        ts.push_back({{"indicator", t.indicator},
                      {"baseline", t.baseline},
                      {"target", t.target},
                      {"unit", t.unit_text},
                      {"deadline", t.deadline}});
      }
      j["targets"] = ts;
    }
    json ec = {{"discount_rate_pct", a.economics.discount_rate_pct}, {"tax_rate_pct", a.economics.tax_rate_pct}};
    if (a.economics.benchmark_rate_pct) ec["benchmark_rate_pct"] = *a.economics.benchmark_rate_pct;
    if (a.economics.carbon_price) ec["carbon_price"] = PriceJson(*a.economics.carbon_price);
    j["economics"] = ec;
    if (!a.prices.empty()) {
      json ps = json::array();
      for (const auto& p : a.prices) {
        json pj = PriceJson(p.price);
        pj["source"] = p.source;
        ps.push_back(pj);
      }
      j["prices"] = ps;
    }
    if (!a.options.empty()) {
      json os = json::array();
      for (const auto& o : a.options) {
        json oj = {{"id", o.id}, {"class", OptionClassName(o.option_class)}, {"status", OptionStatusName(o.status)}};
        if (!o.title.empty()) oj["title"] = o.title;
        if (o.cause) oj["cause"] = CauseAspectName(*o.cause);
        json fxs = json::array();
        for (const auto& fx : o.effects) {
          json fj = {{"source", fx.source}};
          if (fx.change) fj["change"] = {{"value", *fx.change}, {"unit", fx.unit_text}};
          if (fx.change_pct) fj["change_pct"] = *fx.change_pct;
          fxs.push_back(fj);
        }
        oj["effects"] = fxs;
        oj["investment"] = MoneyJson(o.investment);
        oj["annual_om_change"] = MoneyJson(o.annual_om_change);
        oj["other_annual_savings"] = MoneyJson(o.other_annual_savings);
        oj["life_years"] = o.life_years;
        if (o.depreciation_years != 0) oj["depreciation_years"] = o.depreciation_years;
        os.push_back(oj);
      }
      j["options"] = os;
    }
    if (a.acceptance) {
      json acc = {{"result", a.acceptance->result}};
      if (!a.acceptance->date.empty()) acc["date"] = a.acceptance->date;
      if (!a.acceptance->authority.empty()) acc["authority"] = a.acceptance->authority;
      j["acceptance"] = acc;
    }
    arr.push_back(j);
  }
  return {{"audits", arr}};
}

}  // namespace cmrv::internal

namespace cmrv {

absl::StatusOr<UnitPrice> ParseCarbonPrice(double value, std::string_view unit) {
  internal::Reader r;
  Enterprise e;
  internal::AuditReader reader(r, e);
  const internal::json j = {{"value", value}, {"unit", std::string(unit)}};
  auto p = reader.CarbonPrice(j, "carbon_price");
  if (!r.errors.empty() || !p) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     internal::StrJoin(r.errors, "; "));
  }
  return *p;
}

}  // namespace cmrv
