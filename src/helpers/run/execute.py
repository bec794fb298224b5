"""Execute the prepared notebooks with papermill on warm kernels in worker processes, reuse cached
pages, and hide code from readers."""

from __future__ import annotations

import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat

from helpers.core.errors import RunError
from helpers.core.layout import Layout
from helpers.core.lock import die_with_parent
from helpers.core.text import md_literal
from helpers.run.cache import Fingerprint, PageCache
from helpers.run.digests import KERNEL
from helpers.run.pages import Page
from helpers.run.progress import Silent

PAGES_PER_KERNEL = 3
WARM_ENGINE = "uppfoljning"  # helpers.run.engine.ENGINE (imported only where notebooks run)
REMOVE_CELL = "remove-cell"
REMOVE_INPUT = "remove-input"


def prepare(template: Path, title: str) -> nbformat.NotebookNode:
    """The template with the page title as its first cell (myst-nb takes titles from markdown cells).

    The title comes from the register: it is made literal Markdown, so markup in it shows as text.
    """
    nb = nbformat.read(template, as_version=4)
    title_cell = nbformat.v4.new_markdown_cell(f"# {md_literal(title)}", metadata={"tags": ["titel"]})
    title_cell["id"] = "titel"  # a fixed id keeps executed notebooks reproducible
    nb.cells.insert(0, title_cell)
    return nb


def prepared_bytes(layout: Layout, page: Page) -> bytes:
    """The notebook papermill runs for a page, as bytes (what the cache key hashes)."""
    return (nbformat.writes(prepare(layout.notebooks / page.template, page.title)) + "\n").encode()


def hide_code(nb: nbformat.NotebookNode) -> list[str]:
    """Readers see results, never code or parameters; return any stderr/error outputs found."""
    problems = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        if tags & {"parameters", "injected-parameters"}:
            tags.add(REMOVE_CELL)
        else:
            tags.add(REMOVE_INPUT)
        cell.metadata["tags"] = sorted(tags)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"{out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                problems.append("stderr: " + "".join(out.get("text", ""))[:300])
    return problems


def _init_worker(kernel_log: str, shared: str | None = None, root: str | None = None) -> None:
    """A worker process: kernel chatter to the run's log, the engine known, the kernel shut down at exit."""
    import asyncio
    from multiprocessing.util import Finalize

    from jupyter_core import utils as jupyter_utils

    from helpers.run import engine, kernel

    die_with_parent()  # a killed run leaves no notebooks executing into its staging folder
    log = os.open(kernel_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 2)  # kernels inherit this process's stderr
    os.close(log)
    # A forked worker starts with an event loop and kernel of its own, never its parent's.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    if hasattr(jupyter_utils, "_loop"):
        jupyter_utils._loop.set(loop)
    if shared:
        os.environ[kernel.SHARED] = shared  # kernels inherit it: they share the year's analysis there
    if root:
        os.environ[kernel.ROOT] = root  # the project's lock file is part of the kernels' environment key
    engine.WARM.forget_inherited()
    engine.register()
    Finalize(engine.WARM, engine.shutdown, exitpriority=10)


Job = tuple[str, str, str, dict, str, str | None]  # name, prepared notebook, output, parameters, cwd, engine


def _execute(job: Job) -> tuple[str, float, list[str]]:
    """Execute one prepared notebook with papermill on this worker's warm kernel (papermill chdirs
    process-wide, so each worker is a process of its own)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    name, src, dst, params, cwd, engine_name = job
    start = time.perf_counter()
    try:
        # Saved once at the end rather than after every cell: a failure still saves what ran.
        pm.execute_notebook(src, dst, parameters=params, kernel_name=KERNEL, cwd=cwd, engine_name=engine_name,
                            progress_bar=False, log_output=False, language="python", request_save_on_cell_execute=False)
    except PapermillExecutionError as exc:
        return name, time.perf_counter() - start, [f"{exc.ename}: {exc.evalue}"]
    except Exception as exc:  # no kernel even on the engine's retry, or the kernel died mid-notebook
        return name, time.perf_counter() - start, [f"körningen avbröts: {type(exc).__name__}: {exc}"]
    nb = nbformat.read(dst, as_version=4)
    problems = hide_code(nb)
    nbformat.write(nb, dst)
    return name, time.perf_counter() - start, problems


def shared_analysis(layout: Layout) -> Path:
    """Where the pipeline and the kernels of one project share the year's analysis."""
    return layout.build / "cache" / "analys"


def run_notebooks(work: list[Job], jobs: int, kernel_log: Path, shared: Path | None = None, root: Path | None = None):
    """Yield (name, seconds, problems) as notebooks finish, from a pool of `jobs` worker processes
    with one warm kernel each; started here, shut down (kernels too) when all are done. With
    `shared`, the kernels share the year's analysis through that folder."""
    if not work:
        return
    # A kernel's start and imports cost about as much as three pages: a few pages share one kernel.
    workers = max(1, min(jobs, -(-len(work) // PAGES_PER_KERNEL)))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(str(kernel_log), str(shared) if shared else None, str(root) if root else None)) as pool:
        for future in as_completed([pool.submit(_execute, job) for job in work]):
            yield future.result()


def default_jobs() -> int:
    """One warm kernel per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def execute_all(pages: list[Page], layout: Layout, staging: Path, jobs: int | None = None, *,
                fingerprint: Fingerprint | None = None, cache: PageCache | None = None,
                progress: Silent | None = None) -> dict[str, float]:
    """Execute every page into `staging`, or copy it from the cache when its key is unchanged.

    Pages to run go to a bounded pool of worker processes (default: one per core), each with one
    warm kernel for the whole run. A page is stored in the cache only when it ran cleanly and its
    key is still the same after the run (nothing changed under it while it ran).
    """
    jobs = jobs or default_jobs()
    progress = progress or Silent()
    prepared = staging / ".mallar"
    prepared.mkdir(parents=True)
    keys: dict[str, str] = {}
    work = []
    timings: dict[str, float] = {}
    hits: list[str] = []
    for page in pages:
        src = prepared / f"{page.name}.ipynb"
        notebook = prepared_bytes(layout, page)
        src.write_bytes(notebook)
        dst = staging / f"{page.name}.ipynb"
        if fingerprint is not None and cache is not None:
            keys[page.name] = fingerprint.key(page, notebook)
            stored = cache.get(keys[page.name])
            if stored is not None:
                shutil.copyfile(stored, dst)
                timings[page.name] = 0.0
                hits.append(page.name)
                continue
        # Notebooks run inside the staging edition and read only its input snapshot (indata/).
        work.append((page.name, str(src), str(dst), page.parameters, str(staging), WARM_ENGINE))
    progress.begin(len(pages))
    for name in hits:
        progress.page(name, 0.0, cached=True)
    failures: list[str] = []
    executed: list[str] = []
    kernel_log = staging / "karnlogg.txt"
    try:
        for name, seconds, problems in run_notebooks(work, jobs, kernel_log, shared_analysis(layout), layout.root):
            timings[name] = seconds
            failures += [f"{name}.ipynb: {p}" for p in problems]
            if not problems:
                executed.append(name)
            progress.page(name, seconds, cached=False)
    finally:
        progress.close()
    shutil.rmtree(prepared)
    kernel_log.unlink(missing_ok=True)
    if cache is not None and fingerprint is not None and executed:
        _store(pages, layout, staging, executed, keys, fingerprint, cache)
    if failures:
        order = {p.name: i for i, p in enumerate(pages)}
        failures.sort(key=lambda f: order.get(f.split(".ipynb:")[0], 0))
        raise RunError("Körningen av notebooks misslyckades:\n" + "\n".join(f"  • {f}" for f in failures))
    if cache is not None:
        cache.record(keys)
    return dict(sorted(timings.items(), key=lambda kv: [p.name for p in pages].index(kv[0])))


def _store(pages, layout, staging, executed, keys, fingerprint, cache) -> None:
    """Store executed pages whose inputs did not change while they ran: no byte under data/ (a file
    added or removed included), and each page's key computed afresh is the key it ran under."""
    again = Fingerprint(layout, fingerprint.files, fingerprint.kernel)
    if again.data_tree != fingerprint.data_tree:
        return
    by_name = {p.name: p for p in pages}
    for name in executed:
        if again.key(by_name[name], prepared_bytes(layout, by_name[name])) == keys[name]:
            cache.put(keys[name], staging / f"{name}.ipynb")
