// Verify: recompute, run the registry's checks, write the report (verification.hpp). The checks are in
// checks_*.cpp by family, listed in check_registry.cpp; the reconciliation is in reconciliation.cpp.
#include "carbonmrv/verification/verification.hpp"

#include <algorithm>
#include <cmath>
#include "internal/json.hpp"

#include "carbonmrv/status.hpp"
#include "internal/csv.hpp"
#include "internal/strings.hpp"
#include "verification/verifier.hpp"

namespace cmrv {

using internal::StrCat;
using nlohmann::json;

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "unknown";
}

std::string_view CheckIdName(CheckId id) {
  static constexpr std::string_view kNames[] = {"",    "X01", "X02", "X03", "X04", "X05", "X06", "X07",
                                                "X08", "X09", "X10", "X11", "X12", "X13", "X14", "X15",
                                                "X16", "X17", "X18", "X19", "X20", "X21", "X22", "X23"};
  const auto i = static_cast<std::size_t>(id);
  return i < std::size(kNames) ? kNames[i] : "unknown";
}

absl::StatusOr<CheckId> ParseCheckId(std::string_view name) {
  const std::string upper = internal::AsciiUpper(name);
  for (const auto& c : internal::CheckRegistry()) {
    if (CheckIdName(c.info.id) == upper) return c.info.id;
  }
  return MakeError(
      absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
      StrCat("unknown check \"", name, "\"; known: ", internal::NameList(internal::CheckRegistry(), [](const auto& c) {
               return CheckIdName(c.info.id);
             })));
}

namespace internal {

absl::StatusOr<VerificationReport> Verifier::Run(const Inventory* reported) {
  for (const auto& [id, tol] : o_.tolerances) {
    if (!(tol.first >= 0 && tol.first <= tol.second)) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       StrCat("tolerance of ", CheckIdName(id), ": expected 0 ≤ warning ≤ error, got ", tol.first,
                              " and ", tol.second));
    }
  }
  auto inv = ComputeInventory(e_, cat_, o_.inventory);
  if (!inv.ok()) return inv.status();
  inv_ = *std::move(inv);
  report_.enterprise = e_.name;
  report_.year = e_.year;
  no_balance_ = "no energy balance";
  if (!e_.energy_balances.empty()) {
    EnergyBalanceOptions bo = o_.energy_balance;
    const bool implicit = bo.period.empty() && e_.energy_balances.size() > 1;
    if (implicit) bo.period = std::to_string(e_.year);
    auto b = ComputeEnergyBalance(e_, cat_, bo);
    if (b.ok()) {
      balance_ = *std::move(b);
    } else if (implicit && b.status().code() == absl::StatusCode::kNotFound) {
      // Monthly balances only: the balance checks need the period named (options.energy_balance.period).
      no_balance_ = StrCat("no annual energy balance; name a period (", b.status().message(), ")");
    } else {
      return b.status();
    }
  }
  reported_ = reported;
  if (reported != nullptr) report_.reconciliation = Reconcile(*reported, inv_);
  for (const auto& check : CheckRegistry()) RunCheck(check);
  return report_;
}

void Verifier::RunCheck(const Check& check) {
  const CheckId id = check.info.id;
  if (!o_.checks.empty() && std::find(o_.checks.begin(), o_.checks.end(), id) == o_.checks.end()) return;
  if ((check.needs & kNeedsBalance) != 0 && !balance_) {
    Skip(id, no_balance_);
    return;
  }
  if ((check.needs & kNeedsReported) != 0 && reported_ == nullptr) {
    Skip(id, "no reported inventory");
    return;
  }
  if ((this->*check.run)()) report_.checks_run.push_back(id);
}

}  // namespace internal

Severity VerificationReport::Worst() const {
  Severity w = Severity::kInfo;
  for (const auto& f : findings) w = std::max(w, f.severity);
  return w;
}

std::string_view VerificationReport::Status() const { return findings.empty() ? "clean" : SeverityName(Worst()); }

std::string VerificationReport::ToJson() const {
  json doc = {{"schema", "carbonmrv.verification/1"}, {"enterprise", enterprise}, {"year", year}};
  json run = json::array();
  for (CheckId id : checks_run) run.push_back(std::string(CheckIdName(id)));
  doc["checks_run"] = run;
  doc["checks_skipped"] = checks_skipped;
  doc["status"] = std::string(Status());
  json arr = json::array();
  // JSON has no infinity, and nlohmann writes inf as null, which reads as "not applicable": a
  // non-finite value is written as the string "inf", "-inf" or "nan" instead.
  auto num = [](double v) {
    if (std::isfinite(v)) return json(v);
    return json(std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
  };
  auto opt = [&](const std::optional<double>& v) { return v ? num(*v) : json(nullptr); };
  for (const auto& f : findings) {
    arr.push_back({{"check", std::string(CheckIdName(f.check))},
                   {"severity", std::string(SeverityName(f.severity))},
                   {"enterprise", f.enterprise},
                   {"subject", f.subject},
                   {"period", f.period},
                   {"observed", num(f.observed)},
                   {"expected", opt(f.expected)},
                   {"lower", opt(f.lower)},
                   {"upper", opt(f.upper)},
                   {"difference", num(f.difference)},
                   {"relative", opt(f.relative)},
                   {"unit", f.unit},
                   {"tolerance", f.tolerance},
                   {"source", f.source},
                   {"message", f.message},
                   {"message_zh", f.message_zh}});
  }
  doc["findings"] = arr;
  if (reconciliation) {
    json lines = json::array();
    for (const auto& l : reconciliation->lines) {
      lines.push_back({{"source", l.source},
                       {"period", l.period},
                       {"gas", std::string(GasName(l.gas))},
                       {"part", l.part},
                       {"reported_t", l.reported_t},
                       {"recomputed_t", l.recomputed_t},
                       {"parts", l.parts}});
    }
    doc["reconciliation"] = {{"reported_total", reconciliation->reported_total},
                             {"recomputed_total", reconciliation->recomputed_total},
                             {"difference", reconciliation->reported_total - reconciliation->recomputed_total},
                             {"by_part", reconciliation->by_part},
                             {"lines", lines}};
  }
  return doc.dump(1);
}

std::string VerificationReport::ToCsv() const {
  const auto& field = internal::CsvField;
  auto num = [](const std::optional<double>& v) { return v ? StrCat(*v) : std::string(); };
  std::string out =
      "check,severity,subject,period,observed,expected,lower,upper,difference,relative,unit,tolerance,message\n";
  for (const auto& f : findings) {
    out += StrCat(CheckIdName(f.check), ",", SeverityName(f.severity), ",", field(f.subject), ",", f.period, ",",
                  f.observed, ",", num(f.expected), ",", num(f.lower), ",", num(f.upper), ",", f.difference, ",",
                  num(f.relative), ",", field(f.unit), ",", field(f.tolerance), ",", field(f.message), "\n");
  }
  return out;
}

absl::StatusOr<VerificationReport> Verify(const Enterprise& enterprise, const FactorCatalogue& catalogue,
                                          const Inventory* reported, const VerifyOptions& options) {
  return internal::Verifier(enterprise, catalogue, options).Run(reported);
}

}  // namespace cmrv
