// Fixture lists with their expected sizes (tests/data/fixture_counts.json), so that a loop over
// cases cannot pass by running no case: a list that is empty, shorter or longer than committed fails.
#pragma once

#include <fstream>
#include <iterator>
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

/// A file under tests/data as text.
inline std::string ReadData(const std::string& rel) {
  std::ifstream in(std::string(CMRV_TEST_DATA_DIR) + "/" + rel);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The document text of a malformed case (tests/data/make_malformed_cases.py): its text, or a run of
/// `nest` brackets, alone or inside a region request's enterprise list.
inline std::string MalformedText(const nlohmann::json& c) {
  if (!c.contains("nest")) return c["text"].get<std::string>();
  const std::string brackets(c["nest"].get<std::size_t>(), '[');
  if (c.value("nest_in_region", false)) {
    return R"({"schema":"carbonmrv.region/1","region":"CN-44","year":2023,"enterprises":[)" + brackets;
  }
  return brackets;
}

}  // namespace cmrv_test
