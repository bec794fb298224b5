"""The warm-kernel papermill engine: same notebooks out as papermill's own engine, a clean
namespace per notebook, a fresh kernel after a failure, and progress that suits its output."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tomllib

import nbformat
import pytest

from conftest import ROOT, make_project, small_data
from helpers.compute.analysis import analyse
from helpers.run import engine, kernel, progress
from helpers.run import pages as book
from helpers.run.execute import prepare, run_notebooks


def notebook(path, *sources: str) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.cells[0].metadata["tags"] = ["parameters"]
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i}"
    nbformat.write(nb, path)
    return str(path)


def run(tmp_path, jobs: list[tuple[str, list[str], dict]], engine_name=engine.ENGINE, workers: int = 1) -> dict:
    """Execute (name, cell sources, parameters) notebooks on `workers` warm kernels, in order."""
    work = [(name, notebook(tmp_path / f"{name}.in.ipynb", *cells), str(tmp_path / f"{name}.ipynb"), params,
             str(tmp_path), engine_name) for name, cells, params in jobs]
    results = {name: problems for name, _, problems in run_notebooks(work, workers, tmp_path / "karnlogg.txt")}
    return {name: (nbformat.read(tmp_path / f"{name}.ipynb", as_version=4), results[name]) for name, _, _ in jobs}


def text(nb, cell: int) -> str:
    return nb.cells[cell].outputs[0]["data"]["text/plain"]


PID = "import os\nos.getpid()"


@pytest.mark.slow
def test_notebooks_share_a_warm_kernel_but_never_a_namespace_and_a_failure_gets_a_fresh_kernel(tmp_path):
    out = run(tmp_path, [
        ("a", ["x = 1", "kvar = 'från a'", PID], {"x": 2}),
        ("b", ["x = 1", "'kvar' in globals(), x", PID], {}),
        ("c", ["x = 1", "import sys\nsys.modules['helpers']._smutsig = True\nraise ValueError('trasig')"], {}),
        ("d", ["x = 1", "import sys\ngetattr(sys.modules.get('helpers'), '_smutsig', False)", PID], {}),
    ])
    (a, pa), (b, pb), (_, pc), (d, pd) = out["a"], out["b"], out["c"], out["d"]
    assert pa == pb == pd == [] and any("trasig" in p for p in pc)
    assert text(b, 2) == text(a, 3)  # the same warm kernel ran both (a has papermill's injected cell)
    assert text(b, 1) == "(False, 1)"  # a's variables are gone; b's own parameter default holds
    assert [cell.execution_count for cell in b.cells] == [1, 2, 3]  # counted from 1, as in a new kernel
    assert text(d, 1) == "False" and text(d, 2) != text(a, 3)  # after c failed: a new kernel, nothing of c's left


def publish_as_pipeline(layout, shared, an=None):
    from helpers.run.digests import environment_digest

    digest = kernel.tree_digest(layout.data)
    an = an or analyse(2026, layout.data).derive()
    kernel.publish(an, shared, data_dir="data", cwd=layout.root.resolve(), code=kernel.code_digest(),
                   environment=environment_digest(layout.root), digest=digest)


@pytest.mark.slow
def test_kernels_use_the_pipelines_published_analysis_only_while_the_data_is_byte_for_byte_the_same(tmp_path):
    layout = make_project(tmp_path / "projekt", small_data(tmp_path / "src", ("1.2",)))
    an = analyse(2026, layout.data)
    page = next(p for p in book.pages(an.plan, 2026, "data") if p.name == "atgard_1_2")
    marked = analyse(2026, layout.data)
    marked.plan.atgarder.loc["1.2", "ansvarig"] = "Ansvarig enligt den publicerade analysen"
    shared = tmp_path / "delad-analys"

    def page_html(name: str) -> str:
        src = tmp_path / f"{name}.in.ipynb"
        nbformat.write(prepare(layout.notebooks / page.template, page.title), src)
        work = [(name, str(src), str(tmp_path / f"{name}.ipynb"), page.parameters, str(layout.root), engine.ENGINE)]
        assert [pr for _, _, pr in run_notebooks(work, 1, tmp_path / "karnlogg.txt", shared, layout.root)] == [[]]
        nb = nbformat.read(tmp_path / f"{name}.ipynb", as_version=4)
        return "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)

    publish_as_pipeline(layout, shared, marked)
    assert "Ansvarig enligt den publicerade analysen" in page_html("publicerad")  # the kernel did not analyse
    (layout.data / "2026" / "noteringar.txt").write_text("en fil till i datamappen\n", encoding="utf-8")
    fresh = page_html("efter_andring")
    assert "Ansvarig enligt den publicerade analysen" not in fresh and an.plan.atgarder.loc["1.2", "ansvarig"] in fresh


@pytest.mark.slow
def test_the_warm_engine_gives_papermills_own_notebooks_with_their_metadata(tmp_path):
    layout = make_project(tmp_path / "projekt", small_data(tmp_path / "src", ("1.1", "1.2", "5.1")))
    an = analyse(2026, layout.data)
    pages = [p for p in book.pages(an.plan, 2026, "data") if p.name in ("atgard_1_2", "malomrade_1", "atgard_5_1")]
    out = {}
    for engine_name in (engine.ENGINE, None):
        folder = tmp_path / (engine_name or "papermill")
        folder.mkdir()
        work = []
        for p in pages:
            src = folder / f"{p.name}.in.ipynb"
            nbformat.write(prepare(layout.notebooks / p.template, p.title), src)
            work.append((p.name, str(src), str(folder / f"{p.name}.ipynb"), p.parameters, str(layout.root), engine_name))
        shared = folder / "delad-analys" if engine_name else None  # as in a run: the year's analysis shared
        if engine_name:  # as in a run: the pipeline's own analysis (absolute paths, derived tables) published
            publish_as_pipeline(layout, shared)
        problems = [pr for _, _, pr in run_notebooks(work, 1, folder / "karnlogg.txt", shared, layout.root)]
        assert problems == [[], [], []]
        out[engine_name] = {p.name: nbformat.read(folder / f"{p.name}.ipynb", as_version=4) for p in pages}
        assert not engine_name or list(shared.glob("karna-*.pickle"))
    for p in pages:
        warm, plain = out[engine.ENGINE][p.name], out[None][p.name]
        assert [(c.cell_type, c.source, c.get("execution_count"), c.get("outputs")) for c in warm.cells] == \
               [(c.cell_type, c.source, c.get("execution_count"), c.get("outputs")) for c in plain.cells], p.name
        meta = warm.metadata.papermill
        assert meta.parameters == p.parameters and set(meta) == set(plain.metadata.papermill)
        assert meta.duration > 0 and meta.start_time and meta.end_time and meta.exception is None
        assert all(c.metadata.papermill.duration is not None for c in warm.cells if c.cell_type == "code")


def test_the_engine_is_registered_under_papermills_entry_point():
    from helpers.run import engine_entry

    entry = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    module, _, attr = entry["papermill.engine"][engine.ENGINE].partition(":")
    assert getattr(__import__(module, fromlist=[attr]), attr) is engine_entry.WarmEngine
    assert engine_entry._engine() is engine.WarmEngine  # the stand-in hands papermill's calls to the engine
    from papermill.engines import papermill_engines

    engine.register()
    assert papermill_engines.get_engine(engine.ENGINE) in (engine_entry.WarmEngine, engine.WarmEngine)


@pytest.mark.parametrize("first", ["helpers.run.engine", "papermill", "helpers.run.engine_entry"])
def test_papermill_and_the_engine_import_in_any_order(first):
    """papermill loads entry points while it is itself being imported: no order may deadlock them."""
    code = (f"import {first}\nimport helpers.run.engine, papermill, sys\n"
            "from papermill.engines import papermill_engines\n"
            "helpers.run.engine.register()\n"
            "print(papermill_engines.get_engine('uppfoljning').__module__)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() in ("helpers.run.engine_entry", "helpers.run.engine")


def test_a_kernel_with_stale_helper_code_refuses_to_run(monkeypatch, tmp_path):
    digests = iter(["kod 1", "kod 1", "kod 2"])
    monkeypatch.setattr(kernel, "code_digest", lambda: next(digests))
    monkeypatch.setattr(kernel, "_state", {})
    monkeypatch.setattr(kernel, "warm_up", lambda: kernel._state.update(code=kernel.code_digest()))
    monkeypatch.chdir(tmp_path)
    kernel.prepare(str(tmp_path), first=True)
    kernel.prepare(str(tmp_path), first=False)  # unchanged: fine
    with pytest.raises(kernel.StaleKernel):
        kernel.prepare(str(tmp_path), first=False)


def test_progress_is_plain_lines_off_a_terminal_and_a_bar_on_one(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")

    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert isinstance(progress.make(True, Tty()), progress.Bar)
    assert isinstance(progress.make(True, io.StringIO()), progress.Lines)
    assert isinstance(progress.make(False, Tty()), progress.Silent)
    monkeypatch.setenv("CI", "true")
    assert type(progress.make(True, Tty())) is progress.Lines

    out = io.StringIO()
    p = progress.make(True, out)
    p.begin(3)
    p.page("samlad_analys", 0.0, cached=True)
    p.page("atgard_1_1", 2.25, cached=False)
    p.close()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[1/3] samlad_analys: från cache –") and "2 kvar, 1 från cache" in lines[0]
    assert lines[1].startswith("[2/3] atgard_1_1: kördes (2,2 s) –") and "1 kvar, 1 från cache" in lines[1]

    tty = Tty()
    bar = progress.make(True, tty)
    bar.begin(2)
    bar.page("atgard_1_1", 1.0, cached=True)
    bar.close()
    assert "1/2" in tty.getvalue() and "atgard_1_1" in tty.getvalue() and "1 från cache" in tty.getvalue()


def test_a_warm_kernel_analyses_the_year_once_per_data_state_and_hands_out_fresh_copies(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("x;1\n", encoding="utf-8")
    calls = []

    def original(year, data_dir):
        calls.append(year)
        return {"ar": year, "lista": [1]}

    analyse_ = kernel._memoised_analyse(original)
    first = analyse_(2026, data)
    first["lista"].append(2)  # a notebook that changes its copy changes nobody else's
    assert analyse_(2026, data) == {"ar": 2026, "lista": [1]} and len(calls) == 1
    (data / "a.csv").write_text("x;2\n", encoding="utf-8")  # one changed byte: analysed again
    analyse_(2026, data)
    analyse_(2025, data)
    assert calls == [2026, 2026, 2025]


def test_the_cli_offers_a_run_without_the_cache():
    from helpers.cli import build_parser

    assert build_parser().parse_args(["rapport", "--ar", "2026", "--utan-cache"]).utan_cache is True
    assert build_parser().parse_args(["rapport", "--ar", "2026"]).utan_cache is False


def test_the_pipeline_names_the_engine_it_registers():
    from helpers.run.execute import WARM_ENGINE

    assert WARM_ENGINE == engine.ENGINE


def test_a_warning_while_warming_up_fails_like_it_would_in_a_pages_first_cell(monkeypatch, tmp_path):
    (tmp_path / "varnande_modul.py").write_text("import warnings\nwarnings.warn('gammalt gränssnitt', UserWarning)\n",
                                               encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(kernel, "HEAVY", ("varnande_modul",))
    with pytest.raises(RuntimeError, match="gammalt gränssnitt"):
        kernel.warm_up()


def test_kernels_share_one_analysis_through_the_project_cache_while_every_part_of_the_key_holds(tmp_path, monkeypatch):
    monkeypatch.setenv(kernel.SHARED, str(tmp_path / "lager"))
    monkeypatch.setattr(kernel, "_state", {"code": "kod", "environment": "miljö"})
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("x;1\n", encoding="utf-8")
    calls = []
    analyse_ = kernel._memoised_analyse(lambda year, data_dir: calls.append(year) or {"ar": year})
    assert analyse_(2026, "data") == {"ar": 2026}
    kernel._state["analyse"].clear()  # another kernel, or a later run: nothing in memory
    assert analyse_(2026, "data") == {"ar": 2026} and calls == [2026]  # read from the shared file
    kernel._state["analyse"].clear()
    kernel._state["code"] = "annan kod"
    analyse_(2026, "data")
    kernel._state["analyse"].clear()
    (data / "a.csv").write_text("x;2\n", encoding="utf-8")
    analyse_(2026, "data")
    assert calls == [2026, 2026, 2026]
