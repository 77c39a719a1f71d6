// A seeded, portable random generator for draws that must be reproducible everywhere (auction tie
// order, bootstrap): SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014; the constants of Vigna's reference implementation). std::shuffle and the
// standard distributions are implementation-defined, so the same seed could give another order on
// another standard library; these functions are defined here, bit for bit.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace cmrv::internal {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n) without modulo bias (Lemire's rejection on the top bits is not needed for the
  /// small n here; plain rejection sampling keeps it exact).
  uint64_t Below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x = Next();
    while (x >= limit) x = Next();
    return x % n;
  }

 private:
  uint64_t state_;
};

/// Fisher–Yates shuffle of v[first, last) (Knuth, TAOCP vol. 2, Algorithm P), drawing from `rng`.
template <typename T>
void Shuffle(std::vector<T>& v, std::size_t first, std::size_t last, SplitMix64& rng) {
  for (std::size_t i = last - first; i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng.Below(i));
    std::swap(v[first + i - 1], v[first + j]);
  }
}

}  // namespace cmrv::internal
