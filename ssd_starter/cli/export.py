"""`export graph`: the stakeholder map for Gephi or a spreadsheet; `dossier`: the district's dossier as PDF."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssd_starter.cli.runner import EXIT_OK, add_actions, add_district_argument, open_district
from ssd_starter.i18n import _, current_language, ngettext

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands


def add_export(commands: Commands) -> None:
    exporting = commands.add_parser("export", help=_("export the actor map"))
    what = add_actions(exporting, dest="what", metavar=_("WHAT"))
    graph = what.add_parser("graph", help=_("export actors and relations for Gephi or a spreadsheet"))
    add_district_argument(graph)
    graph.add_argument("--format", choices=("gexf", "graphml", "csv", "xlsx", "jsonld"), required=True,
                       help=_("file format: gexf (Gephi), graphml, csv (two files), xlsx (one workbook), jsonld "
                              "(ValueFlows)"))
    graph.add_argument("--out", type=Path, required=True,
                       help=_("the file to write (csv: NAME-actors.csv and NAME-relations.csv beside it)"))
    graph.add_argument("--language", choices=("it", "de", "en"),
                       help=_("language of the labels in the file (default: the program's)"))
    graph.add_argument("--include-personal", action="store_true",
                       help=_("include contact details of people who consented"))
    graph.set_defaults(run=cmd_export_graph)


def add_dossier(commands: Commands) -> None:
    dossier = commands.add_parser("dossier", help=_("write the district's dossier as PDF"))
    add_district_argument(dossier)
    dossier.add_argument("--out", type=Path, required=True, help=_("the PDF file to write"))
    # the section names are the choices, so they are needed for --help (the module loads no PDF library)
    from ssd_starter.export.dossier import SECTION_KEYS

    dossier.add_argument("--section", action="append", choices=SECTION_KEYS, dest="sections",
                         help=_("include only this section (repeat for several); all by default"))
    dossier.add_argument("--include-contacts", action="store_true",
                         help=_("include contact details of people who consented"))
    dossier.set_defaults(run=cmd_dossier)


def cmd_export_graph(args: argparse.Namespace) -> int:
    from ssd_starter.export.graph import export_graph
    from ssd_starter.store.flows import list_flows
    from ssd_starter.store.layout import load_positions
    from ssd_starter.store.stakeholders import list_relations, list_stakeholders

    store, district = open_district(args.district)
    actors: list[Mapping[str, Any]] = list(list_stakeholders(store, district.id))
    relations: list[Mapping[str, Any]] = list(list_relations(store, district.id))
    positions, _pinned = load_positions(store, district.id)
    written = export_graph(args.out.expanduser(), args.format, actors, relations,
                           include_personal=args.include_personal, name=district.name,
                           description=district.description, positions=positions,
                           flows=list_flows(store, district.id) if args.format == "jsonld" else None,
                           language=args.language or current_language())
    if len(written) > 1:
        print(ngettext("Wrote {count} file:", "Wrote {count} files:", len(written)).format(count=len(written)))
    for path in written:
        print(path)
    return EXIT_OK


def cmd_dossier(args: argparse.Namespace) -> int:
    from ssd_starter.export.dossier import SECTION_KEYS, DossierOptions, write_dossier

    store, district = open_district(args.district)
    options = DossierOptions(language=current_language(), sections=args.sections or SECTION_KEYS,
                             include_contacts=args.include_contacts)
    print(write_dossier(store, district.id, args.out, options))
    return EXIT_OK
