"""`demo`: the demo district, its dossier and the screenshots of every page."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ssd_starter.cli.runner import EXIT_OK, import_gui_module, open_store
from ssd_starter.i18n import _, current_language

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands


def add_demo(commands: Commands) -> None:
    demo = commands.add_parser("demo", help=_("create or refresh the demo district and write its screenshots"))
    demo.add_argument("--out", type=Path, default=None, help=_("folder for the files (default: demo-output)"))
    demo.set_defaults(run=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from ssd_starter.demo import load_demo

    out = (args.out or Path("demo-output")).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    store = open_store()
    district_id = load_demo(store)
    from ssd_starter.export.dossier import DossierOptions, write_dossier

    language = current_language()
    dossier = write_dossier(store, district_id, out / f"{language}-dossier.pdf", DossierOptions(language=language))
    store.close()  # the screenshots open the data file again, through the GUI's own store
    screenshots = import_gui_module("ssd_starter.ui.screenshots")
    for path in screenshots.write_screenshots(out, district_id=district_id):
        print(path)
    print(dossier)
    return EXIT_OK
