// The batch engine's direct per-record pass (engine.hpp): CO2e per record straight from two contiguous
// code columns, the layout of a pandas frame with categorical carrier and unit. The general loops widen
// every code to int64 a block at a time and look up a tuple and then its error per record; here one
// table per code pair holds the CO2e per unit (NaN where the pair is not a valid tuple), so that a
// record is a multiply by a table entry and a check folded into one flag per block. A block with any
// record that is not plainly valid is handed back to the general loop, which reports it exactly as
// before: the direct pass changes the speed, never the result.
#include "batch/engine.hpp"

namespace cmrv::batch::detail {

namespace {

bool Contiguous(const Column& c, DType type, std::size_t size) {
  return c.present() && c.type == type && c.stride == size &&
         reinterpret_cast<std::uintptr_t>(c.data) % size == 0;  // aligned: read as T*
}

// One block of records with codes of type T. Two count arrays, alternate records: consecutive records
// of the same pair (data sorted by fuel) would otherwise wait on each other's increment.
template <typename C, typename U>
bool BlockAs(const DirectTable& d, const C* c, const U* u, const double* q, std::size_t b, double* out,
             uint64_t* counts) {
  constexpr double kMax = std::numeric_limits<double>::max();
  const uint64_t nc = d.nc, nu = d.nu, spare = d.nc * d.nu;
  const double* const k = d.co2e.data();
  uint64_t *const c0 = counts, *const c1 = counts + d.stride;
  // Indices first (their own loop, vectorised: widen, compare, multiply-add), then the products.
  uint32_t idx[kBlock];
  for (std::size_t j = 0; j < b; ++j) {
    const auto cc = static_cast<uint64_t>(static_cast<int64_t>(c[j]));  // −1 (missing) wraps: out of range
    const auto uu = static_cast<uint64_t>(static_cast<int64_t>(u[j]));
    idx[j] = static_cast<uint32_t>(((cc < nc) & (uu < nu)) ? cc * nu + uu : spare);
  }
  bool bad = false;
  std::size_t j = 0;
  for (; j + 1 < b; j += 2) {
    const double v0 = q[j] * k[idx[j]], v1 = q[j + 1] * k[idx[j + 1]];
    out[j] = v0;
    out[j + 1] = v1;
    // A NaN entry (a code out of range or a pair that is not a valid tuple) or a NaN quantity makes the
    // product NaN and fails `<=`; so does an infinite quantity or product. A negative quantity fails
    // `>= 0` (its product may be finite).
    const double a0 = std::abs(v0), a1 = std::abs(v1);
    bad |= !(q[j] >= 0) | !(a0 <= kMax) | !(q[j + 1] >= 0) | !(a1 <= kMax);
    ++c0[idx[j]];
    ++c1[idx[j + 1]];
  }
  for (; j < b; ++j) {
    const double v = q[j] * k[idx[j]];
    out[j] = v;
    const double a = std::abs(v);
    bad |= !(q[j] >= 0) | !(a <= kMax);
    ++c0[idx[j]];
  }
  if (!bad) return true;
  for (j = 0; j + 1 < b; j += 2) {  // handed back: this block's records are counted by the general loop
    --c0[idx[j]];
    --c1[idx[j + 1]];
  }
  if (j < b) --c0[idx[j]];
  return false;
}

}  // namespace

bool HasDirectLayout(const Input& in, const Output& out, const Shape& sh) {
  const Column& c = in.carrier.codes;
  const Column& u = in.unit.codes;
  return sh.nkeys == 0 && !sh.any_measured && !in.kind.codes.present() && !in.region.codes.present() &&
         !in.year.present() && out.co2_t.data == nullptr && out.ch4_t.data == nullptr && out.n2o_t.data == nullptr &&
         out.co2e_t.data != nullptr && out.co2e_t.stride == sizeof(double) &&
         reinterpret_cast<std::uintptr_t>(out.co2e_t.data) % alignof(double) == 0 &&
         Contiguous(in.quantity, DType::kFloat64, sizeof(double)) && DTypeSize(c.type) <= 2 && DTypeSize(u.type) <= 2 &&
         Contiguous(c, c.type, DTypeSize(c.type)) && Contiguous(u, u.type, DTypeSize(u.type));
}

std::optional<DirectTable> MakeDirectTable(const Input& in, const Output& out, const Shape& sh,
                                           const std::vector<uint8_t>& used, const TupleTable& table) {
  if (!HasDirectLayout(in, out, sh)) return std::nullopt;
  const std::size_t pairs = sh.nc * sh.nu;
  if (pairs >= (std::size_t{1} << 16)) return std::nullopt;  // the counts must stay small beside the records
  DirectTable d;
  d.nc = sh.nc;
  d.nu = sh.nu;
  d.stride = pairs + 1;
  d.co2e.assign(pairs + 1, std::numeric_limits<double>::quiet_NaN());  // the spare last entry: a bad code
  for (std::size_t p = 0; p < pairs; ++p) {
    // Pairs that occur (the tuple code of a carrier-and-unit layout is the pair) and are valid tuples.
    if (!used[p]) continue;
    const auto t = static_cast<std::size_t>(table.index[p]);
    if (table.error[t] == kValid) d.co2e[p] = table.per_unit[4 * t + 3];
  }
  return d;
}

bool DirectBlock(const DirectTable& d, const Input& in, std::size_t lo, std::size_t b, double* out, uint64_t* counts) {
  const auto* q = static_cast<const double*>(in.quantity.data) + lo;
  return WithSmallCodes(in.carrier.codes, lo, [&](const auto* c) {
    return WithSmallCodes(in.unit.codes, lo, [&](const auto* u) { return BlockAs(d, c, u, q, b, out, counts); });
  });
}

}  // namespace cmrv::batch::detail
