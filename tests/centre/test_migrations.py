"""The Centre's migration chain on SQLite and PostgreSQL 15: from an empty database, from the schema a Centre
made before migrations existed (data kept), the schema check at start, and the chain against the metadata."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from ssd_starter.centre import database
from ssd_starter.centre import store as centre_store
from ssd_starter.centre.migrations import HEAD_REVISION, KNOWN_REVISIONS, VERSION_TABLE, alembic_config
from ssd_starter.centre.tables import metadata
from tests.sync.test_bundle import other_identity


def schema_differences(url: str) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = database.create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "version_table": VERSION_TABLE})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def test_the_revision_list_is_alembics_chain():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    walked = [revision.revision for revision in script.walk_revisions()]
    assert tuple(reversed(walked)) == KNOWN_REVISIONS
    assert script.get_current_head() == HEAD_REVISION


def test_an_empty_database_is_made_at_the_newest_revision_and_matches_the_tables(database_url):
    assert database.schema_status(database.create_engine(database_url)).state == "empty"
    engine = centre_store.connect(database_url)  # what a server process does when it starts
    try:
        assert database.schema_status(engine) == database.SchemaStatus("current", HEAD_REVISION)
    finally:
        engine.dispose()
    assert schema_differences(database_url) == []
    again = database.migrate(database_url)
    assert again.before == again.after == database.SchemaStatus("current", HEAD_REVISION)


def test_centre_migrate_on_an_empty_database_runs_the_whole_chain(database_url):
    result = database.migrate(database_url)
    assert (result.before.state, result.after) == ("empty", database.SchemaStatus("current", HEAD_REVISION))
    assert schema_differences(database_url) == []
    centre_store.connect(database_url).dispose()


def test_the_chain_goes_down_and_up_again(database_url):
    database.migrate(database_url)
    down = database.downgrade(database_url, "c0001_baseline")
    assert down.after == database.SchemaStatus("older", "c0001_baseline")
    with pytest.raises(database.SchemaNotCurrent) as refused:
        centre_store.connect(database_url)
    assert refused.value.state == "older" and "centre migrate" in refused.value.message()
    database.downgrade(database_url, "base")
    database.migrate(database_url)
    assert schema_differences(database_url) == []


# -- a Centre made before migrations ----------------------------------------------------------

def _today_schema(with_expiry: bool = True) -> tuple[sa.MetaData, dict[str, sa.Table]]:
    """The tables exactly as ``centre.store`` declared them before this chain, made by ``create_all``."""
    old = sa.MetaData()
    when = sa.DateTime(timezone=True)
    district_columns = [
        sa.Column("enrolment_id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("district_id", sa.String(36), unique=True),
        sa.Column("public_key", sa.String(100)),
        sa.Column("fingerprint", sa.String(60)),
        sa.Column("created_at", when, nullable=False),
        sa.Column("registered_at", when),
    ]
    if with_expiry:
        district_columns.append(sa.Column("expires_at", when))
    tables = {
        "district": sa.Table("centre_district", old, *district_columns),
        "seen": sa.Table("centre_seen", old, sa.Column("signature_hash", sa.String(64), primary_key=True),
                         sa.Column("seen_at", when, nullable=False, index=True)),
        "row": sa.Table("centre_row", old,
                        sa.Column("district_id", sa.String(36), primary_key=True),
                        sa.Column("table_name", sa.String(40), primary_key=True),
                        sa.Column("row_id", sa.String(36), primary_key=True),
                        sa.Column("version", sa.Integer, nullable=False),
                        sa.Column("origin", sa.String(36), nullable=False),
                        sa.Column("data", sa.JSON, nullable=False),
                        sa.Column("received_at", when, nullable=False),
                        *([sa.Index("ix_centre_row_id", "table_name", "row_id")] if with_expiry else [])),
        "ack": sa.Table("centre_ack", old, sa.Column("district_id", sa.String(36), primary_key=True),
                        sa.Column("origin", sa.String(36), primary_key=True),
                        sa.Column("last_seq", sa.BigInteger, nullable=False)),
        "pack": sa.Table("centre_pack", old, sa.Column("pack_id", sa.String(64), primary_key=True),
                         sa.Column("version", sa.String(40), primary_key=True),
                         sa.Column("sha256", sa.String(64), nullable=False),
                         sa.Column("data", sa.LargeBinary, nullable=False),
                         sa.Column("published_at", when, nullable=False)),
        "comment": sa.Table("centre_comment", old,
                            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
                            sa.Column("id", sa.String(36), nullable=False, unique=True),
                            sa.Column("district_id", sa.String(36), nullable=False, index=True),
                            sa.Column("table_name", sa.String(40), nullable=False),
                            sa.Column("row_id", sa.String(36), nullable=False),
                            sa.Column("author", sa.String(200), nullable=False),
                            sa.Column("text", sa.Text, nullable=False),
                            sa.Column("created_at", when, nullable=False),
                            sa.Column("resolved", sa.Boolean, nullable=False, default=False)),
    }
    return old, tables


def _fill_old_centre(url: str, *, with_expiry: bool = True) -> dict[str, str]:
    """An old Centre with one enrolled district, its rows, an acknowledgement, a comment, a pack and an
    unused token; what the test expects to find after the upgrade."""
    old, t = _today_schema(with_expiry)
    engine = database.create_engine(url)
    old.create_all(engine)
    district, identity = str(uuid.uuid4()), other_identity(None)
    received = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    expiry = {"expires_at": received + dt.timedelta(days=14)} if with_expiry else {}
    with engine.begin() as conn:
        conn.execute(t["district"].insert().values(
            enrolment_id="e1", name="Valsugana", token_hash=centre_store.token_hash("used"), district_id=district,
            public_key=identity.public_b64, fingerprint=identity.fingerprint, created_at=received,
            registered_at=received, **expiry))
        conn.execute(t["district"].insert().values(
            enrolment_id="e2", name="Tesino", token_hash=centre_store.token_hash("unused"), created_at=received,
            **({"expires_at": centre_store.now() + dt.timedelta(days=3)} if with_expiry else {})))
        conn.execute(t["row"].insert(), [{"district_id": district, "table_name": "stakeholder",
                                          "row_id": str(uuid.uuid4()), "version": 1, "origin": "",
                                          "data": {"name": f"Attore {i}"}, "received_at": received}
                                         for i in range(3)])
        conn.execute(t["ack"].insert().values(district_id=district, origin="o", last_seq=42))
        conn.execute(t["comment"].insert().values(id="c1", district_id=district, table_name="stakeholder",
                                                  row_id="r1", author="Anna", text="Bene", created_at=received,
                                                  resolved=False))
        conn.execute(t["pack"].insert().values(pack_id="p", version="1", sha256="0" * 64, data=b"zip",
                                               published_at=received))
    engine.dispose()
    return {"district": district, "public_key": identity.public_b64}


@pytest.mark.parametrize("with_expiry", [True, False], ids=["today", "before-expiry"])
def test_a_centre_made_before_migrations_is_refused_then_upgraded_with_its_data(database_url, with_expiry):
    made = _fill_old_centre(database_url, with_expiry=with_expiry)
    with pytest.raises(database.SchemaNotCurrent) as refused:
        centre_store.connect(database_url)
    assert refused.value.state == "unversioned" and "centre migrate" in refused.value.message()
    result = database.migrate(database_url)
    assert (result.before.state, result.after) == ("unversioned", database.SchemaStatus("current", HEAD_REVISION))
    assert schema_differences(database_url) == []
    engine = centre_store.connect(database_url)
    try:
        district = made["district"]
        assert centre_store.public_key_of(engine, district) == made["public_key"]
        assert len(centre_store.district_rows(engine, district, "stakeholder")) == 3
        assert centre_store.acknowledged(engine, district) == {"o": 42}
        assert [c["text"] for c in centre_store.all_comments(engine, district)] == ["Bene"]
        assert centre_store.pack_list(engine) == [{"id": "p", "version": "1", "sha256": "0" * 64}]
        with engine.connect() as conn:
            last = conn.execute(sa.select(centre_store.districts.c.last_received_at).where(
                centre_store.districts.c.district_id == district)).scalar_one()
        assert last.replace(tzinfo=dt.UTC) == dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)  # filled from the rows
        identity = other_identity(None)  # the unused token still works after the upgrade
        centre_store.register(engine, "unused", str(uuid.uuid4()), identity.public_b64, identity.fingerprint)
        centre_store.add_comment(engine, district, "stakeholder", "r1", "Anna", "Dopo")  # sequence goes on
        assert [c["seq"] for c in centre_store.all_comments(engine, district)] == [1, 2]
    finally:
        engine.dispose()


def test_a_database_from_a_newer_centre_is_refused_and_never_migrated(database_url):
    database.migrate(database_url)
    engine = database.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = 'c9999_future'"))
    engine.dispose()
    for attempt in (centre_store.connect, database.migrate):
        with pytest.raises(database.SchemaNotCurrent) as refused:
            attempt(database_url)
        assert refused.value.state == "newer" and "newer version" in refused.value.message()


def test_two_processes_starting_on_an_empty_database_make_it_once(database_url):
    """The lock: migrations racing from two threads (each its own connection, as two server processes)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        engines = list(pool.map(lambda _i: centre_store.connect(database_url), range(4)))
    for engine in engines:
        assert database.schema_status(engine).current
        engine.dispose()
