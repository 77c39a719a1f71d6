// carbonmrv — columnar batch engine: many activity records (enterprise × period × carrier) at once.
//
// Source-level API only: it may change in minor releases (the C API, cmrv_batch_*, is the stable one).
//
// Factors are resolved once per distinct (source kind, carrier, unit, region, year) tuple by running
// the document engine (ComputeInventory) on a one-record enterprise, so a batch gives the same numbers
// as the document path for the same data, and every method, convention and dataset rule applies
// unchanged. A measured NCV, carbon content or oxidation factor given per record replaces the matching
// trace term of its tuple (the ratio to the default is applied to the lines that term enters), NaN
// meaning "not measured: the default applies", which is counted as the missing-data rule.
//
// Execution: a pre-pass over the codes and keys (which tuples occur, key ranges), the tuple
// resolution, then one pass that checks each record, computes it and adds it to per-segment group sums
// (a rejected batch then sets its per-record outputs to NaN: nothing partial survives). Records are cut into segments
// fixed by the input alone (never by the thread count); each segment is summed in record order and the segments are
// added in segment order, so results are bit-identical for any thread count while both cores work.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/inventory/inventory.hpp"

namespace cmrv::batch {

/// Element type of a column (numpy's and C's fixed-width types).
enum class DType : int32_t { kInt8 = 0, kInt16, kInt32, kInt64, kUInt8, kUInt16, kUInt32, kUInt64, kFloat32, kFloat64 };
std::string_view DTypeName(DType type);
std::size_t DTypeSize(DType type);
bool IsInteger(DType type);

/// A read-only strided column of any supported type (numpy arrays and pandas columns in place, or an
/// ERP's array of record structs). `data == nullptr`: the column is absent.
struct Column {
  const void* data = nullptr;
  std::size_t stride = 0;  ///< bytes between elements; 0: one value for every record (broadcast)
  DType type = DType::kFloat64;
  bool present() const { return data != nullptr; }
  template <typename T>
  static Column Of(const T* p, std::size_t stride = sizeof(T));
};

/// Integer codes into a dictionary of strings (pandas categoricals: int8/16/32 codes, −1 missing).
struct Coded {
  Column codes;
  std::vector<std::string> values;
};

/// A measured parameter per record in `unit`; NaN where not measured (the tuple's default is used).
struct Measured {
  Column values;
  std::string unit;
};

struct Input {
  std::size_t size = 0;
  Coded carrier;             ///< required: carrier ids, names or aliases
  Coded unit;                ///< required: unit strings of the quantity
  Column quantity;           ///< required: float64 or float32, ≥ 0 (the kind gives the sign)
  Coded kind;                ///< optional: source kind names per record; absent: Options::kind
  Coded region;              ///< optional: region per record (CN-11, US, ...); absent: Options::region
  Column year;               ///< optional integer year per record; absent: Options::year
  Measured ncv;              ///< optional: measured NCV (or HHV where the tuple uses HHV), e.g. GJ/t
  Measured carbon_content;   ///< optional: carbon content per energy (default_factor), e.g. tC/TJ
  Measured oxidation;        ///< optional: oxidation factor, unit "1" or "%"
  std::vector<Column> keys;  ///< optional integer group keys (enterprise, period, ...); none: no groups
};

enum class Policy : int32_t { kReject = 0, kSkip = 1 };

struct Options {
  std::string kind = "fuel_combustion";   ///< source kind when Input::kind is absent
  std::string region = "GLOBAL";          ///< factor selection when Input::region is absent
  int year = 0;                           ///< factor selection when Input::year is absent (1990–2100)
  std::string method = "default_factor";  ///< combustion method of the document engine
  InventoryOptions inventory;             ///< GWP set, CO2/C ratio, dataset preference, scope 2 method
  Policy policy = Policy::kReject;
  std::size_t report_rows = 10;  ///< first N row indices kept per error kind
  unsigned threads = 0;          ///< 0: hardware concurrency (results do not depend on it)
  /// Called on the calling thread with (records done, records in the batch) about every 0.1 s, and
  /// once with (n, n) at the end of the main pass; returning false cancels the call (kCancelled, nothing
  /// computed). It only observes: results do not depend on it. Empty: no reporting.
  std::function<bool(std::uint64_t done, std::uint64_t total)> progress = nullptr;
};

/// Which values per group (kRecords: the number of valid records in each group).
enum Value : unsigned { kCo2 = 1u, kCh4 = 2u, kN2o = 4u, kCo2e = 8u, kRecords = 16u, kAllValues = 31u };

/// A caller-owned strided output column of `size` doubles (null: not wanted).
struct OutColumn {
  double* data = nullptr;
  std::size_t stride = sizeof(double);
};

/// Per-record outputs in tonnes; a skipped record gets NaN.
/// How Groups holds its key columns. kLevelsCodes is the factorised form a pandas MultiIndex (or an R
/// factor) holds: per key column its distinct values and each group's index into them. It writes 4 bytes
/// per group and key instead of 8, and the engine derives it from its group index without the sort or
/// hash a frame library would spend on the values (carbonmrv.batch asks for it).
enum class GroupKeys : int32_t { kValues = 0, kLevelsCodes = 1 };

struct Output {
  OutColumn co2_t, ch4_t, n2o_t, co2e_t;
  unsigned group_values = kAllValues;         ///< sums per group (when keys are given)
  GroupKeys group_keys = GroupKeys::kValues;  ///< Groups::keys, or Groups::levels and Groups::codes
};

/// One resolved (kind, carrier, unit, region, year) tuple: tonnes per unit of quantity and the trace
/// of its CO2 line, for audit.
struct Factor {
  std::string kind, carrier, unit, region;
  int year = 0;
  double co2 = 0, ch4 = 0, n2o = 0, co2e = 0;
  TraceTerms terms;           ///< of the line of the main gas (CO2, or CO2e for process factors)
  std::uint64_t records = 0;  ///< valid records computed with it
};

struct Report {
  std::size_t valid = 0, skipped = 0;
  std::map<std::string, std::size_t> counts;                   ///< error kind → records
  std::map<std::string, std::vector<std::size_t>> first_rows;  ///< error kind → first row indices
  std::map<std::string, std::string> pair_errors;              ///< "kind|carrier|unit|region|year" → why
  std::map<std::string, std::size_t> defaults_used;            ///< measured parameter → records on the default
  std::vector<Factor> factors;                                 ///< every tuple used, in first-seen code order
  std::string ToJson() const;
};

namespace detail {
void* AllocateColumn(std::size_t bytes);
void FreeColumn(void* data, std::size_t bytes) noexcept;
}  // namespace detail

/// The allocator of result columns. A column of 256 KiB or more takes its memory from the blocks the
/// engine keeps between calls (freed columns and scratch tables: memory_pool.hpp), so
/// that a repeated call writes pages it has written before: on the reference VM a fresh 4 KiB page
/// costs ~11 µs, and 2.4·10⁶ groups return ~40 MB (docs/performance.md). Smaller columns use operator
/// new. Stateless; thread-safe.
template <typename T>
struct ResultAllocator {
  using value_type = T;
  ResultAllocator() = default;
  template <typename U>
  ResultAllocator(const ResultAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor): rebinding
  T* allocate(std::size_t n) { return static_cast<T*>(detail::AllocateColumn(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { detail::FreeColumn(p, n * sizeof(T)); }
  friend bool operator==(ResultAllocator, ResultAllocator) { return true; }
};
/// A result column: a std::vector in every way but where its memory comes from.
template <typename T>
using ResultColumn = std::vector<T, ResultAllocator<T>>;

/// Group sums in key order (lexicographic over the key columns); only occupied groups are listed.
struct Groups {
  std::vector<ResultColumn<std::int64_t>> keys;  ///< per key column, one value per group (GroupKeys::kValues)
  /// GroupKeys::kLevelsCodes, per key column: its distinct values over the occupied groups, ascending,
  /// and each group's index into them, so that the group's key is levels[k][codes[k][j]].
  std::vector<ResultColumn<std::int64_t>> levels;
  std::vector<ResultColumn<std::int32_t>> codes;
  ResultColumn<double> co2_t, ch4_t, n2o_t, co2e_t;  ///< those asked for in Output::group_values
  ResultColumn<std::uint64_t> records;               ///< valid records per group (if kRecords was asked for)
  std::size_t count = 0;                             ///< occupied groups
  std::size_t size() const { return count; }
};

struct Result {
  Report report;
  Groups groups;
};

/// Group sums carried across calls, for a stream of chunks: Add merges one call's result, Take returns
/// the sums in key order with the calls' reports merged. Groups are merged by their key values (a hash
/// of the keys: no sorting or alignment per chunk); a group's sums are added in call order, so the result
/// is reproducible for a given chunking. Memory is the number of distinct groups, whatever the number of
/// records. Not thread-safe.
///
/// The merged report: valid and skipped records, error counts and defaults used are summed; first rows
/// are positions in the whole stream (each call's rows offset by the records of the calls before it,
/// its valid + skipped), at most `report_rows` per error kind; a tuple's factor is listed once, in
/// first-seen order, with its records summed; a pair error keeps the latest call's reason.
class GroupSums {
 public:
  GroupSums();  ///< keeps Options{}.report_rows first rows per error kind
  explicit GroupSums(std::size_t report_rows);
  ~GroupSums();
  GroupSums(GroupSums&&) noexcept;
  GroupSums& operator=(GroupSums&&) noexcept;
  GroupSums(const GroupSums&) = delete;
  GroupSums& operator=(const GroupSums&) = delete;

  /// Adds one call's groups and report. Every call with groups must have the key columns and values of
  /// the first (an error names the difference); a sum beyond the largest double is an error. A call
  /// that fails leaves the sums and the report as they were.
  absl::Status Add(const Result& result);
  std::size_t size() const;       ///< distinct groups so far
  std::uint64_t records() const;  ///< records of the calls added so far (valid + skipped)
  /// The sums in key order and the merged report; the object is then empty.
  Result Take();

 private:
  absl::Status AddGroups(const Groups& groups);
  struct State;
  std::unique_ptr<State> state_;
};

/// Computes. Under kReject any invalid record fails the call (kInvalidArgument, the message counting
/// each error kind with its first rows, and every tuple that cannot be computed with the reason); the
/// per-record outputs are then all NaN and no group is returned. Bad arguments (a missing required column, a float key
/// column, a wrong dtype) fail with a message naming the column.
absl::StatusOr<Result> Compute(const Input& input, const FactorCatalogue& catalogue, const Options& options,
                               const Output& output);

template <typename T>
Column Column::Of(const T* p, std::size_t stride) {
  Column c;
  c.data = p;
  c.stride = stride;
  if constexpr (std::is_same_v<T, std::int8_t>)
    c.type = DType::kInt8;
  else if constexpr (std::is_same_v<T, std::int16_t>)
    c.type = DType::kInt16;
  else if constexpr (std::is_same_v<T, std::int32_t>)
    c.type = DType::kInt32;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    c.type = DType::kInt64;
  else if constexpr (std::is_same_v<T, std::uint8_t>)
    c.type = DType::kUInt8;
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    c.type = DType::kUInt16;
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    c.type = DType::kUInt32;
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    c.type = DType::kUInt64;
  else if constexpr (std::is_same_v<T, float>)
    c.type = DType::kFloat32;
  else {
    static_assert(std::is_same_v<T, double>, "unsupported column type");
    c.type = DType::kFloat64;
  }
  return c;
}

}  // namespace cmrv::batch
