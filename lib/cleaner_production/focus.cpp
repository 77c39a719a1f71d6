// Audit focus (审核重点) by the weighted-sum scoring method (权重总和计分排序法, CNCPC audit handbook):
// each candidate unit's total is Σ weight × score over the criteria; the highest total is the focus.
#include <algorithm>
#include <numeric>

#include "carbonmrv/cleaner_production/cleaner_production.hpp"
#include "internal/strings.hpp"

namespace cmrv {

FocusResult RankFocus(const AuditFocus& focus) {
  using internal::StrCat;
  FocusResult out;
  for (const auto& c : focus.candidates) {
    double total = 0;
    for (std::size_t k = 0; k < c.scores.size() && k < focus.criteria.size(); ++k) {
      total += focus.criteria[k].weight * c.scores[k];
    }
    out.ranking.push_back({c.unit, total, 0});
  }
  // Highest first; equal totals keep document order and share a rank.
  std::stable_sort(out.ranking.begin(), out.ranking.end(),
                   [](const FocusRank& a, const FocusRank& b) { return a.total > b.total; });
  for (std::size_t i = 0; i < out.ranking.size(); ++i) {
    out.ranking[i].rank =
        i > 0 && out.ranking[i].total == out.ranking[i - 1].total ? out.ranking[i - 1].rank : static_cast<int>(i) + 1;
  }
  if (out.ranking.empty()) return out;
  const FocusRank& top = out.ranking.front();
  const bool tie = out.ranking.size() > 1 && out.ranking[1].total == top.total;
  out.chosen = focus.chosen.empty() ? top.unit : focus.chosen;
  const auto chosen =
      std::find_if(out.ranking.begin(), out.ranking.end(), [&](const FocusRank& r) { return r.unit == out.chosen; });
  if (out.chosen == top.unit || (chosen != out.ranking.end() && chosen->rank == 1)) {
    out.explanation = StrCat(out.chosen, " ranks first with Σ weight × score = ", chosen->total,
                             tie ? " (tied: the audit's choice or document order decides)" : "");
  } else {
    out.explanation = StrCat("the audit chose ", out.chosen, " (rank ", chosen->rank, ", ", chosen->total,
                             ") over the top-ranked ", top.unit, " (", top.total, "): state why in the audit report");
  }
  return out;
}

}  // namespace cmrv
