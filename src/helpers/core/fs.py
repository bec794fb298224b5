"""Safe file moves: a folder or file is replaced whole or not at all, at every instant.

A failed or killed run must never leave a half-written year or book, so new content is written
beside its target and moved into place with one rename (atomic within one file system). A folder
that already exists is exchanged with its replacement in one system call (Linux `renameat2`
with RENAME_EXCHANGE, macOS `renamex_np` with RENAME_SWAP), so there is no instant at which the
published year is missing. Where the file system offers no exchange, two renames are used and the
next run puts back a folder that a kill between them left aside (`recover`).
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

from helpers.core.errors import display_path

ASIDE = ".gammal-"  # '.<name>.gammal-<id>': a replaced folder on its way out
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover – platforms without a C library handle
        return None


_LIBC = _libc()


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot (nothing moved)."""
    a_b, b_b = os.fsencode(a), os.fsencode(b)
    if _LIBC is None:
        return False
    if sys.platform.startswith("linux") and hasattr(_LIBC, "renameat2"):
        result = _LIBC.renameat2(_AT_FDCWD, a_b, _AT_FDCWD, b_b, _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(_LIBC, "renamex_np"):
        result = _LIBC.renamex_np(a_b, b_b, _RENAME_SWAP)
    else:
        return False
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(b))


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


def swap_into_place(new: Path, target: Path, *, allow_exchange: bool = True) -> None:
    """Replace folder `target` with folder `new`; at no instant is `target` missing or half-written.

    `new` is consumed: afterwards it no longer exists (it held the old content, now removed).
    """
    new, target = Path(new), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    new = _beside(new, target)
    if not os.path.lexists(target):
        os.replace(new, target)
        return
    if allow_exchange and exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous content
        return
    # Two renames: a kill between them leaves only the aside copy, which `recover` puts back.
    old = target.with_name(f".{target.name}{ASIDE}{uuid.uuid4().hex[:8]}")
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


NEW = ".ny-"  # '.<name>.ny-<id>': a folder copied beside its target from another file system


def _beside(new: Path, target: Path) -> Path:
    """`new` itself when it is on the target's file system; otherwise a copy of it made beside the
    target (renames cannot cross file systems: a separate disk or a symlinked `_build`)."""
    if os.stat(new).st_dev == os.stat(target.parent).st_dev:
        return new
    copy = target.with_name(f".{target.name}{NEW}{uuid.uuid4().hex[:8]}")
    try:
        shutil.copytree(new, copy, symlinks=True)
    except BaseException:
        remove(copy)
        raise
    shutil.rmtree(new, ignore_errors=True)
    return copy


def recover(parent: Path) -> list[str]:
    """Finish what a killed swap left in `parent`: a missing folder gets its aside copy back, and
    aside copies of folders that are in place are removed. Returns what was done, in Swedish."""
    parent = Path(parent)
    done: list[str] = []
    if not parent.is_dir():
        return done
    aside: dict[str, list[Path]] = {}
    for p in parent.iterdir():
        if p.name.startswith(".") and ASIDE in p.name:
            aside.setdefault(p.name[1:].split(ASIDE, 1)[0], []).append(p)
    for name, copies in sorted(aside.items()):
        target = parent / name
        copies.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        if not os.path.lexists(target):
            os.replace(copies.pop(0), target)
            done.append(f"{display_path(target)} återställd efter en avbruten körning")
        for p in copies:
            remove(p)
            done.append(f"{display_path(p)} borttagen (rester av en avbruten körning)")
    return done


def remove(path: Path) -> None:
    """Remove a file, link or folder tree, whatever it is; missing is fine."""
    path = Path(path)
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def remove_leftovers(parent: Path, patterns: tuple[str, ...]) -> list[Path]:
    """Remove what matches `patterns` (globs) in `parent`: work folders of killed runs."""
    parent = Path(parent)
    if not parent.is_dir():
        return []
    found = sorted({p for pattern in patterns for p in parent.glob(pattern)})
    for p in found:
        remove(p)
    return found


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


def copy_atomic(src: Path, dst: Path, *, mtime_ns: int | None = None) -> Path:
    """Copy a file so that `dst` is either the old file or the whole new one, never half of it
    (a cache entry, a book source); `mtime_ns` sets the copy's modification time before it appears."""
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        shutil.copyfile(src, tmp)
        if mtime_ns is not None:
            os.utime(tmp, ns=(mtime_ns, mtime_ns))
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    return dst
