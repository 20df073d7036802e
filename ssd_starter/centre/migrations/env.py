"""Alembic environment of the Centre: always given an open connection by ``centre.database.migrate``."""

from alembic import context  # noqa: TID253 - alembic runs this file itself, only when migrating

from ssd_starter.centre.migrations import VERSION_TABLE
from ssd_starter.centre.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("The Centre runs its migrations with an open connection (centre.database.migrate)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
