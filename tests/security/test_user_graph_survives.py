"""The test suite never touches a user's graph (issue 18, item 10), and kg keeps the user's
database private (item 11): a server started in a temporary KG_HOME plays the user's, with a
graph loaded; the suite's own start-up (``tests/testserver.py``, what conftest and .ci/run do) and
its ``clean_db`` check must leave it alone, and the README's test command run with the user's
environment must pass and leave the graph as it was."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import testserver
from kg import neo4j_server
from kg.config import Neo4jSettings
from kg.graph.connect import open_driver

pytestmark = pytest.mark.neo4j
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class UserServer:
    home: Path
    env: dict[str, str]  # the user's shell: their KG_HOME, port, and NEO4J_* naming their server
    uri: str
    password: str


def _settings(server: UserServer) -> Neo4jSettings:
    return Neo4jSettings(uri=server.uri, user="neo4j", password=server.password, database=None, local=False)


def _count(server: UserServer) -> int:
    with open_driver(_settings(server)) as driver:
        records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n")
        return int(records[0]["n"])


@pytest.fixture(scope="module")
def user_server(tmp_path_factory: pytest.TempPathFactory, neo4j_driver: object) -> Iterator[UserServer]:
    """The user's own server with a small graph, in a KG_HOME of its own on a free port."""
    home = tmp_path_factory.mktemp("user") / "kg-home"
    port = testserver._free_port()
    jars = str(neo4j_server.ensure_jars())  # the test home's: shared, not downloaded again
    ours = {k: os.environ.get(k, "") for k in ("KG_HOME", "KG_NEO4J_PORT", "KG_NEO4J_JARS")}
    user = {"KG_HOME": str(home), "KG_NEO4J_PORT": str(port), "KG_NEO4J_JARS": jars}
    os.environ.update(user)  # kg's server functions act on the KG_HOME of the environment
    try:
        status = neo4j_server.start(heap="256m", pagecache="64m")
        server = UserServer(home, {}, status.uri or "", neo4j_server._password())
    finally:
        os.environ.update(ours)
    try:
        with open_driver(_settings(server)) as driver:
            driver.execute_query("UNWIND range(1, 211) AS i CREATE (:Article {id: 'user-' + toString(i)})")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "NEO4J_"))}
        env.update(user, NEO4J_URI=server.uri, NEO4J_USER="neo4j", NEO4J_PASSWORD=server.password,
                   KG_TEST_HOME=ours_test_home())
        yield UserServer(home, env, server.uri, server.password)
    finally:
        os.environ.update(user)
        try:
            neo4j_server.stop()
        finally:
            os.environ.update(ours)


def ours_test_home() -> str:
    """The session's test home: the inner run reuses its server instead of starting another."""
    return str(testserver.home_of())


def test_the_users_database_folders_are_private(user_server: UserServer) -> None:
    server_home = user_server.home / "neo4j"
    loose = [str(p) for p in [server_home, *(server_home / "data").rglob("*"), *(server_home / "logs").rglob("*")]
             if not p.is_symlink() and stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert loose == []


def test_the_suite_points_itself_away_from_the_users_server(user_server: UserServer) -> None:
    env = testserver.isolate(user_server.env)
    assert env["KG_HOME"] != str(user_server.home) and env["KG_NEO4J_PORT"] != user_server.env["KG_NEO4J_PORT"]
    assert not {"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"} & set(env)


def test_clean_db_refuses_the_users_database(user_server: UserServer) -> None:
    with pytest.raises(testserver.NotOwned):
        testserver.check_owned(user_server.uri, user_server.home)  # not a test home
    with pytest.raises(testserver.NotOwned):
        testserver.check_owned(user_server.uri, testserver.home_of())  # the test home runs another server
    with pytest.raises(testserver.NotOwned, match="not created by the test suite"):
        testserver.claim(user_server.home)  # the user's KG_HOME given as KG_TEST_HOME
    assert _count(user_server) == 211


def test_the_readme_test_command_leaves_the_users_graph_intact(user_server: UserServer) -> None:
    before = _count(user_server)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/integration/test_load.py", "-k", "loading_twice or malformed"],
                            cwd=REPO, env=user_server.env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "4 passed" in result.stdout  # loading twice after each first load (3), malformed lines (1)
    assert _count(user_server) == before == 211
