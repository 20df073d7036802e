"""What every command shares: the parser that words usage errors, the store and the district named on the
command line, plain text or one JSON document, and the exit code a refusal ends with.

Only the standard library, i18n and the domain's errors are imported here: this module is loaded for every
`--help`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import LANGUAGES, _

if TYPE_CHECKING:
    from ssd_starter.core.models import District
    from ssd_starter.store import Store

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl+C

Command: TypeAlias = Callable[[argparse.Namespace], int]


class Parser(argparse.ArgumentParser):
    """Every command's parser takes the global ``--lang`` too, after its own words (`dossier --lang de …`), as
    the help and the README write it. Its default is no value at all, so that a command's parser never
    overwrites a ``--lang`` given before the command word."""

    def __init__(self, *args: Any, global_options: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if global_options:
            self.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                              help=_("language of messages and documents"))

    def error(self, message: str) -> NoReturn:  # argparse's own messages stay as argparse words them
        self.print_usage(sys.stderr)
        print(_("{prog}: wrong usage: {message}").format(prog=self.prog, message=message), file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


if TYPE_CHECKING:
    # what add_subparsers returns: each command module adds its parsers to it
    Commands: TypeAlias = argparse._SubParsersAction[Parser]


# -- building the parsers ---------------------------------------------------------------------

def add_actions(parser: argparse.ArgumentParser, dest: str = "action", metavar: str | None = None) -> Commands:
    """The required second word of a command group: `district list`, `import stakeholders`…"""
    return parser.add_subparsers(dest=dest, metavar=metavar or _("ACTION"), required=True, parser_class=Parser)


def add_district_argument(parser: argparse.ArgumentParser, name: str = "--district") -> None:
    """The district a command works on: `--district KEY`, or a positional argument for `district …`."""
    helptext = _("district id, id prefix or exact name")
    if name.startswith("-"):
        parser.add_argument(name, required=True, help=helptext)
    else:
        parser.add_argument(name, help=helptext)


def add_json_option(parser: argparse.ArgumentParser, helptext: str | None = None) -> None:
    parser.add_argument("--json", action="store_true", help=helptext or _("print JSON"))


# -- what commands open -----------------------------------------------------------------------

def open_store() -> Store:
    from ssd_starter.store import Store  # SQLAlchemy and alembic: only for the commands that read data

    return Store.open()


def open_district(key: str) -> tuple[Store, District]:
    """The store, and the district `key` names: its id, a unique id prefix or its exact name."""
    from ssd_starter.store.districts import find_district

    store = open_store()
    return store, find_district(store, key)


def import_gui_module(name: str) -> ModuleType:
    """A module of the Qt layer (the GUI, the screenshots), imported by name on purpose: mypy checks the CLI
    but not the GUI, and a plain import would make it follow into the GUI's modules."""
    return import_module(name)


# -- output -----------------------------------------------------------------------------------

def print_json(document: Any) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def row_json(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the store returns it, with its dates and times as ISO 8601 text."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def emit(args: argparse.Namespace, document: Any, lines: Iterable[str] = ()) -> int:
    """With --json the document alone on stdout, for scripts; otherwise the lines, for a person.

    Give the lines as a generator: the text is then never worked out for --json."""
    if args.json:
        print_json(document)
    else:
        for line in lines:
            print(line)
    return EXIT_OK


# -- running ----------------------------------------------------------------------------------

def run_command(command: Command, args: argparse.Namespace) -> int:
    """Run one command: a refusal becomes one translated line on stderr and exit code 1, nothing changed."""
    try:
        return command(args)
    except UserError as exc:
        print(_("Error: {message}").format(message=exc.message()), file=sys.stderr)
        return EXIT_REFUSED
    except OSError as exc:
        print(_("Error: {message}").format(message=exc.strerror or exc), file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
