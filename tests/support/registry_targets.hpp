// Registry databases for the C++ and C suites: a new SQLite file, and — when CMRV_TEST_PG holds a libpq
// connection string (scripts/pg-cluster.sh sets it) — a new PostgreSQL schema on that server, so that
// the same scenario runs on both backends. In CI (CI=true) a missing server fails the suite.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace cmrv_test {

struct RegistryTarget {
  std::string backend, url;
};

inline std::string FreshName(const char* prefix) {
  static std::atomic<int> n{0};
  return std::string(prefix) + std::to_string(::getpid()) + "_" + std::to_string(n++);
}

inline std::string FreshSqlite() {
  const auto dir = std::filesystem::temp_directory_path() / "cmrv_registry_tests";
  std::filesystem::create_directories(dir);
  const auto path = dir / (FreshName("r") + ".db");
  std::filesystem::remove(path);
  return "sqlite:" + path.string();
}

/// A new schema on the test server; empty when no server is configured (outside CI).
inline std::string FreshPostgres() {
  const char* base = std::getenv("CMRV_TEST_PG");
  if (base == nullptr || *base == '\0') {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") FAIL("CMRV_TEST_PG is not set in CI: scripts/pg-cluster.sh start");
    return "";
  }
  const std::string schema = FreshName("cmrv_t");
  PGconn* c = PQconnectdb(base);
  REQUIRE(PQstatus(c) == CONNECTION_OK);
  PGresult* r = PQexec(
      c, ("SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema)
             .c_str());
  REQUIRE(PQresultStatus(r) == PGRES_COMMAND_OK);
  PQclear(r);
  PQfinish(c);
  return "postgresql:" + std::string(base) + " options='-csearch_path=" + schema + "'";
}

inline std::vector<RegistryTarget> RegistryTargets() {
  std::vector<RegistryTarget> out = {{"sqlite", FreshSqlite()}};
  if (auto pg = FreshPostgres(); !pg.empty()) out.push_back({"postgresql", pg});
  return out;
}

}  // namespace cmrv_test
