"""Migrations: the revision list is alembic's, and every earlier schema upgrades with its data kept."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from ssd_starter.core.charter import section_id
from ssd_starter.core.models import metadata
from ssd_starter.store import Store
from ssd_starter.store.backup import backup_folder, list_backups
from ssd_starter.store.districts import list_districts
from ssd_starter.store.migrations import HEAD_REVISION, KNOWN_REVISIONS, alembic_config, upgrade
from ssd_starter.store.stakeholders import list_stakeholders
from tests.helpers import run_sql


def test_known_revisions_are_alembics_own_linear_history():
    script = ScriptDirectory.from_config(alembic_config())
    walked = [rev.revision for rev in script.walk_revisions()]
    assert tuple(reversed(walked)) == KNOWN_REVISIONS
    assert script.get_heads() == [HEAD_REVISION]


def test_the_migrated_schema_is_exactly_the_models(store):
    engine = create_engine(f"sqlite:///{store.path}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    engine.dispose()
    assert diff == []


# What a user could have stored at each revision, written with that revision's own columns.
SEED = {
    "0001_baseline": [
        "INSERT INTO district (id, updated_at, version, origin, deleted, name, kind, sectors, municipalities, "
        "language, description, created_at) VALUES ('d1', '2025-05-01 10:00:00', 3, 'dev', 0, 'Valle dei Laghi', "
        "'territorial', '[\"fair_trade\"]', '[\"Vallelaghi\"]', 'it', 'prima', '2025-05-01 09:00:00')",
        "INSERT INTO change_log (origin, district_id, table_name, row_id, op, version, data, at) VALUES "
        "('dev', 'd1', 'district', 'd1', 'insert', 1, '{}', '2025-05-01 09:00:00')",
        "INSERT INTO meta (key, value) VALUES ('device_id', 'dev')",
    ],
}
SEED["0002_stakeholders"] = SEED["0001_baseline"] + [
    "INSERT INTO stakeholder (id, updated_at, version, origin, deleted, district_id, name, category, sector, "
    "municipality, roles, influence, interest, attitude, stage, contact_person, email, phone, consent, "
    "consent_date, consent_purpose, notes) VALUES ('s1', '2025-05-01 10:00:00', 1, 'dev', 0, 'd1', "
    "'Coop Alfa', 'cooperative', NULL, 'Vallelaghi', '[]', 4, 5, 'supporter', 'member', '', '', '', 0, NULL, '', '')",
]


SEED["0003_map_positions"] = SEED["0002_stakeholders"] + [
    "INSERT INTO map_position (stakeholder_id, x, y, pinned) VALUES ('s1', 10.5, -3.0, 1)",
]


SEED["0004_charter"] = SEED["0003_map_positions"] + [
    "INSERT INTO charter (id, updated_at, version, origin, deleted, district_id, language, content, translations, "
    "current_step, status, adopted_version_id) VALUES ('c1', '2025-05-02 10:00:00', 2, 'dev', 0, 'd1', 'it', "
    "'{\"purpose\": \"Tenere il valore in valle\"}', '{}', 'membership', 'draft', NULL)",
]

SEED["0005_canvas_flows"] = SEED["0004_charter"] + [
    "INSERT INTO canvas_item (id, updated_at, version, origin, deleted, district_id, block, text, position, "
    "stakeholder_ids) VALUES ('k1', '2025-05-03 10:00:00', 1, 'dev', 0, 'd1', 'partners', 'Banca etica', 0, "
    "'[\"s1\"]')",
    "INSERT INTO flow (id, updated_at, version, origin, deleted, district_id, source_id, target_id, kind, "
    "description, quantity, unit, value_eur, canvas_item_id, relation_id) VALUES ('f1', '2025-05-03 10:00:00', 1, "
    "'dev', 0, 'd1', 's1', NULL, 'money', 'Acquisti', 1200.5, 'EUR', 1200.5, 'k1', NULL)",
    "UPDATE district SET targets = '{\"lm3\": {\"comparison\": \"at_least\", \"value\": 1.7}}'",
]

SEED["0006_training"] = SEED["0005_canvas_flows"] + [
    "INSERT INTO workshop (id, updated_at, version, origin, deleted, district_id, title, date, place, trainer, "
    "module_ids, sessions, notes) VALUES ('w1', '2025-06-01 10:00:00', 1, 'dev', 0, 'd1', 'Laboratorio', "
    "'2025-06-10', 'Telve', 'Chiara', '[\"what_is_ssd\"]', '[]', '')",
]

SEED["0007_peers"] = SEED["0006_training"] + [
    "INSERT INTO peer (district_id, origin, public_key, fingerprint, first_seen, last_seq) VALUES "
    "('d1', 'other-device', 'AAAA', 'AAAA BBBB', '2025-06-02 10:00:00', 41)",
]

SEED["0008_comments"] = SEED["0007_peers"] + [
    "INSERT INTO comment (id, district_id, table_name, row_id, author, text, created_at, resolved, centre_seq) "
    "VALUES ('c9', 'd1', 'stakeholder', 's1', 'Centro', 'Manca il settore', '2025-06-03 10:00:00', 0, 7)",
]

# From 0009 the charter's text is in its sections (ids derived from the charter's id and the key).
SEED["0009_charter_sections"] = [
    statement for statement in SEED["0008_comments"] if not statement.startswith("INSERT INTO charter ")] + [
    "INSERT INTO charter (id, updated_at, version, origin, deleted, district_id, language, status, "
    "adopted_version_id) VALUES ('c1', '2025-05-02 10:00:00', 2, 'dev', 0, 'd1', 'it', 'draft', NULL)",
    "INSERT INTO charter_section (id, updated_at, version, origin, deleted, charter_id, district_id, key, value, "
    f"translations) VALUES ('{section_id('c1', 'purpose')}', '2025-05-02 10:00:00', 2, 'dev', 0, 'c1', 'd1', "
    "'purpose', '{\"purpose\": \"Tenere il valore in valle\"}', '{}')",
]

SEED["0010_review"] = SEED["0009_charter_sections"] + [
    "INSERT INTO review_submission (id, district_id, state, note, previous_id, charter_version_id, has_dossier, "
    "received_at, updated_at, history) VALUES ('r1', 'd1', 'has_issues', '', NULL, NULL, 0, "
    "'2025-06-04 10:00:00', '2025-06-05 10:00:00', '[]')",
]

SEED["0011_flow_purpose_history"] = SEED["0010_review"] + [
    "UPDATE flow SET purpose = 'payment' WHERE kind = 'money'",
    "INSERT INTO indicator_snapshot (id, updated_at, version, origin, deleted, district_id, taken_on, kind, "
    "\"values\") VALUES ('i1', '2025-06-06 10:00:00', 1, 'dev', 0, 'd1', '2025-06-06', 'manual', '{\"lm3\": 1.4}')",
]

SEED["0012_devices"] = SEED["0011_flow_purpose_history"] + [
    "INSERT INTO district_device (district_id, device_id, name, public_key, fingerprint, added_at) VALUES "
    "('d1', 'dev', 'Anna', 'k', 'f', '2025-06-07 10:00:00')",
    "INSERT INTO sync_counter (district_id, origin, last_seq) VALUES ('d1', 'other', 12)",
]

SEED["0013_change_log_origin"] = SEED["0012_devices"]


@pytest.mark.parametrize("revision", KNOWN_REVISIONS)
def test_every_earlier_revision_upgrades_with_its_data(data_dir, revision):
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "ssd-starter.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        upgrade(conn, revision)
    engine.dispose()
    run_sql(path, *SEED[revision])

    store = Store.open()
    assert store.revision() == HEAD_REVISION
    [district] = list_districts(store)
    assert (district.name, district.version, district.sectors, district.municipalities) == (
        "Valle dei Laghi", 3, ["fair_trade"], ["Vallelaghi"])
    assert store.device_id == "dev"
    if revision != "0001_baseline":
        assert [s["name"] for s in list_stakeholders(store, "d1")] == ["Coop Alfa"]
    if KNOWN_REVISIONS.index(revision) >= KNOWN_REVISIONS.index("0004_charter"):
        from ssd_starter.store.charter import get_charter

        charter = get_charter(store, "d1")
        assert charter["content"]["purpose"] == "Tenere il valore in valle" and "current_step" not in charter
        assert charter["version"] == 2 and charter["sections"]["purpose"]["version"] == 2
    if KNOWN_REVISIONS.index(revision) >= KNOWN_REVISIONS.index("0005_canvas_flows"):
        from ssd_starter.store.canvas import list_canvas_items
        from ssd_starter.store.flows import list_flows

        [flow] = list_flows(store, "d1")
        assert (flow["source_id"], flow["target_id"], flow["value_eur"]) == ("s1", None, 1200.5)
        assert flow["purpose"] == "payment"  # what every money flow was taken for before purposes existed
        assert [item["stakeholder_ids"] for item in list_canvas_items(store, "d1")] == [["s1"]]
        assert district.targets == {"lm3": {"comparison": "at_least", "value": 1.7}}
    else:
        assert district.targets == {}
    if KNOWN_REVISIONS.index(revision) >= KNOWN_REVISIONS.index("0006_training"):
        from ssd_starter.store.training import list_workshops

        [workshop] = list_workshops(store, "d1")
        assert (workshop["title"], workshop["module_ids"]) == ("Laboratorio", ["what_is_ssd"])
    if revision != HEAD_REVISION:
        assert any("before-upgrade" in p.name for p in list_backups(backup_folder(store)))
    assert store.integrity_check() == ["ok"]
    store.close()


def test_opening_an_up_to_date_file_does_not_import_alembic(store):
    import subprocess
    import sys

    store.close()
    code = ("import sys\nfrom ssd_starter.store import Store\nStore.open()\n"
            "print('alembic' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**__import__("os").environ})
    assert result.stdout.strip() == "False", result.stderr
