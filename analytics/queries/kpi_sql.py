"""The SQL behind the KPIs of docs/CONTRACT.md section 5 (revised), written once.

Three base relations carry one row per call, request and reading of the period,
with a boolean column per KPI condition; ``analytics.queries.kpi`` counts those flags
(in total or grouped) and ``analytics.queries.kpi_lists`` lists the rows behind each
number, so a figure and its list cannot disagree.

Parameters, in this order, for every query built here: ``lo`` (first day
00:00), ``hi`` (the day after the last, 00:00, exclusive), ``cutoff`` (the end
of the period or now, whichever is earlier: the moment "open and past due" is
judged at) and ``now`` (the moment the KPI is computed: completion is judged on
what is known then).

Definitions (section 5):

* a call is in the period if it started in [lo, hi); a request (reading) if
  created (entered) in [lo, hi);
* a call *needs a request* if one of its ``topics`` is ``request.*``, *a
  reading* if ``readings`` is among them (a call stored without ``topics``
  has its ``topic`` alone); it *has* one if a request (reading) of any date is
  linked to it; ``request_not_registered`` / ``reading_not_entered``: needs
  one and has none;
* registrations due = the period's linked requests + the period's calls with
  ``request_not_registered``; registered on time: linked and created no later
  than 7 minutes after the linked call ended (a record created before the call
  ended is on time); a call with no request is never on time.  Entries due and
  entered on time likewise for readings, with 5 minutes;
* unlinked: a record of the period linked to no call (listed, not judged);
* due day: the 10th working day after the day of creation (table ``calendar``);
* completion, judged at ``now``: completed (``completed_at`` at or before now)
  on or before the due day -> on time; completed after it, or still open once
  it is over -> late; open with the due day not over -> not judged; a request
  completed after the period ends is judged like any other;
* past due (``requests_overdue``): open at the cutoff and its due day over by
  then (cutoff >= due day + 1 day);
* incomplete: households miss account, contact or reason; legal entities miss
  contract_no, object_name, meter, contact or reason;
* sealing reason invalid (clause 20): a household (``individual``) sealing
  request whose reason (``reason_classes``, rules/reasons.py) is none of
  plumbing works, emergency, meter replaced by the customer — a missing
  reason included;
* numbers said (clause 12): the linked call's ``call_numbers`` that can be an
  account or contract number: ``SAID_MIN_DIGITS`` digits or more (or the record's own number, whatever its
  length: said, it verifies the record), not a phone
  number (10+ digits starting with 7 or 8), not a value dictated in the call;
  heard surely unless ``heard_numbers`` gives a confidence below
  ``MIN_CONFIDENCE`` (a transcript without word probabilities is sure);
* record mismatch: a linked record with an account or contract number, whose
  call said numbers, none equal to the record's, all heard surely; record
  unverifiable: none equal and some heard unsurely — or, for a reading, the
  value equals no dictated value and some dictated value was heard unsurely;
* value mismatch: a linked reading whose call dictated values, none equal to
  the entered value (tolerance 1e-6), all heard surely;
* a finding counts unless an auditor rejected it (``reviews.verdict =
  'rejected'`` for the same call, index and rule); a violation an auditor
  added (``added_violations``, not retracted) counts as well;
* a value or record mismatch counts unless the head or an auditor dismissed it
  (``discrepancy_reviews.verdict = 'dismissed'``, analytics/storage/discrepancies.py);
  ``*_found`` is the mismatch as computed, before the decisions, and ``*_verdict``
  the standing verdict (confirmed | dismissed | NULL).
"""
from __future__ import annotations

from analytics.queries.scores import scored_calls, scored_ctes

REGISTER_MINUTES = 7
READING_MINUTES = 5
VALUE_TOLERANCE = 1e-6
MIN_CONFIDENCE = 0.5       # a number heard less surely is not compared (clause 12): the rulebook's default
SAID_MIN_DIGITS = 5        # shorter numbers said in a call are times, sums, flat numbers — not accounts
LANGUAGES = ("ru", "kk", "mixed", "unknown")
SEALING_REASONS_VALID = ("plumbing", "emergency", "meter_replaced")

PARAMS = ("params AS (SELECT CAST(? AS TIMESTAMP) AS lo, CAST(? AS TIMESTAMP) AS hi, "
          "CAST(? AS TIMESTAMP) AS cutoff, CAST(? AS TIMESTAMP) AS now)")

_TOPICS = "coalesce(c.topics, [c.topic])"

CALLS_BASE = f"""
calls_p AS (
    SELECT c.*,
           CASE WHEN c.language IN {LANGUAGES} THEN c.language ELSE 'unknown' END AS call_language,
           len(list_filter({_TOPICS}, lambda x: x LIKE 'request.%')) > 0 AS needs_request,
           list_contains({_TOPICS}, 'readings') AS needs_reading,
           len(list_filter({_TOPICS}, lambda x: x LIKE 'request.%')) > 0
             AND c.call_id NOT IN (SELECT call_id FROM links WHERE record_type = 'request')
             AS request_not_registered,
           list_contains({_TOPICS}, 'readings')
             AND c.call_id NOT IN (SELECT call_id FROM links WHERE record_type = 'reading') AS reading_not_entered,
           c.auto_score IS NULL AS not_assessed   -- the rulebook's score; c.score is a form's where one exists
    -- the score as it stands: a form's, else the rulebook's after the auditors' decisions (analytics.queries.scores)
    FROM (SELECT {scored_calls("c0")}) c, params p
    WHERE c.started_at >= p.lo AND c.started_at < p.hi
)"""

FINDINGS_BASE = """
findings_p AS (
    SELECT f.*, c.operator_id, c.started_at, c.topic
    FROM findings f JOIN calls_p c USING (call_id)
    -- (call_id, idx) is the key of reviews: a join, not a correlated NOT EXISTS (5x faster)
    LEFT JOIN reviews rv ON rv.call_id = f.call_id AND rv.idx = f.idx AND rv.verdict = 'rejected'
    WHERE rv.call_id IS NULL OR (rv.rule IS NOT NULL AND rv.rule <> f.rule)
    UNION ALL BY NAME   -- and the violations auditors added (analytics/storage/reviews.py, counted_violations)
    SELECT v.*, c.operator_id, c.started_at, c.topic
    FROM counted_violations v JOIN calls_p c USING (call_id)
    WHERE v.source = 'auditor'
)"""

_DIGITS = "nullif(regexp_replace(coalesce({col}, ''), '[^0-9]', '', 'g'), '')"

REQUESTS_BASE = f"""
requests_base AS (
    SELECT r.*, l.call_id AS linked_call, l.method AS link_method, lc.ended_at AS call_ended_at,
           lc.topic AS call_topic, cal.due_day,
           l.call_id IS NOT NULL AS linked,
           l.call_id IS NOT NULL
             AND r.created_at <= lc.ended_at + INTERVAL {REGISTER_MINUTES} MINUTE AS registered_on_time,
           r.completed_at IS NOT NULL AND r.completed_at <= p.now AS completed,
           r.completed_at IS NOT NULL AND r.completed_at <= p.now
             AND CAST(r.completed_at AS DATE) <= cal.due_day AS completed_on_time,
           (r.completed_at IS NOT NULL AND r.completed_at <= p.now AND CAST(r.completed_at AS DATE) > cal.due_day)
             OR (NOT (r.completed_at IS NOT NULL AND r.completed_at <= p.now)
                 AND p.now >= cal.due_day + INTERVAL 1 DAY) AS completed_late,
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
                       lambda x: x IS NOT NULL) AS missing_fields,
           CASE WHEN r.reason IS NULL THEN 'missing' ELSE rc.reason_class END AS reason_class,
           coalesce(r.customer_type, 'individual') = 'individual' AND r.kind = 'sealing'
             AND (r.reason IS NULL OR rc.reason_class NOT IN {SEALING_REASONS_VALID}) AS sealing_reason_invalid
    FROM requests r CROSS JOIN params p
    LEFT JOIN links l ON l.record_type = 'request' AND l.record_id = r.request_id
    LEFT JOIN calls lc ON lc.call_id = l.call_id
    LEFT JOIN calendar cal ON cal.day = CAST(r.created_at AS DATE)
    LEFT JOIN reason_classes rc ON rc.reason = r.reason
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
           bool_or(abs(cr.value - b.value) <= {VALUE_TOLERANCE}) AS any_equal,
           -- the lower of the digits' own confidence (schema Reading.confidence) and that of the number
           -- words of the utterance that dictated it (heard_numbers); none known: sure
           bool_and(least(coalesce(cr.confidence, 1.0), coalesce(h.confidence, 1.0)) >= {MIN_CONFIDENCE}) AS all_sure
    FROM readings_base b JOIN call_readings cr ON cr.call_id = b.linked_call
    LEFT JOIN heard_numbers h ON h.call_id = cr.call_id AND h.what = 'reading' AND h.idx = cr.idx
    GROUP BY b.reading_id
)"""

# Clause 12 for every linked record: its account/contract number against the numbers said in its call.
CHECKS_BASE = f"""
record_numbers AS (
    SELECT 'request' AS record_type, request_id AS record_id, linked_call,
           {_DIGITS.format(col='account')} AS number1, {_DIGITS.format(col='contract_no')} AS number2
    FROM requests_base WHERE linked
    UNION ALL
    SELECT 'reading', reading_id, linked_call, {_DIGITS.format(col='account')}, NULL FROM readings_base WHERE linked
),
numbers_said AS (
    SELECT r.record_type, r.record_id, r.number1, r.number2, n.number,
           coalesce(h.confidence, 1.0) >= {MIN_CONFIDENCE} AS sure
    FROM record_numbers r JOIN call_numbers n ON n.call_id = r.linked_call
    LEFT JOIN heard_numbers h ON h.call_id = n.call_id AND h.what = 'number' AND h.number = n.number
    -- a value dictated in the call is a reading, not an account
    ANTI JOIN (SELECT call_id, CAST(CAST(value AS BIGINT) AS VARCHAR) AS number FROM call_readings
               WHERE value = round(value) AND value < 1e12) d ON d.call_id = n.call_id AND d.number = n.number
    WHERE (r.number1 IS NOT NULL OR r.number2 IS NOT NULL)
      -- the record's own number said is evidence whatever its length (a four-digit contract, «5512»)
      AND (length(n.number) >= {SAID_MIN_DIGITS} OR n.number = r.number1 OR n.number = r.number2)
      AND NOT (length(n.number) >= 10 AND n.number[1] IN ('7', '8'))
),
record_checks AS (
    SELECT record_type, record_id, list(number ORDER BY number) AS numbers_said,
           bool_or(coalesce(number = number1, false) OR coalesce(number = number2, false)) AS any_equal,
           bool_and(sure) AS all_sure
    FROM numbers_said GROUP BY record_type, record_id
),
requests_found AS (
    SELECT b.*, k.numbers_said,
           coalesce(NOT k.any_equal AND k.all_sure, false) AS record_mismatch_found,
           coalesce(NOT k.any_equal AND NOT k.all_sure, false) AS record_unverifiable
    FROM requests_base b
    LEFT JOIN record_checks k ON k.record_type = 'request' AND k.record_id = b.request_id
),
requests_p AS (
    SELECT f.*, da.verdict AS record_mismatch_verdict,
           record_mismatch_found AND coalesce(da.verdict, '') <> 'dismissed' AS record_mismatch
    FROM requests_found f
    LEFT JOIN discrepancy_reviews da
      ON da.record_type = 'request' AND da.record_id = f.request_id AND da.what = 'account'
),
readings_found AS (
    SELECT b.*, d.dictated_values, k.numbers_said,
           coalesce(NOT d.any_equal AND d.all_sure, false) AS value_mismatch_found,
           coalesce(NOT k.any_equal AND k.all_sure, false) AS record_mismatch_found,
           coalesce(NOT k.any_equal AND NOT k.all_sure, false)
             OR coalesce(NOT d.any_equal AND NOT d.all_sure, false) AS record_unverifiable
    FROM readings_base b LEFT JOIN readings_dictated d USING (reading_id)
    LEFT JOIN record_checks k ON k.record_type = 'reading' AND k.record_id = b.reading_id
),
readings_p AS (
    -- the auditors' decisions: a dismissed mismatch no longer counts (nor is listed behind the figure)
    SELECT f.*, dv.verdict AS value_mismatch_verdict, da.verdict AS record_mismatch_verdict,
           value_mismatch_found AND coalesce(dv.verdict, '') <> 'dismissed' AS value_mismatch,
           record_mismatch_found AND coalesce(da.verdict, '') <> 'dismissed' AS record_mismatch
    FROM readings_found f
    LEFT JOIN discrepancy_reviews dv
      ON dv.record_type = 'reading' AND dv.record_id = f.reading_id AND dv.what = 'value'
    LEFT JOIN discrepancy_reviews da
      ON da.record_type = 'reading' AND da.record_id = f.reading_id AND da.what = 'account'
)"""


def with_bases(*names: str) -> str:
    """``WITH params, <bases...>`` for the base relations named (calls, findings, requests, readings).

    Requests and readings come together: clause 12's checks are made over both at once.
    """
    wanted = set(names)
    if "findings" in wanted:
        wanted.add("calls")
    parts = [PARAMS]
    if "calls" in wanted:
        parts.append(scored_ctes())
        parts.append(CALLS_BASE)
    if "findings" in wanted:
        parts.append(FINDINGS_BASE)
    if wanted & {"requests", "readings"}:
        parts += [REQUESTS_BASE, READINGS_BASE, CHECKS_BASE]
    return "WITH " + ",\n".join(parts)


def pct(num: str, den: str) -> str:
    """A percentage rounded to 0.1, NULL over zero items."""
    return f"round(100.0 * count(*) FILTER (WHERE {num}) / nullif(count(*) FILTER (WHERE {den}), 0), 1)"

