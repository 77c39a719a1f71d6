// Fixture lists with their expected sizes (tests/data/fixture_counts.json), so that a loop over
// cases cannot pass by running no case: a list that is empty, shorter or longer than committed fails.
#pragma once

#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace cmrv_test {

inline const nlohmann::json& Counted(const nlohmann::json& cases, const std::string& file, const std::string& key) {
  static const nlohmann::json counts = [] {
    std::ifstream in(std::string(CMRV_TEST_DATA_DIR) + "/fixture_counts.json");
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
  }();
  INFO(file << " [\"" << key << "\"]");
  REQUIRE(counts.contains(file));
  REQUIRE(counts[file].contains(key));
  REQUIRE(cases.contains(key));
  REQUIRE(cases[key].size() == counts[file][key].get<std::size_t>());
  REQUIRE(!cases[key].empty());
  return cases[key];
}

}  // namespace cmrv_test
