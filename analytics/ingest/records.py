"""Import of the data folder's tables (docs/CONTRACT.md section 4), row by row validated.

``calls``, ``requests`` and ``readings`` come as UTF-8 CSV with a header row or
as ``.xlsx`` with the same columns (Russian headers are accepted as aliases).
Every cell is read as text and validated with vectorised polars expressions: a
row that breaks a rule is rejected with ``"<file>: row N: <reason>"`` (N as a
spreadsheet shows it, the header being row 1) and the valid rows load.

Timestamps are ISO 8601.  Without an offset they are Asia/Almaty wall time;
with one they are converted to Asia/Almaty wall time (the zone moved from
UTC+6 to UTC+5 on 2024-03-01; polars' time-zone database knows it).  The store
keeps naive Almaty wall-clock TIMESTAMPs.

Storing is an upsert keyed by the record id that writes only the rows that are
new or differ from what is stored: re-importing a file changes nothing, and a
request that got its ``completed_at`` is updated.  Every other change to a
stored record (another customer, account or value under the same id) is
reported as a change (``Change``) and the version it replaces is kept in
``record_history``; an empty ``call_id`` never erases the call a record named.

Values out of range are rejected with one line: a date-time in the future or
before ``EARLIEST`` (a «2099» would move everyone's default period to an empty
half-year), a reading that is negative or not finite, a ``call_id`` that is not
a file-name-safe identifier, and a path that leaves the data folder.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from core import clock
from core.errors import OkaError
from transcription.schema import LAYOUTS

log = logging.getLogger(__name__)

TZ = clock.TZ.key   # the department's zone (core/clock.py), by name for polars
EARLIEST = dt.datetime(2000, 1, 1)
FUTURE_SLACK = dt.timedelta(days=1)      # clocks and time zones: a record may be up to a day ahead of ours
# a path in calls.csv is relative to the data folder and stays inside it
_ESCAPING_PATH = r"(^[/\\])|(^[A-Za-z]:)|(^|[/\\])\.\.([/\\]|$)"


class RecordsError(OkaError):
    """A records file cannot be read at all (not found, not CSV/XLSX, a column missing)."""


@dataclass(frozen=True)
class TableSpec:
    """One table of the data folder: its columns, which are required, and how rows are checked."""

    name: str
    id_column: str
    columns: tuple[str, ...]
    required_columns: tuple[str, ...]
    timestamps: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)


_COMMON_ALIASES = {
    "оператор": "operator_id", "код оператора": "operator_id", "id оператора": "operator_id",
    "звонок": "call_id", "id звонка": "call_id", "номер звонка": "call_id",
    "лицевой счёт": "account", "лицевой счет": "account", "л/с": "account",
    "прибор учёта": "meter", "прибор учета": "meter", "счётчик": "meter", "счетчик": "meter",
}

CALLS = TableSpec(
    name="calls", id_column="call_id",
    columns=("call_id", "started_at", "operator_id", "operator_name", "audio_path", "transcript_path", "layout"),
    required_columns=("call_id", "started_at", "operator_id"),
    timestamps=("started_at",),
    aliases=_COMMON_ALIASES | {
        "начало": "started_at", "время начала": "started_at", "дата и время": "started_at",
        "имя оператора": "operator_name", "фио оператора": "operator_name",
        "аудио": "audio_path", "запись": "audio_path", "файл записи": "audio_path",
        "расшифровка": "transcript_path", "транскрипт": "transcript_path", "каналы": "layout",
    },
)

REQUESTS = TableSpec(
    name="requests", id_column="request_id",
    columns=("request_id", "customer_type", "kind", "account", "contract_no", "object_name", "meter", "contact",
             "reason", "note", "operator_id", "call_id", "created_at", "completed_at"),
    required_columns=("request_id", "customer_type", "kind", "created_at"),
    timestamps=("created_at", "completed_at"),
    aliases=_COMMON_ALIASES | {
        "номер заявки": "request_id", "заявка": "request_id", "тип потребителя": "customer_type",
        "потребитель": "customer_type", "вид": "kind", "вид работ": "kind", "номер договора": "contract_no",
        "договор": "contract_no", "объект": "object_name", "контакт": "contact", "телефон": "contact",
        "причина": "reason", "примечание": "note", "создана": "created_at", "дата создания": "created_at",
        "выполнена": "completed_at", "дата выполнения": "completed_at",
    },
)

READINGS = TableSpec(
    name="readings", id_column="reading_id",
    columns=("reading_id", "account", "meter", "value", "operator_id", "call_id", "entered_at"),
    required_columns=("reading_id", "value", "entered_at"),
    timestamps=("entered_at",),
    aliases=_COMMON_ALIASES | {
        "номер показания": "reading_id", "показание": "value", "значение": "value",
        "дата ввода": "entered_at", "внесено": "entered_at",
    },
)

SPECS = {s.name: s for s in (CALLS, REQUESTS, READINGS)}

CUSTOMER_TYPES = {
    "individual": "individual", "физ": "individual", "физлицо": "individual", "физ. лицо": "individual",
    "физическое лицо": "individual", "население": "individual",
    "legal": "legal", "юр": "legal", "юрлицо": "legal", "юр. лицо": "legal", "юридическое лицо": "legal",
}
KINDS = {
    "sealing": "sealing", "опломбировка": "sealing", "опломбирование": "sealing",
    "unsealing": "unsealing", "распломбировка": "unsealing", "распломбирование": "unsealing",
    "inspection": "inspection", "обследование": "inspection", "осмотр": "inspection",
}

# ISO 8601's extended form (2025-03-04 10:15:00) and its basic one (20250304 101500), then the department's
# dd.mm.yyyy; each with an offset (+05:00, +0500; +05 is made +05:00 first) or without one (Almaty time)
_NAIVE_FORMATS = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y%m%d %H%M%S%.f", "%Y%m%d %H%M",
                  "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M")
_OFFSET_FORMATS = ("%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M%:z", "%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M%z",
                   "%Y%m%d %H%M%S%.f%z", "%Y%m%d %H%M%z", "%Y%m%d %H%M%S%.f%:z", "%Y%m%d %H%M%:z")


def parse_timestamp(expr: pl.Expr) -> pl.Expr:
    """ISO 8601 text to a naive Asia/Almaty wall-clock datetime; null where it does not parse."""
    s = expr.str.strip_chars().str.replace("T", " ", literal=True).str.replace(r"(?i)z$", "+00:00") \
        .str.replace(r"( \d{2}(?::?\d{2}){0,2}(?:[.,]\d+)?[+-]\d{2})$", "${1}:00")
    naive = pl.coalesce(
        [s.str.strptime(pl.Datetime("us"), f, strict=False) for f in _NAIVE_FORMATS]
        + [s.str.strptime(pl.Date, f, strict=False).cast(pl.Datetime("us")) for f in ("%Y-%m-%d", "%Y%m%d")]
    )
    aware = pl.coalesce([s.str.strptime(pl.Datetime("us", "UTC"), f, strict=False) for f in _OFFSET_FORMATS])
    local = aware.dt.convert_time_zone(TZ).dt.replace_time_zone(None)
    return pl.when(s.str.contains(r"[+-]\d{2}:?\d{2}$")).then(local).otherwise(naive)


def parse_timestamp_series(s: pl.Series) -> pl.Series:
    """``parse_timestamp`` for a column, fast for the common ``YYYY-MM-DDTHH:MM:SS``.

    That form is parsed in one pass; only the other rows go through every
    accepted form (an expression evaluates all its branches on every row).
    """
    fast = s.str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S", strict=False)
    miss = (fast.is_null() & s.is_not_null()).arg_true()
    if miss.len():
        slow = pl.select(parse_timestamp(pl.lit(s.gather(miss)))).to_series()
        fast = fast.scatter(miss, slow)
    return fast


def parse_number(expr: pl.Expr) -> pl.Expr:
    """A decimal number, with a comma or a point, spaces as thousands separators allowed."""
    s = expr.str.replace_all(r"[\s\u00a0]", "").str.replace(",", ".", literal=True)
    return s.cast(pl.Float64, strict=False)


@dataclass
class Reject:
    file: str
    row: int
    reason: str

    def line(self) -> str:
        return f"{self.file}: row {self.row}: {self.reason}"


@dataclass
class Loaded:
    """The valid rows of one file (typed, one per id) and the rejected ones; ``given``: the table's columns the file
    has (the others are null in ``frame``, and a re-import keeps what is stored in them: :func:`upsert`)."""

    file: str
    frame: pl.DataFrame
    rejects: list[Reject]
    given: tuple[str, ...] | None = None


def find_file(data_dir: Path, name: str) -> Path | None:
    """``<name>.csv`` or else ``<name>.xlsx`` in the data folder, or None."""
    for ext in (".csv", ".xlsx"):
        p = Path(data_dir) / f"{name}{ext}"
        if p.exists():
            return p
    return None


def unread_file(data_dir: Path, name: str) -> str | None:
    """The error line for ``<name>.xlsx`` lying beside ``<name>.csv`` (only the CSV is read), or None."""
    csv_file, xlsx = Path(data_dir) / f"{name}.csv", Path(data_dir) / f"{name}.xlsx"
    if csv_file.exists() and xlsx.exists():
        return (f"{xlsx}: not read, as {csv_file.name} is read for the {name}; keep one file per table "
                "(copy the rows of one into the other)")
    return None


ROW = "__row"  # the row number a spreadsheet shows (the header is row 1)


def read_text_table(path: Path) -> tuple[pl.DataFrame, list[Reject]]:
    """Every cell as text (or null), headers as in the file, plus a ``__row`` column.

    A CSV that polars cannot parse in one go (a row with a stray or unterminated
    quote, a row with more or fewer fields than the header) is read again row
    by row: the malformed rows are returned as rejects, the others load.
    """
    source = str(path)
    if not path.is_file():
        raise RecordsError(f"{path}: file not found")
    try:
        if path.suffix.lower() == ".xlsx":
            # fastexcel itself, not pl.read_excel: that drops the sheet's empty rows, and the rows after one
            # would be named by the wrong numbers
            import fastexcel

            df = fastexcel.read_excel(path).load_sheet(0, dtypes="string").to_polars()
        else:
            df = pl.read_csv(path, infer_schema=False, encoding="utf8", separator=_separator(path))
        return df.with_row_index(ROW, offset=2), []
    except FileNotFoundError as e:
        raise RecordsError(f"{path}: file not found") from e
    except Exception as e:  # polars/fastexcel raise many kinds for an unreadable file
        if path.suffix.lower() != ".xlsx" and isinstance(e, pl.exceptions.ComputeError | pl.exceptions.ShapeError):
            log.info("%s: polars could not parse it (%s); reading row by row", path, str(e).splitlines()[0])
            return _read_csv_row_by_row(path, source)
        raise RecordsError(f"{path}: cannot read it as {path.suffix.lstrip('.').upper() or 'CSV'} "
                           f"({str(e).splitlines()[0] if str(e) else type(e).__name__})") from e


def _separator(path: Path) -> str:
    """``;`` for a file saved by a Russian-locale Excel (its header has semicolons, no commas), else ``,``."""
    with open(path, "rb") as f:
        header = f.readline()
    return ";" if b";" in header and b"," not in header else ","


def _read_csv_row_by_row(path: Path, source: str) -> tuple[pl.DataFrame, list[Reject]]:
    """A CSV that polars could not read, record by record: a record with another number of fields than the header
    is rejected; an unterminated quote («"g2,100200,…») does not take the lines after it along (a record that ran
    over several lines to a wrong number of fields is rejected on its first line, and each line after it read
    alone); a row with bytes that are not UTF-8 (a cell pasted from a Windows-1251 file) is rejected, the rest
    load.  Rows are numbered as a spreadsheet shows them (the header is row 1)."""
    import csv
    import io

    try:
        data = path.read_bytes()
    except OSError as e:
        raise RecordsError(f"{path}: cannot read it ({e.strerror or e})") from e
    lines = list(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""))
    sep = _separator(path)
    reader = csv.reader(lines, delimiter=sep)
    records: list[tuple[int, int, list[str]]] = []   # (first line, line after it, fields)
    try:
        at = 0
        for rec in reader:
            records.append((at, reader.line_num, rec))
            at = reader.line_num
    except csv.Error as e:
        raise RecordsError(f"{path}: cannot read it as CSV ({e})") from e
    if not records:
        raise RecordsError(f"{path}: empty file")
    header = records[0][2]
    rows, rejects = [], []
    row = 1

    def take(rec: list[str], hint: str = "") -> None:
        if not any(cell.strip() for cell in rec):
            return
        if "\ufffd" in "".join(rec):
            rejects.append(Reject(source, row, "not UTF-8 text (saved in another encoding, e.g. Windows-1251?); "
                                               "save the file as CSV UTF-8"))
        elif len(rec) != len(header):
            rejects.append(Reject(source, row, f"{len(rec)} field(s) where the header has {len(header)}{hint}"))
        else:
            rows.append([*rec, row])

    for first, after, rec in records[1:]:
        row += 1
        if len(rec) == len(header) or after - first < 2:
            take(rec, " (an unterminated quote?)" if any("\n" in cell or "\r" in cell for cell in rec) else "")
            continue
        # a quote left open swallowed the lines after it: this line is the bad one, the next ones are rows
        take(next(csv.reader([lines[first]], delimiter=sep), []), " (an unterminated quote?)")
        for line in lines[first + 1:after]:
            row += 1
            take(next(csv.reader([line], delimiter=sep), []), " (an unterminated quote?)")
    cols = [*header, ROW]
    df = pl.DataFrame(rows, schema={c: (pl.String if c != ROW else pl.UInt32) for c in cols}, orient="row")
    return df, rejects


def _given_columns(df: pl.DataFrame, spec: TableSpec) -> dict[str, str]:
    """The file's header → the table's column it names (the first header for each column; others are not read)."""
    renames: dict[str, str] = {}
    for col in df.columns:
        key = col.strip().lstrip("\ufeff").lower()
        target = key if key in spec.columns else spec.aliases.get(key)
        if target and target not in renames.values():
            renames[col] = target
    return renames


def _normalise_headers(df: pl.DataFrame, spec: TableSpec, source: str) -> pl.DataFrame:
    renames = _given_columns(df, spec)
    df = df.select([pl.col(c).alias(t) for c, t in renames.items()] + [pl.col(ROW).alias("_row")])
    missing = [c for c in spec.required_columns if c not in df.columns]
    if spec is CALLS and "audio_path" not in df.columns and "transcript_path" not in df.columns:
        missing.append("audio_path or transcript_path")
    if missing:
        raise RecordsError(f"{source}: missing column(s) {', '.join(missing)}")
    return df.with_columns([pl.lit(None, pl.String).alias(c) for c in spec.columns if c not in df.columns]
                           ).select(*spec.columns, "_row")


def _rules(spec: TableSpec) -> list[pl.Expr]:
    """Expressions giving a reject reason (or null) per row, checked in order."""
    def missing(col: str) -> pl.Expr:
        return pl.when(pl.col(col).is_null()).then(pl.lit(f"missing {col}"))

    def bad_time(col: str) -> pl.Expr:
        return pl.when(pl.col(col).is_not_null() & pl.col(f"_{col}").is_null()).then(
            pl.format("{} is not an ISO 8601 date-time: {}", pl.lit(col), pl.col(col))).when(
            # a day without its time read as midnight would count a record as made minutes after its call (clause
            # 2.6 measures minutes); only a request's completion is judged by the day (its due day)
            pl.lit(col != "completed_at") & pl.col(col).str.contains(r"^\d{4}-?\d{2}-?\d{2}$")).then(
            pl.format("{} is a date without the time of day: {} (give the time too, e.g. {}T14:05:00)",
                      pl.lit(col), pl.col(col), pl.col(col)))

    def out_of_range(col: str) -> pl.Expr:
        latest = clock.now() + FUTURE_SLACK
        return pl.when(pl.col(f"_{col}") > latest).then(
            pl.format("{} is in the future: {}", pl.lit(col), pl.col(col))).when(
            pl.col(f"_{col}") < EARLIEST).then(
            pl.format("{} is before {}: {}", pl.lit(col), pl.lit(f"{EARLIEST:%Y}"), pl.col(col)))

    def bad_call_id() -> pl.Expr:
        # CALL_ID (transcription/schema.py) without its look-aheads, which polars' regex engine lacks
        safe = (pl.col("call_id").str.contains(r"^[\w.-]{1,200}$") & (pl.col("call_id") != ".")
                & ~pl.col("call_id").str.contains("..", literal=True))
        return pl.when(pl.col("call_id").is_not_null() & ~safe).then(
            pl.format("call_id {} is not a file-name-safe identifier (letters, digits, _ - .; no '..', not '.' alone)",
                      pl.col("call_id").str.slice(0, 80)))

    def escaping(col: str) -> pl.Expr:
        return pl.when(pl.col(col).str.contains(_ESCAPING_PATH)).then(
            pl.format("{} {} is not inside the data folder (absolute or with '..')", pl.lit(col), pl.col(col)))

    rules = [missing(spec.id_column), bad_call_id()]
    if spec is CALLS:
        rules += [escaping("audio_path"), escaping("transcript_path")]
        rules += [missing("started_at"), bad_time("started_at"),
                  pl.when(pl.col("audio_path").is_null() & pl.col("transcript_path").is_null())
                  .then(pl.lit("neither audio_path nor transcript_path given")),
                  pl.when(pl.col("layout").is_not_null() & ~pl.col("layout").is_in((*LAYOUTS, "auto")))
                  .then(pl.format("unknown layout {}", pl.col("layout")))]
    elif spec is REQUESTS:
        rules += [missing("customer_type"),
                  pl.when(pl.col("_customer_type").is_null()).then(
                      pl.format("unknown customer_type {} (individual or legal)", pl.col("customer_type"))),
                  missing("kind"),
                  pl.when(pl.col("_kind").is_null()).then(
                      pl.format("unknown kind {} (sealing, unsealing or inspection)", pl.col("kind"))),
                  missing("created_at"), bad_time("created_at"), bad_time("completed_at"),
                  pl.when(pl.col("_completed_at") < pl.col("_created_at")).then(
                      pl.lit("completed_at is before created_at"))]
    else:
        rules += [missing("value"),
                  pl.when(pl.col("_value").is_null()).then(pl.format("value is not a number: {}", pl.col("value"))),
                  pl.when(pl.col("_value").is_nan() | pl.col("_value").is_infinite() | (pl.col("_value") < 0)).then(
                      pl.format("value {} is not a meter reading (negative or not finite)", pl.col("value"))),
                  missing("entered_at"), bad_time("entered_at")]
    return rules + [out_of_range(c) for c in spec.timestamps]


def validate(raw: pl.DataFrame, spec: TableSpec, source: str) -> Loaded:
    """Check every row of a text table; returns the typed valid rows and the rejects."""
    df = _normalise_headers(raw, spec, source)
    named = set(_given_columns(raw, spec).values())
    given = tuple(c for c in spec.columns if c in named)
    df = df.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in spec.columns)
    # an empty row (a blank line at the end of a CSV, an empty sheet row, «,,,,») is no record to reject
    df = df.filter(~pl.all_horizontal([pl.col(c).is_null() for c in spec.columns]))
    typed = [parse_timestamp_series(df[c]).alias(f"_{c}") for c in spec.timestamps]
    if spec is REQUESTS:
        typed += [pl.col("customer_type").str.to_lowercase().replace_strict(CUSTOMER_TYPES, default=None)
                  .alias("_customer_type"),
                  pl.col("kind").str.to_lowercase().replace_strict(KINDS, default=None).alias("_kind")]
    if spec is READINGS:
        typed.append(parse_number(pl.col("value")).alias("_value"))
    df = df.with_columns(typed).with_columns(pl.coalesce(_rules(spec)).alias("__why"))

    # A duplicate id: identical rows count once; a different content is rejected.
    ok = df.filter(pl.col("__why").is_null())
    if not ok[spec.id_column].is_duplicated().any():  # the usual case: skip the content comparison
        bad = df.filter(pl.col("__why").is_not_null()).select("_row", "__why")
        return _loaded(source, spec, ok, bad, given)
    content = [pl.col(f"_{c}") if f"_{c}" in df.columns else pl.col(c) for c in spec.columns]
    ok = ok.with_columns(pl.struct(content).hash().alias("__hash"))
    first = ok.group_by(spec.id_column, maintain_order=True).agg(
        pl.col("__hash").first().alias("__first_hash"), pl.col("_row").first().alias("__first_row"))
    ok = ok.join(first, on=spec.id_column, how="left").with_columns(
        pl.when(pl.col("__hash") != pl.col("__first_hash")).then(
            pl.format("duplicate {} {} with a content different from row {}", pl.lit(spec.id_column),
                      pl.col(spec.id_column), pl.col("__first_row"))).alias("__why"))
    dup_rejects = ok.filter(pl.col("__why").is_not_null())
    valid = ok.filter(pl.col("__why").is_null() & (pl.col("_row") == pl.col("__first_row")))

    bad = pl.concat([df.filter(pl.col("__why").is_not_null()).select("_row", "__why"),
                     dup_rejects.select("_row", "__why")])
    return _loaded(source, spec, valid, bad, given)


def _loaded(source: str, spec: TableSpec, valid: pl.DataFrame, bad: pl.DataFrame, given: tuple[str, ...]) -> Loaded:
    rejects = [Reject(source, int(r), reason) for r, reason in bad.sort("_row").iter_rows()]
    out = valid.select([pl.col(f"_{c}").alias(c) if f"_{c}" in valid.columns else pl.col(c) for c in spec.columns]
                       + [pl.col("_row")])
    return Loaded(source, out, rejects, given)


def load_file(path: Path, spec: TableSpec) -> Loaded:
    """Read and validate one records file."""
    raw, malformed = read_text_table(Path(path))
    loaded = validate(raw, spec, str(path))
    loaded.rejects = sorted(malformed + loaded.rejects, key=lambda r: r.row)
    return loaded


# --- storing ---------------------------------------------------------------

HISTORY_DDL = """CREATE TABLE IF NOT EXISTS record_history (
    record_type VARCHAR, record_id VARCHAR, replaced_at TIMESTAMP, changed VARCHAR[], previous JSON)"""
# columns whose filling-in is a record's normal life (a request completed, a record tied to its call):
# a change to them is reported only when it replaces a value that was there
LIFECYCLE = ("completed_at", "call_id")


@dataclass(frozen=True)
class Change:
    """A stored record that the import changed in more than its normal life: reported, and kept."""

    table: str
    record_id: str
    columns: tuple[str, ...]
    row: int

    def line(self, file: str) -> str:
        return (f"{file}: row {self.row}: {self.table[:-1]} {self.record_id} changed "
                f"({', '.join(self.columns)}); the previous version is kept in record_history")


def upsert(con, spec: TableSpec, frame: pl.DataFrame, changes: list[Change] | None = None,
           given: Collection[str] | None = None) -> tuple[int, int]:
    """Insert new rows and update changed ones; returns (inserted, updated).

    Unchanged rows are not written at all; new rows go in with a plain INSERT
    and changed ones with an UPDATE (``INSERT OR REPLACE`` over every row was
    the slowest part of an import).  Before an update the stored version goes
    to ``record_history``; a change beyond the record's normal life is appended
    to ``changes``.  An empty ``call_id`` keeps the call the stored record named,
    and a column the file does not have (not in ``given``; None: it has every
    column) keeps what is stored: an export without ``operator_id`` is no order to
    forget each record's operator.
    """
    if spec is CALLS:
        raise ValueError("calls are stored by analytics.ingest.pipeline, with their transcripts")
    table, key = spec.name, spec.id_column
    cols = list(spec.columns)
    incoming = frame.select(*cols, (pl.col("_row") if "_row" in frame.columns else pl.lit(0)).alias("_row"))

    def new(c: str) -> str:   # the incoming value; a blank call_id does not unlink a record, a missing column
        if given is not None and c not in given:   # keeps what is stored (null for a new record)
            return f"t.{c}"
        return f"COALESCE(i.{c}, t.{c})" if c == "call_id" else f"i.{c}"

    changed = " OR ".join(f"{new(c)} IS DISTINCT FROM t.{c}" for c in cols if c != key)
    con.register("incoming", incoming)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE delta AS SELECT i.{key}, "
            + ", ".join(f"{new(c)} AS {c}" for c in cols if c != key)
            + f", i._row, t.{key} IS NOT NULL AS existed "
            f"FROM incoming i LEFT JOIN {table} t USING ({key}) WHERE t.{key} IS NULL OR {changed}").fetchall()
    finally:
        con.unregister("incoming")
    inserted, updated = con.execute(
        "SELECT count(*) FILTER (WHERE NOT existed), count(*) FILTER (WHERE existed) FROM delta").fetchall()[0]
    if updated:
        def names(only_replaced: bool) -> str:
            parts = []
            for c in cols:
                if c == key:
                    continue
                cond = f"d.{c} IS DISTINCT FROM t.{c}"
                if only_replaced and c in LIFECYCLE:
                    cond += f" AND t.{c} IS NOT NULL"
                parts.append(f"CASE WHEN {cond} THEN '{c}' END")
            return f"list_filter([{', '.join(parts)}], lambda x: x IS NOT NULL)"

        con.execute(HISTORY_DDL)
        con.execute(f"INSERT INTO record_history SELECT '{table}', t.{key}, now()::TIMESTAMP, {names(False)}, "
                    f"to_json(t) FROM {table} t JOIN delta d ON d.{key} = t.{key} WHERE d.existed").fetchall()
        if changes is not None:
            for rid, what, row in con.execute(
                    f"SELECT d.{key}, {names(True)} AS what, d._row FROM delta d JOIN {table} t ON d.{key} = t.{key} "
                    f"WHERE d.existed AND len({names(True)}) > 0 ORDER BY d._row").fetchall():
                changes.append(Change(table, rid, tuple(what), int(row)))
        sets = ", ".join(f"{c} = d.{c}" for c in cols if c != key)
        con.execute(f"UPDATE {table} SET {sets} FROM delta d WHERE {table}.{key} = d.{key} AND d.existed"
                    ).fetchall()
    if inserted:
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM delta "
                    "WHERE NOT existed").fetchall()
    con.execute("DROP TABLE delta")
    return int(inserted), int(updated)


def store_rejects(con, file: str, rejects: list[Reject]) -> None:
    """Replace the stored rejects of ``file`` by those of its latest import."""
    con.execute("DELETE FROM rejects WHERE file = ?", [file])
    if rejects:
        frame = pl.DataFrame({"file": [r.file for r in rejects], "row": [r.row for r in rejects],
                              "reason": [r.reason for r in rejects]})
        con.register("new_rejects", frame)
        con.execute("INSERT INTO rejects SELECT file, row, reason, now()::TIMESTAMP FROM new_rejects").fetchall()
        con.unregister("new_rejects")


def report_rejects(loaded: Loaded, on_error: Callable[[str], None]) -> None:
    for r in loaded.rejects:
        on_error(r.line())
