// carbonmrv — one options layer for every surface.
//
// The C API (cmrv_*_options_set), Python (keyword arguments) and the CLI (flags) all set inventory,
// verification and batch options from key/value text through these functions, so the keys, the
// aliases ("AR6" for the AR6 GWP set) and the error text are the same everywhere. An unknown key or
// value is an error that lists the valid ones.
//
// Source-level API only: it may change in minor releases. Link the C API for binary stability.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "carbonmrv/batch/batch.hpp"
#include "carbonmrv/cleaner_production/cleaner_production.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/market/auction.hpp"
#include "carbonmrv/verification/verification.hpp"

namespace cmrv {

/// "SAR"/"AR2", "AR4", "AR5", "AR6" (any case) → the built-in IPCC GWP-100 dataset id
/// ("ipcc_ar6_gwp100"); any other text is a dataset id and passes through unchanged.
std::string GwpDatasetId(std::string_view name);

/// Inventory keys: gwp_dataset (alias gwp), co2_per_carbon ("44/12" | "3.664" | a number a document
/// states, with co2_per_carbon_source naming it), scope2_method (alias scope2; "location" | "market"),
/// factor_preference (alias preference; comma-separated dataset ids and @class tokens),
/// uncertainty_unstated ("not_assessed" | "exact": how inputs without a stated uncertainty count).
absl::Status SetInventoryOption(InventoryOptions& options, std::string_view key, std::string_view value);

/// The inventory keys, and checks (comma-separated ids), period (the energy balance's),
/// previous_inventory (carbonmrv.inventory/1 JSON), audit_baseline (an earlier year's enterprise
/// document whose audit claims savings, for X23). factor_preference applies to the inventory and to
/// the energy balance's coefficients alike.
absl::Status SetVerifyOption(VerifyOptions& options, std::string_view key, std::string_view value);

/// Overrides the warning and error tolerances of one check (its id, "X01", any case); 0 ≤ warning ≤
/// error, both finite. The check id is checked first, then the numbers.
absl::Status SetVerifyTolerance(VerifyOptions& options, std::string_view check, double warning, double error);

/// The inventory keys, and audit (the round's id), carbon_price ("60" in CNY/tCO2e, or "60 CNY/tCO2e",
/// "0.006 万元/tCO2e"), review (the next year's enterprise document JSON).
absl::Status SetAuditOption(AuditComputeOptions& options, std::string_view key, std::string_view value);

/// Auction keys: rules (eu | guangdong | discriminatory | fixed_price), volume, lot, tick,
/// reserve_price, min_bid_volume, max_bidder_share, fixed_price, seed, carry_over_auctions, currency.
absl::Status SetAuctionOption(AuctionSpec& options, std::string_view key, std::string_view value);

/// The inventory keys, and kind, region, year (1990–2100), method, policy ("reject" | "skip"),
/// threads (0–1024), report_rows, group_values (comma-separated co2_t, ch4_t, n2o_t, co2e_t, records;
/// written to `group_values` as batch::Value bits).
absl::Status SetBatchOption(batch::Options& options, unsigned& group_values, std::string_view key,
                            std::string_view value);

}  // namespace cmrv
