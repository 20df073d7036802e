"""The data file: pragmas, checks on open, refusals that change nothing, the change log."""


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ssd_starter.core.models import ChangeLogEntry
from ssd_starter.store import Store, StoreError
from ssd_starter.store.database import Problem
from ssd_starter.store.districts import (
    create_district,
    delete_district,
    get_district,
    list_districts,
    update_district,
)
from ssd_starter.store.lock import InstanceLock
from tests.helpers import mark_as_newer_schema, run_sql


def pragma(store, name):
    with store.read() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_wal_foreign_keys_and_full_sync(store):
    assert pragma(store, "journal_mode") == "wal"
    assert pragma(store, "foreign_keys") == 1
    assert pragma(store, "synchronous") == 2  # FULL
    assert pragma(store, "secure_delete") == 1
    assert store.integrity_check() == ["ok"]


def test_every_write_appends_to_the_change_log(store):
    insert = create_district("Val di Fiemme")
    store.apply(insert)
    store.apply(update_district(insert.values["id"], name="Val di Fiemme e Fassa"))
    store.apply(delete_district(insert.values["id"]))
    with store.read() as conn:
        log = conn.execute(select(ChangeLogEntry).order_by(ChangeLogEntry.c.seq)).mappings().all()
    assert [(e["op"], e["version"]) for e in log] == [("insert", 1), ("update", 2), ("delete", 3)]
    assert log[1]["data"] == {"name": "Val di Fiemme e Fassa"}
    assert {e["origin"] for e in log} == {store.device_id}
    assert all(e["district_id"] == insert.values["id"] for e in log)


def test_delete_is_a_tombstone_and_undo_brings_it_back(store):
    insert = create_district("Primiero")
    store.apply(insert)
    _changes, undo = store.apply(delete_district(insert.values["id"]))
    assert list_districts(store) == []
    assert get_district(store, insert.values["id"], include_deleted=True).deleted
    store.apply(undo)
    assert [d.name for d in list_districts(store)] == ["Primiero"]


def test_device_id_is_stable_across_opens(store):
    first = store.device_id
    store.close()
    assert Store.open().device_id == first


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(data_dir):
    path = data_dir / "ssd-starter.sqlite"
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"Nome;Comune\nCoop;Trento\n" * 50)
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        Store.open()
    assert err.value.problem == Problem.NOT_A_DATABASE
    assert path.read_bytes() == before


def test_a_damaged_database_is_refused_and_left_alone(store):
    for n in range(200):
        store.apply(create_district(f"District {n:03d} " + "x" * 150))
    path = store.path
    store.close()
    data = bytearray(path.read_bytes())
    data[4096 * 2: 4096 * 2 + 64] = b"\xff" * 64  # wreck a b-tree page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as err:
        Store.open()
    assert err.value.problem == Problem.CORRUPT
    assert path.read_bytes() == bytes(data)


def test_an_sqlite_file_from_another_program_is_refused(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    run_sql(data_dir / "ssd-starter.sqlite", "CREATE TABLE contacts (name TEXT)")
    with pytest.raises(StoreError) as err:
        Store.open()
    assert err.value.problem == Problem.NOT_OURS


def test_a_newer_schema_is_refused_but_opens_read_only(store):
    store.apply(create_district("Futuro"))
    store.close()
    mark_as_newer_schema(store.path)
    with pytest.raises(StoreError) as err:
        Store.open()
    assert err.value.problem == Problem.NEWER_SCHEMA
    assert "newer version" in err.value.message()
    read_only = Store.open(read_only=True)
    assert [d.name for d in list_districts(read_only)] == ["Futuro"]
    read_only.close()


def test_read_only_store_reads_and_refuses_writes(store):
    store.apply(create_district("Sola lettura"))
    store.close()
    ro = Store.open(read_only=True)
    assert [d.name for d in list_districts(ro)] == ["Sola lettura"]
    with pytest.raises(StoreError) as err:
        ro.apply(create_district("Nope"))
    assert err.value.problem == Problem.READ_ONLY
    ro.close()


def test_a_full_disk_loses_nothing_already_saved_and_saves_nothing_half(store):
    insert = create_district("Pieno")
    store.apply(insert)
    with store.write() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    # Simulate a full disk: SQLite reports SQLITE_FULL exactly as for a full device.
    original = store._make_engine

    def tiny_engine():
        engine = original()
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def limit(dbapi_conn, _record):
            dbapi_conn.execute(f"PRAGMA max_page_count={pages}")
        return engine

    store.engine = tiny_engine()
    saved = []
    with pytest.raises(StoreError) as err:
        for n in range(50):
            edit = create_district(f"{n:02d}" + "z" * 190, description="y" * 19_000)
            store.apply(edit)
            saved.append(edit.values["name"])
    assert err.value.problem == Problem.DISK_FULL
    assert "disk is full" in err.value.message()
    store.engine = original()
    names = [d.name for d in list_districts(store)]
    assert sorted(names) == sorted(["Pieno", *saved])  # the refused edit left no row behind
    with store.read() as conn:
        logged = conn.execute(select(ChangeLogEntry)).mappings().all()
    assert len(logged) == len(names)  # and no change-log entry either
    assert store.integrity_check() == ["ok"]


def test_second_instance_is_told_the_file_is_in_use(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    first = InstanceLock(data_dir / "ssd-starter.sqlite")
    first.acquire()
    import subprocess
    import sys

    code = ("from pathlib import Path\nfrom ssd_starter.store.lock import InstanceLock\n"
            "from ssd_starter.store import StoreError\n"
            f"lock = InstanceLock(Path({str(data_dir / 'ssd-starter.sqlite')!r}))\n"
            "try:\n    lock.acquire()\nexcept StoreError as e:\n    print(e.problem)\nelse:\n    print('acquired')")
    held = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    first.release()
    free = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert held.stdout.strip() == "locked", held.stderr
    assert free.stdout.strip() == "acquired", free.stderr


names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["name", "kind", "language", "sectors"]), names,
                                st.sampled_from(["thematic", "territorial"]), st.sampled_from(["it", "de", "en"]),
                                st.lists(st.sampled_from(["fair_trade", "free_software", "ethical_finance"]))),
                      min_size=1, max_size=8))
def test_undoing_every_edit_in_reverse_restores_the_original(store, steps):
    insert = create_district("Originale", kind="territorial", language="it")
    store.apply(insert)
    district_id = insert.values["id"]
    original = get_district(store, district_id)
    undo = []
    for field, name, kind, language, sectors in steps:
        value = {"name": name, "kind": kind, "language": language, "sectors": sectors}[field]
        try:
            edit = update_district(district_id, **{field: value})
        except Exception:  # a name of only spaces is refused before it reaches the store
            continue
        undo.append(store.apply(edit)[1])
    for inverse in reversed(undo):
        store.apply(inverse)
    restored = get_district(store, district_id)
    for field in ("name", "kind", "language", "sectors", "municipalities", "description"):
        assert getattr(restored, field) == getattr(original, field)


def test_a_read_only_filesystem_refuses_writes_cleanly_and_opens_read_only(store, tmp_path):
    import subprocess

    store.apply(create_district("Chiavetta"))
    source = store.path.parent
    store.close()
    mount_point = tmp_path / "ro"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(source), str(mount_point)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("bind mounts are not permitted here, so a read-only filesystem cannot be made")
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(mount_point)], capture_output=True).returncode:
            pytest.skip("cannot remount read-only here")
        path = mount_point / "ssd-starter.sqlite"
        with pytest.raises(StoreError) as err:
            Store(path)
        assert err.value.problem in (Problem.IO, Problem.READ_ONLY)
        read_only = Store(path, read_only=True)
        assert [d.name for d in list_districts(read_only)] == ["Chiavetta"]
        read_only.close()
    finally:
        subprocess.run(["umount", str(mount_point)], capture_output=True)


def test_idle_pooled_connections_hide_no_commit_and_block_no_writer(store):
    """The store keeps a few idle connections between units of work: another process still sees each commit
    at once, may write meanwhile, and its write is seen here; a connection taken on one thread works on
    another; closing folds the WAL back so the file alone is complete."""
    import sqlite3
    import subprocess
    import sys
    import threading

    insert = create_district("Primiero")
    store.apply(insert)
    with store.read():
        pass  # the connections are back in the pool, idle
    script = ("import sqlite3, sys\n"
              "conn = sqlite3.connect(sys.argv[1], timeout=1)\n"
              "print(conn.execute('SELECT name FROM district').fetchall())\n"
              "conn.execute(\"UPDATE district SET name = 'Vanoi'\")\n"
              "conn.commit()\n")
    seen = subprocess.run([sys.executable, "-c", script, str(store.path)], capture_output=True, text=True,
                          timeout=60)
    assert seen.returncode == 0, seen.stderr
    assert "Primiero" in seen.stdout
    names: list[str] = []
    worker = threading.Thread(target=lambda: names.extend(d.name for d in list_districts(store)))
    worker.start()
    worker.join(30)
    assert names == ["Vanoi"]
    assert get_district(store, insert.values["id"]).name == "Vanoi"
    store.close()
    assert not store.path.with_name(store.path.name + "-wal").exists() or \
        store.path.with_name(store.path.name + "-wal").stat().st_size == 0
    copy = sqlite3.connect(store.path)
    assert copy.execute("SELECT name FROM district").fetchall() == [("Vanoi",)]
    copy.close()
