// JSON forms of factor records, datasets and selections (kept apart from factors.cpp so that only
// this translation unit pays for nlohmann/json).
#include "internal/json.hpp"

#include "carbonmrv/factors/factors.hpp"

namespace cmrv {
namespace {

nlohmann::json Json(const FactorRecord& r) {
  nlohmann::json j = {{"dataset", r.dataset},
                      {"carrier", r.carrier},
                      {"parameter", r.parameter},
                      {"gas", r.gas},
                      {"value", r.value},
                      {"unit", r.unit},
                      {"basis", r.basis},
                      {"region", r.region},
                      {"source_table", r.source_table},
                      {"source_row", r.source_row},
                      {"confidence", r.confidence},
                      {"note", r.note},
                      {"sector", r.sector},
                      {"sources", r.sources},
                      {"line", r.line}};
  j["year_from"] = r.year_from ? nlohmann::json(*r.year_from) : nlohmann::json(nullptr);
  j["year_to"] = r.year_to ? nlohmann::json(*r.year_to) : nlohmann::json(nullptr);
  j["lower"] = r.lower ? nlohmann::json(*r.lower) : nlohmann::json(nullptr);
  j["upper"] = r.upper ? nlohmann::json(*r.upper) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json Json(const DatasetInfo& d) {
  return {{"id", d.id},
          {"title", d.title},
          {"document", d.document},
          {"publisher", d.publisher},
          {"published", d.published},
          {"region", d.region},
          {"basis", d.basis},
          {"class", std::string(DatasetClassName(d.dataset_class))},
          {"sha256", d.sha256},
          {"source", d.source},
          {"builtin", d.builtin},
          {"explicit_only", d.explicit_only},
          {"record_count", d.record_count}};
}

}  // namespace

std::string ToJson(const FactorRecord& record) { return Json(record).dump(); }
std::string ToJson(const DatasetInfo& dataset) { return Json(dataset).dump(); }

std::string ToJson(const std::vector<DatasetInfo>& datasets) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& d : datasets) j.push_back(Json(d));
  return j.dump();
}

std::string ToJson(const std::vector<FactorRecord>& records) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& r : records) j.push_back(Json(r));
  return j.dump();
}

std::string ToJson(const std::vector<Carrier>& carriers) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& c : carriers) {
    j.push_back({{"id", c.id},
                 {"name_en", c.name_en},
                 {"name_zh", c.name_zh},
                 {"aliases", c.aliases},
                 {"class", c.carrier_class},
                 {"state", c.state},
                 {"default_unit", c.default_unit}});
  }
  return j.dump();
}

std::string FactorSelection::ToJson() const {
  nlohmann::json j = {{"value", record.value},    {"unit", record.unit}, {"record", Json(record)},
                      {"dataset", Json(dataset)}, {"rule", rule},        {"considered", considered}};
  return j.dump();
}

}  // namespace cmrv
