"""Named moments where a test can stop a real command and kill it: `UPPF_TEST_PAUS_VID`.

Kills are tested on the real command line in a subprocess, and a kill "somewhere around" a step
proves nothing: the test must know the process stands exactly between two steps. With
`UPPF_TEST_PAUS_VID=<moment>[,<moment>…]` in its environment, a command that reaches a named
moment writes `<moment>.paus` (its process id) into `UPPF_TEST_PAUS_MAPP` (default: the temp
folder) and waits while that file exists. The test then sends SIGKILL, or removes the file to let
the command go on. Nothing else reads the variable; without it `pause` returns at once.

Moments: `arkiv-arbetsfiler`, `arkiv-paket-klart`, `arkiv-journal`, `arkiv-tidigare-undan`,
`arkiv-mapp-inne`, `arkiv-zip-inne`, `arkiv-markerad` (arkivera, in that order), `publicera`
(rapport, before the edition is swapped in), `pdf-rendering` and `pdf-inflyttning` (pdf).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

ENV, ENV_FOLDER = "UPPF_TEST_PAUS_VID", "UPPF_TEST_PAUS_MAPP"
LONGEST_S = 600.0  # a forgotten pause must not hang a machine forever


def pause(moment: str) -> None:
    """Wait at `moment` if a test asked for it (see the module docstring); otherwise nothing."""
    wanted = os.environ.get(ENV, "")
    if not wanted or moment not in (w.strip() for w in wanted.split(",")):
        return
    flag = Path(os.environ.get(ENV_FOLDER) or tempfile.gettempdir()) / f"{moment}.paus"
    flag.write_text(str(os.getpid()), encoding="utf-8")
    end = time.monotonic() + LONGEST_S
    while flag.exists() and time.monotonic() < end:
        time.sleep(0.02)
