"""One writer at a time: an exclusive ``flock`` on a file under ``kg_home()``.

``kg update``, every run of ``kg schedule`` and ``kg load`` take the same lock, so a manual update
or load started while another one is writing waits (``--wait``) or stops with a message naming the
process that holds it: two loads at once resolve events against a graph the other is changing,
which gave duplicate events or a ConstraintError. ``flock`` is released by the kernel when the
holder exits, even on SIGKILL, so a crashed run never leaves a stale lock behind; the pid and
command written into the file are only for messages.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.config import kg_home
from kg.errors import KgError

POLL_SECONDS = 0.2


class LockBusy(KgError):
    """Another process holds the update lock."""


def lock_path(name: str = "update") -> Path:
    """The lock file for ``name`` (``kg_home()/update.lock``)."""
    return kg_home() / f"{name}.lock"


def _holder(fd: int) -> tuple[str, str]:
    """What the holder wrote into the lock file: its pid and command ('?' while it is still writing)."""
    os.lseek(fd, 0, os.SEEK_SET)
    pid, _, command = os.read(fd, 512).decode("utf-8", "replace").strip().partition("\n")
    return pid or "?", command.strip() or "update"


@contextmanager
def hold_lock(name: str = "update", wait: float = 0.0, command: str = "update") -> Iterator[Path]:
    """Hold the exclusive lock ``name`` for the ``with`` block, waiting up to ``wait`` seconds for it;
    ``command`` (``update``, ``load``) names this holder in the message another process gets.

    Raises LockBusy naming the pid and command that hold it when it is still taken after ``wait``.
    """
    path = lock_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    waited = f" after waiting {wait:g} s" if wait > 0 else ""
                    pid, other = _holder(fd)
                    raise LockBusy(f"another kg {other} is running (pid {pid} holds {path}){waited}; "
                                   "let it finish, or pass --wait SECONDS to wait for it") from None
                time.sleep(POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n{command}\n".encode())
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
