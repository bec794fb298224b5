"""The wheels the environment was built from, for a rebuild after the registries have moved on.

`requirements.lock` pins every package of constraints.txt with the SHA-256 of its wheel (Python
3.11, Linux x86_64). `arkivera --med-hjul` stores exactly those wheels in the package's code
representation (`hjul/`), fetched by pip with `--require-hashes`, so a wheel that is not the locked
one is refused. With them, a machine without network rebuilds the environment:

    python3.11 -m venv miljo
    miljo/bin/pip install --no-index --find-links hjul --require-hashes -r requirements.lock

The wheels come from PyPI, or from a local folder of wheels (a wheelhouse) named by
`UPPF_HJULKALLA` or `source`, with no network at all.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from helpers.core.errors import RunError

LOCK = "requirements.lock"
FOLDER = "hjul"
SOURCE_ENV = "UPPF_HJULKALLA"
_PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)((?:\s+--hash=sha256:[0-9a-f]{64})+)\s*$")


def read_lock(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes) of a hash-locked requirements file."""
    out = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        m = _PIN.match(line)
        if not m:
            raise RunError(f"{path.name}, rad {n}: ingen rad i formatet 'paket==version --hash=sha256:…'")
        out[m.group(1).lower().replace("_", "-")] = (m.group(2), re.findall(r"[0-9a-f]{64}", m.group(3)))
    return out


def store(layout, code_dir: Path, *, source: Path | None = None) -> list[str]:
    """Download the locked wheels into code_dir/hjul (hash-checked by pip); their paths relative to code_dir."""
    lock = layout.root / LOCK
    if not lock.is_file():
        raise RunError(f"{LOCK} saknas i projektmappen: utan hash-låsta krav kan hjulen inte arkiveras.")
    read_lock(lock)  # a malformed lock is named before pip runs
    target = code_dir / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    source = source or (Path(os.environ[SOURCE_ENV]) if os.environ.get(SOURCE_ENV) else None)
    where = ["--no-index", "--find-links", str(source)] if source else []
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
           "--require-hashes", "-r", str(lock), "-d", str(target), *where]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = " ".join(proc.stderr.strip().splitlines()[-2:])
        raise RunError(f"Hjulen kunde inte hämtas {'från ' + str(source) if source else 'från PyPI'} ({tail}). "
                       f"Ange en mapp med hjulen i {SOURCE_ENV}, eller arkivera utan --med-hjul.")
    return sorted(f"{FOLDER}/{p.name}" for p in target.iterdir() if p.is_file())
