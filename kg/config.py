"""Where kg keeps its files and how it finds the Neo4j to talk to.

Order of precedence for the connection: the ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD``
(and ``NEO4J_DATABASE``) environment variables, then the ``neo4j:`` section of the config file
(``--config``, ``KG_CONFIG`` or ``./kg.yaml``), then the local server that ``kg neo4j start``
manages (its generated password is read from a file only the user can read).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.schema import read_yaml

DEFAULT_BOLT_PORT = 7687


def kg_home() -> Path:
    """kg's own folder: ``$KG_HOME`` or ``~/.kg`` (jars cache, database files, password, logs)."""
    return Path(os.environ.get("KG_HOME") or Path.home() / ".kg").expanduser()


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    """Read the YAML config file; an explicit path that does not exist is an error, the default is optional."""
    explicit = path or os.environ.get("KG_CONFIG")
    candidate = Path(explicit) if explicit else Path("kg.yaml")
    if not candidate.exists():
        if explicit:
            raise ConfigError(f"{candidate}: config file not found")
        return {}
    data = read_yaml(candidate, error=ConfigError) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{candidate}: expected a mapping at the top level")
    return data


@dataclass(frozen=True, slots=True)
class Neo4jSettings:
    """How to reach Neo4j. ``local`` is True when it is the server kg manages itself."""

    uri: str
    user: str
    password: str | None
    database: str | None
    local: bool


def password_file() -> Path:
    """The file holding the generated password of the local server (mode 0600)."""
    return kg_home() / "neo4j" / "password"


def neo4j_settings(config: dict[str, Any] | None = None) -> Neo4jSettings:
    """Resolve the connection settings (environment, then config file, then the local server)."""
    section = (config or {}).get("neo4j") or {}
    env_uri = os.environ.get("NEO4J_URI")
    if env_uri or section.get("uri"):
        return Neo4jSettings(
            uri=env_uri or section["uri"],
            user=os.environ.get("NEO4J_USER") or section.get("user") or "neo4j",
            password=os.environ.get("NEO4J_PASSWORD") or section.get("password"),
            database=os.environ.get("NEO4J_DATABASE") or section.get("database"),
            local=False,
        )
    port = int(os.environ.get("KG_NEO4J_PORT") or section.get("port") or DEFAULT_BOLT_PORT)
    pw_file = password_file()
    password = pw_file.read_text(encoding="utf-8").strip() if pw_file.exists() else None
    return Neo4jSettings(uri=f"bolt://127.0.0.1:{port}", user="neo4j", password=password,
                         database=None, local=True)


DEFAULT_EVENT_WRITERS = 2


@dataclass(frozen=True, slots=True)
class LoadSettings:
    """The ``load:`` section of kg.yaml.

    ``event_writers``: processes writing the events of an offline import (``kg load --bulk``), 1 or
    2. By then the extraction workers have exited, so on a machine with two cores or more a second
    (forked) process takes about half of the mention types and uses a core that would sit idle;
    it shares its parent's memory until it writes, so 1 is the choice when memory is short."""

    event_writers: int = DEFAULT_EVENT_WRITERS

    @classmethod
    def from_config(cls, config: dict[str, Any], where: str = "kg.yaml") -> LoadSettings:
        section = config.get("load") or {}
        value = section.get("event_writers", DEFAULT_EVENT_WRITERS) if isinstance(section, dict) else None
        if value not in (1, 2):
            raise ConfigError(f"{where}: load.event_writers must be 1 or 2 (processes writing an import's events)")
        return cls(event_writers=min(value, os.cpu_count() or 1))


ENGINES = ("local", "dask")
# Articles per partition: a task of a few seconds on one core (~200 articles/s), a JSONL file of ~5 MB.
DEFAULT_PARTITION_SIZE = 500
# Reports a resolution window's task holds, its margins included, in a bulk load on Dask
# (``kg.resolve_windows``): what one worker holds at a time, whatever the archive's size.
DEFAULT_WINDOW_REPORTS = 10_000


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """Where extraction (and a bulk load's resolution) runs: ``local`` (this process, or its pool
    of ``workers`` processes) or ``dask`` (the cluster whose scheduler is at ``scheduler``; without
    one, a ``LocalCluster`` of ``workers`` processes on this machine). ``partition_size`` articles
    make one task and one ``part-NNNNN.jsonl`` file (``kg.engine``); a bulk load on Dask resolves
    at most ``window_reports`` reports per task, margins included (``kg.resolve_windows``)."""

    name: str = "local"
    scheduler: str | None = None
    workers: int = 1
    partition_size: int = DEFAULT_PARTITION_SIZE
    window_reports: int = DEFAULT_WINDOW_REPORTS


def engine_settings(config: dict[str, Any] | None = None, *, name: str | None = None,
                    scheduler: str | None = None, workers: int | None = None) -> EngineSettings:
    """The ``engine:`` section of kg.yaml, with the command line's values over it."""
    section = (config or {}).get("engine") or {}
    if not isinstance(section, dict):
        raise ConfigError("kg.yaml: `engine` must be a mapping (name, scheduler, workers, partition_size)")
    chosen = name or section.get("name") or ("dask" if scheduler else "local")
    if chosen not in ENGINES:
        raise ConfigError(f"kg.yaml: engine.name {chosen!r} is not one of {', '.join(ENGINES)}")
    try:
        sizes = {key: int(value) for key, value in (
            ("workers", workers or section.get("workers") or 1),
            ("partition_size", section.get("partition_size") or DEFAULT_PARTITION_SIZE),
            ("window_reports", section.get("window_reports") or DEFAULT_WINDOW_REPORTS))}
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"kg.yaml: engine.workers, partition_size and window_reports must be integers ({exc})") from exc
    if min(sizes.values()) < 1:
        raise ConfigError("kg.yaml: engine.workers, partition_size and window_reports must be at least 1")
    return EngineSettings(name=chosen, scheduler=scheduler or section.get("scheduler"), **sizes)
