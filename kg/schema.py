"""Access to the data files under ``schema/`` (graph model, gazetteers, lexicons, queries).

Data lives as YAML/Cypher files, not in code, so analysts can extend it. ``schema_dir()`` finds the
folder (``$KG_SCHEMA_DIR`` overrides it, e.g. for an analyst's extended gazetteer); ``load_yaml``
reads one table and raises ``SchemaError`` naming the file and listing the tables it did find.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kg.errors import SchemaError


def schema_dir() -> Path:
    """The schema folder: ``$KG_SCHEMA_DIR``, else ``schema/`` beside the ``kg`` package."""
    env = os.environ.get("KG_SCHEMA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "schema"


# libyaml's safe loader where PyYAML was built with it: the same documents, read much faster, and
# the gazetteer's YAML is read by every `kg extract` (figures: benchmarks/README.md, start-up).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

@cache
def load_yaml(name: str, folder: Path | None = None) -> Any:
    """Read ``schema/<name>`` (e.g. ``"graph.yaml"``, ``"gazetteer/persons.yaml"``); cached per process."""
    base = folder or schema_dir()
    path = base / name
    if not path.is_file():
        found = sorted(str(p.relative_to(base)) for p in base.rglob("*.yaml"))
        raise SchemaError(f"{path}: required table not found; tables present: {', '.join(found) or 'none'}")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise SchemaError(f"{path}: not valid YAML ({exc})") from exc
