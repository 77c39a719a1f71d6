// The batch engine's group index (engine.hpp): dense mixed-radix over the key ranges, or a sorted hash
// of sparse keys.
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

}  // namespace cmrv::batch::detail
