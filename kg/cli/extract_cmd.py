"""``kg extract``: articles in, one JSON line (or a readable table) per article out."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli.common import config_option, fail
from kg.config import ENGINES, engine_settings, load_config
from kg.errors import KgError, ReaderError
from kg.partitions import prepare, write_partition

if TYPE_CHECKING:
    from kg.records import ArticleExtraction


def _table(ex: ArticleExtraction) -> str:
    from kg.records import iso

    art = ex.article
    lines = [f"== {art.title}  [{iso(art.published)}]  {art.path}"]
    names = {e.id: e.name for e in ex.entities}
    for kind in ("Person", "Country", "Organization", "Place"):
        items = [e for e in ex.entities if e.type == kind]
        if items:
            lines.append(f"   {kind + 's:':14s}" + ", ".join(
                e.name + (f" ({e.role}, {e.country})" if kind == "Person" and e.role else "") for e in items))
    for ev in ex.events:
        when = iso(ev.start) if ev.start == ev.end else f"{iso(ev.start)}..{iso(ev.end)}"
        who = ", ".join(names.get(p, p) for p in ev.participants)
        where = f" @ {names.get(ev.place, ev.place)}" if ev.place else ""
        lines.append(f"   {ev.type:12s} {when or '?':22s} {ev.status:9s} {who}{where}")
        lines.append(f"   {'':12s} “{ev.evidence[:100]}”")
    lines += [f"   ! {e}" for e in ex.errors]
    return "\n".join(lines) + "\n"


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--workers", type=int, default=None,
              help="Processes to extract in (0 = one per core; default: engine.workers in kg.yaml, else 1); "
                   "with --engine dask and no --scheduler, the local cluster's workers.")
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help="Where to extract: this machine (local) or a Dask cluster (dask; pip install 'kg[dask]'). "
                   "Default: engine.name in kg.yaml, else local.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="The Dask scheduler (tcp://host:8786; implies --engine dask). Without it the dask engine "
                   "starts a local cluster of --workers processes.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write partitioned JSONL to this folder (part-00000.jsonl, ...) instead of standard output.")
@click.option("--rejects", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write the files that could not be read, with the reason, to this JSONL file.")
@config_option
def extract_cmd(paths: tuple[str, ...], fmt: str, workers: int | None, engine: str | None, scheduler: str | None,
                out_dir: str | None, rejects: str | None, config_path: str | None) -> None:
    """Extract actors, countries, organisations, places and dated events from article files.

    PATHS are files of any format (RSS-to-Hexo, Jekyll, Markdown, HTML; sniffed, not guessed from
    the extension) or folders read recursively. One JSON object per article goes to standard
    output (the shape of ../shared/eval/CONTRACT.md), or with --out to partition files of
    engine.partition_size articles; unreadable files are reported on standard error, the run goes
    on, and the exit code is 1 if any file failed. The dask engine gives the same records in the
    same partitions as the local one (docs/scale.md).

    Example:

        kg extract ../shared/corpus/seed --format table
        kg extract ../shared/corpus --format jsonl --workers 0 > corpus.jsonl
        kg extract archive/ --engine dask --scheduler tcp://10.0.0.5:8786 --out archive.parts
    """
    from kg.engine import extract_partitions
    from kg.extract.pipeline import default_workers

    try:
        config = load_config(config_path)
        settings = engine_settings(config, name=engine, scheduler=scheduler, workers=workers)
        if workers == 0:
            settings = replace(settings, workers=default_workers())
        folder = prepare(out_dir) if out_dir else None
        failures, count = _write(extract_partitions(paths, settings), fmt, folder)
    except KgError as exc:
        raise fail(exc) from exc
    if rejects:
        with open(rejects, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({"path": f.where, "error": f.problem}, ensure_ascii=False) + "\n" for f in failures)
    click.echo(f"{count} articles extracted, {len(failures)} files could not be read"
               + (f"; partitions in {folder}" if folder else ""), err=True)
    if failures:
        sys.exit(1)


def _write(partitions: Iterable[list[ArticleExtraction | ReaderError]], fmt: str,
           folder: Path | None) -> tuple[list[ReaderError], int]:
    """Report the failures and print the records (or write each partition to ``folder``)."""
    failures: list[ReaderError] = []
    count = 0
    for index, partition in enumerate(partitions):
        records = []
        for ex in partition:
            if isinstance(ex, ReaderError):
                failures.append(ex)
                click.echo(f"error: {ex}", err=True)
                continue
            records.append(ex)
            for error in ex.errors:
                click.echo(f"error: {error}", err=True)
        count += len(records)
        if folder is not None:
            write_partition(folder, index, records)
        elif fmt == "jsonl":
            sys.stdout.writelines(json.dumps(ex.to_dict(), ensure_ascii=False) + "\n" for ex in records)
        else:
            sys.stdout.writelines(map(_table, records))
    return failures, count
