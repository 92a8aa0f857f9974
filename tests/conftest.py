"""Shared fixtures. The Neo4j ones use the suite's own server (``tests/testserver.py``): its own
KG_HOME and port, started here when ``.ci/run`` has not started it, never the user's graph."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import neo4j
import pytest

import testserver
from kg.config import neo4j_settings
from kg.errors import Neo4jServerError
from kg.graph.connect import open_driver


_SESSION_URI: list[str] = []  # the test server's uri, as the session's driver was opened on it


def pytest_configure(config: pytest.Config) -> None:
    # Declared in pyproject.toml too; repeated so a run with another ini file knows the marker.
    config.addinivalue_line("markers", "neo4j: needs the real local Neo4j server")
    # Before any test (or kg command a test runs) resolves a KG_HOME or a Neo4j to talk to.
    try:
        testserver.enter()
    except testserver.NotOwned as exc:
        raise pytest.UsageError(str(exc)) from exc


def _unavailable(reason: str) -> None:
    """A failure in CI, a skip elsewhere (CI must never pass by skipping the graph tests)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the test Neo4j is not available: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_driver() -> Iterator[neo4j.Driver]:
    """A driver for the suite's own server, started for the session when it is not running (and
    then stopped at the end)."""
    from kg import neo4j_server

    started = False
    if not neo4j_server.status().running:
        if not (shutil.which("java") and shutil.which("mvn")) and os.environ.get("CI") != "true":
            _unavailable("java and mvn are needed to start the test Neo4j: "
                         "apt-get install openjdk-17-jdk-headless maven")
        try:
            neo4j_server.start()
        except Neo4jServerError as exc:
            _unavailable(f"cannot start the test Neo4j in {os.environ['KG_HOME']}: {exc}")
        started = True
    settings = neo4j_settings()
    try:
        testserver.check_owned(settings.uri, testserver.home_of())
        driver = open_driver(settings)
        _SESSION_URI.append(settings.uri)
    except (testserver.NotOwned, Neo4jServerError) as exc:
        _unavailable(str(exc))
    try:
        with driver:
            yield driver
    finally:
        if started:
            neo4j_server.stop()


@pytest.fixture
def clean_db(neo4j_driver: neo4j.Driver) -> None:
    """An empty database for the test (wiped before, so a failed test leaves its data to look at).
    Refused unless it is the test home's own server (``testserver.check_owned``)."""
    testserver.check_owned(_SESSION_URI[-1], testserver.home_of())
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")


@pytest.fixture
def neo4j_session(neo4j_driver: neo4j.Driver, clean_db: None) -> Iterator[neo4j.Session]:
    """A session on the emptied database."""
    with neo4j_driver.session() as session:
        yield session
