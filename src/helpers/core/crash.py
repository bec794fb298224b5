"""The last resort: an exception nobody expected becomes a Swedish message, a log file and exit 1.

The analyst never sees a Python traceback; the developer still gets it, whole, in the log whose
path the message names.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path

EXIT_OK, EXIT_RUN_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl-C


def write_crash_log(exc: BaseException, log_dir: Path | None, argv: list[str] | None = None) -> Path:
    """Write the traceback and context to a new file in `log_dir` (or the temp folder); return it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join([
        f"Tid: {dt.datetime.now().isoformat(timespec='seconds')}\n",
        f"Kommando: {' '.join(argv if argv is not None else sys.argv)}\n",
        f"Python {platform.python_version()} på {platform.platform()}, process {os.getpid()}\n\n",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ])
    for folder in (log_dir, Path(tempfile.gettempdir())):
        if folder is None:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"fel-{stamp}-{os.getpid()}.txt"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    raise OSError("ingen loggmapp gick att skriva")


def explain(exc: BaseException) -> str:
    """A one-line Swedish description of an unexpected exception."""
    if isinstance(exc, PermissionError):
        return f"saknar behörighet till {exc.filename or 'en fil'}" + (f" ({exc.strerror})" if exc.strerror else "")
    if isinstance(exc, FileNotFoundError):
        return f"filen eller mappen {exc.filename or ''} finns inte".replace("  ", " ")
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:  # ENOSPC
        return "disken är full"
    if isinstance(exc, MemoryError):
        return "minnet tog slut"
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"filsystemet svarade med ett fel{where}: {exc.strerror or exc}"
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}" + (f": {detail}" if detail else "")


def last_resort(exc: BaseException, log_dir: Path | None, argv: list[str] | None = None) -> tuple[int, str]:
    """Exit code and Swedish message for an exception that escaped every other handler."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "Avbrutet. Tidigare publicerade utgåvor och indata är orörda."
    try:
        log = write_crash_log(exc, log_dir, argv)
        where = f"Detaljer för felsökning finns i {log}."
    except OSError:
        where = "Detaljerna kunde inte sparas i någon loggfil."
    message = (f"Oväntat fel: {explain(exc)}.\n"
               "Körningen avbröts. Indata har inte ändrats och tidigare publicerade utgåvor är orörda.\n"
               f"{where} Skicka filen till den som förvaltar Uppföljningsboken om felet kvarstår.")
    return EXIT_RUN_FAILED, message
