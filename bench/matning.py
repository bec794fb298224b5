"""What a report run costs, measured on the shipped data in a throwaway copy of the project.

Four cases, each `repeat` times, interleaved (a, b, c, d, a, …) so load from other programs hits
them alike, reported as medians and as ratios to the plain way:
(a) the plain way: every page through the `papermill` CLI, then a clean `jupyter-book build`;
(b) `rapport` cold: a fresh copy, no cache, no earlier build;
(c) `rapport` again, nothing changed;
(d) `rapport` after one corrected indicator value.
Peak memory is the largest sum of resident memory over a run's process tree, sampled with psutil.
Then every year of the plan is built as an edition in one project (years without data get
exempeldata generated here, labelled, only in the copy), each cold `repeat` times in rotated order:
how the cost of one more edition grows, as a least-squares slope with its 95 % interval (scipy).
The project's own data, editions and build folder are never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
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

from helpers.core.fmt import number_sv
from helpers.core.fs import write_text_atomic
from helpers.core.layout import Layout
from helpers.data.config import load_config
from helpers.data.csvio import csv_text, read_table
from helpers.data.inputs import entry

TARGETS = {"kall": 0.20, "oforandrad": 0.05, "ett_varde": 0.15}
MEMORY_LIMIT_MB = 2048
CASES = {"vanligt": "a) vanliga sättet: papermill-CLI per sida, sedan rent jupyter-book build",
         "kall": "b) `make report` kall (ingen cache, inget tidigare bygge)",
         "oforandrad": "c) `make report` igen, inget ändrat",
         "ett_varde": "d) `make report` efter ett ändrat indikatorvärde"}


class Run(NamedTuple):
    seconds: float
    cpu: float  # user + system seconds of every process of the run
    peak_mb: float


class _Peak:
    """Largest total RSS of a process tree while it runs (a sampling thread)."""

    def __init__(self, pid: int, every: float = 0.05):
        import psutil

        self.root, self.every, self.peak, self._stop = psutil.Process(pid), every, 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                for p in [self.root, *self.root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def stop(self) -> float:
        self._stop.set()
        self.thread.join()
        return self.peak / 2**20


def measure(commands: list[list[str]], cwd: Path) -> Run:
    """Run commands one after another; wall and processor seconds in total, the peak memory of any."""
    t0, cpu0, peak = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN), 0.0
    for cmd in commands:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env={**os.environ, "CI": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
        sampler = _Peak(proc.pid)
        out, _ = proc.communicate()
        peak = max(peak, sampler.stop())
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:5])} … misslyckades (kod {proc.returncode}):\n{out[-3000:]}")
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return Run(time.perf_counter() - t0, cpu, peak)


def report_cmd(root: Path, year: int) -> list[str]:
    return [sys.executable, "-m", "helpers", "--rot", str(root), "rapport", "--ar", str(year)]


def copy_project(root: Path, dest: Path, data: Path | None = None) -> Layout:
    """A throwaway project: templates, book sources, config, the lock file and the data."""
    dest.mkdir(parents=True)
    shutil.copytree(root / "notebooks", dest / "notebooks")
    shutil.copytree(root / "book", dest / "book", ignore=lambda d, names: [n for n in names if n[:1].isdigit() or n[:1] == "."])
    for name in ("_config.yml", "constraints.txt"):
        if (root / name).exists():
            shutil.copy(root / name, dest / name)
    shutil.copytree(data or root / "data", dest / "data")
    return Layout.at(dest)


def plain_commands(layout: Layout, year: int, work: Path) -> list[list[str]]:
    """The plain way: prepared notebooks, one `papermill` CLI call per page, then a clean build."""
    import nbformat

    from helpers.compute.analysis import analyse
    from helpers.evidence.provenance import note_markdown, provenance
    from helpers.publish.pipeline import write_book_sources
    from helpers.run import pages as book
    from helpers.run.execute import prepare

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


# --- the benchmark's own copy of the data ----------------------------------------------------------

def _year_file(data: Path, year: int, stem: str) -> Path:
    return next((data / str(year)).glob(f"{stem}*.csv"))


def _rewrite(path: Path, stem: str, change) -> None:
    """Read a year file as text cells, let `change(rows)` edit them, write it back (the copy only)."""
    spec = entry("år", stem).spec
    frame = read_table(path, spec.names, tuple(c.name for c in spec.columns if c.may_be_absent))
    rows = [dict(r) for _, r in frame.iterrows()]
    change(rows)
    path.write_text(csv_text(spec.names, [[r[c] for c in spec.names] for r in rows]), encoding="utf-8")


def set_value(data: Path, year: int, indicator: str, value: str) -> None:
    """Correct one indicator value in place."""
    def change(rows):
        for r in rows:
            if r["indikator_id"] == indicator:
                r["varde"] = value
    _rewrite(_year_file(data, year, "indikatorvarden"), "indikatorvarden", change)


def generate_year(data: Path, year: int, seed: int = 12) -> None:
    """data/<year>/ as exempeldata from the year before: periods a year on, now and then a status a
    step further, values drifting a few per cent within each indicator's range."""
    rng = random.Random(seed * 10000 + year)
    src, dst = data / str(year - 1), data / str(year)
    dst.mkdir()
    for stem in ("status", "indikatorvarden", "lardomar"):
        found = list(src.glob(f"{stem}*.csv"))
        if found:
            shutil.copy(found[0], dst / f"{stem}.exempeldata.csv")
    spec = entry("plan", "indikatorer").spec
    meta = read_table(data / "plan" / "indikatorer.csv", spec.names, ()).set_index("indikator_id")

    def shift(text: str) -> str:
        if not text:
            return text
        d = dt.date.fromisoformat(text)
        return d.replace(year=d.year + 1, day=min(d.day, 28)).isoformat()

    def statuses(rows):
        for r in rows:
            for c in ("period_fran", "period_till"):
                r[c] = shift(r[c])
            if rng.random() < 0.4:
                r["status"] = {"ej påbörjad": "pågående", "pågående": "genomförd"}.get(r["status"], r["status"])
            r["kommentar"] = f"Exempeldata för {year}, genererad för prestandamätningen (make bench)."

    def values(rows):
        for r in rows:
            m = meta.loc[r["indikator_id"]] if r["indikator_id"] in meta.index else None
            for c in ("period_fran", "period_till"):
                r[c] = shift(r.get(c, ""))
            if m is None or not r["varde"] or m["typ"] not in ("antal", "andel", "index", "betyg"):
                continue
            low, high = {"andel": (0, 100), "index": (0, 100), "betyg": (1, 6)}.get(m["typ"], (0, float("inf")))
            v = min(max(float(r["varde"].replace(",", ".")) * (1 + rng.uniform(-0.05, 0.10)), low), high)
            whole = m["typ"] == "antal" and m["enhet"] == "st"
            r["varde"] = number_sv(v, 0 if whole else 1).replace("\u00a0", "").replace("\u2212", "-")

    _rewrite(dst / "status.exempeldata.csv", "status", statuses)
    _rewrite(dst / "indikatorvarden.exempeldata.csv", "indikatorvarden", values)


# --- running it -------------------------------------------------------------------------------------

def _say(what: str, run: Run) -> None:
    print(f"{what}: {run.seconds:.1f} s, processortid {run.cpu:.1f} s, toppminne {run.peak_mb:.0f} MB", flush=True)


def main(root: Path, year: int | None = None, repeat: int = 3) -> int:
    plan = load_config(root / "_config.yml")
    years = list(plan.ar)
    year = year or years[min(1, len(years) - 1)]
    runs: dict[str, list[Run]] = {k: [] for k in CASES}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="uppf-bench-") as tmp:
        tmp = Path(tmp)
        for r in range(repeat):
            plain = copy_project(root, tmp / f"vanligt{r}")
            runs["vanligt"].append(measure(plain_commands(plain, year, tmp / f"arbete{r}"), plain.root))
            proj = copy_project(root, tmp / f"rapport{r}")
            runs["kall"].append(measure([report_cmd(proj.root, year)], proj.root))
            runs["oforandrad"].append(measure([report_cmd(proj.root, year)], proj.root))
            first = read_table(_year_file(proj.data, year, "indikatorvarden"), ["indikator_id", "varde"],
                               ("uppnatt_datum", "text", "kommentar", "period_fran", "period_till"))
            iid, old = next((i, v) for i, v in zip(first["indikator_id"], first["varde"]) if v.isdigit())
            set_value(proj.data, year, iid, str(int(old) + 1))
            runs["ett_varde"].append(measure([report_cmd(proj.root, year)], proj.root))
            for key in CASES:
                _say(f"{CASES[key][:2]} omgång {r + 1}/{repeat}", runs[key][-1])
            shutil.rmtree(plain.root)
            shutil.rmtree(proj.root)
        editions = _editions(root, tmp / "utgavor", years, repeat)
    results = summary(year, repeat, runs, editions, load)
    text = markdown(results)
    write_text_atomic(root / "bench" / "resultat.json", json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    write_text_atomic(root / "docs" / "prestanda.md", text)
    print(text)
    return 0 if all(results["mal"].values()) else 1


def _editions(root: Path, where: Path, years: list[int], repeat: int) -> dict[int, list[Run]]:
    """Every year of the plan as an edition of one project, each built cold `repeat` times; round r
    starts at a different year, so load over the series falls on all editions alike."""
    data = where / "data"
    shutil.copytree(root / "data", data)
    for y in years:
        if not (data / str(y)).exists():
            generate_year(data, y)
    proj = copy_project(root, where / "projekt", data)
    for y in years:  # first as in real use: one after another
        measure([report_cmd(proj.root, y)], proj.root)
    out: dict[int, list[Run]] = {y: [] for y in years}
    for r in range(repeat):
        for y in years[r % len(years):] + years[:r % len(years)]:
            shutil.rmtree(proj.build / "cache", ignore_errors=True)
            shutil.rmtree(proj.build / "bok", ignore_errors=True)
            out[y].append(measure([report_cmd(proj.root, y)], proj.root))
            _say(f"utgåva {y}, omgång {r + 1}/{repeat}", out[y][-1])
    return out


def summary(year: int, repeat: int, runs: dict[str, list[Run]], editions: dict[int, list[Run]], load: float) -> dict:
    from scipy import stats

    med = {k: statistics.median(m.seconds for m in v) for k, v in runs.items()}
    ratio = {k: med[k] / med["vanligt"] for k in TARGETS}
    peak = max(m.peak_mb for v in [*runs.values(), *editions.values()] for m in v)
    xs = [y for y, v in editions.items() for _ in v]
    ys = [m.cpu for v in editions.values() for m in v]
    fit = stats.linregress(xs, ys) if len(set(xs)) > 1 else None
    half = float(stats.t.ppf(0.975, len(xs) - 2) * fit.stderr) if fit is not None and len(xs) > 2 else float("nan")
    first, last = min(editions), max(editions)
    mal = {f"{k} ≤ {v} × vanligt": ratio[k] <= v for k, v in TARGETS.items()}
    mal[f"toppminne < {MEMORY_LIMIT_MB // 1024} GB"] = peak < MEMORY_LIMIT_MB
    return {"datum": dt.datetime.now().replace(microsecond=0).isoformat(), "python": sys.version.split()[0],
            "karnor": os.cpu_count(), "ar": year, "upprepningar": repeat, "last_fore": round(load, 2),
            "median_s": {k: round(v, 1) for k, v in med.items()},
            "median_cpu_s": {k: round(statistics.median(m.cpu for m in v), 1) for k, v in runs.items()},
            "kvot_mot_vanligt": {k: round(v, 3) for k, v in ratio.items()},
            "toppminne_mb": {k: round(max(m.peak_mb for m in v)) for k, v in runs.items()},
            "utgavor": [{"ar": y, "kall_cpu_s": round(statistics.median(m.cpu for m in v), 1),
                         "kall_s": round(statistics.median(m.seconds for m in v), 1),
                         "toppminne_mb": round(max(m.peak_mb for m in v))} for y, v in editions.items()],
            "tillvaxt_cpu_s_per_utgava": None if fit is None else round(float(fit.slope), 2),
            "tillvaxt_95_intervall": None if fit is None else [round(float(fit.slope) - half, 2), round(float(fit.slope) + half, 2)],
            "sista_mot_forsta_cpu": round(statistics.median(m.cpu for m in editions[last])
                                          / statistics.median(m.cpu for m in editions[first]), 3),
            "mal": mal}


def _sv(x, decimals: int = 1) -> str:
    return number_sv(x, decimals, trim=True)


def markdown(res: dict) -> str:
    """docs/prestanda.md from the results, in Swedish with the project's number formatting."""
    lines = ["# Prestanda: hur lång tid en körning tar", "",
             f"Skrivet av `make bench` ({res['datum']}, Python {res['python']}, {res['karnor']} kärnor), utgåva {res['ar']}. "
             f"Varje fall mättes {res['upprepningar']} gånger, omväxlande, så att belastning från andra program drabbar alla "
             f"fall lika; tabellen visar medianer (belastning före mätningen {_sv(res['last_fore'], 2)}).", "",
             "| körning | median (s) | kvot mot a | mål | processortid (s) | toppminne (MB) |", "|---|---:|---:|---:|---:|---:|"]
    for key, label in CASES.items():
        r = "1" if key == "vanligt" else _sv(res["kvot_mot_vanligt"][key], 3)
        goal = f"≤ {_sv(TARGETS[key], 2)}" if key in TARGETS else ""
        lines.append(f"| {label} | {_sv(res['median_s'][key])} | {r} | {goal} | {_sv(res['median_cpu_s'][key])} | "
                     f"{res['toppminne_mb'][key]} |")
    lines += ["", "Processortid är användar- plus systemtid för körningens alla processer (kärnor och Jupyter Book "
              "inräknade). Toppminne är den största summan av residentminne för körningens processer, mätt var 50:e ms.",
              "", "## Mål", ""]
    lines += [f"- {k.replace('oforandrad', 'inget ändrat').replace('ett_varde', 'ett ändrat värde').replace('0.', '0,')}: "
              f"{'uppfyllt' if ok else 'INTE uppfyllt'}" for k, ok in res["mal"].items()]
    eds = res["utgavor"]
    lines += ["", f"## Utgåvorna {eds[0]['ar']}–{eds[-1]['ar']}", "",
              "Alla planens år byggdes som utgåvor i samma projekt; år utan data fick exempeldata som genererades för "
              "mätningen (bara i mätningens tillfälliga kopia). Varje utgåva byggdes sedan kall (cache och bokbygge "
              "rensade, alla andra utgåvor publicerade bredvid), varje omgång med start på ett annat år.", "",
              "| utgåva | kall (s, median) | kall, processortid (s) | toppminne (MB) |", "|---|---:|---:|---:|"]
    lines += [f"| {e['ar']} | {_sv(e['kall_s'])} | {_sv(e['kall_cpu_s'])} | {e['toppminne_mb']} |" for e in eds]
    slope, ci = res["tillvaxt_cpu_s_per_utgava"], res["tillvaxt_95_intervall"]
    if slope is not None:
        lines += ["", f"Processortiden för en kall utgåva ändras med {_sv(slope, 2)} s per utgåva (minsta kvadrat, "
                  f"95 % intervall {_sv(ci[0], 2)} till {_sv(ci[1], 2)} s). Sista utgåvan kostar "
                  f"{_sv(res['sista_mot_forsta_cpu'], 3)} × den första i processortid; en senare utgåva har längre "
                  "tidsserier och fler jämförelser, så en liten ökning kommer av innehållet, inte av de publicerade "
                  "utgåvorna bredvid."]
    return "\n".join(lines) + "\n"
