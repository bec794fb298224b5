"""What a run's results depend on, as digests: the bytes of a folder, the helpers code and the
environment. The run cache, the warm kernels and the pipeline all key on these three, so they
live here once, below all of them (neither the cache nor the kernel imports the other)."""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

import helpers

KERNEL = "python3"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree_digest(folder: Path, pattern: str = "*", skip: tuple[str, ...] = ()) -> str:
    """sha256 over the relative names and bytes of every file under `folder` (sorted), but for
    files named in `skip` (the run lock, which differs in every run and is never read as data)."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for p in sorted(folder.rglob(pattern)):
        if p.is_file() and "__pycache__" not in p.parts and p.name not in skip:
            digest.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()


def code_digest() -> str:
    """The helpers package as installed (its source and data files): what a kernel imports."""
    return tree_digest(Path(helpers.__file__).parent)


def environment_digest(root: Path, kernel: str = KERNEL) -> str:
    """The locked environment and the one actually installed: the lock file, Python, every
    installed distribution, the kernel that runs the pages and the fonts charts are drawn with."""
    lock = Path(root) / "constraints.txt"
    parts = [f"python {sys.version}", f"constraints.txt {sha256_bytes(lock.read_bytes()) if lock.exists() else 'saknas'}"]
    parts += sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    try:
        from jupyter_client.kernelspec import get_kernel_spec

        parts.append("kernel " + json.dumps(get_kernel_spec(kernel).argv))
    except Exception as exc:  # no such kernel: the run will say so; the key still differs
        parts.append(f"kernel saknas: {type(exc).__name__}")
    for folder in FONT_DIRS:
        base = Path(folder).expanduser()
        if base.is_dir():
            parts += sorted(f"font {p} {p.stat().st_size}" for p in base.rglob("*") if p.is_file())
    return sha256_bytes("\n".join(parts).encode())
