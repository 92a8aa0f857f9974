"""``kg schema apply``, ``kg load`` and ``kg query``: the commands that talk to Neo4j."""

from __future__ import annotations

import os
import re
import sys

import click

from kg.cli.common import config_option, fail
from kg.cli.output import FORMATS, render, row_count, stream
from kg.config import ENGINES, LoadSettings, engine_settings, kg_home, load_config, neo4j_settings
from kg.errors import KgError, QueryError
from kg.limits import Limits
from kg.lock import hold_lock
from kg.partitions import input_files


@click.group("schema")
def schema_group() -> None:
    """The graph schema (schema/graph.yaml): constraints and indexes.

    Example:

        kg schema apply
    """


@schema_group.command("apply")
@config_option
def schema_apply(config_path: str | None) -> None:
    """Create the constraints and indexes of schema/graph.yaml and drop its retired indexes where
    they exist (safe to run again).

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
    created = sum(s.startswith("CREATE") for s in statements)
    click.echo(f"{created} constraints and indexes in place on {settings.uri} "
               f"({len(statements) - created} retired ones dropped where they were)")


@schema_group.command("docs")
def schema_docs() -> None:
    """Print the graph model as Markdown (the content of docs/schema.md).

    Example:

        kg schema docs > docs/schema.md
    """
    from kg.graph.docs import schema_markdown
    from kg.graph.model import graph_model

    click.echo(schema_markdown(graph_model()), nl=False)


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
@click.option("--strategy", type=click.Choice(["merge", "import"]), default="merge", show_default=True,
              help="merge: batches of MERGE, into any graph. import: the whole archive computed and "
                   "CREATEd at once, into an empty graph only (refused otherwise).")
@click.option("--bulk", is_flag=True,
              help="The import strategy written offline by neo4j-admin import, for a large first load (kg's own "
                   "server only; it is stopped and started again). Into another server (neo4j://, Aura) it "
                   "says so and loads by merge.")
@click.option("--batch-size", default=200, show_default=True, help="Articles per write transaction (merge).")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Seconds to wait when a kg update or load holds the lock before giving up.")
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help="With --bulk: resolve the reports by time windows on a Dask cluster (dask) or in this "
                   "process (local, the default; or engine.name in kg.yaml).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="With --bulk: the Dask scheduler (tcp://host:8786; implies --engine dask).")
@config_option
def load_cmd(files: tuple[str, ...], strategy: str, bulk: bool, batch_size: int, wait: float,
             engine: str | None, scheduler: str | None, config_path: str | None) -> None:
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
    from kg.graph.load import new_run_id
    from kg.graph.writer import Strategy
    from kg.pipeline import import_refusal, load, read_extractions

    run_id = new_run_id()
    rejected: list[str] = []
    rejects = kg_home() / "rejected" / f"{run_id}.jsonl"
    command = "load " + ("--bulk " if bulk else f"--strategy {strategy} ") + " ".join(files)
    try:
        config = load_config(config_path)
        where = config_path or os.environ.get("KG_CONFIG") or "kg.yaml"
        settings, limits, writers = neo4j_settings(config), Limits.from_config(config, where), LoadSettings.from_config(config, where)
        files = tuple(map(str, input_files(files)))  # a folder of partitions: its part-*.jsonl (kg extract --out)
        if bulk and (why := import_refusal(settings)):
            click.echo(f"warning: {why}; loading in batched transactions instead (merge)", err=True)
            bulk, strategy = False, "merge"
        extractions = read_extractions(files, rejected, rejects, limits,
                                       on_rejected=lambda line: click.echo(f"warning: {line}", err=True))
        with hold_lock(wait=wait, command="load"):  # to the end: the roles and the Run are the load's too
            with click.progressbar(length=_count_lines(files), label="loading articles", file=sys.stderr) as bar, \
                    window_resolver(engine_settings(config, name=engine if bulk else "local",
                                                    scheduler=scheduler if bulk else None)) as resolve:
                done = load(settings, extractions, strategy=Strategy.IMPORT if bulk else Strategy(strategy),
                            offline=bulk, run_id=run_id, command=command, articles_per_batch=batch_size,
                            event_writers=writers.event_writers, rejected=rejected, on_batch=bar.update,
                            resolve=resolve)
    except KgError as exc:
        raise fail(exc) from exc
    stats = done.stats
    click.echo(f"run {run_id}: loaded {stats.articles} articles ({stats.rows} rows in {stats.batches} "
               f"transactions) into {settings.uri}; {len(rejected)} lines rejected")
    click.echo("graph: " + ", ".join(f"{k} {v}" for k, v in done.counts["nodes"].items()))
    for error in stats.errors:
        click.echo(f"warning: {error}", err=True)
    if rejects.exists():
        click.echo(f"rejected lines kept in {rejects}", err=True)
    if rejected or stats.errors:
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
