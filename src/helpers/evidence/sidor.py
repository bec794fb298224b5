"""What readers saw, rebuilt: the web pages from the re-executed notebooks, compared page by page.

`reproducera` re-executes the notebooks; this module then builds the book again with Jupyter Book
(helpers.run.jupyterbook) from the edition's own book sources and the new notebooks, and compares
every page's text with the archived page, naming the page and the first passage that differs. A
verdict reworded in the archived HTML (and re-hashed into the manifest) is caught here, because
the rebuilt page says what the computation says. The PDF is printed again from these rebuilt pages
by the publishing layer (helpers.publish.omtryck) and compared in helpers.evidence.pdfsidor.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from helpers.run.jupyterbook import build_html

MAX_PAGES_NAMED = 40
_NOT_SOURCES = ("manifest.json", "korning.json")


def page_text(html: bytes) -> str:
    """The text a reader sees in a page's article (navigation, scripts and styles left out), one line."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html.decode("utf-8", errors="replace"), "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    for a in soup.select("a.headerlink"):
        a.decompose()
    main = soup.select_one("article.bd-article") or soup.select_one("main") or soup.body or soup
    return " ".join(main.get_text(" ").split())


def passage(a: str, b: str, width: int = 50) -> str:
    i = len(os.path.commonprefix([a, b]))
    start = max(0, i - width)
    return f"arkivet '…{a[start:i + width]}…', nu '…{b[start:i + width]}…'"


def rebuild(edition: dict[str, bytes], notebooks: dict[str, nbformat.NotebookNode], folder: Path) -> dict[str, bytes]:
    """Build the book from the edition's sources with `notebooks` (name → notebook) in place; page → HTML bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    for rel, data in edition.items():
        if rel in _NOT_SOURCES or rel.startswith(("indata/", "tabeller/")) or data is None:
            continue
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / f"{name}.ipynb")
    build_html(folder)
    out = folder / "_build" / "html"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.html"))}


def compare_pages(archived: dict[str, bytes], rebuilt: dict[str, bytes]) -> list[str]:
    """Every page whose text differs, is missing or is new, with the first differing passage."""
    out = []
    for rel in sorted(set(archived) | set(rebuilt)):
        if rel.startswith(("_static/", "genindex", "search")):
            continue
        if rel not in rebuilt:
            out.append(f"webbsidan {rel}: finns i arkivet men byggs inte längre")
        elif rel not in archived:
            out.append(f"webbsidan {rel}: byggs nu men finns inte i arkivet")
        else:
            a, b = page_text(archived[rel]), page_text(rebuilt[rel])
            if a != b:
                out.append(f"webbsidan {rel}: texten skiljer sig: {passage(a, b)}")
        if len(out) >= MAX_PAGES_NAMED:
            return [*out, "fler webbsidor skiljer sig"]
    return out
