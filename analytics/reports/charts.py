"""The report's charts as PNG images (matplotlib, no browser needed).

Each function returns a :class:`Chart` or None when there is nothing to draw.
"""
from __future__ import annotations

import io
import logging
import textwrap
from dataclasses import dataclass

from analytics.reports.model import ReportData
from analytics.reports.texts import fmt_clause, period_label

log = logging.getLogger(__name__)

COLORS = {"now": "#1f4e79", "before": "#9dc3e6", "target": "#c00000", "bad": "#c55a11"}


@dataclass
class Chart:
    key: str
    caption: str
    png: bytes


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
                         "axes.spines.right": False})
    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    _pyplot().close(fig)
    return buf.getvalue()


def indicators_chart(data: ReportData) -> Chart | None:
    inds = [i for i in data.indicators if i.value is not None or i.previous is not None]
    if not inds:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.3, 2.8))
    labels = [textwrap.fill(f"{i.number}. {i.short}", 30) for i in inds]
    x = range(len(inds))
    w = 0.36
    before = [i.previous or 0 for i in inds]
    now = [i.value or 0 for i in inds]
    b1 = ax.bar([p - w / 2 for p in x], before, w, color=COLORS["before"],
                label=f"предыдущий период ({period_label(data.previous_period.start, data.previous_period.end)})")
    b2 = ax.bar([p + w / 2 for p in x], now, w, color=COLORS["now"],
                label=f"отчётный период ({period_label(data.period.start, data.period.end)})")
    for bars, vals in ((b1, [i.previous for i in inds]), (b2, [i.value for i in inds])):
        for bar, v in zip(bars, vals, strict=True):
            ax.annotate("н/д" if v is None else f"{v:.1f}".replace(".", ","), (bar.get_x() + bar.get_width() / 2,
                        bar.get_height()), ha="center", va="bottom", fontsize=8)
    for p, i in zip(x, inds, strict=True):
        ax.hlines(i.target, p - 0.45, p + 0.45, colors=COLORS["target"], linestyles="--", linewidth=1.2)
    ax.plot([], [], color=COLORS["target"], linestyle="--", label="целевое значение")
    ax.set_xticks(list(x), labels)
    ax.set_ylim(0, 112)
    ax.set_ylabel("%")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1, frameon=False, fontsize=8)
    return Chart("indicators", "Критерии результативности п. 2.6: отчётный и предыдущий период, %", _png(fig))


def clauses_chart(data: ReportData) -> Chart | None:
    rows = [c for c in data.clauses if c.violations][:12]
    if not rows:
        return None
    plt = _pyplot()
    rows = list(reversed(rows))
    fig, ax = plt.subplots(figsize=(6.3, 0.32 * len(rows) + 0.9))
    labels = [textwrap.shorten(f"{fmt_clause(c.clause)} — {c.title}", 60, placeholder="…") for c in rows]
    bars = ax.barh(labels, [c.violations for c in rows], color=COLORS["bad"])
    for bar, c in zip(bars, rows, strict=True):
        ax.annotate(str(c.violations), (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_xlabel("нарушений за период")
    ax.xaxis.get_major_locator().set_params(integer=True)
    return Chart("clauses", "Нарушения требований раздела 2 Стандарта по пунктам", _png(fig))


def operators_chart(data: ReportData) -> Chart | None:
    rows = [o for o in data.operators if o.score_avg is not None]
    if not rows:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.3, 2.6))
    labels = [textwrap.fill(o.name or o.operator_id, 14) for o in rows]
    bars = ax.bar(labels, [o.score_avg for o in rows], color=COLORS["now"])
    for bar, o in zip(bars, rows, strict=True):
        ax.annotate(f"{o.score_avg:.1f}".replace(".", ","), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, 105)
    ax.set_ylabel("баллов из 100")
    ax.tick_params(axis="x", labelsize=7)
    return Chart("operators", "Средняя оценка соблюдения Стандарта по операторам", _png(fig))


def monthly_chart(data: ReportData) -> Chart | None:
    if len(data.monthly) < 2:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.3, 2.5))
    months = [m["month"] for m in data.monthly]
    w = 0.38
    for shift, key, label, color in ((-w / 2, "registered_pct", "заявки зарегистрированы вовремя", COLORS["now"]),
                                     (w / 2, "readings_pct", "показания внесены вовремя", COLORS["bad"])):
        ys = [m.get(key) for m in data.monthly]
        bars = ax.bar([i + shift for i in range(len(months))], [y or 0 for y in ys], w, color=color, label=label)
        for bar, y in zip(bars, ys, strict=True):
            ax.annotate("н/д" if y is None else f"{y:.0f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(months)), months)
    ax.set_ylim(0, 118)
    ax.set_ylabel("%")
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    return Chart("monthly", "Своевременность по месяцам отчётного периода, % (н/д — записей не было)", _png(fig))


def draw_all(data: ReportData) -> dict[str, Chart]:
    """Every chart that has data, keyed by the section it illustrates."""
    charts = {}
    for fn in (indicators_chart, monthly_chart, clauses_chart, operators_chart):
        chart = fn(data)
        if chart is not None:
            charts[chart.key] = chart
    log.debug("drew %s chart(s)", len(charts))
    return charts
