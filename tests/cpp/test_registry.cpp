// C++ core: the registry scenario of tests/data/registry_cases.json on SQLite and PostgreSQL — every
// step's journal number or refusal, balances, the status view, history and refusals — then tampering
// with the journal and the movements, reopening, and the schema version.
#include <sqlite3.h>

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv/registry/registry.hpp"
#include "support/cases.hpp"
#include "support/fixtures.hpp"
#include "support/registry_targets.hpp"

namespace {

using nlohmann::json;

const json& Cases() {
  static const json cases = json::parse(cmrv_test::Read("registry_cases.json"));
  return cases;
}

std::string StatusName(absl::StatusCode code) {
  std::string s = absl::StatusCodeToString(code);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Runs every step; checks each outcome.
void RunScenario(cmrv::Registry& reg) {
  for (const auto& step : cmrv_test::Counted(Cases(), "registry_cases.json", "steps")) {
    INFO(step["op"].dump());
    auto actor = cmrv::ParseActor(step["as"].get<std::string>());
    REQUIRE(actor.ok());
    auto seq = reg.Apply(*actor, step["op"].dump());
    if (step.contains("seq")) {
      REQUIRE(seq.ok());
      CHECK(*seq == step["seq"].get<int64_t>());
    } else {
      REQUIRE_FALSE(seq.ok());
      CHECK(StatusName(seq.status().code()) == step["error"].get<std::string>());
      const std::string msg(seq.status().message());
      if (step.contains("message")) CHECK(msg == step["message"].get<std::string>());
      if (step.contains("contains")) CHECK(msg.find(step["contains"].get<std::string>()) != std::string::npos);
    }
  }
}

void CheckOutcome(cmrv::Registry& reg) {
  for (const auto& b : cmrv_test::Counted(Cases(), "registry_cases.json", "balances")) {
    INFO(b.dump());
    auto q = reg.Balance(b[0].get<std::string>(), b[1].get<std::string>(), b[2].get<int>());
    REQUIRE(q.ok());
    CHECK(*q == b[3].get<int64_t>());
  }
  auto status = reg.View("status", R"({"year": 2022})");
  REQUIRE(status.ok());
  const json rows = json::parse(*status);
  const auto& want = cmrv_test::Counted(Cases(), "registry_cases.json", "status_2022");
  REQUIRE(rows.size() == want.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const auto& [key, value] : want[i].items()) {
      INFO(key);
      CHECK(rows[i][key] == value);
    }
  }
  auto refusals = reg.View("refusals", "{}");
  REQUIRE(refusals.ok());
  CHECK(json::parse(*refusals).size() == Cases()["refusals"].get<std::size_t>());
  auto history = reg.View("history", json({{"uscc", Cases()["enterprises"]["A"]}}).dump());
  REQUIRE(history.ok());
  std::vector<std::string> ops;
  for (const auto& e : json::parse(*history)) ops.push_back(e["op"]);
  CHECK(ops == Cases()["history_A_ops"].get<std::vector<std::string>>());
  auto check = reg.VerifyJournal();
  REQUIRE(check.ok());
  CHECK(check->ok);
  CHECK(check->entries == 17);
  CHECK(check->problem.empty());
}

}  // namespace

TEST_CASE("Registry: the shared scenario on each backend", "[registry]") {
  for (const auto& target : cmrv_test::RegistryTargets()) {
    INFO(target.backend);
    auto reg = cmrv::Registry::Open(target.url);
    REQUIRE(reg.ok());
    CHECK((*reg)->backend() == target.backend);
    RunScenario(**reg);
    CheckOutcome(**reg);
    // Reopened, it holds the same record (and migrates nothing).
    reg->reset();
    auto again = cmrv::Registry::Open(target.url);
    REQUIRE(again.ok());
    CheckOutcome(**again);
  }
}

TEST_CASE("Registry: ApplyAll is all or none", "[registry]") {
  for (const auto& target : cmrv_test::RegistryTargets()) {
    INFO(target.backend);
    auto reg = cmrv::Registry::Open(target.url);
    REQUIRE(reg.ok());
    const cmrv::Actor mee{cmrv::Role::kRegulator, "MEE"};
    const std::string a = Cases()["enterprises"]["A"];
    auto seqs = (*reg)->ApplyAll(
        mee, {json({{"op", "register_enterprise"}, {"uscc", a}, {"name", "A"}, {"region", "CN-37"}}).dump(),
              json({{"op", "allocate"}, {"uscc", a}, {"vintage", 2022}, {"quantity", 10}}).dump()});
    REQUIRE(seqs.ok());
    CHECK(*seqs == std::vector<int64_t>{1, 2});
    // The second operation debits more than A holds: the first (an allocation) is rolled back with it.
    auto bad = (*reg)->ApplyAll(
        mee, {json({{"op", "allocate"}, {"uscc", a}, {"vintage", 2022}, {"quantity", 5}}).dump(),
              json({{"op", "allocate"}, {"uscc", a}, {"vintage", 2022}, {"quantity", -100}, {"movement", "true_up"}})
                  .dump()});
    REQUIRE_FALSE(bad.ok());
    CHECK(std::string(bad.status().message()) ==
          "ops[1]: allocate: account " + a + " holds 15 allowance of vintage 2022; 100 cannot leave it");
    CHECK(*(*reg)->Balance(a, "allowance", 2022) == 10);
    CHECK((*reg)->VerifyJournal()->entries == 2);
  }
}

TEST_CASE("Registry: an edited journal or movement is detected", "[registry]") {
  const std::string url = cmrv_test::FreshSqlite();
  {
    auto reg = cmrv::Registry::Open(url);
    REQUIRE(reg.ok());
    RunScenario(**reg);
  }
  const std::string path = url.substr(7);
  auto edit = [&](const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  };
  auto verify = [&] {
    auto reg = cmrv::Registry::Open(url);
    REQUIRE(reg.ok());
    auto c = (*reg)->VerifyJournal();
    REQUIRE(c.ok());
    return *c;
  };
  // Someone raises A's allocation in the movements table: balances no longer match the journal.
  edit("UPDATE movements SET quantity = 990000 WHERE seq = 7");
  auto c = verify();
  CHECK_FALSE(c.ok);
  CHECK(c.first_bad == 7);
  CHECK(c.problem == "entry 7: movement leg 0 differs from the journal");
  // … and also in the journal's payload: the hash gives it away.
  edit("UPDATE journal SET payload = replace(payload, '900000', '990000') WHERE seq = 7");
  c = verify();
  CHECK(c.first_bad == 7);
  CHECK(c.problem == "entry 7 was altered: its hash does not match");
  // Rehashing entry 7 breaks the link of entry 8.
  edit("UPDATE movements SET quantity = 900000 WHERE seq = 7");
  edit("UPDATE journal SET payload = replace(payload, '990000', '900000') WHERE seq = 7");
  CHECK(verify().ok);
  edit("DELETE FROM journal WHERE seq = 12");
  c = verify();
  CHECK(c.first_bad == 13);
  CHECK(c.problem == "entry 12 is missing (found 13)");
}

TEST_CASE("Registry: a database from a later schema is refused", "[registry]") {
  const std::string url = cmrv_test::FreshSqlite();
  REQUIRE(cmrv::Registry::Open(url).ok());
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(url.substr(7).c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
  sqlite3_close(db);
  auto reg = cmrv::Registry::Open(url);
  REQUIRE_FALSE(reg.ok());
  CHECK(reg.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(
      std::string(reg.status().message()).starts_with("registry: schema version 99 was written by a later carbonmrv"));
  CHECK(cmrv::Registry::Open("postgresql:host=/nonexistent dbname=x connect_timeout=1").status().code() ==
        absl::StatusCode::kUnavailable);
  CHECK(cmrv::ParseActor("mayor:X").status().message() ==
        "role \"mayor\" is not one of regulator, verifier, enterprise, exchange");
}
