"""Status text (met, not met, no data, for reference) with a colour and an icon, never colour alone.

The colours are dark enough for WCAG AA (4.5:1 against the white page and the tiles' background);
``tests/test_dashboard_status.py`` computes each ratio.
"""
from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    """colour: the text's hex colour; icon: a symbol shown before the text (so the state is
    not told by colour alone); word: what the status says after the target."""

    colour: str
    icon: str
    word: str


STATUSES = {
    "met": Status("#1b6e2e", "✔", "выполнено"),
    "not_met": Status("#b42318", "✖", "не выполнено"),
    "no_data": Status("#555a60", "○", "нет данных"),
    "reference": Status("#555a60", "\u2139", "справочно"),   # the information sign
}
BACKGROUNDS = ("#ffffff", "#f0f2f6")   # the page; Streamlit's light secondary background (bordered containers)
# The theme's text colour (``oka-qa dashboard`` passes it as --theme.textColor).  Streamlit draws a grid's pinned
# columns at 60 % opacity (PINNED_ALPHA): with its default #31333F they read 3,7:1 on white; with this, 4,9:1.
TEXT_COLOUR = "#111318"
PINNED_ALPHA = 0.6


def over(colour: str, alpha: float, background: str = "#ffffff") -> str:
    """``colour`` drawn at ``alpha`` opacity over ``background``: the colour the eye gets."""
    fg, bg = ([int(c.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)] for c in (colour, background))
    return "#" + "".join(f"{round(alpha * f + (1 - alpha) * b):02x}" for f, b in zip(fg, bg, strict=True))


def of(met: bool | None, has_value: bool = True, has_target: bool = True) -> Status:
    if not has_target:
        return STATUSES["reference"]
    if met is None or not has_value:
        return STATUSES["no_data"]
    return STATUSES["met"] if met else STATUSES["not_met"]


def html_text(status: Status, lead: str = "") -> str:
    """«цель ≥ 95,0 % · ✖ не выполнено» as HTML, the icon and the word in the status colour."""
    text = f"{html.escape(lead)} · " if lead else ""
    return (f'<span class="oka-status" style="color:{status.colour};font-size:0.875rem">'
            f'{text}<span aria-hidden="true">{status.icon}</span> {html.escape(status.word)}</span>')


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast(fg: str, bg: str) -> float:
    """WCAG 2.x contrast ratio of two colours (1 to 21)."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)
