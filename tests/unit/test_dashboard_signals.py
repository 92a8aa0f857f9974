"""`kg dashboard` passes a stop signal on to its Streamlit child, so the port is free when it ends.

The forwarding runs in a process of its own here (it installs signal handlers), with a stand-in
child that holds a port as Streamlit does."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_a_sigterm_to_kg_dashboard_stops_the_server_it_started() -> None:
    port = _free_port()
    child = ("import socket, time; s = socket.socket(); s.bind(('127.0.0.1', %d)); s.listen(); "
             "print('serving', flush=True); time.sleep(120)" % port)
    parent = ("import os, sys; from kg.cli.dashboard_cmd import run_forwarding_signals; "
              f"sys.exit(run_forwarding_signals([sys.executable, '-c', {child!r}], dict(os.environ)))")
    proc = subprocess.Popen([sys.executable, "-c", parent], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "serving"
        assert not _port_free(port)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0  # stopped on request
        deadline = time.monotonic() + 10
        while not _port_free(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _port_free(port), "the child still holds the port after kg dashboard ended"
    finally:
        proc.kill()
