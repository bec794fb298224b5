"""One run at a time per project, and the leftovers of killed runs cleaned up by the next one.

`rapport` and `importera` both write (the book, a year's data) and both read the data while they
work, so they share one lock in the data folder. Whoever holds it may clean up: no other run of
the project can be using a staging folder, an import work folder or an aside copy.
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
