"""A data file that will not open normally always comes with a way out, and nothing is lost."""

import pytest

from ssd_starter.app import WayOut, open_store_interactively, ways_out
from ssd_starter.store import Store
from ssd_starter.store.backup import make_backup
from ssd_starter.store.database import Problem
from ssd_starter.store.districts import create_district, list_districts
from ssd_starter.store.lock import InstanceLock
from tests.helpers import mark_as_newer_schema


def test_every_problem_offers_quit_and_a_way_forward():
    for problem in Problem:
        ways = ways_out(problem)
        assert WayOut.QUIT in ways
    assert WayOut.RESTORE in ways_out(Problem.CORRUPT)
    assert WayOut.READ_ONLY in ways_out(Problem.NEWER_SCHEMA)


def test_damaged_file_can_start_fresh_keeping_the_old_one(data_dir, qtbot):
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "ssd-starter.sqlite"
    path.write_bytes(b"garbage" * 1000)
    asked = []
    lock = InstanceLock(path)
    store = open_store_interactively(path, lock, ask=lambda e: asked.append(e.problem) or WayOut.FRESH)
    assert asked == [Problem.NOT_A_DATABASE]
    assert store is not None and list_districts(store) == []
    kept = list(data_dir.glob("ssd-starter-damaged-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"garbage" * 1000
    store.close()
    lock.release()


def test_damaged_file_can_be_restored_from_a_backup(store, qtbot):
    store.apply(create_district("Salvato"))
    backup = make_backup(store)
    path = store.path
    store.close()
    path.write_bytes(b"\x00" * 10)
    for side in ("-wal", "-shm"):
        (path.parent / (path.name + side)).unlink(missing_ok=True)
    lock = InstanceLock(path)
    opened = open_store_interactively(path, lock, ask=lambda e: WayOut.RESTORE, pick_backup=lambda: backup,
                                      tell=lambda e: pytest.fail(e.message()))
    assert [d.name for d in list_districts(opened)] == ["Salvato"]
    opened.close()
    lock.release()


def test_newer_file_opens_read_only(store, qtbot):
    store.apply(create_district("Futuro"))
    path = store.path
    store.close()
    mark_as_newer_schema(path)
    lock = InstanceLock(path)
    opened = open_store_interactively(path, lock, ask=lambda e: WayOut.READ_ONLY)
    assert opened.read_only and [d.name for d in list_districts(opened)] == ["Futuro"]
    opened.close()
    lock.release()


def test_quitting_changes_nothing(data_dir, qtbot):
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "ssd-starter.sqlite"
    path.write_bytes(b"garbage")
    lock = InstanceLock(path)
    assert open_store_interactively(path, lock, ask=lambda e: WayOut.QUIT) is None
    assert path.read_bytes() == b"garbage"
    lock.release()


def test_second_window_is_offered_read_only(store, qtbot):
    store.apply(create_district("Condiviso"))
    first = InstanceLock(store.path)
    first.acquire()
    asked = []
    second = InstanceLock(store.path)
    opened = open_store_interactively(store.path, second,
                                      ask=lambda e: asked.append(e.problem) or WayOut.READ_ONLY)
    assert asked == [Problem.LOCKED]
    assert opened.read_only and [d.name for d in list_districts(opened)] == ["Condiviso"]
    opened.close()
    first.release()


def test_read_only_window_shows_it(make_window, store):
    store.apply(create_district("Solo lettura"))
    store.close()
    ro = Store.open(read_only=True)
    from ssd_starter.settings import Settings
    from ssd_starter.ui.main_window import MainWindow

    window = MainWindow(ro, Settings())
    assert "Read-only" in window.saved_label.text()
    window.close()
    window.deleteLater()
    ro.close()
