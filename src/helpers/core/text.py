"""Text from data as people must see it: invisible characters made visible, long values shortened,
Markdown made literal, and long lists of problems capped with a summary.

A zero-width space in an id looks exactly like a valid id, and a 200 000-character cell or
157 000 identical errors drown the one line that matters; messages go through these helpers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

NBSP = "\u00a0"

# Characters a reader cannot see or tell from a plain space: controls (Cc), format characters
# (Cf: zero-width space, joiners, direction marks, BOM) and every space except the ordinary one.
_SHOWN_AS_NAME = {"\t": "tabb", "\n": "radbrytning", "\r": "vagnretur", NBSP: "hårt blanksteg"}


def is_invisible(ch: str) -> bool:
    if ch == " ":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn")


def visible(text: str) -> str:
    """'1.1\\u200b' -> '1.1⟨U+200B⟩': every invisible character named where it is."""
    if not any(is_invisible(ch) for ch in text):
        return text
    out = []
    for ch in text:
        if is_invisible(ch):
            name = _SHOWN_AS_NAME.get(ch)
            out.append(f"⟨{name}⟩" if name else f"⟨U+{ord(ch):04X}⟩")
        else:
            out.append(ch)
    return "".join(out)


def has_invisible(text: str) -> bool:
    return any(is_invisible(ch) for ch in text)


def shorten(text: str, limit: int = 120) -> str:
    """A value as a message shows it: at most `limit` characters, with the full length said."""
    if len(text) <= limit:
        return text
    n = f"{len(text):,}".replace(",", NBSP)
    return f"{text[:limit]}… ({n} tecken)"


def shown_value(text: str, limit: int = 120) -> str:
    """A value in a message: invisible characters named, at most `limit` characters of it shown."""
    if len(text) <= limit:
        return visible(text)
    return f"{visible(text[:limit])}… ({number(len(text))} tecken)"


def number(n: int) -> str:
    """157000 -> '157 000' (a message's count, without importing the formatting module's deps)."""
    return f"{n:,}".replace(",", NBSP)


# --- ids in natural order --------------------------------------------------------------------------

_DIGITS = re.compile(r"([0-9]+)")


def natural_key(text: str) -> tuple:
    """Sort key of a plan id in natural order: '1.2' before '1.10', '1.1.1' after '1.1', 'A2' before 'A10'.

    Runs of digits compare as numbers, everything else as text, so every id shape a plan uses
    ("1.10", "A1", "1.1.1", "M4-1") sorts the way a reader counts.
    """
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _DIGITS.split(str(text)) if p)


# --- Markdown (MyST) made literal -----------------------------------------------------------------

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping the ones
# that open markup in one line (raw HTML, emphasis, links and images, roles and substitutions,
# math, code, tables, entities, a closing '#') is enough to make any text literal. Dots,
# slashes, quotes and hyphens are left alone so headings read as before in the notebook source
# ('1.1 Fortsatt utveckling …') and Sphinx still typesets quotes.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#!|~$&])")
_LINEBREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


# Swedish typography has one double quote mark for both ends (”…”); the plan and the units' texts
# arrive with straight, English or German ones, so a page would otherwise mix three styles.
_QUOTES = str.maketrans({'"': "\u201d", "\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u201d",
                         "\u00bb": "\u201d"})


def quotes_sv(text: str) -> str:
    """'likt "starta eget-dagen"' -> 'likt ”starta eget-dagen”': every double quote mark the Swedish way."""
    return str(text).translate(_QUOTES)


def quoted_sv(text: str) -> str:
    """'”Utveckla initiativ likt ’starta eget-dagen’ …”': a quotation the Swedish way, with the
    quotes inside it as single marks (Språkrådet), so a quote within a quote stays readable."""
    return "\u201d" + quotes_sv(text).replace("\u201d", "\u2019") + "\u201d"


def md_literal(text: str) -> str:
    """Text from data, safe to put in one line of Markdown (a heading, a link text, a list item).

    Line breaks become spaces (a new line could start a directive or a raw HTML block) and every
    character that could open markup is backslash-escaped, so `<script>` shows as text.
    """
    one_line = quotes_sv(_LINEBREAKS.sub(" ", str(text)).strip())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line)


# --- capped lists ---------------------------------------------------------------------------------

def capped(items: list, limit: int, group: Callable[[object], str] | None = None) -> tuple[list, list[str]]:
    """The first `limit` items, and summary lines for the rest.

    With `group`, the rest is summarised per kind ('… och 157 000 fel till av samma slag: …');
    at most ten kinds are named, the remaining ones are counted together.
    """
    if len(items) <= limit:
        return list(items), []
    shown, rest = list(items[:limit]), items[limit:]
    if group is None:
        return shown, [f"… och {number(len(rest))} fel till"]
    counts: dict[str, int] = {}
    for item in rest:
        key = group(item)
        counts[key] = counts.get(key, 0) + 1
    kinds = sorted(counts.items(), key=lambda kv: -kv[1])
    lines = [f"… och {number(n)} fel till av samma slag: {kind}" for kind, n in kinds[:10]]
    others = sum(n for _, n in kinds[10:])
    if others:
        lines.append(f"… och {number(others)} fel till av andra slag")
    return shown, lines


def lines_capped(lines: Iterable[str], limit: int, what: str = "rader") -> list[str]:
    """At most `limit` lines and one line saying how many more there were."""
    lines = list(lines)
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"… och {number(len(lines) - limit)} {what} till"]
