"""Input problems reported in Swedish, all at once, with file, row, column, value and expectation.

The analyst fixes a spreadsheet, not a traceback: every problem names where it is and what was
expected, and a file's problems are collected before anything is raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers.core.fmt import exact_sv
from helpers.core.text import capped, has_invisible, number, shown_value, visible

# A message lists at most this many problems; the rest are summarised by kind.
MAX_PROBLEMS = 40


@dataclass(frozen=True)
class Problem:
    """One bad cell (or row, or file) in an input file."""

    file: str
    expected: str
    row: int | None = None  # line number in the file as a spreadsheet shows it (header = 1)
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(f"kolumn '{visible(str(self.column))}'")
        text = ", ".join(where)
        if self.value is not None:
            # A number is shown as people write it (184, 72,5), never as Python does (184.0, 72.5).
            value = typed(self.value) if isinstance(self.value, float) and self.value == self.value else self.value
            raw = "" if value == "" else str(value)
            shown = shown_value(raw)
            text += f": värdet '{shown}'" if shown else ": tomt värde"
            if has_invisible(raw):
                text += " (med osynliga tecken, visade som ⟨…⟩)"
        return f"{text} – förväntat: {self.expected}"

    def kind(self) -> str:
        """What a problem is, without where: problems of the same kind are summarised together."""
        column = f", kolumn '{self.column}'" if self.column is not None else ""
        return f"{self.file}{column} – förväntat: {self.expected}"


class InputError(Exception):
    """Raised when input files break the data contract; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.message())

    def message(self, limit: int = MAX_PROBLEMS) -> str:
        """Every problem up to `limit`, then one summary line per kind ('… och 157 000 fel till')."""
        n = len(self.problems)
        head = "Indata innehåller 1 fel:" if n == 1 else f"Indata innehåller {number(n)} fel:"
        shown, rest = capped(self.problems, limit, Problem.kind)
        return "\n".join([head, *(f"  • {p}" for p in shown), *(f"  {line}" for line in rest)])

    def __str__(self) -> str:
        return self.message()


class RunError(Exception):
    """A run step (execution, build, publish) failed; the message is Swedish and user-facing."""


def display_path(path: Path, root: Path | None = None) -> str:
    """Show paths relative to the project (or cwd) so messages stay short and portable."""
    path = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return str(path.resolve().relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(path)


def typed(value: float):
    """A parsed number as the user typed it, for a Problem's value: 101.0 -> 101, 72.5 -> '72,5'."""
    return int(value) if float(value).is_integer() else exact_sv(value)
