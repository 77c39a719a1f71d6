// The batch engine's internals (lib/batch/), one unit per file:
//   columns.cpp  the arguments and columns are checked; the shape of the problem (Shape)
//   tuples.cpp   which (kind, carrier, unit, region, year) tuples occur, and each one's factor from the
//                inventory engine (ComputeUnitActivity), once
//   groups.cpp   the group index over the key columns (dense mixed-radix or sorted sparse)
//   direct.cpp   the direct passes: per-record CO2e, or one value by dense groups, from small code columns;
//                their loops (direct_loops.hpp) compiled once per x86-64 level
//   kernel.cpp   Compute: the main pass over the records and the combine, in segment order
// This header holds what they share: record error kinds, the column loaders and the per-tuple table.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <gsl/pointers>

#include "absl/status/statusor.h"
#include "carbonmrv/batch/batch.hpp"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/status.hpp"
#include "internal/isa.hpp"
#include "internal/strings.hpp"
#include "internal/threads.hpp"

namespace cmrv::batch::detail {

using cmrv::internal::StrCat;

// Record error kinds, in report order; 0 = valid.
enum ErrKind : uint8_t {
  kValid = 0,
  kBadCode,          // a code outside its dictionary (−1: a missing categorical value)
  kNonFinite,        // quantity NaN or ±inf
  kNegative,         // quantity < 0 (exports and recovery take their sign from the kind)
  kBadYear,          // year outside 1990–2100
  kBadParameter,     // a measured value that is ±inf, ≤ 0, or an oxidation factor > 1
  kUnknownCarrier,   // the tuple's carrier is not in the catalogue
  kUnknownUnit,      // the tuple's unit does not parse
  kUnitKind,         // the document engine refuses the tuple (unit of the wrong kind for the source kind ...)
  kUnsupportedKind,  // a source kind the batch engine does not take
  kMissingFactor,    // no factor for the tuple
  kParameterUnit,    // a measured column's unit does not fit the term it replaces
  kNotApplicable,    // a measured value for a tuple whose method has no such term
  kKindCount
};
inline constexpr const char* kKindNames[] = {"valid",         "bad_code",         "non_finite",      "negative",
                                             "bad_year",      "bad_parameter",    "unknown_carrier", "unknown_unit",
                                             "unit_kind",     "unsupported_kind", "missing_factor",  "parameter_unit",
                                             "not_applicable"};
static_assert(std::size(kKindNames) == kKindCount);

// The error kind of a record that failed the branch-free check, in the order the checks are reported:
// a code outside its dictionary, then the quantity, then the year.
inline uint8_t BadRecordKind(bool codes_ok, double q) {
  if (!codes_ok) return kBadCode;
  if (!std::isfinite(q)) return kNonFinite;
  if (q < 0) return kNegative;
  return kBadYear;
}

// A record of the carrier-and-unit layout: its tuple (0 for a bad record: tuple 0 always exists) and
// its error kind (kValid, the tuple's own error, or what is wrong with the record). Branch-free for a
// valid record; the three loops that take this layout share it so that they check alike.
struct RecordTuple {
  std::size_t tuple;
  uint8_t error;
};
// Always inlined: in the unity build GCC left it an out-of-line call inside the fused group loop.
[[gnu::always_inline]] inline RecordTuple CarrierUnitTuple(int64_t carrier, int64_t unit, double q, uint64_t nc,
                                                           uint64_t nu, const int32_t* tuple_index,
                                                           const uint8_t* tuple_error) {
  const auto cc = static_cast<uint64_t>(carrier), uu = static_cast<uint64_t>(unit);  // < 0 wraps: out of range
  const bool codes_ok = (cc < nc) & (uu < nu);
  const bool ok = codes_ok & std::isfinite(q) & (q >= 0);
  const auto t = static_cast<std::size_t>(tuple_index[ok ? cc * nu + uu : 0]);
  return {t, ok ? tuple_error[t] : BadRecordKind(codes_ok, q)};
}

// Source kinds whose factors come from the catalogue by carrier and unit alone.
inline constexpr SourceKind kBatchKinds[] = {SourceKind::kFuelCombustion,       SourceKind::kBiomassCombustion,
                                             SourceKind::kPurchasedElectricity, SourceKind::kExportedElectricity,
                                             SourceKind::kPurchasedHeat,        SourceKind::kExportedHeat};

inline constexpr std::size_t kBlock = 1024;  // records per vectorised block (buffers stay in L1/L2)
inline constexpr std::size_t kMinSegment = 1 << 16;
// A per-record call of the direct layout with at least this many records and at most this many
// (carrier, unit) pairs resolves every pair instead of scanning the codes first (kernel.cpp).
inline constexpr std::size_t kDirectFirstRecords = 1 << 20;
inline constexpr std::size_t kDirectFirstPairs = 1024;
// The fused group loop (kernel.cpp) adds in a second pass per block when the group table exceeds
// kCachedTableBytes (not expected to stay in a core's cache), unless the block's first records go to
// groups within kNearGroups of each other (4 KiB of sums).
inline constexpr std::size_t kCachedTableBytes = std::size_t{512} << 10;
inline constexpr std::size_t kNearGroups = 512;
// The direct group pass asks for each record's table entry ahead of the adds (PrefetchGroup in
// direct_loops.hpp) when the table exceeds kPrefetchTableBytes. Measured on the project's VM (1 MiB L2 per
// core), 10⁷ records in random order: no gain at 1.9 MB (the adds' misses hit the L3 and overlap in their
// own loop; through the engine the requests cost 14 %), 13–31 % less time from 4.7 MB to 37.5 MB.
inline constexpr std::size_t kPrefetchTableBytes = std::size_t{4} << 20;
inline constexpr std::size_t kMaxSegments = 4;
inline constexpr std::size_t kPartialBudget = std::size_t{32} << 20;  // bytes of per-segment group sums
// Two segments are kept while their two tables fit in kTwoSegmentBudget, even past kPartialBudget: one
// table split by groups makes each thread read every record (10⁷ records in random order into 2.4·10⁶
// groups, 19 MB: 1 thread 60.7–62.0 ms, 2 threads 47.9–48.7 ms, 1.27×), two segments give each thread
// half the records for the price of a second table and its combine on one thread (65.6–65.8 ms and
// 38.0–38.3 ms, 1.72×; docs/performance.md, session 17).
inline constexpr std::size_t kTwoSegmentBudget = std::size_t{48} << 20;
inline constexpr std::size_t kMaxTupleSpace = std::size_t{1} << 22;  // kinds × carriers × units × regions (× years)
inline constexpr int64_t kYearFirst = 1990, kYearCount = 111;        // reporting years 1990–2100

template <typename T>
void LoadAs(const char* base, std::size_t stride, std::size_t lo, std::size_t n, int64_t* out) {
  if (stride == sizeof(T)) {  // contiguous: a widening loop the compiler vectorises
    const char* p = base + lo * sizeof(T);
    for (std::size_t j = 0; j < n; ++j) {
      T v;
      std::memcpy(&v, p + j * sizeof(T), sizeof v);  // an unaligned-safe load, compiled to a plain one
      out[j] = static_cast<int64_t>(v);  // NOLINT(bugprone-signed-char-misuse): int8 codes are signed; < 0 is refused
    }
    return;
  }
  const char* p = base + lo * stride;
  for (std::size_t j = 0; j < n; ++j, p += stride) {
    T v;
    std::memcpy(&v, p, sizeof v);
    out[j] = static_cast<int64_t>(v);  // NOLINT(bugprone-signed-char-misuse): int8 codes are signed; < 0 is refused
  }
}

// Calls fn(T{}) with the C++ type T of integer dtype t, or otherwise() for any other dtype: the one
// switch over the integer dtypes, shared by the loaders below and the direct passes (direct.cpp).
// Always inlined, so that a caller compiled for a wider x86-64 level (direct_loops.hpp) keeps its
// lambdas at that level.
template <typename Fn, typename Otherwise>
[[gnu::always_inline]] inline decltype(auto) ByIntType(DType t, Fn&& fn, Otherwise&& otherwise) {
  switch (t) {
    case DType::kInt8: return fn(int8_t{});
    case DType::kInt16: return fn(int16_t{});
    case DType::kInt32: return fn(int32_t{});
    case DType::kInt64: return fn(int64_t{});
    case DType::kUInt8: return fn(uint8_t{});
    case DType::kUInt16: return fn(uint16_t{});
    case DType::kUInt32: return fn(uint32_t{});
    case DType::kUInt64: return fn(uint64_t{});
    default: return otherwise();
  }
}

// Integer columns are widened to int64 a block at a time: one dispatch per block, tight loops inside.
// uint64 values beyond INT64_MAX wrap negative and fail the range checks like any bad code.
inline void LoadInt(const Column& c, std::size_t lo, std::size_t n, int64_t* out) {
  const char* b = static_cast<const char*>(c.data);
  ByIntType(
      c.type, [&](auto t) { LoadAs<decltype(t)>(b, c.stride, lo, n, out); },
      [&] { std::fill(out, out + n, int64_t{-1}); });  // rejected up front; never reached
}

// The minimum and maximum of n contiguous values. A min/max reduction the compiler vectorises, and a
// memory-bound one only when the vectors are wide: on the baseline (SSE2: no 32-bit min/max, no
// 64-bit compare) it ran at 8 GB/s where a plain read of the keys runs at 26 GB/s, so it is compiled
// per x86-64 level (internal/isa.hpp). Integer min/max: every level gives the same result.
template <typename T>
[[gnu::always_inline]] inline void MinMax(const T* p, std::size_t n, T& a, T& b) {
  T x = a, y = b;  // locals: through the references every step would be a store (they may alias p)
  for (std::size_t j = 0; j < n; ++j) {
    x = std::min(x, p[j]);
    y = std::max(y, p[j]);
  }
  a = x;
  b = y;
}
#if CMRV_ISA_VARIANTS
template <typename T>
[[gnu::target("arch=x86-64-v4")]] void MinMaxV4(const T* p, std::size_t n, T& a, T& b) {
  MinMax(p, n, a, b);
}
template <typename T>
[[gnu::target("arch=x86-64-v3")]] void MinMaxV3(const T* p, std::size_t n, T& a, T& b) {
  MinMax(p, n, a, b);
}
#endif

template <typename T>
void RangeAs(const char* base, std::size_t stride, std::size_t lo, std::size_t n, internal::Isa isa, int64_t& mn,
             int64_t& mx) {
  T a = std::numeric_limits<T>::max(), b = std::numeric_limits<T>::lowest();
  if (stride == sizeof(T) && reinterpret_cast<std::uintptr_t>(base) % alignof(T) == 0) {
    const T* p = reinterpret_cast<const T*>(base) + lo;
    switch (isa) {
#if CMRV_ISA_VARIANTS
      case internal::Isa::kX86_64_V4: MinMaxV4(p, n, a, b); break;
      case internal::Isa::kX86_64_V3: MinMaxV3(p, n, a, b); break;
#endif
      default: MinMax(p, n, a, b);
    }
  } else {
    const char* p = base + lo * stride;
    for (std::size_t j = 0; j < n; ++j, p += stride) {
      T v;
      std::memcpy(&v, p, sizeof v);
      a = std::min(a, v);
      b = std::max(b, v);
    }
  }
  if (n == 0) return;
  mn = std::min(mn, static_cast<int64_t>(a));
  mx = std::max(mx, static_cast<int64_t>(b));
}

// Minimum and maximum of an integer column over [lo, lo + n), folded into mn/mx; the contiguous loop
// at the x86-64 level `isa`.
inline void KeyRange(const Column& c, std::size_t lo, std::size_t n, internal::Isa isa, int64_t& mn, int64_t& mx) {
  const char* b = static_cast<const char*>(c.data);
  ByIntType(
      c.type,
      [&](auto t) {
        using T = decltype(t);
        if constexpr (std::is_same_v<T, uint64_t>) {  // values beyond INT64_MAX wrap negative, as in LoadInt
          std::vector<int64_t> tmp(n);
          LoadInt(c, lo, n, tmp.data());
          for (int64_t v : tmp) {
            mn = std::min(mn, v);
            mx = std::max(mx, v);
          }
        } else {
          RangeAs<T>(b, c.stride, lo, n, isa, mn, mx);
        }
      },
      [] {});
}

// Returns the block's doubles: in place when the column is contiguous float64, else converted into `out`.
inline const double* LoadDouble(const Column& c, std::size_t lo, std::size_t n, double* out) {
  const char* p = static_cast<const char*>(c.data) + lo * c.stride;
  if (c.type == DType::kFloat64 && c.stride == sizeof(double) &&
      reinterpret_cast<std::uintptr_t>(p) % alignof(double) == 0) {
    return reinterpret_cast<const double*>(p);
  }
  if (c.type == DType::kFloat32) {
    for (std::size_t j = 0; j < n; ++j, p += c.stride) {
      float v;
      std::memcpy(&v, p, sizeof v);
      out[j] = static_cast<double>(v);
    }
  } else {
    for (std::size_t j = 0; j < n; ++j, p += c.stride) std::memcpy(&out[j], p, sizeof(double));
  }
  return out;
}

// A column's elements read in place from record lo: element j is p[j * step] (the record size of an
// array of structs; 0: one value for every record) or, when not kStrided, p[j]. The loops take the
// contiguous form as its own type: with a run-time step of 1, GCC -O3 versions the loops but a grouped
// call measured 15 % slower than with p[j] (docs/performance.md, session 9).
template <typename T, bool kStrided>
struct Elements {
  const T* p;
  std::size_t step;
  T operator[](std::size_t j) const {
    if constexpr (kStrided) {
      return p[j * step];
    } else {
      return p[j];
    }
  }
};

// Whether column c can be read as Elements of its type: its stride a whole number of elements and its
// data aligned to the element size.
inline bool ElementWise(const Column& c) {
  const std::size_t size = DTypeSize(c.type);
  return c.present() && size > 0 && c.stride % size == 0 && reinterpret_cast<std::uintptr_t>(c.data) % size == 0;
}

// Whether column c is absent or its elements are adjacent (stride = element size).
inline bool Packed(const Column& c) { return !c.present() || c.stride == DTypeSize(c.type); }

template <typename T, bool kStrided>
Elements<T, kStrided> ElementsOf(const Column& c, std::size_t lo) {
  const std::size_t step = c.stride / sizeof(T);
  return {static_cast<const T*>(c.data) + lo * step, step};
}

// Calls fn with the Elements, from record lo, of a code column of 8, 16 or 32 bits read in place;
// false otherwise. With kStrided false the caller has checked that the column is Packed.
template <bool kStrided, typename Fn>
[[gnu::always_inline]] inline bool WithCodes(const Column& c, std::size_t lo, Fn&& fn) {
  if (!ElementWise(c)) return false;  // 64-bit codes: the constexpr branch below
  return ByIntType(
      c.type,
      [&](auto t) {
        using T = decltype(t);
        if constexpr (sizeof(T) <= 4) {
          return fn(ElementsOf<T, kStrided>(c, lo));
        } else {
          return false;
        }
      },
      [] { return false; });
}

// The per-record codes of a block, widened to int64: carrier, unit, kind, region, year (the optional
// ones stay 0 when their column is absent).
struct CodeBlock {
  std::vector<int64_t> c = std::vector<int64_t>(kBlock), u = std::vector<int64_t>(kBlock),
                       k = std::vector<int64_t>(kBlock, 0), r = std::vector<int64_t>(kBlock, 0),
                       y = std::vector<int64_t>(kBlock, 0);
  void Load(const Input& in, std::size_t lo, std::size_t b) {
    LoadInt(in.carrier.codes, lo, b, c.data());
    LoadInt(in.unit.codes, lo, b, u.data());
    if (in.kind.codes.present()) LoadInt(in.kind.codes, lo, b, k.data());
    if (in.region.codes.present()) LoadInt(in.region.codes, lo, b, r.data());
    if (in.year.present()) LoadInt(in.year, lo, b, y.data());
  }
};

// The measured columns, in this order everywhere, and the parameter (table) each one is.
enum Param : std::size_t { kNcv = 0, kCc, kOf, kParamCount };
inline constexpr Parameter kParamOf[] = {Parameter::kNcv, Parameter::kCarbonContent, Parameter::kOxidation};
inline std::string ParamName(std::size_t p) { return std::string(ParameterName(kParamOf[p])); }
// The terms each measured column replaces, by the parameter the inventory engine says a term resolves:
// the heating value (NCV, or HHV where the factors are per HHV), the carbon content, the oxidation.
inline bool TermIs(Param p, const TraceTerm& term) {
  if (!term.parameter) return false;
  switch (p) {
    case kNcv: return *term.parameter == Parameter::kNcv || *term.parameter == Parameter::kHhv;
    case kCc: return *term.parameter == Parameter::kCarbonContent;
    case kOf: return *term.parameter == Parameter::kOxidation;
    default: return false;
  }
}

// One resolved tuple: tonnes of each gas per unit of quantity (CO2e already weighted by the GWP).
struct Tuple {
  ErrKind error = kValid;
  std::array<double, 4> per_unit{};  // co2, ch4, n2o, co2e
  std::array<double, 3> gwp{1, 0, 0};
  double co2e_only = 0;  // CO2e per unit from lines whose factor is already in CO2e (not per gas)
  // Measured parameter p: value × scale[p] is the ratio to the default term (0: no such term).
  std::array<double, kParamCount> scale{};
  // Which parameters enter each gas line (bit p).
  std::array<unsigned, 3> uses{};
  // Whether the tuple's lines have the term parameter p replaces (only then is a default "used").
  std::array<bool, kParamCount> has_term{};
  // Measured parameter p whose column unit cannot replace the term: why (empty: it fits or is absent).
  std::array<std::string, kParamCount> unit_mismatch;
  Factor factor;
};

struct Args {
  const Input& in;
  const FactorCatalogue& catalogue;
  const Options& o;
};

inline std::string TupleKey(const Factor& f) {
  return StrCat(f.kind, "|", f.carrier, "|", f.unit, "|", f.region, "|", f.year);
}

// v − base without signed overflow: keys may span more than INT64_MAX and a year column may hold
// INT64_MIN; the offset wraps modulo 2^64, which the range checks that follow then reject.
inline uint64_t Offset(int64_t v, int64_t base) { return static_cast<uint64_t>(v) - static_cast<uint64_t>(base); }

// Runs fn(k, t) for k in [0, t): task k on worker k. A worker that cannot be started (thread limit,
// address-space limit) does not abort the process: its share runs on the calling thread after its
// own, which gives the same result because the work of k is a function of (k, t) alone.
template <typename Fn>
void ForEachThread(unsigned threads, std::size_t tasks, Fn&& fn) {
  const std::size_t t = std::max<std::size_t>(1, std::min<std::size_t>(threads, tasks));
  if (t == 1) {
    fn(std::size_t{0}, std::size_t{1});
    return;
  }
  std::vector<std::thread> pool;
  std::vector<std::size_t> inline_tasks;
  pool.reserve(t - 1);
  for (std::size_t k = 1; k < t; ++k) {
    if (!internal::TryStartWorker(pool, [&fn, k, t] { fn(k, t); })) inline_tasks.push_back(k);
  }
  fn(0, t);
  for (std::size_t k : inline_tasks) fn(k, t);
  for (auto& th : pool) th.join();
}

// Fixed segmentation of [0, n): a function of the input only, never of the thread count.
struct Segments {
  std::size_t count = 1, length = 0;
  std::size_t lo(std::size_t s, std::size_t n) const { return std::min(n, s * length); }
  std::size_t hi(std::size_t s, std::size_t n) const { return std::min(n, (s + 1) * length); }
};

inline Segments Segment(std::size_t n, std::size_t bytes_per_segment) {
  Segments s;
  s.count = std::clamp<std::size_t>(n / kMinSegment, 1, kMaxSegments);
  if (bytes_per_segment > 0) {
    std::size_t fit = kPartialBudget / bytes_per_segment;
    if (fit < 2 && bytes_per_segment <= kTwoSegmentBudget / 2) fit = 2;
    s.count = std::min(s.count, std::max<std::size_t>(1, fit));
  }
  s.length = std::max<std::size_t>(1, (n + s.count - 1) / s.count);
  return s;
}

struct Bad {
  absl::Status operator()(const std::string& m) const {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, m);
  }
};

inline absl::Status CheckColumn(const Column& c, const char* name, bool integer, bool required, std::size_t n) {
  if (!c.present()) {
    if (required && n > 0) return Bad{}(StrCat(name, " column is required"));
    return absl::OkStatus();
  }
  if (DTypeSize(c.type) == 0) return Bad{}(StrCat(name, ": unknown dtype code ", static_cast<int>(c.type)));
  if (integer && !IsInteger(c.type)) {
    return Bad{}(StrCat(name, " has dtype ", DTypeName(c.type), "; expected integer codes"));
  }
  if (!integer && IsInteger(c.type)) {
    return Bad{}(StrCat(name, " has dtype ", DTypeName(c.type), "; expected float64 or float32"));
  }
  return absl::OkStatus();
}

// ---- The problem's shape (columns.cpp) ----------------------------------------------------------

struct Shape {
  std::size_t n = 0;                           // records
  std::size_t nc = 0, nu = 0, nk = 1, nr = 1;  // dictionary sizes (1 for a kind or region set in options)
  std::size_t nys = 1;                         // years a tuple code spans (kYearCount with a year column)
  std::size_t tuple_space = 0;                 // nk × nc × nu × nr × nys
  std::size_t nkeys = 0;                       // group key columns
  unsigned threads = 1;
  unsigned gv = 0;                                          // the group values asked for (batch::Value bits)
  double of_max = std::numeric_limits<double>::infinity();  // largest oxidation factor in its column's unit
  bool any_measured = false;  // a measured ncv, carbon_content or oxidation column is given
};

/// Checks every argument and column (dtypes, strides, dictionaries, units of measured columns, the
/// year) and sizes the problem. The first problem found is the error.
absl::StatusOr<Shape> CheckArguments(const Input& in, const Options& o, const Output& out);

// ---- Tuples (tuples.cpp) ---------------------------------------------------------------------------

/// Which tuple codes occur (the spare last slot marks records with a code out of range) and the
/// range of each key column: one parallel pass over the codes and keys. Without `pairs` (a call whose
/// direct pass finds the pairs itself) every code is marked and only the keys are read.
struct CodeScan {
  std::vector<uint8_t> used;
  std::vector<int64_t> kmin, kmax;
};
CodeScan ScanCodes(const Input& in, const Shape& s, bool pairs = true);
/// Marks the (carrier, unit) pairs of records [lo, lo + b) in `used` (nc × nu + 1 entries, the last one
/// for a code out of range); false, marking nothing, when the code columns are not 8-, 16- or 32-bit
/// ones that can be read in place (WithCodes).
bool MarkPairsDirect(const Input& in, std::size_t lo, std::size_t b, uint64_t nc, uint64_t nu, uint8_t* used);

/// The factor of one tuple, from the inventory engine or from the cache of tuples resolved on the same
/// `context` (the cache's number for the catalogue's datasets and the options, as ContextKey in
/// tuples.cpp writes them); `why` receives the reason of a tuple error.
Tuple ResolveTuple(const Args& a, uint64_t context, const std::string& kind, const std::string& carrier,
                   const std::string& unit, const std::string& region, int year, gsl::not_null<std::string*> why);

/// Every tuple that occurs, resolved once, with flat tables for the hot loops.
struct TupleTable {
  std::vector<int32_t> index;    // tuple code → row of `tuples` (unused codes: 0, never read for a valid record)
  std::vector<Tuple> tuples;     // never empty, so that invalid records can point somewhere harmless
  std::vector<double> per_unit;  // 4 per tuple: CO2, CH4, N2O, CO2e per unit of quantity
  std::vector<double> scale;     // kParamCount per tuple
  std::vector<uint8_t> error;    // ErrKind per tuple
  std::vector<std::string> why;  // per tuple: the reason of its error, empty when valid
};
/// The tuples of the codes marked in `used` (tuple_space + 1 entries).
TupleTable ResolveTuples(const Input& in, const FactorCatalogue& catalogue, const Options& o, const Shape& s,
                         const std::vector<uint8_t>& used);
/// Into the report, for each tuple that `occurs` (per tuple) in the records: its error as a pair error,
/// or its factor, with its records counted (Tuple::factor.records), in tuple order.
void ReportTuples(const TupleTable& table, const std::vector<uint8_t>& occurs, Report& report);

// ---- The direct passes (direct.cpp) ---------------------------------------------------------------

/// The value per unit for each (carrier, unit) code pair (CO2e per record, or the one value a group
/// call sums), NaN where the pair is not a valid tuple; the last entry (index nc × nu) is the spare for
/// a code out of range.
struct DirectTable {
  std::size_t nc = 0, nu = 0;
  std::size_t stride = 0;  // entries per count array (nc × nu + 1)
  std::vector<double> per_unit;
  internal::Isa isa = internal::Isa::kBaseline;  // the x86-64 level of the loops (internal/isa.hpp)
  bool packed = true;  // every column the passes read is Packed: the loops index p[j], not p[j * step]
};
/// Whether the call has the direct layout: carrier and unit 8-, 16- or 32-bit codes and a float64 quantity
/// read in place (contiguous or strided: ElementWise), CO2e alone per record into a contiguous column, no
/// kind, region or year column, no measured column, no keys.
bool HasDirectLayout(const Input& in, const Output& out, const Shape& s);
/// Whether the call has the direct group layout: the same inputs, one or two integer key columns read in
/// place, at most one value summed (with or without counts), no per-record output.
bool HasDirectGroupLayout(const Input& in, const Output& out, const Shape& s);
/// The table when the call has either direct layout (a group call only when its groups are dense);
/// otherwise nullopt (the general loops run).
std::optional<DirectTable> MakeDirectTable(const Input& in, const Output& out, const Shape& s,
                                           const std::vector<uint8_t>& used, const TupleTable& table,
                                           bool dense_groups);
/// Records [lo, lo + b) (b ≤ kBlock): writes CO2e into out[0, b) and counts records per code pair into
/// counts (two arrays of d.stride) and returns true; returns false, counting nothing, when any record
/// is not plainly valid or its product is not finite. The caller then runs the general loop on the
/// block, which overwrites what was written.
bool DirectBlock(const DirectTable& d, const Input& in, std::size_t lo, std::size_t b, double* out, uint64_t* counts);
/// Where a block of the direct group pass adds: one segment's table, or a split part's share of the one
/// table (groups [own_lo, own_lo + own_width)).
struct DirectGroups {
  double* sums = nullptr;       // the value's sums, or null when none is summed
  uint64_t* counts = nullptr;   // valid records per group, or null
  uint8_t* occupied = nullptr;  // a byte per group, only when neither sums nor counts say it
  const std::size_t* span = nullptr;
  const int64_t* kmin = nullptr;
  std::size_t nkeys = 0;
  uint32_t own_lo = 0, own_width = 0;
  bool split = false;
  bool prefetch = false;  // ask for each record's table entry ahead of the adds (a table beyond the cache)
};
/// Records [lo, lo + b) (b ≤ kBlock) of the direct group layout: adds each record's value into its
/// dense group, counts records per code pair (two arrays of d.stride) and returns true; returns false,
/// touching nothing, when any record is not plainly valid or its product is not finite, and the caller
/// runs the general loop on the block. A split part (to.split) takes only the records whose group is in
/// its share [own_lo, own_lo + own_width), and returns false only for a bad record of its own.
bool DirectGroupBlock(const DirectTable& d, const Input& in, const DirectGroups& to, std::size_t lo, std::size_t b,
                      uint64_t* counts);
/// Blocks the direct passes (DirectBlock, DirectGroupBlock) have taken since the process started, summed
/// once per worker per call: lets tests prove a layout reaches the direct path rather than the general
/// loop, which gives the same numbers. Thread-safe (relaxed atomic).
std::atomic<uint64_t>& DirectBlocksForTesting();

// ---- Groups (groups.cpp) ---------------------------------------------------------------------------

struct GroupIndex {
  std::vector<std::size_t> span;  // per key: its range (dense) or radix (sparse)
  std::size_t count = 0;          // G
  bool sparse = false;
  std::vector<uint32_t> sparse_gid;               // per record, when sparse
  std::vector<std::vector<int64_t>> sparse_keys;  // per key, per group, when sparse
  std::vector<int64_t> kmin, kmax;                // key ranges (0, 0 for a key without records)
};
/// The group index of the key columns: dense when the key ranges' product is small (at most
/// max(2n, 2^20) groups), else a sorted hash of the combined keys (groups in key order, whatever the
/// thread count). More than 2^64 combinations or 2^32 groups is an error.
absl::StatusOr<GroupIndex> BuildGroups(const Input& in, const Shape& s, std::vector<int64_t> kmin,
                                       std::vector<int64_t> kmax);
/// One key column given as a value per group (keys[j], j < n) in levels-and-codes form
/// (GroupKeys::kLevelsCodes): its distinct values ascending, and each group's index into them. `sorted`:
/// the values are ascending already (the first key column of groups in key order).
void Factorize(const int64_t* keys, std::size_t n, bool sorted, ResultColumn<int64_t>& levels,
               ResultColumn<int32_t>& codes);
/// Whether two dense keys' records step through the first key with the second fixed (a month's records for
/// every enterprise, then the next month's, grouped by (enterprise, month)), so that a table laid out with
/// the second key's digit first takes them at neighbouring sums where the usual layout strides by the
/// second key's span. Decided from four samples of 64 consecutive records: the data alone, never the
/// thread count. Never for a second key of more than 4 096 values (the read-out would not stay in cache).
bool SecondKeyFirst(const Input& in, std::size_t n, const std::vector<std::size_t>& span,
                    const std::vector<int64_t>& kmin);

}  // namespace cmrv::batch::detail
