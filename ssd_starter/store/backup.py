"""Rotating backups through SQLite's online backup API (consistent even while the file is in use)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

from ssd_starter.core.errors import UserError
from ssd_starter.files import write_atomically
from ssd_starter.i18n import N_
from ssd_starter.permissions import private_dir, tighten
from ssd_starter.store.database import (
    Problem,
    Store,
    StoreError,
    check_file,
    read_only_uri,
    translated_errors,
)
from ssd_starter.store.migrations import KNOWN_REVISIONS

DEFAULT_KEEP = 10
DAILY = dt.timedelta(hours=24)
_NAME = re.compile(r"^ssd-starter-(\d{8}-\d{6}-\d{6})-([a-z-]+)\.sqlite$")


def backup_folder(store: Store) -> Path:
    """The folder chosen in Settings (another disk, a USB stick), else ``backups`` beside the data file."""
    from ssd_starter.settings import Settings

    chosen = Settings(store.path.parent / "settings.json").get("backups_folder")
    return Path(chosen) if chosen else store.path.parent / "backups"


def list_backups(folder: Path) -> list[Path]:
    """Backups, newest first."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if _NAME.match(p.name)), key=lambda p: p.name, reverse=True)


def backup_time(path: Path) -> dt.datetime | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    return dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f")


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the open data file at ``target`` (moving the data folder, or a backup)."""
    private_dir(target.parent)
    if target.exists():
        raise UserError(N_("{path} already exists: choose an empty folder."), path=str(target))
    _copy_database(source, target)


def _copy_database(source: Path, target: Path) -> None:
    """Copy with the backup API into a temporary file, then move it into place atomically. The temporary
    name starts with ``.backup-``: erasure looks for copies a killed process left behind under it."""
    def copy(tmp: str) -> None:
        with translated_errors():
            src = sqlite3.connect(read_only_uri(source), uri=True)
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
            finally:
                dst.close()
                src.close()

    write_atomically(target, copy, prefix=".backup-", suffix=".sqlite")


def make_backup(store: Store, *, reason: str = "manual", keep: int = DEFAULT_KEEP, folder: Path | None = None) -> Path:
    folder = private_dir(folder or backup_folder(store))  # backups hold the same contact details
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"ssd-starter-{stamp}-{reason}.sqlite"
    _copy_database(store.path, target)
    rotate(folder, keep)
    return target


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups; return what was removed."""
    removed = list_backups(folder)[max(keep, 1):]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def backup_if_due(store: Store, *, keep: int = DEFAULT_KEEP, now: dt.datetime | None = None) -> Path | None:
    """The daily backup: made when the newest backup is older than a day (or there is none)."""
    now = now or dt.datetime.now()
    newest = next(iter(list_backups(backup_folder(store))), None)
    newest_time = backup_time(newest) if newest else None
    if newest_time is not None and now - newest_time < DAILY:
        return None
    return make_backup(store, reason="daily", keep=keep)


def restore(store_path: Path, backup: Path, *, keep: int = DEFAULT_KEEP) -> Path:
    """Replace the data file with ``backup`` after checking it; the current file is backed up first.

    Returns the safety backup of the file that was replaced. The caller must not hold the store open.
    """
    if not backup.is_file():
        raise UserError(N_("No backup file at {path}."), path=str(backup))
    revision = check_file(backup, read_only=True)
    if revision is None:
        raise StoreError(Problem.NOT_OURS, N_("{path} holds no SSD Starter data."), path=str(backup))
    if revision not in KNOWN_REVISIONS:
        raise StoreError(Problem.NEWER_SCHEMA, N_("This backup was made by a newer version of SSD Starter."))
    folder = private_dir(store_path.parent / "backups")
    safety = folder / f"ssd-starter-{dt.datetime.now():%Y%m%d-%H%M%S-%f}-before-restore.sqlite"
    if store_path.exists():
        try:
            _copy_database(store_path, safety)
        except StoreError:  # the file being replaced is damaged: keep its bytes as they are
            shutil.copy2(store_path, safety)
            tighten(safety)  # copy2 copies the mode too, and a damaged file was never tightened
    fd, staged = tempfile.mkstemp(dir=store_path.parent, prefix=".restore-", suffix=".sqlite")
    os.close(fd)
    staged_path = Path(staged)
    try:
        _copy_database(backup, staged_path)
        # The old WAL belongs to the old file; left in place SQLite would replay it onto the backup.
        # The safety copy above already holds its content.
        for suffix in ("-wal", "-shm"):
            Path(str(store_path) + suffix).unlink(missing_ok=True)
        os.replace(staged_path, store_path)
    finally:
        staged_path.unlink(missing_ok=True)
    rotate(folder, keep + 1)
    return safety


def move_aside(path: Path) -> Path:
    """Rename a damaged data file (with its WAL and shared-memory files) so a fresh one can start."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}-damaged-{stamp}{path.suffix}")
    shutil.move(str(path), target)
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            shutil.move(str(side), str(target) + suffix)
    return target
