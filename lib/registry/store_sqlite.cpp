// The registry's SQLite backend: one file, WAL journal, synchronous=FULL so that a committed
// transaction survives a killed process or a power cut, writers serialized by BEGIN IMMEDIATE.
#include <sqlite3.h>

#include <memory>
#include <string>

#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"
#include "registry/store.hpp"

namespace cmrv::internal {
namespace {

// A statement that does not prepare is a bug here (the SQL is ours); a failing step is the storage's
// state (busy past the timeout, disk full, read-only, corrupt): unavailable, not internal.
absl::Status DbError(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db) & 0xff;
  const auto status = what == "prepare"        ? absl::StatusCode::kInternal
                      : code == SQLITE_CORRUPT ? absl::StatusCode::kDataLoss
                                               : absl::StatusCode::kUnavailable;
  return MakeError(status, ErrorDetail::kStorage, StrCat("sqlite: ", what, ": ", sqlite3_errmsg(db)));
}

// $1 → ?1: SQLite's numbered parameters take the same positions.
std::string Dialect(std::string_view sql) {
  std::string out(sql);
  for (char& c : out) {
    if (c == '$') c = '?';
  }
  return out;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  std::string_view Backend() const override { return "sqlite"; }

  absl::Status Exec(std::string_view sql, const std::vector<SqlValue>& params) override {
    auto rows = Run(sql, params, false);
    return rows.ok() ? absl::OkStatus() : rows.status();
  }

  absl::StatusOr<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    return Run(sql, params, true);
  }

  absl::Status BeginWrite() override { return Exec("BEGIN IMMEDIATE", {}); }
  absl::Status BeginRead() override { return Exec("BEGIN DEFERRED", {}); }  // WAL: the snapshot of the first read
  absl::Status Commit() override { return Exec("COMMIT", {}); }
  void Rollback() override {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  absl::StatusOr<std::vector<SqlRow>> Run(std::string_view sql, const std::vector<SqlValue>& params, bool rows) {
    const std::string text = Dialect(sql);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, text.c_str(), static_cast<int>(text.size()), &st, nullptr) != SQLITE_OK) {
      return DbError(db_, "prepare");
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(params[i])) {
        rc = sqlite3_bind_null(st, at);
      } else if (const auto* n = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(st, at, *n);
      } else if (const auto* d = std::get_if<double>(&params[i])) {
        rc = sqlite3_bind_double(st, at, *d);
      } else {
        const auto& s = std::get<std::string>(params[i]);
        rc = sqlite3_bind_text(st, at, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return DbError(db_, "bind");
    }
    std::vector<SqlRow> out;
    for (;;) {
      const int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return DbError(db_, "step");
      if (!rows) continue;
      SqlRow row;
      const int n = sqlite3_column_count(st);
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(st, c)) {
          case SQLITE_NULL: row.emplace_back(nullptr); break;
          case SQLITE_INTEGER: row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(st, c))); break;
          case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(st, c)); break;
          default: {
            const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
            row.emplace_back(std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st, c))));
          }
        }
      }
      out.push_back(std::move(row));
    }
    return out;
  }

  sqlite3* db_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat("registry \"sqlite:", path, "\": ", msg));
  }
  auto store = std::make_unique<SqliteStore>(db);
  sqlite3_busy_timeout(db, 10'000);  // a second writer waits for the first rather than failing at once
  // 64 MiB of page cache (SQLite's default is 2 MiB): a registry of 10^5 transfers is ~60 MB, and with the
  // default most balance and journal look-ups become reads from the OS (docs/performance.md).
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA cache_size=-65536"}) {
    if (auto st = static_cast<Store&>(*store).Query(pragma); !st.ok()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       StrCat("registry \"sqlite:", path, "\": ", st.status().message()));
    }
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace cmrv::internal
