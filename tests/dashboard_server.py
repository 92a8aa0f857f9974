"""The dashboard served as `kg dashboard` serves it (``dashboards/server.py`` under `streamlit run`),
on a free loopback port, for the tests that drive it in a real browser."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVER = str(Path(__file__).resolve().parents[1] / "dashboards" / "server.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served_dashboard(timeout: float = 60) -> Iterator[str]:
    """The dashboard's base URL once its health check answers; the server is stopped on exit.
    A server that dies or does not answer in ``timeout`` seconds fails with the end of its output."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", SERVER, "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    out = proc.stdout.read().decode() if proc.stdout else ""
                    raise AssertionError(f"streamlit did not start on port {port}:\n{out[-2000:]}") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
