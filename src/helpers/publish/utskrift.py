"""The `pdf` command: every PDF of an edition, in one place.

The report (and its bilagor, publish.pdf) and the tjänsteskrivelse (publish.tjansteskrivelse) are
printed by this one function, so the command line and `reproducera`'s reprint (publish.omtryck)
can never print different sets of files. A forced run is recorded once, for both.
"""

from __future__ import annotations

from helpers.core.layout import Layout
from helpers.publish.pdf import PdfResult, build_pdf
from helpers.publish.tjansteskrivelse import TjResult, build_tjansteskrivelse


def write_pdfs(year: int, layout: Layout, *, log=print, force: bool = False,
               reason: str | None = None) -> tuple[PdfResult, TjResult]:
    """The report's PDFs, then the tjänsteskrivelse's: each refused on a fastställd year unless forced."""
    report = build_pdf(year, layout, log=log, force=force, reason=reason)
    letter = build_tjansteskrivelse(year, layout, log=log, force=force, reason=reason, record=False)
    return report, letter
