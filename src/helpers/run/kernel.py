"""Runs inside a warm worker kernel (see :mod:`helpers.run.engine`); the pipeline uses only its
digests and `publish`.

`prepare` is executed silently before every notebook: the first time it imports the heavy
libraries once; every time it checks that the helpers code the kernel imported is still the code
on disk (a re-import guard: a kernel never runs stale code), moves to the notebook's folder and
gives the notebook a fresh user namespace with execution counts from 1, as a new kernel would.

It also lets notebooks share one `analyse()` of the year: the result is memoised by the bytes of
every file in the data folder (with the call's arguments, working folder, the helpers code and the
environment) and handed out as a fresh copy (unpickled) to each notebook, so no notebook sees
another's objects and a changed byte is always read again. Kernels of one project also share it
through a file under `_build/cache/analys/` (the worker names the folder in UPPF_ANALYSLAGER): the
pipeline publishes there the analysis of the input snapshot it made itself (`publish`, with its
derived tables already computed), and a kernel that finds no entry analyses while holding a lock;
an entry is used only when every part of the key is the same.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from pathlib import Path

try:
    import fcntl
except ImportError:  # no file locks: each kernel analyses for itself
    fcntl = None

from helpers.core.fs import write_bytes_atomic
from helpers.data import config
from helpers.run.digests import code_digest, environment_digest, tree_digest

# Not scipy: only the analysis tests with it (imported where used), and a kernel that is handed the
# pipeline's analysis never runs one; importing scipy.stats costs about two thirds of a second.
HEAVY = ("pandas", "numpy", "altair", "vl_convert", "pandera", "nbformat",
         "helpers.compute.analysis", "helpers.present.atgard", "helpers.present.html", "helpers.present.indikatorer",
         "helpers.present.klimat", "helpers.present.malomrade", "helpers.present.samlad")


SHARED = "UPPF_ANALYSLAGER"
ROOT = "UPPF_PROJEKTROT"  # the project whose lock file (constraints.txt) is part of the environment


class StaleKernel(RuntimeError):
    """The helpers code changed on disk after this kernel imported it: use a fresh kernel."""


_state: dict = {}


def analysis_key(year, data_dir, cwd: str, code: str, environment: str) -> tuple:
    """Everything an `analyse(year, data_dir)` called from `cwd` depends on: the call, the folder
    it resolves to, every byte under it, the helpers code and the environment."""
    folder = (Path(cwd) / data_dir).resolve()
    return (int(year), str(data_dir), str(cwd), str(folder), tree_digest(folder) if folder.is_dir() else "",
            code, environment)


def _entry(folder: Path, key: tuple) -> tuple[Path, Path]:
    place = hashlib.sha256(repr(key[:3]).encode()).hexdigest()[:16]  # one file per year, data and folder
    return folder / f"karna-{place}.pickle", folder / f"karna-{place}.lock"


def _write(path: Path, key: tuple, blob: bytes) -> None:
    write_bytes_atomic(path, pickle.dumps((key, blob), protocol=pickle.HIGHEST_PROTOCOL))


def _shared(key: tuple, compute) -> bytes:
    """The pickled analysis for `key`: from the project's shared file, or computed (under a lock)
    and written there; without a shared folder, computed here."""
    folder = os.environ.get(SHARED)
    if not folder or fcntl is None:
        return compute()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path, lock_path = _entry(folder, key)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            stored, blob = pickle.loads(path.read_bytes())
            if stored == key:
                return blob
        except Exception:  # missing or unreadable: analyse
            pass
        blob = compute()
        _write(path, key, blob)
        return blob


def publish(an, folder: Path, *, data_dir: str, cwd: Path, code: str, environment: str, digest: str) -> None:
    """Hand the pipeline's own analysis of the snapshot to the kernels that will run the pages.

    `digest` is the snapshot's tree digest taken *before* `an` was computed, so an entry can only
    claim bytes older than or equal to what it was computed from; a kernel recomputes the key from
    the bytes it finds and uses the entry only on an exact match."""
    if fcntl is None:
        return
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    key = analysis_key(an.year, data_dir, str(cwd), code, environment)
    key = (*key[:4], digest, *key[5:])
    path, lock_path = _entry(folder, key)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _write(path, key, pickle.dumps(an, protocol=pickle.HIGHEST_PROTOCOL))


def _memoised_analyse(original):
    @functools.wraps(original)
    def analyse(year, data_dir="data"):
        key = analysis_key(year, data_dir, os.getcwd(), _state.get("code", ""), _state.get("environment", ""))
        memo = _state.setdefault("analyse", {})
        if key not in memo:
            # raises on bad data: nothing is memoised or shared
            blob = _shared(key, lambda: pickle.dumps(original(year, data_dir), protocol=pickle.HIGHEST_PROTOCOL))
            memo.clear()
            memo[key] = blob
        an = pickle.loads(memo[key])
        if getattr(an, "config", None) is not None:
            config.use(an.config)  # what a fresh analyse() would have made active: the edition's plan: block
        return an

    analyse.memoised = True
    return analyse


def warm_up() -> None:
    """Import once what every page imports. Whatever the imports print or warn (with the kernel's
    own warning filters) fails the warm-up, as it would show in a page's first cell otherwise."""
    import contextlib
    import importlib
    import io
    import warnings

    err = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(err):
        for name in HEAVY:
            importlib.import_module(name)
    said = [str(w.message) for w in caught] + ([err.getvalue().strip()] if err.getvalue().strip() else [])
    if said:
        raise RuntimeError("importen skrev till stderr: " + " | ".join(said)[:500])
    from helpers.compute import analysis

    if not getattr(analysis.analyse, "memoised", False):
        analysis.analyse = _memoised_analyse(analysis.analyse)

    _state["code"] = code_digest()
    _state["environment"] = environment_digest(Path(os.environ.get(ROOT) or Path.cwd()))


def prepare(cwd: str, *, first: bool) -> None:
    """Before each notebook: chdir, warm up (first), guard against stale code, fresh namespace."""
    os.chdir(cwd)
    if first:
        warm_up()
    elif code_digest() != _state.get("code"):
        raise StaleKernel("hjälpkoden har ändrats sedan kärnan startade")
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)
