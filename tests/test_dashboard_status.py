"""Status text meets WCAG AA: every status colour against every background it is shown on has a
contrast ratio of at least 4.5:1, and every status carries an icon, not colour alone."""
from __future__ import annotations

from pathlib import Path

import pytest

from dashboards.components import status

PAIRS = [(name, bg) for name in status.STATUSES for bg in status.BACKGROUNDS]


@pytest.mark.parametrize(("name", "background"), PAIRS, ids=[f"{n}-on-{b}" for n, b in PAIRS])
def test_status_colour_meets_wcag_aa(name, background):
    ratio = status.contrast(status.STATUSES[name].colour, background)
    assert ratio >= 4.5, f"{name} {status.STATUSES[name].colour} on {background}: {ratio:.2f}:1"


@pytest.mark.parametrize(("fg", "bg", "ratio"), [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0),
                                                 ("#767676", "#ffffff", 4.54)])
def test_contrast_formula(fg, bg, ratio):
    assert status.contrast(fg, bg) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("name", list(status.STATUSES))
def test_status_has_an_icon_and_a_word(name):
    s = status.STATUSES[name]
    assert s.icon and s.word and s.icon in status.html_text(s, "цель")


def test_pinned_grid_columns_are_legible():
    """Streamlit draws a grid's pinned columns faded (60 % opacity): with the served text colour they still
    meet WCAG AA on white; with Streamlit's default text colour (#31333F) they read 3,7:1 and fail."""
    from cli.serve import streamlit_command

    cmd = streamlit_command(Path("/data/oka.duckdb"), 8765, "127.0.0.1")
    served = cmd[cmd.index("--theme.textColor") + 1]
    assert served == status.TEXT_COLOUR
    assert status.contrast(status.over(served, status.PINNED_ALPHA), "#ffffff") >= 4.5
    assert status.contrast(status.over("#31333F", status.PINNED_ALPHA), "#ffffff") < 4.5


if __name__ == "__main__":      # the ratios, for the closing note
    for name, bg in PAIRS:
        colour = status.STATUSES[name].colour
        print(f"{name:10} {colour} on {bg}: {status.contrast(colour, bg):.2f}:1")
    pinned = status.over(status.TEXT_COLOUR, status.PINNED_ALPHA)
    ratio = status.contrast(pinned, '#ffffff')
    print(f"pinned grid text {status.TEXT_COLOUR} at 60 % ({pinned}) on #ffffff: {ratio:.2f}:1")
