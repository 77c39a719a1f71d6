// The batch engine's group index (engine.hpp): dense mixed-radix over the key ranges, or a sorted hash
// of sparse keys.
#include <array>
#include <cstdlib>

#include <gsl/narrow>
#include "absl/container/flat_hash_map.h"
#include "batch/engine.hpp"

namespace cmrv::batch::detail {

absl::StatusOr<GroupIndex> BuildGroups(const Input& in, const Shape& sh, std::vector<int64_t> kmin,
                                       std::vector<int64_t> kmax) {
  const Bad bad;
  const std::size_t n = sh.n, nkeys = sh.nkeys;
  // ---- Groups: dense mixed-radix index over the key ranges, or a sorted hash of sparse keys ------
  std::vector<std::size_t> span(nkeys, 1);
  std::size_t G = 0;
  std::vector<uint32_t> sparse_gid;  // per record, when the key space is sparse
  std::vector<std::vector<int64_t>> sparse_keys;
  bool sparse = false;
  if (nkeys > 0) {
    long double total = 1;
    for (std::size_t kk = 0; kk < nkeys; ++kk) {
      if (kmin[kk] > kmax[kk]) kmin[kk] = kmax[kk] = 0;  // no records
      const long double sp = static_cast<long double>(kmax[kk]) - static_cast<long double>(kmin[kk]) + 1;
      total *= sp;
      span[kk] = sp > 1.8e19L ? 0 : static_cast<std::size_t>(sp);
    }
    const long double dense_limit = static_cast<long double>(std::max<std::size_t>(2 * n, std::size_t{1} << 20));
    if (total <= dense_limit && total < 2147483647.0L) {
      G = static_cast<std::size_t>(total);
    } else if (total < 1.8e19L) {
      // Sparse keys: one sequential pass maps each combined key to a group in first-seen order, then
      // groups are renumbered in key order (deterministic, independent of threads). Groups without a
      // valid record are dropped with the occupancy bitmap like any other.
      sparse = true;
      absl::flat_hash_map<uint64_t, uint32_t> ids;
      std::vector<uint64_t> combined_of;
      sparse_gid.assign(n, 0);
      std::vector<int64_t> key(kBlock);
      std::vector<uint64_t> comb(kBlock);
      for (std::size_t lo = 0; lo < n; lo += kBlock) {
        const std::size_t b = std::min(kBlock, n - lo);
        std::fill(comb.begin(), comb.begin() + static_cast<std::ptrdiff_t>(b), 0);
        for (std::size_t kk = 0; kk < nkeys; ++kk) {
          LoadInt(in.keys[kk], lo, b, key.data());
          for (std::size_t j = 0; j < b; ++j) comb[j] = comb[j] * span[kk] + Offset(key[j], kmin[kk]);
        }
        for (std::size_t j = 0; j < b; ++j) {
          auto [it, added] = ids.try_emplace(comb[j], gsl::narrow<uint32_t>(combined_of.size()));
          if (added) {
            if (combined_of.size() >= std::numeric_limits<uint32_t>::max()) return bad("more than 2^32 groups");
            combined_of.push_back(comb[j]);
          }
          sparse_gid[lo + j] = it->second;
        }
      }
      std::vector<uint32_t> order(combined_of.size());
      for (std::size_t g = 0; g < order.size(); ++g) order[g] = static_cast<uint32_t>(g);
      std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return combined_of[a] < combined_of[b]; });
      std::vector<uint32_t> rank(order.size());
      for (std::size_t g = 0; g < order.size(); ++g) rank[order[g]] = static_cast<uint32_t>(g);
      for (std::size_t i = 0; i < n; ++i) sparse_gid[i] = rank[sparse_gid[i]];
      G = order.size();
      sparse_keys.assign(nkeys, std::vector<int64_t>(order.size()));
      for (std::size_t g = 0; g < order.size(); ++g) {
        uint64_t v = combined_of[order[g]];
        for (std::size_t kk = nkeys; kk-- > 0;) {
          sparse_keys[kk][g] = static_cast<int64_t>(v % span[kk] + static_cast<uint64_t>(kmin[kk]));
          v /= span[kk];
        }
      }
    } else {
      return bad("the group keys span more than 2^64 combinations; combine them into one code column first");
    }
  }
  return GroupIndex{std::move(span), G, sparse, std::move(sparse_gid), std::move(sparse_keys), std::move(kmin),
                    std::move(kmax)};
}

void Factorize(const int64_t* k, std::size_t n, bool sorted, ResultColumn<int64_t>& levels,
               ResultColumn<int32_t>& codes) {
  levels.clear();
  codes.assign(n, 0);
  if (n == 0) return;
  if (sorted) {
    // Branch-free: a value is written at every step and kept where the column changes (a branch on
    // the change was mispredicted on a fifth of a random key column's groups).
    levels.resize(n);
    std::size_t m = 1;
    levels[0] = k[0];
    for (std::size_t i = 1; i < n; ++i) {
      levels[m] = k[i];
      m += k[i] != k[i - 1];
      codes[i] = static_cast<int32_t>(m - 1);  // fewer than 2^31 groups (BuildGroups)
    }
    levels.resize(m);
    return;
  }
  int64_t lo = k[0], hi = k[0];
  for (std::size_t i = 1; i < n; ++i) {  // two selects a value (std::minmax_element branches)
    lo = k[i] < lo ? k[i] : lo;
    hi = k[i] > hi ? k[i] : hi;
  }
  // The span in unsigned arithmetic: keys may cover the whole int64 range. A small one takes a rank
  // table over the range; a wide one a sort.
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span <= 4 * uint64_t{n} + 4096) {
    std::vector<int32_t> rank(static_cast<std::size_t>(span) + 1, -1);
    for (std::size_t i = 0; i < n; ++i) rank[static_cast<std::size_t>(Offset(k[i], lo))] = 0;
    for (std::size_t v = 0; v < rank.size(); ++v) {
      if (rank[v] < 0) continue;
      rank[v] = static_cast<int32_t>(levels.size());
      levels.push_back(static_cast<int64_t>(static_cast<uint64_t>(lo) + v));
    }
    for (std::size_t i = 0; i < n; ++i) codes[i] = rank[static_cast<std::size_t>(Offset(k[i], lo))];
    return;
  }
  levels.assign(k, k + n);
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  for (std::size_t i = 0; i < n; ++i) {
    codes[i] = static_cast<int32_t>(std::lower_bound(levels.begin(), levels.end(), k[i]) - levels.begin());
  }
}

bool SecondKeyFirst(const Input& in, std::size_t n, const std::vector<std::size_t>& span,
                    const std::vector<int64_t>& kmin) {
  // A step between consecutive records is "near" when it stays within 8 sums (a cache line) of the
  // previous record's. Random order is near in neither layout and keeps the usual one; records in key
  // order are near in the usual one.
  constexpr std::size_t kSample = 64, kWindows = 4;
  constexpr int64_t kNear = 8;
  // The groups are read out in key order, walking the table's second-key-first rows side by side: one
  // cache line per second-key digit at a time, which stays in a core's cache up to 4 096 digits (256 kB);
  // beyond, each first-key digit would read the whole table again.
  constexpr std::size_t kMaxSecondSpan = 4096;
  if (span[1] > kMaxSecondSpan) return false;
  const auto span0 = static_cast<int64_t>(span[0]), span1 = static_cast<int64_t>(span[1]);  // < 2^31 (dense)
  std::array<int64_t, kSample> k0{}, k1{};
  std::size_t steps = 0, near_usual = 0, near_second_first = 0;
  for (std::size_t w = 0; w < kWindows; ++w) {
    const std::size_t lo = n * w / kWindows, b = std::min(kSample, n - lo);
    if (b < 2) continue;
    LoadInt(in.keys[0], lo, b, k0.data());
    LoadInt(in.keys[1], lo, b, k1.data());
    for (std::size_t j = 1; j < b; ++j) {
      // Digit differences: every key lies in its range, so each is below 2^31 in magnitude.
      const auto d0 = static_cast<int64_t>(Offset(k0[j], kmin[0]) - Offset(k0[j - 1], kmin[0]));
      const auto d1 = static_cast<int64_t>(Offset(k1[j], kmin[1]) - Offset(k1[j - 1], kmin[1]));
      near_usual += std::abs(d0 * span1 + d1) < kNear;
      near_second_first += std::abs(d1 * span0 + d0) < kNear;
      ++steps;
    }
  }
  return 2 * near_second_first > steps && near_second_first > 2 * near_usual;
}

}  // namespace cmrv::batch::detail
