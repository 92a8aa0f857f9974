"""The test suite's own Neo4j: a KG_HOME and a port of its own, so a test never touches a user's graph.

The suite runs against the server of ``KG_TEST_HOME`` (default ``<repo>/.kg-test``), never against
the server ``kg`` is configured for: ``isolate`` points the session's environment there (KG_HOME,
KG_NEO4J_PORT, an empty KG_CONFIG) and drops NEO4J_URI and friends, so neither the tests nor the
``kg`` commands they run can reach another graph. The home is marked (``MARKER``) when it is
created for the tests; a home without the marker - a user's ``~/.kg`` given as KG_TEST_HOME by
mistake - is refused, and ``check_owned`` refuses to let a test wipe any database but the one that
home's server runs: same port, and the password generated inside that home logs in.

Used by ``tests/conftest.py`` (which starts the server when none runs and stops what it started)
and by ``.ci/run`` (``python3 tests/testserver.py start|stop``).
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MARKER = "kg-test-home.json"  # written into a test home when the test machinery creates it
# What could point the suite at another graph: removed from the session's environment.
FOREIGN = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")


class NotOwned(RuntimeError):
    """The database or home is not one the test machinery created: the suite must not touch it."""


def home_of(environ: dict[str, str] | None = None) -> Path:
    """``KG_TEST_HOME`` or ``<repo>/.kg-test``, absolute."""
    env = os.environ if environ is None else environ
    return Path(env.get("KG_TEST_HOME") or REPO / ".kg-test").expanduser().resolve()


def claim(home: Path) -> dict[str, object]:
    """The marker of ``home``, written now when the home does not exist yet (or is empty).

    Raises NotOwned when the folder exists with content but without the marker: it is somebody's
    KG_HOME, not one the tests made."""
    marker = home / MARKER
    if marker.exists():
        return dict(json.loads(marker.read_text(encoding="utf-8")))
    if home.exists() and any(home.iterdir()):
        raise NotOwned(f"{home} exists and was not created by the test suite (no {MARKER}); "
                       "point KG_TEST_HOME at a new folder - the tests never use a KG_HOME of yours")
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    record: dict[str, object] = {"created_by": "kg test suite", "port": _free_port()}
    marker.write_text(json.dumps(record), encoding="utf-8")
    return record


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def isolate(environ: dict[str, str]) -> dict[str, str]:
    """The environment the test session runs in: ``environ`` pointed at the test home's server.

    The port is the one the marker recorded; when the home's server is not running and another
    program took that port meanwhile, a new free port is recorded."""
    home = home_of(environ)
    record = claim(home)
    running = _running_port(home)
    if running is not None:
        record["port"] = running
    elif not _port_free(int(record["port"])):  # type: ignore[call-overload]
        record["port"] = _free_port()
        (home / MARKER).write_text(json.dumps(record), encoding="utf-8")
    env = {k: v for k, v in environ.items() if k not in FOREIGN}
    env.update(KG_HOME=str(home), KG_TEST_HOME=str(home), KG_NEO4J_PORT=str(record["port"]),
               KG_CONFIG=str(_empty_config(home)))
    return env


def enter() -> Path:
    """Point this process's environment at the test home (see ``isolate``); returns the home."""
    env = isolate(dict(os.environ))
    for name in FOREIGN:
        os.environ.pop(name, None)
    os.environ.update(env)
    return Path(env["KG_HOME"])


def _running_port(home: Path) -> int | None:
    """The port of the home's server when it runs (its pid file names a live KgNeo4j process)."""
    try:
        record = json.loads((home / "neo4j" / "server.pid").read_text(encoding="utf-8"))
        alive = b"KgNeo4j" in Path(f"/proc/{record['pid']}/cmdline").read_bytes()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return int(record["port"]) if alive else None


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _empty_config(home: Path) -> Path:
    """A kg.yaml without a ``neo4j:`` section, so a ./kg.yaml of the developer's is not read."""
    path = home / "kg.yaml"
    if not path.exists():
        path.write_text("# the test suite's configuration: the defaults\n", encoding="utf-8")
    return path


def check_owned(uri: str, home: Path) -> None:
    """Raise NotOwned unless ``uri`` is the server the marked test ``home`` runs.

    The port must be the one the home's pid file names; that the driver logged in with the
    password generated inside the home (``kg.config.neo4j_settings`` reads it from there) is what
    proves it is that server and not another one on a recycled port."""
    if not (home / MARKER).exists():
        raise NotOwned(f"{home} is not a test home (no {MARKER}); refusing to clean the database at {uri}")
    try:
        record = json.loads((home / "neo4j" / "server.pid").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotOwned(f"no server of the test home {home} is recorded; refusing to clean {uri}") from exc
    if uri != f"bolt://127.0.0.1:{record.get('port')}":
        raise NotOwned(f"{uri} is not the test server of {home} (port {record.get('port')}); "
                       "refusing to clean a database the test suite did not create")


def _cli(command: str) -> int:
    """``start``: start the test home's server (reused when it runs); ``stop``: stop it."""
    enter()
    from kg import neo4j_server

    if command == "start":
        current = neo4j_server.status()
        started = current if current.running else neo4j_server.start()
        print(f"test Neo4j at {started.uri} (KG_HOME {os.environ['KG_HOME']})")
    elif command == "stop":
        neo4j_server.stop()
    else:
        print("usage: python3 tests/testserver.py start|stop", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(_cli(sys.argv[1] if len(sys.argv) > 1 else ""))
