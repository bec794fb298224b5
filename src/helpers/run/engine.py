"""A papermill engine with a warm kernel: papermill still executes every notebook, but the
kernel is started once per worker process and reused.

Registered under papermill's `papermill.engine` entry point (pyproject.toml) as `uppfoljning`,
so `papermill.execute_notebook(..., engine_name="uppfoljning")` uses it. Each worker process
keeps one kernel; nbclient leaves a kernel running when it is handed a kernel manager it does not
own. Before each notebook the kernel gets a fresh namespace (:func:`helpers.run.kernel.prepare`);
after a failed notebook, or when the helpers code changed on disk, it is replaced by a new one.
The output notebook is papermill's own: its parameters, timings and cell metadata.
"""

from __future__ import annotations

import os
from importlib import metadata

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

ENGINE = "uppfoljning"  # == helpers.run.execute.WARM_ENGINE


class WarmKernel:
    """This process's kernel and client: started on first use, reused until a failure or a code change."""

    def __init__(self) -> None:
        self.km: AsyncKernelManager | None = None
        self.kc = None  # one client for the kernel's life: no new connection and handshake per notebook
        self.kernel_name: str | None = None
        self.prepared = False  # warm_up() has run in this kernel
        self.started = 0  # kernels started by this process
        self.pid = os.getpid()

    def forget_inherited(self) -> None:
        """In a forked child: the parent's kernel and client are the parent's, never touched here."""
        if self.pid != os.getpid():
            self.km, self.kc, self.prepared, self.started, self.pid = None, None, False, 0, os.getpid()

    def manager(self, kernel_name: str) -> AsyncKernelManager:
        self.forget_inherited()
        if self.km is not None and (kernel_name != self.kernel_name or not run_sync(self.km.is_alive)()):
            self.discard()
        if self.km is None:
            self.km = AsyncKernelManager(kernel_name=kernel_name)
            self.kernel_name = kernel_name
            self.prepared = False
        return self.km

    def discard(self) -> None:
        """Shut the kernel down; the next notebook gets a fresh one."""
        self.forget_inherited()
        km, kc = self.km, self.kc
        self.km, self.kc, self.prepared = None, None, False
        if kc is not None:
            kc.stop_channels()
        if km is not None and km.has_kernel:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # a dead kernel cannot be shut down twice; the process goes anyway
                pass


WARM = WarmKernel()


class WarmClient(PapermillNotebookClient):
    """papermill's notebook client on the warm kernel, which it prepares before the first cell."""

    cells_started = False

    async def async_start_new_kernel(self, **kwargs):
        await super().async_start_new_kernel(**kwargs)
        WARM.started += 1

    # nbclient binds the sync wrapper to its own coroutine: rebind it to ours.
    start_new_kernel = run_sync(async_start_new_kernel)

    def papermill_execute_cells(self):
        code = f"import helpers.run.kernel as _k\n_k.prepare({os.getcwd()!r}, first={not WARM.prepared})\n"
        reply = self.wait_for_reply(self.kc.execute(code, silent=True, store_history=False, allow_stdin=False))
        content = (reply or {}).get("content", {})
        if content.get("status") != "ok":
            raise RuntimeError(f"den varma kärnan kunde inte förberedas: {content.get('ename')}: {content.get('evalue')}")
        WARM.prepared = True
        self.cells_started = True
        super().papermill_execute_cells()


def _failed(nb) -> bool:
    return any(out.get("output_type") == "error" for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []))


class WarmEngine(NBClientEngine):
    """NBClientEngine with this process's warm kernel instead of a new kernel per notebook."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, **kwargs):
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
                             log=logger, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
        for attempt in (1, 2):
            client = WarmClient(nb_man, km=WARM.manager(kernel_name), **final)
            client.kc = WARM.kc  # None for a new kernel: nbclient connects a client, which is kept
            ok = False
            try:
                nb = client.execute()
                WARM.kc = client.kc
                ok = not _failed(nb)
                return nb
            except Exception:
                # A kernel that could not start or be prepared (port clash, changed code) gets one
                # retry with a new kernel; once cells have run, the failure is the notebook's.
                if attempt == 2 or client.cells_started:
                    raise
            finally:
                if not ok:
                    WARM.kc = WARM.kc or client.kc
                    WARM.discard()  # a failed notebook leaves the kernel in an unknown state


def register() -> None:
    """Make the engine known to papermill even when the installed metadata predates the entry point."""
    names = {ep.name for ep in metadata.entry_points(group="papermill.engine")}
    if ENGINE not in names or ENGINE not in papermill_engines._engines:
        papermill_engines.register(ENGINE, WarmEngine)


def shutdown() -> None:
    WARM.discard()
