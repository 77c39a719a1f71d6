// Fixture helpers shared by the C++ and C API suites (the same files drive the Python suite).
#pragma once

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

namespace cmrv_test {

/// A file under tests/data.
inline std::string Read(const std::string& rel) {
  std::ifstream in(std::string(CMRV_TEST_DATA_DIR) + "/" + rel);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The case's document with its [op, JSON pointer, value] patches applied (set | remove | add,
/// where add to "/-" appends).
inline std::string Patched(const nlohmann::json& c) {
  using nlohmann::json;
  json doc = json::parse(Read(c["document"].get<std::string>()));
  for (const auto& p : c["patch"]) {
    const std::string op = p[0], pointer = p[1];
    if (op == "remove") {
      const json::json_pointer ptr(pointer);
      json& parent = doc[ptr.parent_pointer()];
      if (parent.is_array()) {
        parent.erase(std::stoul(ptr.back()));
      } else {
        parent.erase(ptr.back());
      }
    } else if (op == "add" && pointer.ends_with("/-")) {
      doc[json::json_pointer(pointer.substr(0, pointer.size() - 2))].push_back(p[2]);
    } else {
      doc[json::json_pointer(pointer)] = p[2];
    }
  }
  return doc.dump();
}

inline bool Close(double a, double b, double rel) { return std::abs(a - b) <= rel * std::max(1.0, std::abs(b)); }

}  // namespace cmrv_test
