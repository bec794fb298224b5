"""Execute the prepared notebooks with papermill, in worker processes, and hide code from readers."""

from __future__ import annotations

import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from helpers.build.layout import Layout
from helpers.build.pages import Page
from helpers.core.errors import RunError

REMOVE_CELL = "remove-cell"
REMOVE_INPUT = "remove-input"


def prepare(template: Path, title: str) -> nbformat.NotebookNode:
    """The template with the page title as its first cell (myst-nb takes titles from markdown cells)."""
    nb = nbformat.read(template, as_version=4)
    title_cell = nbformat.v4.new_markdown_cell(f"# {title}", metadata={"tags": ["titel"]})
    title_cell["id"] = "titel"  # a fixed id keeps executed notebooks reproducible
    nb.cells.insert(0, title_cell)
    return nb


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


def _execute(job: tuple[str, str, str, dict, str]) -> tuple[str, float, list[str]]:
    """Execute one prepared notebook in its own process (papermill chdirs process-wide)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    name, src, dst, params, cwd = job
    # Kernels inherit this process's stderr: send their chatter to the run's log, not the console.
    log = os.open(Path(dst).with_name("karnlogg.txt"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 2)
    os.close(log)
    start = time.perf_counter()
    for attempt in (1, 2):
        try:
            pm.execute_notebook(src, dst, parameters=params, kernel_name="python3", cwd=cwd,
                                progress_bar=False, log_output=False, language="python")
            break
        except PapermillExecutionError as exc:
            return name, time.perf_counter() - start, [f"{exc.ename}: {exc.evalue}"]
        except RuntimeError as exc:  # kernel start collisions when run in parallel (papermill #511)
            if attempt == 2:
                return name, time.perf_counter() - start, [f"kärnan kunde inte startas: {exc}"]
    nb = nbformat.read(dst, as_version=4)
    problems = hide_code(nb)
    nbformat.write(nb, dst)
    return name, time.perf_counter() - start, problems


def execute_all(pages: list[Page], layout: Layout, staging: Path, jobs: int) -> dict[str, float]:
    prepared = staging / ".mallar"
    prepared.mkdir(parents=True)
    work = []
    for page in pages:
        src = prepared / f"{page.name}.ipynb"
        nbformat.write(prepare(layout.notebooks / page.template, page.title), src)
        work.append((page.name, str(src), str(staging / f"{page.name}.ipynb"), page.parameters, str(staging)))
    timings: dict[str, float] = {}
    failures: list[str] = []
    # Always in worker processes: papermill chdirs and the kernels' stderr is redirected per process.
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(_execute, work))
    for name, seconds, problems in results:
        timings[name] = seconds
        failures += [f"{name}.ipynb: {p}" for p in problems]
    shutil.rmtree(prepared)
    (staging / "karnlogg.txt").unlink(missing_ok=True)
    if failures:
        raise RunError("Körningen av notebooks misslyckades:\n" + "\n".join(f"  • {f}" for f in failures))
    return timings
