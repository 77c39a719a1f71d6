// carbonmrv — columnar batch engine: many activity records (enterprise × period × carrier) at once.
//
// Source-level API only: it may change in minor releases.
//
// Factors are resolved once per distinct (carrier, unit) pair by running the document engine
// (ComputeInventory) on a one-record enterprise, so a batch gives the same numbers as the document
// path for the same data, and every method, convention and dataset rule applies unchanged. Each record
// then costs a lookup and a multiplication. Records are validated one by one (non-finite or negative
// quantity, unknown carrier, unit of the wrong kind, missing factor) under a policy: reject the batch,
// or skip the record and report it. Per-record results are computed in parallel; group sums are added
// in record order, so results are bit-identical for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/factors.hpp"
#include "carbonmrv/inventory.hpp"

namespace cmrv::batch {

/// A read-only column: `data` with a byte stride (numpy/ERP record arrays without copying).
template <typename T>
struct Column {
  const T* data = nullptr;
  std::size_t stride = sizeof(T);
  T operator[](std::size_t i) const {
    return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(data) + i * stride);
  }
};

struct Input {
  std::size_t size = 0;
  Column<int32_t> carrier;             ///< code into `carriers`
  std::vector<std::string> carriers;   ///< carrier ids, names or aliases
  Column<int32_t> unit;                ///< code into `units`
  std::vector<std::string> units;      ///< unit strings
  Column<double> quantity;
  Column<int32_t> group;               ///< optional (data == nullptr): code in [0, group_count)
  std::size_t group_count = 0;
};

enum class Policy : int32_t { kReject = 0, kSkip = 1 };

struct Options {
  std::string region = "GLOBAL";  ///< factor selection (dataset regions)
  int year = 0;                   ///< factor selection; 0: latest
  std::string method = "default_factor";  ///< combustion method of the document engine
  InventoryOptions inventory;     ///< GWP set, CO2/C ratio, dataset preference
  Policy policy = Policy::kReject;
  std::size_t report_rows = 10;   ///< first N row indices kept per error kind
  unsigned threads = 0;           ///< 0: hardware concurrency
};

/// Caller-owned outputs (each may be null): per record (size n) and per group (size group_count).
/// Skipped records get NaN per record and are left out of the group sums (the report says which).
struct Output {
  double* co2_t = nullptr;
  double* ch4_t = nullptr;
  double* n2o_t = nullptr;
  double* co2e_t = nullptr;
  double* group_co2e_t = nullptr;
};

struct Report {
  std::size_t valid = 0, skipped = 0;
  std::map<std::string, std::size_t> counts;                ///< error kind → records
  std::map<std::string, std::vector<std::size_t>> first_rows;  ///< error kind → first row indices
  std::map<std::string, std::string> pair_errors;           ///< "carrier|unit" → why it cannot be computed
  std::string ToJson() const;
};

/// Computes. Under kReject any invalid record fails the call (kInvalidArgument, the message counting
/// each error kind with its first rows) and no output is written.
absl::StatusOr<Report> Compute(const Input& input, const FactorCatalogue& catalogue, const Options& options,
                               const Output& output);

}  // namespace cmrv::batch
