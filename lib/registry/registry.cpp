// The registry (registry/registry.hpp): schema and migrations, the hash-chained journal, who may do
// what, and each operation's effect on the tables the views read.
#include "carbonmrv/registry/registry.hpp"

#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

#include "carbonmrv/status.hpp"
#include "internal/sha256.hpp"
#include "internal/strings.hpp"
#include "registry/operations.hpp"
#include "registry/store.hpp"

#ifndef CMRV_LIBRARY_VERSION
#  define CMRV_LIBRARY_VERSION "unknown"
#endif

namespace cmrv {

using internal::AsInt;
using internal::AsText;
using internal::Leg;
using internal::SqlValue;
using internal::StrCat;
using nlohmann::json;

namespace {

constexpr std::string_view kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

// Schema version 1. Types are the common subset of SQLite and PostgreSQL.
constexpr const char* kSchemaV1[] = {
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE journal (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor_role TEXT NOT NULL, actor_id TEXT NOT "
    "NULL, op TEXT NOT NULL, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
    "CREATE TABLE enterprises (uscc TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL, industry TEXT NOT "
    "NULL, seq BIGINT NOT NULL)",
    "CREATE TABLE accounts (id TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT, seq BIGINT NOT NULL)",
    "CREATE TABLE verifiers (verifier TEXT NOT NULL, uscc TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY "
    "(verifier, uscc))",
    "CREATE TABLE audits (uscc TEXT NOT NULL, audit_id TEXT NOT NULL, year INTEGER NOT NULL, type TEXT NOT NULL, "
    "trigger_reason TEXT NOT NULL, stage TEXT NOT NULL, accepted INTEGER NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY "
    "(uscc, audit_id))",
    "CREATE TABLE inventories (uscc TEXT NOT NULL, year INTEGER NOT NULL, reported_t DOUBLE PRECISION, verified_t "
    "DOUBLE PRECISION, verifier TEXT, document TEXT, report TEXT, seq BIGINT NOT NULL, PRIMARY KEY (uscc, year))",
    "CREATE TABLE findings (id BIGINT PRIMARY KEY, uscc TEXT NOT NULL, year INTEGER NOT NULL, text TEXT NOT NULL, "
    "verifier TEXT NOT NULL, resolution TEXT, seq BIGINT NOT NULL)",
    "CREATE TABLE obligations (uscc TEXT NOT NULL, year INTEGER NOT NULL, due_t DOUBLE PRECISION NOT NULL, rules "
    "TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (uscc, year))",
    "CREATE TABLE movements (seq BIGINT NOT NULL, leg INTEGER NOT NULL, account TEXT NOT NULL, kind TEXT NOT NULL, "
    "vintage INTEGER NOT NULL, quantity BIGINT NOT NULL, movement TEXT NOT NULL, compliance_year INTEGER, PRIMARY "
    "KEY (seq, leg))",
    // Covering: a balance is summed from the index alone, without a table lookup per leg.
    "CREATE INDEX movements_by_account ON movements (account, kind, vintage, quantity)",
    "CREATE TABLE refusals (id BIGINT PRIMARY KEY, at TEXT NOT NULL, actor_role TEXT NOT NULL, actor_id TEXT NOT "
    "NULL, op TEXT NOT NULL, reason TEXT NOT NULL)",
    "INSERT INTO accounts (id, kind, owner, seq) VALUES ('GOVERNMENT', 'government', NULL, 0), ('AUCTION', "
    "'auction', NULL, 0), ('CANCELLATION', 'cancellation', NULL, 0)",
};

absl::Status Denied(const Actor& a, std::string_view op, std::string_view why) {
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorDetail::kNotPermitted,
                   StrCat(RoleName(a.role), ":", a.id, " may not ", op, ": ", why));
}

absl::Status Missing(std::string_view what) {
  return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kNotFound, what);
}

std::string NowUtc() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string EntryHash(std::string_view prev, int64_t seq, std::string_view at, std::string_view role,
                      std::string_view actor, std::string_view op, std::string_view payload) {
  return internal::Sha256Hex(StrCat(prev, "\n", seq, "\n", at, "\n", role, "\n", actor, "\n", op, "\n", payload));
}

std::string Text(const json& v) { return v.get<std::string>(); }

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kRegulator: return "regulator";
    case Role::kVerifier: return "verifier";
    case Role::kEnterprise: return "enterprise";
    case Role::kExchange: return "exchange";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kRegulator, Role::kVerifier, Role::kEnterprise, Role::kExchange}) {
    if (name == RoleName(r)) return r;
  }
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                   StrCat("role \"", name, "\" is not one of regulator, verifier, enterprise, exchange"));
}

absl::StatusOr<Actor> ParseActor(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon + 1 == text.size()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat("actor \"", text, "\": expected ROLE:ID, e.g. regulator:MEE or enterprise:<USCC>"));
  }
  auto role = ParseRole(text.substr(0, colon));
  if (!role.ok()) return role.status();
  return Actor{*role, std::string(text.substr(colon + 1))};
}

struct Registry::Impl {
  std::unique_ptr<internal::Store> store;
  /// The journal's last entry: its sequence number and hash.
  struct Chain {
    int64_t seq = 0;
    std::string hash;
  };

  absl::Status Migrate();
  absl::StatusOr<int64_t> ApplyOne(const Actor& actor, const json& payload, Chain& chain);
  absl::Status Permit(const Actor& actor, const json& p);
  absl::Status Effect(int64_t seq, const json& p, const Actor& actor);
  absl::StatusOr<int64_t> BalanceOf(const std::string& account, const std::string& kind, int vintage);
  absl::StatusOr<std::string> AccountKind(const std::string& id);
  absl::Status NeedEnterprise(const std::string& uscc, std::string_view where);
  void LogRefusal(const Actor& actor, std::string_view op, std::string_view reason);
  absl::StatusOr<std::vector<int64_t>> Write(const Actor& actor, const std::vector<json>& payloads);
};

absl::Status Registry::Impl::Migrate() {
  if (auto st = store->BeginWrite(); !st.ok()) return st;
  const char* exists = store->Backend() == "sqlite"
                           ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
                           : "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta' AND "
                             "table_schema = current_schema()";
  auto rows = store->Query(exists);
  if (!rows.ok()) {
    store->Rollback();
    return rows.status();
  }
  int version = 0;
  if (AsInt((*rows)[0][0]) > 0) {
    auto v = store->Query("SELECT value FROM meta WHERE key = 'schema_version'");
    if (!v.ok() || v->empty()) {
      store->Rollback();
      return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kSchemaVersion,
                       "registry: the meta table has no schema_version; not a carbonmrv registry");
    }
    version = static_cast<int>(std::stol(AsText((*v)[0][0])));
  }
  if (version > kRegistrySchemaVersion) {
    store->Rollback();
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kSchemaVersion,
                     StrCat("registry: schema version ", version, " was written by a later carbonmrv; this one (",
                            CMRV_LIBRARY_VERSION, ") reads up to ", kRegistrySchemaVersion));
  }
  absl::Status st;
  if (version < 1) {
    for (const char* sql : kSchemaV1) {
      if (st = store->Exec(sql); !st.ok()) break;
    }
    if (st.ok()) {
      st = store->Exec("INSERT INTO meta (key, value) VALUES ('schema_version', $1), ('created_by', $2)",
                       {std::string("1"), std::string(CMRV_LIBRARY_VERSION)});
    }
  }
  // The library version that last opened the database for writing (the "who wrote it").
  if (st.ok()) st = store->Exec("DELETE FROM meta WHERE key = 'written_by'");
  if (st.ok()) {
    st = store->Exec("INSERT INTO meta (key, value) VALUES ('written_by', $1)", {std::string(CMRV_LIBRARY_VERSION)});
  }
  if (st.ok()) st = store->Commit();
  if (!st.ok()) store->Rollback();
  return st;
}

absl::StatusOr<int64_t> Registry::Impl::BalanceOf(const std::string& account, const std::string& kind, int vintage) {
  auto rows =
      store->Query("SELECT COALESCE(SUM(quantity), 0) FROM movements WHERE account = $1 AND kind = $2 AND vintage = $3",
                   {account, kind, static_cast<int64_t>(vintage)});
  if (!rows.ok()) return rows.status();
  return AsInt((*rows)[0][0]);
}

absl::StatusOr<std::string> Registry::Impl::AccountKind(const std::string& id) {
  auto rows = store->Query("SELECT kind FROM accounts WHERE id = $1", {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Missing(StrCat("account \"", id, "\" does not exist"));
  return AsText((*rows)[0][0]);
}

absl::Status Registry::Impl::NeedEnterprise(const std::string& uscc, std::string_view where) {
  auto rows = store->Query("SELECT 1 FROM enterprises WHERE uscc = $1", {uscc});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Missing(StrCat(where, ": enterprise ", uscc, " is not registered"));
  return absl::OkStatus();
}

// Who may do what (docs/registry.md, "Roles"). Reads only; runs inside the write transaction so that
// an assignment made by a concurrent writer is seen.
absl::Status Registry::Impl::Permit(const Actor& a, const json& p) {
  const std::string op = p["op"];
  const bool regulator = a.role == Role::kRegulator;
  auto own = [&](const char* field) { return a.role == Role::kEnterprise && a.id == Text(p[field]); };
  if (op == "register_enterprise" || op == "open_account" || op == "assign_verifier" || op == "resolve_finding" ||
      op == "set_obligation" || op == "issue" || op == "allocate" || op == "cancel") {
    if (!regulator) return Denied(a, op, StrCat("only the regulator may ", op == "cancel" ? "cancel" : "do this"));
    return absl::OkStatus();
  }
  if (op == "record_audit") {
    if (regulator) return absl::OkStatus();
    if (!own("uscc")) return Denied(a, op, "only the regulator or the enterprise itself records its audits");
    if (p["accepted"].get<bool>()) return Denied(a, op, "only the regulator accepts an audit (验收)");
    return absl::OkStatus();
  }
  if (op == "record_inventory") {
    if (regulator || own("uscc")) return absl::OkStatus();
    return Denied(a, op, "only the enterprise itself or the regulator reports its inventory");
  }
  if (op == "attach_verification") {
    if (a.role != Role::kVerifier) return Denied(a, op, "only a verifier assigned to the enterprise verifies");
    auto rows = store->Query("SELECT 1 FROM verifiers WHERE verifier = $1 AND uscc = $2", {a.id, Text(p["uscc"])});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return Denied(a, op, StrCat("verifier ", a.id, " is not assigned to ", Text(p["uscc"])));
    return absl::OkStatus();
  }
  if (op == "surrender") {
    if (!own("uscc")) return Denied(a, op, "only the enterprise itself surrenders from its account");
    return absl::OkStatus();
  }
  if (op == "transfer") {
    const std::string from = p["from"], to = p["to"], movement = p["movement"];
    auto from_kind = AccountKind(from);
    if (!from_kind.ok()) return from_kind.status();
    auto to_kind = AccountKind(to);
    if (!to_kind.ok()) return to_kind.status();
    switch (a.role) {
      case Role::kEnterprise:
        if (from != a.id)
          return Denied(a, op, StrCat("an enterprise moves allowances only out of its own account, not ", from));
        if (movement == "auction_settlement")
          return Denied(a, op, "only the exchange or the regulator settles auctions");
        return absl::OkStatus();
      case Role::kExchange:
        if (movement == "trade" && *from_kind == "enterprise" && *to_kind == "enterprise") return absl::OkStatus();
        if (movement == "auction_settlement" && *from_kind == "auction" && *to_kind == "enterprise") {
          return absl::OkStatus();
        }
        return Denied(a, op,
                      "the exchange settles trades between enterprise accounts and auctions from an auction account");
      case Role::kRegulator:
        if (*from_kind == "government" || *from_kind == "auction") return absl::OkStatus();
        return Denied(a, op,
                      StrCat("the regulator moves allowances out of government and auction accounts, not ", from));
      case Role::kVerifier: break;
    }
    return Denied(a, op, "a verifier moves no allowances");
  }
  return Denied(a, op, "unknown operation");
}

absl::Status Registry::Impl::Effect(int64_t seq, const json& p, const Actor& actor) {
  const std::string op = p["op"];
  auto upsert = [&](const char* sql, const std::vector<SqlValue>& params) { return store->Exec(sql, params); };
  // kAlreadyExists with `what` when the query finds a row.
  auto absent = [&](const char* sql, const std::vector<SqlValue>& params, const std::string& what) -> absl::Status {
    auto rows = store->Query(sql, params);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::OkStatus();
    return MakeError(absl::StatusCode::kAlreadyExists, ErrorDetail::kDuplicateEntry, what);
  };
  if (op == "register_enterprise") {
    if (auto st = absent("SELECT 1 FROM accounts WHERE id = $1", {Text(p["uscc"])},
                         StrCat("register_enterprise.uscc: ", Text(p["uscc"]), " is already registered"));
        !st.ok()) {
      return st;
    }
    if (auto st = upsert("INSERT INTO enterprises (uscc, name, region, industry, seq) VALUES ($1, $2, $3, $4, $5)",
                         {Text(p["uscc"]), Text(p["name"]), Text(p["region"]), Text(p["industry"]), seq});
        !st.ok()) {
      return st;
    }
    return upsert("INSERT INTO accounts (id, kind, owner, seq) VALUES ($1, 'enterprise', $1, $2)",
                  {Text(p["uscc"]), seq});
  }
  if (op == "open_account") {
    if (auto st = absent("SELECT 1 FROM accounts WHERE id = $1", {Text(p["id"])},
                         StrCat("open_account.id: account ", Text(p["id"]), " exists"));
        !st.ok()) {
      return st;
    }
    return upsert("INSERT INTO accounts (id, kind, owner, seq) VALUES ($1, $2, NULL, $3)",
                  {Text(p["id"]), Text(p["kind"]), seq});
  }
  if (op == "assign_verifier") {
    if (auto st = NeedEnterprise(Text(p["uscc"]), "assign_verifier.uscc"); !st.ok()) return st;
    if (auto st =
            absent("SELECT 1 FROM verifiers WHERE verifier = $1 AND uscc = $2", {Text(p["verifier"]), Text(p["uscc"])},
                   StrCat("assign_verifier: ", Text(p["verifier"]), " is already assigned to ", Text(p["uscc"])));
        !st.ok()) {
      return st;
    }
    return upsert("INSERT INTO verifiers (verifier, uscc, seq) VALUES ($1, $2, $3)",
                  {Text(p["verifier"]), Text(p["uscc"]), seq});
  }
  if (op == "record_audit") {
    if (auto st = NeedEnterprise(Text(p["uscc"]), "record_audit.uscc"); !st.ok()) return st;
    return upsert(
        "INSERT INTO audits (uscc, audit_id, year, type, trigger_reason, stage, accepted, seq) VALUES ($1, $2, $3, $4, "
        "$5, $6, $7, $8) ON CONFLICT (uscc, audit_id) DO UPDATE SET year = excluded.year, type = excluded.type, "
        "trigger_reason = excluded.trigger_reason, stage = excluded.stage, accepted = excluded.accepted, seq = "
        "excluded.seq",
        {Text(p["uscc"]), Text(p["audit_id"]), p["year"].get<int64_t>(), Text(p["type"]), Text(p["trigger"]),
         Text(p["stage"]), static_cast<int64_t>(p["accepted"].get<bool>() ? 1 : 0), seq});
  }
  if (op == "record_inventory") {
    if (auto st = NeedEnterprise(Text(p["uscc"]), "record_inventory.uscc"); !st.ok()) return st;
    return upsert(
        "INSERT INTO inventories (uscc, year, reported_t, document, seq) VALUES ($1, $2, $3, $4, $5) ON CONFLICT "
        "(uscc, year) DO UPDATE SET reported_t = excluded.reported_t, document = excluded.document, seq = excluded.seq",
        {Text(p["uscc"]), p["year"].get<int64_t>(), p["reported_t"].get<double>(),
         p.contains("document") ? SqlValue(p["document"].dump()) : SqlValue(nullptr), seq});
  }
  if (op == "attach_verification") {
    if (auto st = upsert("INSERT INTO inventories (uscc, year, verified_t, verifier, report, seq) VALUES ($1, $2, $3, "
                         "$4, $5, $6) ON CONFLICT (uscc, year) DO UPDATE SET verified_t = excluded.verified_t, "
                         "verifier = excluded.verifier, report = excluded.report, seq = excluded.seq",
                         {Text(p["uscc"]), p["year"].get<int64_t>(), p["verified_t"].get<double>(), actor.id,
                          p.contains("report") ? SqlValue(p["report"].dump()) : SqlValue(nullptr), seq});
        !st.ok()) {
      return st;
    }
    auto next = store->Query("SELECT COALESCE(MAX(id), 0) FROM findings");
    if (!next.ok()) return next.status();
    int64_t id = AsInt((*next)[0][0]);
    for (const auto& f : p["findings"]) {
      if (auto st = upsert("INSERT INTO findings (id, uscc, year, text, verifier, resolution, seq) VALUES ($1, $2, $3, "
                           "$4, $5, NULL, $6)",
                           {++id, Text(p["uscc"]), p["year"].get<int64_t>(), Text(f), actor.id, seq});
          !st.ok()) {
        return st;
      }
    }
    return absl::OkStatus();
  }
  if (op == "resolve_finding") {
    auto rows = store->Query("SELECT resolution FROM findings WHERE id = $1", {p["finding"].get<int64_t>()});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return Missing(StrCat("resolve_finding.finding: no finding ", p["finding"].get<int64_t>()));
    if (!internal::IsNull((*rows)[0][0])) {
      return MakeError(
          absl::StatusCode::kFailedPrecondition, ErrorDetail::kInvalidArgument,
          StrCat("resolve_finding.finding: finding ", p["finding"].get<int64_t>(), " is already resolved"));
    }
    return upsert("UPDATE findings SET resolution = $1 WHERE id = $2",
                  {Text(p["resolution"]), p["finding"].get<int64_t>()});
  }
  if (op == "set_obligation") {
    if (auto st = NeedEnterprise(Text(p["uscc"]), "set_obligation.uscc"); !st.ok()) return st;
    return upsert(
        "INSERT INTO obligations (uscc, year, due_t, rules, seq) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (uscc, year) "
        "DO UPDATE SET due_t = excluded.due_t, rules = excluded.rules, seq = excluded.seq",
        {Text(p["uscc"]), p["year"].get<int64_t>(), p["due_t"].get<double>(), Text(p["rules"]), seq});
  }
  // Movements: accounts must exist and fit the operation; no debit may exceed the balance.
  const auto legs = internal::LegsOf(p);
  if (op == "issue") {
    auto kind = AccountKind(Text(p["account"]));
    if (!kind.ok()) return kind.status();
    if (*kind != "government" && *kind != "auction") {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       StrCat("issue.account: ", Text(p["account"]), " is a ", *kind,
                              " account; allowances are issued into government or auction accounts"));
    }
  }
  if (op == "allocate" || op == "surrender") {
    if (auto st = NeedEnterprise(Text(p["uscc"]), op + ".uscc"); !st.ok()) return st;
  }
  if (op == "cancel" && Text(p["account"]) == internal::kCancellationAccount) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     "cancel.account: allowances in CANCELLATION are already cancelled");
  }
  for (std::size_t i = 0; i < legs.size(); ++i) {
    const Leg& l = legs[i];
    if (op != "transfer") {  // Permit looked up both accounts of a transfer already
      if (auto k = AccountKind(l.account); !k.ok()) return k.status();
    }
    if (l.quantity < 0) {
      auto have = BalanceOf(l.account, l.kind, l.vintage);
      if (!have.ok()) return have.status();
      if (*have < -l.quantity) {
        return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kInsufficientHoldings,
                         StrCat(op, ": account ", l.account, " holds ", *have, " ", l.kind, " of vintage ", l.vintage,
                                "; ", -l.quantity, " cannot leave it"));
      }
    }
    if (auto st = store->Exec(
            "INSERT INTO movements (seq, leg, account, kind, vintage, quantity, movement, "
            "compliance_year) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {seq, static_cast<int64_t>(i), l.account, l.kind, static_cast<int64_t>(l.vintage), l.quantity, l.movement,
             l.compliance_year ? SqlValue(static_cast<int64_t>(*l.compliance_year)) : SqlValue(nullptr)});
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

void Registry::Impl::LogRefusal(const Actor& actor, std::string_view op, std::string_view reason) {
  // Its own transaction: the refused operation's was rolled back. Best effort — a refusal that cannot
  // be logged is still returned to the caller.
  if (!store->BeginWrite().ok()) return;
  auto next = store->Query("SELECT COALESCE(MAX(id), 0) + 1 FROM refusals");
  if (next.ok() &&
      store
          ->Exec("INSERT INTO refusals (id, at, actor_role, actor_id, op, reason) VALUES ($1, $2, $3, $4, "
                 "$5, $6)",
                 {AsInt((*next)[0][0]), NowUtc(), std::string(RoleName(actor.role)), actor.id, std::string(op),
                  std::string(reason)})
          .ok() &&
      store->Commit().ok()) {
    return;
  }
  store->Rollback();
}

absl::StatusOr<int64_t> Registry::Impl::ApplyOne(const Actor& actor, const json& p, Chain& chain) {
  if (auto st = Permit(actor, p); !st.ok()) return st;
  const int64_t seq = chain.seq + 1;
  if (auto st = Effect(seq, p, actor); !st.ok()) return st;
  const std::string at = NowUtc(), role(RoleName(actor.role)), op = p["op"], payload = p.dump();
  std::string hash = EntryHash(chain.hash, seq, at, role, actor.id, op, payload);
  if (auto st = store->Exec("INSERT INTO journal (seq, at, actor_role, actor_id, op, payload, prev_hash, hash) VALUES "
                            "($1, $2, $3, $4, $5, $6, $7, $8)",
                            {seq, at, role, actor.id, op, payload, chain.hash, hash});
      !st.ok()) {
    return st;
  }
  chain = {seq, std::move(hash)};
  return seq;
}

absl::StatusOr<std::vector<int64_t>> Registry::Impl::Write(const Actor& actor, const std::vector<json>& payloads) {
  if (actor.id.empty()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat("actor: a ", RoleName(actor.role), " needs an id"));
  }
  if (auto st = store->BeginWrite(); !st.ok()) return st;
  // The chain's head, read once under the writer lock; each entry of the batch extends it.
  auto last = store->Query("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1");
  if (!last.ok()) {
    store->Rollback();
    return last.status();
  }
  Chain chain{0, std::string(kGenesis)};
  if (!last->empty()) chain = {AsInt((*last)[0][0]), AsText((*last)[0][1])};
  std::vector<int64_t> seqs;
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    auto seq = ApplyOne(actor, payloads[i], chain);
    if (!seq.ok()) {
      store->Rollback();
      if (seq.status().code() == absl::StatusCode::kPermissionDenied) {
        LogRefusal(actor, Text(payloads[i]["op"]), std::string(seq.status().message()));
      }
      return payloads.size() == 1 ? seq.status() : WithContext(seq.status(), StrCat("ops[", i, "]"));
    }
    seqs.push_back(*seq);
  }
  if (auto st = store->Commit(); !st.ok()) {
    store->Rollback();
    return st;
  }
  return seqs;
}

Registry::Registry(std::unique_ptr<internal::Store> store) : impl_(std::make_unique<Impl>()) {
  impl_->store = std::move(store);
}

Registry::~Registry() = default;

absl::StatusOr<std::unique_ptr<Registry>> Registry::Open(std::string_view target) {
  absl::StatusOr<std::unique_ptr<internal::Store>> store;
  if (target.starts_with("postgresql:") || target.starts_with("postgres:")) {
    store = internal::OpenPostgres(std::string(target.substr(target.find(':') + 1)));
  } else {
    const std::string_view path = target.starts_with("sqlite:") ? target.substr(7) : target;
    if (path.empty()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       "registry: expected sqlite:PATH, postgresql:CONNINFO or a file path");
    }
    store = internal::OpenSqlite(std::string(path));
  }
  if (!store.ok()) return store.status();
  std::unique_ptr<Registry> r(new Registry(*std::move(store)));
  if (auto st = r->impl_->Migrate(); !st.ok()) return st;
  return r;
}

std::string_view Registry::backend() const { return impl_->store->Backend(); }

internal::Store* Registry::impl_store() { return impl_->store.get(); }

absl::StatusOr<int64_t> Registry::Apply(const Actor& actor, std::string_view op_json) {
  auto seqs = ApplyAll(actor, {std::string(op_json)});
  if (!seqs.ok()) return seqs.status();
  return seqs->front();
}

absl::StatusOr<std::vector<int64_t>> Registry::ApplyAll(const Actor& actor, const std::vector<std::string>& ops) {
  std::vector<json> payloads;
  payloads.reserve(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const std::string prefix = ops.size() == 1 ? "" : StrCat("ops[", i, "]: ");
    const json doc = json::parse(ops[i], nullptr, false);
    if (doc.is_discarded()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       StrCat(prefix, "operation: not valid JSON"));
    }
    auto p = internal::NormalizeOperation(doc);
    if (!p.ok()) return ops.size() == 1 ? p.status() : WithContext(p.status(), StrCat("ops[", i, "]"));
    payloads.push_back(*std::move(p));
  }
  return impl_->Write(actor, payloads);
}

absl::StatusOr<int64_t> Registry::Balance(std::string_view account, std::string_view kind, int vintage) {
  if (kind != "allowance" && kind != "ccer") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat("kind \"", kind, "\" is not one of allowance, ccer"));
  }
  if (auto k = impl_->AccountKind(std::string(account)); !k.ok()) return k.status();
  return impl_->BalanceOf(std::string(account), std::string(kind), vintage);
}

absl::StatusOr<JournalCheck> Registry::VerifyJournal() {
  JournalCheck check;
  internal::Store& s = *impl_->store;
  if (auto st = s.BeginRead(); !st.ok()) return st;  // journal and movements from one snapshot
  auto entries =
      s.Query("SELECT seq, at, actor_role, actor_id, op, payload, prev_hash, hash FROM journal ORDER BY seq");
  auto movements = s.Query(
      "SELECT seq, leg, account, kind, vintage, quantity, movement, compliance_year FROM movements ORDER BY seq, "
      "leg");
  s.Rollback();
  if (!entries.ok()) return entries.status();
  if (!movements.ok()) return movements.status();
  check.entries = static_cast<int64_t>(entries->size());
  check.movements = static_cast<int64_t>(movements->size());
  auto fail = [&](int64_t seq, std::string problem) {
    check.ok = false;
    check.first_bad = seq;
    check.problem = std::move(problem);
    return check;
  };
  std::string prev(kGenesis);
  std::size_t m = 0;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const auto& e = (*entries)[i];
    const int64_t seq = AsInt(e[0]);
    if (seq != static_cast<int64_t>(i) + 1) return fail(seq, StrCat("entry ", i + 1, " is missing (found ", seq, ")"));
    if (AsText(e[6]) != prev) return fail(seq, StrCat("entry ", seq, " does not link to entry ", seq - 1));
    const std::string hash = EntryHash(prev, seq, AsText(e[1]), AsText(e[2]), AsText(e[3]), AsText(e[4]), AsText(e[5]));
    if (hash != AsText(e[7])) return fail(seq, StrCat("entry ", seq, " was altered: its hash does not match"));
    prev = hash;
    const json payload = json::parse(AsText(e[5]), nullptr, false);
    if (payload.is_discarded()) return fail(seq, StrCat("entry ", seq, ": payload is not JSON"));
    for (const Leg& l : internal::LegsOf(payload)) {
      if (m >= movements->size() || AsInt((*movements)[m][0]) != seq) {
        return fail(seq, StrCat("entry ", seq, ": a movement leg is missing from the movements table"));
      }
      const auto& r = (*movements)[m++];
      const bool year_ok =
          l.compliance_year ? !internal::IsNull(r[7]) && AsInt(r[7]) == *l.compliance_year : internal::IsNull(r[7]);
      if (AsText(r[2]) != l.account || AsText(r[3]) != l.kind || AsInt(r[4]) != l.vintage ||
          AsInt(r[5]) != l.quantity || AsText(r[6]) != l.movement || !year_ok) {
        return fail(seq, StrCat("entry ", seq, ": movement leg ", AsInt(r[1]), " differs from the journal"));
      }
    }
  }
  if (m != movements->size()) {
    return fail(AsInt((*movements)[m][0]),
                StrCat("movements of entry ", AsInt((*movements)[m][0]), " have no journal entry"));
  }
  check.ok = true;
  return check;
}

}  // namespace cmrv
