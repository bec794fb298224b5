"""Jupyter Book 1 on a staged edition: the executed notebooks become the static HTML book.

The build is incremental. Each year keeps its book sources and Sphinx's environment in
`_build/bok/<år>/`, outside the staging folder that is swapped into place. A run copies in only
the source files whose bytes changed (so Sphinx re-reads only those), always writes every page
into a fresh output folder (navigation, titles and the search index are never stale), and skips
Jupyter Book entirely when no source byte, helper file or environment version changed since the
last good build: then the last build's HTML is published again, identical. Any doubt (a failed
build, a changed helper or tool, `--utan-cache`) means a clean build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from helpers.core.errors import RunError
from helpers.core.fs import copy_atomic
from helpers.core.lock import die_with_parent

STAMP = "uppfoljning-bygge.json"  # in <workdir>/_build: what the HTML there was built from
NOT_SOURCES = {"_build", ".mallar", "karnlogg.txt"}


def _jupyter_book(src: Path, log: Path) -> None:
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(src), "--builder", "html", "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
                          preexec_fn=die_with_parent)  # a killed run does not leave the build running
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(proc.stdout + "\n" + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        tail = without_tracebacks(proc.stdout + proc.stderr)
        raise RunError(f"Bokbygget misslyckades (jupyter-book, kod {proc.returncode}). Logg: {log}\n{tail}")


def without_tracebacks(output: str, last: int = 25) -> str:
    """The end of a tool's output for a message, with each Python traceback cut down to the error
    it ends with (the whole output is in the log): the user never reads a traceback."""
    out, inside = [], False
    for line in output.strip().splitlines():
        if line.startswith("Traceback (most recent call last)"):
            inside = True
            continue
        if inside and (not line.strip() or line[:1] in (" ", "\t")):
            continue
        inside = False
        out.append(line)
    return "\n".join(out[-last:])


def _sources(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] not in NOT_SOURCES}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> str:
    digest = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            digest.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return digest.hexdigest()


def sync_sources(staging: Path, workdir: Path) -> dict[str, str]:
    """Make `workdir` hold exactly the staged sources, rewriting only files whose bytes differ.

    A rewritten file gets a modification time later than Sphinx's last reading (even if the
    clock went back), so Sphinx reads it again."""
    workdir.mkdir(parents=True, exist_ok=True)
    new, old = _sources(staging), _sources(workdir)
    env = workdir / "_build" / ".doctrees" / "environment.pickle"
    stamp_ns = max(time.time_ns(), env.stat().st_mtime_ns + 1_000_000_000 if env.exists() else 0)
    digests = {}
    for rel, src in new.items():
        digests[rel] = _sha(src)
        dst = workdir / rel
        if rel in old and _sha(old[rel]) == digests[rel]:
            continue  # untouched: Sphinx keeps what it read from it
        copy_atomic(src, dst, mtime_ns=stamp_ns)
    for rel in set(old) - set(new):
        (workdir / rel).unlink()
    for d in sorted((p for p in workdir.rglob("*") if p.is_dir() and p.relative_to(workdir).parts[0] not in NOT_SOURCES),
                    key=lambda p: len(p.parts), reverse=True):
        if not any(d.iterdir()):
            d.rmdir()
    return digests


def build_html(staging: Path, workdir: Path | None = None, *, fresh: bool = False, tools: str = "") -> bool:
    """Build the staged edition into `staging/_build/html`; True when Jupyter Book ran.

    Without `workdir`, a clean build in the staging folder itself. With it, incrementally: see the
    module docstring. `tools` names everything besides the sources that shapes the HTML (the
    helpers code with its Sphinx extension, the environment).
    """
    log = staging / "_build" / "bygglogg.txt"
    if workdir is None:
        _jupyter_book(staging, log)
        return True
    digests = sync_sources(staging, workdir)
    build, html, stamp = workdir / "_build", workdir / "_build" / "html", workdir / "_build" / STAMP
    want = {"tools": tools, "sources": digests}
    try:
        have = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        have = None
    if fresh or (have is not None and have.get("tools") != tools):
        shutil.rmtree(build, ignore_errors=True)
        have = None
    # The last HTML is reused only if it is the one built from these sources, untouched since.
    reuse = have is not None and html.is_dir() and have.pop("html", None) == _tree(html) and have == want
    ran = False
    if not reuse:
        stamp.unlink(missing_ok=True)
        shutil.rmtree(html, ignore_errors=True)  # every page is written anew from Sphinx's environment
        try:
            _jupyter_book(workdir, log)
        except RunError:
            shutil.rmtree(build, ignore_errors=True)  # never keep an environment from a failed build
            raise
        stamp.write_text(json.dumps({**want, "html": _tree(html)}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        ran = True
    target = staging / "_build" / "html"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(html, target)
    return ran
