"""The one entry point: the GUI by default, subcommands for headless work (DESIGN §7).

Exit codes: 0 done; 1 input or state refused (one translated line on stderr, nothing changed);
2 wrong usage. With ``--json`` stdout carries one JSON document and nothing else.
Heavy modules (Qt, alembic) are imported only by the commands that need them.

One module per command group (district, stakeholders, flows…), each adding its parsers and holding its
commands; runner has what they all share; parser puts the groups together in the order `--help` lists them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ssd_starter.cli.gui import run_gui
from ssd_starter.cli.runner import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Command, run_command
from ssd_starter.i18n import normalize_language, set_language, system_language

__all__ = ["EXIT_OK", "EXIT_REFUSED", "EXIT_USAGE", "build_parser", "main"]


def _early_language(argv: Sequence[str]) -> str:
    """--lang, else the saved setting, else the system locale — needed before the help texts exist."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalize_language(argv[i + 1]) or system_language()
        if arg.startswith("--lang="):
            return normalize_language(arg.split("=", 1)[1]) or system_language()
    try:
        from ssd_starter.settings import Settings

        saved = Settings().get("language")
    except OSError:
        saved = None
    return normalize_language(saved) or system_language()


def build_parser() -> argparse.ArgumentParser:
    """The whole command line (``cli.parser``, which imports every command's module)."""
    from ssd_starter.cli.parser import build_parser as build

    return build()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    language = set_language(_early_language(argv))
    if not argv:  # the desktop application: no command line to build and read (a fortieth of a second)
        return run_command(lambda _args: run_gui(language), argparse.Namespace())
    args = build_parser().parse_args(argv)
    if args.lang:
        language = set_language(args.lang)
    command: Command | None = getattr(args, "run", None)

    def gui(_args: argparse.Namespace) -> int:  # no command given: the desktop application
        return run_gui(language)

    return run_command(command or gui, args)
