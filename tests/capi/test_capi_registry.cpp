// C API: the registry scenario of tests/data/registry_cases.json through cmrv_registry_* on each backend
// (as an ERP or a platform would drive it), and misuse.
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"
#include "support/cases.hpp"
#include "support/fixtures.hpp"
#include "support/registry_targets.hpp"

namespace {

using nlohmann::json;

const json& Cases() {
  static const json cases = json::parse(cmrv_test::Read("registry_cases.json"));
  return cases;
}

int32_t RoleOf(const std::string& actor) {
  const std::string role = actor.substr(0, actor.find(':'));
  if (role == "regulator") return CMRV_ROLE_REGULATOR;
  if (role == "verifier") return CMRV_ROLE_VERIFIER;
  if (role == "enterprise") return CMRV_ROLE_ENTERPRISE;
  return CMRV_ROLE_EXCHANGE;
}

}  // namespace

TEST_CASE("C API registry: the shared scenario on each backend", "[registry]") {
  for (const auto& target : cmrv_test::RegistryTargets()) {
    INFO(target.backend);
    cmrv_context* ctx = cmrv_context_create();
    cmrv_registry* reg = nullptr;
    REQUIRE(cmrv_registry_open(ctx, target.url.c_str(), &reg) == CMRV_OK);
    for (const auto& step : cmrv_test::Counted(Cases(), "registry_cases.json", "steps")) {
      INFO(step["op"].dump());
      const std::string actor = step["as"];
      const std::string id = actor.substr(actor.find(':') + 1);
      int64_t seq = -1;
      const cmrv_status st = cmrv_registry_apply(ctx, reg, RoleOf(actor), id.c_str(), step["op"].dump().c_str(), &seq);
      if (step.contains("seq")) {
        REQUIRE(st == CMRV_OK);
        CHECK(seq == step["seq"].get<int64_t>());
      } else {
        CHECK(std::string(cmrv_status_name(st)) == step["error"].get<std::string>());
        CHECK(seq == -1);  // untouched on failure
        if (step.contains("message")) CHECK(std::string(cmrv_context_last_error_message(ctx)) == step["message"]);
        if (step["error"] == "permission_denied")
          CHECK(cmrv_context_last_error_detail(ctx) == CMRV_DETAIL_NOT_PERMITTED);
        if (step["error"] == "failed_precondition" && step["op"]["op"] == "surrender") {
          CHECK(cmrv_context_last_error_detail(ctx) == CMRV_DETAIL_INSUFFICIENT_HOLDINGS);
        }
      }
    }
    for (const auto& b : cmrv_test::Counted(Cases(), "registry_cases.json", "balances")) {
      int64_t q = -1;
      REQUIRE(cmrv_registry_balance(ctx, reg, b[0].get<std::string>().c_str(), b[1].get<std::string>().c_str(),
                                    b[2].get<int32_t>(), &q) == CMRV_OK);
      CHECK(q == b[3].get<int64_t>());
    }
    char* out = nullptr;
    REQUIRE(cmrv_registry_view(ctx, reg, "status", R"({"year": 2022})", &out) == CMRV_OK);
    const json rows = json::parse(out);
    cmrv_free(out);
    const auto& want = cmrv_test::Counted(Cases(), "registry_cases.json", "status_2022");
    REQUIRE(rows.size() == want.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      for (const auto& [key, value] : want[i].items()) CHECK(rows[i][key] == value);
    }
    int32_t ok = 0;
    int64_t entries = 0, bad = -1;
    char* problem = nullptr;
    REQUIRE(cmrv_registry_verify_journal(ctx, reg, &ok, &entries, &bad, &problem) == CMRV_OK);
    CHECK(ok == 1);
    CHECK(entries == 17);
    CHECK(bad == 0);
    CHECK(std::string(problem).empty());
    cmrv_free(problem);
    cmrv_registry_close(reg);
    cmrv_context_destroy(ctx);
  }
}

TEST_CASE("C API registry: misuse", "[registry]") {
  cmrv_context* ctx = cmrv_context_create();
  cmrv_registry* reg = nullptr;
  CHECK(cmrv_registry_open(ctx, nullptr, &reg) == CMRV_ERR_INVALID_ARGUMENT);
  REQUIRE(cmrv_registry_open(ctx, cmrv_test::FreshSqlite().c_str(), &reg) == CMRV_OK);
  CHECK(cmrv_registry_apply(ctx, reg, 9, "MEE", "{}", nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(ctx)) ==
        "role 9 is not one of CMRV_ROLE_REGULATOR (0) … CMRV_ROLE_EXCHANGE (3)");
  CHECK(cmrv_registry_apply(ctx, reg, CMRV_ROLE_REGULATOR, "MEE", "{not json", nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(ctx)) == "operation: not valid JSON");
  CHECK(cmrv_registry_apply(ctx, reg, CMRV_ROLE_REGULATOR, "", R"({"op": "issue"})", nullptr) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_registry_apply_all(ctx, reg, CMRV_ROLE_REGULATOR, "MEE", "[]", nullptr, nullptr) ==
        CMRV_ERR_INVALID_ARGUMENT);
  size_t count = 0;
  int64_t first = 0;
  REQUIRE(cmrv_registry_apply_all(ctx, reg, CMRV_ROLE_REGULATOR, "MEE",
                                  R"([{"op": "issue", "account": "GOVERNMENT", "vintage": 2024, "quantity": 7},
                                      {"op": "cancel", "account": "GOVERNMENT", "vintage": 2024, "quantity": 2}])",
                                  &first, &count) == CMRV_OK);
  CHECK((first == 1 && count == 2));
  int64_t q = 0;
  REQUIRE(cmrv_registry_balance(ctx, reg, "GOVERNMENT", "allowance", 2024, &q) == CMRV_OK);
  CHECK(q == 5);
  CHECK(cmrv_registry_balance(ctx, reg, "NOWHERE", "allowance", 2024, &q) == CMRV_ERR_NOT_FOUND);
  CHECK(cmrv_registry_balance(ctx, reg, "GOVERNMENT", "gold", 2024, &q) == CMRV_ERR_INVALID_ARGUMENT);
  char* out = nullptr;
  CHECK(cmrv_registry_view(ctx, reg, "everything", nullptr, &out) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_registry_view(ctx, reg, "status", "{}", &out) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(ctx)) == "status: year: required");
  CHECK(cmrv_registry_verify_journal(ctx, reg, nullptr, nullptr, nullptr, nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_registry_apply(ctx, nullptr, 0, "MEE", "{}", nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_registry_close(reg);
  cmrv_registry_close(nullptr);
  cmrv_context_destroy(ctx);
}
