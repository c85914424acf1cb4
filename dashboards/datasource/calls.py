"""Finding calls and opening one: the search (refused for personal data to masked roles) and the
call's page, as the signed-in user may see them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import streamlit as st

from analytics.access.policy import redact_call
from analytics.queries import views
from analytics.queries.call_search import CallFilter as CallFilter  # a search's filter, built by the pages
from dashboards import datasource as ds
from dashboards.datasource import store


def search_calls(flt: views.CallFilter) -> pl.DataFrame:
    from analytics.access.policy import MAX_QUERY_WORDS

    viewer = ds._viewer()
    flt = dataclasses.replace(flt, word_forms=tuple(flt.word_forms)[:MAX_QUERY_WORDS])   # however it was built
    flt = dataclasses.replace(flt, masked=not viewer.role.sees_pd)
    if viewer.role.own_calls_only:   # in the query, before its limit: the first 500 are the operator's own
        flt = dataclasses.replace(flt, operator_ids=(viewer.operator_id or "\x00",))
    if flt.masked and views.searches_personal_data(flt.word_forms, flt.query):
        # searching for a number or a name would tell which calls hold it: refused, with an empty result
        st.error("Поиск по персональным данным (номерам, именам) недоступен для вашей роли.")
        return store._view("search_calls", dataclasses.replace(flt, word_forms=(), query="")).clear()
    return store._view("search_calls", flt)


def call_detail(call_id: str) -> views.CallDetail | None:
    """The call as the signed-in user may see it: None if it is not theirs (an operator) or not stored."""
    return redact_call(ds._viewer(), store._call(store._db(), "call_detail", call_id))


def calls_in_period(date_from: dt.date, date_to: dt.date, limit: int = 500) -> pl.DataFrame:
    """The period's calls as the user may see them (the search with no filter), to pick some from."""
    return ds.search_calls(views.CallFilter(date_from, date_to, limit=limit))
