"""kg's own local Neo4j Community server: fetch the jars once, start, stop, and report status.

Neo4j's tarball cannot be downloaded here, but the embedded database and its Bolt connector are on
Maven Central. ``server/pom.xml`` names them, Maven copies them into a cache once, and
``server/KgNeo4j.java`` runs them as a server on ``127.0.0.1``. See ``docs/neo4j.md``.

Files, under ``kg_home()/neo4j/`` (the jars cache may live elsewhere, see :func:`jars_dir`)::

    <version>/lib/       the jars (about 120 MB, fetched once; KG_NEO4J_JARS overrides the place)
    classes/             KgNeo4j.class, compiled once per launcher source and jar set
    data/                the database files; they survive restarts
    logs/server.log      the launcher's output (Neo4j's own debug.log sits beside it)
    server.pid           JSON {"pid", "port", "version"} of the running server
    password             the generated password of user neo4j (mode 0600; see kg.config)
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kg.config import (
    DEFAULT_BOLT_PORT,
    Neo4jSettings,
    kg_home,
    load_config,
    neo4j_settings,
    password_file,
)
from kg.errors import Neo4jServerError

SERVER_DIR = Path(__file__).resolve().parents[1] / "server"
HOST = "127.0.0.1"
PAGECACHE = "512m"  # default; an archive of years wants its store in memory (`kg neo4j start --pagecache 4g`)
# Flags the Neo4j 5.x server script passes to the JVM (Netty and the page cache need the opens),
# and the throughput collector instead of G1: a local server has one user, whose writes are large
# transactions, and no pause to keep short; G1's write barriers make every compiled method larger
# (more work for the JIT while the server warms up) and slower (docs/neo4j.md).
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-XX:+UseParallelGC",
)
INSTALL_HINT = "install a JDK 17 and Maven, e.g. `apt-get install openjdk-17-jdk-headless maven`"
_MARKER = ".kg-stamp"
PRIVATE_UMASK = 0o077  # what the server and the importer create: the user's only (_make_private)
# Servers this Python process started: kept so their exit is reaped (no zombie looks alive).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """What ``kg neo4j status`` reports. ``pid``/``uri``/``port`` are None when not running."""

    running: bool
    pid: int | None
    uri: str | None
    port: int | None
    data_dir: Path
    log_file: Path
    version: str


@dataclass(frozen=True, slots=True)
class _PidRecord:
    """What server.pid holds: the port and version are needed by `status` of a detached server,
    the memory settings by a restart (``imported``)."""

    pid: int
    port: int
    version: str
    heap: str = "1g"
    pagecache: str = PAGECACHE


class ServerAlreadyRunning(Neo4jServerError):
    """``start`` found the server already up on the requested port; ``status`` describes it."""

    def __init__(self, status: ServerStatus) -> None:
        super().__init__(f"already running at {status.uri} (pid {status.pid})")
        self.status = status


def server_home() -> Path:
    """Neo4j's home folder: data/ and logs/ live here."""
    return kg_home() / "neo4j"


def pid_file() -> Path:
    return server_home() / "server.pid"


def log_file() -> Path:
    return server_home() / "logs" / "server.log"


def neo4j_version() -> str:
    """The Neo4j version pinned in server/pom.xml (one place to change it)."""
    pom = _server_file("pom.xml")
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    version = ET.parse(pom).getroot().findtext("m:properties/m:neo4j.version", namespaces=ns)
    if not version:
        raise Neo4jServerError(f"{pom}: no <neo4j.version> property")
    return version.strip()


def jars_dir() -> Path:
    """Where the jars are cached: ``$KG_NEO4J_JARS``, else ``kg_home()/neo4j/<version>/lib``.

    The override lets several KG_HOMEs (tests, CI) share one download.
    """
    override = os.environ.get("KG_NEO4J_JARS")
    return Path(override).expanduser() if override else server_home() / neo4j_version() / "lib"


def configured_port() -> int:
    """The port when none is given: KG_NEO4J_PORT, else ``neo4j.port`` of kg.yaml (``KG_CONFIG``
    or ./kg.yaml), else 7687 - the port the clients reach."""
    config = load_config()
    settings = neo4j_settings(config)
    if settings.local:
        return urlsplit(settings.uri).port or DEFAULT_BOLT_PORT
    return int(os.environ.get("KG_NEO4J_PORT") or (config.get("neo4j") or {}).get("port") or DEFAULT_BOLT_PORT)


def ensure_jars() -> Path:
    """Fetch Neo4j's jars with Maven unless the cache already holds them for this pom.xml.

    Maven fills a temporary folder that is renamed into place, so an interrupted download never
    leaves a half-filled cache that looks complete.
    """
    target = jars_dir()
    pom = _server_file("pom.xml")
    stamp = _digest(pom)
    if _read_stamp(target) == stamp:
        return target
    mvn = _tool("mvn")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    result = subprocess.run(
        [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
         f"-DoutputDirectory={partial}"],
        capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise Neo4jServerError(f"mvn could not fetch the Neo4j jars named in {pom} "
                               f"(exit {result.returncode}):\n{_tail(result.stdout + result.stderr)}")
    (partial / _MARKER).write_text(stamp, encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target


def status() -> ServerStatus:
    """Whether kg's server runs (per its pid file, checked against the live process)."""
    record = _read_pid_file()
    live = record if record is not None and _alive(record.pid) else None
    return ServerStatus(
        running=live is not None,
        pid=live.pid if live else None,
        uri=f"bolt://{HOST}:{live.port}" if live else None,
        port=live.port if live else None,
        data_dir=server_home() / "data",
        log_file=log_file(),
        version=live.version if live else neo4j_version(),
    )


def start(port: int | None = None, heap: str = "1g", timeout: float = 120,
          pagecache: str = PAGECACHE) -> ServerStatus:
    """Start the server detached (it outlives this process) and wait until Bolt accepts a login.

    Raises ServerAlreadyRunning when it already runs on that port, Neo4jServerError otherwise.
    """
    with _start_lock():
        port = port or configured_port()
        return _wait_ready(_launch(port, heap, pagecache, detach=True), port, timeout)


def run_foreground(port: int | None = None, heap: str = "1g", timeout: float = 120,
                   on_ready: Callable[[ServerStatus], None] = lambda _: None, pagecache: str = PAGECACHE) -> int:
    """Run the server attached to the terminal until it exits; Ctrl-C stops it cleanly.

    Ctrl-C reaches the JVM too (same process group), whose shutdown hook closes the database;
    this only waits for it. Returns the server's exit code.
    """
    port = port or configured_port()
    with _start_lock():
        proc = _launch(port, heap, pagecache, detach=False)
    try:
        on_ready(_wait_ready(proc, port, timeout))
        return proc.wait()
    except KeyboardInterrupt:
        return proc.wait()
    finally:
        _CHILDREN.pop(proc.pid, None)
        pid_file().unlink(missing_ok=True)


def stop(timeout: float = 60) -> bool:
    """SIGTERM the server, wait for its clean shutdown, SIGKILL only after ``timeout`` seconds.

    Returns False when no server was running (a stale pid file is removed).
    """
    record = _read_pid_file()
    if record is None or not _alive(record.pid):
        pid_file().unlink(missing_ok=True)
        return False
    pid = record.pid
    try:
        os.kill(pid, signal.SIGTERM)
        if not _wait_dead(pid, timeout):
            os.kill(pid, signal.SIGKILL)
            _wait_dead(pid, 10)
    except ProcessLookupError:
        pass  # it exited on its own in between
    _CHILDREN.pop(pid, None)
    pid_file().unlink(missing_ok=True)
    return True



def imported(nodes: Sequence[tuple[Sequence[str], Path]], relationships: Sequence[tuple[str, Path]],
             *, array_delimiter: str, database: str = "neo4j", timeout: float = 120) -> str:
    """Replace ``database`` with the graph in the CSV files (``neo4j-admin database import full``):
    the running server is stopped for it and started again with its port and memory settings.
    ``nodes`` pairs labels with a file, ``relationships`` a type with a file; the files have
    headers in the importer's format and join list items with ``array_delimiter``
    (``kg.graph.bulk``). Returns the importer's report.

    Raises Neo4jServerError when kg's server is not running (an external server cannot be
    imported into from here) or the importer fails. The database's folders are moved aside while
    the importer runs and moved back when it fails (it deletes the old store before it writes), so
    the server then starts again on the database as it was."""
    record = _read_pid_file()
    if record is None or not _alive(record.pid):
        raise Neo4jServerError("kg's Neo4j server is not running: start it with `kg neo4j start`")
    args = [f"--nodes={':'.join(labels)}={path}" for labels, path in nodes]
    args += [f"--relationships={rel_type}={path}" for rel_type, path in relationships]
    cmd = [_tool("java"), "-Xmx1g", "-cp", f"{ensure_jars()}/*", "org.neo4j.cli.AdminTool", "database", "import",
           "full", database, "--overwrite-destination=true", "--multiline-fields=true",
           f"--array-delimiter={array_delimiter}", "--high-parallel-io=on", *args]
    folders = [server_home() / "data" / kind / database for kind in ("databases", "transactions")]
    aside = [folder.with_name(folder.name + ".before-import") for folder in folders]
    stop()
    try:
        for folder, kept in zip(folders, aside, strict=True):
            shutil.rmtree(kept, ignore_errors=True)
            if folder.exists():
                folder.rename(kept)
        with tempfile.TemporaryDirectory(prefix="kg-import-report-") as scratch:  # else it lands in the cwd
            result = subprocess.run([*cmd, f"--report-file={scratch}/import.report"], check=False,
                                    env={**os.environ, "NEO4J_HOME": str(server_home())},
                                    stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                    umask=PRIVATE_UMASK)
        for folder, kept in zip(folders, aside, strict=True):
            if result.returncode != 0:
                shutil.rmtree(folder, ignore_errors=True)
                if kept.exists():
                    kept.rename(folder)
            else:
                shutil.rmtree(kept, ignore_errors=True)
    finally:
        start(record.port, record.heap, timeout, record.pagecache)
    if result.returncode != 0:
        raise Neo4jServerError(f"neo4j-admin database import failed (exit {result.returncode}):\n"
                               f"{_tail(result.stderr or result.stdout)}")
    return result.stdout


def _launch(port: int, heap: str, pagecache: str, *, detach: bool) -> subprocess.Popen[bytes]:
    """Check the preconditions, start the JVM and record its pid file."""
    current = status()
    if current.running:
        if current.port == port:
            raise ServerAlreadyRunning(current)
        raise Neo4jServerError(f"already running at {current.uri} (pid {current.pid}); "
                               f"run `kg neo4j stop` first to move it to port {port}")
    _check_port_free(port)
    java = _tool("java")
    classpath = f"{ensure_jars()}/*{os.pathsep}{_ensure_compiled()}"
    home = server_home()
    log_file().parent.mkdir(parents=True, exist_ok=True)
    _make_private(home)
    cmd = [java, f"-Xmx{heap}", *JVM_FLAGS, "-cp", classpath, "KgNeo4j", str(home), str(port), pagecache]
    env = {**os.environ, "KG_NEO4J_PASSWORD": _password()}
    if detach:
        with open(os.open(log_file(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as log:
            proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True, umask=PRIVATE_UMASK)
    else:
        log_file().write_text("(foreground run: the output went to the terminal)\n", encoding="utf-8")
        proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, umask=PRIVATE_UMASK)
    _CHILDREN[proc.pid] = proc
    record = _PidRecord(pid=proc.pid, port=port, version=neo4j_version(), heap=heap, pagecache=pagecache)
    pid_file().write_text(json.dumps(asdict(record)), encoding="utf-8")
    return proc


def _wait_ready(proc: subprocess.Popen[bytes], port: int, timeout: float) -> ServerStatus:
    """Poll Bolt with the real password until it answers; a server that dies or hangs is stopped
    and reported with the end of its log."""
    uri = f"bolt://{HOST}:{port}"
    from kg.graph.connect import open_driver  # the driver only here: `kg neo4j status` and `kg --help` go without

    settings = Neo4jSettings(uri=uri, user="neo4j", password=_password(), database=None,
                             local=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _CHILDREN.pop(proc.pid, None)
            pid_file().unlink(missing_ok=True)
            raise Neo4jServerError(f"Neo4j exited during startup (exit {proc.returncode}); "
                                   f"end of {log_file()}:\n{_tail(_read_log())}")
        try:
            open_driver(settings).close()
            return status()
        except Neo4jServerError:
            time.sleep(0.5)
    stop()
    raise Neo4jServerError(f"Neo4j did not answer on {uri} within {timeout:.0f} s; "
                           f"end of {log_file()}:\n{_tail(_read_log())}")


def _ensure_compiled() -> Path:
    """Compile the launcher once per (source, pom): KgNeo4j.java run in source-file mode would be
    compiled again on every start (what that costs: benchmarks/README.md)."""
    source = _server_file("KgNeo4j.java")
    classes = server_home() / "classes"
    stamp = _digest(source, _server_file("pom.xml"))
    if _read_stamp(classes) == stamp:
        return classes
    javac = _tool("javac")
    shutil.rmtree(classes, ignore_errors=True)
    result = subprocess.run([javac, "-cp", f"{jars_dir()}/*", "-d", str(classes), str(source)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise Neo4jServerError(f"javac could not compile {source}:\n{_tail(result.stderr)}")
    (classes / _MARKER).write_text(stamp, encoding="utf-8")
    return classes


def _password() -> str:
    """The password of user neo4j, generated on first use into a file only the user can read."""
    path = password_file()
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(password + "\n")
    return password


def _make_private(home: Path) -> None:
    """The database and its logs readable by the user only: Neo4j's folder 0700, its files 0600.

    The store holds every article's evidence and the auth store; the server writes with
    ``PRIVATE_UMASK`` from now on, and what an older kg left readable is closed here."""
    home.chmod(0o700)
    for sub in ("data", "logs"):
        for folder, dirs, files in os.walk(home / sub):
            os.chmod(folder, 0o700)
            for name in files:
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    os.chmod(path, 0o600)


def _check_port_free(port: int) -> None:
    """Fail early and plainly: otherwise the JVM dies after seconds with a bind stack trace."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # The JVM binds with SO_REUSEADDR too, so TIME_WAIT leftovers of a stopped server are fine.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            raise Neo4jServerError(
                f"port {port} on {HOST} is already in use by another program; "
                "choose another with --port or KG_NEO4J_PORT") from exc


@contextmanager
def _start_lock() -> Iterator[None]:
    """One start at a time per KG_HOME (two would race for the pid file and the port)."""
    server_home().mkdir(parents=True, exist_ok=True)
    with (server_home() / "start.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _read_pid_file() -> _PidRecord | None:
    """The pid file's record; None when there is none or it is unreadable (treated as stale)."""
    try:
        return _PidRecord(**json.loads(pid_file().read_text(encoding="utf-8")))
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None


def _alive(pid: int) -> bool:
    """True if ``pid`` is a running KgNeo4j JVM (not a zombie, not a recycled pid)."""
    child = _CHILDREN.get(pid)
    if child is not None:
        # Our own child: poll() also reaps it. (Its /proc cmdline can read empty right after exec.)
        return child.poll() is None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return b"KgNeo4j" in cmdline


def _wait_dead(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return False


def _tool(name: str) -> str:
    """The path of ``java``/``javac``/``mvn`` (JAVA_HOME first for the JDK tools)."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and name != "mvn" and (Path(java_home) / "bin" / name).exists():
        return str(Path(java_home) / "bin" / name)
    found = shutil.which(name)
    if found is None:
        raise Neo4jServerError(f"`{name}` not found on PATH; kg's Neo4j server needs it: "
                               + INSTALL_HINT)
    return found


def _server_file(name: str) -> Path:
    path = SERVER_DIR / name
    if not path.exists():
        raise Neo4jServerError(f"{path} not found: kg's Neo4j server runs from a source checkout "
                               "(pip install -e .)")
    return path


def _digest(*paths: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()


def _read_stamp(folder: Path) -> str | None:
    try:
        return (folder / _MARKER).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _read_log() -> str:
    try:
        return log_file().read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log)"


def _tail(text: str, lines: int = 20) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])
