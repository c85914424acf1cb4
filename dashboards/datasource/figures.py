"""The numbers the tiles and tables show: KPIs (the same as ``oka-qa kpi --json``), the records behind
them, the period, per-topic, per-operator and per-rule views.
"""
from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from analytics.access.policy import redact_frame
from analytics.queries import views
from dashboards import datasource as ds
from dashboards.datasource import store
from dashboards.datasource.store import TTL_S, Store


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _kpis(db: Store, date_from: dt.date, date_to: dt.date) -> dict:
    from analytics.queries.kpi import compute_kpis

    return compute_kpis(db.path, date_from, date_to)


def kpis(date_from: dt.date, date_to: dt.date) -> dict:
    """docs/CONTRACT.md section 5 for the period (``analytics.queries.kpi.compute_kpis``)."""
    return _kpis(store._db(), date_from, date_to)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _kpi_list(db: Store, name: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    from analytics.queries.kpi_lists import LISTS

    return LISTS[name](db.path, date_from, date_to)


def kpi_list(name: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """The records behind the KPI ``name`` (``analytics.queries.kpi_lists.LISTS``): the tiles' definitions."""
    return redact_frame(ds._viewer(), _kpi_list(store._db(), name, date_from, date_to))


def kpi_list_counts(date_from: dt.date, date_to: dt.date) -> dict[str, int]:
    """How many records each list of the KPI catalogue holds (the counts on the tabs and tiles)."""
    from analytics.catalogue.kpis import with_records

    return {k.records.name: ds.kpi_list(k.records.name, date_from, date_to).height for k in with_records()}


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _date_range(db: Store) -> tuple[dt.date | None, dt.date | None]:
    return views.date_range(db.path)


def date_range() -> tuple[dt.date | None, dt.date | None]:
    return _date_range(store._db())


def operators() -> pl.DataFrame:
    return store._view("operators")


def calls_by_topic(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return store._view("calls_by_topic", date_from, date_to)


def trend(date_from: dt.date, date_to: dt.date, grain: str, operator_id: str | None = None) -> pl.DataFrame:
    return store._view("trend", date_from, date_to, grain, operator_id)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _by_operator(db: Store, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    from analytics.queries.kpi import by_operator

    return by_operator(db.path, date_from, date_to)


def operator_table(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """Per operator who took a call in the period: the KPIs of ``analytics.queries.kpi`` (one definition) and names."""
    kpi = redact_frame(ds._viewer(), _by_operator(store._db(), date_from, date_to).filter(pl.col("calls") > 0))
    return (kpi.join(ds.operators(), on="operator_id", how="left")
            .select("operator_id", pl.coalesce("operator_name", "operator_id").alias("operator_name"), "calls",
                    pl.col("compliance_score_avg").alias("score"), "violations",
                    (100.0 * pl.col("violations") / pl.col("calls")).round(1).alias("per_100_calls"),
                    "requests_registered_on_time_pct", "readings_entered_on_time_pct",
                    "requests_overdue", "calls_missing_record")
            .sort("operator_name"))


def operator_clauses(operator_id: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return store._view("operator_clauses", operator_id, date_from, date_to)


def worst_moments(operator_id: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return store._view("worst_moments", operator_id, date_from, date_to)


def rule_counts(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return store._view("rule_counts", date_from, date_to)


def rule_trend(date_from: dt.date, date_to: dt.date, grain: str) -> pl.DataFrame:
    return store._view("rule_trend", date_from, date_to, grain)


def rule_precision() -> pl.DataFrame:
    return store._view("rule_precision")
