// Internal: the registry's storage backends behind one interface (SQLite, PostgreSQL).
//
// SQL is written once with $1, $2 … placeholders and every value is bound, never spliced into the text.
// Writers are serialized (SQLite: BEGIN IMMEDIATE; PostgreSQL: an exclusive lock on the journal table),
// because every journal entry hashes the one before it: two writers can never both append entry n.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cmrv::internal {

using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string>;
using SqlRow = std::vector<SqlValue>;

class Store {
 public:
  virtual ~Store() = default;
  virtual std::string_view Backend() const = 0;  ///< "sqlite" or "postgresql"
  virtual absl::Status Exec(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  virtual absl::StatusOr<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  /// Starts a write transaction that no other writer can interleave with.
  virtual absl::Status BeginWrite() = 0;
  /// Starts a read-only transaction: every query until Rollback() sees one snapshot, so a check that
  /// reads the journal and then the movements cannot see a writer's commit in between.
  virtual absl::Status BeginRead() = 0;
  virtual absl::Status Commit() = 0;
  virtual void Rollback() = 0;  ///< never fails loudly: called on error paths
};

/// "sqlite:PATH" (created when missing; WAL, synchronous=FULL, 10 s busy timeout).
absl::StatusOr<std::unique_ptr<Store>> OpenSqlite(const std::string& path);
/// "postgresql:CONNINFO" (libpq keyword/value or URI form).
absl::StatusOr<std::unique_ptr<Store>> OpenPostgres(const std::string& conninfo);

/// Typed access to a row's column, with the column named in the error.
int64_t AsInt(const SqlValue& v);
double AsDouble(const SqlValue& v);
std::string AsText(const SqlValue& v);
bool IsNull(const SqlValue& v);

}  // namespace cmrv::internal
