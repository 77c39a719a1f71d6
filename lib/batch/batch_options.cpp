#include "carbonmrv/batch/batch_options.hpp"

#include <gsl/narrow>

#include <algorithm>
#include <string>

#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/status.hpp"
#include "internal/option_text.hpp"
#include "internal/strings.hpp"
#include "internal/threads.hpp"

namespace cmrv {

using internal::kInventoryKeys;
using internal::OptionError;
using internal::StrCat;
using internal::TrySetInventoryOption;
using internal::UnknownOptionKey;
using internal::WholeOption;

absl::Status SetBatchOption(batch::Options& o, batch::Output& shape, std::string_view key, std::string_view v) {
  auto set = TrySetInventoryOption(o.inventory, key, v);
  if (!set.ok()) return set.status();
  if (*set) return absl::OkStatus();
  if (key == "kind") {
    o.kind = std::string(v);
  } else if (key == "region") {
    o.region = std::string(v);
  } else if (key == "year") {
    auto y = WholeOption(key, v, 1990, 2100);
    if (!y.ok()) return y.status();
    o.year = gsl::narrow<int>(*y);
  } else if (key == "method") {
    if (!IsCombustionMethod(v)) {
      return OptionError(StrCat("method \"", v, "\" is not one of default_factor, energy_ef, measured_carbon"));
    }
    o.method = std::string(v);
  } else if (key == "policy") {
    if (v != "reject" && v != "skip") return OptionError(StrCat("policy \"", v, "\" is not \"reject\" or \"skip\""));
    o.policy = v == "skip" ? batch::Policy::kSkip : batch::Policy::kReject;
  } else if (key == "threads") {
    auto t = WholeOption(key, v, 0, internal::kMaxThreads);
    if (!t.ok()) return t.status();
    o.threads = gsl::narrow<unsigned>(*t);
  } else if (key == "report_rows") {
    auto r = WholeOption(key, v, 0, 1000000);
    if (!r.ok()) return r.status();
    o.report_rows = gsl::narrow<std::size_t>(*r);
  } else if (key == "group_values") {
    unsigned mask = 0;
    std::size_t start = 0;
    while (start <= v.size()) {
      const std::size_t end = std::min(v.find(',', start), v.size());
      const std::string_view item = v.substr(start, end - start);
      const unsigned bit = item == "co2_t"     ? batch::kCo2
                           : item == "ch4_t"   ? batch::kCh4
                           : item == "n2o_t"   ? batch::kN2o
                           : item == "co2e_t"  ? batch::kCo2e
                           : item == "records" ? batch::kRecords
                                               : 0u;
      if (bit == 0)
        return OptionError(StrCat("group_values: \"", item, "\" is not one of co2_t, ch4_t, n2o_t, co2e_t, records"));
      mask |= bit;
      start = end + 1;
    }
    shape.group_values = mask;
  } else if (key == "group_keys") {
    if (v != "values" && v != "levels_codes") {
      return OptionError(StrCat("group_keys \"", v, "\" is not \"values\" or \"levels_codes\""));
    }
    shape.group_keys = v == "values" ? batch::GroupKeys::kValues : batch::GroupKeys::kLevelsCodes;
  } else {
    return UnknownOptionKey(key, StrCat(kInventoryKeys,
                                        ", kind, region, year, method, policy, threads, report_rows, group_values, "
                                        "group_keys"));
  }
  return absl::OkStatus();
}

}  // namespace cmrv
