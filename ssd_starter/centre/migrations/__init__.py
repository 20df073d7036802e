"""The Centre's own alembic migration chain (``ssd-starter centre migrate``), separate from the desktop
store's: the two databases never share a schema, and the Centre keeps its version in a table of its own
name (``centre_alembic_version``), so a database holding other things is never confused with it.

The revision list is kept here as plain data, so checking the schema when a server process starts (one
SELECT) never imports alembic; a test checks it against alembic's own script directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent
VERSION_TABLE = "centre_alembic_version"
KNOWN_REVISIONS: tuple[str, ...] = ("c0001_baseline", "c0002_review", "c0003_district_threads", "c0004_devices")
HEAD_REVISION = KNOWN_REVISIONS[-1]


def alembic_config(connection: Connection | None = None):  # -> alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Upgrade inside the connection's transaction: the whole path applies or nothing does."""
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(connection), revision)
