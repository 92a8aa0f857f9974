"""Inputs the dashboard and the CLI must bound (issue 18 item 11): a URL's depth and a search of
2,000 words do not raise on the page, terminal escape codes in the graph's text never reach the
terminal through `kg query` tables, and stopping `kg dashboard` with a signal stops its Streamlit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
import streamlit as st
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from kg.cli import main
from kg.queries import SEARCH_CHARS

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboards" / "app.py")
# OSC (retitle the terminal), CSI (clear the screen, colours, cursor), a bare C1 CSI, BEL, backspace.
HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31mRed\x1b[0m title\x9b1m\x08 end\x1bP1;2|x\x1b\\"


@pytest.fixture(scope="module")
def sample_graph(neo4j_driver: neo4j.Driver, tmp_path_factory: pytest.TempPathFactory) -> neo4j.Driver:
    """The bundled sample, loaded with the real commands into the test server's emptied database."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    runner = CliRunner()
    extracted = runner.invoke(main, ["extract", str(REPO / "sample" / "articles"), "--format", "jsonl"])
    assert extracted.exit_code == 0, extracted.output
    out = tmp_path_factory.mktemp("sample") / "sample.jsonl"
    out.write_text(extracted.stdout, encoding="utf-8")
    assert runner.invoke(main, ["load", str(out)]).exit_code == 0
    st.cache_data.clear()
    return neo4j_driver


def _page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"views/{page}.py").run()
    return at


def test_an_explore_link_with_depth_99_is_clamped(sample_graph: neo4j.Driver) -> None:
    at = _page("explore", entity="person:sergey-lavrov", depth="99")
    assert not at.exception, [e.value for e in at.exception]
    assert at.slider(key="depth").value == 3
    at = _page("explore", entity="person:sergey-lavrov", depth="-4")
    assert not at.exception and at.slider(key="depth").value == 1


def test_a_search_of_two_thousand_words_is_bounded(sample_graph: neo4j.Driver) -> None:
    words = " ".join(f"word{i}" for i in range(2000))
    at = _page("explore", q=words)  # from a link
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.text_input(key="q").value) <= SEARCH_CHARS
    at = _page("profiles")
    at.text_input(key="q").input(words[:SEARCH_CHARS]).run()  # typed (the box takes no more)
    assert not at.exception, [e.value for e in at.exception]
    at = _page("explore", q="拉夫罗夫 " * 1000, expand=[f"person:x{i}" for i in range(500)])
    assert not at.exception, [e.value for e in at.exception]


def test_terminal_escape_codes_never_reach_the_terminal_through_query_tables(sample_graph: neo4j.Driver) -> None:
    result = CliRunner().invoke(main, ["query", "RETURN $t AS title, $t AS `x\x1b[2Jy`", "-p", f"t={HOSTILE}"])
    assert result.exit_code == 0, result.output
    assert not any(c in result.stdout for c in "\x1b\x07\x08\x9b\x90"), repr(result.stdout)
    assert "Red title end" in result.stdout
    assert result.stdout.splitlines()[-1] == "(1 row)"  # the count on a line of its own
    raw = CliRunner().invoke(main, ["query", "RETURN $t AS title", "-p", f"t={HOSTILE}", "--format", "json"])
    assert "\x1b" not in raw.stdout and "\\u001b" in raw.stdout  # JSON escapes them, the data kept


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serving(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def dashboard() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`kg dashboard` on a free port, serving; killed (with its group) if a test leaves it running."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from kg.cli import main; main()", "dashboard", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while not _serving(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"kg dashboard did not serve on {port}: {proc.stdout.read().decode()[-2000:] if proc.stdout else ''}")
        time.sleep(0.5)
    yield proc, port
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_kg_dashboard_stops_its_streamlit(sample_graph: neo4j.Driver, dashboard: tuple, signum: int) -> None:
    proc, port = dashboard
    proc.send_signal(signum)  # to kg only, as `kill PID` or a service manager does
    assert proc.wait(timeout=40) == 0
    deadline = time.monotonic() + 10
    while _serving(port) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not _serving(port), f"streamlit still serves port {port} after kg dashboard ended"
    with socket.socket() as s:  # nothing listens on the port any more (closed connections may linger)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen()
