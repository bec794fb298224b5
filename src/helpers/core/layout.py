"""Where a project's files are: the data, the templates, the editions and the build folder.

The project root is the folder the user runs the command in (or `--rot`), never the package's
own location: a copied project reads and writes its own files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Layout:
    """Where things are. Tests point this at a temporary folder with fixture data."""

    root: Path
    data: Path
    notebooks: Path
    book: Path  # editions: book/<år>/
    build: Path  # _build: staging and html
    config: Path  # top-level _config.yml

    @classmethod
    def at(cls, root: Path, data: Path | None = None) -> Layout:
        root = Path(root).resolve()
        return cls(root, Path(data).resolve() if data else root / "data", root / "notebooks", root / "book",
                   root / "_build", root / "_config.yml")

    def html(self, year: int) -> Path:
        return self.build / "html" / str(year)

    def edition(self, year: int) -> Path:
        return self.book / str(year)


PDF_NAME = "uppfoljningsrapport-{ar}.pdf"


def pdf_name(year: int) -> str:
    """The file name of an edition's PDF, the same in book/<år>/ and _build/html/<år>/."""
    return PDF_NAME.format(ar=year)


BILAGOR_PDF_NAME = "uppfoljningsrapport-{ar}-bilagor.pdf"


def bilagor_pdf_name(year: int) -> str:
    """The file name of the PDF of an edition's appendices (Bilagor), beside the report's PDF."""
    return BILAGOR_PDF_NAME.format(ar=year)
