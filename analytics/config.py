"""Configuration: one file (``oka-qa.toml``) plus command-line flags.

Every section maps onto an options dataclass whose defaults work with no file
at all.  Unknown keys are an error that names the file and the key.
"""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analytics.reports.digest import DigestOptions
from analytics.reports.options import ReportOptions
from core.errors import OkaError
from transcription.options import TranscribeOptions

CONFIG_FILE = "oka-qa.toml"


class ConfigError(OkaError):
    """The configuration file is unreadable or has an unknown key."""


@dataclass
class StoreOptions:
    """db: the DuckDB file (docs/CONTRACT.md: ``var/oka.duckdb`` under the current directory)."""

    db: str = "var/oka.duckdb"


@dataclass
class DashboardOptions:
    """port: where ``oka-qa dashboard`` listens; address: the interface it binds to."""

    port: int = 8501
    address: str = "127.0.0.1"


@dataclass
class AccessOptions:
    """users_file: the dashboard's local accounts (``oka-qa users add``), JSON with argon2 hashes;
    recordings_dir: the only folder the dashboard plays audio from (empty: the data folder of the
    database's last ``ingest``); sso: offer single sign-on through Streamlit's ``st.login``
    (configured in ``.streamlit/secrets.toml``) besides the local accounts."""

    users_file: str = "var/users.json"
    recordings_dir: str = ""
    sso: bool = False
    idle_timeout_min: int = 30


@dataclass
class AuditOptions:
    """sample_per_operator: calls per operator in the half-year's random sample for the manual listening
    check (the dashboard's «Выборка»)."""

    sample_per_operator: int = 10


@dataclass
class ClusterOptions:
    """address: where ``oka-qa ingest`` transcribes and checks — empty: in this process and its worker
    processes (Ray is not imported); ``auto``: a Ray instance on this machine (the running one, or a new one
    started for the run); ``HOST:6379``: the head node of a cluster started with ``ray start --head``;
    ``ray://HOST:10001``: the same through Ray Client.  ``--cluster`` overrides it.
    cpus_per_actor: CPU cores (and threads) of each transcribing actor on a CPU node; each actor loads the
    model once (~0.6 GB of memory).
    gpus: on nodes with GPUs, one actor per GPU (``num_gpus=1``, float16); false: CPUs only.
    max_attempts: how many times one call is sent out (an actor or node that dies takes the calls it holds
    with it; they go to another actor) before it is reported as failed.
    start_timeout_s: how long to wait for a first actor to start (the cluster may have no CPU free)."""

    address: str = ""
    cpus_per_actor: int = 1
    gpus: bool = True
    max_attempts: int = 3
    start_timeout_s: float = 300.0


@dataclass
class Config:
    transcription: TranscribeOptions = field(default_factory=TranscribeOptions)
    store: StoreOptions = field(default_factory=StoreOptions)
    dashboard: DashboardOptions = field(default_factory=DashboardOptions)
    access: AccessOptions = field(default_factory=AccessOptions)
    report: ReportOptions = field(default_factory=ReportOptions)
    digest: DigestOptions = field(default_factory=DigestOptions)
    audit: AuditOptions = field(default_factory=AuditOptions)
    cluster: ClusterOptions = field(default_factory=ClusterOptions)


def _apply(target: Any, values: dict, where: str) -> None:
    names = {f.name for f in dataclasses.fields(target)}
    for key, value in values.items():
        if key not in names:
            raise ConfigError(f"{where}: unknown setting {key!r}; known: {', '.join(sorted(names))}")
        setattr(target, key, value)


def load(path: Path | None = None) -> Config:
    """Read ``path`` (default: ``./oka-qa.toml`` if present) over the defaults."""
    cfg = Config()
    path = Path(path) if path else Path(CONFIG_FILE)
    if not path.exists():
        return cfg
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not valid TOML ({e})") from e
    for section, values in data.items():
        if section not in {f.name for f in dataclasses.fields(cfg)} or not isinstance(values, dict):
            raise ConfigError(f"{path}: unknown section [{section}]")
        _apply(getattr(cfg, section), values, f"{path} [{section}]")
    return cfg
