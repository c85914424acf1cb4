"""The embedded model: assembled once, verified by SHA-256 once per installation (re-hashed when a file's
size or modification time changes), a clear error when it does not match."""
from __future__ import annotations

import hashlib
import os

import pytest

from transcription import model as model_mod
from transcription.model import ModelError, embedded_model_dir, resolve_model
from transcription.options import TranscribeOptions


@pytest.fixture(scope="module")
def assembled(tmp_path_factory):
    return embedded_model_dir(tmp_path_factory.mktemp("models"))


def test_assembles_verified_folder(assembled):
    assert sorted(p.name for p in assembled.iterdir()) == sorted([*model_mod.EMBEDDED_SHA256, model_mod.VERIFIED_FILE])
    # nothing half-made is left beside it
    assert [p.name for p in assembled.parent.iterdir()] == [model_mod.EMBEDDED_FOLDER]


def test_reuses_folder(assembled):
    mtime = (assembled / "model.bin").stat().st_mtime_ns
    assert embedded_model_dir(assembled.parent) == assembled
    assert (assembled / "model.bin").stat().st_mtime_ns == mtime


@pytest.mark.parametrize("damage", ["corrupt", "missing"])
def test_damaged_cache_is_a_clear_error(assembled, tmp_path, damage):
    folder = tmp_path / model_mod.EMBEDDED_FOLDER
    folder.mkdir()
    for name in model_mod.EMBEDDED_SHA256:
        (folder / name).symlink_to(assembled / name)
    (folder / "config.json").unlink()
    if damage == "corrupt":
        (folder / "config.json").write_text("{}")
    with pytest.raises(ModelError, match=r"config.json.*(does not match|missing).*reinstall"):
        embedded_model_dir(tmp_path)


def _small_model(tmp_path, monkeypatch) -> tuple:
    """A stand-in installation: an assembled folder of small files, pinned to their own hashes."""
    folder = tmp_path / model_mod.EMBEDDED_FOLDER
    folder.mkdir()
    for name in model_mod.EMBEDDED_SHA256:
        (folder / name).write_bytes(name.encode() * 1000)
        monkeypatch.setitem(model_mod.EMBEDDED_SHA256, name, hashlib.sha256(name.encode() * 1000).hexdigest())
    hashed: list[str] = []
    real = model_mod.sha256_file

    def counting(path):
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(model_mod, "sha256_file", counting)
    return folder, hashed


def _touch(path):
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def _rewrite_same_size(path):
    st = path.stat()
    path.write_bytes(path.read_bytes()[::-1])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def _shrink_same_mtime(path):
    st = path.stat()
    path.write_bytes(b"x")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


@pytest.mark.parametrize("change, hashed_again, error", [
    (None, [], None),                                                    # nothing changed: nothing read
    (_touch, ["config.json"], None),                                     # a new mtime: hashed, still good
    (_rewrite_same_size, ["config.json"], "does not match"),             # new content, new mtime: caught
    (_shrink_same_mtime, ["config.json"], "does not match"),             # another size, same mtime: caught
    ("pin", ["config.json"], "does not match"),                          # another release pinned
])
def test_model_is_hashed_once_per_installation(tmp_path, monkeypatch, change, hashed_again, error):
    folder, hashed = _small_model(tmp_path, monkeypatch)
    assert embedded_model_dir(tmp_path) == folder
    assert sorted(hashed) == sorted(model_mod.EMBEDDED_SHA256)          # first start: every file hashed
    hashed.clear()
    if change == "pin":
        monkeypatch.setitem(model_mod.EMBEDDED_SHA256, "config.json", "0" * 64)
    elif change is not None:
        change(folder / "config.json")
    if error:
        with pytest.raises(ModelError, match=error):
            embedded_model_dir(tmp_path)
    else:
        assert embedded_model_dir(tmp_path) == folder
    assert hashed == hashed_again


def test_sha_mismatch_while_assembling_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setitem(model_mod.EMBEDDED_SHA256, "model.bin", "0" * 64)
    with pytest.raises(ModelError, match=r"model.bin: SHA-256 905e5bf8336b… does not match the pinned 000000000000…"):
        embedded_model_dir(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cache_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(model_mod.CACHE_ENV, str(tmp_path / "elsewhere"))
    assert model_mod.cache_root() == tmp_path / "elsewhere"


@pytest.mark.parametrize("name, expected", [
    ("small", "small"),
    ("large-v3", "large-v3"),
    ("Systran/faster-whisper-small", "Systran/faster-whisper-small"),
])
def test_size_names_pass_through(name, expected):
    assert resolve_model(name) == expected


def test_local_folder(tmp_path):
    (tmp_path / "model.bin").write_bytes(b"x")
    assert resolve_model(str(tmp_path)) == str(tmp_path)


@pytest.mark.parametrize("name, message", [
    ("./no/such/model", "model folder not found"),
    ("huge-v9", "not a model folder, nor a Whisper size name"),
])
def test_bad_names(name, message):
    with pytest.raises(ModelError, match=message):
        resolve_model(name)


def test_folder_without_model_bin(tmp_path):
    with pytest.raises(ModelError, match=r"no model\.bin"):
        resolve_model(str(tmp_path))


@pytest.mark.parametrize("device, compute, expected", [
    ("cpu", "auto", ("cpu", "int8")),
    ("cpu", "float32", ("cpu", "float32")),
])
def test_runtime(device, compute, expected):
    rt = model_mod.pick_runtime(TranscribeOptions(device=device, compute_type=compute))
    assert (rt.device, rt.compute_type) == expected


def test_unreachable_size_name_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError, match=r"cannot load Whisper model 'tiny'.*embedded-base"):
        model_mod.load_model(TranscribeOptions(model="tiny", device="cpu"))
