"""``kg dashboard``: the Streamlit dashboard against the configured Neo4j."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import click

from kg.cli.common import config_option, fail
from kg.config import load_config, neo4j_settings
from kg.errors import KgError

SERVER = Path(__file__).resolve().parents[2] / "dashboards" / "server.py"
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


@click.command("dashboard")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True,
              help="HTTP port on 127.0.0.1.")
@click.option("--address", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 to share it on the network).")
@config_option
def dashboard_cmd(port: int, address: str, config_path: str | None) -> None:
    """Open the dashboard (Overview, Explore, Timeline, Profiles, Event, Relations, Analytics,
    Cypher) in Streamlit; it only reads the graph. Stop it with Ctrl-C or SIGTERM: the signal is
    passed on to Streamlit, so the port is free when this command ends.

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
    command = [sys.executable, "-m", "streamlit", "run", str(SERVER), "--server.port", str(port),
               "--server.address", address, "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    raise SystemExit(run_forwarding_signals(command, env))


def run_forwarding_signals(command: list[str], env: dict[str, str]) -> int:
    """Run ``command`` and wait for it; SIGTERM, SIGINT and SIGHUP received meanwhile are passed on
    to it (it stops its server and exits), so stopping ``kg dashboard`` never leaves Streamlit
    serving the port. The child's exit code, or 0 when it ended after a forwarded signal."""
    # Its own process group: a Ctrl-C in the terminal reaches this process only, which passes it on
    # once (Streamlit takes a second SIGINT as "exit at once").
    child = subprocess.Popen(command, env=env, process_group=0)
    received: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        received.append(signum)
        if child.poll() is None:
            child.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in FORWARDED}
    try:
        while True:
            try:
                code = child.wait(timeout=30 if received else None)
                break
            except subprocess.TimeoutExpired:  # asked to stop and still serving: make sure it ends
                child.kill()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0 if received else code  # stopped on request, whatever code Streamlit ends with then
