"""How numbers, shares, dates, durations and clauses are written, the Russian way, on every page,
grid, export and document: decimal comma, groups split by a no-break space, ДД.ММ.ГГГГ ЧЧ:ММ,
мм:сс, «3 из 4», «п. 15.12», «1 сотруднику» (a count's noun agreed with it), and a dash (never «None») for a
missing value."""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from analytics.catalogue.labels import MONTHS_GEN

DASH = "—"
NO_DATA = "нет данных"
_GROUP = "\u00a0"   # no-break space between groups of thousands: «1 840» never splits across lines


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def fmt_number(v: Any, digits: int = 1) -> str:
    """«1 840», «91,4»; a whole number stays whole (no «,0»); None or NaN is a dash."""
    if _missing(v):
        return DASH
    if isinstance(v, bool):
        return "да" if v else "нет"
    if isinstance(v, int) or (digits == 0 and float(v).is_integer()):
        return f"{int(v):,}".replace(",", _GROUP)
    return f"{float(v):,.{digits}f}".replace(",", _GROUP).replace(".", ",")


def fmt_count(n: int, noun: str, case: str = "nomn") -> str:
    """A count and its noun in agreement: «1 сотруднику», «21 звонка», «1\u00a0840 записей» (``noun`` in the
    nominative singular, ``case`` the sentence's, as pymorphy3 names it: nomn, gent, datv, accs, ablt, loct)."""
    from rules.number_agreement import agreed  # pymorphy3's dictionary: loaded by the first count written

    return f"{fmt_number(int(n), 0)} {agreed(int(n), noun, case)}"


def fmt_value(v: Any) -> str:
    """A measured value (a meter reading) with only the digits it has: «123,5», «908»."""
    if _missing(v):
        return DASH
    return f"{float(v):.3f}".rstrip("0").rstrip(".").replace(".", ",")


def fmt_pct(v: Any, digits: int = 1) -> str:
    """«96,1 %»; a dash where the share is over zero items (null)."""
    return DASH if _missing(v) else f"{fmt_number(float(v), digits)} %"


def fmt_of(part: int | None, whole: int | None) -> str:
    """«3 из 4»: the base behind a share."""
    if part is None or whole is None:
        return DASH
    return f"{fmt_number(int(part), 0)} из {fmt_number(int(whole), 0)}"


def fmt_share(part: int | None, whole: int | None) -> str:
    """«75,0 % (3 из 4)»; «нет данных» over zero items."""
    if not whole:
        return NO_DATA
    return f"{fmt_pct(100.0 * (part or 0) / whole)} ({fmt_of(part or 0, whole)})"


def fmt_kpi(v: Any, unit: str) -> str:
    """A KPI as printed: shares and scores with one decimal, counts whole; «нет данных» for none."""
    if _missing(v):
        return NO_DATA
    if unit in ("pct", "%"):
        return fmt_pct(v)
    if unit == "count" or (isinstance(v, int) and unit != "score"):
        return fmt_number(int(v), 0)
    return fmt_number(float(v))


def fmt_change(now: Any, before: Any, unit: str = "") -> str:
    """The change from the previous period, signed with a real minus; percentage points for shares."""
    if _missing(now) or _missing(before):
        return DASH
    whole = unit == "count" or (unit not in ("pct", "%", "score") and isinstance(now, int) and isinstance(before, int))
    diff = round(float(now) - float(before), 1)
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    text = fmt_number(int(abs(diff)), 0) if whole else fmt_number(abs(diff), 1)
    return f"{sign}{text}" + (" п.п." if unit in ("pct", "%") else "")


def fmt_seconds(s: Any) -> str:
    """мм:сс — «01:07» for 67 seconds, «75:00» past an hour; a dash for none."""
    if _missing(s):
        return DASH
    s = round(float(s))
    return f"{s // 60:02d}:{s % 60:02d}"


def fmt_date(d: dt.date | dt.datetime | None) -> str:
    """ДД.ММ.ГГГГ."""
    return DASH if d is None else d.strftime("%d.%m.%Y")


def fmt_datetime(d: dt.datetime | dt.date | None) -> str:
    """ДД.ММ.ГГГГ ЧЧ:ММ (a bare date as ДД.ММ.ГГГГ)."""
    if d is None:
        return DASH
    return d.strftime("%d.%m.%Y %H:%M") if isinstance(d, dt.datetime) else d.strftime("%d.%m.%Y")


def fmt_date_long(d: dt.date) -> str:
    """«04» марта 2025 г. — the date line of a signed document."""
    return f"«{d.day:02d}» {MONTHS_GEN[d.month - 1]} {d.year} г."


def period_label(start: dt.date, end: dt.date) -> str:
    return f"с {fmt_date(start)} по {fmt_date(end)}"


def calendar_months(start: dt.date, end: dt.date) -> int:
    """12, 6, 3 or 1 when ``start``..``end`` (inclusive) is exactly that many calendar months from the first of
    one (a year, a half-year, a quarter, a month, wherever it starts), else 0.  The report's period and the
    dashboard's picker both ask it, so that the page and the report compare a range with the same period."""
    next_day = end + dt.timedelta(days=1)
    months = (next_day.year - start.year) * 12 + next_day.month - start.month
    return months if start.day == 1 and next_day.day == 1 and months in (1, 3, 6, 12) else 0


def span_word(start: dt.date, end: dt.date) -> str:
    """What the period is, after «за»: «год», «полугодие», «квартал», «месяц», else «период»."""
    return {12: "год", 6: "полугодие", 3: "квартал", 1: "месяц"}.get(calendar_months(start, end), "период")


def fmt_clause(clause: str | None, appendix: str = "Приложение") -> str:
    """«15.1» -> «п. 15.1»; «14, 15.16» -> «пп. 14, 15.16»; «20–21, Appendix 1» -> «пп. 20–21, Приложение 1».

    ``appendix="Прил."`` writes the short form (the report's narrow table columns).
    """
    if not clause or clause == DASH:
        return DASH
    parts = [p.strip() for p in str(clause).replace("Appendix", "Приложение").split(",")]
    parts = [p.replace("Приложение", appendix).replace("Прил.", appendix) for p in parts]
    annex = [p for p in parts if p.startswith(appendix)]
    points = [p for p in parts if p and not p.startswith(appendix)]
    out = []
    if points:
        many = len(points) > 1 or any(ch in points[0] for ch in "–-")
        out.append(("пп. " if many else "п. ") + ", ".join(points))
    return ", ".join(out + annex)


def fmt_rule(title: str | None, clause: str | None, rule: str = "") -> str:
    """«п. 15.12 · Оператор перебивает потребителя»: a rule as a user reads it, never its id
    (the id only when the rulebook in use lacks the rule)."""
    if not title:
        return rule or DASH
    return f"{fmt_clause(clause)} · {title}" if clause else title


def fmt_deduction(start: float, taken: list[tuple[float, str | None]], score: float | None) -> str:
    """«100 − 12 (п. 20–21) − 10 (п. 15.12) = 78»: how a call's score was made (weights and clauses)."""
    if score is None:
        return "не оценивался: ни одно правило не удалось проверить"
    parts = [fmt_number(start, 0) if float(start).is_integer() else fmt_number(start)]
    for weight, clause in taken:
        w = fmt_number(weight, 0) if float(weight).is_integer() else fmt_number(weight)
        parts.append(f"− {w}" + (f" ({fmt_clause(clause, 'Прил.')})" if clause else ""))
    shown = fmt_number(score, 0) if float(score).is_integer() else fmt_number(score)
    return " ".join(parts) + f" = {shown}"


def shorten(text: str, width: int = 48) -> str:
    """``text`` cut at a word to ``width`` characters with an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;·") + "…"
