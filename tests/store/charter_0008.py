"""A data file as SSD Starter left it at revision 0008: the charter's whole text in one row's JSON."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from ssd_starter.store.migrations import upgrade
from tests.helpers import run_sql

STAMP = "2025-06-01 10:00:00.000000"


def demo_charter(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """A real charter's content and translations: the demo's draft, with one section translated."""
    from ssd_starter.demo import load_demo
    from ssd_starter.store import Store
    from ssd_starter.store.charter import get_charter

    store = Store.open(folder / "demo.sqlite")
    charter = get_charter(store, load_demo(store))
    store.close()
    assert charter is not None
    translations = {"de": {"purpose": "Der Distrikt hält den Wert im Tal.", "commitments": "Bei Mitgliedern kaufen."},
                    "en": {"purpose": "The district keeps value in the valley."}}
    return charter["content"], translations


def database_at_0008(path: Path, device_id: str, content: dict[str, Any], translations: dict[str, Any],
                     *, charter_version: int = 4) -> dict[str, str]:
    """The file at ``path``, at revision 0008, holding a district, its charter (written ``charter_version``
    times by ``device_id``) and one named version of it; the ids of district, charter and version."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        upgrade(conn, "0008_comments")
    engine.dispose()
    ids = {"district": str(uuid.uuid4()), "charter": str(uuid.uuid4()), "version": str(uuid.uuid4())}
    text, texts = json.dumps(content), json.dumps(translations)

    def sql(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    run_sql(path,
            f"INSERT INTO meta (key, value) VALUES ('device_id', '{device_id}')",
            "INSERT INTO district (id, updated_at, version, origin, deleted, name, kind, sectors, municipalities, "
            f"language, description, created_at, targets) VALUES ('{ids['district']}', '{STAMP}', 1, '{device_id}', 0, "
            "'Valsugana', 'territorial', '[\"fair_trade\"]', '[\"Telve\"]', 'it', '', "
            f"'{STAMP}', '{{}}')",
            "INSERT INTO charter (id, updated_at, version, origin, deleted, district_id, language, content, "
            f"translations, current_step, status, adopted_version_id) VALUES ('{ids['charter']}', '{STAMP}', "
            f"{charter_version}, '{device_id}', 0, '{ids['district']}', 'it', {sql(text)}, {sql(texts)}, "
            "'membership', 'draft', NULL)",
            "INSERT INTO charter_version (id, updated_at, version, origin, deleted, charter_id, district_id, name, "
            "language, content, translations, created_at, adopted, adoption_date, adoption_place, override_reason) "
            f"VALUES ('{ids['version']}', '{STAMP}', 1, '{device_id}', 0, '{ids['charter']}', '{ids['district']}', "
            f"'Bozza di maggio', 'it', {sql(text)}, {sql(texts)}, '{STAMP}', 0, NULL, '', '')",
            *(f"INSERT INTO change_log (origin, district_id, table_name, row_id, op, version, data, at) VALUES "
              f"('{device_id}', '{ids['district']}', '{table}', '{ids[key]}', 'insert', 1, '{{}}', '{STAMP}')"
              for table, key in (("district", "district"), ("charter", "charter"), ("charter_version", "version"))),
            f"INSERT INTO change_log (origin, district_id, table_name, row_id, op, version, data, at) VALUES "
            f"('{device_id}', '{ids['district']}', 'charter', '{ids['charter']}', 'update', {charter_version}, "
            f"'{{}}', '{STAMP}')")
    return ids
