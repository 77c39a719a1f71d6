// carbonmrv — the registry: one administration's record of enterprises, audits, inventories,
// verifications, allowance accounts, movements and compliance, on SQLite or PostgreSQL.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for binary
// stability.
//
// The journal is the source of truth. Every write is one operation (an `Op`, the same JSON object on
// every surface) applied by a named actor in one transaction that appends one journal entry, hash-chained
// to the one before (SHA-256), and updates the tables the views read. Writers are serialized, so the
// chain has no forks and no account can be debited twice for the same allowances; balances are sums of
// movement legs that VerifyJournal() checks against the journal. Who may do what is checked before
// anything is written; refusals are errors naming the actor and the operation, and are logged.
// Rules and guarantees: docs/registry.md.
//
// Threads: one Registry (one connection) needs exclusive access; open one per thread or process.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cmrv {

namespace internal {
class Store;
}  // namespace internal

/// Who acts. A regulator and an exchange are named by the caller; a verifier by its id, which the
/// regulator assigns to enterprises; an enterprise by its USCC.
enum class Role : int32_t { kRegulator = 0, kVerifier = 1, kEnterprise = 2, kExchange = 3 };
std::string_view RoleName(Role role);  ///< "regulator", "verifier", "enterprise", "exchange"
absl::StatusOr<Role> ParseRole(std::string_view name);

struct Actor {
  Role role = Role::kRegulator;
  std::string id;
};
/// "regulator:MEE", "enterprise:91350100M000100Y43" … (the CLI's --as).
absl::StatusOr<Actor> ParseActor(std::string_view text);

/// The current schema version; a database written by a later version is refused, an earlier one is
/// migrated in one transaction.
inline constexpr int kRegistrySchemaVersion = 1;

/// The result of VerifyJournal().
struct JournalCheck {
  int64_t entries = 0;
  int64_t movements = 0;
  bool ok = false;
  int64_t first_bad = 0;  ///< the first entry whose link, hash or movements do not match (0: none)
  std::string problem;    ///< what does not match, or empty
};

class Registry {
 public:
  /// Opens (creating and migrating when needed) "sqlite:PATH", "postgresql:CONNINFO" (libpq keyword or
  /// URI form), or a plain path (SQLite). Records the library version that last wrote the database.
  static absl::StatusOr<std::unique_ptr<Registry>> Open(std::string_view target);
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  std::string_view backend() const;

  /// Applies one operation (JSON object, "op" names it; docs/registry.md lists each with its fields and
  /// who may apply it) and returns its journal sequence number. Errors: kInvalidArgument naming the
  /// field; kPermissionDenied ("enterprise:X may not allocate: only the regulator allocates"), logged;
  /// kFailedPrecondition for insufficient holdings; kNotFound for an unknown enterprise or account;
  /// kAlreadyExists for a duplicate. Nothing is written unless it succeeds.
  absl::StatusOr<int64_t> Apply(const Actor& actor, std::string_view op_json);
  /// Several operations in one transaction: all are applied or none. Returns their sequence numbers;
  /// an error names the operation's index ("ops[3]: …").
  absl::StatusOr<std::vector<int64_t>> ApplyAll(const Actor& actor, const std::vector<std::string>& ops);

  /// The balance of one account in one kind ("allowance" | "ccer") and vintage.
  absl::StatusOr<int64_t> Balance(std::string_view account, std::string_view kind, int vintage);

  /// Read-only views as JSON arrays of row objects (the tables a regulator reviews):
  ///   "status" (year; optional region, industry): per enterprise, its audit, inventory, verification,
  ///       open findings, allocation, obligation, surrenders and compliance status;
  ///   "holdings" (optional account): non-zero balances by account, kind and vintage;
  ///   "history" (uscc): every journal entry that concerns the enterprise;
  ///   "journal" (optional from): entries from a sequence number;
  ///   "findings" (optional uscc, open): findings with their resolution;
  ///   "refusals": refused operations with who tried them and why.
  /// `params_json` is an object of the view's parameters ("{}" for none).
  absl::StatusOr<std::string> View(std::string_view name, std::string_view params_json);

  /// Recomputes the hash chain from the first entry and checks every entry's movement legs against the
  /// movements table that balances are summed from.
  absl::StatusOr<JournalCheck> VerifyJournal();

 private:
  explicit Registry(std::unique_ptr<internal::Store> store);
  internal::Store* impl_store();  ///< for the views (registry_views.cpp)
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cmrv
