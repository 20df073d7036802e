"""Alembic environment: always given an open connection by ssd_starter.store.migrations.upgrade."""

from alembic import context

from ssd_starter.core import models

target_metadata = models.metadata
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("SSD Starter runs its migrations with an open connection (store.migrations.upgrade)")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
