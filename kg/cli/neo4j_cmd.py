"""``kg neo4j start|stop|status``: the local Neo4j server that kg runs for itself."""

from __future__ import annotations

import re

import click

from kg import neo4j_server
from kg.cli.common import fail
from kg.config import password_file
from kg.errors import KgError


@click.group("neo4j")
def neo4j_group() -> None:
    """Run a local Neo4j Community server (no Docker; jars from Maven Central, fetched once).

    Example:

        kg neo4j start && kg neo4j status && kg neo4j stop
    """


def _memory_size(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A size the JVM and Neo4j both read: digits and a unit (``512m``, ``4g``)."""
    if not re.fullmatch(r"[1-9][0-9]*[kmgKMG]", value):
        raise click.BadParameter(f"{value!r} is not a size like 512m or 4g")
    return value


@neo4j_group.command("start")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Bolt port on 127.0.0.1 (default: $KG_NEO4J_PORT, else neo4j.port of kg.yaml, else 7687).")
@click.option("--heap", default="1g", show_default=True, callback=_memory_size, help="Java heap size (-Xmx).")
@click.option("--pagecache", default=neo4j_server.PAGECACHE, show_default=True, callback=_memory_size,
              help="Memory for Neo4j's page cache (the store's pages); give an archive of years a few GB.")
@click.option("--foreground", is_flag=True,
              help="Stay attached and print the server's log; Ctrl-C stops it.")
def start_cmd(port: int | None, heap: str, pagecache: str, foreground: bool) -> None:
    """Start the server (the first start downloads about 120 MB of jars with Maven).

    Example:

        kg neo4j start --port 7687 --heap 2g --pagecache 4g
    """
    try:
        if foreground:
            code = neo4j_server.run_foreground(port=port, heap=heap, pagecache=pagecache, on_ready=_print_ready)
            click.echo(f"Neo4j stopped (exit {code}).")
            return
        _print_ready(neo4j_server.start(port=port, heap=heap, pagecache=pagecache))
    except neo4j_server.ServerAlreadyRunning as exc:
        click.echo(str(exc))
    except KgError as exc:
        raise fail(exc) from exc


@neo4j_group.command("stop")
def stop_cmd() -> None:
    """Stop the server cleanly (SIGTERM; SIGKILL only if it hangs for a minute).

    Example:

        kg neo4j stop
    """
    click.echo("Neo4j stopped." if neo4j_server.stop() else "Neo4j was not running.")


@neo4j_group.command("status")
def status_cmd() -> None:
    """Say whether the server runs, where, and where its files are (exit code 0 either way).

    Example:

        kg neo4j status
    """
    try:
        current = neo4j_server.status()
    except KgError as exc:
        raise fail(exc) from exc
    if current.running:
        click.echo(f"running at {current.uri} (pid {current.pid}, Neo4j {current.version})")
    else:
        click.echo("not running")
    click.echo(f"data:     {current.data_dir}")
    click.echo(f"log:      {current.log_file}")
    click.echo(f"password: {password_file()}")


def _print_ready(current: neo4j_server.ServerStatus) -> None:
    click.echo(f"Neo4j {current.version} running at {current.uri} (pid {current.pid})")
    click.echo(f"user neo4j, password in {password_file()}")
