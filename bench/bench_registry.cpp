// Registry load test (issue 17): 10^5 transfers across 10^3 enterprise accounts on SQLite and, when
// CMRV_TEST_PG names a server, PostgreSQL — through Registry::ApplyAll in batches (each batch one
// transaction: permission checks, balance checks, movement legs, one hash-chained journal entry per
// transfer), against what a user would otherwise write on the same connection settings: a plain table
// of (account, delta) rows with the same balance check, batch transactions, pragmas and a covering
// index, but no journal, hashes, roles or validation. Prints transfers per second for both and their ratio.
//   build/bench/cmrv_bench_registry [transfers=100000] [accounts=1000] [batch=1000]
#include <libpq-fe.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "carbonmrv/registry/registry.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::string Uscc(int i) {
  // Valid GB 32100 codes: 17 characters and the check digit (weights 3^(k-1) mod 31, alphabet below).
  static const std::string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  char body[18];
  std::snprintf(body, sizeof body, "913701%011d", i);
  int sum = 0;
  for (int k = 0; k < 17; ++k) sum += static_cast<int>(alphabet.find(body[k])) * weights[k];
  return std::string(body) + alphabet[static_cast<std::size_t>((31 - sum % 31) % 31)];
}

struct Transfer {
  int from, to;
};

std::vector<Transfer> Plan(int n, int accounts) {
  std::vector<Transfer> t(static_cast<std::size_t>(n));
  uint64_t x = 88172645463325252ULL;
  for (auto& tr : t) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    tr.from = static_cast<int>(x % static_cast<uint64_t>(accounts));
    tr.to = static_cast<int>((x >> 20) % static_cast<uint64_t>(accounts));
    if (tr.to == tr.from) tr.to = (tr.to + 1) % accounts;
  }
  return t;
}

double Registry(const std::string& url, const std::vector<Transfer>& plan, int accounts, int batch) {
  auto reg = cmrv::Registry::Open(url);
  if (!reg.ok()) {
    std::fprintf(stderr, "%s\n", std::string(reg.status().message()).c_str());
    std::exit(1);
  }
  const cmrv::Actor mee{cmrv::Role::kRegulator, "MEE"}, exchange{cmrv::Role::kExchange, "SEEE"};
  std::vector<std::string> setup;
  for (int i = 0; i < accounts; ++i) {
    setup.push_back(
        nlohmann::json({{"op", "register_enterprise"}, {"uscc", Uscc(i)}, {"name", "e"}, {"region", "CN-37"}}).dump());
    setup.push_back(
        nlohmann::json({{"op", "allocate"}, {"uscc", Uscc(i)}, {"vintage", 2022}, {"quantity", 1000000}}).dump());
  }
  if (!(*reg)->ApplyAll(mee, setup).ok()) std::exit(1);
  const auto start = Clock::now();
  for (std::size_t i = 0; i < plan.size(); i += static_cast<std::size_t>(batch)) {
    std::vector<std::string> ops;
    for (std::size_t j = i; j < std::min(plan.size(), i + static_cast<std::size_t>(batch)); ++j) {
      ops.push_back(nlohmann::json({{"op", "transfer"},
                                    {"from", Uscc(plan[j].from)},
                                    {"to", Uscc(plan[j].to)},
                                    {"vintage", 2022},
                                    {"quantity", 1},
                                    {"movement", "trade"}})
                        .dump());
    }
    if (auto r = (*reg)->ApplyAll(exchange, ops); !r.ok()) {
      std::fprintf(stderr, "%s\n", std::string(r.status().message()).c_str());
      std::exit(1);
    }
  }
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  if (!(*reg)->VerifyJournal()->ok) std::exit(1);
  return static_cast<double>(plan.size()) / s;
}

// The baseline on SQLite: a ledger table with an index, the balance check, batch transactions, the
// same pragmas (WAL, synchronous=FULL).
double PlainSqlite(const std::string& path, const std::vector<Transfer>& plan, int accounts, int batch) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536; CREATE TABLE ledger "
               "(account TEXT, delta INTEGER); CREATE INDEX ledger_account ON ledger (account, delta)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt *ins = nullptr, *sum = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO ledger VALUES (?1, ?2)", -1, &ins, nullptr);
  sqlite3_prepare_v2(db, "SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE account = ?1", -1, &sum, nullptr);
  auto add = [&](const std::string& a, int64_t d) {
    sqlite3_bind_text(ins, 1, a.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 2, d);
    sqlite3_step(ins);
    sqlite3_reset(ins);
  };
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  for (int i = 0; i < accounts; ++i) add(Uscc(i), 1000000);
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  const auto start = Clock::now();
  for (std::size_t i = 0; i < plan.size(); i += static_cast<std::size_t>(batch)) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (std::size_t j = i; j < std::min(plan.size(), i + static_cast<std::size_t>(batch)); ++j) {
      const std::string from = Uscc(plan[j].from);
      sqlite3_bind_text(sum, 1, from.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_step(sum);
      if (sqlite3_column_int64(sum, 0) < 1) std::exit(1);
      sqlite3_reset(sum);
      add(from, -1);
      add(Uscc(plan[j].to), 1);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_finalize(ins);
  sqlite3_finalize(sum);
  sqlite3_close(db);
  return static_cast<double>(plan.size()) / s;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int accounts = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int batch = argc > 3 ? std::atoi(argv[3]) : 1000;
  const auto plan = Plan(n, accounts);
  const auto dir = std::filesystem::temp_directory_path() / "cmrv_bench_registry";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::printf("%d transfers across %d accounts, %d per transaction\n", n, accounts, batch);
  const double reg = Registry("sqlite:" + (dir / "registry.db").string(), plan, accounts, batch);
  const double plain = PlainSqlite((dir / "plain.db").string(), plan, accounts, batch);
  std::printf("sqlite      registry %10.0f transfers/s   plain ledger %10.0f transfers/s   ratio %.2f\n", reg, plain,
              plain / reg);
  if (const char* pg = std::getenv("CMRV_TEST_PG"); pg != nullptr && *pg != '\0') {
    PGconn* c = PQconnectdb(pg);
    PQclear(PQexec(
        c, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS cmrv_bench CASCADE; CREATE SCHEMA cmrv_bench"));
    PQfinish(c);
    const double pgr =
        Registry("postgresql:" + std::string(pg) + " options='-csearch_path=cmrv_bench'", plan, accounts, batch);
    std::printf("postgresql  registry %10.0f transfers/s\n", pgr);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
