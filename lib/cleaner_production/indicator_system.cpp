// Indicator systems (清洁生产评价指标体系) as data files, and their scoring: membership 100/0 per level,
// composite index Y_gk = Σ_i w_i Σ_j ω_ij Y_gk(x_ij), and the level rule of the compilation rules
// (《清洁生产评价指标体系编制通则》(试行稿), NDRC/MEP/MIIT 2013; GB/T 20106-2006 before it).
#include <cmath>
#include <set>

#include "carbonmrv/cleaner_production/cleaner_production.hpp"
#include "carbonmrv/status.hpp"
#include "internal/json_parse.hpp"
#include "internal/json_reader.hpp"
#include "internal/name_table.hpp"
#include "internal/sha256.hpp"

namespace cmrv {
namespace {

using internal::Reader;
using internal::StrCat;
using nlohmann::json;

constexpr std::string_view kSystemSchema = "carbonmrv.indicator_system/1";
// Weights are published to two or three decimals; their sum is checked to this tolerance.
constexpr double kWeightTolerance = 1e-6;

constexpr std::pair<IndicatorDirection, std::string_view> kDirectionNames[] = {{IndicatorDirection::kLower, "lower"},
                                                                               {IndicatorDirection::kHigher, "higher"}};

constexpr CpLevel kLevels[] = {CpLevel::kI, CpLevel::kII, CpLevel::kIII};

std::size_t LevelIndex(CpLevel l) { return static_cast<std::size_t>(l) - 1; }

// True when `value` reaches `benchmark` in `direction`.
bool Reaches(IndicatorDirection direction, double value, double benchmark) {
  return direction == IndicatorDirection::kLower ? value <= benchmark : value >= benchmark;
}

SystemIndicator ReadIndicator(Reader& r, const json& j, const std::string& path) {
  r.CheckKeys(j, path, {"id", "name", "weight", "limiting", "qualitative", "direction", "unit", "levels"});
  SystemIndicator ind;
  ind.id = r.String(j, path, "id", true).value_or("");
  ind.name = r.String(j, path, "name", false).value_or("");
  if (auto w = r.Number(j, path, "weight", true)) {
    if (*w <= 0 || *w > 1) r.Error(Reader::Join(path, "weight"), StrCat(*w, " is not in (0, 1]"));
    ind.weight = *w;
  }
  for (auto [key, target] : {std::pair{"limiting", &ind.limiting}, std::pair{"qualitative", &ind.qualitative}}) {
    if (const json* b = r.Get(j, path, key, false)) {
      if (b->is_boolean()) {
        *target = b->get<bool>();
      } else {
        r.Error(Reader::Join(path, key), "expected true or false");
      }
    }
  }
  if (ind.qualitative) {
    for (const char* key : {"unit", "levels", "direction"}) {
      if (j.contains(key)) r.Error(Reader::Join(path, key), "a qualitative indicator has no unit, levels or direction");
    }
    return ind;
  }
  if (auto d = r.Term(j, path, "direction", true, ParseIndicatorDirection)) ind.direction = *d;
  if (auto u = r.String(j, path, "unit", true)) {
    ind.unit_text = *u;
    if (auto pu = Unit::Parse(*u); !pu.ok()) r.Error(Reader::Join(path, "unit"), std::string(pu.status().message()));
  }
  if (const json* lv = r.Object(j, path, "levels", true)) {
    const std::string lp = Reader::Join(path, "levels");
    r.CheckKeys(*lv, lp, {"I", "II", "III"});
    bool all = true;
    for (CpLevel l : kLevels) {
      auto v = r.Number(*lv, lp, CpLevelName(l), true);
      all = all && v.has_value();
      ind.benchmarks[LevelIndex(l)] = v.value_or(0);
    }
    // Level I is the strictest: for "lower" I ≤ II ≤ III, for "higher" I ≥ II ≥ III.
    const auto& b = ind.benchmarks;
    const bool ordered =
        ind.direction == IndicatorDirection::kLower ? (b[0] <= b[1] && b[1] <= b[2]) : (b[0] >= b[1] && b[1] >= b[2]);
    if (all && !ordered) {
      r.Error(lp, StrCat("levels I ", b[0], ", II ", b[1], ", III ", b[2], " are not in order for a \"",
                         IndicatorDirectionName(ind.direction), " is better\" indicator (level I is the strictest)"));
    }
  }
  return ind;
}

}  // namespace

std::string_view IndicatorDirectionName(IndicatorDirection d) { return internal::NameIn(kDirectionNames, d); }
absl::StatusOr<IndicatorDirection> ParseIndicatorDirection(std::string_view name) {
  return internal::ParseIn(kDirectionNames, name, "direction");
}

const SystemIndicator* IndicatorSystem::Find(std::string_view indicator_id) const {
  for (const auto& g : groups) {
    for (const auto& i : g.indicators) {
      if (i.id == indicator_id) return &i;
    }
  }
  return nullptr;
}

absl::StatusOr<IndicatorSystem> IndicatorSystem::FromJson(std::string_view json_text) {
  auto parsed = internal::ParseJsonObject(json_text, "the indicator system");
  if (!parsed.ok()) return parsed.status();
  const json& doc = *parsed;
  Reader r;
  IndicatorSystem sys;
  r.CheckKeys(doc, "", {"schema", "id", "title", "sector", "version", "source", "confidence", "thresholds", "groups"});
  if (auto s = r.String(doc, "", "schema", true); s && *s != kSystemSchema) {
    r.Error("schema", StrCat("\"", *s, "\" is not supported; expected \"", kSystemSchema, "\""));
  }
  sys.id = r.String(doc, "", "id", true).value_or("");
  sys.title = r.String(doc, "", "title", true).value_or("");
  sys.sector = r.String(doc, "", "sector", false).value_or("");
  sys.version = r.String(doc, "", "version", false).value_or("");
  sys.source = r.String(doc, "", "source", true).value_or("");
  sys.confidence = r.String(doc, "", "confidence", true).value_or("");
  if (!sys.confidence.empty() && sys.confidence != "published" && sys.confidence != "hand_made") {
    r.Error("confidence", StrCat("\"", sys.confidence, "\" is not one of published, hand_made"));
  }
  if (const json* t = r.Object(doc, "", "thresholds", false)) {
    r.CheckKeys(*t, "thresholds", {"level_i", "level_ii"});
    for (auto [key, target] :
         {std::pair{"level_i", &sys.level_i_threshold}, std::pair{"level_ii", &sys.level_ii_threshold}}) {
      auto v = r.Number(*t, "thresholds", key, false);
      if (v && (*v <= 0 || *v > 100)) r.Error(Reader::Join("thresholds", key), StrCat(*v, " is not in (0, 100]"));
      if (v) *target = *v;
    }
  }
  std::set<std::string> ids;
  double total = 0;
  r.ForEachObject(doc, "", "groups", true, [&](const json& g, const std::string& gp) {
    r.CheckKeys(g, gp, {"id", "name", "weight", "indicators"});
    IndicatorGroup grp;
    grp.id = r.String(g, gp, "id", true).value_or("");
    grp.name = r.String(g, gp, "name", false).value_or("");
    if (auto w = r.Number(g, gp, "weight", true)) {
      if (*w <= 0 || *w > 1) r.Error(Reader::Join(gp, "weight"), StrCat(*w, " is not in (0, 1]"));
      grp.weight = *w;
      total += *w;
    }
    double sub = 0;
    r.ForEachObject(g, gp, "indicators", true, [&](const json& i, const std::string& ip) {
      SystemIndicator ind = ReadIndicator(r, i, ip);
      if (!ind.id.empty() && !ids.insert(ind.id).second) {
        r.Error(Reader::Join(ip, "id"), StrCat("duplicate indicator id \"", ind.id, "\""));
      }
      sub += ind.weight;
      grp.indicators.push_back(std::move(ind));
    });
    if (!grp.indicators.empty() && std::abs(sub - 1) > kWeightTolerance) {
      r.Error(Reader::Join(gp, "indicators"), StrCat("second-level weights add up to ", sub, ", not 1"));
    }
    sys.groups.push_back(std::move(grp));
  });
  if (!sys.groups.empty() && std::abs(total - 1) > kWeightTolerance) {
    r.Error("groups", StrCat("first-level weights add up to ", total, ", not 1"));
  }
  if (auto st = r.Result("the indicator system"); !st.ok()) return st;
  sys.sha256 = internal::Sha256Hex(json_text);
  return sys;
}

absl::StatusOr<SystemScore> ScoreIndicators(const IndicatorSystem& system, const std::vector<IndicatorValue>& values) {
  for (const auto& v : values) {
    const SystemIndicator* ind = system.Find(v.id);
    if (ind == nullptr) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kNotFound,
                       StrCat("indicator \"", v.id, "\" is not in indicator system \"", system.id, "\""));
    }
    if (ind->qualitative != v.level.has_value() || (!ind->qualitative && !v.value)) {
      return MakeError(
          absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
          StrCat("indicator \"", v.id, "\" is ",
                 ind->qualitative ? "qualitative: give the level it meets" : "quantitative: give its value"));
    }
    if (v.value && !std::isfinite(*v.value)) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kNonFiniteValue,
                       StrCat("indicator \"", v.id, "\": the value is not finite"));
    }
  }
  SystemScore score;
  score.system_id = system.id;
  score.system_source = system.source;
  score.system_confidence = system.confidence;
  std::array<double, 3> y{};
  std::array<bool, 3> limiting_ok{true, true, true};
  std::vector<std::string> limiting_short[3];
  for (const auto& g : system.groups) {
    for (const auto& ind : g.indicators) {
      IndicatorScore s;
      s.group = g.id;
      s.id = ind.id;
      s.name = ind.name;
      s.unit = ind.unit_text;
      s.limiting = ind.limiting;
      s.weight = g.weight * ind.weight;
      auto it = std::find_if(values.begin(), values.end(), [&](const IndicatorValue& v) { return v.id == ind.id; });
      std::array<bool, 3> reached{};
      if (it == values.end()) {
        score.complete = false;
        score.missing.push_back(ind.id);
      } else {
        s.from = it->from;
        s.value = it->value;
        for (CpLevel l : kLevels) {
          const std::size_t k = LevelIndex(l);
          reached[k] = ind.qualitative ? static_cast<int>(*it->level) <= static_cast<int>(l)
                                       : Reaches(ind.direction, *it->value, ind.benchmarks[k]);
        }
      }
      for (CpLevel l : {CpLevel::kIII, CpLevel::kII, CpLevel::kI}) {
        if (reached[LevelIndex(l)]) s.level = l;
      }
      for (CpLevel l : kLevels) {
        const std::size_t k = LevelIndex(l);
        // Membership Y_gk(x_ij) = 100 when the value reaches level g_k, else 0.
        if (reached[k]) y[k] += s.weight * 100;
        if (ind.limiting && !reached[k]) {
          limiting_ok[k] = false;
          limiting_short[k].push_back(ind.id);
        }
      }
      if (s.level != CpLevel::kI) {
        const CpLevel next =
            s.level == CpLevel::kNone ? CpLevel::kIII : static_cast<CpLevel>(static_cast<int>(s.level) - 1);
        s.next = next;
        if (!ind.qualitative) {
          s.next_value = ind.benchmarks[LevelIndex(next)];
          if (s.value) {
            s.gap = ind.direction == IndicatorDirection::kLower ? *s.value - *s.next_value : *s.next_value - *s.value;
            if (*s.value != 0) s.gap_pct = *s.gap / std::abs(*s.value) * 100;
          }
        }
      }
      score.indicators.push_back(std::move(s));
    }
  }
  score.y_i = y[0];
  score.y_ii = y[1];
  score.y_iii = y[2];
  // Weights add up to 1 within 1e-6, so Y is compared with its thresholds within 100 × 1e-6: a sum of
  // weights × 100 that is 85 on paper (0.63 + 0.24) may be 84.99999999999999 in binary.
  const double slack = 100 * kWeightTolerance;
  const double full = 100 - slack;
  auto limiting_text = [&](std::size_t k) {
    return StrCat("limiting indicator(s) ", internal::StrJoin(limiting_short[k], ", "), " not at level ",
                  CpLevelName(kLevels[k]));
  };
  if (score.y_i + slack >= system.level_i_threshold && limiting_ok[0]) {
    score.level = CpLevel::kI;
    score.reasons.push_back(
        StrCat("Y_I = ", score.y_i, " ≥ ", system.level_i_threshold, " and every limiting indicator at level I"));
  } else {
    score.reasons.push_back(score.y_i + slack < system.level_i_threshold
                                ? StrCat("level I: Y_I = ", score.y_i, " < ", system.level_i_threshold)
                                : StrCat("level I: ", limiting_text(0)));
    if (score.y_ii + slack >= system.level_ii_threshold && limiting_ok[1]) {
      score.level = CpLevel::kII;
      score.reasons.push_back(
          StrCat("Y_II = ", score.y_ii, " ≥ ", system.level_ii_threshold, " and every limiting indicator at level II"));
    } else {
      score.reasons.push_back(score.y_ii + slack < system.level_ii_threshold
                                  ? StrCat("level II: Y_II = ", score.y_ii, " < ", system.level_ii_threshold)
                                  : StrCat("level II: ", limiting_text(1)));
      if (score.y_iii >= full) {
        score.level = CpLevel::kIII;
        score.reasons.push_back("Y_III = 100: every indicator at level III");
      } else {
        score.reasons.push_back(StrCat("level III: Y_III = ", score.y_iii, " < 100"));
      }
    }
  }
  if (!score.complete) {
    score.reasons.push_back(StrCat("no value for ", internal::StrJoin(score.missing, ", "),
                                   ": scored as reaching no level, so the level is a lower bound"));
  }
  return score;
}

}  // namespace cmrv
