"""``kg extract``: articles in, one JSON line (or a readable table) per article out."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from kg.errors import ReaderError

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
@click.option("--workers", type=int, default=1, show_default=True,
              help="Processes to extract in (0 = one per core).")
@click.option("--rejects", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write the files that could not be read, with the reason, to this JSONL file.")
def extract_cmd(paths: tuple[str, ...], fmt: str, workers: int, rejects: str | None) -> None:
    """Extract actors, countries, organisations, places and dated events from article files.

    PATHS are files of any format (RSS-to-Hexo, Jekyll, Markdown, HTML; sniffed, not guessed from
    the extension) or folders read recursively. One JSON object per article goes to standard
    output (the shape of ../shared/eval/CONTRACT.md); unreadable files are reported on standard
    error, the run goes on, and the exit code is 1 if any file failed.

    Example:

        kg extract ../shared/corpus/seed --format table
        kg extract ../shared/corpus --format jsonl --workers 0 > corpus.jsonl
    """
    from kg.extract.pipeline import default_workers, extract_files

    failures: list[ReaderError] = []
    count = 0
    for ex in extract_files(paths, workers=workers or default_workers()):
        if isinstance(ex, ReaderError):
            failures.append(ex)
            click.echo(f"error: {ex}", err=True)
            continue
        count += 1
        for error in ex.errors:
            click.echo(f"error: {error}", err=True)
        if fmt == "jsonl":
            sys.stdout.write(json.dumps(ex.to_dict(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(_table(ex))
    if rejects:
        with open(rejects, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({"path": f.where, "error": f.problem}, ensure_ascii=False) + "\n" for f in failures)
    click.echo(f"{count} articles extracted, {len(failures)} files could not be read", err=True)
    if failures:
        sys.exit(1)
