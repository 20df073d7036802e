"""The review service the desktop app's review area holds: a real Centre database (SQLite and PostgreSQL),
typed results, and every failure a ``UserError`` with a message the advisor can read."""

import socket
from pathlib import Path

import pytest
import sqlalchemy as sa

from ssd_starter.centre.review import (
    MAX_AUTHOR,
    ReceivedRecord,
    ReviewComment,
    ReviewedDistrict,
    ReviewService,
    database_url,
    default_location,
)
from ssd_starter.core.errors import NotFound, UserError
from ssd_starter.store.comments import comments_on
from ssd_starter.sync.bundle import write_bundle
from ssd_starter.sync.identity import load_or_create
from tests.sync.test_bundle import other_identity

VALSUGANA = "Distretto di Economia Solidale Valsugana e Tesino"


@pytest.fixture
def bundle(demo_store, tmp_path) -> Path:
    path = tmp_path / "valsugana.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, path, load_or_create())
    return path


@pytest.fixture
def review(database_url):
    service = ReviewService.open(database_url)
    yield service
    service.close()


def test_a_received_bundle_lists_its_district_records_and_summary(review, bundle, demo_store):
    assert review.districts() == []
    assert "ssd-test" not in review.location  # shown on screen: the PostgreSQL password is hidden
    report = review.receive_bundle_files([bundle])
    assert report.received == ("valsugana.ssdbundle",) and report.refused == ()
    [district] = review.districts()
    assert isinstance(district, ReviewedDistrict)
    assert (district.id, district.name, district.actors) == (demo_store.demo_id, VALSUGANA, 43)
    assert district.summary.flows["lm3"].value == pytest.approx(1.43, abs=0.01)
    assert district.last_received is not None and district.last_received.tzinfo is not None
    assert district.fingerprint == load_or_create().fingerprint
    records = review.records(district.id)
    assert all(isinstance(r, ReceivedRecord) for r in records)
    assert [r.table for r in records].count("stakeholder") == 43
    actors = [r.label for r in records if r.table == "stakeholder"]
    assert actors == sorted(actors, key=str.casefold) and "GAS Borgo Solidale" in actors
    assert review.receive_bundle_files([bundle]).received == ("valsugana.ssdbundle",)  # again: nothing changes
    assert review.districts()[0].actors == 43


def test_comments_are_added_resolved_and_read_back(review, bundle, demo_store):
    review.receive_bundle_files([bundle])
    gas = next(r for r in review.records(demo_store.demo_id) if r.label == "GAS Borgo Solidale")
    comment = review.add_comment(demo_store.demo_id, gas.table, gas.id, "  Chiara ", " Manca il settore ")
    assert isinstance(comment, ReviewComment)
    assert (comment.author, comment.text, comment.row_id, comment.resolved) == (
        "Chiara", "Manca il settore", gas.id, False)
    assert review.comments(demo_store.demo_id) == [comment]
    resolved = review.resolve_comment(comment.id)
    assert resolved.resolved and resolved.id == comment.id
    assert review.comments(demo_store.demo_id) == [resolved]


@pytest.mark.parametrize("author, text, message", [
    ("", "Da verificare", "write your name"),
    ("Chiara", "   ", "write your name"),
    ("C" * (MAX_AUTHOR + 1), "Da verificare", "at most 200"),
    ("Chiara", "x" * 4001, "at most 4000"),
])
def test_a_comment_without_what_it_needs_is_refused(review, bundle, demo_store, author, text, message):
    review.receive_bundle_files([bundle])
    record = review.records(demo_store.demo_id)[0]
    with pytest.raises(UserError) as refused:
        review.add_comment(demo_store.demo_id, record.table, record.id, author, text)
    assert message in refused.value.message()
    assert review.comments(demo_store.demo_id) == []


def test_a_comment_on_a_record_the_centre_does_not_hold_is_refused(review, bundle, demo_store):
    review.receive_bundle_files([bundle])
    with pytest.raises(NotFound):
        review.add_comment(demo_store.demo_id, "stakeholder", "no-such-id", "Chiara", "Da verificare")
    with pytest.raises(NotFound):
        review.add_comment("no-such-district", "stakeholder", review.records(demo_store.demo_id)[0].id,
                           "Chiara", "Da verificare")
    with pytest.raises(NotFound):
        review.resolve_comment("no-such-comment")


def test_bad_bundles_are_refused_one_by_one_in_the_advisors_language(review, bundle, demo_store, tmp_path):
    from ssd_starter.i18n import set_language

    stranger = tmp_path / "stranger.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, stranger, other_identity(tmp_path))
    garbage = tmp_path / "garbage.ssdbundle"
    garbage.write_bytes(b"not a zip")
    report = review.receive_bundle_files([bundle, stranger, garbage, tmp_path / "missing.ssdbundle"])
    assert report.received == ("valsugana.ssdbundle",)
    first, second, third = report.refused
    assert first.message().startswith("stranger.ssdbundle: ") and "different key" in first.message()
    assert second.message().startswith("garbage.ssdbundle: ") and "not a bundle" in second.message()
    assert "Cannot read" in third.message()
    set_language("it")
    assert "different key" not in first.message() and first.message().startswith("stranger.ssdbundle: ")
    assert [d.actors for d in review.districts()] == [43]


def test_comments_made_in_review_reach_the_promoter_at_the_next_sync(database_url, demo_store):
    """The service and the Centre's HTTP API on one database: what the advisor writes is what the district pulls."""
    from ssd_starter.centre import store as centre_store
    from ssd_starter.sync.client import sync
    from tests.sync.conftest import RunningCentre

    with RunningCentre(database_url) as centre:
        identity = load_or_create()
        sync(demo_store, demo_store.demo_id, centre.url, identity, token=centre_store.enrol(centre.engine, "V"))
        review = ReviewService.open(database_url)
        try:
            gas = next(r for r in review.records(demo_store.demo_id) if r.label == "GAS Borgo Solidale")
            review.add_comment(demo_store.demo_id, gas.table, gas.id, "Chiara (Centro)", "Manca il comune?")
        finally:
            review.close()
        assert sync(demo_store, demo_store.demo_id, centre.url, identity).comments == 1
    [received] = comments_on(demo_store, demo_store.demo_id, row_id=gas.id)
    assert received["author"] == "Chiara (Centro)"


def test_a_database_that_stops_answering_is_a_refusal_not_a_crash(review, bundle, database_url, demo_store):
    review.receive_bundle_files([bundle])
    engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE centre_comment")
    engine.dispose()
    with pytest.raises(UserError) as refused:
        review.comments(demo_store.demo_id)
    assert "did not answer" in refused.value.message()
    review.close()
    with pytest.raises(UserError) as closed:
        review.districts()
    assert "Open the Centre's database first" in closed.value.message()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.mark.parametrize("location, says", [
    ("mysql://centre/review", "starting with sqlite:/// or postgresql://"),
    (f"postgresql://ssd:wrong@127.0.0.1:{closed_port()}/centre", "Cannot open the Centre's database"),
    ("sqlite:////no/such/folder/centre.sqlite", "Cannot open the Centre's database"),
    ("postgresql://ssd@127.0.0.1:notaport/centre", "Cannot open the Centre's database"),
])
def test_a_database_that_cannot_be_opened_is_said_plainly(location, says):
    with pytest.raises(UserError) as refused:
        ReviewService.open(location)
    assert says in refused.value.message()


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "centre.sqlite"
    path.write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(UserError) as refused:
        ReviewService.open(str(path))
    assert "Cannot open the Centre's database" in refused.value.message()


def test_where_the_database_is(data_dir, tmp_path):
    assert database_url("") == default_location() == f"sqlite:///{data_dir / 'centre.sqlite'}"
    assert database_url(f"  {tmp_path / 'c.sqlite'} ") == f"sqlite:///{tmp_path / 'c.sqlite'}"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    service = ReviewService.open(str(tmp_path / "c.sqlite"))
    try:
        assert service.location == f"sqlite:///{tmp_path / 'c.sqlite'}" and service.districts() == []
    finally:
        service.close()
    assert (tmp_path / "c.sqlite").exists()
