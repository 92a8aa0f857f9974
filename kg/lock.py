"""One update at a time: an exclusive ``flock`` on a file under ``kg_home()``.

``kg update`` and every run of ``kg schedule`` take the same lock, so a manual update started while
the scheduler is working (or a second scheduler) waits or stops with a message naming the process
that holds it. ``flock`` is released by the kernel when the holder exits, even on SIGKILL, so a
crashed run never leaves a stale lock behind; the pid written into the file is only for messages.
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


def _holder(fd: int) -> str:
    """What the holder wrote into the lock file: its pid (or '?' while it is still writing)."""
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 64).decode("ascii", "replace").strip() or "?"


@contextmanager
def hold_lock(name: str = "update", wait: float = 0.0) -> Iterator[Path]:
    """Hold the exclusive lock ``name`` for the ``with`` block, waiting up to ``wait`` seconds for it.

    Raises LockBusy naming the pid that holds it when it is still taken after ``wait``.
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
                    raise LockBusy(f"another kg update is running (pid {_holder(fd)} holds {path}){waited}; "
                                   "let it finish, or pass --wait SECONDS to wait for it") from None
                time.sleep(POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
