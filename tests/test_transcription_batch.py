"""Batches: bad files reported and skipped, the cache, resuming after a crash, the CLI's exit codes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from core.errors import OkaError
from transcription import batch, pipeline
from transcription.batch import transcribe_files
from transcription.options import TranscribeOptions
from transcription.schema import Transcript

DATA = Path(__file__).parent / "data"
CLIP = DATA / "stereo_call.flac"

pytestmark = pytest.mark.slow


@pytest.fixture
def folder(tmp_path):
    """Two good recordings (the clip as FLAC and as WAV) and three that cannot be decoded."""
    import av

    shutil.copy(CLIP, tmp_path / "call_a.flac")
    with av.open(str(CLIP)) as src, av.open(str(tmp_path / "call_b.wav"), "w") as dst:
        out = dst.add_stream("pcm_s16le", rate=8000, layout="stereo")
        for frame in src.decode(audio=0):
            frame.pts = None
            for packet in out.encode(frame):
                dst.mux(packet)
        for packet in out.encode(None):
            dst.mux(packet)
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "notes.mp3").write_text("not audio\n" * 50)
    (tmp_path / "cut.wav").write_bytes((tmp_path / "call_b.wav").read_bytes()[:3000])
    shutil.copy(CLIP, tmp_path / "call a.flac")   # good audio, but its stem is no call_id (a space)
    return tmp_path


def opts(tmp: Path, **kw) -> TranscribeOptions:
    """In-process by default, so that the tests can watch (and crash) the transcriber."""
    kw.setdefault("workers", 1)
    return TranscribeOptions(device="cpu", cache_dir=str(tmp / "cache"), **kw)


def test_bad_files_are_reported_and_the_rest_go_on(folder):
    errors: list[str] = []
    paths = [folder / n for n in ("empty.wav", "call_a.flac", "notes.mp3", "cut.wav", "call_b.wav")]
    results = transcribe_files(paths, folder / "out", opts(folder), on_error=errors.append)
    assert [r.audio.name for r in results] == ["call_a.flac", "call_b.wav"]
    assert [e.split(":")[0] for e in errors] == [str(folder / n) for n in ("empty.wav", "notes.mp3", "cut.wav")]
    assert all("cannot decode audio: " in e and "\n" not in e for e in errors)
    assert "empty file" in errors[0] and "not a readable audio file" in errors[1] and "truncated" in errors[2]
    for r in results:
        assert r.model == "embedded-base/int8" and not r.cached
        assert r.json_path == folder / "out" / f"{r.audio.stem}.json"
        loaded = Transcript.load(r.json_path)
        assert loaded.call_id == r.audio.stem == r.transcript.call_id
        assert any(u.speaker == "operator" for u in loaded.utterances)


def test_cache_second_run_transcribes_nothing(folder, monkeypatch):
    paths = [folder / "call_a.flac", folder / "call_b.wav"]
    first = transcribe_files(paths, None, opts(folder))
    assert [r.cached for r in first] == [False, False] and all(r.json_path is None for r in first)

    def boom(*a, **k):
        raise AssertionError("transcribed again although cached")

    monkeypatch.setattr(pipeline.Transcriber, "transcribe", boom)
    again = transcribe_files(paths, folder / "out", opts(folder), call_ids=["c-1", "c-2"])
    assert [r.cached for r in again] == [True, True]
    assert [r.transcript.call_id for r in again] == ["c-1", "c-2"]
    assert (folder / "out" / "c-1.json").is_file()
    assert again[0].transcript.to_dict()["utterances"] == first[0].transcript.to_dict()["utterances"]
    # other settings are another cache entry
    errors: list[str] = []
    assert transcribe_files(paths[:1], None, opts(folder, layout="stereo-operator-right"), on_error=errors.append) == []
    assert errors == [f"{paths[0]}: transcription failed: transcribed again although cached"]


@pytest.mark.parametrize("together", [1, 2])  # one call at a time; both calls at once, in threads
def test_crash_midway_keeps_what_was_done(folder, monkeypatch, together):
    paths = [folder / "call_a.flac", folder / "call_b.wav"]
    real = pipeline.Transcriber.transcribe

    def crash_on_second(self, path, call_id=None):
        if Path(path).name == "call_b.wav":
            raise KeyboardInterrupt  # the machine goes down mid-batch
        return real(self, path, call_id)

    monkeypatch.setattr(pipeline.Transcriber, "transcribe", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        transcribe_files(paths, folder / "out", opts(folder, decode_together=together))
    assert (folder / "out" / "call_a.json").is_file() and not (folder / "out" / "call_b.json").exists()
    monkeypatch.setattr(pipeline.Transcriber, "transcribe", real)
    resumed = transcribe_files(paths, folder / "out", opts(folder))
    assert [r.cached for r in resumed] == [True, False]
    assert not list((folder / "cache").rglob("*.tmp"))


def test_two_workers(folder):
    paths = [folder / "call_a.flac", folder / "notes.mp3", folder / "call_b.wav"]
    errors: list[str] = []
    results = transcribe_files(paths, folder / "out", opts(folder, workers=2), on_error=errors.append)
    assert [r.audio.name for r in results] == ["call_a.flac", "call_b.wav"]
    assert len(errors) == 1 and errors[0].startswith(f"{folder / 'notes.mp3'}: cannot decode audio:")
    for r in results:
        assert "теплов" in " ".join(u.text for u in r.transcript.utterances if u.speaker == "operator").lower()


@pytest.mark.parametrize("names, code", [
    (["call_a.flac"], 0),
    (["call_a.flac", "notes.mp3"], 1),
    (["empty.wav", "notes.mp3"], 2),
    (["call a.flac", "call_a.flac"], 1),   # named after a stem that is no call_id: that one alone is refused
    (["call_a.flac", "call a.flac"], 1),
    (["call a.flac"], 2),
])
def test_cli_exit_codes(folder, monkeypatch, names, code):
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(cli, ["transcribe", *names, "--out", "out"])
    assert result.exit_code == code, result.output
    bad = [n for n in names if n in ("notes.mp3", "empty.wav", "call a.flac")]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert [e.split(":")[1].strip() for e in errors] == bad
    for n in names:
        assert (folder / "out" / f"{Path(n).stem}.json").is_file() is (n not in bad)


def test_cli_bad_model_is_one_line(folder, monkeypatch):
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(cli, ["transcribe", "call_a.flac", "--out", "out", "--model", "./nowhere"])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "model folder not found" in result.stderr


def test_unwritable_out_dir_is_one_clear_error(folder):
    blocker = folder / "out"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(OkaError, match="cannot write transcripts"):
        transcribe_files([folder / "call_a.flac"], blocker, opts(folder))


@pytest.mark.parametrize("workers, device, cores, gpus, expected", [
    (3, "cpu", 16, 0, 3),     # asked for: as asked, whatever the machine
    (1, "cpu", 16, 0, 1),
    (6, "auto", 2, 1, 6),
    (0, "cpu", 2, 0, 2),      # automatic: one per core...
    (0, "cpu", 1, 0, 1),
    (0, "cpu", 16, 0, 4),     # ...at most four
    (0, "auto", 16, 0, 4),    # auto on a machine without a GPU is the CPU
    (0, "auto", 16, 1, 1),    # one on a GPU
    (0, "cuda", 8, 2, 1),
])
def test_worker_count(monkeypatch, workers, device, cores, gpus, expected):
    import ctranslate2

    monkeypatch.setattr(batch, "cores", lambda: cores)
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: gpus)
    assert batch.worker_count(TranscribeOptions(device=device, workers=workers)) == expected
