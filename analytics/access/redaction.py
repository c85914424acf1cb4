"""Redacted recordings: every spoken piece of personal data replaced by a tone.

For the roles that see personal data masked (``policy.Role.sees_pd`` false) a recording is served
only in this form.  What is personal data is decided by the one detector that masks the text,
``rules.privacy.find_pd``: it runs on each utterance's words (with the utterances before as context,
as the text masker does), its character spans are mapped onto the words they cover, and the words'
time spans, padded by ``RedactOptions.pad_s``, are overwritten by a tone on every channel (a number
said on one side leaks into the other through the line).  An utterance whose words are not timed, or
whose text holds personal data the words do not show, is toned whole: the masker errs on the side of
masking.  And what the transcript does not show at all cannot be cleared: a stretch of a second or more
between utterances where a channel carries voice (:func:`unheard_voice`) is toned too — the recogniser drops
what it cannot make out, and a customer's dictated account it dropped is still plain to a listener (on the
demo's request call one machine's transcript lost the dictation, and the redacted copy, heard again, gave
«345678»).

A redacted file is made once and kept in ``cache_dir`` (by default one folder per database:
:func:`default_cache`) under a key of the recording's hash, the transcript's hash and the detector's
version (the source of ``rules.privacy`` and its word lists), so a changed transcript or a better
detector makes a new file; files are written 0600 in a 0700 folder.
Each file's name starts with a key of the recording's place (:func:`recording_prefix`), so that making a
new copy deletes the copies of the same recording made before, and their clips (:func:`prune`): an older
copy is never served again, and one toned by an older, weaker detector does not stay on disk beside the
new one.  (Copies of a recording nobody plays again stay until it is played, or the folder is emptied: the
dashboard remakes what it needs.)  A copy that cannot be kept (a read-only folder, a full disk) is an
``AccessError`` naming the folder: the page shows no player and says why.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import wave
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from analytics.access.policy import AccessError, audio_file
from transcription.schema import Transcript, Utterance

log = logging.getLogger(__name__)

FORMAT_VERSION = "2"   # bump when the tone, the padding rule or the file format changes (2: unheard voice toned)


@dataclass(frozen=True)
class RedactOptions:
    """pad_s: seconds toned before and after each personal-data word (ASR word edges are loose by
    about 0.1 s); tone_hz / tone_level: the replacing tone's pitch and amplitude (0..1 of full scale)."""

    pad_s: float = 0.25
    tone_hz: float = 1000.0
    tone_level: float = 0.15


def detector_version() -> str:
    """A hash of what decides what personal data is: the ``rules.privacy`` sources and word lists, the words of
    the calls a misheard word is compared with (``VOCABULARY_FILES``) and the sound key it is compared by."""
    import rules.privacy as privacy
    from rules.kazakh import MODEL_PATH as KAZAKH_MODEL
    from rules.privacy.lexicon import NAMES_FILES, VOCABULARY_FILES

    root = Path(privacy.__file__).parent
    # the Kazakh names and the Kazakh function words (never names) decide too
    files = sorted({*root.glob("*.py"), *root.glob("*.yaml"), *(root.parent / "lexicons").glob("pd_*"),
                    *VOCABULARY_FILES, *NAMES_FILES, KAZAKH_MODEL, root.parent / "phonetics.py"})
    h = hashlib.sha256(FORMAT_VERSION.encode())
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _word_offsets(words) -> tuple[str, list[tuple[int, int]]]:
    """The words joined by spaces, and each word's character span in that text."""
    parts, offsets, pos = [], [], 0
    for w in words:
        token = (w.w or "").strip()
        offsets.append((pos, pos + len(token)))
        parts.append(token)
        pos += len(token) + 1
    return " ".join(parts), offsets


def pd_intervals(transcript: Transcript, keep_names: tuple[str, ...] = (),
                 options: RedactOptions | None = None) -> list[tuple[float, float]]:
    """The time spans (seconds, padded, merged) where personal data is said in ``transcript``."""
    from rules.privacy import MaskOptions, context_before, find_pd

    options = options or RedactOptions()
    mask = MaskOptions(keep_names=keep_names)
    texts = [u.text for u in transcript.utterances]
    spans: list[tuple[float, float]] = []
    for i, u in enumerate(transcript.utterances):
        context = context_before(texts, i)
        spans += _utterance_intervals(u, context, mask, find_pd)
    return _merged([(max(0.0, a - options.pad_s), b + options.pad_s) for a, b in spans])


def _merged(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


GAP_MIN_S = 1.0        # a stretch without transcribed words this long is looked at for voice
FRAME_S = 0.03         # the voice test's frame
VOICE_OVER_NOISE = 4.0 # a frame is voice at this many times the channel's noise floor (its 20th percentile RMS)
VOICE_MIN_S = 0.3      # voice frames a stretch needs to be toned


def unheard_voice(channels: list[np.ndarray], rate: int, transcript: Transcript,
                  options: RedactOptions | None = None) -> list[tuple[float, float]]:
    """The spans (padded) of voice in stretches of ``GAP_MIN_S`` or more that no utterance covers, on any channel:
    speech the recogniser dropped, which the masker could not read and so cannot clear."""
    options = options or RedactOptions()
    n = min(len(ch) for ch in channels) if channels else 0
    if not n:
        return []
    frame = max(1, int(FRAME_S * rate))
    covered = sorted((float(u.start), float(u.end)) for u in transcript.utterances)
    gaps, at = [], 0.0
    for a, b in covered:
        if a - at >= GAP_MIN_S:
            gaps.append((at, a))
        at = max(at, b)
    if n / rate - at >= GAP_MIN_S:
        gaps.append((at, n / rate))
    if not gaps:
        return []
    out = []
    for ch in channels:
        x = np.asarray(ch[:n - n % frame], dtype=np.float32).reshape(-1, frame)
        rms = np.sqrt(np.mean(x * x, axis=1))
        floor = float(np.percentile(rms, 20)) if len(rms) else 0.0
        voiced = rms > max(floor * VOICE_OVER_NOISE, 1e-3)
        for a, b in gaps:
            i, j = int(a / FRAME_S), min(len(voiced), int(np.ceil(b / FRAME_S)))
            hits = np.flatnonzero(voiced[i:j])
            if len(hits) * FRAME_S >= VOICE_MIN_S:
                out.append((max(0.0, (i + hits[0]) * FRAME_S - options.pad_s),
                            min(b + options.pad_s, (i + hits[-1] + 1) * FRAME_S + options.pad_s)))
    return out


def _utterance_intervals(u: Utterance, context: str, mask, find_pd) -> list[tuple[float, float]]:
    in_text = bool(u.text) and bool(find_pd(u.text, context, mask))
    if not u.words:
        return [(u.start, u.end)] if in_text else []
    joined, offsets = _word_offsets(u.words)
    found = find_pd(joined, context, mask)
    if in_text and not found:   # the text says more than its timed words: tone the whole utterance
        return [(u.start, u.end)]
    out = []
    for s in found:
        covered = [w for w, (a, b) in zip(u.words, offsets, strict=True) if a < s.end and b > s.start]
        out += [(min(w.start for w in covered), max(w.end for w in covered))] if covered else [(u.start, u.end)]
    return out


def tone_over(channels: list[np.ndarray], rate: int, intervals: list[tuple[float, float]],
              options: RedactOptions | None = None) -> list[np.ndarray]:
    """Copies of ``channels`` with every interval replaced by the tone (the speech there is gone, not mixed)."""
    options = options or RedactOptions()
    out = [np.array(ch, dtype=np.float32, copy=True) for ch in channels]
    n = len(out[0])
    for a, b in intervals:
        i, j = max(0, int(a * rate)), min(n, int(np.ceil(b * rate)))
        if j <= i:
            continue
        t = np.arange(i, j, dtype=np.float64) / rate
        tone = (options.tone_level * np.sin(2 * np.pi * options.tone_hz * t)).astype(np.float32)
        for ch in out:
            ch[i:j] = tone
    return out


def write_wav(path: Path, channels: list[np.ndarray], rate: int) -> None:
    """16-bit PCM WAV, written under a temporary name with mode 0600 and renamed into place."""
    data = np.stack([np.clip(ch, -1.0, 1.0) for ch in channels], axis=1)
    pcm = (data * 32767.0).astype("<i2").tobytes()
    # the dashboard serves sessions from threads of one process: the temporary name is this writer's alone
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as f, wave.open(f, "wb") as w:
            w.setnchannels(len(channels))
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _file_hash(path: Path) -> str:
    """SHA-256 of the file, remembered while its size and modification time stay the same (a page
    reruns on every click; a recording is not read again for each)."""
    st = Path(path).stat()
    return _hash_of(str(Path(path).resolve()), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=4096)
def _hash_of(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def transcript_hash(transcript: Transcript, keep_names: tuple[str, ...] = ()) -> str:
    body = json.dumps([[u.to_dict() for u in transcript.utterances], sorted(keep_names)], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def cache_key(audio: Path, transcript: Transcript, keep_names: tuple[str, ...] = (),
              options: RedactOptions | None = None) -> str:
    parts = [_file_hash(audio), transcript_hash(transcript, keep_names), detector_version(),
             repr(options or RedactOptions())]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def redact_file(audio: Path, transcript: Transcript, cache_dir: Path, keep_names: tuple[str, ...] = (),
                options: RedactOptions | None = None) -> Path:
    """The redacted copy of ``audio`` (a WAV in ``cache_dir``), made now or found made before."""
    from transcription.audio import SAMPLE_RATE, decode

    options = options or RedactOptions()
    cache_dir = Path(cache_dir)
    prefix = recording_prefix(audio)
    target = cache_dir / f"{prefix}-{cache_key(audio, transcript, keep_names, options)}.wav"
    if target.is_file():
        return target
    decoded = decode(audio)
    intervals = _merged(pd_intervals(transcript, keep_names, options)
                        + unheard_voice(decoded.channels, SAMPLE_RATE, transcript, options))
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_wav(target, tone_over(decoded.channels, SAMPLE_RATE, intervals, options), SAMPLE_RATE)
    except OSError as e:   # a read-only or full folder: no copy, so nothing to play; the page says why
        raise AccessError(f"{cache_dir}: the redacted copy cannot be kept there ({e.strerror or e}); "
                          "make the folder writable for the dashboard's user") from e
    log.info("redacted %s: %d spans toned -> %s", audio, len(intervals), target)
    prune(cache_dir, prefix, target.stem)
    return target


def recording_prefix(audio: Path) -> str:
    """The start of the names of a recording's redacted copies: a hash of where it lies, so that a copy made
    before its transcript, its file or the detector changed has the same start."""
    return hashlib.sha256(str(Path(audio).resolve()).encode("utf-8")).hexdigest()[:12]


# the end of a redacted copy's name (its cache key) or a clip's (the key and the clip's seconds)
_KEY_AND_CLIP = r"[0-9a-f]{32}(-\d+\.\d{2}-\d+\.\d{2})?\.wav"
# a redacted copy or clip named before copies were named after their recording: never looked up again
_UNOWNED = re.compile(_KEY_AND_CLIP)
# any redacted copy or clip this module names (``redact_file``, ``clip``)
_OURS = re.compile(r"([0-9a-f]{12}-)?" + _KEY_AND_CLIP)


def prune(cache_dir: Path, prefix: str, keep: str) -> list[Path]:
    """Delete the redacted copies (and clips) of the recording ``prefix`` other than ``keep`` (a file's stem)
    and its clips, and copies named the old way; the paths deleted."""
    stale = [p for p in Path(cache_dir).glob("*.wav")
             if (p.name.startswith(f"{prefix}-") and not p.name.startswith(keep)) or _UNOWNED.fullmatch(p.name)]
    return _delete(stale, "redacted copies replaced")


def _delete(paths: list[Path], why: str) -> list[Path]:
    """Delete ``paths`` (gone already is fine), logged in one line; the paths."""
    for path in paths:
        path.unlink(missing_ok=True)
    if paths:
        log.info("%s, deleted: %s", why, ", ".join(p.name for p in paths))
    return paths


def clip(source: Path, start_s: float, end_s: float, cache_dir: Path) -> Path:
    """Seconds [start_s, end_s) of a WAV made by ``redact_file`` (an example's moment), cached beside it."""
    start_s, end_s = max(0.0, float(start_s)), max(0.0, float(end_s))
    if end_s <= start_s:
        raise AccessError(f"an empty clip: {start_s:g}–{end_s:g} s")
    target = Path(cache_dir) / f"{Path(source).stem}-{start_s:.2f}-{end_s:.2f}.wav"
    if target.is_file():
        return target
    with wave.open(str(source), "rb") as w:
        rate, n_ch = w.getframerate(), w.getnchannels()
        w.setpos(min(w.getnframes(), int(start_s * rate)))
        frames = w.readframes(max(0, int((end_s - start_s) * rate)))
    data = np.frombuffer(frames, dtype="<i2").reshape(-1, n_ch).astype(np.float32) / 32767.0
    write_wav(target, [data[:, c] for c in range(n_ch)], rate)
    return target


def redacted_recording(db: Path, call_id: str, recordings_dir: Path, cache_dir: Path | None = None,
                       options: RedactOptions | None = None) -> Path:
    """The redacted recording of a stored call (its transcript and operator from ``db``).

    cache_dir: default ``redacted/<database file name>/`` beside the database (:func:`default_cache`).  The original
    must lie in ``recordings_dir``.
    """
    from analytics.storage.calls_store import stored_transcript
    from analytics.storage.store import connect

    with connect(Path(db), read_only=True) as con:
        row = con.execute("SELECT audio_path, operator_name FROM calls WHERE call_id = ?", [call_id]).fetchone()
        if row is None:
            raise AccessError(f"no call {call_id} in {db}")
        transcript = stored_transcript(con, call_id)
    source = audio_file(recordings_dir, row[0])
    keep = tuple(n for n in (row[1],) if n)
    return redact_file(source, transcript, Path(cache_dir) if cache_dir else _own_cache(db), keep, options)


def redacted_clip(db: Path, call_id: str, start_s: float, end_s: float, recordings_dir: Path,
                  cache_dir: Path | None = None) -> Path:
    """A short redacted clip of a stored call (an example library's moment)."""
    cache = Path(cache_dir) if cache_dir else _own_cache(db)
    return clip(redacted_recording(db, call_id, recordings_dir, cache), start_s, end_s, cache)


def default_cache(db: Path) -> Path:
    """``redacted/<database file name>/`` beside the database: each database keeps its own copies, so that a
    new copy made for one (its transcript changed) never deletes the copy another database in the same folder
    serves (a trial database beside the real one, over the same recordings)."""
    return Path(db).parent / "redacted" / Path(db).name


def _own_cache(db: Path) -> Path:
    """:func:`default_cache`, after deleting the copies made before databases had a folder each (straight in
    ``redacted/``: nothing looks them up any more, and one toned by an older detector must not stay on disk)."""
    cache = default_cache(db)
    if not cache.is_dir():
        try:
            cache.parent.mkdir(mode=0o700, exist_ok=True)   # redact_file makes only its own folder 0700
            _delete([p for p in cache.parent.glob("*.wav") if _OURS.fullmatch(p.name)],
                    f"redacted copies shared by the databases of {cache.parent.parent}")
        except OSError as e:   # the database's folder read-only for the dashboard's user
            raise AccessError(f"{cache.parent}: redacted copies cannot be kept there ({e.strerror or e}); "
                              "make the database's folder writable for the dashboard's user") from e
    return cache


def playable(viewer, db: Path, call_id: str, recordings_dir: Path, cache_dir: Path | None = None) -> tuple[Path, str]:
    """What ``viewer`` may hear of a call: (file, kind), kind "recording" (the original, only to a role that
    plays audio) or "redacted".  An operator hears only their own calls; refused with AccessError."""
    from analytics.storage.store import connect

    with connect(Path(db), read_only=True) as con:
        row = con.execute("SELECT audio_path, operator_id FROM calls WHERE call_id = ?", [call_id]).fetchone()
    if row is None or not viewer.may_see_call(row[1]):
        raise AccessError(f"звонок {call_id} недоступен")
    if viewer.role.plays_audio:
        return audio_file(recordings_dir, row[0]), "recording"
    return redacted_recording(db, call_id, recordings_dir, cache_dir), "redacted"
