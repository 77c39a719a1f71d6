"""Plots of carbonmrv results (matplotlib from Debian's python3-matplotlib).

Every function takes the result object, an optional ``ax=`` to draw into and ``lang="en"|"zh"`` for the
labels, and returns the axes. Chinese labels need a CJK font: :func:`cjk_font` finds one (Debian
``fonts-wqy-microhei``, installed by ``scripts/install-deps.sh``, or Noto Sans CJK) and every function with
``lang="zh"`` puts it first in matplotlib's font list, so the glyphs render instead of empty boxes.
"""
from __future__ import annotations

import functools

# Label text per language: one table so the two stay in step.
_TEXT = {
    "en": {
        "co2e": "emissions (tCO2e)", "category": "category", "scope": "scope", "gas": "gas", "source": "source",
        "month": "month", "inventory": "GHG inventory", "monthly": "monthly emissions by source",
        "energy": "energy flow (tce)", "purchased": "purchased", "stock": "stock decrease", "exported": "exported",
        "conversion": "conversion", "losses": "losses", "end_use": "end use", "recovered": "recovered",
        "stock_build": "stock build", "main_production": "main production", "auxiliary": "auxiliary",
        "ancillary": "ancillary", "heating_cooling": "heating and cooling", "lighting": "lighting",
        "other_use": "other use", "feedstock": "feedstock", "findings": "findings",
        "check": "check", "count": "findings", "verification": "verification findings",
        "reconciliation": "reported vs recomputed (tCO2e)", "reported": "reported", "recomputed": "recomputed",
        "macc": "marginal abatement cost curve", "abatement": "cumulative abatement (tCO2e per year)",
        "cost": "cost of abatement (CNY per tCO2e)", "indicators": "indicators against benchmarks",
        "level": "value / level I benchmark", "allocation": "allocation vs verified emissions",
        "allocated": "allocation", "verified": "verified emissions", "facility": "facility", "t": "t",
        "event": "event study", "event_time": "event time e = t − g", "att": "ATT", "pre": "pre-treatment",
        "post": "post-treatment", "grade": "grade", "monte_carlo": "Monte Carlo uncertainty",
        "draws": "draws", "mean": "mean", "interval": "95 % interval", "inventory_value": "inventory value",
    },
    "zh": {
        "co2e": "排放量（tCO2e）", "category": "排放类别", "scope": "范围", "gas": "气体", "source": "排放源",
        "month": "月份", "inventory": "温室气体排放清单", "monthly": "分排放源月度排放",
        "energy": "能源流向（吨标准煤）", "purchased": "购入", "stock": "库存减少", "exported": "外供",
        "conversion": "加工转换", "losses": "损失", "end_use": "终端使用", "recovered": "回收利用",
        "stock_build": "库存增加", "main_production": "主要生产系统", "auxiliary": "辅助生产系统",
        "ancillary": "附属生产系统", "heating_cooling": "采暖制冷", "lighting": "照明", "other_use": "其他",
        "feedstock": "原料用能", "findings": "核查发现",
        "check": "核查项", "count": "发现数", "verification": "交叉核查发现",
        "reconciliation": "报告值与复算值（tCO2e）", "reported": "报告值", "recomputed": "复算值",
        "macc": "边际减排成本曲线", "abatement": "累计减排量（tCO2e/年）", "cost": "减排成本（元/tCO2e）",
        "indicators": "清洁生产指标与基准", "level": "指标值 / I 级基准值", "allocation": "配额与核查排放量",
        "allocated": "配额", "verified": "核查排放量", "facility": "机组", "t": "吨",
        "event": "事件研究", "event_time": "事件时间 e = t − g", "att": "平均处理效应", "pre": "处理前",
        "post": "处理后", "grade": "等级", "monte_carlo": "蒙特卡洛不确定性", "draws": "抽样次数",
        "mean": "均值", "interval": "95% 置信区间", "inventory_value": "清单值",
    },
}

_SEVERITY_COLORS = {"info": "#8ecae6", "warning": "#ffb703", "error": "#d62828"}


def _text(lang: str) -> dict:
    if lang not in _TEXT:
        raise ValueError(f"lang: {lang!r} is not one of en, zh")
    return _TEXT[lang]


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or None."""
    from matplotlib import font_manager

    wanted = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC")
    names = {f.name for f in font_manager.fontManager.ttflist}
    if not names.intersection(wanted):
        # matplotlib's font cache predates the font package: add Debian's files directly.
        import os

        for path in ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                     "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"):
            if os.path.exists(path):
                font_manager.fontManager.addfont(path)
        names = {f.name for f in font_manager.fontManager.ttflist}
    for name in wanted:
        if name in names:
            return name
    return None


def _axes(ax, lang: str, figsize=(8, 4.5)):
    """The axes to draw into (a new figure without one), with a CJK font in matplotlib's font list: first for
    Chinese labels, after DejaVu Sans otherwise (names in the data, such as indicator names, may be Chinese;
    matplotlib ≥ 3.6 falls back glyph by glyph)."""
    import matplotlib.pyplot as plt

    font = cjk_font()
    if lang == "zh" and font is None:
        raise RuntimeError("lang='zh' needs a font with Chinese glyphs: install Debian's fonts-wqy-microhei "
                           "(scripts/install-deps.sh does)")
    family = None
    if font is not None:
        family = [font, "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans", font]
        plt.rcParams["font.family"] = family
        plt.rcParams["axes.unicode_minus"] = lang != "zh"  # the CJK fonts lack U+2212
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    elif family is not None:
        # A caller's axes made its title and axis labels with the fonts of that moment: give them ours
        # (tick labels are made at draw time and follow the settings above).
        for text in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label):
            text.set_fontfamily(family)
    return ax


def inventory(inv, by: str = "category", stack: str = "gas", ax=None, lang: str = "en"):
    """Stacked bars of CO2e: one bar per ``by`` value (category, scope, source or gas), stacked by ``stack``.
    Memo lines (biogenic CO2) are left out, as they are from the total."""
    t = _text(lang)
    for name, value in (("by", by), ("stack", stack)):
        if value not in ("category", "scope", "source", "gas"):
            raise ValueError(f"{name}: {value!r} is not one of category, scope, source, gas")
    df = inv.to_pandas()
    df = df[~df["memo"]]
    table = df.pivot_table(index=by, columns=stack, values="co2e_t", aggfunc="sum", observed=True).fillna(0.0)
    ax = _axes(ax, lang)
    table.plot.bar(stacked=True, ax=ax, rot=0, width=0.7)
    ax.set_xlabel(t[by])
    ax.set_ylabel(t["co2e"])
    ax.set_title(f"{t['inventory']} — {inv.enterprise_name} {inv.year}: {inv.total_co2e:,.0f} tCO2e")
    ax.legend(title=t[stack])
    return ax


def inventory_monthly(inv, ax=None, lang: str = "en"):
    """Monthly CO2e by source as stacked bars (periods are the inventory's ``period`` labels)."""
    t = _text(lang)
    df = inv.to_pandas()
    df = df[~df["memo"]]
    table = df.pivot_table(index="period", columns="source", values="co2e_t", aggfunc="sum", observed=True).fillna(0)
    ax = _axes(ax, lang, figsize=(10, 4.5))
    table.sort_index().plot.bar(stacked=True, ax=ax, rot=45, width=0.8)
    ax.set_xlabel(t["month"])
    ax.set_ylabel(t["co2e"])
    ax.set_title(f"{t['monthly']} — {inv.enterprise_name} {inv.year}")
    ax.legend(title=t["source"], fontsize=8)
    return ax


def energy_flow(balance, ax=None, lang: str = "en"):
    """A Sankey-style flow of the energy balance in tce: supply (purchases and stock drawn) on the left,
    conversion losses, distribution losses and each end use on the right. The widths are the balance's own
    rows, so they close when the balance does."""
    from matplotlib.sankey import Sankey

    t = _text(lang)
    total = balance.to_pandas(basis="tce")["total"]
    # Inflows positive, outflows negative (matplotlib's Sankey convention); a negative stock decrease is a
    # stock build, an outflow.
    named = [(t["purchased"], total["purchased"]), (t["recovered"], total["recovered"])]
    stock = total["stock_decrease"]
    named.append((t["stock"] if stock >= 0 else t["stock_build"], stock))
    named += [(t["exported"], -total["exported"]),
              (t["conversion"], -(total["conversion_input"] - total["conversion_output"])),
              (t["losses"], -total["distribution_loss"])]
    for row in ("main_production", "auxiliary", "ancillary", "heating_cooling", "lighting", "other_use", "feedstock"):
        named.append((t[row], -total[row]))
    flows = [v for _, v in named if v != 0]
    labels = [n for n, v in named if v != 0]
    scale = 1.0 / max(abs(f) for f in flows)
    ax = _axes(ax, lang, figsize=(9, 5))
    orientations = [0] * len(flows)
    # Small outflows point down, so their labels do not overlap the main stream.
    big = max(-f for f in flows if f < 0)
    for i, f in enumerate(flows):
        if f < 0 and -f < 0.05 * big:
            orientations[i] = -1
    Sankey(ax=ax, scale=scale, unit=" tce", format="%.0f", gap=0.4).add(
        flows=flows, labels=labels, orientations=orientations).finish()
    ax.set_title(f"{t['energy']} — {balance.enterprise_name} {balance.period}")
    ax.axis("off")
    return ax


def verification_findings(report, ax=None, lang: str = "en"):
    """Findings per check, stacked by severity (info, warning, error)."""
    t = _text(lang)
    df = report.to_pandas()
    ax = _axes(ax, lang)
    if df.empty:
        ax.text(0.5, 0.5, f"{t['findings']}: 0", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    else:
        table = df.pivot_table(index="check", columns="severity", values="subject", aggfunc="count",
                               observed=False).fillna(0)
        table.plot.barh(stacked=True, ax=ax, color=[_SEVERITY_COLORS[c] for c in table.columns])
        ax.set_xlabel(t["count"])
        ax.set_ylabel(t["check"])
    ax.set_title(f"{t['verification']} — {report.enterprise} {report.year}: {report.status}")
    return ax


def reconciliation(report, ax=None, lang: str = "en"):
    """A waterfall from the recomputed total to the reported one through the attributed differences
    (activity, factor, GWP, … as the reconciliation names them)."""
    t = _text(lang)
    df = report.reconciliation_frame()
    parts = [c for c in df.columns if c not in ("source", "period", "gas", "reported_t", "recomputed_t")]
    recomputed, reported = df["recomputed_t"].sum(), df["reported_t"].sum()
    steps = [(p, df[p].sum()) for p in parts if df[p].sum() != 0]
    ax = _axes(ax, lang)
    names = [t["recomputed"]] + [p for p, _ in steps] + [t["reported"]]
    level = recomputed
    ax.bar(0, recomputed, color="#577590")
    for i, (_, v) in enumerate(steps, start=1):
        ax.bar(i, v, bottom=level, color="#43aa8b" if v < 0 else "#f94144")
        level += v
    ax.bar(len(names) - 1, reported, color="#577590")
    ax.set_xticks(range(len(names)), names, rotation=20)
    ax.set_ylabel(t["co2e"])
    ax.set_title(f"{t['reconciliation']}: {reported - recomputed:+,.1f}")
    return ax


def macc(audit_report, ax=None, lang: str = "en"):
    """The marginal abatement cost curve: one bar per option, width = abatement, height = cost."""
    t = _text(lang)
    df = audit_report.macc_frame()
    ax = _axes(ax, lang)
    colors = ["#2a9d8f" if c < 0 else "#e76f51" for c in df["cost_per_t"]]
    ax.bar(df["cumulative_start"], df["cost_per_t"], width=df["abatement_t"], align="edge", color=colors,
           edgecolor="black", linewidth=0.5)
    for _, row in df.iterrows():
        ax.annotate(row["option"], (row["cumulative_start"] + row["abatement_t"] / 2, row["cost_per_t"]),
                    ha="center", va="bottom" if row["cost_per_t"] >= 0 else "top", fontsize=8)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel(t["abatement"])
    ax.set_ylabel(t["cost"])
    ax.set_title(f"{t['macc']} — {audit_report.enterprise} {audit_report.year}")
    return ax


def indicators(audit_report, system, ax=None, lang: str = "en"):
    """Each quantitative indicator's value relative to its level I benchmark (1 = at level I) from the audit
    scored against ``system`` (an IndicatorSystem), with the level II and III benchmarks marked."""
    t = _text(lang)
    score = audit_report.score_frame()[["id", "value", "level"]]
    bench = system.to_pandas()[["id", "name", "direction", "level_I", "level_II", "level_III"]]
    df = score.merge(bench, on="id").dropna(subset=["value", "level_I"])
    ax = _axes(ax, lang)
    y = list(range(len(df)))
    ax.barh(y, df["value"] / df["level_I"], color="#90be6d")
    for col, marker in (("level_II", "|"), ("level_III", "x")):
        ax.scatter(df[col] / df["level_I"], y, marker=marker, s=200, color="black", label=col.replace("_", " "))
    ax.axvline(1, color="black", linewidth=0.8, label="level I")
    ax.set_yticks(y, [f"{n} ({lvl})" for n, lvl in zip(df["name"], df["level"])])
    ax.set_xlabel(t["level"])
    ax.set_title(f"{t['indicators']} — {audit_report.enterprise} {audit_report.year}")
    ax.legend(fontsize=8)
    return ax


def allocation(result, ax=None, lang: str = "en"):
    """Allocation against verified emissions per facility (an AllocationResult)."""
    t = _text(lang)
    df = result.to_pandas()[["allocation_t", "verified_emissions_t"]]
    df.columns = [t["allocated"], t["verified"]]
    ax = _axes(ax, lang)
    df.plot.bar(ax=ax, rot=0, color=["#277da1", "#f3722c"])
    ax.set_xlabel(t["facility"])
    ax.set_ylabel(t["t"])
    ax.set_title(f"{t['allocation']} — {result.enterprise} {result.year} ({result.rules_id})")
    return ax


def event_study(aggregate, ax=None, lang: str = "en", title: str | None = None):
    """ATT by event time (or cohort, or period) with its confidence band, pre- and post-treatment coloured."""
    t = _text(lang)
    frame = aggregate.to_pandas()
    ax = _axes(ax, lang, figsize=(7, 4))
    post = frame["key"] >= 0 if aggregate.type == "dynamic" else frame["key"] == frame["key"]
    for mask, color, label in ((~post, "#1f77b4", t["pre"]), (post, "#d62728", t["post"])):
        part = frame[mask]
        if part.empty:
            continue
        ax.errorbar(part["key"], part["att"], yerr=[part["att"] - part["ci_low"], part["ci_high"] - part["att"]],
                    fmt="o", color=color, capsize=3, label=label)
    ax.axhline(0, color="black", linewidth=0.8)
    xlabel = {"dynamic": t["event_time"], "group": "g", "calendar": "t"}.get(aggregate.type, "")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(t["att"])
    band = "uniform" if aggregate.uniform_band else "pointwise"
    ax.set_title(title or f"{t['event']}: ATT {aggregate.overall_att:.4f} (SE {aggregate.overall_se:.4f}), {band}")
    ax.legend()
    return ax


def monte_carlo(result, group: str = "total", ax=None, lang: str = "en", bins: int = 60):
    """Histogram of one group's Monte Carlo draws (``keep_draws=True``) with the mean, the 2.5 / 97.5
    percentiles and the inventory's own value."""
    t = _text(lang)
    draws = result.draws(group)
    row = result.summary.loc[group]
    ax = _axes(ax, lang, figsize=(7, 4))
    ax.hist(draws, bins=bins, color="#8ecae6", edgecolor="white")
    ax.axvline(row["mean_t"], color="black", label=f"{t['mean']} {row['mean_t']:,.1f}")
    for x in (row["lower_t"], row["upper_t"]):
        ax.axvline(x, color="#d62828", linestyle="--")
    ax.axvline(row["co2e_t"], color="#2a9d8f", linestyle=":", label=f"{t['inventory_value']} {row['co2e_t']:,.1f}")
    ax.plot([], [], color="#d62828", linestyle="--",
            label=f"{t['interval']} −{row['lower_pct']:.1f} % / +{row['upper_pct']:.1f} %")
    ax.set_xlabel(t["co2e"])
    ax.set_ylabel(t["draws"])
    ax.set_title(f"{t['monte_carlo']}: {group} ({result.draws_count:,} {t['draws']}, seed {result.seed})")
    ax.legend()
    return ax
