// Group sums across calls (batch.hpp, GroupSums): the engine side of batch.stream and of the C API's
// cmrv_batch_group_sums. Rows are kept flat (keys row-major, values per column); a hash set of row
// indices finds a key's row, hashing and comparing through the flat key storage, so a lookup allocates
// nothing. The calls' reports are merged beside the sums.
#include <algorithm>
#include <cmath>
#include <numeric>

#include <gsl/narrow>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "carbonmrv/batch/batch.hpp"
#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv::batch {

namespace {

// Which value vectors a Groups holds: bit v for co2, ch4, n2o, co2e, bit 4 for records.
unsigned Present(const Groups& g) {
  unsigned bits = 0;
  const ResultColumn<double>* v[] = {&g.co2_t, &g.ch4_t, &g.n2o_t, &g.co2e_t};
  for (unsigned i = 0; i < 4; ++i) bits |= (v[i]->size() == g.count && g.count > 0 ? 1u : 0u) << i;
  if (g.records.size() == g.count && g.count > 0) bits |= 1u << 4;
  return bits;
}

// "co2e_t, records": the values of `bits`, for messages.
std::string ValueNames(unsigned bits) {
  static constexpr const char* kNames[] = {"co2_t", "ch4_t", "n2o_t", "co2e_t", "records"};
  std::string out;
  for (unsigned v = 0; v < 5; ++v) {
    if (bits >> v & 1u) internal::StrAppend(&out, out.empty() ? "" : ", ", kNames[v]);
  }
  return out.empty() ? "none" : out;
}

}  // namespace

struct GroupSums::State {
  explicit State(std::size_t rows_kept) : report_rows(rows_kept) {}
  std::size_t report_rows;
  Report report;
  uint64_t seen = 0;  // records of the calls added so far: the offset of the next call's rows
  absl::flat_hash_map<std::string, std::size_t> factor_index;  // tuple key → its place in report.factors
  std::size_t nkeys = 0;
  unsigned values = 0;
  bool started = false;
  std::vector<int64_t> keys;  // row-major: nkeys per row
  std::array<std::vector<double>, 4> sums;
  std::vector<uint64_t> records;

  struct Hash {
    const State* s;
    std::size_t operator()(uint32_t row) const {
      const int64_t* k = &s->keys[row * s->nkeys];
      return absl::HashOf(absl::MakeConstSpan(k, s->nkeys));
    }
  };
  struct Eq {
    const State* s;
    bool operator()(uint32_t a, uint32_t b) const {
      return std::equal(&s->keys[a * s->nkeys], &s->keys[a * s->nkeys] + s->nkeys, &s->keys[b * s->nkeys]);
    }
  };
  absl::flat_hash_set<uint32_t, Hash, Eq> index{0, Hash{this}, Eq{this}};
  std::size_t rows() const { return nkeys == 0 ? 0 : keys.size() / nkeys; }
};

GroupSums::GroupSums() : GroupSums(Options{}.report_rows) {}
GroupSums::GroupSums(std::size_t report_rows) : state_(std::make_unique<State>(report_rows)) {}
GroupSums::~GroupSums() = default;
GroupSums::GroupSums(GroupSums&&) noexcept = default;
GroupSums& GroupSums::operator=(GroupSums&&) noexcept = default;

std::size_t GroupSums::size() const { return state_->rows(); }
uint64_t GroupSums::records() const { return state_->seen; }

namespace {

// Adds one call's report into the stream's (see GroupSums in batch.hpp for the rules).
void MergeReport(const Report& part, uint64_t offset, std::size_t keep,
                 absl::flat_hash_map<std::string, std::size_t>& factor_index, Report& total) {
  total.valid += part.valid;
  total.skipped += part.skipped;
  for (const auto& [kind, count] : part.counts) total.counts[kind] += count;
  for (const auto& [kind, rows] : part.first_rows) {
    std::vector<std::size_t>& mine = total.first_rows[kind];
    for (std::size_t row : rows) {
      if (mine.size() >= keep) break;
      mine.push_back(gsl::narrow<std::size_t>(offset + row));
    }
  }
  for (const auto& [pair, why] : part.pair_errors) total.pair_errors.insert_or_assign(pair, why);
  for (const auto& [param, count] : part.defaults_used) total.defaults_used[param] += count;
  for (const Factor& f : part.factors) {
    const std::string key = internal::StrCat(f.kind, "|", f.carrier, "|", f.unit, "|", f.region, "|", f.year);
    auto [it, fresh] = factor_index.try_emplace(key, total.factors.size());
    if (fresh) {
      total.factors.push_back(f);
    } else {
      total.factors[it->second].records += f.records;
    }
  }
}

}  // namespace

absl::Status GroupSums::Add(const Result& result) {
  if (auto st = AddGroups(result.groups); !st.ok()) return st;
  State& s = *state_;
  MergeReport(result.report, s.seen, s.report_rows, s.factor_index, s.report);
  s.seen += result.report.valid + result.report.skipped;
  return absl::OkStatus();
}

absl::Status GroupSums::AddGroups(const Groups& g) {
  State& s = *state_;
  if (g.count == 0) return absl::OkStatus();
  auto bad = [](const std::string& m) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, m);
  };
  if (!g.levels.empty()) {
    return bad(
        "groups with their keys as levels and codes cannot be summed across calls; compute them with the keys "
        "as values (GroupKeys::kValues, option group_keys \"values\")");
  }
  for (std::size_t k = 0; k < g.keys.size(); ++k) {
    if (g.keys[k].size() != g.count)
      return bad(internal::StrCat("key column ", k, " has ", g.keys[k].size(), " values for ", g.count, " groups"));
  }
  const unsigned values = Present(g);
  if (!s.started) {
    if (g.keys.empty()) return bad("groups without key columns cannot be summed across calls");
    s.nkeys = g.keys.size();
    s.values = values;
    s.started = true;
  } else if (g.keys.size() != s.nkeys || values != s.values) {
    return bad(internal::StrCat("this call's groups have ", g.keys.size(), " key column(s) and values (",
                                ValueNames(values), "); the first call's had ", s.nkeys, " and (", ValueNames(s.values),
                                ")"));
  }
  if (s.rows() + g.count > UINT32_MAX) return bad("more than 2^32 groups");
  // Rows of this call's groups (new rows appended), then the sums; checked before anything is added
  // so that an overflow leaves the sums as they were.
  const std::size_t before = s.rows();
  std::vector<uint32_t> row(g.count);
  for (std::size_t i = 0; i < g.count; ++i) {
    const auto candidate = static_cast<uint32_t>(s.rows());
    for (std::size_t k = 0; k < s.nkeys; ++k) s.keys.push_back(g.keys[k][i]);
    auto [it, fresh] = s.index.insert(candidate);
    if (!fresh) s.keys.resize(s.keys.size() - s.nkeys);
    row[i] = *it;
  }
  const std::size_t after = s.rows();
  const ResultColumn<double>* src[] = {&g.co2_t, &g.ch4_t, &g.n2o_t, &g.co2e_t};
  for (unsigned v = 0; v < 4; ++v) {
    if (!(s.values >> v & 1u)) continue;
    s.sums[v].resize(after, 0.0);
    for (std::size_t i = 0; i < g.count; ++i) {
      if (std::isinf(s.sums[v][row[i]] + (*src[v])[i])) {
        for (unsigned w = 0; w < 4; ++w) s.sums[w].resize(std::min(s.sums[w].size(), before));
        for (std::size_t r = after; r-- > before;) s.index.erase(static_cast<uint32_t>(r));
        s.keys.resize(before * s.nkeys);
        s.records.resize(std::min(s.records.size(), before));
        return MakeError(absl::StatusCode::kOutOfRange, ErrorDetail::kOverflow,
                         "a group's sum across calls exceeds the largest double (about 1.8e308 t)");
      }
    }
  }
  for (unsigned v = 0; v < 4; ++v) {
    if (!(s.values >> v & 1u)) continue;
    for (std::size_t i = 0; i < g.count; ++i) s.sums[v][row[i]] += (*src[v])[i];
  }
  if (s.values >> 4 & 1u) {
    s.records.resize(after, 0);
    for (std::size_t i = 0; i < g.count; ++i) s.records[row[i]] += g.records[i];
  }
  return absl::OkStatus();
}

Result GroupSums::Take() {
  State& s = *state_;
  Result result;
  result.report = std::move(s.report);
  Groups& out = result.groups;
  const std::size_t n = s.rows();
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  const std::size_t nk = s.nkeys;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::lexicographical_compare(&s.keys[a * nk], &s.keys[a * nk] + nk, &s.keys[b * nk], &s.keys[b * nk] + nk);
  });
  out.count = n;
  out.keys.assign(nk, ResultColumn<int64_t>(n));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < nk; ++k) out.keys[k][i] = s.keys[order[i] * nk + k];
  }
  ResultColumn<double>* dst[] = {&out.co2_t, &out.ch4_t, &out.n2o_t, &out.co2e_t};
  for (unsigned v = 0; v < 4; ++v) {
    if (!(s.values >> v & 1u)) continue;
    dst[v]->resize(n);
    for (std::size_t i = 0; i < n; ++i) (*dst[v])[i] = s.sums[v][order[i]];
  }
  if (s.values >> 4 & 1u) {
    out.records.resize(n);
    for (std::size_t i = 0; i < n; ++i) out.records[i] = s.records[order[i]];
  }
  state_ = std::make_unique<State>(s.report_rows);
  return result;
}

}  // namespace cmrv::batch
