"""Partitioned JSONL: a folder of ``part-00000.jsonl``, ``part-00001.jsonl``, ... (``kg extract
--out``), one extraction record per line as ``kg extract --format jsonl`` prints them.

One file per partition of the engine (``kg.engine``), so a distributed run writes as it collects
and a later step (``kg load``, ``kg load --bulk``) can read the files one after the other, or
several readers one each. The files' names sort in the order of the archive.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import ConfigError

if TYPE_CHECKING:  # annotations only: `kg --help` need not build the record classes
    from kg.records import ArticleExtraction

PATTERN = "part-*.jsonl"


def part_name(index: int) -> str:
    return f"part-{index:05d}.jsonl"


def prepare(folder: str | Path) -> Path:
    """The folder to write partitions to, created if needed; one holding partitions already is
    refused (two runs' files would mix)."""
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: not a folder (kg extract --out takes a folder for its part-*.jsonl files)")
    if out.is_dir() and any(out.glob(PATTERN)):
        raise ConfigError(f"{out}: holds {PATTERN} files of an earlier run already; give an empty or new folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def write_partition(folder: Path, index: int, records: Iterable[ArticleExtraction]) -> Path:
    """One partition's records as one JSONL file (written whole, so a reader never sees half of it)."""
    path = folder / part_name(index)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(ex.to_dict(), ensure_ascii=False) + "\n" for ex in records)
    tmp.replace(path)
    return path


def input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """JSONL files given as files or as folders of partitions (their ``part-*.jsonl`` in order);
    a folder without any is an error naming it."""
    for given in map(Path, paths):
        if not given.is_dir():
            yield given
            continue
        parts = sorted(given.glob(PATTERN))
        if not parts:
            raise ConfigError(f"{given}: a folder without {PATTERN} files (kg extract --out writes them)")
        yield from parts
