"""Runs inside a warm worker kernel (see :mod:`helpers.build.engine`), never in the pipeline.

`prepare` is executed silently before every notebook: the first time it imports the heavy
libraries once; every time it checks that the helpers code the kernel imported is still the code
on disk (a re-import guard: a kernel never runs stale code), moves to the notebook's folder and
gives the notebook a fresh user namespace with execution counts from 1, as a new kernel would.

It also lets notebooks in one kernel share one `analyse()` of the year: the result is memoised by
the bytes of every file in the data folder and handed out as a fresh copy (unpickled) to each
notebook, so no notebook sees another's objects and a changed file is always read again.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from pathlib import Path

import helpers

HEAVY = ("pandas", "numpy", "scipy.stats", "altair", "vl_convert", "pandera", "nbformat",
         "helpers.compute.analysis", "helpers.present.atgard", "helpers.present.html", "helpers.present.indikatorer",
         "helpers.present.klimat", "helpers.present.malomrade", "helpers.present.samlad")


class StaleKernel(RuntimeError):
    """The helpers code changed on disk after this kernel imported it: use a fresh kernel."""


def tree_digest(folder: Path, pattern: str = "*") -> str:
    """sha256 over the relative names and bytes of every file under `folder` (sorted)."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for p in sorted(folder.rglob(pattern)):
        if p.is_file() and "__pycache__" not in p.parts:
            digest.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()


def code_digest() -> str:
    """The helpers package as installed (its source and data files): what a kernel imports."""
    return tree_digest(Path(helpers.__file__).parent)


_state: dict = {}


def _memoised_analyse(original):
    @functools.wraps(original)
    def analyse(year, data_dir="data"):
        folder = Path(data_dir).resolve()
        key = (int(year), str(folder), tree_digest(folder) if folder.is_dir() else "")
        memo = _state.setdefault("analyse", {})
        if key not in memo:
            result = original(year, data_dir)  # raises on bad data: nothing is memoised
            memo.clear()
            memo[key] = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        return pickle.loads(memo[key])

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


def prepare(cwd: str, *, first: bool) -> None:
    """Before each notebook: warm up (first), guard against stale code, chdir, fresh namespace."""
    if first:
        warm_up()
    elif code_digest() != _state.get("code"):
        raise StaleKernel("hjälpkoden har ändrats sedan kärnan startade")
    os.chdir(cwd)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)
