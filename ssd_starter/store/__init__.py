"""Persistence: the one SQLite file, its migrations, every write (with its change-log entry), backups."""

from ssd_starter.store.database import Change, ChangeSet, Store, StoreError

__all__ = ["Change", "ChangeSet", "Store", "StoreError"]
