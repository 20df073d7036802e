"""The charter's text in one synced row per wizard step; the wizard's step no longer on the charter row.

Each charter's ``content`` and ``translations`` documents are cut into ``charter_section`` rows, one per
step. A section row takes the charter row's version, origin and time: on two installations that hold the
same charter the rows come out identical (their ids are derived from the charter's id and the key), so
their next exchange finds nothing to merge; where the charters had drifted apart, the newer one still wins
as it would have. Each new row is logged under its origin, so the installation that wrote the charter last
sends the sections on its next sync (the Centre has no other way to learn them).

``current_step`` went to the settings (screen state, not synced) and is dropped with the two documents.

The grouping of fields and the id namespace are copied here as they were at this revision
(``core.charter.SECTION_FIELDS``, ``SECTION_NAMESPACE``): a migration must not change with later code.

Revision ID: 0009_charter_sections
Revises: 0008_comments
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0009_charter_sections"
down_revision = "0008_comments"
branch_labels = None
depends_on = None

SECTION_FIELDS = {
    "purpose": ("purpose", "pursues_work_integration", "work_integration"),
    "principles": ("principles", "principles_addressed"),
    "sectors": ("sectors",),
    "territory": ("municipalities",),
    "membership": ("membership", "turnover_rule", "non_profit_rule"),
    "governance": ("bodies",),
    "decisions": ("quorum", "majority", "consensus_method"),
    "commitments": ("commitments",),
    "reporting": ("reporting_what", "reporting_frequency", "reporting_to"),
    "signatories": ("signatories",),
}
SECTION_NAMESPACE = uuid.UUID("5d0c7a2e-3f4b-4c1d-9a8e-6b2f1e0d9c37")

# Times are copied as the text they are stored as, so nothing is re-encoded on the way.
old_charter = sa.table(
    "charter", sa.column("id", sa.String), sa.column("district_id", sa.String), sa.column("updated_at", sa.String),
    sa.column("version", sa.Integer), sa.column("origin", sa.String), sa.column("content", sa.JSON),
    sa.column("translations", sa.JSON),
)
section = sa.table(
    "charter_section", sa.column("id", sa.String), sa.column("updated_at", sa.String),
    sa.column("version", sa.Integer), sa.column("origin", sa.String), sa.column("deleted", sa.Boolean),
    sa.column("charter_id", sa.String), sa.column("district_id", sa.String), sa.column("key", sa.String),
    sa.column("value", sa.JSON), sa.column("translations", sa.JSON),
)
change_log = sa.table(
    "change_log", sa.column("origin", sa.String), sa.column("district_id", sa.String),
    sa.column("table_name", sa.String), sa.column("row_id", sa.String), sa.column("op", sa.String),
    sa.column("version", sa.Integer), sa.column("data", sa.JSON), sa.column("at", sa.String),
)
conflict = sa.table("conflict", sa.column("table_name", sa.String))


def syncable_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def _sections(charter) -> list[dict]:
    content = charter.content if isinstance(charter.content, dict) else {}
    translations = charter.translations if isinstance(charter.translations, dict) else {}
    rows = []
    for key, names in SECTION_FIELDS.items():
        value = {name: content[name] for name in names if content.get(name) is not None}
        texts = {language: texts[key] for language, texts in translations.items()
                 if isinstance(texts, dict) and isinstance(texts.get(key), str)}
        rows.append({"id": str(uuid.uuid5(SECTION_NAMESPACE, f"{charter.id}/{key}")), "updated_at": charter.updated_at,
                     "version": charter.version, "origin": charter.origin, "deleted": False,
                     "charter_id": charter.id, "district_id": charter.district_id, "key": key, "value": value,
                     "translations": texts})
    return rows


def upgrade() -> None:
    conn = op.get_bind()
    sections = [row for charter in conn.execute(sa.select(old_charter).order_by(old_charter.c.id)).all()
                for row in _sections(charter)]
    # SQLite drops a column by copying the table; with foreign keys on (they are, and cannot be turned off
    # inside the migration's transaction) dropping the old copy fails while rows point at it, so the
    # versions wait aside, exactly as stored, and the sections are made once the charter is back.
    conn.exec_driver_sql("CREATE TEMP TABLE charter_version_aside AS SELECT * FROM charter_version")
    conn.exec_driver_sql("DELETE FROM charter_version")
    with op.batch_alter_table("charter") as batch:
        batch.drop_column("current_step")
        batch.drop_column("translations")
        batch.drop_column("content")
    conn.exec_driver_sql("INSERT INTO charter_version SELECT * FROM charter_version_aside")
    conn.exec_driver_sql("DROP TABLE charter_version_aside")
    op.create_table(
        "charter_section",
        *syncable_columns(),
        sa.Column("charter_id", sa.String(36), sa.ForeignKey("charter.id"), nullable=False),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("key", sa.String(30), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.UniqueConstraint("charter_id", "key", name="uq_charter_section_key"),
    )
    if sections:
        conn.execute(section.insert(), sections)
        conn.execute(change_log.insert(), [
            {"origin": row["origin"], "district_id": row["district_id"], "table_name": "charter_section",
             "row_id": row["id"], "op": "insert", "version": row["version"], "data": {}, "at": row["updated_at"]}
            for row in sections])


def downgrade() -> None:
    with op.batch_alter_table("charter") as batch:
        batch.add_column(sa.Column("content", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("current_step", sa.String(30), nullable=False, server_default="purpose"))
    conn = op.get_bind()
    charter = sa.table("charter", sa.column("id", sa.String), sa.column("version", sa.Integer),
                       sa.column("content", sa.JSON), sa.column("translations", sa.JSON))
    versions = dict(conn.execute(sa.select(charter.c.id, charter.c.version)).all())
    found: dict[str, list] = {}
    for row in conn.execute(sa.select(section).where(section.c.deleted.is_(False))).all():
        found.setdefault(row.charter_id, []).append(row)
    for charter_id, rows in found.items():
        if charter_id not in versions:
            continue
        content: dict = {}
        translations: dict = {}
        for row in rows:
            names = SECTION_FIELDS.get(row.key, ())
            content.update({name: value for name, value in (row.value or {}).items() if name in names})
            for language, text in (row.translations or {}).items():
                translations.setdefault(language, {})[row.key] = text
        # the folded-in text is at least as new as its newest section, for the older version's merge
        conn.execute(charter.update().where(charter.c.id == charter_id).values(
            content=content, translations=translations,
            version=max(versions[charter_id], *(row.version for row in rows))))
    conn.execute(change_log.delete().where(change_log.c.table_name == "charter_section"))
    conn.execute(conflict.delete().where(conflict.c.table_name == "charter_section"))
    op.drop_table("charter_section")
