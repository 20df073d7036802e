"""The whole command line: the top-level options, then each command group's parsers.

Every command module is imported here at start-up, so each must import only the standard library, i18n
and the runner at module level; what a command needs it imports when it runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ssd_starter import APP_ID, __version__
from ssd_starter.cli import (
    centre,
    charter,
    db,
    demo,
    devices,
    district,
    export,
    flows,
    indicators,
    person,
    stakeholders,
    sync,
    training,
)
from ssd_starter.cli.runner import Parser
from ssd_starter.i18n import LANGUAGES, _

# In the order `ssd-starter --help` lists the commands.
COMMAND_GROUPS: tuple[Callable[..., None], ...] = (
    demo.add_demo,
    district.add_district,
    stakeholders.add_stakeholder,
    stakeholders.add_import,
    export.add_export,
    person.add_person,
    flows.add_flow,
    flows.add_scenario,
    training.add_training,
    sync.add_bundle,
    sync.add_sync,
    devices.add_device,
    sync.add_review,
    centre.add_centre,
    export.add_dossier,
    indicators.add_indicators,
    charter.add_charter,
    db.add_db,
)


def build_parser() -> argparse.ArgumentParser:
    """The parser in the current language (help texts are translated when they are added)."""
    parser = Parser(prog=APP_ID, description=_("SSD Starter: tools for promoters of solidarity-economy districts. "
                                               "With no command, the desktop application starts."),
                    global_options=False)
    parser.add_argument("--version", action="version", version=f"{APP_ID} {__version__}")
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages and documents"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=Parser)
    for add_group in COMMAND_GROUPS:
        add_group(commands)
    return parser
