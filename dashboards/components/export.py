"""CSV and XLSX downloads under every table: built when fetched, logged with who prepared them.

The links go through the app's own route (``dashboards.components.served``): the export is in the
audit log under the signed-in user who saw the table, and the file is given to that session only.
Cells that a spreadsheet would run as a formula (``= + - @`` first, or a tab or carriage return) are
written as text (``neutralise``).
"""
from __future__ import annotations

import io

import polars as pl
import streamlit as st

from dashboards.components.served import download_link

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and full-width


def _flat(df: pl.DataFrame) -> pl.DataFrame:
    """Lists (e.g. the values dictated in a call) as comma-separated text: CSV and XLSX cells hold no lists."""
    return df.with_columns(pl.col(c).cast(pl.List(pl.String)).list.join(", ")
                           for c, t in df.schema.items() if isinstance(t, pl.List))


def neutralise(df: pl.DataFrame) -> pl.DataFrame:
    """Every text cell that starts like a formula gets a leading apostrophe: Excel and LibreOffice show
    it as the text it is (OWASP's advice for CSV injection).  Numbers stay numbers."""
    df = _flat(df)
    starts = "".join(FORMULA_START)
    return df.with_columns(
        pl.when(pl.col(c).str.contains(f"^[{_escape_class(starts)}]")).then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c)).alias(c)
        for c, t in df.schema.items() if t == pl.String)


def _escape_class(chars: str) -> str:
    return "".join("\\" + ch if ch in "\\^-]" else ch for ch in chars).replace("\t", "\\t").replace(
        "\r", "\\r").replace("\n", "\\n")


def to_csv(df: pl.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Cyrillic right."""
    return b"\xef\xbb\xbf" + neutralise(df).write_csv().encode("utf-8")


def to_xlsx(df: pl.DataFrame, sheet: str = "Данные") -> bytes:
    buf = io.BytesIO()
    neutralise(df).write_excel(buf, worksheet=sheet[:31], autofit=True)
    return buf.getvalue()


def download_buttons(df: pl.DataFrame, name: str, key: str) -> None:
    """Two links: ``name``.csv and ``name``.xlsx of the table as shown (built only when fetched)."""
    detail = {"rows": df.height, "columns": df.columns[:40]}
    with st.container(horizontal=True, key=f"{key}_export"):
        download_link("CSV", f"{name}.csv", "text/csv", lambda: to_csv(df), key=f"{key}_csv", detail=detail)
        download_link("XLSX", f"{name}.xlsx", XLSX_MIME, lambda: to_xlsx(df), key=f"{key}_xlsx", detail=detail)
