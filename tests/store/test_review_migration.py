"""Migration 0010: the review state a sync used to keep as a JSON file per district moves into the database;
the files go (a damaged one, and one of a district not here, too: the Centre still holds what they held)."""

from __future__ import annotations

import json

from sqlalchemy import create_engine

from ssd_starter.store import Store
from ssd_starter.store.migrations import upgrade
from ssd_starter.store.review import list_submissions, list_threads, review_source
from tests.helpers import run_sql
from tests.store.test_migrations import SEED

CENTRE_REVIEW = {  # as sync.client saved it before 0010: the Centre's own JSON of GET /v1/submissions
    "submissions": [{"id": "5b1e0c7e-8a43-4a55-9a3b-1f0e0c7e8a43", "state": "has_issues", "note": "Prima",
                     "charter_version_id": None, "previous_id": None, "has_dossier": True,
                     "received_at": "2025-06-04T10:00:00+00:00", "updated_at": "2025-06-05T09:30:00",
                     "history": [{"from_state": None, "state": "received", "by": "Valle", "advisor": False,
                                  "comment": "", "at": "2025-06-04T10:00:00+00:00"},
                                 {"from_state": "received", "state": "has_issues", "by": "Anna", "advisor": True,
                                  "comment": "Mancano i soci", "at": "2025-06-05T09:30:00+00:00"}]}],
    "threads": [{"id": "7c2f1d8e-0b54-4b66-8c4d-2f1d8e0b5466", "district_id": "d1",
                 "submission_id": "5b1e0c7e-8a43-4a55-9a3b-1f0e0c7e8a43",
                 "anchor": {"kind": "record", "table": "stakeholder", "id": "s1", "row_id": "s1"},
                 "opened_by": "Anna", "opened_at": "2025-06-05T09:00:00+00:00", "resolved": False,
                 "resolved_at": None, "resolved_by": None,
                 "messages": [{"id": "c9", "seq": 7, "author": "Anna", "text": "Quante famiglie?",
                               "created_at": "2025-06-05T09:00:00+00:00"}]}],
}


def _file_at_0009(data_dir) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "ssd-starter.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        upgrade(conn, "0009_charter_sections")
    engine.dispose()
    run_sql(path, *SEED["0009_charter_sections"])


def test_the_old_review_file_moves_into_the_database(data_dir):
    _file_at_0009(data_dir)
    folder = data_dir / "centre-review"
    folder.mkdir()
    (folder / "d1.json").write_text(json.dumps(CENTRE_REVIEW), encoding="utf-8")
    (folder / "elsewhere.json").write_text(json.dumps(CENTRE_REVIEW), encoding="utf-8")  # not a district here
    store = Store.open()
    try:
        [submission] = list_submissions(store, "d1")
        assert (submission["state"], submission["note"], submission["has_dossier"]) == ("has_issues", "Prima", True)
        assert submission["history"][-1]["comment"] == "Mancano i soci"
        assert submission["updated_at"].isoformat() == "2025-06-05T09:30:00+00:00"
        [thread] = list_threads(store, "d1", table="stakeholder", row_id="s1")
        assert (thread["opened_by"], thread["open"], thread["messages"][0]["text"]) == ("Anna", True,
                                                                                      "Quante famiglie?")
        assert review_source(store, "d1")["received_by"] == "sync"
        assert review_source(store, "elsewhere") is None
        assert not folder.exists()
    finally:
        store.close()


def test_a_damaged_review_file_is_dropped_and_the_upgrade_goes_on(data_dir):
    _file_at_0009(data_dir)
    folder = data_dir / "centre-review"
    folder.mkdir()
    (folder / "d1.json").write_text("{not json", encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")  # not the sync's: left alone
    store = Store.open()
    try:
        assert list_submissions(store, "d1") == [] and review_source(store, "d1") is None
        assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    finally:
        store.close()
