"""Attacks on the feed reader from a loopback HTTP server: slow senders are cut at the deadline of
the whole fetch, oversized feeds are refused without being read whole (issue 18, items 8 and 9)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kg.errors import ReaderError
from kg.limits import MB, Limits
from kg.readers.feeds import fetch_feed

Handler = Callable[[BaseHTTPRequestHandler], None]


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], tuple[str, dict[str, int]]]]:
    """Serve one handler function on 127.0.0.1; yields (url, counters of what it sent)."""
    servers: list[ThreadingHTTPServer] = []

    def start(handle: Handler) -> tuple[str, dict[str, int]]:
        sent = {"bytes": 0}

        class H(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.sent = sent
                try:
                    handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up: what the test wants

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/feed.xml", sent

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _trickle_body(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.end_headers()
    for _ in range(600):  # a byte every 0.1 s: each read is quick, the whole takes a minute
        h.wfile.write(b" ")
        h.wfile.flush()
        time.sleep(0.1)


def _trickle_headers(h: BaseHTTPRequestHandler) -> None:
    h.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(600):
        h.wfile.write(b"X-Slow: a\r\n")
        h.wfile.flush()
        time.sleep(0.1)


@pytest.mark.parametrize("handler", [_trickle_body, _trickle_headers], ids=["trickling body", "slow headers"])
def test_a_slow_sender_is_cut_at_the_deadline_of_the_whole_fetch(serve: Any, handler: Handler) -> None:
    url, _ = serve(handler)
    began = time.monotonic()
    with pytest.raises(ReaderError, match="within 1 s"):
        fetch_feed(url, timeout=1.0)
    assert time.monotonic() - began < 3


def _huge(declare: bool) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        if declare:
            h.send_header("Content-Length", str(100 * MB))
        h.end_headers()
        chunk = b"<rss>" + b" " * (MB - 5)
        for _ in range(100):
            h.wfile.write(chunk)
            h.sent["bytes"] += len(chunk)
    return handle


@pytest.mark.parametrize("declare", [True, False], ids=["Content-Length", "no length"])
def test_a_100_mb_feed_is_refused_without_being_read_whole(serve: Any, declare: bool) -> None:
    url, sent = serve(_huge(declare))
    with pytest.raises(ReaderError, match=r"larger than the limit of 20 MB \(limits.feed_bytes"):
        fetch_feed(url, timeout=30, max_bytes=Limits().feed_bytes)
    time.sleep(0.5)
    assert sent["bytes"] < 40 * MB  # the client stopped reading; only socket buffers took more


def test_a_redirect_to_a_local_file_is_not_followed(serve: Any) -> None:
    def redirect(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", "file:///etc/passwd")
        h.end_headers()

    url, _ = serve(redirect)
    with pytest.raises(ReaderError) as caught:
        fetch_feed(url, timeout=5)
    assert "root:" not in str(caught.value)


def test_a_server_that_never_answers_is_cut_at_the_deadline() -> None:
    with socket.socket() as listener:  # accepts the connection (backlog) but never reads or writes
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        began = time.monotonic()
        with pytest.raises(ReaderError, match="timeout"):
            fetch_feed(f"http://127.0.0.1:{listener.getsockname()[1]}/feed.xml", timeout=1.0)
        assert time.monotonic() - began < 3
