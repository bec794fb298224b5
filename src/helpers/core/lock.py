"""One run at a time per project: a lock file naming the process that holds it.

The lock is a file created with O_EXCL holding the owner's process id, its start time, host and
command. A second run is refused with a message naming the first. A lock whose process is gone
(killed with SIGKILL, the machine restarted) is stale: the next run takes it over and says so.
A process id the system has since given to another program is told apart by its start time.

Checking and taking over happen under a short `flock` on the lock's folder, so two runs that
find the same stale lock cannot both take it. The lock file itself is never held open, so worker
processes forked during the run cannot keep it alive after the run is killed.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import signal
import socket
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover – not POSIX: the O_EXCL file alone decides
    fcntl = None


class LockBusy(Exception):
    """Another live run holds the lock; the message is Swedish and names it."""


@dataclass(frozen=True)
class Holder:
    pid: int
    start: str | None  # the process's start time as the system records it (Linux /proc)
    host: str
    command: str
    started: str  # ISO time, for people

    def describe(self) -> str:
        when = self.started.replace("T", " ")[:19]
        return f"'{self.command}' (process {self.pid} på {self.host}, startad {when})"


def process_start(pid: int) -> str | None:
    """The start time of a process in clock ticks since boot (Linux), to tell reused ids apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def process_alive(pid: int, start: str | None = None) -> bool:
    """True when `pid` runs (and, if `start` is known, is still the same process)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, belongs to someone else
    if _zombie(pid):
        return False
    if start is not None:
        now = process_start(pid)
        if now is not None and now != start:
            return False
    return True


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (worker processes and the book build
    must not outlive a run that was killed). Does nothing elsewhere."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover
        pass


def _read(path: Path) -> Holder | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Holder(int(data["pid"]), data.get("start"), str(data.get("host", "")), str(data.get("kommando", "")),
                      str(data.get("startad", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


@contextmanager
def _guard(path: Path):
    """A short exclusive flock on the lock's folder (no extra file is left behind)."""
    if fcntl is None:
        yield
        return
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock


# A lock file too young to be read may be in the middle of being written by its owner.
_WRITING_GRACE_S = 10.0


class RunLock:
    """`with RunLock(path, 'rapport --ar 2026') as lock:` – raises LockBusy if a live run holds it.

    After entering, `lock.taken_over` is the stale holder whose lock was taken over (or None).
    """

    def __init__(self, path: Path, command: str):
        self.path = Path(path)
        self.command = command
        self.taken_over: Holder | None = None
        self._mine: Holder | None = None

    def _busy(self, holder: Holder | None) -> LockBusy:
        shown = holder.describe() if holder else "(låsfilen håller på att skrivas)"
        other_host = holder is not None and holder.host != socket.gethostname()
        advice = (f" Låset kommer från en annan dator; är du säker på att ingen körning pågår där kan du ta bort "
                  f"{self.path}." if other_host else "")
        return LockBusy(f"En annan körning pågår redan i det här projektet: {shown}. Vänta tills den är klar och "
                        f"kör sedan igen (bara en körning åt gången; låsfil {self.path}).{advice}")

    def _stale(self, holder: Holder | None) -> bool:
        if holder is None:
            try:
                age = time.time() - self.path.stat().st_mtime
            except FileNotFoundError:
                return True
            return age > _WRITING_GRACE_S
        if holder.host != socket.gethostname():
            return False  # cannot see processes on another machine
        return not process_alive(holder.pid, holder.start)

    def acquire(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        me = Holder(os.getpid(), process_start(os.getpid()), socket.gethostname(), self.command,
                    dt.datetime.now().isoformat(timespec="seconds"))
        body = json.dumps({"pid": me.pid, "start": me.start, "host": me.host, "kommando": me.command,
                           "startad": me.started}, ensure_ascii=False)
        with _guard(self.path):
            if self.path.exists():
                holder = _read(self.path)
                if not self._stale(holder):
                    raise self._busy(holder)
                self.taken_over = holder or Holder(0, None, "", "okänd", "")
                self.path.unlink(missing_ok=True)
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:  # only without flock: someone was faster
                raise self._busy(_read(self.path)) from None
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        self._mine = me
        return self

    def release(self) -> None:
        if self._mine is None:
            return
        with _guard(self.path):
            holder = _read(self.path)
            if holder is not None and holder.pid == self._mine.pid and holder.start == self._mine.start:
                self.path.unlink(missing_ok=True)
        self._mine = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
