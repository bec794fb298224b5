"""`make bench`: measure where a report run spends its time, serial and parallel.

Runs the shipped data in a throwaway copy of the project (never touching published editions)
and writes bench/resultat.json, so performance is measured and compared, not asserted in tests.
"""

from __future__ import annotations

import json
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from helpers.compute.analysis import analyse


def _copy_project(layout, dest: Path):
    from helpers.build.pipeline import Layout

    shutil.copytree(layout.notebooks, dest / "notebooks")
    (dest / "book").mkdir()
    for fixed in ("_static", "_templates", "_locale"):
        shutil.copytree(layout.book / fixed, dest / "book" / fixed)
    shutil.copy(layout.book / "om_rapporten.md", dest / "book" / "om_rapporten.md")
    shutil.copy(layout.config, dest / "_config.yml")
    shutil.copytree(layout.data, dest / "data")
    return Layout.at(dest)


def _time(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main(layout, year: int = 2026, out: Path | None = None) -> int:
    from helpers.build.pipeline import run_year

    results: dict = {"ar": year, "python": platform.python_version(), "karnor": __import__("os").cpu_count()}
    results["analys_s"] = round(_time(lambda: analyse(year, layout.data)), 3)
    print(f"Kontroll och beräkning (analyse): {results['analys_s']} s (median av 3)")
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            copy = _copy_project(layout, Path(tmp))
            t = time.perf_counter()
            res = run_year(year, copy, jobs=jobs, log=lambda *_: None)
            total = time.perf_counter() - t
            per_nb = sorted(res.timings.values())
            results[f"jobb_{jobs}"] = {
                "totalt_s": round(total, 1),
                "notebooks": len(per_nb),
                "notebook_median_s": round(statistics.median(per_nb), 2),
                "notebook_max_s": round(per_nb[-1], 2),
                "notebook_summa_s": round(sum(per_nb), 1),
            }
            print(f"{jobs} parallella: totalt {total:.1f} s, {len(per_nb)} notebooks, "
                  f"median {statistics.median(per_nb):.2f} s per notebook")
    speedup = results["jobb_1"]["totalt_s"] / results["jobb_2"]["totalt_s"]
    results["uppsnabbning_2_jobb"] = round(speedup, 2)
    out = out or layout.root / "bench" / "resultat.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Uppsnabbning med 2 parallella: {speedup:.2f}×. Resultat: {out}")
    return 0
