"""Every page of the dashboard, registered in one place.

``app.py`` builds the navigation from ``PAGES``; a page that should be shown
only to some users (sign-in, roles) is filtered here by ``allowed``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    """path: the page script, relative to ``dashboards/``; title: the Russian menu name;
    url_path: the address (``/calls``); icon: a Material icon; who: what the page is for.
    """

    path: str
    title: str
    url_path: str
    icon: str
    who: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("screens/overview.py", "Обзор", "overview", ":material/dashboard:", "начальник ОКА"),
    PageSpec("screens/operators.py", "Операторы", "operators", ":material/support_agent:", "тренер"),
    PageSpec("screens/clauses.py", "Пункты стандарта", "clauses", ":material/rule:", "аудитор"),
    PageSpec("screens/calls.py", "Звонки", "calls", ":material/call:", "все"),
    PageSpec("screens/timeliness.py", "Своевременность", "timeliness", ":material/schedule:", "начальник ОКА"),
    PageSpec("screens/review.py", "Проверка", "review", ":material/fact_check:", "аудитор"),
    PageSpec("screens/audit.py", "Журнал доступа", "audit", ":material/policy:", "начальник ОКА"),
    PageSpec("screens/disputes.py", "Оспаривания", "disputes", ":material/gavel:", "оператор, аудитор"),
    PageSpec("screens/calibration.py", "Калибровка", "calibration", ":material/groups:", "аудитор, тренер"),
    PageSpec("screens/sample.py", "Выборка", "sample", ":material/casino:", "аудитор, тренер"),
    PageSpec("screens/coaching.py", "Обучение", "coaching", ":material/school:", "тренер"),
    PageSpec("screens/my_page.py", "Моя страница", "me", ":material/person:", "оператор"),
)


def navigation_pages(allowed: Callable[[PageSpec], bool] = lambda spec: True) -> list:
    """``st.Page`` objects for the pages ``allowed`` lets through, «Обзор» first and default."""
    specs = [p for p in PAGES if allowed(p)]
    return [st.Page(p.path, title=p.title, url_path=p.url_path, icon=p.icon, default=(i == 0))
            for i, p in enumerate(specs)]
