import datetime as dt

import pytest

from ssd_starter.core.errors import UserError
from ssd_starter.store import Store, StoreError
from ssd_starter.store.backup import (
    backup_folder,
    backup_if_due,
    list_backups,
    make_backup,
    move_aside,
    restore,
    rotate,
)
from ssd_starter.store.districts import create_district, list_districts


def test_backup_is_a_complete_checked_copy(store):
    store.apply(create_district("Alto Garda"))
    path = make_backup(store)
    copy = Store(path, read_only=True)
    assert [d.name for d in list_districts(copy)] == ["Alto Garda"]
    assert copy.integrity_check() == ["ok"]
    copy.close()


def test_rotation_keeps_the_newest(store):
    made = [make_backup(store, keep=100) for _ in range(5)]
    removed = rotate(backup_folder(store), keep=3)
    assert sorted(removed) == sorted(made[:2])
    assert list_backups(backup_folder(store)) == list(reversed(made[2:]))


def test_daily_backup_only_when_a_day_has_passed(store):
    first = backup_if_due(store)
    assert first is not None
    assert backup_if_due(store) is None
    assert backup_if_due(store, now=dt.datetime.now() + dt.timedelta(hours=25)) is not None


def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(store):
    store.apply(create_district("Before"))
    backup = make_backup(store)
    store.apply(create_district("After"))
    path = store.path
    store.close()
    safety = restore(path, backup)
    reopened = Store.open()
    assert [d.name for d in list_districts(reopened)] == ["Before"]
    reopened.close()
    kept = Store(safety, read_only=True)
    assert sorted(d.name for d in list_districts(kept)) == ["After", "Before"]
    kept.close()


def test_restore_refuses_a_bad_file_and_changes_nothing(store, tmp_path):
    store.apply(create_district("Kept"))
    path = store.path
    store.close()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"\x00" * 5000)
    with pytest.raises(StoreError):
        restore(path, bad)
    with pytest.raises(UserError):
        restore(path, tmp_path / "missing.sqlite")
    reopened = Store.open()
    assert [d.name for d in list_districts(reopened)] == ["Kept"]
    reopened.close()


def test_move_aside_keeps_the_damaged_file(store):
    path = store.path
    store.close()
    moved = move_aside(path)
    assert moved.exists() and not path.exists()
