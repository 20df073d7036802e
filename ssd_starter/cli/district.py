"""`district`: list, create, show, rename, duplicate or delete districts."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ssd_starter.cli.runner import (
    EXIT_OK,
    add_actions,
    add_district_argument,
    add_json_option,
    emit,
    open_district,
    open_store,
    print_json,
)
from ssd_starter.i18n import LANGUAGES, _, format_datetime, format_number

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands
    from ssd_starter.core.models import District
    from ssd_starter.store import Store


def add_district(commands: Commands) -> None:
    district = commands.add_parser("district", help=_("list, create, show, rename, duplicate or delete districts"))
    actions = add_actions(district)
    listing = actions.add_parser("list", help=_("list the districts"))
    add_json_option(listing)
    listing.set_defaults(run=cmd_district_list)
    create = actions.add_parser("create", help=_("create a district"))
    create.add_argument("name", help=_("the district's name"))
    create.add_argument("--kind", choices=("thematic", "territorial"), default="territorial",
                        help=_("thematic or territorial"))
    create.add_argument("--sector", action="append", default=[], help=_("a Law 13/2010 sector id (repeatable)"))
    create.add_argument("--municipality", action="append", default=[], help=_("a municipality (repeatable)"))
    create.add_argument("--language", choices=LANGUAGES, default="it", help=_("the district's working language"))
    add_json_option(create)
    create.set_defaults(run=cmd_district_create)
    show = actions.add_parser("show", help=_("show one district"))
    add_district_argument(show, "id")
    add_json_option(show)
    show.set_defaults(run=cmd_district_show)
    rename = actions.add_parser("rename", help=_("rename a district"))
    add_district_argument(rename, "id")
    rename.add_argument("name", help=_("the new name"))
    rename.set_defaults(run=cmd_district_rename)
    duplicate = actions.add_parser("duplicate", help=_("copy a district with all its records"))
    add_district_argument(duplicate, "id")
    duplicate.add_argument("--name", default=None, help=_("name of the copy"))
    add_json_option(duplicate)
    duplicate.set_defaults(run=cmd_district_duplicate)
    delete = actions.add_parser("delete", help=_("delete a district (it can be restored from a backup)"))
    add_district_argument(delete, "id")
    delete.set_defaults(run=cmd_district_delete)


def _district_json(store: Store, district: District) -> dict[str, Any]:
    from ssd_starter.store.districts import count_rows

    return {
        "id": district.id, "name": district.name, "kind": district.kind, "sectors": district.sectors,
        "municipalities": district.municipalities, "language": district.language,
        "description": district.description, "created_at": district.created_at.isoformat(),
        "updated_at": district.updated_at.isoformat(), **count_rows(store, district.id),
    }


def _kind_label(kind: str) -> str:
    from ssd_starter.core.vocabulary import DistrictKind

    return DistrictKind(kind).label


def cmd_district_list(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import list_districts

    store = open_store()
    districts = list_districts(store)
    if args.json:  # not through emit: the JSON counts every district's rows, which the text does not show
        print_json([_district_json(store, d) for d in districts])
    elif not districts:
        print(_("No districts yet. Create one with: ssd-starter district create NAME"))
    else:
        for d in districts:
            print(f"{d.id[:8]}  {d.name}  ({_kind_label(d.kind)})")
    return EXIT_OK


def cmd_district_create(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import create_district, get_district

    store = open_store()
    edit = create_district(args.name, kind=args.kind, sectors=args.sector, municipalities=args.municipality,
                           language=args.language)
    store.apply(edit)
    district = get_district(store, edit.values["id"])
    return emit(args, _district_json(store, district),
                [_("Created district {name} ({id}).").format(name=district.name, id=district.id)])


def cmd_district_show(args: argparse.Namespace) -> int:
    store, district = open_district(args.id)
    data = _district_json(store, district)
    return emit(args, data, _show_lines(district, data))


def _show_lines(district: District, data: dict[str, Any]) -> Iterator[str]:
    """One labelled line per field, the values lined up."""
    from ssd_starter.core.vocabulary import Sector

    rows = [
        (_("Name"), district.name),
        (_("Id"), district.id),
        (_("Kind"), _kind_label(district.kind)),
        (_("Working language"), district.language),
        (_("Sectors"), "; ".join(Sector(s).label for s in district.sectors) or "—"),
        (_("Municipalities"), ", ".join(district.municipalities) or "—"),
        (_("Actors"), format_number(data["stakeholders"])),
        (_("Relations"), format_number(data["relations"])),
        (_("Last change"), format_datetime(district.updated_at)),
    ]
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        yield f"{label.ljust(width)}  {value}"


def cmd_district_rename(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import update_district

    store, district = open_district(args.id)
    store.apply(update_district(district.id, name=args.name))
    print(_("Renamed to {name}.").format(name=" ".join(args.name.split())))
    return EXIT_OK


def cmd_district_duplicate(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import copy_name, duplicate_district, get_district

    store, district = open_district(args.id)
    edit = duplicate_district(store, district.id, args.name or copy_name(store, district.name))
    store.apply(edit)
    copy = get_district(store, edit.edits[0].values["id"])  # type: ignore[attr-defined]
    return emit(args, _district_json(store, copy), [_("Created {name} ({id}).").format(name=copy.name, id=copy.id)])


def cmd_district_delete(args: argparse.Namespace) -> int:
    from ssd_starter.store.districts import delete_district

    store, district = open_district(args.id)
    store.apply(delete_district(district.id))
    print(_("Deleted district {name}.").format(name=district.name))
    return EXIT_OK
