"""Safe file moves: a folder or file is replaced whole or not at all.

A failed or killed run must never leave a half-written year or book, so new content is written
beside its target and moved into place with renames (atomic within one file system).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path


def write_text_atomic(path: Path, text: str, check: Callable[[Path], object] | None = None) -> Path:
    """Write `text` to a temporary file beside `path`, then rename it over `path`.

    `check(tmp)` runs on the written temporary file first; if it raises, `path` is left as it was.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        if check is not None:
            check(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def swap_into_place(new: Path, target: Path) -> None:
    """Replace folder `target` with folder `new`; the old one is kept until the new one is in place."""
    new, target = Path(new), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.gammal-{uuid.uuid4().hex[:8]}")
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old.exists():
            os.replace(old, target)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Like `write_text_atomic`, for bytes (a saved workbook)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
