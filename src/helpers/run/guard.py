"""One run at a time per project, and the leftovers of killed runs cleaned up by the next one.

`rapport`, `pdf`, `arkivera` and `importera` write (the book, the archive, a year's data) and read
what the others write, so they share one lock in the data folder: a year is never archived while
it is being built. Whoever holds it may clean up: no other run of the project can be using a
staging folder, an import work folder, an aside copy or a copy from another file system. (The
archive's own work files and journals are finished by helpers.evidence.faststallande.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers.core.errors import display_path
from helpers.core.fs import NEW, recover, remove_leftovers
from helpers.core.layout import Layout
from helpers.core.lock import RunLock

LOCK_NAME = ".uppfoljningsboken.lock"


def lock_path(layout: Layout) -> Path:
    return layout.data / LOCK_NAME


@contextmanager
def project_lock(layout: Layout, command: str, log=print) -> Iterator[RunLock]:
    """Hold the project's run lock; raises LockBusy naming the run that holds it."""
    with RunLock(lock_path(layout), command) as lock:
        if lock.taken_over is not None:
            log(f"Tar över låset från en körning som avbröts: {lock.taken_over.describe()}.")
        yield lock


def tidy(layout: Layout) -> list[str]:
    """Put back or remove what killed runs and imports left; return what was done (Swedish)."""
    done: list[str] = []
    for parent in (layout.book, layout.build / "html", layout.data):
        done += recover(parent)
    removed = remove_leftovers(layout.build / "staging", ("*",))
    removed += remove_leftovers(layout.data, (".import-*",))
    for parent in (layout.book, layout.build / "html", layout.data):
        removed += remove_leftovers(parent, (".*.tmp", f".*{NEW}*"))
    done += [f"{display_path(p, layout.root)} borttagen (rester av en avbruten körning)" for p in removed]
    return done
