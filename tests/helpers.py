"""Small builders shared by tests."""

import sqlite3
from pathlib import Path


def run_sql(path: Path, *statements: str) -> None:
    """Change a data file behind the store's back, as another program (or a newer version) would."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def mark_as_newer_schema(path: Path) -> None:
    run_sql(path, "UPDATE alembic_version SET version_num = '9999_future'")


def add_actor(store, district_id: str, name: str, **fields) -> str:
    """An actor added through the store's own edit; its id."""
    from ssd_starter.store.stakeholders import create_stakeholder

    insert = create_stakeholder(district_id, {"name": name, **fields})
    store.apply(insert)
    return insert.values["id"]
