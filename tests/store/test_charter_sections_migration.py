"""Migration 0009: a real charter written at revision 0008 comes out as its sections, the same text through
the store, its versions untouched; and back again."""

import json
import sqlite3
import uuid

from alembic import command
from sqlalchemy import create_engine, select

from ssd_starter.core.charter import SECTION_FIELDS, section_id
from ssd_starter.core.models import ChangeLogEntry, CharterSection, table_of
from ssd_starter.store import Store
from ssd_starter.store.charter import get_charter, list_versions, update_content, update_translation
from ssd_starter.store.migrations import HEAD_REVISION, alembic_config
from ssd_starter.sync.bundle import changed_rows
from tests.store.charter_0008 import database_at_0008, demo_charter


def test_a_real_charter_is_cut_into_its_sections_and_reads_the_same(data_dir, tmp_path):
    content, translations = demo_charter(tmp_path)
    device = str(uuid.uuid4())
    ids = database_at_0008(data_dir / "ssd-starter.sqlite", device, content, translations)

    store = Store.open()
    assert store.revision() == HEAD_REVISION  # 0009 and every migration after it ran
    charter = get_charter(store, ids["district"])
    assert charter["id"] == ids["charter"] and charter["version"] == 4
    assert charter["content"] == content and charter["translations"] == translations
    assert not {"current_step"} & set(charter)
    [version] = list_versions(store, ids["charter"])  # versions stay frozen documents, as they were
    assert (version["content"], version["translations"]) == (content, translations)

    sections = table_of(CharterSection)
    with store.read() as conn:
        rows = {r["key"]: dict(r) for r in conn.execute(select(sections)).mappings()}
    assert sorted(rows) == sorted(SECTION_FIELDS)
    for key, row in rows.items():
        assert row["id"] == section_id(ids["charter"], key)
        assert (row["version"], row["origin"], row["district_id"], row["deleted"]) == (4, device, ids["district"], False)
    assert rows["governance"]["value"] == {"bodies": content["bodies"]}
    assert rows["purpose"]["translations"] == {"de": translations["de"]["purpose"], "en": translations["en"]["purpose"]}
    # logged under their origin: this installation wrote the charter last, so it sends the sections
    records, _first, _last = changed_rows(store, ids["district"])
    assert {r["id"] for r in records if r["table"] == "charter_section"} == {r["id"] for r in rows.values()}
    assert store.integrity_check() == ["ok"]
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []

    # the store works on the sections from here on
    store.apply(update_content(charter, {"quorum": "Due terzi dei soci"}))
    store.apply(update_translation(get_charter(store, ids["district"]), "de", "decisions", "Zwei Drittel"))
    edited = get_charter(store, ids["district"])
    assert edited["content"] == {**content, "quorum": "Due terzi dei soci"}
    assert edited["sections"]["decisions"]["version"] == 6 and edited["sections"]["purpose"]["version"] == 4
    store.close()

    # and the downgrade folds the sections back into the charter's documents
    engine = create_engine(f"sqlite:///{data_dir / 'ssd-starter.sqlite'}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0008_comments")
    engine.dispose()
    raw = sqlite3.connect(data_dir / "ssd-starter.sqlite")
    stored, texts, version_number = raw.execute("SELECT content, translations, version FROM charter").fetchone()
    tables = {name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    logged = raw.execute("SELECT count(*) FROM change_log WHERE table_name = 'charter_section'").fetchone()
    raw.close()
    assert json.loads(stored) == {**content, "quorum": "Due terzi dei soci"}
    assert json.loads(texts) == {**translations, "de": {**translations["de"], "decisions": "Zwei Drittel"}}
    assert version_number == 6 and "charter_section" not in tables and logged == (0,)


def test_sections_of_a_charter_last_written_elsewhere_are_not_sent_from_here(data_dir, tmp_path):
    content, translations = demo_charter(tmp_path)
    path = data_dir / "ssd-starter.sqlite"
    ids = database_at_0008(path, str(uuid.uuid4()), content, translations)
    from tests.helpers import run_sql

    run_sql(path, f"UPDATE meta SET value = '{uuid.uuid4()}' WHERE key = 'device_id'")  # another device wrote it
    store = Store.open()
    log = table_of(ChangeLogEntry)
    with store.read() as conn:
        origins = set(conn.execute(select(log.c.origin).where(log.c.table_name == "charter_section")).scalars())
    records, _first, _last = changed_rows(store, ids["district"])
    assert origins == {get_charter(store, ids["district"])["origin"]} != {store.device_id}
    assert not [r for r in records if r["table"] == "charter_section"]
    store.close()
