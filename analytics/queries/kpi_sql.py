"""The SQL behind the KPIs of docs/CONTRACT.md section 5, written once.

Three base relations carry one row per call, request and reading of the period,
with a boolean column per KPI condition; ``analytics.queries.kpi`` counts those flags
(in total or grouped) and ``analytics.queries.kpi_lists`` lists the rows behind each
number, so a figure and its list cannot disagree.

Parameters, in this order, for every query built here: ``lo`` (first day
00:00), ``hi`` (the day after the last, 00:00, exclusive) and ``cutoff`` (the
moment request states are judged at: ``hi`` or now, whichever is earlier).

Definitions (section 5):

* a call is in the period if it started in [lo, hi);
* a request (reading) is in the period if created (entered) in [lo, hi);
* registered on time: linked, and created no later than 7 minutes after the
  linked call ended (a record created before the call ended is on time);
* due day: the 10th working day after the day of creation (table ``calendar``);
* a request is *completed* if ``completed_at`` is before the cutoff: one
  completed after the end of the period was still open at its end;
* completed on time: completed on or before its due day;
* past due: open at the cutoff and the due day is over by then
  (cutoff >= due day + 1 day); ``requests_overdue`` counts these;
* the completion percentage is over the completed and the past-due requests;
  open requests not yet due are in neither part;
* incomplete: households miss account, contact or reason; legal entities miss
  contract_no, object_name, meter, contact or reason;
* a reading is entered on time if linked and entered no later than 5 minutes
  after the linked call ended;
* value mismatch: the reading is linked, its call has dictated values
  (``call_readings``) and none equals the entered value (tolerance 1e-6); a
  call with no dictated value gives no mismatch — nothing to compare;
* a call misses its record if its topic is ``request.*`` or ``readings`` and
  no request or reading is linked to it (any record, of any date);
* a finding counts unless an auditor rejected it (``reviews.verdict =
  'rejected'`` for the same call, index and rule).
"""
from __future__ import annotations

REGISTER_MINUTES = 7
READING_MINUTES = 5
VALUE_TOLERANCE = 1e-6

PARAMS = "params AS (SELECT CAST(? AS TIMESTAMP) AS lo, CAST(? AS TIMESTAMP) AS hi, CAST(? AS TIMESTAMP) AS cutoff)"

CALLS_BASE = """
calls_p AS (
    SELECT c.*,
           (c.topic LIKE 'request.%' OR c.topic = 'readings')
             AND c.call_id NOT IN (SELECT call_id FROM links WHERE call_id IS NOT NULL) AS missing_record
    FROM calls c, params p
    WHERE c.started_at >= p.lo AND c.started_at < p.hi
)"""

FINDINGS_BASE = """
findings_p AS (
    SELECT f.*, c.operator_id, c.started_at, c.topic
    FROM findings f JOIN calls_p c USING (call_id)
    -- (call_id, idx) is the key of reviews: a join, not a correlated NOT EXISTS (5x faster)
    LEFT JOIN reviews rv ON rv.call_id = f.call_id AND rv.idx = f.idx AND rv.verdict = 'rejected'
    WHERE rv.call_id IS NULL OR (rv.rule IS NOT NULL AND rv.rule <> f.rule)
)"""

REQUESTS_BASE = f"""
requests_p AS (
    SELECT r.*, l.call_id AS linked_call, l.method AS link_method, lc.ended_at AS call_ended_at,
           lc.topic AS call_topic, cal.due_day,
           l.call_id IS NOT NULL AS linked,
           l.call_id IS NOT NULL
             AND r.created_at <= lc.ended_at + INTERVAL {REGISTER_MINUTES} MINUTE AS registered_on_time,
           r.completed_at IS NOT NULL AND r.completed_at < p.cutoff AS completed,
           r.completed_at IS NOT NULL AND r.completed_at < p.cutoff
             AND CAST(r.completed_at AS DATE) <= cal.due_day AS completed_on_time,
           NOT (r.completed_at IS NOT NULL AND r.completed_at < p.cutoff)
             AND p.cutoff >= cal.due_day + INTERVAL 1 DAY AS overdue,
           list_filter(CASE WHEN r.customer_type = 'legal'
                            THEN [CASE WHEN r.contract_no IS NULL THEN 'contract_no' END,
                                  CASE WHEN r.object_name IS NULL THEN 'object_name' END,
                                  CASE WHEN r.meter IS NULL THEN 'meter' END,
                                  CASE WHEN r.contact IS NULL THEN 'contact' END,
                                  CASE WHEN r.reason IS NULL THEN 'reason' END]
                            ELSE [CASE WHEN r.account IS NULL THEN 'account' END,
                                  CASE WHEN r.contact IS NULL THEN 'contact' END,
                                  CASE WHEN r.reason IS NULL THEN 'reason' END] END,
                       lambda x: x IS NOT NULL) AS missing_fields
    FROM requests r CROSS JOIN params p
    LEFT JOIN links l ON l.record_type = 'request' AND l.record_id = r.request_id
    LEFT JOIN calls lc ON lc.call_id = l.call_id
    LEFT JOIN calendar cal ON cal.day = CAST(r.created_at AS DATE)
    WHERE r.created_at >= p.lo AND r.created_at < p.hi
)"""

# The dictated values are joined for the period's linked readings only (not looked up per row):
# a third less CPU than correlated subqueries on call_readings.
READINGS_BASE = f"""
readings_base AS (
    SELECT r.*, l.call_id AS linked_call, l.method AS link_method, lc.ended_at AS call_ended_at,
           lc.topic AS call_topic,
           l.call_id IS NOT NULL AS linked,
           l.call_id IS NOT NULL
             AND r.entered_at <= lc.ended_at + INTERVAL {READING_MINUTES} MINUTE AS entered_on_time
    FROM readings r CROSS JOIN params p
    LEFT JOIN links l ON l.record_type = 'reading' AND l.record_id = r.reading_id
    LEFT JOIN calls lc ON lc.call_id = l.call_id
    WHERE r.entered_at >= p.lo AND r.entered_at < p.hi
),
readings_dictated AS (
    SELECT b.reading_id, list(cr.value ORDER BY cr.idx) AS dictated_values,
           bool_or(abs(cr.value - b.value) <= {VALUE_TOLERANCE}) AS any_equal
    FROM readings_base b JOIN call_readings cr ON cr.call_id = b.linked_call
    GROUP BY b.reading_id
),
readings_p AS (
    SELECT b.*, d.dictated_values, coalesce(NOT d.any_equal, false) AS value_mismatch
    FROM readings_base b LEFT JOIN readings_dictated d USING (reading_id)
)"""


def with_bases(*names: str) -> str:
    """``WITH params, <bases...>`` for the base relations named (in dependency order)."""
    parts = {"calls": CALLS_BASE, "findings": FINDINGS_BASE, "requests": REQUESTS_BASE, "readings": READINGS_BASE}
    if "findings" in names and "calls" not in names:
        names = ("calls",) + names
    ordered = [n for n in ("calls", "findings", "requests", "readings") if n in names]
    return "WITH " + ",\n".join([PARAMS] + [parts[n] for n in ordered])


def pct(num: str, den: str) -> str:
    """A percentage rounded to 0.1, NULL over zero items."""
    return f"round(100.0 * count(*) FILTER (WHERE {num}) / nullif(count(*) FILTER (WHERE {den}), 0), 1)"
