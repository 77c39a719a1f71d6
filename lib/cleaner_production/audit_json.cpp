// The audit report as "carbonmrv.audit/1" JSON and as CSV tables (cleaner_production.hpp).
#include <optional>

#include "carbonmrv/cleaner_production/cleaner_production.hpp"
#include "carbonmrv/status.hpp"
#include "internal/csv.hpp"
#include "internal/json.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::CsvField;
using internal::StrCat;
using nlohmann::json;

json Opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
std::string Num(const std::optional<double>& v) { return v ? StrCat(*v) : std::string(); }

json EconomicsJson(const Economics& e) {
  return {{"depreciation_cny", e.depreciation},
          {"taxable_profit_cny", e.taxable_profit},
          {"tax_cny", e.tax},
          {"net_cash_flow_cny", e.net_cash_flow},
          {"simple_payback_years", Opt(e.simple_payback)},
          {"discounted_payback_years", Opt(e.discounted_payback)},
          {"npv_cny", e.npv},
          {"npvr", Opt(e.npvr)},
          {"irr", Opt(e.irr)},
          {"irr_interpolated", Opt(e.irr_interpolated)},
          {"irr_interpolation",
           {{"i1", Opt(e.irr_i1)}, {"i2", Opt(e.irr_i2)}, {"npv1", Opt(e.irr_npv1)}, {"npv2", Opt(e.irr_npv2)}}},
          {"crf", e.crf},
          {"feasible", e.feasible},
          {"verdict", e.verdict}};
}

json ScoreJson(const SystemScore& s) {
  json inds = json::array();
  for (const auto& i : s.indicators) {
    inds.push_back({{"group", i.group},
                    {"id", i.id},
                    {"name", i.name},
                    {"value", Opt(i.value)},
                    {"unit", i.unit},
                    {"from", i.from},
                    {"limiting", i.limiting},
                    {"weight", i.weight},
                    {"level", CpLevelName(i.level)},
                    {"next_level", i.next ? json(CpLevelName(*i.next)) : json(nullptr)},
                    {"next_value", Opt(i.next_value)},
                    {"gap", Opt(i.gap)},
                    {"gap_pct", Opt(i.gap_pct)}});
  }
  return {{"system", s.system_id},
          {"source", s.system_source},
          {"confidence", s.system_confidence},
          {"y_i", s.y_i},
          {"y_ii", s.y_ii},
          {"y_iii", s.y_iii},
          {"level", CpLevelName(s.level)},
          {"complete", s.complete},
          {"missing", s.missing},
          {"reasons", s.reasons},
          {"indicators", inds}};
}

}  // namespace

std::string AuditReport::ToJson() const {
  json doc = {{"schema", "carbonmrv.audit/1"}, {"enterprise", enterprise}, {"year", year}};
  json audit = {{"id", audit_id}, {"type", AuditTypeName(type)}, {"boundary", boundary}};
  if (trigger) audit["trigger"] = AuditTriggerName(*trigger);
  if (acceptance) {
    audit["acceptance"] = {
        {"result", acceptance->result}, {"date", acceptance->date}, {"authority", acceptance->authority}};
  }
  doc["audit"] = audit;
  json st = json::array();
  for (const auto& s : stages) {
    st.push_back({{"stage", AuditStageName(s.stage)},
                  {"name_zh", AuditStageNameZh(s.stage)},
                  {"title", AuditStageTitle(s.stage)},
                  {"status", StageStatusName(s.status)},
                  {"start", s.start},
                  {"end", s.end}});
  }
  doc["stages"] = st;
  if (focus) {
    json rk = json::array();
    for (const auto& r : focus->ranking) rk.push_back({{"unit", r.unit}, {"total", r.total}, {"rank", r.rank}});
    doc["focus"] = {{"ranking", rk}, {"chosen", focus->chosen}, {"explanation", focus->explanation}};
  }
  json inds = json::array();
  for (const auto& i : indicators) {
    inds.push_back({{"id", i.id},
                    {"name", i.name},
                    {"metric", i.metric},
                    {"year", i.year},
                    {"value", Opt(i.value)},
                    {"unit", i.unit},
                    {"level", i.level ? json(CpLevelName(*i.level)) : json(nullptr)},
                    {"from", i.from}});
  }
  doc["indicators"] = inds;
  if (score) doc["score"] = ScoreJson(*score);
  if (review_score) doc["review_score"] = ScoreJson(*review_score);
  json ts = json::array();
  for (const auto& t : targets) {
    ts.push_back({{"indicator", t.indicator},
                  {"baseline", t.baseline},
                  {"target", t.target},
                  {"unit", t.unit},
                  {"deadline", t.deadline},
                  {"year", t.year},
                  {"observed", Opt(t.observed)},
                  {"status", t.status}});
  }
  doc["targets"] = ts;
  doc["baseline_co2e_t"] = baseline_co2e_t;
  doc["final_co2e_t"] = final_co2e_t;
  json os = json::array();
  for (const auto& o : options) {
    json changes = json::array();
    for (const auto& c : o.changes) {
      changes.push_back({{"source", c.source},
                         {"unit", c.unit},
                         {"before", c.before},
                         {"after", c.after},
                         {"value_cny", Opt(c.value_cny)}});
    }
    json oj = {{"id", o.id},
               {"title", o.title},
               {"class", OptionClassName(o.option_class)},
               {"cause", o.cause ? json(CauseAspectName(*o.cause)) : json(nullptr)},
               {"status", OptionStatusName(o.status)},
               {"abatement_t", o.abatement_t},
               {"abatement_by_gas", o.abatement_by_gas},
               {"abatement_by_scope", o.abatement_by_scope},
               {"standalone_abatement_t", o.standalone_abatement_t},
               {"changes", changes},
               {"investment_cny", o.investment_cny},
               {"annual_om_change_cny", o.annual_om_change_cny},
               {"energy_savings_cny", o.energy_savings_cny},
               {"annual_savings_cny", o.annual_savings_cny},
               {"economics", EconomicsJson(o.economics)},
               {"cost_per_t", Opt(o.cost_per_t)},
               {"notes", o.notes}};
    if (o.economics_with_carbon) {
      oj["carbon_price_cny_per_t"] = *o.carbon_price_cny_per_t;
      oj["economics_with_carbon"] = EconomicsJson(*o.economics_with_carbon);
    }
    os.push_back(oj);
  }
  doc["options"] = os;
  json mc = json::array();
  for (const auto& m : macc) {
    mc.push_back({{"option", m.option},
                  {"cost_per_t", m.cost_per_t},
                  {"abatement_t", m.abatement_t},
                  {"cumulative_start", m.cumulative_start},
                  {"cumulative_end", m.cumulative_end}});
  }
  doc["macc"] = mc;
  json ep = json::array();
  for (const auto& c : ex_post) {
    ep.push_back({{"audit", c.audit},
                  {"options", c.options},
                  {"subject", c.subject},
                  {"unit", c.unit},
                  {"baseline_year", c.baseline_year},
                  {"review_year", c.review_year},
                  {"baseline", c.baseline},
                  {"review", c.review},
                  {"production_ratio", c.production_ratio},
                  {"claimed", c.claimed},
                  {"expected", c.expected},
                  {"observed", c.observed},
                  {"relative", Opt(c.relative)}});
  }
  doc["ex_post"] = ep;
  doc["notes"] = notes;
  return doc.dump(1);
}

absl::StatusOr<std::string> AuditReport::ToCsv(std::string_view table) const {
  std::string out;
  if (table == "indicators") {
    out = "id,name,metric,year,value,unit,level,from\n";
    for (const auto& i : indicators) {
      out += StrCat(CsvField(i.id), ",", CsvField(i.name), ",", i.metric, ",", i.year, ",", Num(i.value), ",",
                    CsvField(i.unit), ",", i.level ? CpLevelName(*i.level) : "", ",", CsvField(i.from), "\n");
    }
  } else if (table == "options") {
    out =
        "id,title,class,status,abatement_t,standalone_abatement_t,annual_savings_cny,investment_cny,net_cash_flow_cny,"
        "npv_cny,npvr,irr,irr_interpolated,simple_payback_years,discounted_payback_years,cost_per_t,feasible,"
        "npv_with_carbon_cny,irr_with_carbon\n";
    for (const auto& o : options) {
      const auto& e = o.economics;
      out += StrCat(CsvField(o.id), ",", CsvField(o.title), ",", OptionClassName(o.option_class), ",",
                    OptionStatusName(o.status), ",", o.abatement_t, ",", o.standalone_abatement_t, ",",
                    o.annual_savings_cny, ",", o.investment_cny, ",", e.net_cash_flow, ",", e.npv, ",", Num(e.npvr),
                    ",", Num(e.irr), ",", Num(e.irr_interpolated), ",", Num(e.simple_payback), ",",
                    Num(e.discounted_payback), ",", Num(o.cost_per_t), ",", e.feasible ? "true" : "false", ",",
                    o.economics_with_carbon ? StrCat(o.economics_with_carbon->npv) : std::string(), ",",
                    o.economics_with_carbon ? Num(o.economics_with_carbon->irr) : std::string(), "\n");
    }
  } else if (table == "macc") {
    out = "option,cost_per_t,abatement_t,cumulative_start,cumulative_end\n";
    for (const auto& m : macc) {
      out += StrCat(CsvField(m.option), ",", m.cost_per_t, ",", m.abatement_t, ",", m.cumulative_start, ",",
                    m.cumulative_end, "\n");
    }
  } else if (table == "targets") {
    out = "indicator,baseline,target,unit,deadline,year,observed,status\n";
    for (const auto& t : targets) {
      out += StrCat(CsvField(t.indicator), ",", t.baseline, ",", t.target, ",", CsvField(t.unit), ",", t.deadline, ",",
                    t.year, ",", Num(t.observed), ",", t.status, "\n");
    }
  } else if (table == "focus") {
    out = "unit,total,rank,chosen\n";
    if (focus) {
      for (const auto& r : focus->ranking) {
        out +=
            StrCat(CsvField(r.unit), ",", r.total, ",", r.rank, ",", r.unit == focus->chosen ? "true" : "false", "\n");
      }
    }
  } else if (table == "ex_post") {
    out =
        "audit,options,subject,unit,baseline_year,review_year,baseline,review,production_ratio,claimed,expected,"
        "observed,relative\n";
    for (const auto& c : ex_post) {
      out += StrCat(CsvField(c.audit), ",", CsvField(c.options), ",", CsvField(c.subject), ",", CsvField(c.unit), ",",
                    c.baseline_year, ",", c.review_year, ",", c.baseline, ",", c.review, ",", c.production_ratio, ",",
                    c.claimed, ",", c.expected, ",", c.observed, ",", Num(c.relative), "\n");
    }
  } else {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat("table \"", table, "\" is not one of indicators, options, macc, targets, focus, ex_post"));
  }
  return out;
}

}  // namespace cmrv
