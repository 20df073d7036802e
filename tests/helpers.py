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
