// Internal: registry operations — their fields, who may apply them, and the movement legs they make.
// The write path and VerifyJournal() both derive legs from an entry's payload here, so the check
// cannot drift from what was written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "carbonmrv/registry/registry.hpp"

namespace cmrv::internal {

/// One side of a movement: quantity > 0 credits the account, < 0 debits it.
struct Leg {
  std::string account;
  std::string kind;  ///< "allowance" | "ccer"
  int vintage = 0;
  int64_t quantity = 0;
  std::string movement;                ///< issuance, allocation, true_up, borrowing, transfer, trade, …
  std::optional<int> compliance_year;  ///< surrenders
};

/// The system accounts every registry has (created with the schema).
inline constexpr std::string_view kGovernmentAccount = "GOVERNMENT";
inline constexpr std::string_view kAuctionAccount = "AUCTION";
inline constexpr std::string_view kCancellationAccount = "CANCELLATION";

/// Checks the operation's fields (errors name "<op>.<field>") and returns its canonical payload: the
/// known fields only, typed, with defaults filled in, "op" first by key order.
absl::StatusOr<nlohmann::json> NormalizeOperation(const nlohmann::json& op);

/// The movement legs of a normalized payload (empty for operations that move nothing).
std::vector<Leg> LegsOf(const nlohmann::json& payload);

/// The operation names, for error messages.
std::string_view OperationNames();

}  // namespace cmrv::internal
