// Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel random
// numbers: as easy as 1, 2, 3" (SC'11), as Random123 defines it. A counter-based generator makes draw d
// of input k a pure function of (seed, k, d): any thread may compute any draw, so Monte Carlo results
// are bit-identical for any thread count and any work order. The known-answer vectors of Random123's
// tests/kat_vectors are checked in tests/cpp/test_monte_carlo.cpp.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace cmrv::internal {

using PhiloxBlock = std::array<uint32_t, 4>;

// One round of Philox4x32 on a counter held as four words, under the round's key.
inline void PhiloxRound(uint32_t& c0, uint32_t& c1, uint32_t& c2, uint32_t& c3, std::array<uint32_t, 2> k) {
  constexpr uint64_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;  // round multipliers
  const uint64_t p0 = kM0 * c0, p1 = kM1 * c2;
  const auto n0 = static_cast<uint32_t>(p1 >> 32) ^ c1 ^ k[0];
  const auto n2 = static_cast<uint32_t>(p0 >> 32) ^ c3 ^ k[1];
  c0 = n0;
  c1 = static_cast<uint32_t>(p1);
  c2 = n2;
  c3 = static_cast<uint32_t>(p0);
}

// The key of round `round` (0–9): Weyl increments of the seed key (golden ratio, √3 − 1).
inline std::array<uint32_t, 2> PhiloxRoundKey(std::array<uint32_t, 2> k, int round) {
  constexpr uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
  const auto r = static_cast<uint32_t>(round);
  return {k[0] + r * kW0, k[1] + r * kW1};  // modulo 2^32, as the repeated additions
}

/// One Philox4x32 block: 10 rounds of the counter `c` under the key `k`.
inline PhiloxBlock Philox4x32(PhiloxBlock c, std::array<uint32_t, 2> k) {
  for (int round = 0; round < 10; ++round) PhiloxRound(c[0], c[1], c[2], c[3], PhiloxRoundKey(k, round));
  return c;
}

/// The same rounds on n counters at once, the four words in separate arrays (in place): the loop
/// over the counters has no dependencies, so the compiler vectorises it. Equal to Philox4x32 on each
/// counter (checked against it in tests/cpp/test_monte_carlo.cpp).
inline void Philox4x32Columns(uint32_t* c0, uint32_t* c1, uint32_t* c2, uint32_t* c3, std::size_t n,
                              std::array<uint32_t, 2> k) {
  for (int round = 0; round < 10; ++round) {
    const auto rk = PhiloxRoundKey(k, round);
    for (std::size_t j = 0; j < n; ++j) PhiloxRound(c0[j], c1[j], c2[j], c3[j], rk);
  }
}

/// A double in (0, 1) from 32 + 32 random bits: 53 bits, offset by half a step so that neither 0 nor 1
/// occurs (the logarithms and inverse CDFs of the draws stay finite).
inline double UnitOpen(uint32_t hi, uint32_t lo) {
  const uint64_t bits = ((static_cast<uint64_t>(hi) << 32) | lo) >> 11;
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
}

}  // namespace cmrv::internal
