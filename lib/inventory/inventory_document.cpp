// The carbonmrv.inventory/1 document: Inventory::ToJson writes it (with the Approach 1 uncertainty
// of uncertainty.hpp), Inventory::FromJson reads one back (docs/exchange-format.md).
#include <cmath>
#include <cstdio>
#include <gsl/narrow>
#include <map>
#include "internal/json.hpp"

#include "absl/container/flat_hash_map.h"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/status.hpp"
#include "carbonmrv/uncertainty/uncertainty.hpp"
#include "carbonmrv/units/units.hpp"
#include "internal/json_parse.hpp"
#include "internal/json_writer.hpp"
#include "internal/line_group.hpp"
#include "internal/strings.hpp"
#include "internal/trace_json.hpp"
#include "inventory/methods.hpp"

#ifndef CMRV_LIBRARY_VERSION
#  define CMRV_LIBRARY_VERSION "unknown"
#endif

namespace cmrv {

using internal::StrCat;
using internal::TargetUnit;

namespace {

using internal::JsonWriter;

// One line; keys in sorted order (see Inventory::ToJson).
void WriteLine(JsonWriter& w, const InventoryLine& l, internal::UnitChains& chains, std::string& conversion) {
  // ConversionText; a line read from a document that does not evaluate says why instead.
  if (auto v = internal::EvaluateLine(l, &conversion, &chains); !v.ok()) {
    conversion = StrCat("does not evaluate: ", v.status().message());
  }
  w.BeginObject();
  w.Member("category", CategoryName(l.category));
  w.Member("category_zh", CategoryNameZh(l.category));
  w.Member("co2e_t", l.co2e_t);
  w.Member("gas", GasName(l.gas));
  w.Member("gwp", l.gwp);
  w.Member("iso_category", l.iso_category);
  w.Member("kind", SourceKindName(l.kind));
  w.Member("mass_t", l.mass_t);
  w.Member("memo", l.memo);
  w.Member("part", l.part);
  w.Member("period", l.period);
  w.Member("scope", static_cast<int>(l.scope));
  w.Key("scope2_method");
  l.scope2_method ? w.String(Scope2MethodName(*l.scope2_method)) : w.Null();
  w.Key("scope3_category");
  l.scope3_category != 0 ? w.Int(l.scope3_category) : w.Null();
  w.Member("source", l.source_id);
  w.Member("species", l.species);
  w.Key("trace");
  w.BeginObject();
  w.Member("conversion", conversion);
  w.Member("equation", l.equation.view());
  w.Member("gwp_provenance", l.gwp_provenance.view());
  w.Key("notes");
  w.BeginArray();
  for (const auto& n : l.notes) w.String(n);
  w.EndArray();
  w.Member("result_unit", TargetUnit(l.gas));
  w.Key("terms");
  internal::WriteTraceTerms(w, l.terms, true);
  w.EndObject();
  w.Key("uncertainty_pct");
  const auto line_u = LineUncertainty(l);
  line_u ? w.Number(*line_u) : w.Null();
  w.EndObject();
}

void WriteTotals(JsonWriter& w, const Inventory& inv) {
  double scope3 = 0;
  for (const auto& l : inv.lines) {
    if (!l.memo && l.scope == Scope::k3) scope3 += l.co2e_t;
  }
  // Dual scope 2 reporting (GHG Protocol Scope 2 Guidance 2015, Ch. 7). A DOM: 15 members, and it puts
  // the by_* keys in their sorted places among the others.
  nlohmann::json totals = {{"co2e_t", inv.TotalCo2e()},
                           {"biomass_co2_memo_t", inv.BiomassCo2()},
                           {"scope3_co2e_t", scope3},
                           {"location_based_co2e_t", inv.TotalCo2e(Scope2Method::kLocation)},
                           {"market_based_co2e_t", inv.TotalCo2e(Scope2Method::kMarket)},
                           {"scope2_location_co2e_t", inv.Scope2Co2e(Scope2Method::kLocation)},
                           {"scope2_market_co2e_t", inv.Scope2Co2e(Scope2Method::kMarket)}};
  for (TotalsKey k : kTotalsKeys) {
    if (k != TotalsKey::kTotal) totals[StrCat("by_", TotalsKeyName(k))] = nlohmann::json::object();
  }
  w.BeginObject();
  for (auto it = totals.begin(); it != totals.end(); ++it) {
    w.Key(it.key());
    if (!it->is_object()) {
      w.Value(*it);
      continue;
    }
    // by_source has a member per source: written from the map (sorted as nlohmann sorts), not a DOM.
    const auto key = ParseTotalsKey(std::string_view(it.key()).substr(3));
    w.BeginObject();
    for (const auto& [group, t] : inv.Totals(*key)) w.Member(group, t);
    w.EndObject();
  }
  w.EndObject();
}

// Approach 1 uncertainty (uncertainty.hpp) of the groups by `key`.
void WriteGroups(JsonWriter& w, const Inventory& inv, TotalsKey key, bool first_only) {
  const auto results = PropagateUncertainty(inv, key);  // a named StatusOr: `*f()` in a range-for dangles
  auto strings = [&w](const std::vector<std::string>& v) {
    w.BeginArray();
    for (const auto& s : v) w.String(s);
    w.EndArray();
  };
  if (first_only && results->empty()) return w.Null();
  if (!first_only) w.BeginArray();
  for (const auto& r : *results) {
    w.BeginObject();
    w.Key("assumed_exact");
    strings(r.assumed_exact);
    w.Member("co2e_t", r.co2e_t);
    w.Key("contributions");
    w.BeginArray();
    for (const auto& c : r.contributions) {
      w.BeginObject();
      w.Member("input", c.input);
      w.Member("share_pct", c.share_pct);
      w.Member("u_pct", c.u_pct);
      w.EndObject();
    }
    w.EndArray();
    w.Member("group", r.group);
    w.Key("half_width_t");
    r.half_width_t ? w.Number(*r.half_width_t) : w.Null();
    w.Key("missing");
    strings(r.missing);
    w.Key("u_pct");
    r.u_pct ? w.Number(*r.u_pct) : w.Null();
    w.EndObject();
    if (first_only) return;
  }
  w.EndArray();
}

void WriteUncertainty(JsonWriter& w, const Inventory& inv) {
  w.BeginObject();
  w.Key("by_category");
  WriteGroups(w, inv, TotalsKey::kCategory, false);
  w.Key("by_source");
  WriteGroups(w, inv, TotalsKey::kSource, false);
  w.Member("method", UncertaintyMethod());
  w.Key("total");
  WriteGroups(w, inv, TotalsKey::kTotal, true);
  w.EndObject();
}

// Total CO2e per unit of each product's output over the reporting year.
nlohmann::json Intensities(const Inventory& inv) {
  nlohmann::json intensities = nlohmann::json::array();
  std::map<std::string, std::pair<double, std::string>> output;
  for (const auto& p : inv.production) {
    auto& o = output[p.product];
    if (o.second.empty()) o.second = p.quantity.unit.symbol();
    auto v = Convert(p.quantity.value, p.quantity.unit, *Unit::Parse(o.second));
    if (v.ok()) o.first += *v;
  }
  for (const auto& [product, o] : output) {
    if (o.first > 0) {
      intensities.push_back(
          {{"product", product},
           {"output", o.first},
           {"output_unit", o.second},
           {"value", inv.TotalCo2e() / o.first},
           {"unit", StrCat("tCO2e/", o.second)},
           {"allocation", "none: total CO2e over this product's output (co-products not allocated)"}});
    }
  }
  return intensities;
}

}  // namespace

// Written as it is produced (internal/json_writer.hpp): the DOM of a large inventory was most of the
// time and memory of writing it. Each object's keys come in nlohmann's (sorted) order, so the text is
// what `dump(1)` of the same DOM gives; small sections are still built as DOMs and written in place.
std::string Inventory::ToJson() const {
  using nlohmann::json;
  std::string out;
  internal::JsonWriter w(out);
  w.BeginObject();
  w.Key("conventions");
  w.Value(
      {{"gwp_dataset", options.gwp_dataset},
       {"gwp_dataset_sha256", gwp_dataset_sha256},
       {"co2_per_carbon", std::string(Co2PerCarbonName(options.co2_per_carbon))},
       {"co2_per_carbon_stated", options.co2_per_carbon_stated ? json{{"value", options.co2_per_carbon_stated->value},
                                                                      {"source", options.co2_per_carbon_stated->source}}
                                                               : json(nullptr)},
       {"uncertainty_unstated", options.unstated_uncertainty_exact ? "exact" : "not_assessed"},
       {"scope2_method", std::string(Scope2MethodName(options.scope2_method))},
       {"factor_preference", options.factor_preference},
       {"rounding", "none: values are full double precision; reports round only for display"}});
  w.Key("enterprise");
  w.Value({{"name", enterprise_name}, {"uscc", uscc}, {"region", region}, {"year", year}});
  w.Key("intensities");
  w.Value(Intensities(*this));
  w.Member("library_version", CMRV_LIBRARY_VERSION);
  w.Key("lines");
  w.BeginArray();
  internal::UnitChains chains;  // one parse of each line shape's units for the whole document
  std::string conversion;
  const std::size_t before_lines = out.size();
  for (const auto& l : lines) {
    WriteLine(w, l, chains, conversion);
    // The first line's size times the lines, so that the text is not copied at each doubling (81 MB
    // grew through 20 copies). A hint: lines of other kinds may be longer.
    if (&l == &lines.front()) {
      const std::size_t line_bytes = out.size() - before_lines;
      out.reserve(out.size() + line_bytes * (lines.size() + lines.size() / 8) + (std::size_t{1} << 16));
    }
  }
  w.EndArray();
  w.Key("notes");
  w.BeginArray();
  for (const auto& n : notes) w.String(n);
  w.EndArray();
  w.Member("schema", "carbonmrv.inventory/1");
  w.Key("totals");
  WriteTotals(w, *this);
  w.Key("uncertainty");
  WriteUncertainty(w, *this);
  w.EndObject();
  return out;
}

// Reads a reported inventory back. Long (about 170 lines) because the field readers are closures over
// one error list, so that every problem in the document is reported at once with its JSON path.
absl::StatusOr<Inventory> Inventory::FromJson(std::string_view json_text) {
  using nlohmann::json;
  auto parsed = internal::ParseJson(json_text, "the inventory document");
  if (!parsed.ok()) return parsed.status();
  const json& doc = *parsed;
  std::vector<std::string> errors;
  auto fail = [&](const std::string& path, const std::string& what) { errors.push_back(StrCat(path, ": ", what)); };
  if (!doc.is_object()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidDocument,
                     "not a JSON object (expected a carbonmrv.inventory/1 document)");
  }
  // Provenance texts and input ids repeat on every line using a value: one buffer each, as computed
  // (shared_text.hpp).
  absl::flat_hash_map<std::string, SharedText> interned;
  auto intern = [&](const std::string& s) -> SharedText {
    auto it = interned.find(s);
    if (it == interned.end()) it = interned.emplace(s, SharedText(s)).first;
    return it->second;
  };
  // Optional fields of the wrong type are errors too, never exceptions.
  auto text = [&](const json& o, const std::string& path, const char* key, std::string fallback) -> std::string {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return fallback;
    if (!it->is_string()) {
      fail(StrCat(path.empty() ? "" : StrCat(path, "."), key), "expected a string");
      return fallback;
    }
    return it->get<std::string>();
  };
  // An integer within [lo, hi]; anything else is an error (get<int>() would wrap 2^32 + 2022 to 2022).
  auto integer = [&](const json& o, const std::string& path, const char* key, int fallback, int lo, int hi) -> int {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return fallback;
    const bool in_range = it->is_number_unsigned() ? it->get<uint64_t>() <= static_cast<uint64_t>(hi) &&
                                                         static_cast<int64_t>(it->get<uint64_t>()) >= lo
                          : it->is_number_integer() ? it->get<int64_t>() >= lo && it->get<int64_t>() <= hi
                                                    : false;
    if (!in_range) {
      fail(StrCat(path, ".", key), StrCat("expected an integer from ", lo, " to ", hi, ", found ", it->dump()));
      return fallback;
    }
    return gsl::narrow<int>(it->get<int64_t>());
  };
  auto boolean = [&](const json& o, const std::string& path, const char* key) -> bool {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return false;
    if (!it->is_boolean()) {
      fail(StrCat(path, ".", key), "expected true or false");
      return false;
    }
    return it->get<bool>();
  };
  // A vocabulary term (gas, category, convention): its parsed value, or `fallback` after recording the
  // parse error at `path` (the message lists the valid names).
  auto typed = [&]<typename E>(absl::StatusOr<E> result, const std::string& path, E fallback) -> E {
    if (result.ok()) return *result;
    fail(path, std::string(result.status().message()));
    return fallback;
  };
  if (text(doc, "", "schema", "") != "carbonmrv.inventory/1") fail("schema", "expected \"carbonmrv.inventory/1\"");
  Inventory inv;
  auto str = [&](const json& o, const std::string& path, const char* key) -> std::string {
    auto it = o.find(key);
    if (it == o.end() || !it->is_string()) {
      fail(StrCat(path, ".", key), "expected a string");
      return "";
    }
    return it->get<std::string>();
  };
  auto num = [&](const json& o, const std::string& path, const char* key) -> double {
    auto it = o.find(key);
    if (it == o.end() || !it->is_number() || !std::isfinite(it->get<double>())) {
      fail(StrCat(path, ".", key), "expected a finite number");
      return 0;
    }
    return it->get<double>();
  };
  if (auto e = doc.find("enterprise"); e != doc.end() && e->is_object()) {
    inv.enterprise_name = text(*e, "enterprise", "name", "");
    inv.uscc = text(*e, "enterprise", "uscc", "");
    inv.region = text(*e, "enterprise", "region", "");
    inv.year = integer(*e, "enterprise", "year", 0, 1990, 2100);
  } else {
    fail("enterprise", "expected an object");
  }
  if (auto c = doc.find("conventions"); c != doc.end() && c->is_object()) {
    inv.options.gwp_dataset = str(*c, "conventions", "gwp_dataset");
    inv.options.co2_per_carbon = typed(ParseCo2PerCarbon(str(*c, "conventions", "co2_per_carbon")),
                                       "conventions.co2_per_carbon", Co2PerCarbon{});
    inv.options.scope2_method = typed(ParseScope2Method(text(*c, "conventions", "scope2_method", "location")),
                                      "conventions.scope2_method", Scope2Method{});
    inv.gwp_dataset_sha256 = text(*c, "conventions", "gwp_dataset_sha256", "");
    if (auto st = c->find("co2_per_carbon_stated"); st != c->end() && !st->is_null()) {
      const std::string sp = "conventions.co2_per_carbon_stated";
      inv.options.co2_per_carbon_stated = InventoryOptions::StatedRatio{num(*st, sp, "value"), str(*st, sp, "source")};
    }
    inv.options.unstated_uncertainty_exact = text(*c, "conventions", "uncertainty_unstated", "not_assessed") == "exact";
  } else {
    fail("conventions", "expected an object");
  }
  auto lines = doc.find("lines");
  if (lines == doc.end() || !lines->is_array()) {
    fail("lines", "expected an array");
  } else {
    for (std::size_t i = 0; i < lines->size(); ++i) {
      const std::string path = StrCat("lines[", i, "]");
      const json& l = (*lines)[i];
      if (!l.is_object()) {
        fail(path, "expected an object");
        continue;
      }
      InventoryLine line;
      line.source_id = str(l, path, "source");
      line.period = str(l, path, "period");
      line.gas = typed(ParseGas(str(l, path, "gas")), StrCat(path, ".gas"), Gas{});
      line.part = text(l, path, "part", "");
      line.category =
          typed(ParseCategory(text(l, path, "category", "fuel_combustion")), StrCat(path, ".category"), Category{});
      line.scope = typed(ScopeFromNumber(integer(l, path, "scope", 1, 1, 3)), StrCat(path, ".scope"), Scope::k1);
      line.iso_category = integer(l, path, "iso_category", 1, 1, 6);
      line.memo = boolean(l, path, "memo");
      if (auto m = l.find("scope2_method"); m != l.end() && !m->is_null()) {
        line.scope2_method =
            typed(ParseScope2Method(str(l, path, "scope2_method")), StrCat(path, ".scope2_method"), Scope2Method{});
      }
      if (auto c = l.find("scope3_category"); c != l.end() && !c->is_null()) {
        line.scope3_category = integer(l, path, "scope3_category", 0, 1, 15);
      }
      line.species = text(l, path, "species", "");
      line.mass_t = num(l, path, "mass_t");
      line.gwp = num(l, path, "gwp");
      line.co2e_t = num(l, path, "co2e_t");
      if (auto t = l.find("trace"); t != l.end() && t->is_object()) {
        line.equation = text(*t, StrCat(path, ".trace"), "equation", "");
        if (auto terms = t->find("terms"); terms != t->end() && terms->is_array()) {
          for (std::size_t j = 0; j < terms->size(); ++j) {
            const std::string tp = StrCat(path, ".trace.terms[", j, "]");
            const json& term = (*terms)[j];
            if (!term.is_object()) {
              fail(tp, "expected an object");
              continue;
            }
            TraceTerm tt{str(term, tp, "name"),
                         num(term, tp, "value"),
                         str(term, tp, "unit"),
                         intern(text(term, tp, "provenance", "")),
                         {}};
            if (auto ins = term.find("inputs"); ins != term.end() && !ins->is_null()) {
              if (!ins->is_array()) fail(StrCat(tp, ".inputs"), "expected an array");
              for (std::size_t k = 0; ins->is_array() && k < ins->size(); ++k) {
                const std::string ip = StrCat(tp, ".inputs[", k, "]");
                const json& in = (*ins)[k];
                if (!in.is_object()) {
                  fail(ip, "expected an object {id, sensitivity, u_pct}");
                  continue;
                }
                UncertainInput u{intern(str(in, ip, "id")), num(in, ip, "sensitivity"), std::nullopt};
                if (auto up = in.find("u_pct"); up != in.end() && !up->is_null()) u.u_pct = num(in, ip, "u_pct");
                if (auto lo = in.find("lower_pct"); lo != in.end() && !lo->is_null()) {
                  u.lower_pct = num(in, ip, "lower_pct");
                }
                if (auto hi = in.find("upper_pct"); hi != in.end() && !hi->is_null()) {
                  u.upper_pct = num(in, ip, "upper_pct");
                }
                tt.inputs.push_back(std::move(u));
              }
            }
            line.terms.push_back(std::move(tt));
          }
        }
      }
      inv.lines.push_back(std::move(line));
    }
  }
  // Production comes back from the intensities (product, output, unit) for year-on-year comparisons.
  if (auto ints = doc.find("intensities"); ints != doc.end() && ints->is_array()) {
    for (std::size_t i = 0; i < ints->size(); ++i) {
      const std::string path = StrCat("intensities[", i, "]");
      const json& it = (*ints)[i];
      if (!it.is_object()) continue;
      ProductionRecord p;
      p.product = str(it, path, "product");
      p.period = std::to_string(inv.year);
      p.quantity.value = num(it, path, "output");
      p.quantity.unit_text = str(it, path, "output_unit");
      if (auto u = Unit::Parse(p.quantity.unit_text); u.ok()) {
        p.quantity.unit = *u;
        inv.production.push_back(std::move(p));
      } else {
        fail(StrCat(path, ".output_unit"), std::string(u.status().message()));
      }
    }
  }
  if (!errors.empty()) {
    return MakeError(
        absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidDocument,
        StrCat(errors.size(), " problem(s) in the inventory document:\n", internal::StrJoin(errors, "\n")));
  }
  return inv;
}

}  // namespace cmrv
