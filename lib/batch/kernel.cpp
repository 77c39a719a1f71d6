// The batch engine's kernel (engine.hpp): Compute checks the arguments, resolves the tuples and builds
// the group index (columns.cpp, tuples.cpp, groups.cpp), then runs the main pass over the records in
// fixed segments and combines the segments in order, so that the bits do not depend on the thread
// count. The main pass stays one function: its block loops share per-segment buffers, and the fused
// and general paths must apply the same checks in the same order.
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>

#include <gsl/narrow>

#include "absl/container/flat_hash_map.h"
#include "batch/engine.hpp"
#include "carbonmrv/units/units.hpp"
#include "internal/fast_div.hpp"
#include "internal/scratch.hpp"

namespace cmrv::batch {

using namespace detail;  // NOLINT(google-build-using-namespace): the engine's own internals

std::atomic<uint64_t>& detail::DirectBlocksForTesting() {
  static std::atomic<uint64_t> blocks{0};
  return blocks;
}

namespace {

// Appends value `slot` of each listed group's row (rows of `nvals` sums; group `rows[j]`, j < m) to `d`,
// and returns whether any is not finite (NaN too). Its own function, a chunk at a time through a buffer
// on the stack, so that the loop's state stays in registers: appended one by one inside Compute, the
// flag, the bound and the row width were read from and written to the stack for every group, a chain of
// stores that made the copy half of the read-out (2.4·10⁶ groups, docs/performance.md).
bool AppendSums(const double* total, std::size_t nvals, std::size_t slot, const uint32_t* rows, std::size_t m,
                ResultColumn<double>& d) {
  constexpr double kMax = std::numeric_limits<double>::max();
  constexpr std::size_t kChunk = 1024;
  double buf[kChunk];
  uint64_t bad = 0;
  for (std::size_t j0 = 0; j0 < m; j0 += kChunk) {
    const std::size_t c = std::min(kChunk, m - j0);
    const uint32_t* const r = rows + j0;
    for (std::size_t j = 0; j < c; ++j) {
      const double x = total[std::size_t{r[j]} * nvals + slot];
      bad |= static_cast<uint64_t>(!(std::abs(x) <= kMax));
      buf[j] = x;
    }
    d.insert(d.end(), buf, buf + c);
  }
  return bad != 0;
}

}  // namespace

// About 420 lines: the main pass's fused and general block loops share per-segment buffers and must
// apply the same record checks in the same order, and the combine reads the same buffers; split into
// functions they would pass a dozen buffers each and lose inlining in the -O3 loops. The phases before
// them are in columns.cpp, tuples.cpp and groups.cpp.
absl::StatusOr<Result> Compute(const Input& in, const FactorCatalogue& catalogue, const Options& o, const Output& out) {
  const Bad bad;
  const std::size_t n = in.size;
  auto shape = CheckArguments(in, o, out);
  if (!shape.ok()) return shape.status();
  const std::size_t nc = shape->nc, nu = shape->nu, nk = shape->nk, nr = shape->nr, nys = shape->nys;
  const std::size_t nkeys = shape->nkeys;
  const unsigned threads = shape->threads, gv = shape->gv;
  const double of_max = shape->of_max;
  const bool any_measured = shape->any_measured;
  const Measured* measured[kParamCount] = {&in.ncv, &in.carbon_content, &in.oxidation};
  // A large call of a direct layout skips the pre-pass over the codes (a fifth of a per-record call):
  // every (carrier, unit) pair is resolved (cached per catalogue after the first call), and the pairs
  // that occur are taken from the direct pass's counts and the blocks it hands back, so that the report
  // lists the same tuples as after a pre-pass. A group call still reads its keys' ranges first.
  const bool direct_first = n >= kDirectFirstRecords && shape->tuple_space <= kDirectFirstPairs &&
                            (HasDirectLayout(in, out, *shape) || HasDirectGroupLayout(in, out, *shape));
  CodeScan scan = direct_first && nkeys == 0 ? CodeScan{std::vector<uint8_t>(shape->tuple_space + 1, 1), {}, {}}
                                             : ScanCodes(in, *shape, /*pairs=*/!direct_first);
  Result result;
  Report& report = result.report;
  TupleTable table = ResolveTuples(in, catalogue, o, *shape, scan.used);
  const std::vector<int32_t>& tuple_index = table.index;
  std::vector<Tuple>& tuples = table.tuples;
  const std::vector<double>& per_unit = table.per_unit;
  const std::vector<double>& scale = table.scale;
  const std::vector<uint8_t>& tuple_error = table.error;
  auto groups = BuildGroups(in, *shape, std::move(scan.kmin), std::move(scan.kmax));
  if (!groups.ok()) return groups.status();
  // Per-record CO2e, or one value by dense groups, from two contiguous code columns: the direct passes
  // (direct.cpp), block by block.
  const std::optional<DirectTable> direct =
      MakeDirectTable(in, out, *shape, scan.used, table, nkeys > 0 && !groups->sparse);
  std::atomic<bool> direct_handed_back{false};  // a block went to the general loop (it checks overflow)
  scan.used = {};
  const std::vector<std::size_t>& span = groups->span;
  const std::size_t G = groups->count;
  const bool sparse = groups->sparse;
  const std::vector<uint32_t>& sparse_gid = groups->sparse_gid;
  const std::vector<std::vector<int64_t>>& sparse_keys = groups->sparse_keys;
  const std::vector<int64_t>& kmin = groups->kmin;
  // ---- Main pass (parallel): record checks, per-record values, per-segment group sums -----------
  std::array<std::size_t, 4> value_slot{};  // value v → its index in a group row, or npos
  std::size_t nvals = 0;
  for (std::size_t v = 0; v < 4; ++v) value_slot[v] = (gv >> v) & 1u ? nvals++ : std::string::npos;
  const bool want_counts = (gv & kRecords) != 0;
  // Which groups have a valid record, without a store per record where a sum already says it: group
  // sums start at −0.0 and every record adds its value + 0.0, which is never −0.0 (IEEE 754: x + 0.0 is
  // −0.0 only for x = −0.0, and a sum of values that are not −0.0 is never −0.0), so a sum is −0.0
  // exactly when no record reached it. Values that are summed anyway keep their bits: −0.0 + c = c and
  // c + 0.0 = c for every other c. Without values the counts say it; with neither, a byte per group.
  const bool occupancy_bytes = nvals == 0 && !want_counts;
  // Bytes per group and segment: the values, the optional count, the occupancy byte.
  const std::size_t group_bytes =
      nvals * sizeof(double) + (want_counts ? sizeof(uint64_t) : 0) + (occupancy_bytes ? 1 : 0);
  const Segments seg = Segment(n, nkeys > 0 ? G * group_bytes : 0);
  const bool large_table = G * group_bytes > kCachedTableBytes;       // the fused loop's two passes (below)
  const bool prefetch_table = G * group_bytes > kPrefetchTableBytes;  // the direct pass's requests (engine.hpp)
  // Every segment's group table in one pooled block (internal/scratch.hpp: a fresh page costs more
  // than the records that fill it): sums, then counts, then occupancy bytes, each segment-major.
  const std::size_t table_groups = nkeys > 0 ? G : 0;
  internal::ScratchBlock tables(seg.count * table_groups * group_bytes);
  double* const all_sums = tables.as<double>();
  uint64_t* const all_counts = reinterpret_cast<uint64_t*>(all_sums + seg.count * table_groups * nvals);
  uint8_t* const all_occupied = reinterpret_cast<uint8_t*>(all_counts + (want_counts ? seg.count * table_groups : 0));
  struct SegmentState {
    double* sums = nullptr;
    uint64_t* counts = nullptr;
    uint8_t* occupied = nullptr;  // only when neither sums nor counts say it (occupancy_bytes)
    std::vector<uint64_t> tuple_records;
    std::array<std::size_t, kKindCount> errors{};
    std::array<std::vector<std::size_t>, kKindCount> rows;
    // An invalid record: counted by kind, its row kept among the first `keep`.
    void Invalid(uint8_t kind, std::size_t row, std::size_t keep) {
      ++errors[kind];
      if (rows[kind].size() < keep) rows[kind].push_back(row);
    }
    std::array<std::size_t, kParamCount> defaults{};
    std::vector<std::size_t> unit_hits;  // tuple × parameter of each parameter_unit record (rare)
    std::vector<uint8_t> pairs_seen;     // direct_first: the code pairs of this segment's records
  };
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const OutColumn* outs[4] = {&out.co2_t, &out.ch4_t, &out.n2o_t, &out.co2e_t};
  const bool per_record_out = out.co2_t.data || out.ch4_t.data || out.n2o_t.data || out.co2e_t.data;
  const bool fused = !in.kind.codes.present() && !in.region.codes.present() && !in.year.present() && !any_measured &&
                     nvals <= 1 && !sparse && (nkeys == 1 || nkeys == 2) && !per_record_out;
  // Records that step through the first key with the second fixed (a month's records for every
  // enterprise, then the next month's, grouped by (enterprise, month)) would stride through a large
  // table by the second key's span, a new cache line per record: the main pass then lays the table out
  // with the second key's digit first, so that they add into neighbouring sums (1 thread, 10⁷ records
  // into 2.4·10⁶ groups: 52–59 → 45–47 ms from Python, docs/performance.md). Each group still receives
  // its records in record order, so the sums' bits do not depend on the layout; the groups are read out
  // in key order.
  const bool second_key_first = large_table && !sparse && nkeys == 2 && SecondKeyFirst(in, n, span, kmin);
  Input swapped_keys;  // filled only when swapped: a small call copies nothing
  std::vector<std::size_t> swapped_span;
  std::vector<int64_t> swapped_kmin;
  if (second_key_first) {
    swapped_keys = in;
    std::swap(swapped_keys.keys[0], swapped_keys.keys[1]);
    swapped_span = {span[1], span[0]};
    swapped_kmin = {kmin[1], kmin[0]};
  }
  // The main pass's keys, ranges and minima, in table order.
  const Input& pass_in = second_key_first ? swapped_keys : in;
  const std::vector<std::size_t>& pass_span = second_key_first ? swapped_span : span;
  const std::vector<int64_t>& pass_kmin = second_key_first ? swapped_kmin : kmin;
  // A table too large for a copy per segment (one segment: Segment in engine.hpp) splits its groups
  // instead of its records: part p reads every record's keys (the rest of a block only when one of its
  // records is the part's, direct_loops.hpp) and adds those whose group is in its p-th of the table,
  // into the one table, in record order, and reports only those records. Each group's additions
  // are those of one thread in the same order, so the bits do not depend on the thread count; the
  // second core takes half of the adds, which are the cache misses (docs/performance.md).
  const std::size_t parts =
      fused && large_table && seg.count == 1 && n >= 2 * kMinSegment ? std::min<std::size_t>(threads, kMaxSegments) : 1;
  const bool split = parts > 1;
  std::vector<SegmentState> state(split ? parts : seg.count);
  // The common per-record job (carrier and unit codes, a quantity, CO2e or other gases out, no groups):
  // one loop from the codes to the outputs.
  const bool fused_records = !in.kind.codes.present() && !in.region.codes.present() && !in.year.present() &&
                             !any_measured && nkeys == 0 && per_record_out;
  // Progress: workers count records done; the calling thread (task 0 of ForEachThread) reports about
  // every 0.1 s and carries a cancellation back to every worker, which stop at their next block.
  std::atomic<uint64_t> done{0};
  std::atomic<bool> cancelled{false};
  auto last_report = std::chrono::steady_clock::now();
  auto tick = [&](std::size_t tid, std::size_t b) {
    done.fetch_add(b, std::memory_order_relaxed);
    if (tid != 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_report < std::chrono::milliseconds(100)) return;
    last_report = now;
    if (!o.progress(done.load(std::memory_order_relaxed), n)) cancelled.store(true, std::memory_order_relaxed);
  };
  const bool reporting = static_cast<bool>(o.progress);
  constexpr std::size_t kProgressRecords = 64 * kBlock;
  auto run = [&]() {
    ForEachThread(threads, state.size(), [&](std::size_t tid, std::size_t stride) {
      CodeBlock codes;
      std::size_t unreported = 0;  // records done by this worker since its last tick
      std::vector<int64_t> key(kBlock), key2(kBlock);
      std::vector<std::size_t> slot(kBlock), g(kBlock, 0);
      std::vector<uint8_t> ek(kBlock);
      std::vector<double> q(kBlock);
      std::array<std::vector<double>, kParamCount> mbuf, mult;
      std::array<const double*, kParamCount> mv{};
      std::array<std::vector<double>, 4> val;
      for (auto& v : val) v.resize(kBlock);
      std::vector<uint64_t> pair_counts(direct ? 2 * direct->stride : 0);
      uint64_t direct_blocks = 0;  // blocks the direct passes took (DirectBlocksForTesting)
      for (std::size_t p = 0; p < kParamCount; ++p) {
        mbuf[p].resize(kBlock);
        mult[p].resize(kBlock);
      }
      for (std::size_t s = tid; s < state.size(); s += stride) {
        SegmentState& st = state[s];
        st = SegmentState{};
        double* part = nullptr;
        uint64_t* cnt = nullptr;
        uint8_t* occ = nullptr;
        // This segment's groups: all of them, or a split part's share of the one table.
        const std::size_t glo = split ? G * s / parts : 0, ghi = split ? G * (s + 1) / parts : G;
        if (nkeys > 0) {
          const std::size_t own_table = split ? 0 : s;
          st.sums = all_sums + own_table * G * nvals;
          std::fill(st.sums + glo * nvals, st.sums + ghi * nvals, -0.0);
          if (want_counts) {
            st.counts = all_counts + own_table * G;
            std::fill(st.counts + glo, st.counts + ghi, uint64_t{0});
          }
          if (occupancy_bytes) {
            st.occupied = all_occupied + own_table * G;
            std::fill(st.occupied + glo, st.occupied + ghi, uint8_t{0});
          }
          part = st.sums;
          cnt = st.counts;
          occ = st.occupied;
        }
        st.tuple_records.assign(tuples.size(), 0);
        if (direct_first) st.pairs_seen.assign(shape->tuple_space + 1, 0);
        uint64_t* const trec = st.tuple_records.data();
        const std::size_t seg_lo = split ? 0 : seg.lo(s, n), seg_hi = split ? n : seg.hi(s, n);
        const bool counts_progress = !split || s == 0;  // every split part reads every record
        DirectGroups direct_groups;                     // where this segment's direct group blocks add
        if (direct && nkeys > 0) {
          direct_groups = {.sums = nvals == 1 ? part : nullptr,
                           .counts = cnt,
                           .occupied = occ,
                           .span = pass_span.data(),
                           .kmin = pass_kmin.data(),
                           .nkeys = nkeys,
                           .own_lo = static_cast<uint32_t>(glo),  // G < 2^31 (BuildGroups)
                           .own_width = static_cast<uint32_t>(ghi - glo),
                           .split = split,
                           .prefetch = prefetch_table};
        }
        for (std::size_t lo = seg_lo; lo < seg_hi; lo += kBlock) {
          const std::size_t b = std::min(kBlock, seg_hi - lo);
          if (reporting) {
            if (cancelled.load(std::memory_order_relaxed)) break;
            unreported += counts_progress ? b : 0;
            if (unreported >= kProgressRecords) {  // the shared counter is touched once per 64 blocks
              tick(tid, unreported);
              unreported = 0;
            }
          }
          if (direct) {
            if (nkeys == 0 ? DirectBlock(*direct, in, lo, b, out.co2e_t.data + lo, pair_counts.data())
                           : DirectGroupBlock(*direct, pass_in, direct_groups, lo, b, pair_counts.data())) {
              ++direct_blocks;
              continue;
            }
            direct_handed_back.store(true, std::memory_order_relaxed);
          }
          // A block of a direct_first call that the direct pass did not take marks its own pairs (sparse
          // groups have no direct pass at all).
          if (direct_first) MarkPairsDirect(in, lo, b, nc, nu, st.pairs_seen.data());
          codes.Load(in, lo, b);
          const double* const qv = LoadDouble(in.quantity, lo, b, q.data());
          if (fused) {
            // The common aggregate (carrier and unit codes, a quantity, one or two dense keys, one value
            // or none): checks, tuple, group index and sums in one loop, no per-record arrays. The
            // layout is a template argument, and everything the loop reads is a local: a store through a
            // byte pointer may alias anything, so values reached through the closures would be reloaded
            // after every store.
            LoadInt(pass_in.keys[0], lo, b, key.data());
            if (nkeys == 2) LoadInt(pass_in.keys[1], lo, b, key2.data());
            auto fused_block = [&]<bool kTwo, bool kCounts, bool kValue, bool kSplit>() {
              const int64_t *const cp = codes.c.data(), *const up = codes.u.data();
              const int64_t *const k0 = key.data(), *const k1 = key2.data();
              const int64_t mn0 = pass_kmin[0], mn1 = kTwo ? pass_kmin[1] : 0;
              const std::size_t sp1 = kTwo ? pass_span[1] : 1;
              const int32_t* const ti = tuple_index.data();
              const uint8_t* const te = tuple_error.data();
              const std::size_t vi = kValue ? static_cast<std::size_t>(std::countr_zero(gv & 15u)) : 0;
              const double* const pu = per_unit.data() + vi;
              const uint64_t NC = nc, NU = nu;
              double* const sums = part;
              uint64_t *const counts = cnt, *const tuple_records = trec;
              uint8_t* const occupied = occ;
              std::size_t* const gb = g.data();
              double* const vb = val[0].data();
              // A table larger than the cache misses on most adds in random key order, and the misses
              // overlap only as far as the out-of-order window reaches. With the whole record's work
              // in one loop it held about three records (2.4·10⁶ groups in random order: ~28 ns a
              // record, one miss at a time); a second loop of adds alone holds dozens. In key order
              // the adds hit the cache anyway and the second loop is pure overhead (~10 %). So a
              // large table takes two passes per block unless the block's first records go to groups
              // near each other (within a page of sums of the previous record's). Either way each
              // group's additions happen in record order, so the bits do not depend on the choice.
              auto group_of = [&](std::size_t j) {
                std::size_t gg = static_cast<std::size_t>(Offset(k0[j], mn0));
                if constexpr (kTwo) gg = gg * sp1 + static_cast<std::size_t>(Offset(k1[j], mn1));
                return gg;
              };
              // Whether group gg is this part's (always, unless split); one comparison.
              const std::size_t own_lo = glo, own_width = ghi - glo;
              auto owned = [&](std::size_t gg) { return !kSplit || gg - own_lo < own_width; };
              bool two_pass = false;
              if (large_table) {
                const std::size_t sample = std::min<std::size_t>(b, 64);
                std::size_t near = 0;
                for (std::size_t j = 1; j < sample; ++j) {
                  near += group_of(j) - group_of(j - 1) + kNearGroups < 2 * kNearGroups;  // |Δ| < kNearGroups
                }
                two_pass = 2 * near < sample;
              }
              // Each valid record's group, value and whether it is this part's, in record order; bad
              // records go to the report (of the part that owns their group).
              auto each_valid = [&](auto&& use) {
                for (std::size_t j = 0; j < b; ++j) {
                  const double qq = qv[j];
                  const auto [t, x] = CarrierUnitTuple(cp[j], up[j], qq, NC, NU, ti, te);
                  if (x != kValid) [[unlikely]] {
                    if (owned(group_of(j))) st.Invalid(x, lo + j, o.report_rows);
                    continue;
                  }
                  const std::size_t gg = group_of(j);
                  const bool own = owned(gg);
                  tuple_records[t] += own;
                  use(gg, qq * pu[4 * t] + 0.0, own);  // + 0.0: the occupancy rule
                }
              };
              auto add = [&](std::size_t gg, double v) {
                if constexpr (kValue) sums[gg] += v;
                if constexpr (kCounts) ++counts[gg];
                if constexpr (!kValue && !kCounts) occupied[gg] = 1;
              };
              if (!two_pass) {
                each_valid([&](std::size_t gg, double v, bool own) {
                  if (own) add(gg, v);  // split: groups near each other are mostly one part's
                });
              } else {
                std::size_t m = 0;
                each_valid([&](std::size_t gg, double v, bool own) {  // branch-free: kept when own
                  gb[m] = gg;
                  if constexpr (kValue) vb[m] = v;
                  m += own;
                });
                for (std::size_t j = 0; j < m; ++j) add(gb[j], kValue ? vb[j] : 0.0);
              }
            };
            const bool two = nkeys == 2, value = nvals == 1;
            auto layout = [&]<bool kSplit>() {
              if (two) {
                if (want_counts) {
                  value ? fused_block.template operator()<true, true, true, kSplit>()
                        : fused_block.template operator()<true, true, false, kSplit>();
                } else {
                  value ? fused_block.template operator()<true, false, true, kSplit>()
                        : fused_block.template operator()<true, false, false, kSplit>();
                }
              } else {
                if (want_counts) {
                  value ? fused_block.template operator()<false, true, true, kSplit>()
                        : fused_block.template operator()<false, true, false, kSplit>();
                } else {
                  value ? fused_block.template operator()<false, false, true, kSplit>()
                        : fused_block.template operator()<false, false, false, kSplit>();
                }
              }
            };
            split ? layout.template operator()<true>() : layout.template operator()<false>();
            continue;
          }
          if (fused_records) {
            const int64_t *const cp = codes.c.data(), *const up = codes.u.data();
            const int32_t* const ti = tuple_index.data();
            const uint8_t* const te = tuple_error.data();
            const double* const pu = per_unit.data();
            const uint64_t NC = nc, NU = nu;
            uint64_t* const tuple_records = trec;
            std::array<char*, 4> dst{};
            std::array<std::size_t, 4> step{};
            for (std::size_t v = 0; v < 4; ++v) {
              if (outs[v]->data == nullptr) continue;
              step[v] = outs[v]->stride;
              dst[v] = reinterpret_cast<char*>(outs[v]->data) + lo * step[v];
            }
            // CO2e alone into a contiguous column, the usual ask: a plain store per record.
            double* const co2e = dst[0] == nullptr && dst[1] == nullptr && dst[2] == nullptr &&
                                         step[3] == sizeof(double) &&
                                         reinterpret_cast<std::uintptr_t>(dst[3]) % alignof(double) == 0
                                     ? reinterpret_cast<double*>(dst[3])
                                     : nullptr;
            for (std::size_t j = 0; j < b; ++j) {
              const double qq = qv[j];
              const auto [t, x] = CarrierUnitTuple(cp[j], up[j], qq, NC, NU, ti, te);
              if (x != kValid) [[unlikely]] {
                st.Invalid(x, lo + j, o.report_rows);
                for (std::size_t v = 0; v < 4; ++v) {
                  if (dst[v] != nullptr) std::memcpy(dst[v] + j * step[v], &kNaN, sizeof kNaN);
                }
                continue;
              }
              ++tuple_records[t];
              if (co2e != nullptr) {
                co2e[j] = qq * pu[4 * t + 3];
                continue;
              }
              for (std::size_t v = 0; v < 4; ++v) {
                if (dst[v] == nullptr) continue;
                const double value = qq * pu[4 * t + v];
                std::memcpy(dst[v] + j * step[v], &value, sizeof value);
              }
            }
            continue;
          }
          uint8_t* const e = ek.data();
          std::size_t* const sp = slot.data();
          {  // record checks and the tuple of each record (locals only: see the pre-pass)
            const int64_t *const cp = codes.c.data(), *const up = codes.u.data(), *const kp = codes.k.data(),
                                 *const rp = codes.r.data(), *const yp = codes.y.data();
            const int32_t* const ti = tuple_index.data();
            const uint8_t* const te = tuple_error.data();
            const uint64_t NC = nc, NU = nu, NK = nk, NR = nr, NYS = nys;
            const uint64_t SU = NR * NYS, SC = NU * SU, SK = NC * SC;  // strides of the tuple code
            const bool has_year = in.year.present();
            const bool simple = !has_year && !in.kind.codes.present() && !in.region.codes.present();
            // Branch-free for the common case; the error kind is worked out only for a bad record.
            // Unused tuple slots point at tuple 0, so `t` is always a valid index.
            if (simple) {  // carrier and unit only: one multiply per record
              for (std::size_t j = 0; j < b; ++j) {
                const auto [t, x] = CarrierUnitTuple(cp[j], up[j], qv[j], NC, NU, ti, te);
                e[j] = x;
                sp[j] = t;
              }
            } else {
              for (std::size_t j = 0; j < b; ++j) {
                const auto cc = static_cast<uint64_t>(cp[j]), uu = static_cast<uint64_t>(up[j]),
                           kk = static_cast<uint64_t>(kp[j]), rr = static_cast<uint64_t>(rp[j]);
                const uint64_t ys = has_year ? Offset(yp[j], kYearFirst) : 0;
                const double qq = qv[j];
                const bool ok =
                    (cc < NC) & (uu < NU) & (kk < NK) & (rr < NR) & (ys < NYS) & std::isfinite(qq) & (qq >= 0);
                const auto t = static_cast<std::size_t>(ti[ok ? kk * SK + cc * SC + uu * SU + rr * NYS + ys : 0]);
                e[j] = ok ? te[t] : BadRecordKind((cc < NC) & (uu < NU) & (kk < NK) & (rr < NR), qq);
                sp[j] = t;
              }
            }
          }
          for (std::size_t p = 0; p < kParamCount; ++p) {
            if (!measured[p]->values.present()) continue;
            mv[p] = LoadDouble(measured[p]->values, lo, b, mbuf[p].data());
            const double* const m = mv[p];
            const double* const sc = scale.data();
            const double limit = p == kOf ? of_max : std::numeric_limits<double>::infinity();
            for (std::size_t j = 0; j < b; ++j) {
              const double v = m[j];
              // NaN: not measured (the default applies). Otherwise finite, > 0 and, for a fraction, ≤ 1;
              // and the tuple's method must have the term it replaces.
              if (e[j] != kValid || std::isnan(v)) continue;
              if (!std::isfinite(v) || v <= 0 || v > limit) {
                e[j] = kBadParameter;
                sp[j] = 0;
              } else if (sc[kParamCount * sp[j] + p] == 0) {
                const bool unit = !tuples[sp[j]].unit_mismatch[p].empty();
                if (unit) st.unit_hits.push_back(kParamCount * sp[j] + p);
                e[j] = unit ? kParameterUnit : kNotApplicable;
                sp[j] = 0;
              }
            }
          }
          for (std::size_t j = 0; j < b; ++j) {
            if (e[j] == kValid) continue;
            st.Invalid(e[j], lo + j, o.report_rows);
          }
          if (nkeys > 0) {  // group index of each record
            std::size_t* const gp = g.data();
            if (sparse) {
              for (std::size_t j = 0; j < b; ++j) gp[j] = sparse_gid[lo + j];
            } else {
              const int64_t* const keyp = key.data();
              std::fill(gp, gp + b, 0);
              for (std::size_t kk = 0; kk < nkeys; ++kk) {
                LoadInt(pass_in.keys[kk], lo, b, key.data());
                const int64_t mn = pass_kmin[kk];
                const std::size_t spn = pass_span[kk];
                for (std::size_t j = 0; j < b; ++j) gp[j] = gp[j] * spn + static_cast<std::size_t>(Offset(keyp[j], mn));
              }
            }
          }
          const double* const pu = per_unit.data();
          // Fast path (no measured columns, at most one group value): one fused loop per block.
          if (!any_measured && nvals <= 1) {
            for (std::size_t v = 0; v < 4; ++v) {
              if (!outs[v]->data) continue;
              const std::size_t step = outs[v]->stride;
              char* dst = reinterpret_cast<char*>(outs[v]->data) + lo * step;
              for (std::size_t j = 0; j < b; ++j, dst += step) {
                const double x = e[j] == kValid ? qv[j] * pu[4 * sp[j] + v] : kNaN;
                std::memcpy(dst, &x, sizeof x);
              }
            }
            const std::size_t vi = nvals == 1 ? static_cast<std::size_t>(std::countr_zero(gv & 15u)) : 0;
            const std::size_t* const gp = g.data();
            for (std::size_t j = 0; j < b; ++j) {
              if (e[j] != kValid) continue;
              const std::size_t t = sp[j];
              ++trec[t];
              if (nkeys == 0) continue;
              const std::size_t gg = gp[j];
              if (occupancy_bytes) occ[gg] = 1;
              if (want_counts) ++cnt[gg];
              if (nvals == 1) part[gg] += qv[j] * pu[4 * t + vi] + 0.0;  // + 0.0: the occupancy rule
            }
            continue;
          }
          // General path: values per record (q × tonnes per unit × measured/default ratios), then
          // outputs and group rows.
          for (std::size_t p = 0; p < kParamCount; ++p) {
            std::fill(mult[p].begin(), mult[p].begin() + static_cast<std::ptrdiff_t>(b), 1.0);
            if (!measured[p]->values.present()) continue;
            for (std::size_t j = 0; j < b; ++j) {
              if (e[j] != kValid) continue;
              if (std::isnan(mv[p][j])) {
                st.defaults[p] += tuples[sp[j]].has_term[p];  // the missing-data rule: the default applies
              } else {
                mult[p][j] = mv[p][j] * scale[kParamCount * sp[j] + p];
              }
            }
          }
          for (std::size_t j = 0; j < b; ++j) {
            const Tuple& t = tuples[sp[j]];
            if (mult[kNcv][j] == 1.0 && mult[kCc][j] == 1.0 && mult[kOf][j] == 1.0) {
              for (std::size_t v = 0; v < 4; ++v) val[v][j] = qv[j] * t.per_unit[v];  // as without columns
              continue;
            }
            double co2e = qv[j] * t.co2e_only;
            for (std::size_t gas = 0; gas < 3; ++gas) {
              double x = qv[j] * t.per_unit[gas];
              for (std::size_t p = 0; p < kParamCount; ++p) {
                if (t.uses[gas] >> p & 1u) x *= mult[p][j];
              }
              val[gas][j] = x;
              co2e += x * t.gwp[gas];
            }
            val[3][j] = co2e;
          }
          for (std::size_t v = 0; v < 4; ++v) {
            if (!outs[v]->data) continue;
            const std::size_t step = outs[v]->stride;
            char* dst = reinterpret_cast<char*>(outs[v]->data) + lo * step;
            const double* const src = val[v].data();
            for (std::size_t j = 0; j < b; ++j, dst += step) {
              const double x = e[j] == kValid ? src[j] : kNaN;
              std::memcpy(dst, &x, sizeof x);
            }
          }
          for (std::size_t j = 0; j < b; ++j) trec[sp[j]] += e[j] == kValid;
          if (nkeys == 0) continue;
          const std::size_t* const gp = g.data();
          for (std::size_t j = 0; j < b; ++j) {
            if (e[j] != kValid) continue;
            if (occupancy_bytes) occ[gp[j]] = 1;
            if (want_counts) ++cnt[gp[j]];
            double* row = part + gp[j] * nvals;
            for (std::size_t v = 0; v < 4; ++v) {
              if (value_slot[v] != std::string::npos) row[value_slot[v]] += val[v][j] + 0.0;  // occupancy rule
            }
          }
        }
        if (direct) {  // the direct blocks' records, by pair, onto their tuples (segment by segment)
          for (std::size_t p = 0; p + 1 < direct->stride; ++p) {
            const uint64_t count = pair_counts[p] + pair_counts[direct->stride + p];
            if (count == 0) continue;
            trec[tuple_index[p]] += count;
            if (direct_first) st.pairs_seen[p] = 1;
          }
          std::fill(pair_counts.begin(), pair_counts.end(), uint64_t{0});
        }
      }
      if (unreported > 0) done.fetch_add(unreported, std::memory_order_relaxed);
      DirectBlocksForTesting().fetch_add(direct_blocks, std::memory_order_relaxed);
    });
  };
  // The report of invalid records: per-segment counts and first rows, merged in segment order.
  auto collect = [&]() {
    std::size_t invalid = 0;
    for (std::size_t x = 1; x < kKindCount; ++x) {
      std::size_t count = 0;
      std::vector<std::size_t> rows;
      for (const auto& st : state) {
        count += st.errors[x];
        rows.insert(rows.end(), st.rows[x].begin(), st.rows[x].end());
      }
      if (count == 0) continue;
      // Each segment kept its first rows; the first of all are among them (split parts interleave).
      std::sort(rows.begin(), rows.end());
      if (rows.size() > o.report_rows) rows.resize(o.report_rows);
      report.counts[kKindNames[x]] = count;
      report.first_rows[kKindNames[x]] = std::move(rows);
      invalid += count;
    }
    report.skipped = invalid;
    report.valid = n - invalid;
    for (const auto& st : state) {
      for (std::size_t hit : st.unit_hits) {
        const Tuple& t = tuples[hit / kParamCount];
        report.pair_errors[TupleKey(t.factor)] = t.unit_mismatch[hit % kParamCount];
      }
    }
  };
  auto rejection = [&]() {
    std::string msg = StrCat(report.skipped, " invalid record(s); nothing computed:");
    for (const auto& [k, v] : report.counts) {
      std::vector<std::string> rows;
      for (auto row : report.first_rows[k]) rows.push_back(std::to_string(row));
      msg += StrCat("\n", k, ": ", v, " record(s), first rows ", internal::StrJoin(rows, ", "));
    }
    for (const auto& [pair, why] : report.pair_errors) msg += StrCat("\n", pair, ": ", why);
    return bad(msg);
  };
  // A call that fails (cancelled, rejected, overflowing) leaves no partial per-record output: NaN.
  auto discard_outputs = [&]() {
    for (const OutColumn* c : outs) {
      if (c->data == nullptr) continue;
      char* p = reinterpret_cast<char*>(c->data);
      for (std::size_t i = 0; i < n; ++i, p += c->stride) std::memcpy(p, &kNaN, sizeof kNaN);
    }
  };
  run();
  if (reporting && !cancelled.load() && !o.progress(n, n)) cancelled.store(true);
  if (cancelled.load()) {
    discard_outputs();
    return MakeError(absl::StatusCode::kCancelled, ErrorDetail::kNone,
                     StrCat("batch: cancelled by the progress callback after ", done.load(), " of ", n,
                            " records; nothing computed"));
  }
  // The tuples that occur (every resolved one, unless the direct pass found them), with their records.
  std::vector<uint8_t> occurs(tuples.size(), direct_first ? 0 : 1);
  for (std::size_t code = 0; direct_first && code < shape->tuple_space; ++code) {
    for (const auto& st : state) occurs[static_cast<std::size_t>(tuple_index[code])] |= st.pairs_seen[code];
  }
  for (std::size_t t = 0; t < tuples.size(); ++t) {
    for (const auto& st : state) tuples[t].factor.records += st.tuple_records[t];
  }
  ReportTuples(table, occurs, report);
  collect();
  if (report.skipped > 0 && o.policy == Policy::kReject) {
    // Nothing partial survives a rejected batch: the per-record outputs become NaN (one pass instead of
    // a separate checking pass on every call), the group sums are dropped.
    discard_outputs();
    return rejection();
  }
  // A product or sum beyond the largest double is an error, never an OK result holding inf (the
  // document engine refuses the same record). Nothing partial survives it either.
  auto overflow = [&](const std::string& where) {
    discard_outputs();
    return MakeError(absl::StatusCode::kOutOfRange, ErrorDetail::kOverflow,
                     StrCat(where, " exceeds the largest double (about 1.8e308 t); check the quantities' units"));
  };
  // With group keys every valid record is in a group whose sum is checked below (values are ≥ 0, so
  // an infinite record makes its group infinite): the per-record pass is needed only without keys.
  // The direct pass checked its own blocks' products; only blocks it handed back need the scan.
  const bool direct_checked = direct && !direct_handed_back.load();
  for (const OutColumn* c : outs) {
    if (c->data == nullptr || nkeys > 0 || direct_checked) continue;
    const char* p = reinterpret_cast<const char*>(c->data);
    for (std::size_t i = 0; i < n; ++i, p += c->stride) {
      double v;
      std::memcpy(&v, p, sizeof v);
      if (std::isinf(v)) return overflow(StrCat("the emission of record ", i));
    }
  }
  // ---- Combine segments in segment order (parallel over groups: each group's order is fixed) -----
  for (std::size_t p = 0; p < kParamCount; ++p) {
    std::size_t d = 0;
    for (const auto& st : state) d += st.defaults[p];
    if (measured[p]->values.present() && d > 0) report.defaults_used[ParamName(p)] = d;
  }
  if (nkeys > 0) {
    // Segments 1… are added into segment 0's table, in segment order (−0.0 + s = s: the same bits as
    // a sum started from −0.0).
    double* const total = state[0].sums;
    uint64_t* const total_count = state[0].counts;
    uint8_t* const total_occ = state[0].occupied;
    // One segment (fewer than 2 × kMinSegment records) or a split one table: nothing to add, and no
    // thread to start (starting one cost more than a 10⁴-record call).
    const std::size_t chunks =
        state.size() < 2 || split ? 0 : std::max<std::size_t>(1, std::min<std::size_t>(threads, G / 4096));
    ForEachThread(threads, chunks, [&](std::size_t tid, std::size_t stride) {
      for (std::size_t ch = tid; ch < chunks; ch += stride) {
        const std::size_t glo = G * ch / chunks, ghi = G * (ch + 1) / chunks;
        for (std::size_t sg = 1; sg < state.size(); ++sg) {
          const SegmentState& st = state[sg];
          for (std::size_t x = glo * nvals; x < ghi * nvals; ++x) total[x] += st.sums[x];
          if (want_counts) {
            for (std::size_t x = glo; x < ghi; ++x) total_count[x] += st.counts[x];
          }
          if (occupancy_bytes) {
            for (std::size_t x = glo; x < ghi; ++x) total_occ[x] |= st.occupied[x];
          }
        }
      }
    });
    // The occupied groups, in key order, then each output column filled from that list (no per-group
    // push_back: at 10^4 groups the extraction was 60 % of a call). The columns are new memory that
    // the caller keeps (Python takes them without a copy), so they cannot be pooled; they are advised
    // huge pages as numpy advises its arrays: 2.4·10⁶ groups return 3 × 19 MB, ~14 000 fresh 4 KiB
    // pages at ~11 µs each on the reference VM (internal/scratch.hpp).
    // One pass, branch-free, into a list with room for every group (pooled memory, as the tables; the
    // spare slot takes the write one past the last): a small call into a large key space spends its
    // time here, not on its records.
    // `at` holds each occupied group's index in key order (its keys' mixed-radix digits), `in_table` its
    // index in the table, which differs only when the main pass put the second key first.
    internal::ScratchBlock at_block((G + 1) * sizeof(uint32_t));
    internal::ScratchBlock in_table_block(second_key_first ? (G + 1) * sizeof(uint32_t) : 0);
    uint32_t* const at = at_block.as<uint32_t>();
    uint32_t* const in_table = second_key_first ? in_table_block.as<uint32_t>() : at;
    Groups& gr = result.groups;
    ResultColumn<double>* dst[4] = {&gr.co2_t, &gr.ch4_t, &gr.n2o_t, &gr.co2e_t};
    // Each chunk of groups in key order is listed, then its sums are appended while the chunk's rows are
    // still in cache: the table is read once (listing all groups first and copying after read the 19 MB
    // of sums of 2.4·10⁶ groups twice, docs/performance.md). A group is occupied only if a record reached
    // it, so min(G, n) is room enough for the columns.
    for (std::size_t v = 0; v < 4; ++v) {
      if (value_slot[v] == std::string::npos) continue;
      dst[v]->clear();
      dst[v]->reserve(std::min(G, n));
    }
    std::size_t m = 0;
    bool any_bad = false;  // a sum that is not finite (every value's sums)
    auto append_sums = [&](std::size_t m0) {
      for (std::size_t v = 0; v < 4; ++v) {
        if (value_slot[v] == std::string::npos) continue;
        any_bad |= AppendSums(total, nvals, value_slot[v], in_table + m0, m - m0, *dst[v]);
      }
    };
    constexpr std::size_t kReadChunk = 1024;   // groups per chunk: their rows stay in L1
    auto find_occupied = [&](auto occupied) {  // one loop per occupancy test
      if (!second_key_first) {
        for (std::size_t x0 = 0; x0 < G; x0 += kReadChunk) {
          const std::size_t m0 = m, x1 = std::min(G, x0 + kReadChunk);
          for (std::size_t x = x0; x < x1; ++x) {
            at[m] = static_cast<uint32_t>(x);  // G < 2^32 (BuildGroups)
            m += static_cast<std::size_t>(occupied(x));
          }
          append_sums(m0);
        }
        return;
      }
      // Group (d0, d1): x = d0·span1 + d1 in key order, t = d1·span0 + d0 in the table; a chunk is whole
      // rows of d0 (span1 ≤ 4 096: SecondKeyFirst).
      const std::size_t span0 = span[0], span1 = span[1];
      const std::size_t rows = std::max<std::size_t>(1, kReadChunk / span1);
      for (std::size_t r0 = 0, x = 0; r0 < span0; r0 += rows) {
        const std::size_t m0 = m, r1 = std::min(span0, r0 + rows);
        for (std::size_t d0 = r0; d0 < r1; ++d0) {
          for (std::size_t d1 = 0; d1 < span1; ++d1, ++x) {
            const std::size_t t = d1 * span0 + d0;
            at[m] = static_cast<uint32_t>(x);
            in_table[m] = static_cast<uint32_t>(t);
            m += static_cast<std::size_t>(occupied(t));
          }
        }
        append_sums(m0);
      }
    };
    if (nvals > 0) {
      // A sum that is still −0.0 was reached by no record. Compared as bits: one integer test.
      find_occupied([&](std::size_t t) {
        uint64_t bits;
        std::memcpy(&bits, total + t * nvals, sizeof bits);
        return bits != uint64_t{1} << 63;
      });
    } else if (want_counts) {  // without sums, the count or the byte says it
      find_occupied([&](std::size_t t) { return total_count[t] > 0; });
    } else {
      find_occupied([&](std::size_t t) { return total_occ[t] != 0; });
    }
    gr.count = m;
    // The first group whose sum is not finite, looked for only when there is one.
    std::size_t first_bad = m;
    for (std::size_t v = 0; any_bad && v < 4; ++v) {
      if (value_slot[v] == std::string::npos) continue;
      const ResultColumn<double>& d = *dst[v];
      for (std::size_t j = 0; j < first_bad; ++j) {
        if (!std::isfinite(d[j])) first_bad = j;
      }
    }
    if (first_bad < m) return overflow(StrCat("the sum of group ", first_bad));
    if (want_counts) {
      gr.records.assign(m, 0);
      for (std::size_t j = 0; j < m; ++j) gr.records[j] = total_count[in_table[j]];
    }
    // The keys as values per group, or as levels and codes (GroupKeys::kLevelsCodes).
    const bool as_codes = out.group_keys == GroupKeys::kLevelsCodes;
    gr.keys.clear();
    gr.levels.assign(as_codes ? nkeys : 0, {});
    gr.codes.assign(as_codes ? nkeys : 0, {});
    if (sparse) {
      for (std::size_t kk = 0; kk < nkeys; ++kk) {
        ResultColumn<int64_t> values(m, 0);
        for (std::size_t j = 0; j < m; ++j) values[j] = sparse_keys[kk][at[j]];
        if (as_codes) {
          Factorize(values.data(), m, /*sorted=*/kk == 0, gr.levels[kk], gr.codes[kk]);
        } else {
          gr.keys.push_back(std::move(values));
        }
      }
    } else {
      // Group x's keys are its mixed-radix digits, most significant first: with q_k = ⌊x / stride_k⌋
      // (stride_k the product of the spans after k), digit_k = q_k − span_k·q_(k−1). x and stride_k are
      // below 2^31 (the dense limit), so each quotient is one multiplication (internal/fast_div.hpp)
      // instead of a division. The quotients are kept a chunk of groups at a time, on the stack: fresh
      // pages cost more than the arithmetic. As codes, a key's digit is its code once the digits no
      // occupied group has are taken out (seen: a byte per digit).
      std::vector<internal::FastDiv32> by_stride;  // per key: ⌊x / stride_k⌋
      for (std::size_t kk = 0, stride = G; kk < nkeys; ++kk) {
        stride /= span[kk];
        by_stride.emplace_back(gsl::narrow<uint32_t>(stride));
      }
      // Every group occupied (m == G, the usual dense table): group j's digits count through the key
      // ranges in order, the last key fastest, so they are written row by row with no division; every
      // digit occurs, so codes are digits. Otherwise each group's digits come from its index.
      const bool every_group = m == G;
      std::vector<std::vector<uint8_t>> seen(as_codes && !every_group ? nkeys : 0);
      for (std::size_t kk = 0; kk < nkeys; ++kk) {
        if (as_codes) {
          gr.codes[kk].assign(m, 0);
          if (!every_group) seen[kk].assign(span[kk], 0);
        } else {
          gr.keys.emplace_back(m, 0);
        }
      }
      if (every_group) {
        // Key k's digit at group j is ⌊j / stride_k⌋ mod span_k: a column is one period (each digit
        // stride_k times) repeated. The period is written once and copied in doubling runs. Written row by
        // row of the last key, a last key of span 1 (10⁴ enterprises in one month) cost a loop turn per
        // group and key: 0.06 ms of a 0.4 ms call (docs/performance.md, session 19).
        auto write_column = [m](auto* column, std::size_t stride, std::size_t digits, auto value_of) {
          for (std::size_t d = 0; d < digits; ++d) std::fill_n(column + d * stride, stride, value_of(d));
          for (std::size_t len = stride * digits; len < m; len *= 2)
            std::copy_n(column, std::min(len, m - len), column + len);
        };
        for (std::size_t kk = nkeys, stride = 1; kk-- > 0; stride *= span[kk]) {  // m is a multiple of each period
          if (as_codes) {
            write_column(gr.codes[kk].data(), stride, span[kk], [](std::size_t d) { return static_cast<int32_t>(d); });
          } else {
            const auto base = static_cast<uint64_t>(kmin[kk]);
            write_column(gr.keys[kk].data(), stride, span[kk],
                         [base](std::size_t d) { return static_cast<int64_t>(base + d); });
          }
        }
      } else {
        constexpr std::size_t kChunk = 1024;
        uint32_t quotients[2][kChunk];
        for (std::size_t j0 = 0; j0 < m; j0 += kChunk) {
          const std::size_t c = std::min(kChunk, m - j0);
          uint32_t* q_outer = quotients[0];  // q_(k−1): 0 before the first key
          uint32_t* q = quotients[1];
          std::fill(q_outer, q_outer + c, uint32_t{0});
          for (std::size_t kk = 0; kk < nkeys; ++kk) {
            const internal::FastDiv32 div = by_stride[kk];
            const auto sp = static_cast<uint32_t>(span[kk]);
            if (as_codes) {
              int32_t* const out_codes = gr.codes[kk].data() + j0;
              uint8_t* const seen_k = seen[kk].data();
              for (std::size_t j = 0; j < c; ++j) {
                const uint32_t quotient = div(at[j0 + j]);
                q[j] = quotient;
                const uint32_t digit = quotient - sp * q_outer[j];
                out_codes[j] = static_cast<int32_t>(digit);  // < span < 2^31
                seen_k[digit] = 1;
              }
            } else {
              const auto base = static_cast<uint64_t>(kmin[kk]);
              int64_t* const out_keys = gr.keys[kk].data() + j0;
              for (std::size_t j = 0; j < c; ++j) {
                const uint32_t quotient = div(at[j0 + j]);
                q[j] = quotient;
                out_keys[j] = static_cast<int64_t>(uint64_t{quotient - sp * q_outer[j]} + base);
              }
            }
            std::swap(q, q_outer);
          }
        }
      }
      for (std::size_t kk = 0; kk < nkeys && as_codes; ++kk) {
        // The levels are the digits some group has, plus the key's minimum; a digit's code is its rank
        // among them, which is the digit itself when every digit occurs (a dense table's usual case).
        const auto base = static_cast<uint64_t>(kmin[kk]);
        ResultColumn<int64_t>& levels = gr.levels[kk];
        if (every_group) {
          levels.resize(span[kk]);
          for (std::size_t d = 0; d < span[kk]; ++d) levels[d] = static_cast<int64_t>(base + d);
          continue;
        }
        std::vector<int32_t> rank(span[kk], 0);
        int32_t next = 0;
        for (std::size_t d = 0; d < span[kk]; ++d) {
          if (!seen[kk][d]) continue;
          rank[d] = next++;
          levels.push_back(static_cast<int64_t>(base + d));
        }
        if (static_cast<std::size_t>(next) == span[kk]) continue;
        for (int32_t& code : gr.codes[kk]) code = rank[static_cast<std::size_t>(code)];
      }
    }
  }
  return result;
}

}  // namespace cmrv::batch
