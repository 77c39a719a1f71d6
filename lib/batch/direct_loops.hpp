// The direct passes' loops (direct.cpp), written once and compiled once per x86-64 level: direct.cpp
// includes this file in a namespace of its own for each level, under `#pragma GCC target`, so that
// every function here, lambdas and template instantiations included, is compiled for that level
// (internal/isa.hpp). On the baseline (SSE2) the 32-bit multiplies of the pair and group indices are
// emulated and the integer compares are narrow; a whole call from Python took 45 ms on v4 code's 28
// (docs/performance.md). Every level gives the same bits: integer arithmetic is exact, and a record's
// value is one multiply and one add (-ffp-contract=off), added into its group in record order.
// No include guard: this file is meant to be included more than once, and includes nothing itself.

// The table row of each record: its code pair, or the spare last entry for a code out of range. In
// 32 bits so that it vectorises (widen, compare, multiply-add): the pairs are fewer than 2^16
// (MakeDirectTable), so nc, nu and the row are small.
template <typename C, typename U>
void PairIndices(C c, U u, std::size_t b, uint64_t nc64, uint64_t nu64, uint32_t* idx) {
  const auto nc = static_cast<uint32_t>(nc64), nu = static_cast<uint32_t>(nu64), spare = nc * nu;
  for (std::size_t j = 0; j < b; ++j) {
    const auto cc = static_cast<uint32_t>(static_cast<int32_t>(c[j]));  // −1 (missing) wraps: out of range
    const auto uu = static_cast<uint32_t>(static_cast<int32_t>(u[j]));
    idx[j] = ((cc < nc) & (uu < nu)) ? cc * nu + uu : spare;
  }
}

// A column's elements at the block's selected records: element j is the pick[j]-th of the block.
template <typename E>
struct Picked {
  E e;
  const uint32_t* pick;
  auto operator[](std::size_t j) const { return e[pick[j]]; }
};

template <bool kStrided>
bool PairIndicesOf(const DirectTable& d, const Input& in, std::size_t lo, std::size_t b, uint32_t* idx) {
  return WithCodes<kStrided>(in.carrier.codes, lo, [&](auto c) {
    return WithCodes<kStrided>(in.unit.codes, lo, [&](auto u) {
      PairIndices(c, u, b, d.nc, d.nu, idx);
      return true;
    });
  });
}

// Counts records per code pair: two count arrays, alternate records, so that consecutive records of the
// same pair (data sorted by fuel) do not wait on each other's increment.
inline void CountPairs(const uint32_t* idx, std::size_t b, uint64_t* c0, uint64_t* c1) {
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
// The check is its own loop over q and v (both in L1 by then) so that it vectorises into compares OR-ed
// into a mask, where the product loop's table lookups stay scalar (GCC 12 does not gather for generic
// tuning).
// `touch(j)` runs in the product loop, which is scalar: the group pass asks there for the record's entry
// of a large group table (PrefetchGroup).
template <bool kSummed, typename Q, typename Touch>
bool Values(const double* k, const uint32_t* idx, Q q, std::size_t b, double* v, Touch touch) {
  constexpr double kMax = std::numeric_limits<double>::max();
  for (std::size_t j = 0; j < b; ++j) {
    touch(j);
    double x = q[j] * k[idx[j]];
    if constexpr (kSummed) x += 0.0;
    v[j] = x;
  }
  uint64_t bad = 0;
  for (std::size_t j = 0; j < b; ++j) {
    const double qj = q[j];  // a plain load, so that `&` (branch-free) has no call as an operand
    const bool ok = (qj >= 0) & (std::abs(v[j]) <= kMax);
    bad |= static_cast<uint64_t>(!ok);
  }
  return bad == 0;
}

// Adds the digit of one key column of type K into each record's group index: g · span + (key − min),
// in 32 bits, which is exact because every key lies in its range and the group count is below 2^31
// (BuildGroups); the subtraction wraps modulo 2^32 to the true offset for any key type.
template <bool kFirst, typename K>
void AddDigits(K k, std::size_t b, uint32_t span, uint32_t base, uint32_t* g) {
  for (std::size_t j = 0; j < b; ++j) {
    const uint32_t digit = static_cast<uint32_t>(k[j]) - base;
    g[j] = kFirst ? digit : g[j] * span + digit;
  }
}

template <bool kStrided>
void GroupIndices(const Input& in, const DirectGroups& to, std::size_t lo, std::size_t b, uint32_t* g) {
  for (std::size_t kk = 0; kk < to.nkeys; ++kk) {
    const auto span = static_cast<uint32_t>(to.span[kk]);
    const auto base = static_cast<uint32_t>(to.kmin[kk]);  // modulo 2^32, as the keys
    const Column& key = in.keys[kk];                       // ElementWise (HasDirectGroupLayout)
    ByIntType(
        key.type,
        [&](auto t) {
          const auto k = ElementsOf<decltype(t), kStrided>(key, lo);
          kk == 0 ? AddDigits<true>(k, b, span, base, g) : AddDigits<false>(k, b, span, base, g);
        },
        [] {});
  }
}

// A split part's records of the block: their positions into pick and their groups to the front of g, in
// record order (branch-free: each is written, and kept when its group is in [own_lo, own_lo + own_width));
// returns how many.
inline std::size_t PickOwn(uint32_t* g, std::size_t b, uint32_t own_lo, uint32_t own_width, uint32_t* pick) {
  std::size_t m = 0;
  for (std::size_t j = 0; j < b; ++j) {
    const uint32_t gj = g[j];
    pick[m] = static_cast<uint32_t>(j);
    g[m] = gj;
    m += static_cast<std::size_t>(gj - own_lo < own_width);
  }
  return m;
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

// Asks for each record's entry of a group table too large for the cache, from the scalar product loop of
// Values, before the adds need it. The adds alone in their loop keep as many misses in flight as the
// core allows, but the block's other loops (digits, pairs, values, check) ran with none: 10⁷ records in
// random order into 2.4·10⁶ groups took 71–74 ms with the adds waiting for the table and 49–51 ms with
// the entries asked for here (standalone loops, docs/performance.md). Asking for all of a block's
// entries in one loop before the arithmetic (session 12) stalled on the full miss queue instead. A split
// part computes only its own records, so it asks only for its own groups.
inline auto PrefetchGroup(const DirectGroups& to, const uint32_t* g) {
  const char* const base = to.sums != nullptr     ? reinterpret_cast<const char*>(to.sums)
                           : to.counts != nullptr ? reinterpret_cast<const char*>(to.counts)
                                                  : reinterpret_cast<const char*>(to.occupied);
  const unsigned shift = to.sums != nullptr || to.counts != nullptr ? 3 : 0;  // bytes per entry: 8 or 1
  return [=](std::size_t j) { __builtin_prefetch(base + (std::size_t{g[j]} << shift), 1); };
}

// Asks for the next block's records of column c ahead of its loop. The loops of a block each stream a
// column of their own, and the hardware prefetchers did not keep them fed: asking for the next block's
// quantities and keys cut a grouped call by 8–10 % (docs/performance.md). A prefetch never faults, so
// addresses past the last record are harmless; they are formed as integers, not as pointers.
inline void PrefetchNextBlock(const Column& c, std::size_t lo) {
  const std::uintptr_t next = reinterpret_cast<std::uintptr_t>(c.data) + (lo + kBlock) * c.stride;
  for (std::size_t off = 0; off < kBlock * c.stride; off += 64) {
    __builtin_prefetch(reinterpret_cast<const void*>(next + off));  // NOLINT(performance-no-int-to-ptr)
  }
}

// DirectBlock and DirectGroupBlock (engine.hpp) at this level, for packed or strided columns.
template <bool kStrided>
bool BlockOf(const DirectTable& d, const Input& in, std::size_t lo, std::size_t b, double* out, uint64_t* counts) {
  uint32_t idx[kBlock];
  if (!PairIndicesOf<kStrided>(d, in, lo, b, idx)) return false;
  if (!Values<false>(d.per_unit.data(), idx, ElementsOf<double, kStrided>(in.quantity, lo), b, out,
                     [](std::size_t) {})) {
    return false;
  }
  CountPairs(idx, b, counts, counts + d.stride);
  return true;
}

template <bool kStrided>
bool GroupBlockOf(const DirectTable& d, const Input& in, const DirectGroups& to, std::size_t lo, std::size_t b,
                  uint64_t* counts) {
  uint32_t idx[kBlock], g[kBlock];
  double v[kBlock];
  PrefetchNextBlock(in.quantity, lo);
  for (std::size_t kk = 0; kk < to.nkeys; ++kk) PrefetchNextBlock(in.keys[kk], lo);
  GroupIndices<kStrided>(in, to, lo, b, g);
  // A split part computes only its own records: it picks them (their groups move to the front of g), and
  // their pair indices (computed for the whole block, which vectorises) and quantities are read through
  // the picks. The other parts compute, add and report the rest, so a bad record hands the block back to
  // the general loop only in the part that owns it. A block with none of the part's records is done
  // unread; in key order, or monthly data put second key first, most blocks lie in one part's groups.
  // Computing every record's value in every part and dropping the others' before the adds took 37 ms for
  // two threads against 30 ms picked (docs/performance.md). A block all of whose records are the part's
  // is read in place, as one thread does.
  uint32_t pick[kBlock];
  bool picked = false;
  std::size_t own = b;
  if (to.split) {
    own = PickOwn(g, b, to.own_lo, to.own_width, pick);
    if (own == 0) return true;
    picked = own < b;
  }
  if (!PairIndicesOf<kStrided>(d, in, lo, b, idx)) return false;
  if (picked) {
    for (std::size_t j = 0; j < own; ++j) idx[j] = idx[pick[j]];  // pick[j] ≥ j, ascending: in place
  }
  b = own;
  const auto values = [&](auto q) {
    return to.prefetch ? Values<true>(d.per_unit.data(), idx, q, b, v, PrefetchGroup(to, g))
                       : Values<true>(d.per_unit.data(), idx, q, b, v, [](std::size_t) {});
  };
  const auto q = ElementsOf<double, kStrided>(in.quantity, lo);
  if (!(picked ? values(Picked<decltype(q)>{q, pick}) : values(q))) return false;
  CountPairs(idx, b, counts, counts + d.stride);
  if (to.sums != nullptr) {
    to.counts != nullptr ? AddGroups<true, true>(g, v, b, to) : AddGroups<true, false>(g, v, b, to);
  } else {
    to.counts != nullptr ? AddGroups<false, true>(g, v, b, to) : AddGroups<false, false>(g, v, b, to);
  }
  return true;
}

inline bool Block(const DirectTable& d, const Input& in, std::size_t lo, std::size_t b, double* out, uint64_t* counts) {
  return d.packed ? BlockOf<false>(d, in, lo, b, out, counts) : BlockOf<true>(d, in, lo, b, out, counts);
}

inline bool GroupBlock(const DirectTable& d, const Input& in, const DirectGroups& to, std::size_t lo, std::size_t b,
                       uint64_t* counts) {
  return d.packed ? GroupBlockOf<false>(d, in, to, lo, b, counts) : GroupBlockOf<true>(d, in, to, lo, b, counts);
}
