"""``kg schema apply``, ``kg load`` and ``kg query``: the commands that talk to Neo4j."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli.common import config_option, fail
from kg.cli.output import FORMATS, render, row_count, stream
from kg.config import ENGINES, engine_settings, kg_home, load_config, neo4j_settings
from kg.errors import KgError, QueryError
from kg.limits import Limits
from kg.lock import hold_lock
from kg.partitions import input_files

if TYPE_CHECKING:
    from kg.graph.load import LoadStats
    from kg.records import ArticleExtraction


@click.group("schema")
def schema_group() -> None:
    """The graph schema (schema/graph.yaml): constraints and indexes.

    Example:

        kg schema apply
    """


@schema_group.command("apply")
@config_option
def schema_apply(config_path: str | None) -> None:
    """Create the constraints and indexes of schema/graph.yaml (safe to run again).

    Example:

        kg schema apply
    """
    from kg.graph.connect import open_driver
    from kg.graph.load import apply_schema

    try:
        settings = neo4j_settings(load_config(config_path))
        with open_driver(settings) as driver:
            statements = apply_schema(driver, settings.database)
    except KgError as exc:
        raise fail(exc) from exc
    click.echo(f"{len(statements)} constraints and indexes in place on {settings.uri}")


@schema_group.command("docs")
def schema_docs() -> None:
    """Print the graph model as Markdown (the content of docs/schema.md).

    Example:

        kg schema docs > docs/schema.md
    """
    from kg.graph.docs import schema_markdown
    from kg.graph.model import graph_model

    click.echo(schema_markdown(graph_model()), nl=False)


def _good_lines(paths: tuple[str, ...], stats: LoadStats, rejects: Path, limits: Limits) -> Iterator[ArticleExtraction]:
    """Every extraction of the files, read as the load takes them (an archive's file can hold
    gigabytes); bad lines are reported, counted and kept aside in ``rejects``: where they were,
    what is wrong, and the line itself, to be fixed and loaded again."""
    from kg.graph.load import RejectedLine, read_jsonl

    for path in paths:
        for item in read_jsonl(path, limits):
            if isinstance(item, RejectedLine):
                stats.errors.append(str(item))
                click.echo(f"warning: {item}", err=True)
                rejects.parent.mkdir(parents=True, exist_ok=True)
                kept = {"where": item.where, "error": item.problem,
                        "line": item.raw.decode("utf-8", "replace") if item.raw is not None else None}
                with rejects.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(kept, ensure_ascii=False) + "\n")
            else:
                yield item


def _count_lines(paths: tuple[str, ...]) -> int:
    """Lines of the files: the progress bar's length, before anything is parsed (counted a
    megabyte at a time, so one enormous line is never held whole)."""
    total = 0
    for path in paths:
        with open(path, "rb") as fh:
            total += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return total


@click.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--batch-size", default=200, show_default=True, help="Articles per write transaction.")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Seconds to wait when a kg update or load holds the lock before giving up.")
@click.option("--bulk", is_flag=True,
              help="First load of an archive into an empty graph by neo4j-admin import (kg's own server "
                   "only; it is stopped and started again): the 100k benchmark's ingest took 8 minutes instead of 24. "
                   "Into another server (neo4j://, Aura) it says so and loads in batched transactions.")
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help="With --bulk: resolve the reports by time windows on a Dask cluster (dask) or in this "
                   "process (local, the default; or engine.name in kg.yaml).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="With --bulk: the Dask scheduler (tcp://host:8786; implies --engine dask).")
@config_option
def load_cmd(files: tuple[str, ...], batch_size: int, wait: float, bulk: bool, engine: str | None,
             scheduler: str | None, config_path: str | None) -> None:
    """Load `kg extract --format jsonl` output into Neo4j (idempotent).

    FILES are JSONL files or folders of partitions written by `kg extract --out`.

    Loading a file again changes nothing; an article loaded again has its facts replaced.
    Every line is checked against the extraction contract and the limits of kg.yaml; a bad
    line is reported as file:line: problem, kept aside (~/.kg/rejected/), and the rest still
    loads (exit code 1 when any line was rejected). One load or update writes at a time: another
    one running makes this one stop with its pid (or wait, with --wait).

    Example:

        kg extract ../shared/corpus --format jsonl > corpus.jsonl && kg load corpus.jsonl

        kg load --bulk archive.jsonl    # into an empty graph: the same graph, written offline

        kg load --bulk archive.parts --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from kg.engine import window_resolver
    from kg.graph.bulk import import_extractions, import_refusal
    from kg.graph.connect import open_driver
    from kg.graph.load import (
        LoadStats,
        apply_schema,
        finish_run,
        graph_counts,
        load_extractions,
        load_known_roles,
        new_run_id,
        start_run,
    )

    run_id = new_run_id()
    stats = LoadStats()
    command = "load " + ("--bulk " if bulk else "") + " ".join(files)
    try:
        config = load_config(config_path)
        settings = neo4j_settings(config)
        limits = Limits.from_config(config, config_path or os.environ.get("KG_CONFIG") or "kg.yaml")
        files = tuple(map(str, input_files(files)))  # a folder of partitions: its part-*.jsonl (kg extract --out)
        if bulk and (why := import_refusal(settings)):
            click.echo(f"warning: {why}; loading in batched transactions instead", err=True)
            bulk = False
        extractions = _good_lines(files, stats, kg_home() / "rejected" / f"{run_id}.jsonl", limits)
        with hold_lock(wait=wait, command="load"):  # to the end: the roles and the Run are the load's too
            with click.progressbar(length=_count_lines(files), label="loading articles", file=sys.stderr) as bar:
                if bulk:
                    with window_resolver(engine_settings(config, name=engine, scheduler=scheduler)) as resolve:
                        loaded = import_extractions(settings, extractions, run_id=run_id, on_batch=bar.update,
                                                    resolve=resolve)
                else:
                    with open_driver(settings) as driver:
                        apply_schema(driver, settings.database)
                        start_run(driver, run_id, command, settings.database)
                        loaded = load_extractions(driver, extractions, run_id=run_id, articles_per_batch=batch_size,
                                                  database=settings.database, on_batch=bar.update)
            stats.articles, stats.rows, stats.batches = loaded.articles, loaded.rows, loaded.batches
            stats.errors += loaded.errors
            with open_driver(settings) as driver:  # a new one after an import (see import_extractions)
                if bulk:
                    start_run(driver, run_id, command, settings.database)
                load_known_roles(driver, run_id=run_id, database=settings.database)
                finish_run(driver, run_id, stats, settings.database)
                counts = graph_counts(driver, settings.database)
    except KgError as exc:
        raise fail(exc) from exc
    click.echo(f"run {run_id}: loaded {stats.articles} articles ({stats.rows} rows in {stats.batches} "
               f"transactions) into {settings.uri}; {len(stats.errors)} lines rejected")
    click.echo("graph: " + ", ".join(f"{k} {v}" for k, v in counts["nodes"].items()))
    for error in loaded.errors:
        click.echo(f"warning: {error}", err=True)
    if stats.errors:
        rejects = kg_home() / "rejected" / f"{run_id}.jsonl"
        if rejects.exists():
            click.echo(f"rejected lines kept in {rejects}", err=True)
        sys.exit(1)


@click.command("query")
@click.argument("cypher")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Query parameter (JSON value or plain string); repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop the query on the server after this long (default: console.timeout in kg.yaml, else 60).")
@click.option("--limit", "max_rows", type=click.IntRange(min=1), metavar="ROWS",
              help="Print at most this many rows (default: console.max_rows in kg.yaml, else 10000).")
@config_option
def query_cmd(cypher: str, params: tuple[str, ...], fmt: str, timeout_s: float | None, max_rows: int | None,
              config_path: str | None) -> None:
    """Run a read-only Cypher query, or a cookbook recipe by name, and print the result.

    CYPHER is a query, or the name of a recipe in schema/queries/ (its parameters take their
    defaults unless given). Only reads run: writes, LOAD CSV, administration and other users'
    transactions are refused (docs/cookbook.md says what exactly); values go in parameters, never
    into the query text. The query is stopped after --timeout seconds and at most --limit rows are
    printed (the query is stopped there; CSV and JSON rows are printed as they arrive).

    Example:

        kg query "MATCH (p:Person)-[:PARTICIPATED_IN]->(e:Event) WHERE p.name = \\$name
        RETURN e.type, e.start, e.evidence ORDER BY e.start" --param name="Wang Yi"

        kg query contacts-between-countries -p a=country:CN -p b=country:RU

        kg query "MATCH (e:Event) RETURN e.id, e.start" --format csv --limit 100000 > events.csv
    """
    from kg.cookbook import load_cookbook
    from kg.graph.connect import open_driver
    from kg.graph.read import console_limits, console_query, parse_param

    try:
        recipes = load_cookbook()
        if cypher in recipes:
            recipe = recipes[cypher]
            cypher, values = recipe.cypher, recipe.values(dict(p.partition("=")[::2] for p in params))
        elif re.fullmatch(r"[a-z0-9-]+", cypher):
            raise QueryError(f"no recipe {cypher!r} in schema/queries; recipes: {', '.join(recipes)}")
        else:
            values = dict(parse_param(p) for p in params)
        config = load_config(config_path)
        settings = neo4j_settings(config)
        limits = console_limits(config, timeout_s=timeout_s, max_rows=max_rows)
        with open_driver(settings) as driver, \
                console_query(driver, cypher, values, database=settings.database, limits=limits) as rows:
            if fmt == "table":  # column widths need every row: at most the cap is held
                click.echo(render(rows.keys, list(rows), fmt), nl=False)
            else:
                out = click.get_text_stream("stdout")
                out.writelines(stream(rows.keys, rows, fmt))  # one flush at the end, not one per row
                out.flush()
    except KgError as exc:
        raise fail(exc) from exc
    if fmt == "table":
        click.echo(row_count(rows.count))
    if rows.truncated:
        click.echo(f"(stopped at the limit of {limits.max_rows} rows; the query has more: "
                   f"raise --limit or add LIMIT/aggregation)", err=True)
