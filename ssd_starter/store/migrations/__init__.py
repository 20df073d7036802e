"""Alembic migrations, run on open.

The revision list is kept here as plain data so opening an up-to-date file never imports alembic
(0.25 s of start-up); a test checks it against alembic's own script directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent
KNOWN_REVISIONS: tuple[str, ...] = ("0001_baseline", "0002_stakeholders", "0003_map_positions", "0004_charter",
                                     "0005_canvas_flows", "0006_training", "0007_peers",
                                     "0008_comments", "0009_charter_sections", "0010_review",
                                     "0011_flow_purpose_history", "0012_devices",
                                     "0013_change_log_origin")
HEAD_REVISION = KNOWN_REVISIONS[-1]


def alembic_config(connection: Connection | None = None):  # -> alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Upgrade in one transaction: either the whole path applies or nothing does."""
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
