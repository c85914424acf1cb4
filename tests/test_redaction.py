"""Redacted recordings (analytics/access/redaction.py): which seconds are toned, the cache, the clip,
and (slow) the real model hears none of a demo call's numbers in its redacted copy."""
from __future__ import annotations

import stat
import wave
from pathlib import Path

import numpy as np
import pytest

from analytics.access import redaction
from analytics.access.redaction import RedactOptions, pd_intervals
from transcription.schema import Transcript, Utterance, Word

ROOT = Path(__file__).resolve().parents[1]
DEMO_CALL = ROOT / "data" / "demo" / "audio" / "2026-04-07_0002.flac"   # account 200345678, phone 87015551234


def utt(speaker: str, t0: float, text: str, timed: bool = True) -> Utterance:
    """An utterance whose words last 0.4 s each, 0.5 s apart, from ``t0``."""
    words = [Word(" " + w, t0 + 0.5 * i, t0 + 0.5 * i + 0.4, 0.9) for i, w in enumerate(text.split())]
    return Utterance(speaker, t0, t0 + 0.5 * len(words), text, words if timed else None)


def toned_words(tr: Transcript, pad: float = 0.0) -> list[str]:
    spans = pd_intervals(tr, ("Айгуль",), RedactOptions(pad_s=pad))
    return [w.w.strip(" ,.") for u in tr.utterances for w in (u.words or [])
            if any(a < w.end and b > w.start for a, b in spans)]


@pytest.mark.parametrize(("utterances", "expected"), [
    ([utt("customer", 0, "Лицевой счёт два ноль ноль три четыре пять шесть семь восемь.")],
     ["два", "ноль", "ноль", "три", "четыре", "пять", "шесть", "семь", "восемь"]),
    # the cue is in the utterance before: the number alone is still an identifier
    ([utt("operator", 0, "Укажите, пожалуйста, контактный телефон."),
      utt("customer", 3, "Восемь семьсот один пятьсот пятьдесят пять двенадцать тридцать четыре.")],
     ["Восемь", "семьсот", "один", "пятьсот", "пятьдесят", "пять", "двенадцать", "тридцать", "четыре"]),
    ([utt("customer", 0, "Меня зовут Светлана Петровна.")], ["Светлана", "Петровна"]),
    # the operator's own name stays (the trainer knows whom they coach); a reading is not personal data
    ([utt("operator", 0, "Айгуль, слушаю вас."),
      utt("customer", 2, "Показания две тысячи сорок пять и три десятых.")], []),
    ([utt("customer", 0, "Здравствуйте, хочу передать показания.")], []),
])
def test_toned_words(utterances, expected):
    assert toned_words(Transcript("t", 30.0, utterances=utterances)) == expected


def test_untimed_utterance_with_pd_is_toned_whole_and_padding_applies():
    tr = Transcript("t", 30.0, utterances=[utt("customer", 4.0, "Мой телефон восемь семь ноль один пять пять пять "
                                                             "один два три четыре", timed=False)])
    (a, b), = pd_intervals(tr, options=RedactOptions(pad_s=0.25))
    assert (a, b) == pytest.approx((3.75, tr.utterances[0].end + 0.25))


def test_tone_replaces_speech_on_every_channel():
    rate = 1000
    speech = [np.full(rate * 2, 0.5, dtype=np.float32), np.full(rate * 2, -0.5, dtype=np.float32)]
    out = redaction.tone_over(speech, rate, [(0.5, 1.0)], RedactOptions(tone_hz=100, tone_level=0.1))
    for ch, orig in zip(out, speech, strict=True):
        assert np.max(np.abs(ch[500:1000])) <= 0.1 + 1e-6          # nothing of the speech is left there
        assert np.array_equal(ch[:500], orig[:500]) and np.array_equal(ch[1000:], orig[1000:])
    assert np.array_equal(out[0][500:1000], out[1][500:1000])


def test_redacted_file_is_made_once_0600_and_remade_for_another_transcript(tmp_path, monkeypatch):
    rate = 16000
    src = tmp_path / "call.wav"
    redaction.write_wav(src, [np.full(rate * 6, 0.5, dtype=np.float32)] * 2, rate)
    tr = Transcript("t", 6.0, utterances=[utt("customer", 1.0, "Лицевой счёт два ноль ноль три четыре пять")])
    cache = tmp_path / "redacted"
    first = redaction.redact_file(src, tr, cache)
    assert stat.S_IMODE(first.stat().st_mode) == 0o600 and stat.S_IMODE(cache.stat().st_mode) == 0o700
    with wave.open(str(first)) as w:
        data = np.frombuffer(w.readframes(w.getnframes()), "<i2").reshape(-1, 2) / 32767.0
    assert np.max(np.abs(data[int(2.0 * rate):int(3.5 * rate)])) < 0.2     # the digits: tone
    assert np.allclose(data[: int(1.5 * rate)], 0.5, atol=1e-3)          # «лицевой счёт»: untouched

    import transcription.audio
    monkeypatch.setattr(transcription.audio, "decode", lambda p: pytest.fail("decoded again"))
    assert redaction.redact_file(src, tr, cache) == first                 # the cache answers
    monkeypatch.undo()
    tr2 = Transcript("t", 6.0, utterances=[utt("customer", 1.0, "Лицевой счёт два ноль ноль три четыре шесть")])
    second = redaction.redact_file(src, tr2, cache)
    assert second != first

    piece = redaction.clip(second, 2.0, 3.0, cache)
    with wave.open(str(piece)) as w:
        assert w.getnframes() == rate and w.getnchannels() == 2
    assert stat.S_IMODE(piece.stat().st_mode) == 0o600


@pytest.mark.slow
def test_real_model_hears_no_number_in_the_redacted_demo_call(tmp_path):
    from analytics.storage.calls_store import call_numbers
    from transcription.options import TranscribeOptions
    from transcription.pipeline import Transcriber

    transcriber = Transcriber(TranscribeOptions(device="cpu"))
    original = transcriber.transcribe(DEMO_CALL)
    heard = call_numbers(original)
    # the test means something only if the original's identifiers are heard: the account, or the phone (how the
    # base model splits the digits differs between machines: «85551234» on an AVX2 one, the account on another)
    assert {"200345678"} <= heard or any(len(n) >= 7 for n in heard), heard
    redacted = redaction.redact_file(DEMO_CALL, original, tmp_path, keep_names=("Нурлан",))
    again = transcriber.transcribe(redacted)
    long_numbers = {n for n in call_numbers(again) if len(n) >= 4}
    assert not long_numbers, (long_numbers, [u.text for u in again.utterances])
    said = " ".join(u.text for u in again.utterances).lower()
    assert "светлан" not in said and "петровн" not in said, said
    assert "тепловые сети" in said   # the rest of the call is still there to coach on


def test_a_changed_recording_and_concurrent_first_plays(tmp_path):
    import threading

    rate = 16000
    src = tmp_path / "call.wav"
    redaction.write_wav(src, [np.full(rate * 6, 0.5, dtype=np.float32)], rate)
    tr = Transcript("t", 6.0, utterances=[utt("customer", 1.0, "Лицевой счёт два ноль ноль три четыре пять")])
    cache = tmp_path / "redacted"
    made: list[Path] = []
    threads = [threading.Thread(target=lambda: made.append(redaction.redact_file(src, tr, cache))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(made)) == 1 and not list(cache.glob(".*.tmp"))       # one file, no leftovers
    with wave.open(str(made[0])) as w:
        assert w.getnframes() == rate * 6
    redaction.write_wav(src, [np.full(rate * 7, 0.25, dtype=np.float32)], rate)   # the recording replaced
    again = redaction.redact_file(src, tr, cache)
    assert again != made[0]
    with wave.open(str(again)) as w:
        assert w.getnframes() == rate * 7


@pytest.mark.parametrize("change", ["the transcript", "the recording", "the detector"])
def test_a_new_redacted_copy_deletes_the_earlier_copies_of_its_recording(tmp_path, monkeypatch, change):
    """An earlier copy (older transcript, recording or detector) is never served again; one toned by a weaker
    detector must not stay on disk either.  Its clips go with it; the new copy's clips, another recording's
    copies and copies named before copies carried their recording's name (never looked up again) likewise."""
    rate = 16000
    src, other = tmp_path / "call.wav", tmp_path / "other.wav"
    for path in (src, other):
        redaction.write_wav(path, [np.full(rate * 6, 0.5, dtype=np.float32)], rate)
    tr = Transcript("t", 6.0, utterances=[utt("customer", 1.0, "Лицевой счёт два ноль ноль три четыре пять")])
    cache = tmp_path / "redacted"
    old = redaction.redact_file(src, tr, cache)
    old_clip = redaction.clip(old, 2.0, 3.0, cache)
    kept = [redaction.redact_file(other, tr, cache)]
    kept.append(redaction.clip(kept[0], 1.0, 2.0, cache))
    unowned = [cache / f"{'ab' * 16}.wav", cache / f"{'ab' * 16}-2.00-3.00.wav"]
    for path in unowned:
        path.write_bytes(old.read_bytes())
    if change == "the transcript":
        tr = Transcript("t", 6.0, utterances=[utt("customer", 1.0, "Лицевой счёт два ноль ноль три четыре шесть")])
    elif change == "the recording":
        redaction.write_wav(src, [np.full(rate * 7, 0.25, dtype=np.float32)], rate)
    else:
        monkeypatch.setattr(redaction, "detector_version", lambda: "a better detector")
    new = redaction.redact_file(src, tr, cache)
    new_clip = redaction.clip(new, 2.0, 3.0, cache)
    assert new != old and new.is_file() and new_clip.is_file()
    assert not old.exists() and not old_clip.exists() and not any(p.exists() for p in unowned)
    assert all(p.is_file() for p in kept)
    assert redaction.redact_file(src, tr, cache) == new and new_clip.is_file()   # the cache still answers


@pytest.mark.parametrize("change", ["a word changed", "a file added", "a name added"])
def test_the_detector_version_follows_the_words_of_the_calls(tmp_path, monkeypatch, change):
    """A redacted recording is cached under the detector's version: a change to the words a misheard word is
    compared with (issue 17, ``rules.privacy.lexicon.VOCABULARY_FILES``) or to the names it knows
    (``NAMES_FILES``, the rulebook's Kazakh names among them) must make a new one, as a change to the masker's
    own sources does."""
    import rules.privacy.lexicon as lexicon_mod

    words = tmp_path / "rulebook.yaml"
    words.write_text("счётчик\n", encoding="utf-8")
    names = tmp_path / "kazakh_names.txt"
    names.write_text("айгүл\n", encoding="utf-8")
    monkeypatch.setattr(lexicon_mod, "VOCABULARY_FILES", (words,))
    monkeypatch.setattr(lexicon_mod, "NAMES_FILES", (names,))
    before = redaction.detector_version()
    assert redaction.detector_version() == before
    if change == "a word changed":
        words.write_text("счётчик абонент\n", encoding="utf-8")
    elif change == "a name added":
        names.write_text("айгүл\nақмарал\n", encoding="utf-8")
    else:
        monkeypatch.setattr(lexicon_mod, "VOCABULARY_FILES", (words, tmp_path / "missing.yaml"))
        (tmp_path / "missing.yaml").write_text("авария\n", encoding="utf-8")
    assert redaction.detector_version() != before


def _two_databases(tmp_path: Path) -> tuple[Path, Path]:
    """Two databases in one folder over the same recording (c13), whose stored transcripts of it differ."""
    import shutil

    import dashboard_db

    from analytics.storage.store import connect

    first = dashboard_db.build(tmp_path / "oka.duckdb")
    dashboard_db.add_recording(first, "c13")
    second = tmp_path / "trial.duckdb"
    shutil.copy(first, second)
    with connect(second) as con:
        con.execute("UPDATE utterances SET text = text || ' Всего доброго.' WHERE call_id = 'c13'")
    return first, second


def test_two_databases_in_one_folder_keep_their_own_redacted_copies(tmp_path):
    """Noticed in issue 20: the databases of one folder shared ``redacted/``, so a copy made for one (its
    transcript of the recording differs) deleted the copy the other was serving, and back again."""
    first, second = _two_databases(tmp_path)
    ours = redaction.redacted_recording(first, "c13", tmp_path)
    theirs = redaction.redacted_recording(second, "c13", tmp_path)
    assert ours != theirs and ours.is_file() and theirs.is_file()
    assert ours.parent == redaction.default_cache(first) and theirs.parent == redaction.default_cache(second)
    made = ours.stat().st_mtime_ns
    assert redaction.redacted_recording(first, "c13", tmp_path) == ours and ours.stat().st_mtime_ns == made
    assert stat.S_IMODE(ours.parent.stat().st_mode) == stat.S_IMODE(ours.parent.parent.stat().st_mode) == 0o700


def test_copies_shared_by_the_databases_before_are_deleted(tmp_path):
    """The copies an earlier version kept straight in ``redacted/`` are looked up by nothing now; one toned by
    an older detector must not stay on disk.  Files the module never names are left alone."""
    first, _ = _two_databases(tmp_path)
    shared = tmp_path / "redacted"
    shared.mkdir()
    old = [shared / f"{'ab' * 6}-{'cd' * 16}.wav", shared / f"{'ab' * 6}-{'cd' * 16}-2.00-3.00.wav",
           shared / f"{'ef' * 16}.wav"]
    foreign = [shared / "notes.wav", shared / "readme.txt"]
    for path in old + foreign:
        path.write_bytes(b"RIFF")
    redaction.redacted_recording(first, "c13", tmp_path)
    assert not any(p.exists() for p in old)
    assert all(p.exists() for p in foreign)


@pytest.mark.parametrize("fails", ["the database's folder", "the copy"])
def test_a_copy_that_cannot_be_kept_is_one_access_error(tmp_path, monkeypatch, fails):
    """A dashboard whose database folder is read-only for it (or a full disk): the call page says why there is
    no audio (an AccessError, which the page shows as a caption) instead of failing on a PermissionError."""
    import errno

    from analytics.access.policy import AccessError

    first, _ = _two_databases(tmp_path)
    if fails == "the database's folder":
        real = Path.mkdir

        def mkdir(self, *args, **kwargs):
            if self.is_relative_to(tmp_path / "redacted"):
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Path, "mkdir", mkdir)
    else:
        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(redaction, "write_wav", full)
    with pytest.raises(AccessError, match="redacted") as e:
        redaction.redacted_recording(first, "c13", tmp_path)
    assert "\n" not in str(e.value) and str(tmp_path / "redacted") in str(e.value)


@pytest.mark.parametrize("utterances, toned", [
    ([(0.0, 2.0), (6.0, 8.0)], [(3.0, 5.0)]),     # voice at 3-5 s between two utterances: no words cover it
    ([(0.0, 5.5), (6.0, 8.0)], []),               # the same voice inside an utterance: the masker read it
    ([(0.0, 2.9), (5.1, 8.0)], [(3.0, 5.0)]),     # a gap just around it
    ([(0.0, 3.5), (4.2, 8.0)], []),               # gaps under a second are not looked at
])
def test_voice_no_utterance_covers_is_toned(utterances, toned):
    """The recogniser drops what it cannot make out; a dictated account it dropped is still plain to a listener, so
    the redacted copy tones voice that no transcribed utterance covers (silence stays as it is)."""
    rate = 16000
    rng = np.random.default_rng(0)
    quiet = (rng.standard_normal(8 * rate) * 0.002).astype(np.float32)
    voiced = quiet.copy()
    voiced[3 * rate:5 * rate] += (0.3 * np.sin(2 * np.pi * 220 * np.arange(2 * rate) / rate)).astype(np.float32)
    tr = Transcript("t", 8.0, utterances=[Utterance("customer", a, b, "слово") for a, b in utterances])
    got = redaction.unheard_voice([quiet, voiced], rate, tr, redaction.RedactOptions(pad_s=0.0))
    assert [(round(a, 1), round(b, 1)) for a, b in got] == toned
