"""The environment is pinned, and the conda file says the same as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT


def _pins(lines) -> dict[str, str]:
    out = {}
    for line in lines:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)==([^\s;]+)\s*", line)
        if m:
            out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = list(project["dependencies"]) + [d for group in project["optional-dependencies"].values() for d in group]
    pins = _pins(deps)
    assert len(pins) == len(deps), "every dependency in pyproject.toml is pinned with =="
    return pins


def test_environment_yml_mirrors_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    conda_pins = _pins(p for p in pip if not p.startswith("-e"))
    assert conda_pins == pyproject_pins()
    assert "python=3.11" in env["dependencies"]


def test_constraints_lock_agrees_with_direct_pins():
    locked = _pins((ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines())
    for name, version in pyproject_pins().items():
        assert locked.get(name) == version, f"{name}: pyproject {version}, constraints {locked.get(name)}"


def test_requirements_lock_pins_every_package_of_constraints_with_a_wheel_hash():
    """Issue 23, point 6: a rebuild that outlives the registries starts from hash-locked requirements."""
    from helpers.evidence.hjul import read_lock

    locked = read_lock(ROOT / "requirements.lock")
    constraints = _pins((ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines())
    assert {n: v for n, (v, _h) in locked.items()} == constraints
    assert all(hashes and all(len(h) == 64 for h in hashes) for _v, hashes in locked.values())
