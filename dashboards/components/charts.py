"""Charts the pages share, built to be read: one measure per axis, whole numbers on count axes,
the target as a line, and «нет данных» over a week or month without calls (never a zero)."""
from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from dashboards.labels import periods, with_when

NO_DATA = "нет данных"
MARGIN = {"l": 10, "r": 10, "t": 30, "b": 10}


def full_axis(df: pl.DataFrame, start: dt.date, end: dt.date, grain: str) -> pl.DataFrame:
    """``df`` (one row per ``period_start``) with a row, nulls in it, for every week or month without data."""
    axis = pl.DataFrame({"period_start": periods(start, end, grain)}, schema={"period_start": pl.Date})
    if df.is_empty():
        out = axis
    else:
        out = axis.join(df.with_columns(pl.col("period_start").cast(pl.Date)), on="period_start", how="left")
    return with_when(out, grain)


def line(df: pl.DataFrame, y: str, title: str, target: float | None = None, y_range: tuple | None = None,
         integer: bool = False, height: int = 260) -> go.Figure:
    """A measure over ``when``; gaps (nulls) marked «нет данных»; ``target`` as a dashed line."""
    fig = go.Figure(go.Scatter(x=df["when"].to_list(), y=df[y].to_list(), mode="lines+markers", name=title,
                               connectgaps=False, line={"color": "#1f4e99"},
                               hovertemplate="%{x}: %{y}<extra></extra>"))
    _no_data(fig, df, y)
    if target is not None:
        fig.add_hline(y=target, line_dash="dash", line_color="#b42318",
                      annotation_text=f"цель {str(target).replace('.', ',').removesuffix(',0')}",
                      annotation_position="top left")
    _layout(fig, title, height, integer, y_range)
    return fig


def bars(df: pl.DataFrame, y: str, title: str, height: int = 220) -> go.Figure:
    """A count over ``when`` on whole-number ticks; empty periods marked «нет данных»."""
    fig = go.Figure(go.Bar(x=df["when"].to_list(), y=df[y].to_list(), marker_color="#1f4e99", name=title,
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    _no_data(fig, df, y)
    _layout(fig, title, height, True, None)
    return fig


def _no_data(fig: go.Figure, df: pl.DataFrame, y: str) -> None:
    for when, value in zip(df["when"].to_list(), df[y].to_list(), strict=True):
        if value is None:
            fig.add_annotation(x=when, y=0, yref="paper", text=NO_DATA, showarrow=False, textangle=-90,
                               yanchor="bottom", font={"color": "#555a60", "size": 11})


def _layout(fig: go.Figure, title: str, height: int, integer: bool, y_range: tuple | None) -> None:
    yaxis: dict = {"title": None, "separatethousands": True, "rangemode": "tozero"}
    if integer:   # whole-number ticks only (never «0 1 1»): a step of 1 for small counts
        values = [v for t in fig.data for v in (t.y or ()) if v is not None]
        yaxis["tickformat"] = ",d"
        if max(values, default=0) <= 6:
            yaxis |= {"dtick": 1, "range": [0, max(values, default=0) + 0.5]}
    if y_range is not None:
        yaxis["range"] = list(y_range)
    fig.update_layout(title={"text": title, "font": {"size": 14}}, height=height, margin=MARGIN, showlegend=False,
                      separators=", ", yaxis=yaxis, xaxis={"type": "category", "title": None})
