// DiD options from key/value text (policy/did_options.hpp).
#include "carbonmrv/policy/did_options.hpp"

#include <cstdint>

#include "internal/option_text.hpp"
#include "internal/strings.hpp"

namespace cmrv {

using internal::DecimalOption;
using internal::WholeOption;

absl::Status SetDidOption(DidOptions& o, std::string_view key, std::string_view v) {
  constexpr long long kBig = 1'000'000'000;
  AttGtOptions& a = o.att_gt;
  if (key == "control_group") {
    auto c = ParseControlGroup(v);
    if (!c.ok()) return c.status();
    a.control = *c;
  } else if (key == "base_period") {
    auto b = ParseBasePeriod(v);
    if (!b.ok()) return b.status();
    a.base = *b;
  } else if (key == "est_method") {
    auto e = ParseDidEstimator(v);
    if (!e.ok()) return e.status();
    a.method = *e;
  } else if (key == "drop_incomplete_units" || key == "allow_unbalanced_panel" || key == "panel") {
    if (v != "true" && v != "false") {
      return internal::OptionError(internal::StrCat(key, " \"", v, "\" is not true or false"));
    }
    (key == "panel"                    ? a.panel
     : key == "allow_unbalanced_panel" ? a.allow_unbalanced_panel
                                       : a.drop_incomplete_units) = v == "true";
  } else if (key == "anticipation" || key == "bootstrap_draws") {
    auto n = WholeOption(key, v, 0, key == "anticipation" ? 1000 : kBig);
    if (!n.ok()) return n.status();
    (key == "anticipation" ? a.anticipation : a.bootstrap_draws) = static_cast<int>(*n);
  } else if (key == "seed") {
    auto n = WholeOption(key, v, 0, INT64_MAX);
    if (!n.ok()) return n.status();
    a.seed = static_cast<uint64_t>(*n);
  } else if (key == "min_e" || key == "max_e") {
    auto n = WholeOption(key, v, -kBig, kBig);
    if (!n.ok()) return n.status();
    (key == "min_e" ? o.aggregate.min_e : o.aggregate.max_e) = static_cast<int64_t>(*n);
  } else if (key == "alpha") {
    auto d = DecimalOption(key, v);
    if (!d.ok()) return d.status();
    if (!(*d > 0 && *d < 1)) return internal::OptionError(internal::StrCat("alpha ", v, " is not in (0, 1)"));
    a.alpha = *d;
  } else {
    return internal::UnknownOptionKey(key,
                                      "control_group, base_period, anticipation, est_method, drop_incomplete_units, "
                                      "allow_unbalanced_panel, panel, alpha, bootstrap_draws, seed, min_e, max_e");
  }
  return absl::OkStatus();
}

}  // namespace cmrv
