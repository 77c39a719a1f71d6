// The registry's PostgreSQL backend (libpq). Parameters travel apart from the SQL text
// (PQexecParams); writers are serialized by a transaction-scoped advisory lock, which also covers the
// first migration, when no table exists yet to lock.
#include <libpq-fe.h>

#include <string>

#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"
#include "registry/store.hpp"

namespace cmrv::internal {
namespace {

// pg_type OIDs of the results the registry reads (src/include/catalog/pg_type.dat).
constexpr Oid kInt2 = 21, kInt4 = 23, kInt8 = 20, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700, kBool = 16;
// The advisory lock key of registry writers ("cmrv" in ASCII).
constexpr const char* kWriterLock = "SELECT pg_advisory_xact_lock(1668117110)";

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(PGconn* conn) : conn_(conn) {}
  ~PostgresStore() override { PQfinish(conn_); }
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  std::string_view Backend() const override { return "postgresql"; }

  absl::Status Exec(std::string_view sql, const std::vector<SqlValue>& params) override {
    auto r = Run(sql, params);
    return r.ok() ? absl::OkStatus() : r.status();
  }
  absl::StatusOr<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    return Run(sql, params);
  }
  absl::Status BeginWrite() override {
    if (auto st = Exec("BEGIN", {}); !st.ok()) return st;
    if (auto st = Exec(kWriterLock, {}); !st.ok()) {
      Rollback();
      return st;
    }
    return absl::OkStatus();
  }
  absl::Status BeginRead() override { return Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {}); }
  absl::Status Commit() override { return Exec("COMMIT", {}); }
  void Rollback() override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

 private:
  absl::StatusOr<std::vector<SqlRow>> Run(std::string_view sql, const std::vector<SqlValue>& params) {
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (std::holds_alternative<std::nullptr_t>(params[i])) continue;
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        text[i] = std::to_string(*n);
      } else if (const auto* d = std::get_if<double>(&params[i])) {
        text[i] = StrCat(*d);  // shortest round-trip form: the stored double is the bound one
      } else {
        text[i] = std::get<std::string>(params[i]);
      }
      values[i] = text[i].c_str();
    }
    const std::string query(sql);
    PGresult* res = PQexecParams(conn_, query.c_str(), static_cast<int>(params.size()), nullptr, values.data(), nullptr,
                                 nullptr, 0);
    std::unique_ptr<PGresult, void (*)(PGresult*)> guard(res, PQclear);
    const auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
      const std::string code = state != nullptr ? state : "";
      // 40001 serialization failure, 40P01 deadlock, 08xxx connection: retryable, not a bug.
      const bool transient = code.starts_with("40") || code.starts_with("08");
      return MakeError(transient ? absl::StatusCode::kUnavailable : absl::StatusCode::kInternal, ErrorDetail::kStorage,
                       StrCat("postgresql: ", PQerrorMessage(conn_)));
    }
    std::vector<SqlRow> out;
    const int rows = PQntuples(res), cols = PQnfields(res);
    out.reserve(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      SqlRow row;
      row.reserve(static_cast<std::size_t>(cols));
      for (int c = 0; c < cols; ++c) {
        if (PQgetisnull(res, r, c) != 0) {
          row.emplace_back(nullptr);
          continue;
        }
        const std::string v(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c)));
        const Oid type = PQftype(res, c);
        if (type == kInt2 || type == kInt4 || type == kInt8 ||
            (type == kNumeric && v.find_first_of(".eE") == std::string::npos)) {
          row.emplace_back(static_cast<int64_t>(std::stoll(v)));
        } else if (type == kFloat4 || type == kFloat8 || type == kNumeric) {
          row.emplace_back(std::stod(v));
        } else if (type == kBool) {
          row.emplace_back(static_cast<int64_t>(v == "t" ? 1 : 0));
        } else {
          row.emplace_back(v);
        }
      }
      out.push_back(std::move(row));
    }
    return out;
  }

  PGconn* conn_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenPostgres(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string msg = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    PQfinish(conn);
    return MakeError(absl::StatusCode::kUnavailable, ErrorDetail::kStorage,
                     StrCat("registry \"postgresql:", conninfo, "\": ", msg));
  }
  PQclear(PQexec(conn, "SET client_min_messages = warning"));
  return std::unique_ptr<Store>(std::make_unique<PostgresStore>(conn));
}

}  // namespace cmrv::internal
