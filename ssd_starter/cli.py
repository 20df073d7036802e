"""The one entry point: the GUI by default, subcommands for headless work (DESIGN §7).

Exit codes: 0 done; 1 input or state refused (one translated line on stderr, nothing changed);
2 wrong usage. With ``--json`` stdout carries one JSON document and nothing else.
Heavy modules (Qt, alembic) are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ssd_starter import APP_ID, __version__
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import (
    LANGUAGES,
    N_,
    _,
    current_language,
    ngettext,
    normalize_language,
    set_language,
    system_language,
)

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own messages stay as argparse words them
        self.print_usage(sys.stderr)
        print(_("{prog}: wrong usage: {message}").format(prog=self.prog, message=message), file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


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
    parser = _Parser(prog=APP_ID, description=_("SSD Starter: tools for promoters of solidarity-economy districts. "
                                                "With no command, the desktop application starts."))
    parser.add_argument("--version", action="version", version=f"{APP_ID} {__version__}")
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages and documents"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)

    demo = commands.add_parser("demo", help=_("create or refresh the demo district and write its screenshots"))
    demo.add_argument("--lang", choices=LANGUAGES, help=_("language of messages and documents"))
    demo.add_argument("--out", type=Path, default=None, help=_("folder for the files (default: demo-output)"))
    demo.set_defaults(run=cmd_demo)

    district = commands.add_parser("district", help=_("list, create, show, rename, duplicate or delete districts"))
    actions = district.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    listing = actions.add_parser("list", help=_("list the districts"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(run=cmd_district_list)
    create = actions.add_parser("create", help=_("create a district"))
    create.add_argument("name", help=_("the district's name"))
    create.add_argument("--kind", choices=("thematic", "territorial"), default="territorial",
                        help=_("thematic or territorial"))
    create.add_argument("--sector", action="append", default=[], help=_("a Law 13/2010 sector id (repeatable)"))
    create.add_argument("--municipality", action="append", default=[], help=_("a municipality (repeatable)"))
    create.add_argument("--language", choices=LANGUAGES, default="it", help=_("the district's working language"))
    create.add_argument("--json", action="store_true", help=_("print JSON"))
    create.set_defaults(run=cmd_district_create)
    show = actions.add_parser("show", help=_("show one district"))
    show.add_argument("id", help=_("district id, id prefix or exact name"))
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(run=cmd_district_show)
    rename = actions.add_parser("rename", help=_("rename a district"))
    rename.add_argument("id", help=_("district id, id prefix or exact name"))
    rename.add_argument("name", help=_("the new name"))
    rename.set_defaults(run=cmd_district_rename)
    duplicate = actions.add_parser("duplicate", help=_("copy a district with all its records"))
    duplicate.add_argument("id", help=_("district id, id prefix or exact name"))
    duplicate.add_argument("--name", default=None, help=_("name of the copy"))
    duplicate.add_argument("--json", action="store_true", help=_("print JSON"))
    duplicate.set_defaults(run=cmd_district_duplicate)
    delete = actions.add_parser("delete", help=_("delete a district (it can be restored from a backup)"))
    delete.add_argument("id", help=_("district id, id prefix or exact name"))
    delete.set_defaults(run=cmd_district_delete)

    stakeholder = commands.add_parser("stakeholder", help=_("add, list, edit or delete the actors of a district"))
    s_actions = stakeholder.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    s_list = s_actions.add_parser("list", help=_("list the actors"))
    s_list.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    s_list.add_argument("--json", action="store_true", help=_("print JSON"))
    s_list.set_defaults(run=cmd_stakeholder_list)
    s_add = s_actions.add_parser("add", help=_("add an actor"))
    s_add.add_argument("name", help=_("the actor's name"))
    s_edit = s_actions.add_parser("edit", help=_("change fields of an actor"))
    s_edit.add_argument("stakeholder", help=_("actor id, id prefix or exact name"))
    s_edit.add_argument("--name", help=_("the actor's name"))
    for sub in (s_add, s_edit):
        sub.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
        sub.add_argument("--category", help=_("category id, e.g. cooperative"))
        sub.add_argument("--sector", help=_("a Law 13/2010 sector id"))
        sub.add_argument("--municipality", help=_("a municipality"))
        sub.add_argument("--role", action="append", dest="roles", help=_("a role id (repeatable)"))
        sub.add_argument("--influence", type=int, help=_("influence, 1 to 5"))
        sub.add_argument("--interest", type=int, help=_("interest, 1 to 5"))
        sub.add_argument("--attitude", help=_("supporter, neutral or sceptic"))
        sub.add_argument("--stage", help=_("identified, contacted, engaged, member or signatory"))
        sub.add_argument("--json", action="store_true", help=_("print JSON"))
    s_add.set_defaults(run=cmd_stakeholder_add)
    s_edit.set_defaults(run=cmd_stakeholder_edit)
    s_delete = s_actions.add_parser("delete", help=_("delete an actor and its relations"))
    s_delete.add_argument("stakeholder", help=_("actor id, id prefix or exact name"))
    s_delete.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    s_delete.add_argument("--flows", choices=("outside", "delete"),
                          help=_("for an actor with resource flows: move them to outside the district, or delete "
                                 "them"))
    s_delete.set_defaults(run=cmd_stakeholder_delete)

    importing = commands.add_parser("import", help=_("import a spreadsheet of actors"))
    i_what = importing.add_subparsers(dest="what", metavar=_("WHAT"), required=True, parser_class=_Parser)
    i_stakeholders = i_what.add_parser("stakeholders", help=_("import actors from a CSV or XLSX file"))
    i_stakeholders.add_argument("file", type=Path, help=_("the CSV or XLSX file"))
    i_stakeholders.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    i_stakeholders.add_argument("--dry-run", action="store_true", help=_("check and summarise, change nothing"))
    i_stakeholders.add_argument("--merge-duplicates", action="store_true",
                                help=_("fill existing actors from rows with the same name (default: skip them)"))
    i_stakeholders.add_argument("--json", action="store_true", help=_("print JSON"))
    i_stakeholders.set_defaults(run=cmd_import_stakeholders)

    exporting = commands.add_parser("export", help=_("export the stakeholder map"))
    e_what = exporting.add_subparsers(dest="what", metavar=_("WHAT"), required=True, parser_class=_Parser)
    e_graph = e_what.add_parser("graph", help=_("export actors and relations for Gephi or a spreadsheet"))
    e_graph.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    e_graph.add_argument("--format", choices=("graphml", "gexf", "csv"), required=True, help=_("file format"))
    e_graph.add_argument("--out", type=Path, required=True, help=_("the file to write"))
    e_graph.add_argument("--include-personal", action="store_true",
                         help=_("include contact details of people who consented"))
    e_graph.set_defaults(run=cmd_export_graph)

    person = commands.add_parser("person", help=_("export or erase one person's data (GDPR)"))
    p_actions = person.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    for name, helptext, runner in (("export", _("print everything held on one person as JSON"), cmd_person_export),
                                   ("erase", _("erase one person's contact details everywhere, backups included"),
                                    cmd_person_erase)):
        p = p_actions.add_parser(name, help=helptext)
        p.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
        p.add_argument("--stakeholder", required=True, help=_("actor id, id prefix or exact name"))
        if name == "erase":
            p.add_argument("--dry-run", action="store_true",
                           help=_("list the notes and other free text that mention the person; change nothing"))
            p.add_argument("--clear-notes", action="store_true",
                           help=_("also replace the person's name, e-mail and phone in notes and other free text "
                                  "with “[erased]” (see them first with --dry-run)"))
        p.set_defaults(run=runner)

    flow = commands.add_parser("flow", help=_("list, add or delete the resource flows of a district"))
    f_actions = flow.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    f_list = f_actions.add_parser("list", help=_("list the flows"))
    f_list.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    f_list.add_argument("--json", action="store_true", help=_("print JSON"))
    f_list.set_defaults(run=cmd_flow_list)
    f_add = f_actions.add_parser("add", help=_("add a flow"))
    f_add.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    f_add.add_argument("--from", dest="source", default="outside",
                       help=_("actor id, id prefix or exact name; 'outside' for outside the district"))
    f_add.add_argument("--to", dest="target", default="outside",
                       help=_("actor id, id prefix or exact name; 'outside' for outside the district"))
    f_add.add_argument("--kind", required=True, help=_("goods, services, money, labour, knowledge, energy or reuse"))
    f_add.add_argument("--value", type=float, default=0.0, help=_("value in EUR per year"))
    f_add.add_argument("--quantity", type=float, help=_("quantity per year"))
    f_add.add_argument("--unit", default="", help=_("unit of the quantity, e.g. kg, h, kWh, persons"))
    f_add.add_argument("--description", default="", help=_("what moves"))
    f_add.add_argument("--json", action="store_true", help=_("print JSON"))
    f_add.set_defaults(run=cmd_flow_add)
    f_delete = f_actions.add_parser("delete", help=_("delete a flow"))
    f_delete.add_argument("flow", help=_("flow id or id prefix"))
    f_delete.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    f_delete.set_defaults(run=cmd_flow_delete)

    scenario = commands.add_parser("scenario", help=_("list what-if scenarios or apply one to the district"))
    sc_actions = scenario.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    sc_list = sc_actions.add_parser("list", help=_("list the scenarios"))
    sc_list.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    sc_list.add_argument("--json", action="store_true", help=_("print JSON"))
    sc_list.set_defaults(run=cmd_scenario_list)
    sc_apply = sc_actions.add_parser("apply", help=_("write a scenario's changes into the district's flows"))
    sc_apply.add_argument("scenario", help=_("scenario id or exact name"))
    sc_apply.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    sc_apply.set_defaults(run=cmd_scenario_apply)

    training = commands.add_parser("training", help=_("training modules, packs and workshops"))
    t_actions = training.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    t_import = t_actions.add_parser("import-pack", help=_("check a training pack and install it"))
    t_import.add_argument("file", type=Path, help=_("the pack (.ssdpack or .zip)"))
    t_import.set_defaults(run=cmd_training_import)
    t_list = t_actions.add_parser("modules", help=_("list the training modules available"))
    t_list.add_argument("--json", action="store_true", help=_("print JSON"))
    t_list.set_defaults(run=cmd_training_modules)
    t_cert = t_actions.add_parser("certificates", help=_("certificates of attendance of a workshop as PDF"))
    t_cert.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    t_cert.add_argument("--workshop", required=True, help=_("workshop id or exact title"))
    t_cert.add_argument("--out", type=Path, required=True, help=_("the PDF file to write"))
    t_cert.set_defaults(run=cmd_training_certificates)

    bundle = commands.add_parser("bundle", help=_("signed bundles of a district's changes, for USB or e-mail"))
    b_actions = bundle.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    b_write = b_actions.add_parser("write", help=_("write a signed bundle of the district's changes"))
    b_write.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    b_write.add_argument("--out", type=Path, required=True, help=_("the bundle file to write"))
    b_write.add_argument("--since", type=int, default=0, help=_("only changes after this sequence number"))
    b_write.add_argument("--with-dossier", action="store_true", help=_("add the dossier PDF"))
    b_write.add_argument("--json", action="store_true", help=_("print the manifest as JSON"))
    b_write.set_defaults(run=cmd_bundle_write)
    b_verify = b_actions.add_parser("verify", help=_("check a bundle's signature, contents and safety"))
    b_verify.add_argument("file", type=Path, help=_("the bundle file"))
    b_verify.add_argument("--json", action="store_true", help=_("print the manifest as JSON"))
    b_verify.set_defaults(run=cmd_bundle_verify)
    b_import = b_actions.add_parser("import", help=_("verify a bundle and merge its changes into this installation"))
    b_import.add_argument("file", type=Path, help=_("the bundle file"))
    b_import.add_argument("--json", action="store_true", help=_("print what was merged as JSON"))
    b_import.set_defaults(run=cmd_bundle_import)

    sync_parser = commands.add_parser("sync", help=_("send the district's changes to the Centre and get its comments"))
    sync_parser.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    sync_parser.add_argument("--centre", required=True, help=_("the Centre's address, e.g. https://centre.example.org"))
    sync_parser.add_argument("--token", help=_("the one-time enrolment token, the first time"))
    sync_parser.add_argument("--insecure-http", action="store_true",
                             help=_("allow an unencrypted http:// address that is not this computer (a trusted "
                                    "network only)"))
    sync_parser.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    sync_parser.set_defaults(run=cmd_sync)

    centre = commands.add_parser("centre", help=_("run the Centre's server, or enrol a district with it"))
    ce_actions = centre.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    for name, helptext in (("serve", _("serve the Centre's API")),
                           ("enrol", _("print a one-time enrolment token for a district")),
                           ("publish-pack", _("offer a training pack to every district at its next sync"))):
        sub = ce_actions.add_parser(name, help=helptext)
        sub.add_argument("--db", default=None,
                         help=_("database URL: sqlite:///FILE (default, in the data folder) or postgresql://…"))
        if name == "serve":
            sub.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
            sub.add_argument("--port", type=int, default=8765, help=_("port to listen on"))
            sub.set_defaults(run=cmd_centre_serve)
        elif name == "enrol":
            sub.add_argument("--district-name", required=True, help=_("the district's name, for the Centre's list"))
            sub.add_argument("--valid-days", type=int, default=14,
                             help=_("days the token can be used, 1 to 365 (default: 14)"))
            sub.set_defaults(run=cmd_centre_enrol)
        else:
            sub.add_argument("file", type=Path, help=_("the pack (.ssdpack or .zip)"))
            sub.set_defaults(run=cmd_centre_publish_pack)

    dossier = commands.add_parser("dossier", help=_("write the district's dossier as PDF"))
    dossier.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    dossier.add_argument("--out", type=Path, required=True, help=_("the PDF file to write"))
    from ssd_starter.export.dossier import SECTION_KEYS

    dossier.add_argument("--section", action="append", choices=SECTION_KEYS, dest="sections",
                         help=_("include only this section (repeat for several); all by default"))
    dossier.add_argument("--include-contacts", action="store_true",
                         help=_("include contact details of people who consented"))
    dossier.set_defaults(run=cmd_dossier)

    indicators = commands.add_parser("indicators", help=_("indicators of a district"))
    indicators.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    indicators.add_argument("--scenario", help=_("also compute the flow indicators as this scenario would make them"))
    indicators.add_argument("--json", action="store_true", help=_("print JSON"))
    indicators.set_defaults(run=cmd_indicators)

    charter = commands.add_parser("charter", help=_("the founding charter"))
    c_actions = charter.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    c_check = c_actions.add_parser("check", help=_("the completeness checklist (Law 13/2010 and good practice)"))
    c_check.add_argument("--district", required=True, help=_("district id, id prefix or exact name"))
    c_check.add_argument("--json", action="store_true", help=_("print JSON"))
    c_check.set_defaults(run=cmd_charter_check)

    db = commands.add_parser("db", help=_("check, back up or restore the data file"))
    db_actions = db.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    check = db_actions.add_parser("check", help=_("check the data file's integrity"))
    check.add_argument("--json", action="store_true", help=_("print JSON"))
    check.set_defaults(run=cmd_db_check)
    backup = db_actions.add_parser("backup", help=_("write a backup now"))
    backup.set_defaults(run=cmd_db_backup)
    restore = db_actions.add_parser("restore", help=_("replace the data with a backup (the current data is "
                                                      "backed up first)"))
    restore.add_argument("file", type=Path, help=_("the backup file"))
    restore.set_defaults(run=cmd_db_restore)
    return parser


# -- helpers ----------------------------------------------------------------------------------

def _open_store():
    from ssd_starter.store import Store

    return Store.open()


def _print_json(document: Any) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def _district_json(store, district) -> dict[str, Any]:
    from ssd_starter.store.districts import count_rows

    return {
        "id": district.id, "name": district.name, "kind": district.kind, "sectors": district.sectors,
        "municipalities": district.municipalities, "language": district.language,
        "description": district.description, "created_at": district.created_at.isoformat(),
        "updated_at": district.updated_at.isoformat(), **count_rows(store, district.id),
    }


# -- commands ---------------------------------------------------------------------------------

def cmd_district_list(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import list_districts

    store = _open_store()
    districts = list_districts(store)
    if args.json:
        _print_json([_district_json(store, d) for d in districts])
    elif not districts:
        print(_("No districts yet. Create one with: ssd-starter district create NAME"))
    else:
        for d in districts:
            print(f"{d.id[:8]}  {d.name}  ({_kind_label(d.kind)})")
    return EXIT_OK


def _kind_label(kind: str) -> str:
    from ssd_starter.core.vocabulary import DistrictKind

    return DistrictKind(kind).label


def cmd_district_create(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import create_district, get_district

    store = _open_store()
    edit = create_district(args.name, kind=args.kind, sectors=args.sector, municipalities=args.municipality,
                           language=args.language)
    store.apply(edit)
    district = get_district(store, edit.values["id"])
    if args.json:
        _print_json(_district_json(store, district))
    else:
        print(_("Created district {name} ({id}).").format(name=district.name, id=district.id))
    return EXIT_OK


def cmd_district_show(args: argparse.Namespace) -> int:
    from ssd_starter.core.vocabulary import Sector
    from ssd_starter.i18n import format_datetime, format_number
    from ssd_starter.store.districts import find_district

    store = _open_store()
    district = find_district(store, args.id)
    data = _district_json(store, district)
    if args.json:
        _print_json(data)
        return EXIT_OK
    rows = [
        (_("Name"), district.name),
        (_("Id"), district.id),
        (_("Kind"), _kind_label(district.kind)),
        (_("Working language"), district.language),
        (_("Sectors"), "; ".join(Sector(s).label for s in district.sectors) or "—"),
        (_("Municipalities"), ", ".join(district.municipalities) or "—"),
        (_("Stakeholders"), format_number(data["stakeholders"])),
        (_("Relations"), format_number(data["relations"])),
        (_("Last change"), format_datetime(district.updated_at)),
    ]
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")
    return EXIT_OK


def cmd_district_rename(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import find_district, update_district

    store = _open_store()
    district = find_district(store, args.id)
    store.apply(update_district(district.id, name=args.name))
    print(_("Renamed to {name}.").format(name=" ".join(args.name.split())))
    return EXIT_OK


def cmd_district_duplicate(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import copy_name, duplicate_district, find_district, get_district

    store = _open_store()
    district = find_district(store, args.id)
    edit = duplicate_district(store, district.id, args.name or copy_name(store, district.name))
    store.apply(edit)
    copy = get_district(store, edit.edits[0].values["id"])  # type: ignore[attr-defined]
    if args.json:
        _print_json(_district_json(store, copy))
    else:
        print(_("Created {name} ({id}).").format(name=copy.name, id=copy.id))
    return EXIT_OK


def cmd_district_delete(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import delete_district, find_district

    store = _open_store()
    district = find_district(store, args.id)
    store.apply(delete_district(district.id))
    print(_("Deleted district {name}.").format(name=district.name))
    return EXIT_OK


def cmd_db_check(args: argparse.Namespace) -> int:
    from ssd_starter.store.backup import backup_folder, list_backups

    store = _open_store()
    result = store.integrity_check()
    backups = list_backups(backup_folder(store))
    report = {"path": str(store.path), "integrity": result, "ok": result == ["ok"],
              "revision": store.revision(), "device_id": store.device_id,
              "backups": [str(p) for p in backups]}
    if args.json:
        _print_json(report)
    else:
        print(_("Data file: {path}").format(path=store.path))
        print(_("Integrity: {result}").format(result="; ".join(result)))
        print(_("Schema revision: {revision}").format(revision=report["revision"]))
        print(_("Backups: {count}").format(count=len(backups)))
    return EXIT_OK if report["ok"] else EXIT_REFUSED


def cmd_db_backup(args: argparse.Namespace) -> int:
    from ssd_starter.settings import Settings
    from ssd_starter.store.backup import make_backup

    store = _open_store()
    path = make_backup(store, reason="manual", keep=Settings().get("backups_keep"))
    print(path)
    return EXIT_OK


def cmd_db_restore(args: argparse.Namespace) -> int:
    from ssd_starter.settings import Settings, database_path
    from ssd_starter.store.backup import restore

    safety = restore(database_path(), args.file.expanduser().resolve(), keep=Settings().get("backups_keep"))
    print(_("Restored {file}. The data it replaced is kept in {safety}.").format(file=args.file, safety=safety))
    return EXIT_OK


# -- stakeholders ----------------------------------------------------------------------------

def _stakeholder_fields(args: argparse.Namespace) -> dict[str, Any]:
    names = ("name", "category", "sector", "municipality", "roles", "influence", "interest", "attitude", "stage")
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def _stakeholder_json(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def cmd_stakeholder_list(args: argparse.Namespace) -> int:
    from ssd_starter.core.vocabulary import Category
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.stakeholders import list_stakeholders

    store = _open_store()
    rows = list_stakeholders(store, find_district(store, args.district).id)
    if args.json:
        _print_json([_stakeholder_json(r) for r in rows])
    else:
        for r in rows:
            print(f"{r['id'][:8]}  {r['name']}  ({Category(r['category']).label})")
    return EXIT_OK


def cmd_stakeholder_add(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.stakeholders import create_stakeholder, get_stakeholder

    store = _open_store()
    edit = create_stakeholder(find_district(store, args.district).id, _stakeholder_fields(args))
    store.apply(edit)
    row = get_stakeholder(store, edit.values["id"])
    if args.json:
        _print_json(_stakeholder_json(row))
    else:
        print(_("Added {name} ({id}).").format(name=row["name"], id=row["id"]))
    return EXIT_OK


def cmd_stakeholder_edit(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.stakeholders import find_stakeholder, get_stakeholder, update_stakeholder

    store = _open_store()
    row = find_stakeholder(store, find_district(store, args.district).id, args.stakeholder)
    store.apply(update_stakeholder(row["id"], **_stakeholder_fields(args)))
    row = get_stakeholder(store, row["id"])
    if args.json:
        _print_json(_stakeholder_json(row))
    else:
        print(_("Saved {name}.").format(name=row["name"]))
    return EXIT_OK


def cmd_stakeholder_delete(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.stakeholders import delete_stakeholder, find_stakeholder

    store = _open_store()
    row = find_stakeholder(store, find_district(store, args.district).id, args.stakeholder)
    store.apply(delete_stakeholder(store, row["id"], flows=args.flows))
    print(_("Deleted {name} and its relations.").format(name=row["name"]))
    return EXIT_OK


def cmd_import_stakeholders(args: argparse.Namespace) -> int:
    from ssd_starter.core.importer import guess_mapping, plan_import, read_table
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.stakeholders import import_stakeholders, list_stakeholders

    store = _open_store()
    district = find_district(store, args.district)
    table = read_table(args.file.expanduser())
    plan = plan_import(table, guess_mapping(table.headers), list_stakeholders(store, district.id))
    summary = {"rows": plan.total_rows, "new": len(plan.new), "duplicates": len(plan.duplicates),
               "repeated_in_file": len(plan.repeated_in_file), "dry_run": args.dry_run,
               "duplicates_action": "merge" if args.merge_duplicates else "skip",
               "columns": {field: table.headers[column] for field, column in guess_mapping(table.headers).items()}}
    if not args.dry_run:
        store.apply(import_stakeholders(district.id, plan, merge_duplicates=args.merge_duplicates))
    if args.json:
        _print_json(summary)
    else:
        lines = [
            _("Rows read: {count}").format(count=summary["rows"]),
            _("New actors: {count}").format(count=summary["new"]),
            _("Already in the map: {count} ({action})").format(
                count=summary["duplicates"],
                action=_("merged") if args.merge_duplicates else _("skipped")),
            _("Repeated rows in the file, skipped: {count}").format(count=summary["repeated_in_file"]),
        ]
        if args.dry_run:
            lines.append(_("Dry run: nothing was changed."))
        print("\n".join(lines))
    return EXIT_OK


def cmd_export_graph(args: argparse.Namespace) -> int:
    from ssd_starter.export.graph import export_graph
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.stakeholders import list_relations, list_stakeholders

    store = _open_store()
    district = find_district(store, args.district)
    for path in export_graph(args.out.expanduser(), args.format, list_stakeholders(store, district.id),
                             list_relations(store, district.id), include_personal=args.include_personal):
        print(path)
    return EXIT_OK


def cmd_person_export(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.people import person_record
    from ssd_starter.store.stakeholders import find_stakeholder

    store = _open_store()
    row = find_stakeholder(store, find_district(store, args.district).id, args.stakeholder)
    _print_json(person_record(store, row["id"]))
    return EXIT_OK


def cmd_person_erase(args: argparse.Namespace) -> int:
    from ssd_starter.settings import Settings
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.people import erase_person, preview_erasure
    from ssd_starter.store.stakeholders import find_stakeholder

    store = _open_store()
    row = find_stakeholder(store, find_district(store, args.district).id, args.stakeholder)
    if args.dry_run:
        mentions = preview_erasure(store, row["id"])
        _print_mentions(mentions, _("Free text that mentions {name}:").format(name=row["name"]))
        if mentions:
            print(_("Erase with --clear-notes to replace these mentions with “[erased]”."))
        print(_("Dry run: nothing was changed."))
        return EXIT_OK
    report = erase_person(store, row["id"], keep_backups=Settings().get("backups_keep"),
                          clear_mentions=args.clear_notes)
    print(_("Erased the personal data of {name}; older backups holding it were deleted.").format(name=row["name"]))
    if report.cleared:
        _print_mentions(report.mentions, _("Mentions replaced with “[erased]”:"))
    else:
        _print_mentions(report.mentions, _("Free text still mentions the person and was left as it was: edit what "
                                           "is about this person (--clear-notes, given together with the erasure, "
                                           "replaces all of it, earlier versions too):"))
    if report.files_still_holding:
        print(_("These files still hold the person's data; SSD Starter did not change them:"))
        for path in report.files_still_holding:
            print(f"  {path}")
    return EXIT_OK


def _print_mentions(mentions, heading: str) -> None:
    if mentions:
        print(heading)
    for mention in mentions:
        print(f"  {mention.where}: {mention.snippet}")


def _flow_end(store, district_id: str, key: str) -> str | None:
    from ssd_starter.store.stakeholders import find_stakeholder

    return None if key.strip().casefold() == "outside" else find_stakeholder(store, district_id, key)["id"]


def cmd_flow_list(args: argparse.Namespace) -> int:
    from ssd_starter.core.vocabulary import FlowKind
    from ssd_starter.i18n import format_currency
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.flows import list_flows
    from ssd_starter.store.stakeholders import list_stakeholders

    store = _open_store()
    district = find_district(store, args.district)
    rows = list_flows(store, district.id)
    if args.json:
        _print_json([{**_stakeholder_json(r), "name": r["description"]} for r in rows])
        return EXIT_OK
    names = {a["id"]: a["name"] for a in list_stakeholders(store, district.id)}
    outside = _("outside")
    for r in rows:
        print(f"{r['id'][:8]}  {names.get(r['source_id'], outside)} → {names.get(r['target_id'], outside)}  "
              f"{FlowKind(r['kind']).label}  {format_currency(r['value_eur'])}  {r['description']}")
    return EXIT_OK


def cmd_flow_add(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.flows import create_flow, get_flow

    store = _open_store()
    district = find_district(store, args.district)
    edit = create_flow(district.id, {
        "source_id": _flow_end(store, district.id, args.source), "target_id": _flow_end(store, district.id, args.target),
        "kind": args.kind, "value_eur": args.value, "quantity": args.quantity, "unit": args.unit,
        "description": args.description})
    store.apply(edit)
    if args.json:
        _print_json(_stakeholder_json(get_flow(store, edit.values["id"])))
    else:
        print(_("Added flow {id}.").format(id=edit.values["id"][:8]))
    return EXIT_OK


def cmd_flow_delete(args: argparse.Namespace) -> int:
    from ssd_starter.core.errors import NotFound
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.flows import delete_flow, list_flows

    store = _open_store()
    district = find_district(store, args.district)
    matches = [f for f in list_flows(store, district.id) if f["id"].startswith(args.flow)] if len(args.flow) >= 4 else []
    if len(matches) != 1:
        raise NotFound(N_("No single flow matches {key}."), key=args.flow)
    store.apply(delete_flow(matches[0]["id"]))
    print(_("Deleted flow {id}.").format(id=matches[0]["id"][:8]))
    return EXIT_OK


def cmd_scenario_list(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.flows import list_scenarios

    store = _open_store()
    rows = list_scenarios(store, find_district(store, args.district).id)
    if args.json:
        _print_json([_stakeholder_json(r) for r in rows])
    else:
        for r in rows:
            print(f"{r['id'][:8]}  {r['name']}  " + ngettext("({count} change)", "({count} changes)",
                                                             len(r["changes"])).format(count=len(r["changes"])))
    return EXIT_OK


def cmd_scenario_apply(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.flows import apply_scenario, find_scenario

    store = _open_store()
    scenario = find_scenario(store, find_district(store, args.district).id, args.scenario)
    store.apply(apply_scenario(store, scenario))
    print(_("Applied the scenario {name}.").format(name=scenario["name"]))
    return EXIT_OK


def cmd_training_import(args: argparse.Namespace) -> int:
    from ssd_starter.store.training import install_pack

    pack = install_pack(args.file)
    language = current_language()
    print(ngettext("Installed {title} {version}: {count} module.", "Installed {title} {version}: {count} modules.",
                   len(pack.modules)).format(title=pack.title[language], version=pack.version,
                                             count=len(pack.modules)))
    return EXIT_OK


def cmd_training_modules(args: argparse.Namespace) -> int:
    from ssd_starter.store.training import library

    language = current_language()
    rows = [{"id": m.id, "name": m.title[language], "pack": pack.id, "pack_version": pack.version,
             "duration_minutes": m.duration_minutes, "slides": len(m.slides[language]),
             "exercises": len(m.exercises)} for pack in library() for m in pack.modules]
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']}  {row['name']}  ({row['duration_minutes']} min)")
    return EXIT_OK


def cmd_training_certificates(args: argparse.Namespace) -> int:
    from ssd_starter.core.errors import NotFound
    from ssd_starter.export.certificate import write_certificates
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.training import list_workshops

    store = _open_store()
    district = find_district(store, args.district)
    matches = [w for w in list_workshops(store, district.id) if args.workshop in (w["id"], w["title"])]
    if len(matches) != 1:
        raise NotFound(N_("No workshop matches {key}."), key=args.workshop)
    path = write_certificates(store, matches[0]["id"], args.out, language=current_language())
    print(path)
    return EXIT_OK


def cmd_bundle_write(args: argparse.Namespace) -> int:
    import tempfile

    from ssd_starter.store.districts import find_district
    from ssd_starter.sync.bundle import write_bundle
    from ssd_starter.sync.identity import load_or_create

    store = _open_store()
    district = find_district(store, args.district)
    dossier = None
    if args.with_dossier:
        from ssd_starter.export.dossier import DossierOptions, write_dossier

        dossier = write_dossier(store, district.id, Path(tempfile.mkdtemp()) / "dossier.pdf",
                                DossierOptions(language=current_language()))
    manifest = write_bundle(store, district.id, args.out, load_or_create(), since=args.since, dossier=dossier)
    if args.json:
        _print_json(manifest)
    else:
        print(ngettext("Wrote {path}: {count} change, sequence {first}–{last}.",
                       "Wrote {path}: {count} changes, sequence {first}–{last}.",
                       manifest["counts"]["changes"]).format(
            path=args.out, count=manifest["counts"]["changes"], first=manifest["sequence"]["first"],
            last=manifest["sequence"]["last"]))
    return EXIT_OK


def cmd_bundle_verify(args: argparse.Namespace) -> int:
    from ssd_starter.sync.bundle import verify_bundle_file

    bundle = verify_bundle_file(args.file)
    if args.json:
        _print_json({**bundle.manifest, "signer": bundle.signer})
    else:
        print(_("Valid bundle for {district}: {count} changes, signed by {fingerprint}.").format(
            district=bundle.manifest["district"]["name"], count=bundle.manifest["counts"]["changes"],
            fingerprint=bundle.signer))
    return EXIT_OK


def cmd_bundle_import(args: argparse.Namespace) -> int:
    from ssd_starter.sync.bundle import import_bundle

    store = _open_store()
    bundle, report = import_bundle(store, args.file)
    if args.json:
        _print_json({"district": bundle.district_id, "signer": bundle.signer, "first_contact": bundle.first_contact,
                     **report.__dict__})
        return EXIT_OK
    if bundle.first_contact:
        print(_("First bundle from {district}: its key {fingerprint} is now trusted for it. Check the fingerprint "
                "with the sender.").format(district=bundle.manifest["district"]["name"], fingerprint=bundle.signer))
    print(_("Imported: {inserted} new, {updated} updated, {unchanged} unchanged, {conflicts} conflicts to look "
            "at.").format(**report.__dict__))
    return EXIT_OK


def _centre_db(args: argparse.Namespace) -> str:
    from ssd_starter.settings import data_dir

    if args.db:
        return args.db
    data_dir().mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir() / 'centre.sqlite'}"


def cmd_centre_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ssd_starter.centre.app import create_app

    print(_("The Centre is listening on http://{host}:{port} (API documentation at /docs).").format(
        host=args.host, port=args.port), file=sys.stderr)
    uvicorn.run(create_app(_centre_db(args)), host=args.host, port=args.port, log_level="info")
    return EXIT_OK


def cmd_centre_enrol(args: argparse.Namespace) -> int:
    """The token alone on stdout (scripts read it there); when it expires on stderr, for the advisor."""
    import datetime as dt

    from ssd_starter.centre.store import connect, issue_token
    from ssd_starter.i18n import format_datetime

    if not 1 <= args.valid_days <= 365:
        raise UserError(N_("A token can be valid for 1 to 365 days, not {days}."), days=args.valid_days)
    engine = connect(_centre_db(args))
    issued = issue_token(engine, args.district_name.strip(), valid_for=dt.timedelta(days=args.valid_days))
    engine.dispose()
    print(issued.token)
    print(ngettext("The token can be used once, until {expires} ({days} day from now).",
                   "The token can be used once, until {expires} ({days} days from now).",
                   args.valid_days).format(expires=format_datetime(issued.expires_at), days=args.valid_days),
          file=sys.stderr)
    return EXIT_OK


def cmd_centre_publish_pack(args: argparse.Namespace) -> int:
    from ssd_starter.centre.store import connect, publish_pack
    from ssd_starter.core.training import PackRefused

    try:
        data = args.file.read_bytes()
    except OSError:
        raise PackRefused(N_("Cannot read {path}."), path=str(args.file)) from None
    engine = connect(_centre_db(args))
    pack_id, version = publish_pack(engine, data)
    engine.dispose()
    print(_("Published {pack} {version}: districts receive it at their next sync.").format(pack=pack_id,
                                                                                          version=version))
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import find_district
    from ssd_starter.sync.client import sync
    from ssd_starter.sync.identity import load_or_create

    store = _open_store()
    district = find_district(store, args.district)

    def progress(done: int, total: int) -> None:
        if not args.json:
            print(_("Sent {done} of {total} changes").format(done=done, total=total), file=sys.stderr)

    report = sync(store, district.id, args.centre, load_or_create(), token=args.token, progress=progress,
                  allow_insecure=args.insecure_http)
    if args.json:
        _print_json(report.__dict__)
    else:
        print(_("Synchronised: {pushed} changes sent, {comments} new comments from the Centre.").format(
            pushed=report.pushed, comments=report.comments))
        for pack in report.packs:
            print(_("New training pack installed: {pack}").format(pack=pack))
    return EXIT_OK


def cmd_dossier(args: argparse.Namespace) -> int:
    from ssd_starter.export.dossier import DossierOptions, write_dossier
    from ssd_starter.store.districts import find_district

    store = _open_store()
    district = find_district(store, args.district)
    from ssd_starter.export.dossier import SECTION_KEYS

    options = DossierOptions(language=current_language(), sections=args.sections or SECTION_KEYS,
                             include_contacts=args.include_contacts)
    print(write_dossier(store, district.id, args.out, options))
    return EXIT_OK


def cmd_indicators(args: argparse.Namespace) -> int:
    from ssd_starter.core.indicators import STATUS_LABELS, format_value
    from ssd_starter.core.summary import district_summary
    from ssd_starter.core.vocabulary import Role, Stage
    from ssd_starter.i18n import format_number
    from ssd_starter.store.districts import find_district
    from ssd_starter.store.flows import find_scenario, list_flows
    from ssd_starter.store.stakeholders import list_relations, list_stakeholders

    store = _open_store()
    district = find_district(store, args.district)
    actors = list_stakeholders(store, district.id)
    chosen = find_scenario(store, district.id, args.scenario) if args.scenario else None
    summary = district_summary(actors, list_flows(store, district.id), district.targets,
                               relations=list_relations(store, district.id), scenario=chosen)
    if args.json:
        _print_json({"district": district.id, **summary.as_json()})
        return EXIT_OK
    network, funnel = summary.network, summary.funnel or {}
    names = {a["id"]: a["name"] for a in actors}
    print(_("Actors: {actors} · relations: {relations} · separate groups: {groups}").format(
        actors=format_number(network.actors), relations=format_number(network.relations),
        groups=format_number(network.components)))
    print(_("Most central: {names}").format(names=", ".join(s.name for s in network.scores[:5]) or "—"))
    print(_("Brokers between groups: {names}").format(names=", ".join(names[b] for b in network.brokers[:5]) or "—"))
    print(_("Isolated: {names}").format(names=", ".join(names[i] for i in network.isolated) or "—"))
    print(_("Missing roles: {roles}").format(
        roles=", ".join(Role(r).label for r in network.missing_roles) or "—"))
    print(_("Engagement: {stages}").format(
        stages=" → ".join(f"{Stage(s).label} {n}" for s, n in funnel.items())))
    print()
    if summary.scenario:
        print(_("Resource flows: today → with “{name}”").format(name=summary.scenario.name))
    else:
        print(_("Resource flows"))
    for line in summary.lines:
        text = f"  {_(line.info.title)}: {format_value(line.info, line.value)}"
        if summary.scenario:
            text += f" → {format_value(line.info, line.scenario_value)}"
        sign = "≥" if line.target.comparison == "at_least" else "≤"
        text += f"  ({sign} {format_value(line.info, line.target.value)}: {_(STATUS_LABELS[line.status])})"
        print(text)
    return EXIT_OK


def cmd_charter_check(args: argparse.Namespace) -> int:
    from ssd_starter.core.charter import check
    from ssd_starter.store.charter import context_for, start_charter
    from ssd_starter.store.districts import find_district

    store = _open_store()
    district = find_district(store, args.district)
    charter = start_charter(store, district.id)
    results = check(charter["content"], context_for(store, district.id))
    if args.json:
        _print_json({"district": district.id, "status": charter["status"],
                     "complete": all(r.passed for r in results if r.required),
                     "checks": [r.as_dict() for r in results]})
        return EXIT_OK
    print(_("Checklist (good practice derived from Law 13/2010 and the Carta RES):"))
    for result in results:
        mark = "✔" if result.passed else ("✘" if result.required else "–")
        print(f"  {mark} {_(result.title)}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from ssd_starter.demo import load_demo

    out = (args.out or Path("demo-output")).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    store = _open_store()
    district_id = load_demo(store)
    from ssd_starter.export.dossier import DossierOptions, write_dossier

    language = current_language()
    dossier = write_dossier(store, district_id, out / f"{language}-dossier.pdf", DossierOptions(language=language))
    store.close()
    from ssd_starter.ui.screenshots import write_screenshots

    for path in write_screenshots(out, district_id=district_id):
        print(path)
    print(dossier)
    return EXIT_OK


def run_gui(language: str) -> int:
    if not _display_available():
        print(_("No display found: running the headless demo instead (ssd-starter demo)."), file=sys.stderr)
        return main(["--lang", language, "demo"])
    from ssd_starter.app import run

    return run(language)


def _display_available() -> bool:
    import os

    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    language = set_language(_early_language(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        language = set_language(args.lang)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    try:
        if run is None:
            return run_gui(language)
        return run(args)
    except UserError as exc:
        print(_("Error: {message}").format(message=exc.message()), file=sys.stderr)
        return EXIT_REFUSED
    except OSError as exc:
        print(_("Error: {message}").format(message=exc.strerror or exc), file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        return 130
