"""arkivera --med-hjul stores the hash-locked wheels; a wheel that is not the locked one is refused."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

import pytest

from helpers.core.errors import RunError
from helpers.core.layout import Layout
from helpers.evidence import hjul


def _wheel(folder: Path, name: str = "exempelpaket", version: str = "1.0", body: str = "x = 1\n") -> Path:
    """A minimal valid wheel (pure Python), as pip reads it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    files = {f"{name}.py": body,
             f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
             f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = "".join(f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(d.encode()).digest()).rstrip(b'=').decode()},"
                     f"{len(d.encode())}\n" for n, d in files.items()) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as zf:
        for n, d in {**files, f"{info}/RECORD": record}.items():
            zf.writestr(n, d)
    return path


def _project(tmp_path: Path, wheel: Path) -> Layout:
    root = tmp_path / "projekt"
    root.mkdir()
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    (root / "requirements.lock").write_text(f"# låst\nexempelpaket==1.0 --hash=sha256:{digest}\n", encoding="utf-8")
    return Layout.at(root)


def test_the_locked_wheels_are_stored_from_a_local_wheelhouse_without_network(tmp_path):
    wheel = _wheel(tmp_path / "kalla")
    layout = _project(tmp_path, wheel)
    stored = hjul.store(layout, tmp_path / "kod", source=tmp_path / "kalla")
    assert stored == [f"hjul/{wheel.name}"]
    assert (tmp_path / "kod" / stored[0]).read_bytes() == wheel.read_bytes()


def test_a_wheel_that_is_not_the_locked_one_is_refused_in_swedish(tmp_path):
    layout = _project(tmp_path, _wheel(tmp_path / "låst"))
    _wheel(tmp_path / "kalla", body="x = 2  # ändrad\n")  # same name and version, other bytes
    with pytest.raises(RunError, match="Hjulen kunde inte hämtas"):
        hjul.store(layout, tmp_path / "kod", source=tmp_path / "kalla")


def test_a_malformed_lock_line_is_named(tmp_path):
    root = tmp_path / "projekt"
    root.mkdir()
    (root / "requirements.lock").write_text("exempelpaket==1.0\n", encoding="utf-8")
    with pytest.raises(RunError, match="rad 1"):
        hjul.store(Layout.at(root), tmp_path / "kod", source=tmp_path)
