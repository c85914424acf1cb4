"""The dashboard's queries (analytics/queries/views.py), auditor reviews, period presets, word forms and labels."""
from __future__ import annotations

import datetime as dt
import io

import dashboard_db
import polars as pl
import pytest

from analytics.catalogue.formats import fmt_number, fmt_pct, fmt_seconds
from analytics.queries import views
from analytics.queries.kpi import compute_kpis
from analytics.storage import reviews
from analytics.storage.store import connect
from dashboards.components import period as periods
from dashboards.labels import russian
from rules.lemmas import query_forms, word_forms

H1 = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return dashboard_db.build(tmp_path_factory.mktemp("views") / "t.duckdb")


@pytest.fixture()
def fresh_db(tmp_path):
    return dashboard_db.build(tmp_path / "t.duckdb")


def test_date_range_and_operators(db):
    assert views.date_range(db) == (dt.date(2025, 1, 10), dt.date(2025, 7, 8))
    assert views.operators(db)["operator_id"].to_list() == ["op1", "op3", "op2"]   # by name


@pytest.mark.parametrize(("period", "expected"), [
    (H1, {"readings": 4, "request.individual": 3, "billing": 2, "other": 1, "out_of_scope": 1, "request.legal": 1}),
    ((dt.date(2025, 7, 1), dt.date(2025, 12, 31)), {"readings": 1, "billing": 1}),
    ((dt.date(2024, 1, 1), dt.date(2024, 12, 31)), {}),
])
def test_calls_by_topic(db, period, expected):
    df = views.calls_by_topic(db, *period)
    assert dict(zip(df["topic"], df["calls"], strict=False)) == expected


@pytest.mark.parametrize(("grain", "operator", "expected_calls", "expected_violations"), [
    ("month", None, [2, 2, 2, 2, 2, 2], [2, 5, 2, 2, 1, 2]),       # c08's «Девушки из ПЭУ» was rejected
    ("week", "op1", [1, 1, 1, 1], [0, 2, 0, 0]),
])
def test_trend(db, grain, operator, expected_calls, expected_violations):
    df = views.trend(db, *H1, grain, operator)
    assert df["calls"].to_list() == expected_calls
    assert df["violations"].to_list() == expected_violations


def test_trend_rejects_unknown_grain(db):
    with pytest.raises(ValueError, match="grain"):
        views.trend(db, *H1, "day; DROP TABLE calls")


def test_rule_counts_leave_out_rejected_findings(db):
    df = views.rule_counts(db, *H1)
    counts = dict(zip(df["rule"], df["violations"], strict=False))
    assert counts["address.forbidden"] == 2            # c02, c05; c08 rejected
    assert counts["speech.jargon"] == 3
    # the same numbers as the KPIs (one definition of "counted")
    assert counts == compute_kpis(db, *H1)["violations"]


@pytest.mark.parametrize(("flt", "expected"), [
    (views.CallFilter(*H1, word_forms=(word_forms("девушка"),)), ["c08", "c03", "c02"]),   # девушки, девушку, Девушка
    (views.CallFilter(*H1, word_forms=query_forms("девушка подождите")), ["c02"]),
    (views.CallFilter(*H1, word_forms=query_forms("ДЕВУШКА")), ["c08", "c03", "c02"]),
    (views.CallFilter(*H1, word_forms=query_forms("бабушка")), []),
    (views.CallFilter(*H1, word_forms=query_forms("проблема")), ["c03"]),                    # «проблемы»
    (views.CallFilter(*H1, operator_ids=("op1",)), ["c10", "c07", "c02", "c01"]),
    (views.CallFilter(*H1, topics=("billing", "request.legal")), ["c09", "c05", "c03"]),
    (views.CallFilter(*H1, rule="address.forbidden"), ["c05", "c02"]),                     # c08 rejected
    (views.CallFilter(*H1, score_min=50, score_max=70), ["c08", "c05", "c03"]),
    (views.CallFilter(operator_ids=("op1",), score_max=90), ["c13", "c02"]),
    (views.CallFilter(*H1, limit=2), ["c12", "c11"]),
    (views.CallFilter(*H1, languages=("kk",)), ["c03"]),
    (views.CallFilter(*H1, languages=("kk", "mixed")), ["c09", "c03"]),
    (views.CallFilter(*H1, languages=("unknown",)), []),
])
def test_search_calls(db, flt, expected):
    assert views.search_calls(db, flt)["call_id"].to_list() == expected


def test_search_quotes_the_matching_utterance(db):
    df = views.search_calls(db, views.CallFilter(*H1, word_forms=query_forms("девушки")))
    assert dict(zip(df["call_id"], df["quote"], strict=False))["c03"] == "Позовите девушку постарше."


@pytest.mark.parametrize("call_id, expected", [
    ("c03", [("speech.filler", "language"), ("tempo.fast", "language")]),
    ("c02", []),
])
def test_call_detail_lists_the_rules_not_assessed(db, call_id, expected):
    assert views.call_detail(db, call_id).extra["not_assessed"] == expected


def test_call_detail_cross_checks_readings(db):
    d = views.call_detail(db, "c13")
    assert d.call["operator_name"] == "Айгуль Сапарова"
    assert d.utterances["text"].to_list()[-1] == "Ты подожди, девушка."
    assert d.findings["rule"].to_list() == ["address.ty", "address.forbidden", "closing.missing"]
    row = d.readings.row(0, named=True)
    assert (row["reading_id"], row["value"], row["dictated"], row["value_matches"]) == ("m3", 410.0, [400.0], False)
    assert row["minutes_after_call"] == pytest.approx(17.8)
    ok = views.call_detail(db, "c11").readings.row(0, named=True)
    assert ok["value_matches"] is True
    req = views.call_detail(db, "c08").requests.row(0, named=True)
    assert (req["request_id"], req["minutes_after_call"]) == ("r2", pytest.approx(11.7))
    assert views.call_detail(db, "nope") is None


@pytest.mark.parametrize(("state", "rule", "expected"), [
    ("all", None, 15),
    ("unreviewed", None, 13),
    ("rejected", None, 1),
    ("confirmed", "address.forbidden", 1),
    ("all", "speech.jargon", 3),
])
def test_findings_for_review(db, state, rule, expected):
    assert views.findings_for_review(db, *H1, rule, state).height == expected


def test_review_changes_kpis_and_precision(fresh_db):
    before = compute_kpis(fresh_db, *H1)["violations"]["speech.rude"]
    reviews.save_review(fresh_db, "c03", 1, "rejected", "ирония, не грубость", "аудитор")
    after = compute_kpis(fresh_db, *H1)["violations"].get("speech.rude", 0)
    assert (before, after) == (1, 0)
    prec = views.rule_precision(fresh_db).filter(pl.col("rule") == "speech.rude").row(0, named=True)
    assert (prec["reviewed"], prec["rejected"], prec["precision_pct"]) == (1, 1, 0.0)
    # a new verdict replaces the old one; clearing brings the finding back
    reviews.save_review(fresh_db, "c03", 1, "confirmed")
    assert compute_kpis(fresh_db, *H1)["violations"]["speech.rude"] == 1
    reviews.save_review(fresh_db, "c08", 0, "confirmed")
    assert reviews.clear_review(fresh_db, "c08", 0) is True
    assert reviews.clear_review(fresh_db, "c08", 0) is False
    assert compute_kpis(fresh_db, *H1)["violations"]["address.forbidden"] == 3


@pytest.mark.parametrize(("call_id", "idx", "verdict", "message"), [
    ("c03", 1, "maybe", "verdict must be one of"),
    ("c03", 99, "rejected", "no finding 99 in call c03"),
    ("zzz", 0, "confirmed", "no finding 0 in call zzz"),
])
def test_bad_reviews_are_refused(fresh_db, call_id, idx, verdict, message):
    with pytest.raises(reviews.ReviewError, match=message):
        reviews.save_review(fresh_db, call_id, idx, verdict)


@pytest.mark.parametrize(("p", "label", "start", "end", "prev_start", "prev_end"), [
    (periods.half(2025, 1), "I полугодие 2025", "2025-01-01", "2025-06-30", "2024-07-01", "2024-12-31"),
    (periods.half(2025, 2), "II полугодие 2025", "2025-07-01", "2025-12-31", "2025-01-01", "2025-06-30"),
    (periods.quarter(2025, 1), "I квартал 2025", "2025-01-01", "2025-03-31", "2024-10-01", "2024-12-31"),
    (periods.quarter(2025, 4), "IV квартал 2025", "2025-10-01", "2025-12-31", "2025-07-01", "2025-09-30"),
    (periods.month(2024, 3), "март 2024", "2024-03-01", "2024-03-31", "2024-02-01", "2024-02-29"),
    (periods.month(2025, 1), "январь 2025", "2025-01-01", "2025-01-31", "2024-12-01", "2024-12-31"),
    (periods.custom(dt.date(2025, 3, 10), dt.date(2025, 3, 1)), "01.03.2025 – 10.03.2025",
     "2025-03-01", "2025-03-10", "2025-02-19", "2025-02-28"),
    # a range that is exactly a calendar half, quarter or month compares with the one before it, as the
    # report does (found in issue 20's audit of the Справка: the page went back the same number of days)
    (periods.custom(dt.date(2026, 7, 1), dt.date(2026, 12, 31)), "II полугодие 2026",
     "2026-07-01", "2026-12-31", "2026-01-01", "2026-06-30"),
    (periods.custom(dt.date(2026, 10, 1), dt.date(2026, 10, 31)), "октябрь 2026",
     "2026-10-01", "2026-10-31", "2026-09-01", "2026-09-30"),
    (periods.custom(dt.date(2026, 7, 1), dt.date(2026, 9, 30)), "III квартал 2026",
     "2026-07-01", "2026-09-30", "2026-04-01", "2026-06-30"),
    # three calendar months that are no quarter: the three months before, under their dates
    (periods.custom(dt.date(2026, 2, 1), dt.date(2026, 4, 30)), "01.02.2026 – 30.04.2026",
     "2026-02-01", "2026-04-30", "2025-11-01", "2026-01-31"),
])
def test_periods(p, label, start, end, prev_start, prev_end):
    from analytics.reports.model import Period as ReportPeriod

    assert (p.label, p.start.isoformat(), p.end.isoformat()) == (label, start, end)
    assert (p.previous().start.isoformat(), p.previous().end.isoformat()) == (prev_start, prev_end)
    # the report compares the same range with the same period before it
    assert ReportPeriod(p.start, p.end).previous() == ReportPeriod(p.previous().start, p.previous().end)


@pytest.mark.parametrize(("word", "must_have"), [
    ("девушка", {"девушки", "девушку", "девушкой", "девушек"}),
    ("Девушки", {"девушка", "девушкам"}),
    ("подождите", {"подожди", "подождать"}),
    ("ёлка", {"елка", "елки"}),
    ("123", {"123"}),
])
def test_word_forms(word, must_have):
    assert must_have <= set(word_forms(word))


@pytest.mark.parametrize(("value", "fn", "text"), [
    (1840, fmt_number, "1\u00a0840"), (91.44, fmt_number, "91,4"), (None, fmt_number, "—"),
    (float("nan"), fmt_number, "—"), (96.1, fmt_pct, "96,1 %"), (None, fmt_pct, "—"), (67, fmt_seconds, "01:07"),
    (0.0, fmt_seconds, "00:00"), (36.982, fmt_seconds, "00:37"), (None, fmt_seconds, "—"),
])
def test_formats(value, fn, text):
    assert fn(value) == text


def test_russian_headers_and_topics():
    df = russian(pl.DataFrame({"rule": ["address.ty"], "clause": ["15.1"], "topic": ["readings"], "verdict": [None],
                               "link_method": ["account_near"], "score": [94.5], "start": [36.982]}),
                 {"address.ty": ("15.1", "Обращение на «ты»")})
    assert df.columns == ["Нарушение", "Тема", "Решение", "Связь", "Балл", "Момент"]
    assert df.row(0) == ("п. 15.1 · Обращение на «ты»", "Показания", "не проверено", "по номеру счёта с одной ошибкой",
                         "94,5", "00:37")


def test_exports_open_in_excel_with_russian_headers(db):
    from dashboards.components.export import to_csv, to_xlsx

    shown = russian(views.call_detail(db, "c13").readings)           # has a list column (dictated values)
    csv = to_csv(shown)
    assert csv.startswith(b"\xef\xbb\xbf")                             # Excel needs the BOM for Cyrillic
    header, row = csv[3:].decode("utf-8").splitlines()[:2]
    assert header.split(",")[:4] == ["Показание", "Лицевой счёт", "Прибор учёта", "Значение"]
    assert row.startswith("m3,2003,ГВС-3,410,")
    back = pl.read_excel(io.BytesIO(to_xlsx(shown)))
    assert back.columns == shown.columns and back["Продиктовано"].to_list() == ["400"]


@pytest.mark.parametrize("change", [
    "INSERT INTO calls (call_id, started_at, ingested_at) VALUES ('c99', '2025-03-01 10:00', now())",
    "UPDATE requests SET completed_at = '2025-04-20 10:00' WHERE request_id = 'r2'",
    "UPDATE readings SET value = 400 WHERE reading_id = 'm3'",
    "UPDATE links SET call_id = NULL WHERE record_id = 'm1'",
    "INSERT INTO review_events (seq, decided_at, who, kind, call_id, idx, rule) "
    "VALUES (100, '2025-07-02', 'qa', 'reject', 'c03', 2, 'speech.filler')",
    "INSERT INTO review_events (seq, decided_at, who, kind, call_id, criterion, answer, weight) "
    "VALUES (101, '2025-07-02', 'qa', 'answer', 'c03', 'c13.tone', 'no', 10)",   # a form changes the call's score
])
def test_data_version_changes_with_the_data(fresh_db, change):
    before = views.data_version(fresh_db)
    assert views.data_version(fresh_db) == before            # stable while nothing changes
    with connect(fresh_db) as con:
        con.execute(change)
    assert views.data_version(fresh_db) != before


@pytest.mark.parametrize(("query", "masked", "expected"), [
    ("Ирлан", False, ["c03"]),         # a role that sees personal data finds the call by the customer's name
    ("Ирлан", True, []),               # a masked role does not (its transcript shows «[ФИО]»)
    ("ирлан назовите", True, []),
    ("назовите", True, ["c03"]),       # other words stay searchable
    ("восемь семьсот один", True, []),
    ("девушка", True, ["c08", "c03", "c02"]),
])
def test_a_masked_search_does_not_find_calls_by_personal_data(fresh_db, query, masked, expected):
    with connect(fresh_db) as con:
        con.execute('INSERT INTO utterances (call_id, idx, speaker, start, "end", text) VALUES (?,?,?,?,?,?)',
                    ["c03", 9, "operator", 13.0, 15.0, "Ирлан, назовите лицевой счёт, восемь семьсот один."])
    flt = views.CallFilter(*H1, word_forms=query_forms(query), masked=masked)
    assert views.search_calls(fresh_db, flt)["call_id"].to_list() == expected


def _scores(db) -> dict[str, float]:
    """Every score a rejection must move: the call's (detail and search), its operator's, the month's,
    the topic's and the department's (``oka-qa kpi``)."""
    from analytics.queries.kpi import by_operator

    h1 = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    ops = by_operator(db, *h1)
    found = views.search_calls(db, views.CallFilter(*h1))
    return {"call": views.call_detail(db, "c03").call["score"],
            "search": found.filter(pl.col("call_id") == "c03")["score"][0],
            "operator": ops.filter(pl.col("operator_id") == "op2")["compliance_score_avg"][0],
            "month": views.trend(db, *h1, "month").filter(pl.col("period_start") == dt.date(2025, 2, 1))["score"][0],
            "topic": views.calls_by_topic(db, *h1).filter(pl.col("topic") == "billing")["score"][0],
            "department": compute_kpis(db, *h1)["compliance_score_avg"]}


@pytest.mark.parametrize(("idx", "verdict", "gives_back"), [
    (1, "rejected", True),      # c03's only «speech.rude» finding: the rule's weight comes back to the score
    (1, "confirmed", False),    # a confirmation changes nothing
    (2, "rejected", True),      # «speech.filler»
])
def test_every_score_follows_a_decision(fresh_db, idx, verdict, gives_back):
    from analytics.queries.scores import weight_of

    rule = {1: "speech.rude", 2: "speech.filler"}[idx]
    call_after = 60.0 + (weight_of(rule) if gives_back else 0.0)     # the weights of the rulebook in use
    before = _scores(fresh_db)
    assert before["call"] == 60.0
    reviews.save_review(fresh_db, "c03", idx, verdict, "проверено", "аудитор")
    after = _scores(fresh_db)
    assert after["call"] == after["search"] == call_after
    moved = {k for k in before if after[k] != before[k]}
    assert moved == (set() if verdict == "confirmed" else set(before)), (before, after)
    reviews.clear_review(fresh_db, "c03", idx)
    assert _scores(fresh_db) == before                           # withdrawn: everything as it was
