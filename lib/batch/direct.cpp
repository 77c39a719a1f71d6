// The batch engine's direct passes (engine.hpp): CO2e per record, or one value summed by dense groups,
// straight from two code columns read in place: a pandas frame with categorical carrier and unit, or
// an ERP's array of record structs. The general loops widen every code and key to int64 a block at a time and look up a
// tuple and then its error per record; here one table per code pair holds the value per unit (NaN where the pair is not
// a valid tuple), so that a record is a multiply by a table entry and a check folded into one flag per block. A block
// with any record that is not plainly valid is handed back to the general loop, which reports it exactly as before: the
// direct passes change the speed, never the result.
#include "batch/engine.hpp"
#include "internal/isa.hpp"

namespace cmrv::batch::detail {

namespace {

// Whether carrier, unit and quantity have the direct layout: 8-, 16- or 32-bit codes and a float64
// quantity, each read in place (contiguous, or a field of an array of record structs: ElementWise), with
// no kind, region, year or measured column.
bool DirectInputs(const Input& in, const Shape& sh) {
  const Column& c = in.carrier.codes;
  const Column& u = in.unit.codes;
  return !sh.any_measured && !in.kind.codes.present() && !in.region.codes.present() && !in.year.present() &&
         in.quantity.type == DType::kFloat64 && ElementWise(in.quantity) && DTypeSize(c.type) <= 4 &&
         DTypeSize(u.type) <= 4 && ElementWise(c) && ElementWise(u);
}

// The loops, once per x86-64 level (direct_loops.hpp). GCC's target pragma applies to every function
// defined under it, so the lambdas and templates of the loops are compiled for the level too (a
// target attribute would reach only the functions it is written on).
#if CMRV_ISA_VARIANTS
#  pragma GCC push_options
#  pragma GCC target("arch=x86-64-v4")
namespace v4 {
#  include "batch/direct_loops.hpp"  // once per level: no include guard
}  // namespace v4
#  pragma GCC pop_options
#  pragma GCC push_options
#  pragma GCC target("arch=x86-64-v3")
namespace v3 {
#  include "batch/direct_loops.hpp"
}  // namespace v3
#  pragma GCC pop_options
#endif
namespace baseline {
#include "batch/direct_loops.hpp"
}  // namespace baseline

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
    if (!IsInteger(k.type) || !ElementWise(k)) return false;
  }
  return true;
}

std::optional<DirectTable> MakeDirectTable(const Input& in, const Output& out, const Shape& sh,
                                           const std::vector<uint8_t>& used, const TupleTable& table,
                                           bool dense_groups) {
  std::size_t value = 3;  // CO2e per record, or the check of a group call that sums no value
  if (!HasDirectLayout(in, out, sh)) {
    if (!dense_groups || !HasDirectGroupLayout(in, out, sh)) return std::nullopt;
    if ((sh.gv & 15u) != 0) value = static_cast<std::size_t>(std::countr_zero(sh.gv & 15u));
  }
  const std::size_t pairs = sh.nc * sh.nu;
  if (pairs >= (std::size_t{1} << 16)) return std::nullopt;  // the counts must stay small beside the records
  DirectTable d;
  d.nc = sh.nc;
  d.nu = sh.nu;
  d.stride = pairs + 1;
  d.isa = internal::KernelIsa();
  d.packed = Packed(in.carrier.codes) && Packed(in.unit.codes) && Packed(in.quantity);
  for (std::size_t kk = 0; kk < sh.nkeys; ++kk) d.packed = d.packed && Packed(in.keys[kk]);
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
  switch (d.isa) {
#if CMRV_ISA_VARIANTS
    case internal::Isa::kX86_64_V4: return v4::Block(d, in, lo, b, out, counts);
    case internal::Isa::kX86_64_V3: return v3::Block(d, in, lo, b, out, counts);
#endif
    default: return baseline::Block(d, in, lo, b, out, counts);
  }
}

bool DirectGroupBlock(const DirectTable& d, const Input& in, const DirectGroups& to, std::size_t lo, std::size_t b,
                      uint64_t* counts) {
  switch (d.isa) {
#if CMRV_ISA_VARIANTS
    case internal::Isa::kX86_64_V4: return v4::GroupBlock(d, in, to, lo, b, counts);
    case internal::Isa::kX86_64_V3: return v3::GroupBlock(d, in, to, lo, b, counts);
#endif
    default: return baseline::GroupBlock(d, in, to, lo, b, counts);
  }
}

}  // namespace cmrv::batch::detail
