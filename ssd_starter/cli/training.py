"""`training`: install a pack of modules, list the modules, print a workshop's certificates."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ssd_starter.cli.runner import (
    EXIT_OK,
    add_actions,
    add_district_argument,
    add_json_option,
    emit,
    open_district,
)
from ssd_starter.i18n import N_, _, current_language, ngettext

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands


def add_training(commands: Commands) -> None:
    training = commands.add_parser("training", help=_("training modules, packs and workshops"))
    actions = add_actions(training)
    install = actions.add_parser("import-pack", help=_("check a training pack and install it"))
    install.add_argument("file", type=Path, help=_("the pack (.ssdpack or .zip)"))
    install.set_defaults(run=cmd_training_import)
    modules = actions.add_parser("modules", help=_("list the training modules available"))
    add_json_option(modules)
    modules.set_defaults(run=cmd_training_modules)
    certificates = actions.add_parser("certificates", help=_("certificates of attendance of a workshop as PDF"))
    add_district_argument(certificates)
    certificates.add_argument("--workshop", required=True, help=_("workshop id or exact title"))
    certificates.add_argument("--out", type=Path, required=True, help=_("the PDF file to write"))
    certificates.set_defaults(run=cmd_training_certificates)


def cmd_training_import(args: argparse.Namespace) -> int:
    from ssd_starter.core.training import warnings_text
    from ssd_starter.store.training import install_pack

    pack = install_pack(args.file)
    language = current_language()
    print(ngettext("Installed {title} {version}: {count} module.", "Installed {title} {version}: {count} modules.",
                   len(pack.modules)).format(title=pack.title[language], version=pack.version,
                                             count=len(pack.modules)))
    if pack.warnings:  # installed all the same: the Centre's authors fix their texts in the next version
        print(warnings_text(pack.warnings, limit=len(pack.warnings)), file=sys.stderr)
    return EXIT_OK


def cmd_training_modules(args: argparse.Namespace) -> int:
    from ssd_starter.store.training import library

    language = current_language()
    rows = [{"id": m.id, "name": m.title[language], "pack": pack.id, "pack_version": pack.version,
             "duration_minutes": m.duration_minutes, "slides": len(m.slides[language]),
             "exercises": len(m.exercises)} for pack in library() for m in pack.modules]
    return emit(args, rows, (f"{row['id']}  {row['name']}  ({row['duration_minutes']} min)" for row in rows))


def cmd_training_certificates(args: argparse.Namespace) -> int:
    from ssd_starter.core.errors import NotFound
    from ssd_starter.export.certificate import write_certificates
    from ssd_starter.store.training import list_workshops

    store, district = open_district(args.district)
    matches = [w for w in list_workshops(store, district.id) if args.workshop in (w["id"], w["title"])]
    if len(matches) != 1:
        raise NotFound(N_("No workshop matches {key}."), key=args.workshop)
    path = write_certificates(store, matches[0]["id"], args.out, language=current_language())
    print(path)
    return EXIT_OK
