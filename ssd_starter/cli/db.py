"""`db`: check, back up or restore the data file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ssd_starter.cli.runner import EXIT_OK, EXIT_REFUSED, add_actions, add_json_option, emit, open_store
from ssd_starter.i18n import _

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands


def add_db(commands: Commands) -> None:
    db = commands.add_parser("db", help=_("check, back up or restore the data file"))
    actions = add_actions(db)
    check = actions.add_parser("check", help=_("check the data file's integrity"))
    add_json_option(check)
    check.set_defaults(run=cmd_db_check)
    backup = actions.add_parser("backup", help=_("write a backup now"))
    backup.set_defaults(run=cmd_db_backup)
    restore = actions.add_parser("restore", help=_("replace the data with a backup (the current data is "
                                                   "backed up first)"))
    restore.add_argument("file", type=Path, help=_("the backup file"))
    restore.set_defaults(run=cmd_db_restore)


def cmd_db_check(args: argparse.Namespace) -> int:
    """Exit code 1 when the file is damaged, so that a script notices without reading the report."""
    from ssd_starter.store.backup import backup_folder, list_backups

    store = open_store()
    result = store.integrity_check()
    backups = list_backups(backup_folder(store))
    report = {"path": str(store.path), "integrity": result, "ok": result == ["ok"],
              "revision": store.revision(), "device_id": store.device_id,
              "backups": [str(p) for p in backups]}
    emit(args, report, [
        _("Data file: {path}").format(path=store.path),
        _("Integrity: {result}").format(result="; ".join(result)),
        _("Schema revision: {revision}").format(revision=report["revision"]),
        _("Backups: {count}").format(count=len(backups)),
    ])
    return EXIT_OK if report["ok"] else EXIT_REFUSED


def cmd_db_backup(args: argparse.Namespace) -> int:
    from ssd_starter.settings import Settings
    from ssd_starter.store.backup import make_backup

    store = open_store()
    path = make_backup(store, reason="manual", keep=Settings().get("backups_keep"))
    print(path)
    return EXIT_OK


def cmd_db_restore(args: argparse.Namespace) -> int:
    from ssd_starter.settings import Settings, database_path
    from ssd_starter.store.backup import restore

    safety = restore(database_path(), args.file.expanduser().resolve(), keep=Settings().get("backups_keep"))
    print(_("Restored {file}. The data it replaced is kept in {safety}.").format(file=args.file, safety=safety))
    return EXIT_OK
