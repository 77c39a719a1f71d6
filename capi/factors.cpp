// C API: carrier catalogue and factor datasets (core: include/carbonmrv/factors/factors.hpp).
#include <fstream>
#include <sstream>

#include "carbonmrv/factors/factors.hpp"
#include "guard.hpp"
#include "handles.hpp"

struct cmrv_factor_selection {
  cmrv::FactorSelection selection;
};

namespace {

using cmrv::capi::Guard;
using cmrv::capi::NullArgument;

std::string Opt(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace

extern "C" {

cmrv_status cmrv_factor_catalogue_open_builtin(cmrv_context* ctx, cmrv_factor_catalogue** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    auto c = cmrv::FactorCatalogue::Builtin();
    if (!c.ok()) return c.status();
    *out = new cmrv_factor_catalogue{*std::move(c)};
    return absl::OkStatus();
  });
}

cmrv_status cmrv_factor_catalogue_create_empty(cmrv_context* ctx, cmrv_factor_catalogue** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (out == nullptr) return NullArgument("out");
    *out = new cmrv_factor_catalogue{};
    return absl::OkStatus();
  });
}

void cmrv_factor_catalogue_destroy(cmrv_factor_catalogue* catalogue) { delete catalogue; }

cmrv_status cmrv_factor_catalogue_load_csv(cmrv_context* ctx, cmrv_factor_catalogue* catalogue, const char* csv_text,
                                           const char* source_name) {
  return Guard(ctx, [&]() -> absl::Status {
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (csv_text == nullptr) return NullArgument("csv_text");
    return catalogue->catalogue.LoadDataset(csv_text, source_name == nullptr ? "<memory>" : source_name);
  });
}

cmrv_status cmrv_factor_catalogue_load_file(cmrv_context* ctx, cmrv_factor_catalogue* catalogue, const char* path) {
  return Guard(ctx, [&]() -> absl::Status {
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (path == nullptr) return NullArgument("path");
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return cmrv::MakeError(absl::StatusCode::kNotFound, cmrv::ErrorDetail::kInvalidDataset,
                             std::string("cannot read dataset file \"") + path + "\"");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return catalogue->catalogue.LoadDataset(text.str(), path);
  });
}

cmrv_status cmrv_factor_catalogue_add_override(cmrv_context* ctx, cmrv_factor_catalogue* catalogue, const char* series,
                                               const char* carrier, const char* parameter, const char* gas,
                                               double value, const char* unit, const char* region, int32_t year_from,
                                               const char* source_table, const char* source_row) {
  return Guard(ctx, [&]() -> absl::Status {
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (series == nullptr) return NullArgument("series");
    if (parameter == nullptr) return NullArgument("parameter");
    if (unit == nullptr) return NullArgument("unit");
    if (source_table == nullptr || *source_table == '\0') return NullArgument("source_table");
    cmrv::FactorRecord r;
    r.dataset = series;
    r.carrier = Opt(carrier);
    r.parameter = parameter;
    r.gas = Opt(gas);
    r.value = value;
    r.unit = unit;
    r.region = Opt(region);
    if (year_from != 0) r.year_from = year_from;
    r.source_table = source_table;
    r.source_row = Opt(source_row);
    r.confidence = "measured";
    return catalogue->catalogue.AddOverride(std::move(r));
  });
}

cmrv_status cmrv_factor_catalogue_datasets_json(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue,
                                                char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(cmrv::ToJson(catalogue->catalogue.datasets()));
    return absl::OkStatus();
  });
}

cmrv_status cmrv_factor_catalogue_records_json(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue,
                                               const char* dataset_id, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (dataset_id == nullptr) return NullArgument("dataset_id");
    if (out_json == nullptr) return NullArgument("out_json");
    if (catalogue->catalogue.FindDataset(dataset_id) == nullptr) {
      return cmrv::MakeError(absl::StatusCode::kNotFound, cmrv::ErrorDetail::kFactorNotFound,
                             std::string("no dataset \"") + dataset_id + "\" in the catalogue");
    }
    *out_json = cmrv::capi::DupString(cmrv::ToJson(catalogue->catalogue.Records(dataset_id)));
    return absl::OkStatus();
  });
}

cmrv_status cmrv_factor_lookup(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue, const char* carrier,
                               const char* parameter, const char* gas, const char* region, int32_t year,
                               const char* preference, cmrv_factor_selection** out) {
  return cmrv_factor_lookup_for_sector(ctx, catalogue, carrier, parameter, gas, region, year, preference, nullptr, out);
}

cmrv_status cmrv_factor_lookup_for_sector(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue,
                                          const char* carrier, const char* parameter, const char* gas,
                                          const char* region, int32_t year, const char* preference, const char* sector,
                                          cmrv_factor_selection** out) {
  return Guard(ctx, [&]() -> absl::Status {
    if (catalogue == nullptr) return NullArgument("catalogue");
    if (parameter == nullptr) return NullArgument("parameter");
    if (out == nullptr) return NullArgument("out");
    auto pref = cmrv::ParsePreference(Opt(preference));
    if (!pref.ok()) return cmrv::WithContext(pref.status(), "preference");
    cmrv::FactorQuery q;
    q.carrier = Opt(carrier);
    q.parameter = parameter;
    q.gas = Opt(gas);
    q.region = Opt(region);
    if (year != 0) q.year = year;
    q.preference = *std::move(pref);
    q.sector = Opt(sector);
    auto sel = catalogue->catalogue.Lookup(q);
    if (!sel.ok()) return sel.status();
    *out = new cmrv_factor_selection{*std::move(sel)};
    return absl::OkStatus();
  });
}

void cmrv_factor_selection_destroy(cmrv_factor_selection* selection) { delete selection; }

cmrv_status cmrv_factor_selection_value(cmrv_context* ctx, const cmrv_factor_selection* selection, double* out_value) {
  return Guard(ctx, [&]() -> absl::Status {
    if (selection == nullptr) return NullArgument("selection");
    if (out_value == nullptr) return NullArgument("out_value");
    *out_value = selection->selection.record.value;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_factor_selection_field(cmrv_context* ctx, const cmrv_factor_selection* selection, const char* field,
                                        const char** out_text) {
  return Guard(ctx, [&]() -> absl::Status {
    if (selection == nullptr) return NullArgument("selection");
    if (field == nullptr) return NullArgument("field");
    if (out_text == nullptr) return NullArgument("out_text");
    const auto& s = selection->selection;
    const std::string_view f(field);
    const std::string* v = f == "unit"             ? &s.record.unit
                           : f == "dataset"        ? &s.dataset.id
                           : f == "dataset_sha256" ? &s.dataset.sha256
                           : f == "source_table"   ? &s.record.source_table
                           : f == "source_row"     ? &s.record.source_row
                           : f == "rule"           ? &s.rule
                           : f == "carrier"        ? &s.record.carrier
                           : f == "parameter"      ? &s.record.parameter
                           : f == "gas"            ? &s.record.gas
                           : f == "region"         ? &s.record.region
                           : f == "confidence"     ? &s.record.confidence
                           : f == "sector"         ? &s.record.sector
                           : f == "sources"        ? &s.record.sources
                                                   : nullptr;
    if (v == nullptr) {
      return cmrv::MakeError(absl::StatusCode::kInvalidArgument, cmrv::ErrorDetail::kInvalidArgument,
                             std::string("field \"") + field +
                                 "\" is not one of unit, dataset, dataset_sha256, source_table, source_row, "
                                 "rule, carrier, parameter, gas, region, confidence, sector, sources");
    }
    *out_text = v->c_str();
    return absl::OkStatus();
  });
}

cmrv_status cmrv_factor_selection_to_json(cmrv_context* ctx, const cmrv_factor_selection* selection, char** out_json) {
  return Guard(ctx, [&]() -> absl::Status {
    if (selection == nullptr) return NullArgument("selection");
    if (out_json == nullptr) return NullArgument("out_json");
    *out_json = cmrv::capi::DupString(selection->selection.ToJson());
    return absl::OkStatus();
  });
}

}  // extern "C"
