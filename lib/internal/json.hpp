// nlohmann::json for the core, with the typed vocabularies written by name. Without these, nlohmann
// writes an enum as its underlying integer ("feedstock": 0) without a word; every file of the core that
// builds JSON includes this header instead of <nlohmann/json.hpp>.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "carbonmrv/vocabulary.hpp"

namespace cmrv {

inline void to_json(nlohmann::json& j, Gas v) { j = std::string(GasName(v)); }
inline void to_json(nlohmann::json& j, Category v) { j = std::string(CategoryName(v)); }
inline void to_json(nlohmann::json& j, Scope v) { j = static_cast<int>(v); }  // the document writes the number
inline void to_json(nlohmann::json& j, Scope2Method v) { j = std::string(Scope2MethodName(v)); }
inline void to_json(nlohmann::json& j, Co2PerCarbon v) { j = std::string(Co2PerCarbonName(v)); }
inline void to_json(nlohmann::json& j, ElectricityConvention v) { j = std::string(ElectricityConventionName(v)); }
inline void to_json(nlohmann::json& j, FeedstockRule v) { j = std::string(FeedstockRuleName(v)); }

}  // namespace cmrv
