"""The run lock: an OS file lock next to the database, held by an aggregation for its whole run.

A recorded pid says nothing once the process is gone: the number is reused
(soon, in a container whose init starts every process at the same pids, and
under a fixed hostname), so `os.kill(pid, 0)` kept a SIGKILLed run "alive"
and every later cron run exited 4. The kernel drops a `flock` when its holder
dies however it dies, so a free lock proves that every `running` run is dead.
The pid check remains only where the lock file cannot be used.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from typing import Literal

# A reader probing the lock holds it shared for microseconds; a run starting at
# that instant waits out the probe instead of reporting a phantom aggregation.
ACQUIRE_TRIES = 40
ACQUIRE_PAUSE_S = 0.025

State = Literal["fresh", "ours", "free", "held", "unknown"]


def lock_path(db_path: Path) -> Path:
    return Path(f"{db_path}.lock")


class RunLock:
    """One Store's hold on the run lock of its database file."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self) -> State:
        """Take the lock: "fresh" (now ours), "ours", "held" (by another run) or "unknown"."""
        if self._fd is not None:
            return "ours"
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return "unknown"
        for attempt in range(ACQUIRE_TRIES):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if attempt + 1 < ACQUIRE_TRIES:
                    time.sleep(ACQUIRE_PAUSE_S)
                continue
            except OSError:
                os.close(fd)
                return "unknown"
            self._fd = fd
            return "fresh"
        os.close(fd)
        return "held"

    def probe(self) -> State:
        """Whether a run holds the lock, without taking it: "ours", "free", "held", "unknown"."""
        if self._fd is not None:
            return "ours"
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return "free"  # no run ever took it (the holder creates the file)
        except OSError:
            return "unknown"
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return "held"
        except OSError:
            return "unknown"
        else:
            return "free"
        finally:
            os.close(fd)  # closing drops a shared lock taken above

    def release(self) -> None:
        """Let the next run start (also done by the kernel when this process dies)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
