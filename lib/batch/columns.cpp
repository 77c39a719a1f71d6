// The batch engine's argument checks (engine.hpp): every column and option, before any record is read.
#include <string>

#include "batch/engine.hpp"
#include "carbonmrv/units/units.hpp"

namespace cmrv::batch::detail {

absl::StatusOr<Shape> CheckArguments(const Input& in, const Options& o, const Output& out) {
  const Bad bad;
  const std::size_t n = in.size;
  // ---- Arguments -------------------------------------------------------------------------------
  // A column's stride 0 is a broadcast scalar (every record reads element 0); an output needs a
  // stride of at least one double.
  for (const OutColumn* c : {&out.co2_t, &out.ch4_t, &out.n2o_t, &out.co2e_t}) {
    if (c->data != nullptr && c->stride < sizeof(double)) {
      return bad(StrCat("an output column has stride ", c->stride, "; outputs need at least 8 bytes"));
    }
  }
  for (auto st :
       {CheckColumn(in.carrier.codes, "carrier", true, true, n), CheckColumn(in.unit.codes, "unit", true, true, n),
        CheckColumn(in.quantity, "quantity", false, true, n), CheckColumn(in.kind.codes, "kind", true, false, n),
        CheckColumn(in.region.codes, "region", true, false, n), CheckColumn(in.year, "year", true, false, n),
        CheckColumn(in.ncv.values, "ncv", false, false, n),
        CheckColumn(in.carbon_content.values, "carbon_content", false, false, n),
        CheckColumn(in.oxidation.values, "oxidation", false, false, n)}) {
    if (!st.ok()) return st;
  }
  for (const auto& [dict, name] : {std::pair{&in.carrier.values, "carrier"}, std::pair{&in.unit.values, "unit"},
                                   std::pair{&in.kind.values, "kind"}, std::pair{&in.region.values, "region"}}) {
    for (std::size_t i = 0; i < dict->size(); ++i) {
      if (!internal::ValidUtf8((*dict)[i])) return bad(StrCat(name, " values[", i, "] is not valid UTF-8"));
    }
  }
  for (std::size_t k = 0; k < in.keys.size(); ++k) {
    if (!in.keys[k].present()) return bad(StrCat("keys[", k, "] has no data"));
    if (auto st = CheckColumn(in.keys[k], StrCat("keys[", k, "]").c_str(), true, true, n); !st.ok()) return st;
  }
  if (!in.year.present() && (o.year < 1990 || o.year > 2100)) {
    return bad(StrCat("year ", o.year, " is not a reporting year (1990-2100); set it or give a year column"));
  }
  const Measured* measured[kParamCount] = {&in.ncv, &in.carbon_content, &in.oxidation};
  for (std::size_t p = 0; p < kParamCount; ++p) {
    if (!measured[p]->values.present()) continue;
    if (auto u = Unit::Parse(measured[p]->unit); !u.ok()) {
      return bad(StrCat(ParamName(p), " unit \"", measured[p]->unit, "\": ", u.status().message()));
    }
  }
  // An oxidation factor is a fraction: at most 1 (100 %) in its column's unit.
  double of_max = std::numeric_limits<double>::infinity();
  if (in.oxidation.values.present()) {
    auto f = Convert(1.0, in.oxidation.unit, "1");
    if (!f.ok()) return bad(StrCat("oxidation unit \"", in.oxidation.unit, "\" is not a fraction (1 or %)"));
    of_max = 1.0 / *f;
  }
  const bool any_measured =
      in.ncv.values.present() || in.carbon_content.values.present() || in.oxidation.values.present();
  const std::size_t nc = in.carrier.values.size(), nu = in.unit.values.size();
  const std::size_t nk = in.kind.codes.present() ? in.kind.values.size() : 1;
  const std::size_t nr = in.region.codes.present() ? in.region.values.size() : 1;
  const unsigned threads = o.threads != 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t nkeys = in.keys.size();
  const unsigned gv = nkeys > 0 ? (out.group_values & kAllValues) : 0u;
  const std::size_t pair_space = nk * nc * nu * nr;
  const std::size_t nys = in.year.present() ? static_cast<std::size_t>(kYearCount) : 1;
  if (pair_space > kMaxTupleSpace / nys) {
    return bad(StrCat("kind × carrier × unit × region", in.year.present() ? " × year" : "", " dictionaries span ",
                      pair_space * nys, " combinations (more than 2^22); drop unused categories"));
  }
  const std::size_t tuple_space = pair_space * nys;
  Shape s;
  s.n = n;
  s.nc = nc;
  s.nu = nu;
  s.nk = nk;
  s.nr = nr;
  s.nys = nys;
  s.tuple_space = tuple_space;
  s.nkeys = nkeys;
  s.threads = threads;
  s.gv = gv;
  s.of_max = of_max;
  s.any_measured = any_measured;
  return s;
}

}  // namespace cmrv::batch::detail
