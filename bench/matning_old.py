"""`make bench`: what a report run costs, measured on the shipped data, in one run.

Four cases, each measured `repeat` times, interleaved so that load from other programs hits
them alike, reported as medians and as ratios to the plain way:

(a) the plain way: every page through the `papermill` CLI one after another, then a clean
    `jupyter-book build`;
(b) `make report` cold: a fresh copy of the project, no cache, no earlier build;
(c) `make report` again with nothing changed;
(d) `make report` after one changed indicator value (one åtgärd).

Peak memory is the largest sum of resident memory over a run's process tree (sampled with
psutil every 50 ms; shared pages are counted in every process, so it errs high). Then six
editions, the plan's years (forsta_ar–sista_ar of the plan: block in _config.yml), are built one after
another in one project, the years after the shipped data filled
with exempeldata generated here for the benchmark (labelled `.exempeldata.csv`, never shipped):
how the cost of one more edition grows, by kind of process (the command, kernels, workers, Jupyter
Book). Last, the sixth edition is built in turns as the sixth and as the only edition of a fresh
project with the same data, and the first edition as the only edition of another, in turns for at
least `PAIR_ROUNDS` rounds (every order of the three equally often): what earlier editions add with the
content held equal (the target: a 95 % upper bound within `MARGIN`), and what the later edition's
larger content adds.

Everything runs in a temporary copy of the project; the project's own published editions, data
and build folder are never touched. Results go to bench/resultat.json and docs/prestanda.md.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import itertools
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

import nbformat

from helpers.run import pages as book
from helpers.run.execute import prepare
from helpers.core.layout import Layout
from helpers.core.errors import RunError, display_path
from helpers.core.fmt import number_sv, signed_sv
from helpers.core.fs import write_text_atomic
from helpers.data.config import load_config

TARGETS = {"kall": 0.20, "oforandrad": 0.05, "ett_varde": 0.15}
# The plan's years, from the plan: block of the project's _config.yml (helpers.data.config).
EDITIONS = load_config(Path(__file__).resolve().parents[1] / "_config.yml").ar
CHANGED = ("1.1-1", "58", "59")  # indicator, shipped value, the value it is corrected to (and back)


# --- measuring ------------------------------------------------------------------------------------

class Run(NamedTuple):
    """One measured run: wall seconds, peak memory (bytes), processor seconds of every process, and
    those processor seconds by kind of process (`KINDS`; what the sampler could not place is in
    "övrigt")."""

    seconds: float
    peak: int
    cpu: float
    parts: dict[str, float]


KINDS = ("huvudprocessen", "kärnorna", "Jupyter Book", "arbetsprocesserna")


def _kind(proc, root_pid: int) -> str:
    """What a process of a report run is: the command itself, a kernel, the book build, or a worker."""
    if proc.pid == root_pid:
        return "huvudprocessen"
    try:
        line = " ".join(proc.cmdline())
    except Exception:  # gone already
        return "övrigt"
    if "ipykernel" in line:
        return "kärnorna"
    if "jupyter-book" in line or "sphinx" in line:
        return "Jupyter Book"
    return "arbetsprocesserna"


class Peak:
    """The largest total RSS of a process tree while it runs, and each process's processor time as
    last seen (a sampling thread)."""

    def __init__(self, pid: int, every: float = 0.05):
        import psutil

        self.root = psutil.Process(pid)
        self.every, self.peak, self._stop = every, 0, threading.Event()
        self.cpu: dict[int, tuple[str, float]] = {}
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                    times = p.cpu_times()
                    kind = self.cpu[p.pid][0] if p.pid in self.cpu else _kind(p, self.root.pid)
                    self.cpu[p.pid] = (kind, times.user + times.system)
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def stop(self) -> int:
        self._stop.set()
        self.thread.join()
        return self.peak

    def by_kind(self) -> dict[str, float]:
        out = dict.fromkeys(KINDS, 0.0)
        for kind, seconds in self.cpu.values():
            out[kind] = out.get(kind, 0.0) + seconds
        return out


def run_measured(commands: list[list[str]], cwd: Path) -> Run:
    """Run commands one after another: wall seconds in total, the peak memory of any of them, and
    the processor seconds of all their processes (user + system; kernels and Jupyter Book included,
    each is waited for by its parent), also by kind of process. Processor time depends less than
    wall time on what else the machine runs, but not nothing: on a shared machine the same run can
    differ by a tenth."""
    t0 = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, parts = 0, dict.fromkeys(KINDS, 0.0)
    for cmd in commands:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env={**os.environ, "CI": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
        sampler = Peak(proc.pid)
        out, _ = proc.communicate()
        peak = max(peak, sampler.stop())
        for kind, seconds in sampler.by_kind().items():
            parts[kind] = parts.get(kind, 0.0) + seconds
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:4])} … misslyckades (kod {proc.returncode}):\n{out[-3000:]}")
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    parts["övrigt"] = max(0.0, cpu - sum(v for k, v in parts.items() if k != "övrigt"))
    return Run(time.perf_counter() - t0, peak, cpu, parts)


def report_cmd(root: Path, year: int) -> list[str]:
    return [sys.executable, "-m", "helpers", "--rot", str(root), "rapport", "--ar", str(year)]


# --- the project copies -----------------------------------------------------------------------------

def copy_project(layout: Layout, dest: Path, data: Path | None = None) -> Layout:
    """A throwaway project: templates, book sources, config, the lock file and the data."""
    dest.mkdir(parents=True)
    shutil.copytree(layout.notebooks, dest / "notebooks")
    shutil.copytree(layout.book, dest / "book", ignore=lambda d, names: [n for n in names if n[:1].isdigit() or n[:1] == "."])
    shutil.copy(layout.config, dest / "_config.yml")
    if (layout.root / "constraints.txt").exists():
        shutil.copy(layout.root / "constraints.txt", dest / "constraints.txt")
    shutil.copytree(data or layout.data, dest / "data")
    return Layout.at(dest)


def plain_commands(layout: Layout, year: int, work: Path) -> list[list[str]]:
    """The plain way: prepared notebooks, one `papermill` CLI call per page, then a clean build."""
    from helpers.publish.pipeline import write_book_sources
    from helpers.evidence.provenance import note_markdown, provenance
    from helpers.compute.analysis import analyse

    an = analyse(year, layout.data)
    page_list = book.pages(an.plan, year, os.path.relpath(layout.data, layout.root))
    src, out = work / "mallar", work / "bok"
    src.mkdir(parents=True)
    out.mkdir(parents=True)
    papermill = Path(sys.executable).with_name("papermill")
    commands = []
    for page in page_list:
        nbformat.write(prepare(layout.notebooks / page.template, page.title), src / f"{page.name}.ipynb")
        cmd = [str(papermill), str(src / f"{page.name}.ipynb"), str(out / f"{page.name}.ipynb"), "--cwd", str(layout.root),
               "-k", "python3", "--no-progress-bar"]
        for k, v in page.parameters.items():
            cmd += ["-p" if isinstance(v, int) else "-r", k, str(v)]
        commands.append(cmd)
    write_book_sources(layout, an, page_list, out, note_markdown(provenance(layout), year),
                       book.config(layout.config, year, exempeldata=an.exempeldata))
    hide = [sys.executable, "-c", "import sys, nbformat\nfrom helpers.run.execute import hide_code\n"
            "for p in sys.argv[1:]:\n    nb = nbformat.read(p, as_version=4); hide_code(nb); nbformat.write(nb, p)",
            *[str(out / f"{p.name}.ipynb") for p in page_list]]
    jb = Path(sys.executable).with_name("jupyter-book")
    return [*commands, hide, [str(jb), "build", str(out), "--builder", "html", "-W", "-n", "--keep-going"]]


def set_value(data: Path, year: int, indicator: str, value: str) -> None:
    """Correct one indicator value in place (the benchmark's copy only)."""
    path = next((data / str(year)).glob("indikatorvarden*.csv"))
    rows, fields = _read(path)
    for r in rows:
        if r["indikator_id"] == indicator:
            r["varde"] = value
    _write(path, rows, fields)


def _read(path: Path) -> tuple[list[dict], list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        return list(reader), list(reader.fieldnames or [])


def _write(path: Path, rows: list[dict], fields: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, delimiter=";", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


# --- exempeldata for later editions ---------------------------------------------------------------

NEXT_STATUS = {"ej påbörjad": "pågående", "pågående": "genomförd"}


def _shift(date: str, years: int) -> str:
    if not date:
        return date
    d = dt.date.fromisoformat(date)
    return d.replace(year=d.year + years, day=min(d.day, 28) if d.month == 2 else d.day).isoformat()


def _number(text: str) -> float | None:
    return float(text.replace(",", ".")) if text.strip() else None


def _swedish(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",") if decimals else str(int(round(value)))


def generate_year(data: Path, year: int, seed: int = 12) -> None:
    """data/<year>/ as exempeldata, from the year before: periods a year on, statuses a step
    further now and then, values drifting a few per cent, within each indicator's allowed range."""
    rng = random.Random(seed * 10000 + year)
    src, dst = data / str(year - 1), data / str(year)
    dst.mkdir()
    meta = {r["indikator_id"]: r for r in _read(data / "plan" / "indikatorer.csv")[0]}
    status, fields = _read(next(src.glob("status*.csv")))
    for r in status:
        r["period_fran"], r["period_till"] = _shift(r["period_fran"], 1), _shift(r["period_till"], 1)
        if r["status"] in NEXT_STATUS and rng.random() < 0.4:
            r["status"] = NEXT_STATUS[r["status"]]
        r["kommentar"] = f"Exempeldata för {year}, genererad för prestandamätningen (make bench)."
    _write(dst / "status.exempeldata.csv", status, fields)
    values, fields = _read(next(src.glob("indikatorvarden*.csv")))
    for r in values:
        m, v = meta.get(r["indikator_id"], {}), _number(r["varde"])
        if v is None or m.get("typ") not in ("antal", "andel", "index", "betyg"):
            continue
        v *= 1 + rng.uniform(-0.05, 0.10)
        low, high = {"andel": (0, 100), "index": (0, 100), "betyg": (1, 6)}.get(m["typ"], (0, float("inf")))
        v = min(max(v, low), high)
        whole = m["typ"] == "antal" and m.get("enhet") == "st"
        r["varde"] = _swedish(v, 0 if whole else 1)
    _write(dst / "indikatorvarden.exempeldata.csv", values, fields)
    lardomar = next(src.glob("lardomar*.csv"), None)
    if lardomar is not None:
        shutil.copy(lardomar, dst / "lardomar.exempeldata.csv")


# --- the benchmark ------------------------------------------------------------------------------------

def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def main(layout: Layout, year: int = 2026, repeat: int = 3, out: Path | None = None, doc: Path | None = None) -> int:
    repeat = max(1, repeat)
    runs: dict[str, list[Run]] = {"vanligt": [], "kall": [], "oforandrad": [], "ett_varde": []}
    load_before = os.getloadavg()
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="uppf-bench-") as tmp:
        tmp = Path(tmp)
        for r in range(repeat):
            plain = copy_project(layout, tmp / f"vanligt{r}")
            runs["vanligt"].append(run_measured(plain_commands(plain, year, tmp / f"vanligt{r}-arbete"), plain.root))
            _say("a) vanliga sättet", r, repeat, runs["vanligt"][-1])
            proj = copy_project(layout, tmp / f"rapport{r}")
            runs["kall"].append(run_measured([report_cmd(proj.root, year)], proj.root))
            _say("b) make report, kall", r, repeat, runs["kall"][-1])
            runs["oforandrad"].append(run_measured([report_cmd(proj.root, year)], proj.root))
            _say("c) inget ändrat", r, repeat, runs["oforandrad"][-1])
            indicator, shipped, corrected = CHANGED
            set_value(proj.data, year, indicator, corrected)
            runs["ett_varde"].append(run_measured([report_cmd(proj.root, year)], proj.root))
            _say("d) ett ändrat värde", r, repeat, runs["ett_varde"][-1])
            shutil.rmtree(plain.root)
            shutil.rmtree(tmp / f"vanligt{r}-arbete")
            shutil.rmtree(proj.root)
        editions, pair = _editions(layout, tmp / "utgavor", repeat)
    results = _summary(year, repeat, runs, editions, load_before, time.perf_counter() - t_all, pair)
    return _save(results, out or layout.root / "bench" / "resultat.json", doc or layout.root / "docs" / "prestanda.md")


def _say(what: str, r: int, repeat: int, run: Run) -> None:
    print(f"{what} ({r + 1}/{repeat}): {run.seconds:.1f} s, processortid {run.cpu:.1f} s, "
          f"toppminne {run.peak / 2**20:.0f} MB", flush=True)


def _parts(runs: list[Run]) -> dict[str, float]:
    """The median processor seconds of each kind of process over the runs."""
    kinds = list(dict.fromkeys(k for m in runs for k in m.parts))
    return {k: round(_median([m.parts.get(k, 0.0) for m in runs]), 1) for k in kinds}


def _editions(layout: Layout, root: Path, repeat: int) -> tuple[list[dict], dict]:
    """Six editions in one project. First each is made in turn, oldest first, as in real use, and
    run once more unchanged. Then each is measured cold (the cache and book build cleared) in
    `_edition_rounds(repeat)` rounds, all six published beside it, each round in another order so
    that every edition is built at every place equally often: a change in the machine's load over
    the series lands on all editions alike instead of looking like growth. Then the first and the
    last again, in turns (`_sixth_vs_first`)."""
    data = root / "data-kalla"
    shutil.copytree(layout.data, data)
    for y in EDITIONS:
        if not (data / str(y)).exists():
            generate_year(data, y)
    proj = copy_project(layout, root / "projekt", data)
    again = {}
    for y in EDITIONS:
        _say(f"utgåva {y}, första bygget", 0, 1, run_measured([report_cmd(proj.root, y)], proj.root))
        again[y] = run_measured([report_cmd(proj.root, y)], proj.root)
    times: dict[int, list[Run]] = {y: [] for y in EDITIONS}
    rounds = _edition_rounds(repeat)
    for r in range(rounds):
        for y in _edition_order(r):
            shutil.rmtree(proj.build / "cache", ignore_errors=True)
            shutil.rmtree(proj.build / "bok", ignore_errors=True)
            times[y].append(run_measured([report_cmd(proj.root, y)], proj.root))
            _say(f"utgåva {y}", r, rounds, times[y][-1])
    out = []
    for y in EDITIONS:
        parts = _history_costs(proj.data, y)
        out.append({"ar": y, "ar_med_data": len([d for d in proj.data.iterdir() if d.name.isdigit() and int(d.name) <= y]),
                    "analys_cpu_s": round(parts[0], 2), "tidsserier_cpu_s": round(parts[1], 2), "diagram": _charts(proj, y),
                    "kall_s": round(_median([m.seconds for m in times[y]]), 1),
                    "kall_cpu_s": round(_median([m.cpu for m in times[y]]), 1),
                    "kall_cpu_delar_s": _parts(times[y]),
                    "oforandrad_s": round(again[y][0], 1), "omgangar": rounds,
                    "toppminne_mb": round(max(m.peak for m in times[y]) / 2**20)})
    return out, _sixth_vs_first(layout, proj, root, data, max(PAIR_ROUNDS, 8 * repeat))


def _edition_rounds(repeat: int) -> int:
    """At least `repeat` rounds, a whole number of rotations, so each edition is at each place alike."""
    n = len(EDITIONS)
    return -(-max(repeat, 2) // n) * n


def _edition_order(r: int) -> list[int]:
    """Round r's order: 0, 1, n-1, 2, n-2, … rotated by r (a Williams design), so that in n rounds
    each edition comes once at each place and once directly after each other edition."""
    n = len(EDITIONS)
    base = [0] + [(k + 1) // 2 if k % 2 else n - k // 2 for k in range(1, n)]  # 0, 1, n-1, 2, n-2, ...
    return [EDITIONS[(b + r) % n] for b in base]


def _sixth_vs_first(layout: Layout, proj: Layout, root: Path, data: Path, rounds: int) -> dict:
    """The target "the sixth edition costs no more than the first", measured cold in turns, `rounds`
    times, each case first, middle and last in turn: the first edition (2025) as a project's first
    is made (a fresh project, nothing published), the sixth (2030 in `proj`, five editions published
    beside it), and the sixth's content as the only edition of a fresh project. Sixth against only
    is what earlier editions add, the content held equal; only against first is what the later
    edition's larger content adds. Rounds pair the cases, so load from other programs hits a pair alike."""
    first, last = EDITIONS[0], EDITIONS[-1]
    builds = {"forsta": (copy_project(layout, root / "forsta", data), first), "sjatte": (proj, last),
              "enda": (copy_project(layout, root / "ensam", data), last)}
    runs: dict[str, list[Run]] = {key: [] for key in builds}
    orders = list(itertools.permutations(builds))  # every order equally often: no case always follows another
    rounds = -(-rounds // len(orders)) * len(orders)
    for r in range(rounds):
        for key in orders[r % len(orders)]:
            where, year = builds[key]
            shutil.rmtree(where.build / "cache", ignore_errors=True)
            shutil.rmtree(where.build / "bok", ignore_errors=True)
            runs[key].append(run_measured([report_cmd(where.root, year)], where.root))
            _say(f"utgåva {year} ({CASE_WORDS[key]})", r, rounds, runs[key][-1])
    cpu = {key: [round(m.cpu, 2) for m in v] for key, v in runs.items()}  # compared as stored: resultat.json reproduces it
    return {"forsta_ar": first, "sista_ar": last, "omgangar": rounds,
            "publicerade": {key: sorted(int(d.name) for d in where.book.iterdir() if d.name.isdigit())
                            for key, (where, _) in builds.items()},
            "cpu_s": {key: round(_median([m.cpu for m in v]), 1) for key, v in runs.items()},
            "s": {key: round(_median([m.seconds for m in v]), 1) for key, v in runs.items()},
            "alla_cpu_s": cpu,
            "cpu_delar_s": {key: _parts(v) for key, v in runs.items()},
            "toppminne_mb": round(max(m.peak for v in runs.values() for m in v) / 2**20),
            "diagram": {key: _charts(where, year) for key, (where, year) in builds.items()},
            "jamforelser": {f"{a}_{b}": compare(cpu[a], cpu[b]) for a, b in PAIRS}}


def _charts(proj: Layout, year: int) -> int:
    """The charts in an edition's published HTML."""
    return sum(page.read_text(encoding="utf-8").count('class="uppf-diagram"') for page in proj.html(year).glob("*.html"))


CASE_WORDS = {"forsta": "första utgåvan, ensam i ett nytt projekt", "sjatte": "sjätte utgåvan, fem publicerade bredvid",
              "enda": "sjätte utgåvans innehåll, ensam i ett nytt projekt"}
PAIRS = (("sjatte", "enda"), ("enda", "forsta"), ("sjatte", "forsta"))
SIXTH_GOAL = "sjätte utgåvan ≤ första, samma innehåll (tidigare utgåvor gör inte en ny dyrare)"
MORE = 0.05  # a one-sided test below this level shows the first case costing more than the second
PAIR_ROUNDS = 24  # fixed before the verdict is read: four rounds for each order of the three builds
MARGIN = 0.05  # the target's tolerance: the sixth may cost at most this share more (95 % upper bound)
LEVEL = 0.95  # the confidence of the upper bound


def compare(a: list[float], b: list[float]) -> dict:
    """Paired processor seconds of two cases, one pair per round: the ratio of medians, the typical
    difference per round (Hodges–Lehmann) with its one-sided upper bound at `LEVEL` (from the exact
    Wilcoxon signed-rank distribution), how many rounds `a` cost more, and the one-sided Wilcoxon
    p-value that `a` costs more than `b`. A small p is a measured extra cost, but a large p alone
    shows nothing: that `a` costs at most a little more is what a small upper bound shows. The bound
    and p come from the same test, so they cannot disagree; verdicts use unrounded figures."""
    from scipy import stats

    diffs = [x - y for x, y in zip(a, b)]
    p = float(stats.wilcoxon(diffs, alternative="greater").pvalue) if any(diffs) else 1.0
    walsh = walsh_averages(diffs)
    c = _signrank_critical(len(diffs), 1 - LEVEL)
    upper = walsh[len(walsh) - 1 - c] if c >= 0 else float("inf")  # T+ at t counts the Walsh averages above t
    share = upper / _median(b)
    k = int(stats.binom.ppf(LEVEL, len(diffs), 0.5))  # the sign test's bound for the median: no symmetry assumed
    sign_upper = sorted(diffs)[k] if k < len(diffs) else float("inf")
    return {"kvot": round(_median(a) / _median(b), 3), "skillnad_s": round(_median(walsh), 2),
            "ovre_grans_s": round(upper, 2), "ovre_grans_andel": round(share, 3), "inom_marginalen": share <= MARGIN,
            "ovre_grans_teckentest_andel": round(sign_upper / _median(b), 3),
            "dyrare_i": sum(d > 0 for d in diffs), "omgangar": len(diffs), "p": round(p, 3), "dyrare": p < MORE}


def walsh_averages(diffs: list[float]) -> list[float]:
    """Every (d_i + d_j) / 2 with i ≤ j, sorted: their median is the Hodges–Lehmann estimate, and
    the signed-rank statistic at a shift t counts those above t."""
    return sorted((x + y) / 2 for i, x in enumerate(diffs) for y in diffs[i:])


def _signrank_critical(n: int, alpha: float) -> int:
    """The largest c with P(T+ <= c) <= alpha for the signed-rank statistic of n untied differences
    (exact, by counting subsets of the ranks 1..n), or -1 when no c is that rare (n too small)."""
    counts = [1]
    for k in range(1, n + 1):
        grown = counts + [0] * k
        for s, c in enumerate(counts):
            grown[s + k] += c
        counts = grown
    total, below, c = 2**n, 0, -1
    for s, count in enumerate(counts):
        below += count
        if below / total > alpha:
            break
        c = s
    return c


def _history_costs(data: Path, year: int) -> tuple[float, float]:
    """The parts that grow with the years an edition reads, in this process's processor seconds
    (best of three): `analyse()` of the year, and every åtgärd's time-series charts."""
    from helpers.compute.analysis import analyse
    from helpers.present.indikatorer import indicator_trends

    def best(fn) -> float:
        times = []
        for _ in range(3):
            t = time.process_time()
            fn()
            times.append(time.process_time() - t)
        return min(times)

    an = analyse(year, data)
    return best(lambda: analyse(year, data)), best(lambda: [indicator_trends(an, a) for a in an.plan.order])


def _slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares growth of ys per step of xs."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else float("nan")


def _sixth_goal(pair: dict) -> bool:
    """The sixth edition's target: earlier editions provably add at most `MARGIN` (same content)."""
    return pair["jamforelser"]["sjatte_enda"]["inom_marginalen"]


def restate(res: dict) -> dict:
    """The results with the comparisons and the sixth edition's verdict derived again from the rounds'
    stored processor seconds, as the code judges them now, marked with when that was done: a change in
    how rounds are judged applies to a run already made, and anyone can check a verdict from the raw figures."""
    res = copy.deepcopy(res)
    try:
        pair = res["sjatte_och_forsta"]
        pair["jamforelser"] = {f"{a}_{b}": compare(pair["alla_cpu_s"][a], pair["alla_cpu_s"][b]) for a, b in PAIRS}
        res["mal"][SIXTH_GOAL] = _sixth_goal(pair)
    except (KeyError, TypeError) as exc:
        raise RunError(f"Mätresultatet saknar omgångarnas mätvärden ({exc}): det kommer från en äldre "
                       "make bench. Mät om med make bench.") from None
    res["mal_uppfyllda"] = all(res["mal"].values())
    res["harlett_igen"] = dt.datetime.now().replace(microsecond=0).isoformat()
    return res


def rewrite(layout: Layout, out: Path | None = None, doc: Path | None = None) -> int:
    """`bench --rakna-om`: restate the stored results and write them and their report again, measuring nothing."""
    out = out or layout.root / "bench" / "resultat.json"
    try:
        res = json.loads(out.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunError(f"Det finns ingen mätning att räkna om: {display_path(out, layout.root)} saknas. Kör make bench först.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RunError(f"{display_path(out, layout.root)} går inte att läsa som JSON ({exc}). Mät om med make bench.") from None
    res = restate(res)
    try:
        text = markdown(res)
    except (KeyError, TypeError, IndexError, ValueError) as exc:  # written by an older make bench: nothing is rewritten
        raise RunError(f"{display_path(out, layout.root)} saknar mätvärden som rapporten behöver ({exc!r}): det kommer "
                       "från en äldre make bench. Mät om med make bench.") from None
    return _save(res, out, doc or layout.root / "docs" / "prestanda.md", text)


def _save(results: dict, out: Path, doc: Path, text: str | None = None) -> int:
    """Both files are built before either is written, so a report that cannot be made leaves them as they were."""
    text = markdown(results) if text is None else text
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    doc.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(doc, text)
    print()
    print(table(results))
    print(f"\nResultat: {out}\nTabell: {doc}")
    return 0 if results["mal_uppfyllda"] else 1


def _summary(year, repeat, runs, editions, load_before, total, pair: dict | None = None) -> dict:
    med = {k: _median([m.seconds for m in v]) for k, v in runs.items()}
    cpu = {k: _median([m.cpu for m in v]) for k, v in runs.items()}
    mem = {k: max(m.peak for m in v) / 2**20 for k, v in runs.items()}
    ratios = {k: med[k] / med["vanligt"] for k in TARGETS}
    sixth_vs_first = editions[-1]["kall_s"] / editions[0]["kall_s"] if editions else float("nan")
    sixth_vs_first_cpu = editions[-1]["kall_cpu_s"] / editions[0]["kall_cpu_s"] if editions else float("nan")
    met = {f"{k} ≤ {v:.2f} × vanligt": ratios[k] <= v for k, v in TARGETS.items()}
    if pair:
        met[SIXTH_GOAL] = _sixth_goal(pair)
    met["toppminne < 2 GB"] = (max(mem.values()) < 2048 and all(e["toppminne_mb"] < 2048 for e in editions)
                               and (pair or {}).get("toppminne_mb", 0) < 2048)
    return {
        "ar": year, "upprepningar": repeat, "python": platform.python_version(), "karnor": os.cpu_count(),
        "datum": dt.datetime.now().replace(microsecond=0).isoformat(),
        "last_fore": [round(x, 2) for x in load_before], "last_efter": [round(x, 2) for x in os.getloadavg()],
        "total_tid_s": round(total),
        "median_s": {k: round(v, 1) for k, v in med.items()},
        "median_cpu_s": {k: round(v, 1) for k, v in cpu.items()},
        "alla_s": {k: [round(m.seconds, 1) for m in v] for k, v in runs.items()},
        "alla_cpu_s": {k: [round(m.cpu, 1) for m in v] for k, v in runs.items()},
        "kvot_mot_vanligt": {k: round(v, 3) for k, v in ratios.items()},
        "toppminne_mb": {k: round(v) for k, v in mem.items()},
        "utgavor": editions, "sjatte_mot_forsta": round(sixth_vs_first, 2),
        "sjatte_mot_forsta_cpu": round(sixth_vs_first_cpu, 2),
        "tillvaxt_cpu_s_per_utgava": round(_slope([e["ar"] for e in editions], [e["kall_cpu_s"] for e in editions]), 2)
        if len(editions) > 1 else None,
        "sjatte_och_forsta": pair,
        "mal": met, "mal_uppfyllda": all(met.values()),
    }


CASES = [("vanligt", "a) vanliga sättet: papermill-CLI per sida, sedan rent jupyter-book build"),
         ("kall", "b) `make report` kall (ingen cache, inget tidigare bygge)"),
         ("oforandrad", "c) `make report` igen, inget ändrat"),
         ("ett_varde", "d) `make report` efter ett ändrat indikatorvärde")]


def table(res: dict) -> str:
    lines = ["| körning | median (s) | kvot mot a | mål | processortid (s) | toppminne (MB) |",
             "|---|---:|---:|---:|---:|---:|"]
    for key, label in CASES:
        ratio = "1" if key == "vanligt" else _sv(res["kvot_mot_vanligt"][key], 3)
        goal = f"≤ {_sv(TARGETS[key], 2)}" if key in TARGETS else ""
        lines.append(f"| {label} | {_sv(res['median_s'][key])} | {ratio} | {goal} | "
                     f"{_sv(res['median_cpu_s'][key])} | {res['toppminne_mb'][key]} |")
    return "\n".join(lines)


def _sv(x, decimals: int | None = None) -> str:
    """A measured figure as Swedish text (decimal comma, real minus sign), with the decimals it was
    rounded to unless told otherwise."""
    if x is None or x == "":  # not measured (an older results file)
        return ""
    return number_sv(x, len(str(x).partition(".")[2]) if decimals is None else decimals)


def _goal_label(key: str) -> str:
    """'oforandrad ≤ 0.05 × vanligt' as a reader says it: 'inget ändrat ≤ 0,05 × vanligt'."""
    for code, words in (("oforandrad", "inget ändrat"), ("ett_varde", "ett ändrat värde")):
        key = key.replace(code, words)
    return re.sub(r"(\d)\.(\d)", r"\1,\2", key)


def _restated_sv(res: dict) -> str:
    """Says so when the comparisons were derived again from the stored rounds after the run."""
    if not res.get("harlett_igen"):
        return ""
    return (f" Jämförelserna och målen räknades om {res['harlett_igen']} från mätningens sparade omgångar "
            "(`python -m helpers bench --rakna-om`), utan att något mättes på nytt.")


def _edition_rounds_sv(res: dict) -> str:
    """How the editions' cold builds were ordered, as the report says it."""
    rounds = res["utgavor"][0]["omgangar"]
    return (f"i {rounds} omgångar, varje omgång i en annan ordning, så att varje utgåva byggdes lika ofta "
            "på varje plats i omgången och lika ofta direkt efter varje annan: en ändring i maskinens "
            "belastning under serien drabbar alla utgåvor lika och syns inte som tillväxt")


def _later_editions(eds: list[dict]) -> str:
    """What the editions after the first cost: the first has no year before it to compare with."""
    if len(eds) < 3:
        return ""
    second, last = eds[1], eds[-1]
    ratio = last["kall_cpu_s"] / second["kall_cpu_s"]
    slope = _slope([e["ar"] for e in eds[1:]], [e["kall_cpu_s"] for e in eds[1:]])
    sv = _sv
    return (f"Från den första utgåvan till den andra: {sv(eds[0]['kall_cpu_s'])} → {sv(second['kall_cpu_s'])} s "
            f"processortid (den första har inget föregående år: inga förändringar mot året före, inga "
            f"NKI-jämförelser år för år och färre diagram). Från den andra utgåvan ({second['ar']}) till den "
            f"sjätte ({last['ar']}) är kvoten {sv(ratio, 2)} och tillväxten {sv(slope, 2)} s per "
            f"utgåva. Samma utgåva kan skilja någon sekund i processortid mellan två mätningar på den här "
            f"maskinen; jämförelsen i omgångar nedan skiljer vad tidigare utgåvor kostar från vad innehållet kostar.")


def _parts_text(eds: list[dict]) -> str:
    """Where an edition's processor time goes, by kind of process, and what grew from the first to the last."""
    eds = [e for e in eds if e.get("kall_cpu_delar_s")]
    if not eds:
        return ""
    sv = lambda x: _sv(x, 1)  # noqa: E731
    kinds = list(dict.fromkeys(k for e in eds for k in e["kall_cpu_delar_s"]))
    lines = ["| utgåva | " + " | ".join(kinds) + " |", "|---|" + "---:|" * len(kinds)]
    lines += [f"| {e['ar']} | " + " | ".join(sv(e["kall_cpu_delar_s"].get(k, 0.0)) for k in kinds) + " |" for e in eds]
    first, last = eds[0]["kall_cpu_delar_s"], eds[-1]["kall_cpu_delar_s"]
    growth = ", ".join(f"{k} {signed_sv(last.get(k, 0) - first.get(k, 0), 1)} s" for k in kinds)
    return ("Processortiden för en kall utgåva per slags process (s, median; mätt var 50:e ms per process, "
            "det som inte hanns mätas innan en process slutade står under *övrigt*):\n\n" + "\n".join(lines)
            + f"\n\nFrån {eds[0]['ar']} till {eds[-1]['ar']}: {growth}. *Kärnorna* kör sidorna (diagram och underlag), "
            "*huvudprocessen* kontrollerar och analyserar indata, lägger upp körningen och publicerar, "
            "*arbetsprocesserna* skickar notebooks till kärnorna och sparar dem, och *Jupyter Book* bygger HTML.")


def _p_sv(p: float) -> str:
    return "< 0,001" if p < 0.001 else _sv(round(p, 3), 3)


def _sixth_vs_first_text(res: dict) -> str:
    """The first, the sixth and the sixth's content alone, measured in turns: the target judged on
    what earlier editions add, next to what the larger content adds."""
    pair = res.get("sjatte_och_forsta")
    if not pair:
        return ""
    sv, first, last = _sv, pair["forsta_ar"], pair["sista_ar"]
    rows = []
    for key, label in (("forsta", f"första utgåvan, {first}, ensam i ett nytt projekt"),
                       ("sjatte", f"sjätte utgåvan, {last}, med tidigare utgåvor publicerade bredvid"),
                       ("enda", f"{last} ensam i ett nytt projekt (samma innehåll som den sjätte)")):
        rows.append(f"| {label} | {', '.join(str(y) for y in pair['publicerade'][key])} | {sv(pair['s'][key])} | "
                    f"{sv(pair['cpu_s'][key])} | {', '.join(_sv(c, 1) for c in pair['alla_cpu_s'][key])} |")
    cmp_head = ("| jämförelse | vad den mäter | kvot (processortid, medianer) | typisk skillnad per omgång (s) "
                "| övre gräns för skillnaden (95 %) | dyrare i | p (ensidigt Wilcoxon) |")
    cmp_rows = []
    for key, label, what in (("sjatte_enda", "sjätte mot samma innehåll ensam", "vad tidigare utgåvor kostar en ny (målet)"),
                             ("enda_forsta", f"{last} ensam mot {first} ensam", "vad det större innehållet kostar"),
                             ("sjatte_forsta", "sjätte mot första", "båda tillsammans")):
        c = pair["jamforelser"][key]
        cmp_rows.append(f"| {label} | {what} | {sv(c['kvot'], 3)} | {signed_sv(c['skillnad_s'], 2)} | "
                        f"{signed_sv(c['ovre_grans_s'], 2)} ({signed_sv(100 * c['ovre_grans_andel'], 1)} %) | "
                        f"{c['dyrare_i']} av {c['omgangar']} | {_p_sv(c['p'])} |")
    target, content, both = (pair["jamforelser"][k] for k in ("sjatte_enda", "enda_forsta", "sjatte_forsta"))
    shows = lambda c: "visar en säkerställd merkostnad" if c["dyrare"] else "visar ingen säkerställd merkostnad"  # noqa: E731
    spread = max(max(v) - min(v) for v in pair["alla_cpu_s"].values())
    met = target["inom_marginalen"]
    return f"""### Sjätte och första utgåvan, mätta omväxlande

Samma bygge varierade upp till {_sv(spread, 1)} s i processortid mellan omgångarna nedan, så målet
*sjätte utgåvan kostar inte mer än den första* mättes för sig: tre kalla byggen, omväxlande i
{pair['omgangar']} omgångar (byggena i alla sex ordningar lika ofta, så att inget bygge alltid kommer
efter ett visst annat), och varje omgångs byggen jämförda med varandra.

| bygge | publicerade utgåvor efteråt | kall (s, median) | processortid (s, median) | processortid, varje omgång (s) |
|---|---|---:|---:|---|
{chr(10).join(rows)}

{cmp_head}
|---|---|---:|---:|---:|---:|---:|
{chr(10).join(cmp_rows)}

*Typisk skillnad*: Hodges–Lehmanns skattning, medianen av medelvärdena av alla par av omgångarnas
skillnader (varje omgång med sig själv inräknad). *Övre gräns*: den ensidiga {_sv(100 * LEVEL, 0)}-procentiga
konfidensgränsen för den skillnaden, ur Wilcoxons teckenrangtest (exakt fördelning), i procent av det andra
byggets median. *p*: sannolikheten att få minst så stora skillnader åt det hållet om byggena i själva verket
kostar lika (samma test, ensidigt; exakt när inga skillnader är lika eller noll, annars normalapproximation);
under {sv(MORE, 2)} är det en säkerställd merkostnad.

Målet bedöms på den första jämförelsen, där innehållet är detsamma: det är uppfyllt om den övre gränsen
är högst {_sv(100 * MARGIN, 0)} % (målets tolerans, bestämd innan mätningen), alltså om
mätningen utesluter att tidigare publicerade utgåvor gör en ny mer än så dyrare. Här är gränsen
{signed_sv(100 * target['ovre_grans_andel'], 1)} %: {'uppfyllt' if met else '**inte uppfyllt**'}; jämförelsen
{shows(target)}. Gränsen förutsätter att skillnaderna fördelar sig symmetriskt kring sin mitt; utan det
antagandet (teckentestets {_sv(100 * LEVEL, 0)}-procentiga gräns för medianen av skillnaderna, som bara räknar
hur många omgångar som ligger över) är den {signed_sv(100 * target['ovre_grans_teckentest_andel'], 1)} %.
Den andra jämförelsen, utgåvans eget innehåll ({pair['diagram']['enda']} diagram
mot {pair['diagram']['forsta']}, och serier över fler år), {shows(content)}. Sjätte mot första utgåvan, med
olika innehåll, är kvoten {sv(both['kvot'], 3)} (p {_p_sv(both['p'])})."""


def markdown(res: dict) -> str:
    sv = _sv
    eds = ["| utgåva | år med data | diagram i boken | kall (s, median) | kall, processortid (s) | oförändrad (s) "
           "| toppminne (MB) | analysen (s) | tidsseriediagrammen (s) |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for e in res["utgavor"]:
        eds.append(f"| {e['ar']} | {e['ar_med_data']} | {e.get('diagram', '')} | {sv(e['kall_s'])} | {sv(e['kall_cpu_s'])} | "
                   f"{sv(e['oforandrad_s'])} | {e['toppminne_mb']} | {sv(e.get('analys_cpu_s', ''))} | "
                   f"{sv(e.get('tidsserier_cpu_s', ''))} |")
    first, last = (res["utgavor"][0], res["utgavor"][-1]) if res["utgavor"] else ({}, {})
    goals = "\n".join(f"- {_goal_label(k)}: {'uppfyllt' if v else '**inte uppfyllt**'}" for k, v in res["mal"].items())
    if pair := res.get("sjatte_och_forsta"):
        both = pair["jamforelser"]["sjatte_forsta"]
        goals += (f"\n- sjätte utgåvan ({pair['sista_ar']}) mot första ({pair['forsta_ar']}), olika innehåll: kvot "
                  f"{_sv(both['kvot'], 3)}, {'en säkerställd merkostnad' if both['dyrare'] else 'ingen säkerställd merkostnad'} "
                  f"(p {_p_sv(both['p'])}); vad den kommer av står under *Sjätte och första utgåvan, mätta omväxlande*")
    return f"""# Prestanda: hur lång tid en körning tar

Skrivet av `make bench` ({res['datum']}, Python {res['python']}, {res['karnor']} kärnor). Varje fall
mättes {res['upprepningar']} gånger, omväxlande (a, b, c, d, a, b, …) så att belastning från andra
program drabbar alla fall lika; tabellen visar medianer.{_restated_sv(res)} Maskinen delades med andra program under
mätningen (belastning {_sv(res['last_fore'][0])} före och
{_sv(res['last_efter'][0])} efter, medelvärde över en minut), så enskilda tider
varierar; kvoterna inom samma mätning är det jämförbara måttet.

{table(res)}

Processortid är användar- plus systemtid för körningens alla processer (kärnor och Jupyter Book
inräknade). Toppminne är den största summan av residentminne (RSS) för körningens alla processer (kärnor
inräknade), mätt var 50:e ms; delat minne räknas i varje process, så siffran är snarare för hög.

## Mål

{goals}

## Sex utgåvor, {EDITIONS[0]}–{EDITIONS[-1]}

Alla sex utgåvorna byggdes i samma projekt; åren efter de levererade uppgifterna fylldes med exempeldata som genererades
för mätningen (filerna heter `*.exempeldata.csv` och märks som exempeldata i böckerna; de finns bara i
mätningens tillfälliga kopia). Först byggdes utgåvorna en i taget i årsordning, som i verkligheten, och
varje utgåva en gång till utan ändringar (kolumnen *oförändrad*). Sedan mättes varje utgåva kall (cache
och bokbygge rensade, alla sex publicerade bredvid) {_edition_rounds_sv(res)}.
I den här serien kostar sjätte utgåvan {_sv(res['sjatte_mot_forsta'])} × den första i
väggklocktid och {_sv(res['sjatte_mot_forsta_cpu'])} × i processortid; målet bedöms på en egen,
omväxlande mätning (*Sjätte och första utgåvan, mätta omväxlande*, nedan).

{chr(10).join(eds)}

Processortiden för en kall utgåva ändras med {sv(res.get('tillvaxt_cpu_s_per_utgava'))} s per utgåva
(minsta kvadrat över de sex). Tidigare publicerade utgåvor läses, körs och byggs inte om: varje år byggs
för sig, med egen cache och egen bokkatalog; bara startsidans lista över utgåvor växer. Hur nära noll
deras kostnad är står under *Sjätte och första utgåvan, mätta omväxlande*, nedan. En senare utgåva visar mer:

- fler diagram: en indikator får ett tidsseriediagram först när den har värden för två år, så den
  första utgåvan har {first.get('diagram', '')} diagram och den sjätte {last.get('diagram', '')}
  (kolumnen *diagram i boken*); varje diagram byggs med Altair och ritas av vl-convert;
- längre serier: varje tidsserie har ett år mer per utgåva (kolumnen *tidsseriediagrammen*:
  processortid för alla åtgärders diagram, mätt i mätprocessen);
- mer att kontrollera: utgåvan läser och kontrollerar alla år fram till sitt eget och jämför
  NKI år för år (kolumnen *analysen*: processortid för en `analyse()`; en körning gör den två
  gånger i huvudprocessen, för datamappen och för utgåvans kopia av indata, och ingen gång i kärnorna).

{_later_editions(res["utgavor"])}

{_parts_text(res["utgavor"])}

{_sixth_vs_first_text(res)}

## Varför det går fort

- **Varma kärnor.** Sidorna körs fortfarande av papermill, men med motorn `uppfoljning`
  (`helpers/build/engine.py`, registrerad under papermills `papermill.engine`): en pool med en
  kärna per processorkärna startas en gång per körning och importerar pandas, altair och
  pandera en gång (scipy bara om kärnan själv måste analysera: statistiken görs i huvudprocessen).
  Varje notebook får ett nytt tomt namnrum; efter ett fel startas en ny kärna.
  Huvudprocessen analyserar utgåvans kopia av indata en gång, med alla härledda tabeller
  (sammanfattande bedömning, NKI-jämförelser), och lämnar resultatet till kärnorna genom en fil
  under `_build/cache/analys/`; en kärna använder det bara om varje byte i kopian, hjälpkoden och
  miljön är desamma, annars analyserar den själv. En fil som redan kontrollerats i samma process
  tolkas inte om (nyckeln är filens byte), och indataraderna i sidornas underlag läses en gång per kärna.
- **Varje diagram och varje utdata en gång.** Altair kontrollerar inte diagrammets JSON mot
  Vega-Lites schema på nytt varje gång det ritas (testerna kontrollerar varje sorts diagram), och en
  HTML-utdata sparas i notebooken som HTML och som den text läsaren ser, med diagrammen som sin
  alternativtext, inte som samma kod en gång till.
- **En cache som känner alla indata** (`helpers/build/cache.py`): en sida körs bara om något den
  beror på har ändrats: mallen, parametrarna, de rader i årsfilerna som sidan läser
  (`helpers/build/deps.py`), registret, företagsklimatfilerna, hjälpkoden eller miljön
  (`constraints.txt`, Python, installerade versioner). `--utan-cache` kör allt.
- **En inkrementell bok** (`helpers/build/jupyterbook.py`): Sphinx läser bara om ändrade sidor;
  är inget ändrat körs Jupyter Book inte alls och samma HTML publiceras igen.

Siffrorna i `bench/resultat.json` (alla enskilda mätningar finns där).
"""
