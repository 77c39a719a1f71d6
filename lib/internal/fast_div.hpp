// Division of 32-bit unsigned integers by a divisor fixed for a whole loop, as one 64×64→128-bit
// multiplication: Lemire, Kaser and Kurz, "Faster remainder by direct computation: applications to
// compilers and software libraries", Software: Practice and Experience 49(6), 2019, Theorem 1 with
// N = 32 and F = 64: for 0 ≤ n < 2^32 and 1 < d < 2^32, ⌊n/d⌋ = ⌊c·n / 2^64⌋ with c = ⌊(2^64 − 1)/d⌋ + 1.
// A scalar `divsd` (or 64-bit `div`) costs 4–20 cycles of throughput; the two multiplications below
// cost about two.
// d = 1 would need c = 2^64 and is the identity instead.
#pragma once

#include <cstdint>

namespace cmrv::internal {

class FastDiv32 {
 public:
  explicit FastDiv32(uint32_t d) : one_(d == 1), c_(d > 1 ? UINT64_MAX / d + 1 : 0) {}
  uint32_t operator()(uint32_t n) const {
    if (one_) return n;
    // The high 64 bits of c·n without a 128-bit type: with c = h·2^32 + l, c·n = h·n·2^32 + l·n, and
    // h·n + ⌊l·n / 2^32⌋ ≤ (2^32 − 1)² + 2^32 − 1 < 2^64 does not overflow.
    const uint64_t h = c_ >> 32, l = c_ & 0xFFFF'FFFFu;
    return static_cast<uint32_t>((h * n + ((l * n) >> 32)) >> 32);
  }

 private:
  bool one_;
  uint64_t c_;
};

}  // namespace cmrv::internal
