"""Money flows get a purpose; an applied scenario keeps a record of what it did; indicator snapshots.

- ``flow.purpose``: what a money flow is for (payment, wages, loan, investment, grant, fee); empty for the
  other kinds. Every money flow already stored becomes a ``payment``, which is what the indicators took it
  for until now, so no figure moves by itself. A flow whose description reads like a loan ("Mutuo",
  "Darlehen", …) is **not** turned into one here: its id is written to the ``meta`` row
  ``purpose_questions``, and the app and ``flow suggest-purposes`` ask the promoter about each of them.
- ``scenario.applied_record``: what applying the scenario did (the flows as they were, the indicators
  before and after), so the scenario still says what it did once its flows have changed.
- ``indicator_snapshot``: a district's indicator values on a day (taken yearly or on demand), synced.

The words are copied here as they were at this revision (``core.flows.LOAN_WORDS``): a migration must not
change with later code. The rows are not logged for sync: a purpose missing on another installation or at
the Centre reads as ``payment`` there too, the same meaning.

Revision ID: 0011_flow_purpose_history
Revises: 0010_review
"""

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0011_flow_purpose_history"
down_revision = "0010_review"
branch_labels = None
depends_on = None

LOAN_WORDS = ("mutuo", "mutui", "prestito", "prestiti", "finanziamento", "finanziamenti", "microcredito",
              "darlehen", "kredit", "loan", "microcredit")
QUESTIONS_KEY = "purpose_questions"

flow = sa.table("flow", sa.column("id", sa.String), sa.column("kind", sa.String),
                sa.column("description", sa.String), sa.column("purpose", sa.String),
                sa.column("deleted", sa.Boolean))
meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.String))


def syncable_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def suggests_loan(description: str) -> bool:
    words = re.findall(r"\w+", (description or "").casefold())
    return any(word.startswith(LOAN_WORDS) for word in words)


def upgrade() -> None:
    with op.batch_alter_table("flow") as batch:
        batch.add_column(sa.Column("purpose", sa.String(20), nullable=True))
    with op.batch_alter_table("scenario") as batch:
        batch.add_column(sa.Column("applied_record", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "indicator_snapshot",
        *syncable_columns(),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
    )
    op.create_index("ix_indicator_snapshot_district", "indicator_snapshot", ["district_id", "deleted"])

    conn = op.get_bind()
    conn.execute(flow.update().where(flow.c.kind == "money").values(purpose="payment"))
    questions = [row.id for row in conn.execute(sa.select(flow.c.id, flow.c.description).where(
        flow.c.kind == "money", flow.c.deleted.is_(False))) if suggests_loan(row.description)]
    if questions:
        conn.execute(meta.delete().where(meta.c.key == QUESTIONS_KEY))
        conn.execute(meta.insert().values(key=QUESTIONS_KEY, value=json.dumps(sorted(questions))))


def downgrade() -> None:
    op.execute(meta.delete().where(meta.c.key == QUESTIONS_KEY))
    op.drop_index("ix_indicator_snapshot_district", "indicator_snapshot")
    op.drop_table("indicator_snapshot")
    with op.batch_alter_table("scenario") as batch:
        batch.drop_column("applied_record")
    with op.batch_alter_table("flow") as batch:
        batch.drop_column("purpose")
