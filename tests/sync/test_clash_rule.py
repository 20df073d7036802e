"""One clash rule: the Centre's conditional upsert keeps exactly the copy core.clash says wins."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssd_starter.centre import store as centre_store
from ssd_starter.core.clash import rank, wins
from tests.sync.hostile import actor_row, record

ORIGINS = sorted(str(uuid.uuid4()) for _ in range(3))
COPIES = st.lists(st.tuples(st.integers(1, 3), st.sampled_from(ORIGINS)), min_size=1, max_size=6)


def test_the_rule():
    low, high = ORIGINS[0], ORIGINS[1]
    assert wins({"version": 2, "origin": low}, {"version": 1, "origin": high})
    assert wins({"version": 1, "origin": high}, {"version": 1, "origin": low})
    assert not wins({"version": 1, "origin": low}, {"version": 1, "origin": low})


@pytest.fixture
def engine(database_url):
    engine = centre_store.connect(database_url)
    yield engine
    engine.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(copies=COPIES)
def test_the_centre_keeps_the_copy_the_rule_picks(engine, copies):
    district, actor = str(uuid.uuid4()), str(uuid.uuid4())
    kept: dict | None = None
    for n, (version, origin) in enumerate(copies):
        row = actor_row(actor, district, origin, name=f"copia {n}", version=version)
        centre_store.push(engine, district, origin, n + 1, [record("stakeholder", row)])
        if kept is None or wins(row, kept):
            kept = row
    [stored] = centre_store.district_rows(engine, district, "stakeholder")
    assert kept is not None and rank(stored) == rank(kept) and stored["name"] == kept["name"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(copies=COPIES, others=st.integers(0, 3))
def test_copies_of_one_row_in_one_push_meet_in_order(engine, copies, others):
    """The push goes in as multi-row upserts: copies of one row in the same chunk (among other rows) are taken
    in the order sent, and the count of rows stored says how many copies won over the one held."""
    district, actor, origin = str(uuid.uuid4()), str(uuid.uuid4()), ORIGINS[0]
    records = [record("stakeholder", actor_row(str(uuid.uuid4()), district, origin, name=f"altro {n}"))
               for n in range(others)]
    kept: dict | None = None
    winners = 0
    for n, (version, copy_origin) in enumerate(copies):
        row = actor_row(actor, district, copy_origin, name=f"copia {n}", version=version)
        records.insert(min(n, len(records)), record("stakeholder", row))
        if kept is None or wins(row, kept):
            kept, winners = row, winners + 1
    result = centre_store.push(engine, district, origin, len(records), records)
    assert (result.stored, result.ignored) == (winners + others, len(copies) - winners)
    stored = {row["id"]: row for row in centre_store.district_rows(engine, district, "stakeholder")}
    assert len(stored) == others + 1 and stored[actor]["name"] == kept["name"]
