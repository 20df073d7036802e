"""`stakeholder`: the actors of a district one by one; `import stakeholders`: many from a spreadsheet."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssd_starter.cli.runner import (
    EXIT_OK,
    add_actions,
    add_district_argument,
    add_json_option,
    emit,
    open_district,
    row_json,
)
from ssd_starter.i18n import _

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands

# the options of `stakeholder add` and `edit` that are fields of the actor, by their argparse dest
FIELDS = ("name", "category", "sector", "municipality", "roles", "influence", "interest", "attitude", "stage")


def add_stakeholder(commands: Commands) -> None:
    stakeholder = commands.add_parser("stakeholder", help=_("add, list, edit or delete the actors of a district"))
    actions = add_actions(stakeholder)
    listing = actions.add_parser("list", help=_("list the actors"))
    add_district_argument(listing)
    add_json_option(listing)
    listing.set_defaults(run=cmd_stakeholder_list)
    add = actions.add_parser("add", help=_("add an actor"))
    add.add_argument("name", help=_("the actor's name"))
    edit = actions.add_parser("edit", help=_("change fields of an actor"))
    edit.add_argument("stakeholder", help=_("actor id, id prefix or exact name"))
    edit.add_argument("--name", help=_("the actor's name"))
    for sub in (add, edit):
        _add_field_options(sub)
    add.set_defaults(run=cmd_stakeholder_add)
    edit.set_defaults(run=cmd_stakeholder_edit)
    delete = actions.add_parser("delete", help=_("delete an actor and its relations"))
    delete.add_argument("stakeholder", help=_("actor id, id prefix or exact name"))
    add_district_argument(delete)
    delete.add_argument("--flows", choices=("outside", "delete"),
                        help=_("for an actor with resource flows: move them to outside the district, or delete "
                               "them"))
    delete.set_defaults(run=cmd_stakeholder_delete)


def _add_field_options(parser: argparse.ArgumentParser) -> None:
    """What `stakeholder add` and `edit` both take: the district, then one option per field."""
    add_district_argument(parser)
    parser.add_argument("--category", help=_("category id, e.g. cooperative"))
    parser.add_argument("--sector", help=_("a Law 13/2010 sector id"))
    parser.add_argument("--municipality", help=_("a municipality"))
    parser.add_argument("--role", action="append", dest="roles", help=_("a role id (repeatable)"))
    parser.add_argument("--influence", type=int, help=_("influence, 1 to 5"))
    parser.add_argument("--interest", type=int, help=_("interest, 1 to 5"))
    parser.add_argument("--attitude", help=_("supporter, neutral or sceptic"))
    parser.add_argument("--stage", help=_("identified, contacted, engaged, member or signatory"))
    add_json_option(parser)


def add_import(commands: Commands) -> None:
    importing = commands.add_parser("import", help=_("import a spreadsheet of actors or relations"))
    what = add_actions(importing, dest="what", metavar=_("WHAT"))
    stakeholders = what.add_parser("stakeholders", help=_("import actors from a CSV, XLSX, GEXF or GraphML file "
                                                          "(and the relations a workbook or graph file holds)"))
    stakeholders.add_argument("file", type=Path, help=_("the CSV, XLSX, GEXF or GraphML file"))
    add_district_argument(stakeholders)
    stakeholders.add_argument("--dry-run", action="store_true", help=_("check and summarise, change nothing"))
    stakeholders.add_argument("--merge-duplicates", action="store_true",
                              help=_("fill existing actors from rows with the same name (default: skip them)"))
    stakeholders.add_argument("--strict", action="store_true",
                              help=_("refuse the whole file at the first cell that cannot be read or word that "
                                     "matches no value (default: import the row, report the cell)"))
    add_json_option(stakeholders)
    stakeholders.set_defaults(run=cmd_import_stakeholders)
    relations = what.add_parser("relations", help=_("import relations from an edge list (CSV or XLSX)"))
    relations.add_argument("file", type=Path, help=_("the CSV or XLSX file"))
    add_district_argument(relations)
    relations.add_argument("--dry-run", action="store_true", help=_("check and summarise, change nothing"))
    relations.add_argument("--create-missing", action="store_true",
                           help=_("add actors the file names and the map lacks (default: report those rows)"))
    add_json_option(relations)
    relations.set_defaults(run=cmd_import_relations)


def _stakeholder_fields(args: argparse.Namespace) -> dict[str, Any]:
    """Only the fields given on the command line: `edit` leaves the others as they are."""
    return {n: getattr(args, n) for n in FIELDS if getattr(args, n, None) is not None}


def cmd_stakeholder_list(args: argparse.Namespace) -> int:
    from ssd_starter.core.vocabulary import Category
    from ssd_starter.store.stakeholders import list_stakeholders

    store, district = open_district(args.district)
    rows = list_stakeholders(store, district.id)
    return emit(args, [row_json(r) for r in rows],
                (f"{r['id'][:8]}  {r['name']}  ({Category(r['category']).label})" for r in rows))


def cmd_stakeholder_add(args: argparse.Namespace) -> int:
    from ssd_starter.store.stakeholders import create_stakeholder, get_stakeholder

    store, district = open_district(args.district)
    edit = create_stakeholder(district.id, _stakeholder_fields(args))
    store.apply(edit)
    row = get_stakeholder(store, edit.values["id"])
    return emit(args, row_json(row), [_("Added {name} ({id}).").format(name=row["name"], id=row["id"])])


def cmd_stakeholder_edit(args: argparse.Namespace) -> int:
    from ssd_starter.store.stakeholders import find_stakeholder, get_stakeholder, update_stakeholder

    store, district = open_district(args.district)
    row = find_stakeholder(store, district.id, args.stakeholder)
    store.apply(update_stakeholder(row["id"], **_stakeholder_fields(args)))
    row = get_stakeholder(store, row["id"])
    return emit(args, row_json(row), [_("Saved {name}.").format(name=row["name"])])


def cmd_stakeholder_delete(args: argparse.Namespace) -> int:
    from ssd_starter.store.stakeholders import delete_stakeholder, find_stakeholder

    store, district = open_district(args.district)
    row = find_stakeholder(store, district.id, args.stakeholder)
    store.apply(delete_stakeholder(store, row["id"], flows=args.flows))
    print(_("Deleted {name} and its relations.").format(name=row["name"]))
    return EXIT_OK


def cmd_import_stakeholders(args: argparse.Namespace) -> int:
    from ssd_starter.cli.importing import import_file

    store, district = open_district(args.district)
    summary = import_file(store, district.id, args.file.expanduser(), dry_run=args.dry_run,
                          merge_duplicates=args.merge_duplicates, strict=args.strict)
    return emit(args, summary, _import_lines(summary, args))


def cmd_import_relations(args: argparse.Namespace) -> int:
    from ssd_starter.cli.importing import import_edge_list, relation_lines

    store, district = open_district(args.district)
    summary = import_edge_list(store, district.id, args.file.expanduser(), dry_run=args.dry_run,
                               create_missing=args.create_missing)
    return emit(args, summary, relation_lines(summary, dry_run=args.dry_run))


def _import_lines(summary: dict[str, Any], args: argparse.Namespace) -> Iterator[str]:
    from ssd_starter.cli.importing import problem_lines, relation_lines

    yield _("Rows read: {count}").format(count=summary["rows"])
    yield _("New actors: {count}").format(count=summary["new"])
    yield _("Already in the map: {count} ({action})").format(
        count=summary["duplicates"], action=_("merged") if args.merge_duplicates else _("skipped"))
    yield _("Repeated rows in the file, skipped: {count}").format(count=summary["repeated_in_file"])
    if summary["kept_as_written"]:
        yield _("Words that match no value, kept in the actors' notes: {words}").format(
            words=", ".join(f"{v['text']} ({v['field']})" for v in summary["kept_as_written"]))
    if summary["to_confirm"]:
        yield _("Read as the closest value, check them: {words}").format(
            words=", ".join(f"{v['text']} → {v['value']}" for v in summary["to_confirm"]))
    yield from problem_lines(summary["problems"])
    if summary.get("relations"):
        yield from relation_lines(summary["relations"], dry_run=args.dry_run)
    if args.dry_run:
        yield _("Dry run: nothing was changed.")
