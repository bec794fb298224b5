"""The rooms keep their order: imports only point down and never in a circle, and the contract that
says so really fails when someone breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")
ROOMS = ["core", "data", "compute", "present", "run", "evidence", "publish"]


def _lint(src: Path) -> subprocess.CompletedProcess:
    """lint-imports with the project's own contracts, on the package found under `src`."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=src.parent,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("arkitektur") / "src"
    shutil.copytree(ROOT / "src" / "helpers", src / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    return src


def test_the_shipped_package_keeps_every_contract(copy):
    result = _lint(copy)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def test_the_contract_names_the_rooms_in_the_order_of_the_flow():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    order = [text.index(f'"helpers.{room}",') for room in ["cli", *reversed(ROOMS)]]
    assert order == sorted(order)  # cli first, then publish, evidence, run, present, compute, data, core
    assert all((ROOT / "src" / "helpers" / room / "__init__.py").is_file() for room in ROOMS)
    assert not (ROOT / "src" / "helpers" / "build").exists()  # no source room named like build output


def _with(copy: Path, module: str, line: str, tmp_path: Path) -> Path:
    """A fresh copy of the package with one line added to one module."""
    src = tmp_path / "src"
    shutil.copytree(copy, src)
    path = src / "helpers" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return src


def test_an_import_up_the_rooms_breaks_the_contract(copy, tmp_path):
    result = _lint(_with(copy, "core/fmt.py", "import helpers.publish.site  # noqa", tmp_path))
    assert result.returncode != 0
    assert "helpers.core.fmt -> helpers.publish.site" in result.stdout


def test_a_cycle_inside_one_room_breaks_the_contract(copy, tmp_path):
    result = _lint(_with(copy, "run/deps.py", "import helpers.run.cache  # noqa", tmp_path))
    assert result.returncode != 0
    assert "No cycles are allowed in helpers.run" in result.stdout
