"""Progress of a run's pages: which page, how many are left, time so far, what came from the cache.

On a terminal a tqdm bar (tqdm is papermill's own progress library); elsewhere (a pipe, a log
file, CI, TERM=dumb) one plain line per page, so logs stay readable.
"""

from __future__ import annotations

import os
import sys
import time


def interactive(stream=None) -> bool:
    stream = stream or sys.stderr
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


class Silent:
    """No output (tests, the benchmark)."""

    def begin(self, total: int) -> None:
        pass

    def page(self, name: str, seconds: float, *, cached: bool) -> None:
        pass

    def close(self) -> None:
        pass


class Lines(Silent):
    """One line per page: '[ 3/25] atgard_1_1: kördes (2,1 s) – 12 s hittills, 22 kvar, 1 från cache'."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.total = self.done = self.cached = 0
        self.t0 = time.perf_counter()

    def begin(self, total: int) -> None:
        self.total, self.t0 = total, time.perf_counter()

    def page(self, name: str, seconds: float, *, cached: bool) -> None:
        self.done += 1
        self.cached += cached
        what = "från cache" if cached else f"kördes ({seconds:.1f} s)".replace(".", ",")
        width = len(str(self.total))
        print(f"[{self.done:>{width}}/{self.total}] {name}: {what} – {self._status()}", file=self.stream, flush=True)

    def _status(self) -> str:
        elapsed = f"{time.perf_counter() - self.t0:.0f} s hittills"
        return f"{elapsed}, {self.total - self.done} kvar, {self.cached} från cache"


class Bar(Lines):
    """A tqdm bar: the last finished page, pages left, elapsed time, pages from the cache."""

    def begin(self, total: int) -> None:
        from tqdm import tqdm

        super().begin(total)
        self.bar = tqdm(total=total, desc="Sidor", unit="sida", file=self.stream, dynamic_ncols=True,
                        bar_format="{desc} {bar} {n_fmt}/{total_fmt} [{elapsed}] {postfix}")

    def page(self, name: str, seconds: float, *, cached: bool) -> None:
        self.done += 1
        self.cached += cached
        self.bar.set_postfix_str(f"{name} {'(cache)' if cached else ''} – {self.total - self.done} kvar, "
                                 f"{self.cached} från cache", refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if hasattr(self, "bar"):
            self.bar.close()


def make(show: bool, stream=None) -> Silent:
    if not show:
        return Silent()
    return Bar(stream) if interactive(stream) else Lines(stream)
