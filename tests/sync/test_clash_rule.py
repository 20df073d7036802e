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
