// carbonmrv._core: the columnar batch engine (core: batch.hpp).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "carbonmrv/batch/batch.hpp"
#include "carbonmrv/batch/batch_options.hpp"
#include "progress.hpp"
#include "status.hpp"

namespace cmrv::py {
namespace {

// A 1-D numpy array as an engine column, in place (any stride, including pandas views); the caller
// keeps the array alive for the call. Only native-endian fixed-width numbers are accepted: casting is
// the Python layer's decision, made visibly.
batch::Column ColumnOf(const pybind11::handle& obj, const std::string& name, std::size_t n) {
  if (!pybind11::isinstance<pybind11::array>(obj)) Raise(absl::InvalidArgumentError(name + " is not a numpy array"));
  auto a = pybind11::reinterpret_borrow<pybind11::array>(obj);
  if (a.ndim() != 1) Raise(absl::InvalidArgumentError(name + " must be one-dimensional"));
  if (static_cast<std::size_t>(a.shape(0)) != n) {
    Raise(absl::InvalidArgumentError(name + " has " + std::to_string(a.shape(0)) + " rows, expected " +
                                     std::to_string(n)));
  }
  if (a.strides(0) < 0) Raise(absl::InvalidArgumentError(name + " has a negative stride; pass a copy"));
  const pybind11::dtype dt = a.dtype();
  const char kind = dt.kind();
  const auto size = static_cast<std::size_t>(dt.itemsize());
  if (dt.attr("isnative").cast<bool>() == false) {
    Raise(absl::InvalidArgumentError(name + " is not in native byte order"));
  }
  batch::DType t{};
  if (kind == 'i') {
    t = size == 1   ? batch::DType::kInt8
        : size == 2 ? batch::DType::kInt16
        : size == 4 ? batch::DType::kInt32
                    : batch::DType::kInt64;
  } else if (kind == 'u') {
    t = size == 1   ? batch::DType::kUInt8
        : size == 2 ? batch::DType::kUInt16
        : size == 4 ? batch::DType::kUInt32
                    : batch::DType::kUInt64;
  } else if (kind == 'f' && (size == 4 || size == 8)) {
    t = size == 4 ? batch::DType::kFloat32 : batch::DType::kFloat64;
  } else {
    Raise(absl::InvalidArgumentError(name + " has dtype " + dt.attr("str").cast<std::string>() +
                                     "; expected integers or float32/float64"));
  }
  batch::Column c;
  c.data = a.data();
  c.stride = static_cast<std::size_t>(a.strides(0));
  c.type = t;
  // Stride 0 (np.broadcast_to) means one value for every record, in the engine as in numpy.
  return c;
}

// A vector handed to numpy without a copy: the array owns it through a capsule, and a result column goes
// back to the engine's pool when the array is freed (batch::ResultAllocator). A copy would write fresh
// pages, and on this VM a fresh page costs ~11 µs (internal/scratch.hpp). The array views the vector's
// first `n` elements as `As` (codes narrowed in place by the caller). Taken by value: callers move in.
template <typename Vector, typename As = typename Vector::value_type>
pybind11::array_t<As> Handed(Vector v, std::size_t n) {
  auto* owned = new Vector(std::move(v));
  pybind11::capsule owner(owned, [](void* p) { delete static_cast<Vector*>(p); });
  return pybind11::array_t<As>(static_cast<pybind11::ssize_t>(n), reinterpret_cast<const As*>(owned->data()), owner);
}
template <typename Vector>
pybind11::array_t<typename Vector::value_type> Handed(Vector v) {
  const std::size_t n = v.size();
  return Handed(std::move(v), n);
}

// Group codes as pandas stores them: the narrowest signed type for `levels` values
// (pandas.core.dtypes.cast.coerce_indexer_dtype), so that MultiIndex keeps the array without a cast of
// its own; from 32 767 levels the engine's int32 codes are handed over as they are. Narrower codes are
// written over the front of the int32 column itself: a new array would be fresh pages (2.4·10⁶ month
// codes: 4.7 ms). In place is safe front to back: a chunk is copied out before its narrow form is
// written, and that write ends before the next chunk's bytes begin.
pybind11::array PandasCodes(batch::ResultColumn<int32_t>&& codes, std::size_t levels) {
  if (levels >= 32767) return Handed(std::move(codes));
  auto narrow = [&](auto type) {
    using C = decltype(type);
    const std::size_t n = codes.size();
    auto* const bytes = reinterpret_cast<unsigned char*>(codes.data());
    constexpr std::size_t kChunk = 256;
    int32_t wide[kChunk];
    C narrowed[kChunk];
    for (std::size_t i0 = 0; i0 < n; i0 += kChunk) {
      const std::size_t c = std::min(kChunk, n - i0);
      std::memcpy(wide, bytes + i0 * sizeof(int32_t), c * sizeof(int32_t));
      for (std::size_t i = 0; i < c; ++i) narrowed[i] = static_cast<C>(wide[i]);  // < levels: fits
      std::memcpy(bytes + i0 * sizeof(C), narrowed, c * sizeof(C));
    }
    return pybind11::array(Handed<batch::ResultColumn<int32_t>, C>(std::move(codes), n));
  };
  return levels < 127 ? narrow(int8_t{}) : narrow(int16_t{});
}

// A Groups as the dict batch.py reads: keys (int64 arrays), the values asked for (bits: batch::Value),
// each handed over without a copy.
pybind11::dict GroupsDict(batch::Groups&& g, unsigned value_bits) {
  pybind11::dict groups;
  pybind11::list key_arrays;
  for (auto& k : g.keys) key_arrays.append(Handed(std::move(k)));
  groups["keys"] = key_arrays;
  if (!g.levels.empty()) {  // GroupKeys::kLevelsCodes
    pybind11::list levels, codes;
    for (std::size_t k = 0; k < g.levels.size(); ++k) {
      const std::size_t count = g.levels[k].size();
      levels.append(Handed(std::move(g.levels[k])));
      codes.append(PandasCodes(std::move(g.codes[k]), count));
    }
    groups["levels"] = levels;
    groups["codes"] = codes;
  }
  groups["count"] = g.count;
  const char* names[] = {"co2_t", "ch4_t", "n2o_t", "co2e_t"};
  const unsigned bits[] = {batch::kCo2, batch::kCh4, batch::kN2o, batch::kCo2e};
  batch::ResultColumn<double>* values[] = {&g.co2_t, &g.ch4_t, &g.n2o_t, &g.co2e_t};
  for (std::size_t v = 0; v < 4; ++v) {
    if (value_bits & bits[v]) groups[names[v]] = Handed(std::move(*values[v]));
  }
  if (value_bits & batch::kRecords) groups["records"] = Handed(std::move(g.records));
  return groups;
}

// The report's dict keys, made once per process and never freed (they must outlive every dict).
struct ReportKeys {
  pybind11::handle name, provenance, unit, value, carrier, ch4, co2, co2e, kind, n2o, records, region, terms, year;
};
const ReportKeys& Keys() {
  auto key = [](const char* text) { return pybind11::str(text).release(); };
  static const auto* keys = new ReportKeys{key("name"),           key("provenance"),
                                           key("unit"),           key("value"),
                                           key("carrier"),        key("ch4_t_per_unit"),
                                           key("co2_t_per_unit"), key("co2e_t_per_unit"),
                                           key("kind"),           key("n2o_t_per_unit"),
                                           key("records"),        key("region"),
                                           key("terms"),          key("year")};
  return *keys;
}

// The Python text of a provenance: each is ~300 bytes shared by every call that uses the same factor,
// so it is decoded once and shared (Python strings are immutable). Keyed by the SharedText buffer,
// which the cache keeps alive so that its address cannot be reused by another text. Bounded; the GIL
// guards it.
pybind11::object ProvenanceText(const SharedText& text) {
  struct Entry {
    SharedText owner;
    pybind11::handle str;
  };
  static auto* cache = new absl::flat_hash_map<const char*, Entry>();  // never destroyed, as the keys
  const char* at = text.c_str();
  if (auto it = cache->find(at); it != cache->end())
    return pybind11::reinterpret_borrow<pybind11::object>(it->second.str);
  if (cache->size() >= 4096) {
    for (auto& [_, e] : *cache) e.str.dec_ref();
    cache->clear();
  }
  pybind11::str s(text.view().data(), text.view().size());
  cache->emplace(at, Entry{text, s.inc_ref()});
  return s;
}

// The report as the dict json.loads(Report::ToJson()) gives (same keys, in the same sorted order, same
// numbers), built directly: serialising ~1 kB of trace per tuple to JSON and parsing it back cost
// ~0.25 ms per call, most of a small call's time. Keys and provenance texts are made once, not per call.
pybind11::dict ReportDict(const batch::Report& r) {
  const ReportKeys& keys = Keys();
  pybind11::list factors(r.factors.size());
  for (std::size_t i = 0; i < r.factors.size(); ++i) {
    const batch::Factor& f = r.factors[i];
    pybind11::list terms(f.terms.size());
    for (std::size_t k = 0; k < f.terms.size(); ++k) {
      const TraceTerm& t = f.terms[k];
      pybind11::dict td;
      td[keys.name] = t.name.view();
      td[keys.provenance] = ProvenanceText(t.provenance);
      td[keys.unit] = t.unit.view();
      td[keys.value] = t.value;
      terms[k] = std::move(td);
    }
    pybind11::dict fd;
    fd[keys.carrier] = f.carrier;
    fd[keys.ch4] = f.ch4;
    fd[keys.co2] = f.co2;
    fd[keys.co2e] = f.co2e;
    fd[keys.kind] = f.kind;
    fd[keys.n2o] = f.n2o;
    fd[keys.records] = f.records;
    fd[keys.region] = f.region;
    fd[keys.terms] = std::move(terms);
    fd[keys.unit] = f.unit;
    fd[keys.year] = f.year;
    factors[i] = std::move(fd);
  }
  pybind11::dict d;
  d["counts"] = r.counts;
  d["defaults_used"] = r.defaults_used;
  d["factors"] = std::move(factors);
  d["first_rows"] = r.first_rows;
  d["pair_errors"] = r.pair_errors;
  d["skipped"] = r.skipped;
  d["valid"] = r.valid;
  return d;
}

}  // namespace

void BindBatch(pybind11::module_& m) {
  // Registered first, so that _batch_compute's signature names it.
  pybind11::class_<batch::GroupSums>(m, "_BatchGroupSums",
                                     "Group sums kept in the engine across batch.stream chunks (batch.hpp GroupSums).")
      .def(pybind11::init<>())
      .def("__len__", &batch::GroupSums::size)
      .def_property_readonly("records", &batch::GroupSums::records)
      .def(
          "take",
          [](batch::GroupSums& self, const std::vector<std::string>& group_values) {
            unsigned bits = 0;
            const char* names[] = {"co2_t", "ch4_t", "n2o_t", "co2e_t", "records"};
            for (unsigned v = 0; v < 5; ++v) {
              for (const auto& g : group_values) bits |= g == names[v] ? 1u << v : 0u;
            }
            batch::Result r = self.Take();
            pybind11::dict d;
            d["report"] = ReportDict(r.report);
            d["groups"] = GroupsDict(std::move(r.groups), bits);
            return d;
          },
          pybind11::arg("group_values"),
          "The sums in key order and the merged report (a dict); the object is then empty.");
  m.def(
      "_batch_compute",
      [](std::size_t n, const pybind11::dict& columns, const pybind11::dict& dictionaries, const pybind11::dict& units,
         const pybind11::list& keys, const pybind11::dict& options, const FactorCatalogue* catalogue,
         const std::vector<std::string>& outputs, const std::vector<std::string>& group_values,
         const pybind11::object& progress, batch::GroupSums* accumulate, bool key_codes) {
        batch::Input in;
        in.size = n;
        auto coded = [&](const char* name, batch::Coded& c) {
          if (!columns.contains(name)) return;
          c.codes = ColumnOf(columns[name], name, n);
          c.values = dictionaries[name].cast<std::vector<std::string>>();
        };
        coded("carrier", in.carrier);
        coded("unit", in.unit);
        coded("kind", in.kind);
        coded("region", in.region);
        if (columns.contains("quantity")) in.quantity = ColumnOf(columns["quantity"], "quantity", n);
        if (columns.contains("year")) in.year = ColumnOf(columns["year"], "year", n);
        for (auto [name, meas] : {std::pair<const char*, batch::Measured*>{"ncv", &in.ncv},
                                  {"carbon_content", &in.carbon_content},
                                  {"oxidation", &in.oxidation}}) {
          if (!columns.contains(name)) continue;
          meas->values = ColumnOf(columns[name], name, n);
          meas->unit = units[name].cast<std::string>();
        }
        for (std::size_t k = 0; k < keys.size(); ++k) {
          in.keys.push_back(ColumnOf(keys[k], "by[" + std::to_string(k) + "]", n));
        }
        // Every option goes through the core's one options layer (same keys, aliases and errors as
        // the C API and the CLI); numbers and lists are passed as their text.
        batch::Options o;
        batch::Output ignored_shape;  // the group values and key form come from the arguments below
        for (auto item : options) {
          const std::string key = pybind11::str(item.first);
          std::string value;
          if (pybind11::isinstance<pybind11::list>(item.second) || pybind11::isinstance<pybind11::tuple>(item.second)) {
            for (auto v : item.second) value += (value.empty() ? "" : ",") + pybind11::str(v).cast<std::string>();
          } else {
            value = pybind11::str(item.second);
          }
          if (auto st = SetBatchOption(o, ignored_shape, key == "gwp" ? "gwp_dataset" : key, value); !st.ok()) {
            Raise(st);
          }
        }
        // Per-record outputs are allocated only when asked for (8 bytes × n each).
        const char* names[] = {"co2_t", "ch4_t", "n2o_t", "co2e_t"};
        const unsigned bits[] = {batch::kCo2, batch::kCh4, batch::kN2o, batch::kCo2e};
        pybind11::dict per_record;
        batch::Output out;
        batch::OutColumn* slots[] = {&out.co2_t, &out.ch4_t, &out.n2o_t, &out.co2e_t};
        out.group_values = 0;
        // Keys as levels and codes for a frame's MultiIndex; values for sums that stay in the engine.
        out.group_keys =
            key_codes && accumulate == nullptr ? batch::GroupKeys::kLevelsCodes : batch::GroupKeys::kValues;
        for (const auto& g : group_values) {
          if (g == "records") out.group_values |= batch::kRecords;
        }
        for (std::size_t v = 0; v < 4; ++v) {
          for (const auto& g : group_values) {
            if (g == names[v]) out.group_values |= bits[v];
          }
          for (const auto& w : outputs) {
            if (w != names[v]) continue;
            pybind11::array_t<double> a(static_cast<pybind11::ssize_t>(n));
            slots[v]->data = a.mutable_data();
            per_record[names[v]] = a;
          }
        }
        std::optional<pybind11::error_already_set> raised;
        o.progress = ProgressOf(progress, raised);
        const FactorCatalogue& cat = CatalogueOr(catalogue);
        absl::StatusOr<batch::Result> r;
        {
          pybind11::gil_scoped_release release;
          r = batch::Compute(in, cat, o, out);
        }
        if (raised) throw std::move(*raised);
        auto result = Unwrap(std::move(r));
        pybind11::dict d;
        d["records"] = per_record;
        d["report"] = ReportDict(result.report);
        if (accumulate != nullptr) {  // batch.stream: the sums stay in the engine
          if (auto st = accumulate->Add(result); !st.ok()) Raise(st);
          return d;
        }
        d["groups"] = GroupsDict(std::move(result.groups), out.group_values);
        return d;
      },
      pybind11::arg("n"), pybind11::arg("columns"), pybind11::arg("dictionaries"), pybind11::arg("units"),
      pybind11::arg("keys"), pybind11::arg("options"), pybind11::arg("catalogue"), pybind11::arg("outputs"),
      pybind11::arg("group_values"), pybind11::arg("progress") = pybind11::none(),
      pybind11::arg("accumulate") = nullptr, pybind11::arg("key_codes") = false);
}

}  // namespace cmrv::py
