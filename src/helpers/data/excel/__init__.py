"""The plan's *standardmall* as an Excel workbook: write it for a year, read a filled one back.

`write_template` builds the workbook the responsible units fill in (Swedish throughout): a sheet
of instructions, one row per åtgärd in *Status*, one row per reportable indicator in
*Indikatorer* and free rows in *Lärdomar*. Ids and texts from the register are locked; only the
input cells are open, with drop-downs and range checks so most mistakes are stopped in Excel.

`import_workbook` reads a filled workbook, turns its cells into the project's CSV convention
(`;`, UTF-8, decimal comma, ISO dates), checks the result with the same rules as every other
input (`yeardata.load_year`) and reports every problem with sheet, Excel row and column. Only a
fully valid workbook reaches `data/<år>/`, and it replaces the year folder in one rename so a
failure never leaves a half-written year. The workbook itself is only read.
"""

from helpers.data.excel.cells import cell_text
from helpers.data.excel.importer import import_workbook
from helpers.data.excel.layout import (
                                       BLAD_INDIKATORER,
                                       BLAD_INSTRUKTIONER,
                                       BLAD_LARDOMAR,
                                       BLAD_STATUS,
                                       YEAR_NAME,
                                       reportable,
)
from helpers.data.excel.mall import build_template, write_template

__all__ = ["BLAD_INDIKATORER", "BLAD_INSTRUKTIONER", "BLAD_LARDOMAR", "BLAD_STATUS", "YEAR_NAME", "build_template",
           "cell_text", "import_workbook", "reportable", "write_template"]
