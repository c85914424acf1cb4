"""CSV and XLSX download buttons under every table."""
from __future__ import annotations

import io

import polars as pl
import streamlit as st

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _flat(df: pl.DataFrame) -> pl.DataFrame:
    """Lists (e.g. the values dictated in a call) as comma-separated text: CSV and XLSX cells hold no lists."""
    return df.with_columns(pl.col(c).cast(pl.List(pl.String)).list.join(", ")
                           for c, t in df.schema.items() if isinstance(t, pl.List))


def to_csv(df: pl.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Cyrillic right."""
    return b"\xef\xbb\xbf" + _flat(df).write_csv().encode("utf-8")


def to_xlsx(df: pl.DataFrame, sheet: str = "Данные") -> bytes:
    buf = io.BytesIO()
    _flat(df).write_excel(buf, worksheet=sheet[:31], autofit=True)
    return buf.getvalue()


def _logged(name: str, fmt: str, df: pl.DataFrame, build) -> bytes:
    """The file's bytes, after the export is in the audit log (who exported which table, how many rows)."""
    from dashboards import auth

    auth.log_event("export", f"{name}.{fmt}", {"rows": df.height, "columns": df.columns})
    return build(df)


def download_buttons(df: pl.DataFrame, name: str, key: str) -> None:
    """Two buttons: ``name``.csv and ``name``.xlsx of the table as shown (built only when clicked)."""
    with st.container(horizontal=True, key=f"{key}_export"):
        st.download_button("CSV", lambda: _logged(name, "csv", df, to_csv), file_name=f"{name}.csv",
                           mime="text/csv",
                           key=f"{key}_csv", on_click="ignore", icon=":material/download:", type="tertiary")
        st.download_button("XLSX", lambda: _logged(name, "xlsx", df, to_xlsx), file_name=f"{name}.xlsx",
                           mime=XLSX_MIME,
                           key=f"{key}_xlsx", on_click="ignore", icon=":material/download:", type="tertiary")
