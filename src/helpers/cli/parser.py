"""argparse in Swedish: the fixed texts of usage, help and errors."""

from __future__ import annotations

import argparse
import re
import sys

from helpers.core.crash import EXIT_BAD_INPUT

# What makes a folder a project: the command refuses to run anywhere else rather than guess.
# argparse's fixed English texts and their Swedish versions (Python 3.11).
_ARGPARSE_SV = (
    ("the following arguments are required", "följande argument krävs"),
    ("invalid choice", "ogiltigt val"),
    ("choose from", "välj bland"),
    ("unrecognized arguments", "okända argument"),
    ("expected one argument", "ett värde krävs efter flaggan"),
    ("expected at most one argument", "högst ett värde efter flaggan"),
    ("expected at least one argument", "minst ett värde efter flaggan"),
    ("ignored explicit argument", "flaggan tar inget värde"),
    ("not allowed with argument", "får inte användas tillsammans med"),
    ("ambiguous option", "tvetydig flagga"),
    ("could match", "kan betyda"),
    ("one of the arguments", "ett av argumenten"),
    ("is required", "krävs"),
    ("invalid int value", "ogiltigt heltal"),
)


class SvenskParser(argparse.ArgumentParser):
    """argparse with Swedish fixed texts (usage, help flag, errors)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="visa den här hjälptexten och avsluta")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "användning:", 1)

    def format_help(self) -> str:
        text = super().format_help().replace("usage:", "användning:", 1)
        return text.replace("positional arguments:", "argument:").replace("options:", "flaggor:")

    def error(self, message: str):
        for en, sv in _ARGPARSE_SV:
            message = message.replace(en, sv)
        message = re.sub(r"invalid \w+ value", "ogiltigt värde", message)
        if message.startswith("argument "):
            message = "argumentet " + message[len("argument "):]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: fel: {message}\n")


# The plan's follow-up years (forsta_ar, sista_ar of the plan: block), set by build_parser; None when
# the project's _config.yml cannot be read (the command then stops on that, with its own message).
_PERIOD: tuple[int, int] | None = None
