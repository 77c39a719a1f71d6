// A long-form DiD panel from CSV (policy/did.hpp): the CLI's and any file-based caller's reader.
#include <cmath>

#include "absl/strings/numbers.h"
#include "carbonmrv/policy/did.hpp"
#include "carbonmrv/status.hpp"
#include "internal/csv.hpp"
#include "internal/invalid.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;

using internal::Invalid;

}  // namespace

absl::StatusOr<DidPanel> ReadDidPanelCsv(std::string_view text, std::string_view source, const DidColumns& c) {
  auto table = internal::ParseCsv(text, source);
  if (!table.ok()) return table.status();
  auto column = [&](const std::string& name, const char* role) -> absl::StatusOr<std::size_t> {
    const int k = table->Column(name);
    if (k < 0) {
      std::string have;
      for (const auto& h : table->header) have += (have.empty() ? "" : ", ") + h;
      return Invalid(StrCat(source, ": no column \"", name, "\" (", role, "); the header has ", have));
    }
    return static_cast<std::size_t>(k);
  };
  struct Spec {
    std::string name;
    const char* role;
    std::size_t index = 0;
  };
  std::vector<Spec> ints = {{c.id, "id"}, {c.time, "time"}, {c.group, "group"}};
  if (!c.cluster.empty()) ints.push_back({c.cluster, "cluster"});
  for (auto& s : ints) {
    auto k = column(s.name, s.role);
    if (!k.ok()) return k.status();
    s.index = *k;
  }
  std::vector<Spec> reals = {{c.y, "y"}};
  for (const auto& x : c.covariates) reals.push_back({x, "covariate"});
  for (auto& s : reals) {
    auto k = column(s.name, s.role);
    if (!k.ok()) return k.status();
    s.index = *k;
  }
  DidPanel p;
  p.covariate_names = c.covariates;
  p.covariates.resize(c.covariates.size());
  std::vector<std::vector<int64_t>*> int_out = {&p.id, &p.time, &p.group};
  if (!c.cluster.empty()) int_out.push_back(&p.cluster);
  for (std::size_t r = 0; r < table->rows.size(); ++r) {
    const auto& row = table->rows[r];
    auto where = [&](const Spec& s) { return StrCat(source, ":", table->lines[r], ": ", s.name); };
    for (std::size_t k = 0; k < ints.size(); ++k) {
      const std::string& f = row[ints[k].index];
      double v = 0;
      if (!absl::SimpleAtod(f, &v) || !std::isfinite(v) || v != std::round(v) || std::abs(v) > 9.0e15) {
        return Invalid(StrCat(where(ints[k]), ": \"", f, "\" is not a whole number"));
      }
      int_out[k]->push_back(static_cast<int64_t>(v));
    }
    for (std::size_t k = 0; k < reals.size(); ++k) {
      const std::string& f = row[reals[k].index];
      double v = std::nan("");
      if (k == 0 && (f.empty() || f == "NA")) {
        p.y.push_back(v);  // a missing outcome
        continue;
      }
      if (!absl::SimpleAtod(f, &v) || std::isnan(v))
        return Invalid(StrCat(where(reals[k]), ": \"", f, "\" is not a number"));
      (k == 0 ? p.y : p.covariates[k - 1]).push_back(v);
    }
  }
  return p;
}

}  // namespace cmrv
