"""`person`: everything held on one person, as JSON, or its erasure (GDPR Art. 15 and 17)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ssd_starter.cli.runner import EXIT_OK, add_actions, add_district_argument, open_district, print_json
from ssd_starter.i18n import _

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands
    from ssd_starter.store.people import Mention


def add_person(commands: Commands) -> None:
    person = commands.add_parser("person", help=_("export or erase one person's data (GDPR)"))
    actions = add_actions(person)
    for name, helptext, run in (("export", _("print everything held on one person as JSON"), cmd_person_export),
                                ("erase", _("erase one person's contact details everywhere, backups included"),
                                 cmd_person_erase)):
        sub = actions.add_parser(name, help=helptext)
        add_district_argument(sub)
        sub.add_argument("--stakeholder", required=True, help=_("actor id, id prefix or exact name"))
        if name == "erase":
            sub.add_argument("--dry-run", action="store_true",
                             help=_("list the notes and other free text that mention the person; change nothing"))
            sub.add_argument("--clear-notes", action="store_true",
                             help=_("also replace the person's name, e-mail and phone in notes and other free text "
                                    "with “[erased]” (see them first with --dry-run)"))
        sub.set_defaults(run=run)


def cmd_person_export(args: argparse.Namespace) -> int:
    from ssd_starter.store.people import person_record
    from ssd_starter.store.stakeholders import find_stakeholder

    store, district = open_district(args.district)
    row = find_stakeholder(store, district.id, args.stakeholder)
    print_json(person_record(store, row["id"]))
    return EXIT_OK


def cmd_person_erase(args: argparse.Namespace) -> int:
    from ssd_starter.settings import Settings
    from ssd_starter.store.people import erase_person, preview_erasure
    from ssd_starter.store.stakeholders import find_stakeholder

    store, district = open_district(args.district)
    row = find_stakeholder(store, district.id, args.stakeholder)
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


def _print_mentions(mentions: Sequence[Mention], heading: str) -> None:
    """The heading only when there is something under it."""
    if mentions:
        print(heading)
    for mention in mentions:
        print(f"  {mention.where}: {mention.snippet}")
