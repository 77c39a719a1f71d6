// carbonmrv — error model of the C++ core.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// Every recoverable failure is an absl::Status whose code is one of the canonical codes (the C API
// returns the same numbers) and which carries a carbonmrv *detail* code as a payload. Detail codes sit
// in ranges (PROJ's idea) and are never renumbered or reused; new ones are appended.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace cmrv {

enum class ErrorDetail : int32_t {
  kNone = 0,
  // 1..999: API misuse.
  kNullArgument = 1,     ///< a required pointer argument was NULL
  kInvalidArgument = 2,  ///< an argument is out of its documented domain
  kNotFound = 3,         ///< a named item (period, source, measurement, balance) does not exist
  // 1000..1999: units and quantities.
  kUnknownUnit = 1001,        ///< the unit string names no known unit
  kUnitSyntax = 1002,         ///< the unit string is malformed (e.g. two '/')
  kIncompatibleUnits = 1003,  ///< the kinds differ (tCO2 vs t of coal, tCH4 vs tCO2e, Nm3 vs scf)
  kNonFiniteValue = 1004,     ///< NaN or ±inf given where a finite number is required
  kOverflow = 1005,           ///< the converted value is not representable as a finite double
  kAmbiguousUnit = 1006,      ///< the string is a known but ambiguous name ("ton")
  kNeedsContext = 1007,       ///< a context-dependent conversion lacks its context (rate, state)
  // 2000..2999: data (datasets, factors, carriers).
  kInvalidDataset = 2001,    ///< a dataset file is malformed (file, line and column named)
  kFactorNotFound = 2002,    ///< no dataset has a value for the query (what was searched named)
  kUnknownCarrier = 2003,    ///< a carrier id or name is not in the catalogue
  kDuplicateDataset = 2004,  ///< a dataset id is already loaded
  kInvalidDocument = 2005,   ///< an enterprise/inventory JSON document is invalid (all JSON paths named)
  kMissingParameter = 2006,  ///< a calculation needs a parameter no measurement, document or dataset gives
  // 3000..3999: the registry.
  kNotPermitted = 3001,          ///< the actor's role may not apply the operation (logged as a refusal)
  kInsufficientHoldings = 3002,  ///< a debit exceeds the account's balance of that kind and vintage
  kDuplicateEntry = 3003,        ///< the enterprise, account or assignment is already recorded
  kStorage = 3004,               ///< the database failed or is unreachable (busy, disk, connection)
  kSchemaVersion = 3005,         ///< the database's schema is from a later carbonmrv, or not a registry
};

/// Stable text name of a detail code ("unknown_unit"); "unknown" for values not listed above.
std::string_view ErrorDetailName(ErrorDetail detail);

/// Builds a status with a detail payload. `code` must not be OK.
absl::Status MakeError(absl::StatusCode code, ErrorDetail detail, std::string_view message);

/// The detail code attached by MakeError; kNone when the status is OK or carries none.
ErrorDetail GetErrorDetail(const absl::Status& status);

/// OK when `text` is non-null, well-formed UTF-8; else kInvalidArgument naming `name` ("NAME is NULL",
/// "NAME is not valid UTF-8"). Text that enters the library is checked here so that it never fails
/// later, when a result is serialised.
absl::Status CheckText(const char* text, std::string_view name);

/// Prefixes the message with a location (a JSON path, a row, a parameter name), keeping code and detail.
absl::Status WithContext(const absl::Status& status, std::string_view where);

}  // namespace cmrv
