"""``kg dashboard``: the Streamlit dashboard against the configured Neo4j."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from kg.cli.common import config_option, fail
from kg.config import load_config, neo4j_settings
from kg.errors import KgError

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


@click.command("dashboard")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True,
              help="HTTP port on 127.0.0.1.")
@click.option("--address", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 to share it on the network).")
@config_option
def dashboard_cmd(port: int, address: str, config_path: str | None) -> None:
    """Open the dashboard (Overview, Explore, Timeline, Profiles, Event, Relations, Analytics,
    Cypher) in Streamlit; it only reads the graph. Stop it with Ctrl-C.

    The connection is checked first, so a stopped server is reported here rather than in the page;
    the dashboard resolves it the same way (environment, then --config/kg.yaml, then the local server).

    Example:

        kg neo4j start && kg dashboard --port 8501
    """
    from kg.graph.connect import open_driver

    try:
        settings = neo4j_settings(load_config(config_path))
        open_driver(settings).close()
    except KgError as exc:
        raise fail(exc) from exc
    env = {**os.environ, **({"KG_CONFIG": str(Path(config_path).resolve())} if config_path else {})}
    click.echo(f"kg dashboard on http://{address}:{port} (graph: {settings.uri})")
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
               "--server.address", address, "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    try:
        raise SystemExit(subprocess.call(command, env=env))
    except KeyboardInterrupt:
        raise SystemExit(0) from None
