"""Who may see what: the roles of the dashboard and the masking each one gets.

Four roles (issue 8): the head of ОКА and the auditor see everything; the
trainer sees transcripts and findings with personal data masked, and no
phone, account or ИИН anywhere, exports included; an operator sees only their
own calls, masked.  Nobody changes requests or readings through the dashboard;
the head and the auditor may judge findings (page «Проверка»).

The policy is applied in the data layer (``redact_frame``, ``redact_text``)
so that whatever a page shows or exports went through it.  Audio is served
only from the configured recordings folder (``audio_file``).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analytics.storage.store import SAID_BEFORE
from core.errors import OkaError

log = logging.getLogger(__name__)


class AccessError(OkaError):
    """The signed-in user may not do this, or a path points outside its folder."""


@dataclass(frozen=True)
class Role:
    """What one role may do.

    title: the Russian name shown in the dashboard; sees_pd: personal data unmasked;
    own_calls_only: only calls whose operator_id is the user's; can_review: confirm or reject
    findings; reads_audit: the audit log page; plays_audio: the call recordings (they speak
    personal data that no masking removes); manages_users: add and remove accounts.
    """

    id: str
    title: str
    sees_pd: bool
    own_calls_only: bool = False
    can_review: bool = False
    reads_audit: bool = False
    plays_audio: bool = False
    manages_users: bool = False


ROLES: dict[str, Role] = {r.id: r for r in (
    Role("head", "руководитель ОКА", sees_pd=True, can_review=True, reads_audit=True, plays_audio=True,
         manages_users=True),
    Role("auditor", "аудитор", sees_pd=True, can_review=True, reads_audit=True, plays_audio=True),
    Role("trainer", "тренер", sees_pd=False),
    Role("operator", "оператор", sees_pd=False, own_calls_only=True),
)}


def role(role_id: str) -> Role:
    try:
        return ROLES[role_id]
    except KeyError:
        raise AccessError(f"unknown role {role_id!r}; known: {', '.join(ROLES)}") from None


@dataclass(frozen=True)
class Viewer:
    """The signed-in person: their account name, role and (for an operator) operator_id."""

    name: str
    role: Role
    operator_id: str | None = None

    def require(self, permission: str) -> None:
        if not getattr(self.role, permission):
            raise AccessError(f"{self.name} ({self.role.title}) may not do this ({permission})")

    def may_see_call(self, operator_id: str | None) -> bool:
        return not self.role.own_calls_only or (self.operator_id is not None and operator_id == self.operator_id)


# Text columns a masked role sees as they are: ids, codes, the operators' own names, verdicts.
# Every other text column is treated as something said in a call and masked with rules.privacy
# (deny by default: a column added to a view later cannot leak by being forgotten here).
SAFE_COLUMNS = frozenset((
    "call_id", "operator_id", "operator_name", "rule", "clause", "topic", "speaker", "verdict", "reviewer",
    "customer_type", "kind", "language", "layout", "link_method", "linked_by", "linked_call", "method",
    "record_type", "request_id", "reading_id", "rulebook", "asr_model", "content_hash", "source_hash",
    "title", "grain", "period",
    # the review workflow's codes and the staff who decided (analytics/storage/reviews.py)
    "dispute", "outcome", "criterion", "answer", "who", "resolved_by", "drawn_by", "auditor", "sample_id"))
# Columns that hold personal data as a whole value: blanked for roles without sees_pd.
PD_COLUMNS = ("account", "contract_no", "contact", "meter", "phone", "iin", "email",
              "audio_path", "transcript_path", "words")


def redact_text(viewer: Viewer, text: str | None, keep_names: Iterable[str] = (), context: str = "") -> str | None:
    """``text`` as this viewer may read it."""
    if text is None or viewer.role.sees_pd:
        return text
    from rules.privacy import MaskOptions, mask_text

    return mask_text(text, context, MaskOptions(keep_names=tuple(keep_names)))[0]


def redact_frame(viewer: Viewer, df: pl.DataFrame, keep_names: Iterable[str] = ()) -> pl.DataFrame:
    """The rows and columns of ``df`` this viewer may see.

    An operator keeps only rows of their own calls (a table of calls or of things said in them
    without ``operator_id`` is refused); a role without ``sees_pd`` gets personal-data columns
    blanked and every text column outside ``SAFE_COLUMNS`` masked.
    The operators' own names (``operator_name``) stay, so a trainer knows whom they coach.
    """
    if viewer.role.own_calls_only:
        if "operator_id" in df.columns:
            df = df.filter(pl.col("operator_id") == (viewer.operator_id or "\x00"))
        elif "call_id" in df.columns or any(c in PD_COLUMNS or (t == pl.String and c not in SAFE_COLUMNS)
                                            for c, t in df.schema.items()):
            raise AccessError("this table has no operator_id, so an operator may not see it")
        # else: counts per rule, topic or period, with nothing said in a call: no one's calls in it
    if viewer.role.sees_pd:
        return df
    return mask_frame(df, keep_names)


def mask_frame(df: pl.DataFrame, keep_names: Iterable[str] = ()) -> pl.DataFrame:
    """``df`` as a role without ``sees_pd`` sees it, whatever the channel (a page, an export, a report):
    personal-data columns blanked, every text column outside ``SAFE_COLUMNS`` masked, nested text dropped;
    the operators' own names (``operator_name``) and ``keep_names`` stay.  A text column ``c`` with a column
    ``c`` + ``SAID_BEFORE`` (what was said just before it in the call) is masked with that as its context, as
    the call page masks each line with the lines before it; the context column itself is never shown."""
    context = {c[:-len(SAID_BEFORE)]: c for c in df.columns if c.endswith(SAID_BEFORE)}
    if df.is_empty():
        return df.drop(list(context.values()))
    keep = tuple(keep_names)
    if "operator_name" in df.columns:
        keep += tuple(n for n in df["operator_name"].unique().to_list() if n)
    from rules.privacy import MaskOptions, mask_text

    opts = MaskOptions(keep_names=keep)
    exprs = []
    for c, dtype in df.schema.items():
        if c in PD_COLUMNS:
            exprs.append(pl.lit(None, dtype=dtype).alias(c))
        elif c in SAFE_COLUMNS or c in context.values():
            continue
        elif dtype == pl.String and c in context:
            exprs.append(pl.struct(c, context[c]).map_elements(
                lambda r, c=c: None if r[c] is None else mask_text(r[c], r[context[c]] or "", opts)[0],
                return_dtype=pl.String).alias(c))
        elif dtype == pl.String:
            exprs.append(pl.col(c).map_elements(lambda t: mask_text(t, "", opts)[0], return_dtype=pl.String))
        elif dtype.is_nested() and _has_text(dtype):  # lists or structs of text: nothing to show safely
            exprs.append(pl.lit(None, dtype=dtype).alias(c))
    return (df.with_columns(exprs) if exprs else df).drop(list(context.values()))


def _has_text(dtype: pl.DataType) -> bool:
    if dtype == pl.String:
        return True
    if isinstance(dtype, (pl.List, pl.Array)):
        return _has_text(dtype.inner)
    if isinstance(dtype, pl.Struct):
        return any(_has_text(f.dtype) for f in dtype.fields)
    return False


def redact_call(viewer: Viewer, detail):
    """One call's page (``analytics.queries.views.CallDetail``) as this viewer may see it; None if not theirs.

    Utterances are masked one by one with the utterance before as context («Назовите ИИН.» —
    «девяносто два ...»); the operator's own name stays.
    """
    if detail is None or not viewer.may_see_call(detail.call.get("operator_id")):
        return None
    if viewer.role.sees_pd:
        return detail
    from dataclasses import replace

    from rules.privacy import MaskOptions, context_before, mask_text

    keep = tuple(n for n in (detail.call.get("operator_name"),) if n)
    opts = MaskOptions(keep_names=keep)
    call = {k: (None if k in PD_COLUMNS else
                mask_text(v, "", opts)[0] if isinstance(v, str) and k not in SAFE_COLUMNS else v)
            for k, v in detail.call.items()}
    utts = detail.utterances
    if "text" in utts.columns and not utts.is_empty():
        said = utts["text"].to_list()
        masked = [None if t is None else mask_text(t, context_before(said, i), opts)[0] for i, t in enumerate(said)]
        utts = utts.with_columns(pl.Series("text", masked, dtype=pl.String))
    inside = Viewer(viewer.name, ROLES["trainer"])  # the call is theirs: mask, do not filter, inside it
    return replace(detail, call=call,
                   utterances=redact_frame(inside, utts.drop("words", strict=False), keep),
                   findings=redact_frame(inside, detail.findings, keep),
                   dictated=redact_frame(inside, detail.dictated, keep),
                   requests=redact_frame(inside, detail.requests, keep),
                   readings=redact_frame(inside, detail.readings, keep))


MAX_QUERY_CHARS, MAX_QUERY_WORDS = 200, 12


def bounded_query(text: str | None) -> str:
    """A search query as the search takes it: at most ``MAX_QUERY_CHARS`` characters and ``MAX_QUERY_WORDS``
    words (100,000 characters tied the server up for 100 s; 700 words overflowed the database's query)."""
    words = (text or "")[:MAX_QUERY_CHARS].split()
    return " ".join(words[:MAX_QUERY_WORDS])


def pd_in_query(text: str) -> bool:
    """A search query that itself holds personal data (a phone, an account...): refused to masked roles,
    or searching would tell them which calls contain it."""
    from rules.privacy import pd_terms

    return bool(pd_terms(bounded_query(text)))


def remember_recordings(db: Path, data_dir: Path) -> None:
    """Note in the store the data folder the recordings of ``db`` came from (``oka-qa ingest DIR``)."""
    from analytics.storage.store import connect

    with connect(Path(db)) as con:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('recordings_dir', ?)", [str(Path(data_dir).resolve())])


def remembered_recordings(db: Path) -> Path | None:
    """The data folder of the database's last ingest, if it noted one."""
    from analytics.storage.store import connect

    if not Path(db).exists():
        return None
    with connect(Path(db), read_only=True) as con:
        row = con.execute("SELECT value FROM meta WHERE key = 'recordings_dir'").fetchone()
    return Path(row[0]) if row else None


def audio_file(recordings_dir: Path, stored_path: str | None) -> Path:
    """The recording at ``stored_path``, which must lie inside ``recordings_dir``.

    ``stored_path`` comes from the database or a URL parameter; anything that resolves
    outside the folder (``..``, an absolute path elsewhere, a symbolic link out) is refused.
    """
    if not stored_path:
        raise AccessError("this call has no recording")
    root = Path(recordings_dir).resolve()
    candidate = Path(stored_path)
    if not candidate.is_absolute():
        candidate = root / candidate
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError) as e:
        raise AccessError(f"{stored_path}: recording not found in {root}") from e
    if not resolved.is_relative_to(root) or not resolved.is_file():
        log.warning("refused a recording outside %s: %s", root, stored_path)
        raise AccessError(f"{stored_path}: not inside the recordings folder {root}")
    return resolved
