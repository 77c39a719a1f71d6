// The batch engine's direct passes (engine.hpp): CO2e per record, or one value summed by dense groups,
// straight from two contiguous code columns, the layout of a pandas frame with categorical carrier and
// unit. The general loops widen every code and key to int64 a block at a time and look up a tuple and
// then its error per record; here one table per code pair holds the value per unit (NaN where the pair
// is not a valid tuple), so that a record is a multiply by a table entry and a check folded into one
// flag per block. A block with any record that is not plainly valid is handed back to the general
// loop, which reports it exactly as before: the direct passes change the speed, never the result.
#include "batch/engine.hpp"
#include "internal/isa.hpp"

namespace cmrv::batch::detail {

namespace {

bool Contiguous(const Column& c, DType type, std::size_t size) {
  return c.present() && c.type == type && c.stride == size &&
         reinterpret_cast<std::uintptr_t>(c.data) % size == 0;  // aligned: read as T*
}

// Whether carrier, unit and quantity have the direct layout: contiguous 8- or 16-bit codes and a
// contiguous float64 quantity, with no kind, region, year or measured column.
bool DirectInputs(const Input& in, const Shape& sh) {
  const Column& c = in.carrier.codes;
  const Column& u = in.unit.codes;
  return !sh.any_measured && !in.kind.codes.present() && !in.region.codes.present() && !in.year.present() &&
         Contiguous(in.quantity, DType::kFloat64, sizeof(double)) && DTypeSize(c.type) <= 2 && DTypeSize(u.type) <= 2 &&
         Contiguous(c, c.type, DTypeSize(c.type)) && Contiguous(u, u.type, DTypeSize(u.type));
}

// The table row of each record: its code pair, or the spare last entry for a code out of range. Its
// own loop, in 32 bits so that it vectorises (widen, compare, multiply-add): the pairs are fewer than
// 2^16 (MakeDirectTable), so nc, nu and the row are small.
template <typename C, typename U>
void PairIndices(const C* c, const U* u, std::size_t b, uint64_t nc64, uint64_t nu64, uint32_t* idx) {
  const auto nc = static_cast<uint32_t>(nc64), nu = static_cast<uint32_t>(nu64), spare = nc * nu;
  for (std::size_t j = 0; j < b; ++j) {
    const auto cc = static_cast<uint32_t>(static_cast<int32_t>(c[j]));  // −1 (missing) wraps: out of range
    const auto uu = static_cast<uint32_t>(static_cast<int32_t>(u[j]));
    idx[j] = ((cc < nc) & (uu < nu)) ? cc * nu + uu : spare;
  }
}

bool PairIndicesOf(const DirectTable& d, const Input& in, std::size_t lo, std::size_t b, uint32_t* idx) {
  return WithSmallCodes(in.carrier.codes, lo, [&](const auto* c) {
    return WithSmallCodes(in.unit.codes, lo, [&](const auto* u) {
      PairIndices(c, u, b, d.nc, d.nu, idx);
      return true;
    });
  });
}

// Counts records per code pair: two count arrays, alternate records, so that consecutive records of the
// same pair (data sorted by fuel) do not wait on each other's increment.
void CountPairs(const uint32_t* idx, std::size_t b, uint64_t* c0, uint64_t* c1) {
  std::size_t j = 0;
  for (; j + 1 < b; j += 2) {
    ++c0[idx[j]];
    ++c1[idx[j + 1]];
  }
  if (j < b) ++c0[idx[j]];
}

// Each record's value, q × the value per unit of its pair, into v; false when any is not plainly valid.
// A NaN entry (a code out of range or a pair that is not a valid tuple) or a NaN quantity makes the
// product NaN and fails `<=`; so does an infinite quantity or product. A negative quantity fails `>= 0`
// (its product may be finite). kSummed adds + 0.0, the group sums' occupancy rule (kernel.cpp); a
// per-record value keeps the product's bits (−0.0 for a quantity of −0.0), as the general loop writes.
// The check is its own loop over q and v (both in L1 by then) so that it vectorises: on x86-64-v3 and
// v4 (internal/isa.hpp) it is vector compares OR-ed into a 64-bit mask, where the product loop's table
// lookups stay scalar (GCC 12 does not gather for generic tuning). Every variant gives the same bits:
// one multiply and one add per record, no contraction.
template <bool kSummed>
[[gnu::always_inline]] inline bool ValuesBody(const double* k, const uint32_t* idx, const double* q, std::size_t b,
                                              double* v) {
  constexpr double kMax = std::numeric_limits<double>::max();
  for (std::size_t j = 0; j < b; ++j) {
    double x = q[j] * k[idx[j]];
    if constexpr (kSummed) x += 0.0;
    v[j] = x;
  }
  uint64_t bad = 0;
  for (std::size_t j = 0; j < b; ++j) {
    const bool ok = (q[j] >= 0) & (std::abs(v[j]) <= kMax);
    bad |= static_cast<uint64_t>(!ok);
  }
  return bad == 0;
}

#if CMRV_ISA_VARIANTS
template <bool kSummed>
[[gnu::target("arch=x86-64-v4")]] bool ValuesV4(const double* k, const uint32_t* idx, const double* q, std::size_t b,
                                                double* v) {
  return ValuesBody<kSummed>(k, idx, q, b, v);
}
template <bool kSummed>
[[gnu::target("arch=x86-64-v3")]] bool ValuesV3(const double* k, const uint32_t* idx, const double* q, std::size_t b,
                                                double* v) {
  return ValuesBody<kSummed>(k, idx, q, b, v);
}
#endif

template <bool kSummed>
bool Values(const DirectTable& d, const uint32_t* idx, const double* q, std::size_t b, double* v) {
  const double* const k = d.per_unit.data();
  switch (d.isa) {
#if CMRV_ISA_VARIANTS
    case internal::Isa::kX86_64_V4: return ValuesV4<kSummed>(k, idx, q, b, v);
    case internal::Isa::kX86_64_V3: return ValuesV3<kSummed>(k, idx, q, b, v);
#endif
    default: return ValuesBody<kSummed>(k, idx, q, b, v);
  }
}

// Adds the digit of one key column of type K into each record's group index: g · span + (key − min),
// in 32 bits, which is exact because every key lies in its range and the group count is below 2^31
// (BuildGroups); the subtraction wraps modulo 2^32 to the true offset for any key type.
template <bool kFirst, typename K>
void AddDigits(const K* k, std::size_t b, uint32_t span, uint32_t base, uint32_t* g) {
  for (std::size_t j = 0; j < b; ++j) {
    const uint32_t digit = static_cast<uint32_t>(k[j]) - base;
    g[j] = kFirst ? digit : g[j] * span + digit;
  }
}

// Calls fn with a typed pointer to the contiguous integer column c from record lo; false otherwise.
template <typename Fn>
bool WithInts(const Column& c, std::size_t lo, Fn&& fn) {
  const std::size_t size = DTypeSize(c.type);
  if (!IsInteger(c.type) || !Contiguous(c, c.type, size)) return false;
  switch (c.type) {
    case DType::kInt8: return fn(static_cast<const int8_t*>(c.data) + lo);
    case DType::kInt16: return fn(static_cast<const int16_t*>(c.data) + lo);
    case DType::kInt32: return fn(static_cast<const int32_t*>(c.data) + lo);
    case DType::kInt64: return fn(static_cast<const int64_t*>(c.data) + lo);
    case DType::kUInt8: return fn(static_cast<const uint8_t*>(c.data) + lo);
    case DType::kUInt16: return fn(static_cast<const uint16_t*>(c.data) + lo);
    case DType::kUInt32: return fn(static_cast<const uint32_t*>(c.data) + lo);
    case DType::kUInt64: return fn(static_cast<const uint64_t*>(c.data) + lo);
    default: return false;
  }
}

void GroupIndices(const Input& in, const DirectGroups& to, std::size_t lo, std::size_t b, uint32_t* g) {
  for (std::size_t kk = 0; kk < to.nkeys; ++kk) {
    const auto span = static_cast<uint32_t>(to.span[kk]);
    const auto base = static_cast<uint32_t>(to.kmin[kk]);  // modulo 2^32, as the keys
    WithInts(in.keys[kk], lo, [&](const auto* k) {
      kk == 0 ? AddDigits<true>(k, b, span, base, g) : AddDigits<false>(k, b, span, base, g);
      return true;
    });
  }
}

// The adds of a block whose records are all valid, in record order: each group receives its records'
// values in the order the general loop adds them, so the sums have its bits. Alone in their loop, the
// adds into a table larger than the cache keep dozens of misses in flight (docs/performance.md).
template <bool kValue, bool kCounts>
void AddGroups(const uint32_t* g, const double* v, std::size_t b, const DirectGroups& to) {
  double* const sums = to.sums;
  uint64_t* const counts = to.counts;
  uint8_t* const occupied = to.occupied;
  for (std::size_t j = 0; j < b; ++j) {
    if constexpr (kValue) sums[g[j]] += v[j];
    if constexpr (kCounts) ++counts[g[j]];
    if constexpr (!kValue && !kCounts) occupied[g[j]] = 1;
  }
}

}  // namespace

bool HasDirectLayout(const Input& in, const Output& out, const Shape& sh) {
  return sh.nkeys == 0 && DirectInputs(in, sh) && out.co2_t.data == nullptr && out.ch4_t.data == nullptr &&
         out.n2o_t.data == nullptr && out.co2e_t.data != nullptr && out.co2e_t.stride == sizeof(double) &&
         reinterpret_cast<std::uintptr_t>(out.co2e_t.data) % alignof(double) == 0;
}

bool HasDirectGroupLayout(const Input& in, const Output& out, const Shape& sh) {
  if (sh.nkeys == 0 || sh.nkeys > 2 || std::popcount(sh.gv & 15u) > 1 || !DirectInputs(in, sh)) return false;
  if (out.co2_t.data || out.ch4_t.data || out.n2o_t.data || out.co2e_t.data) return false;
  for (std::size_t kk = 0; kk < sh.nkeys; ++kk) {
    const Column& k = in.keys[kk];
    if (!IsInteger(k.type) || !Contiguous(k, k.type, DTypeSize(k.type))) return false;
  }
  return true;
}

std::optional<DirectTable> MakeDirectTable(const Input& in, const Output& out, const Shape& sh,
                                           const std::vector<uint8_t>& used, const TupleTable& table,
                                           bool dense_groups) {
  std::size_t value = 3;  // CO2e per record, or the check of a group call that sums no value
  if (HasDirectLayout(in, out, sh)) {
    value = 3;
  } else if (dense_groups && HasDirectGroupLayout(in, out, sh)) {
    if ((sh.gv & 15u) != 0) value = static_cast<std::size_t>(std::countr_zero(sh.gv & 15u));
  } else {
    return std::nullopt;
  }
  const std::size_t pairs = sh.nc * sh.nu;
  if (pairs >= (std::size_t{1} << 16)) return std::nullopt;  // the counts must stay small beside the records
  DirectTable d;
  d.nc = sh.nc;
  d.nu = sh.nu;
  d.stride = pairs + 1;
  d.isa = internal::KernelIsa();
  d.per_unit.assign(pairs + 1, std::numeric_limits<double>::quiet_NaN());  // the spare last entry: a bad code
  for (std::size_t p = 0; p < pairs; ++p) {
    // Pairs that occur (the tuple code of a carrier-and-unit layout is the pair) and are valid tuples.
    if (!used[p]) continue;
    const auto t = static_cast<std::size_t>(table.index[p]);
    if (table.error[t] == kValid) d.per_unit[p] = table.per_unit[4 * t + value];
  }
  return d;
}

bool DirectBlock(const DirectTable& d, const Input& in, std::size_t lo, std::size_t b, double* out, uint64_t* counts) {
  uint32_t idx[kBlock];
  if (!PairIndicesOf(d, in, lo, b, idx)) return false;
  if (!Values<false>(d, idx, static_cast<const double*>(in.quantity.data) + lo, b, out)) return false;
  CountPairs(idx, b, counts, counts + d.stride);
  return true;
}

bool DirectGroupBlock(const DirectTable& d, const Input& in, const DirectGroups& to, std::size_t lo, std::size_t b,
                      uint64_t* counts) {
  uint32_t idx[kBlock], g[kBlock];
  double v[kBlock];
  if (!PairIndicesOf(d, in, lo, b, idx)) return false;
  if (!Values<true>(d, idx, static_cast<const double*>(in.quantity.data) + lo, b, v)) return false;
  GroupIndices(in, to, lo, b, g);
  if (to.split) {  // this part's records only, in record order (branch-free: kept when own)
    std::size_t m = 0;
    uint64_t* const c0 = counts;
    for (std::size_t j = 0; j < b; ++j) {
      const bool own = g[j] - to.own_lo < to.own_width;
      c0[idx[j]] += own;
      g[m] = g[j];
      v[m] = v[j];
      m += own;
    }
    b = m;
  } else {
    CountPairs(idx, b, counts, counts + d.stride);
  }
  if (to.sums != nullptr) {
    to.counts != nullptr ? AddGroups<true, true>(g, v, b, to) : AddGroups<true, false>(g, v, b, to);
  } else {
    to.counts != nullptr ? AddGroups<false, true>(g, v, b, to) : AddGroups<false, false>(g, v, b, to);
  }
  return true;
}

}  // namespace cmrv::batch::detail
