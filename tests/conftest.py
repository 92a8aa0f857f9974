"""Shared fixtures. The Neo4j ones connect to the server `.ci/run` (or `kg neo4j start`) runs."""

from __future__ import annotations

import os
from collections.abc import Iterator

import neo4j
import pytest

from kg.config import neo4j_settings
from kg.errors import Neo4jServerError
from kg.graph.connect import open_driver


def pytest_configure(config: pytest.Config) -> None:
    # Declared in pyproject.toml too; repeated so a run with another ini file knows the marker.
    config.addinivalue_line("markers", "neo4j: needs the real local Neo4j server")


@pytest.fixture(scope="session")
def neo4j_driver() -> Iterator[neo4j.Driver]:
    """A driver for the configured Neo4j. Without a server: a failure in CI, a skip elsewhere
    (CI must never pass by skipping the graph tests)."""
    settings = neo4j_settings()
    try:
        driver = open_driver(settings)
    except Neo4jServerError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but Neo4j is not reachable: {exc}")
        pytest.skip(f"no Neo4j at {settings.uri}; run `kg neo4j start`")
    with driver:
        yield driver


@pytest.fixture
def clean_db(neo4j_driver: neo4j.Driver) -> None:
    """An empty database for the test (wiped before, so a failed test leaves its data to look at)."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")


@pytest.fixture
def neo4j_session(neo4j_driver: neo4j.Driver, clean_db: None) -> Iterator[neo4j.Session]:
    """A session on the emptied database."""
    with neo4j_driver.session() as session:
        yield session
