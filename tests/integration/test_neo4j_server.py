"""The local server's life cycle, in a KG_HOME of its own and on a port of its own, so it neither
touches nor depends on the server the other integration tests use. The jars come from the usual
cache (KG_NEO4J_JARS), so they are downloaded at most once per machine."""

from __future__ import annotations

import os
import shutil
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import neo4j_server
from kg.cli.neo4j_cmd import neo4j_group
from kg.config import neo4j_settings, password_file
from kg.errors import Neo4jServerError
from kg.graph.connect import open_driver

pytestmark = pytest.mark.neo4j


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A fresh KG_HOME sharing the jars cache; yields its port and stops its server afterwards."""
    if not (shutil.which("java") and shutil.which("mvn")) and os.environ.get("CI") != "true":
        pytest.skip("java and mvn are needed: apt-get install openjdk-17-jdk-headless maven")
    jars = neo4j_server.ensure_jars()
    port = _free_port()
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "KG_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KG_NEO4J_JARS", str(jars))
    monkeypatch.setenv("KG_HOME", str(tmp_path / "kg-home"))
    monkeypatch.setenv("KG_NEO4J_PORT", str(port))
    yield port
    neo4j_server.stop()


def test_start_status_restart_keeps_data(own_home: int) -> None:
    port = own_home
    started = neo4j_server.start()
    assert started.running and started.uri == f"bolt://127.0.0.1:{port}"
    assert stat.S_IMODE(password_file().stat().st_mode) == 0o600
    assert neo4j_server.status() == started

    with open_driver(neo4j_settings()) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
        assert records[0]["one"] == 1
        driver.execute_query("CREATE (:Probe {name: 'kept across restarts'})")

    with pytest.raises(neo4j_server.ServerAlreadyRunning,
                       match=rf"already running at bolt://127.0.0.1:{port} \(pid {started.pid}\)"):
        neo4j_server.start()

    assert neo4j_server.stop() is True
    assert not neo4j_server.status().running
    assert neo4j_server.stop() is False

    neo4j_server.start()
    with open_driver(neo4j_settings()) as driver:
        records, _, _ = driver.execute_query("MATCH (p:Probe) RETURN p.name AS name")
    assert [r["name"] for r in records] == ["kept across restarts"]


def test_port_taken_by_another_program_is_named(own_home: int) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", own_home))
        squatter.listen()
        with pytest.raises(Neo4jServerError,
                           match=rf"port {own_home} on 127.0.0.1 is already in use by another "
                                 "program; choose another with --port or KG_NEO4J_PORT"):
            neo4j_server.start()
    assert not neo4j_server.status().running


def test_stale_pid_file_is_not_a_running_server(own_home: int) -> None:
    neo4j_server.pid_file().parent.mkdir(parents=True)
    neo4j_server.pid_file().write_text('{"pid": 1, "port": 1, "version": "5"}', encoding="utf-8")
    assert not neo4j_server.status().running
    assert neo4j_server.stop() is False
    assert not neo4j_server.pid_file().exists()


def test_status_of_a_stopped_server_exits_zero(own_home: int) -> None:
    result = CliRunner().invoke(neo4j_group, ["status"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("not running")


def test_client_without_a_server_gets_the_fix(own_home: int) -> None:
    password_file().parent.mkdir(parents=True)
    password_file().write_text("not-the-point\n", encoding="utf-8")
    with pytest.raises(Neo4jServerError,
                       match=rf"cannot reach Neo4j at bolt://127.0.0.1:{own_home} .*"
                             r"Start the local server with `kg neo4j start`"):
        open_driver()


def test_password_that_looks_like_an_option_is_set(own_home: int) -> None:
    # token_urlsafe begins one generated password in 64 with "-"; CI once met one.
    password_file().parent.mkdir(parents=True)
    password_file().write_text("-dash-first-password\n", encoding="utf-8")
    neo4j_server.start()
    with open_driver(neo4j_settings()) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
    assert records[0]["one"] == 1
