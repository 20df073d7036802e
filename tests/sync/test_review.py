"""The Centre's review side: bundles received into the Centre's database, districts side by side, comments."""

import pytest

from ssd_starter.centre import store as centre_store
from ssd_starter.store.comments import comments_on
from ssd_starter.store.stakeholders import find_stakeholder
from ssd_starter.sync.bundle import verify_bundle_file, write_bundle
from ssd_starter.sync.client import sync
from ssd_starter.sync.identity import load_or_create
from tests.sync.test_bundle import other_identity


@pytest.fixture
def engine(tmp_path):
    engine = centre_store.connect(f"sqlite:///{tmp_path / 'review.sqlite'}")
    yield engine
    engine.dispose()


def test_a_bundle_by_usb_lands_like_a_push_and_the_district_is_listed(demo_store, engine, tmp_path):
    path = tmp_path / "v.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, path, load_or_create())
    bundle = verify_bundle_file(path, centre_store.pinned_keys(engine))
    result = centre_store.receive_bundle(engine, bundle)
    assert result.stored > 200 and result.acknowledged == bundle.manifest["sequence"]["last"]
    again = centre_store.receive_bundle(engine, verify_bundle_file(path, centre_store.pinned_keys(engine)))
    assert again.stored == 0  # the same bundle twice changes nothing
    [district] = centre_store.overview(engine)
    assert district["name"] == "Distretto di Economia Solidale Valsugana e Tesino" and district["actors"] == 43
    # the Centre reads the same multiplier from the rows it received as the district does from its own
    from ssd_starter.core.indicators import compute_indicators
    from ssd_starter.store.flows import list_flows
    from ssd_starter.store.stakeholders import list_stakeholders

    own = compute_indicators(list_stakeholders(demo_store, demo_store.demo_id), list_flows(demo_store, demo_store.demo_id))
    assert district["indicators"]["lm3"].value == pytest.approx(own["lm3"].value)
    assert district["indicators"]["financing_inside"].value == pytest.approx(own["financing_inside"].value)
    stranger = tmp_path / "s.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, stranger, other_identity(tmp_path))
    with pytest.raises(Exception) as refused:
        centre_store.receive_bundle(engine, verify_bundle_file(stranger))  # not checked against the pins
    assert "different key" in str(refused.value)


def test_comments_written_at_review_reach_the_promoter(demo_store, tmp_path):
    from tests.sync.conftest import RunningCentre

    with RunningCentre(f"sqlite:///{tmp_path / 'centre.sqlite'}") as centre:
        identity = load_or_create()
        sync(demo_store, demo_store.demo_id, centre.url, identity, token=centre_store.enrol(centre.engine, "V"))
        gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
        comment = centre_store.add_comment(centre.engine, demo_store.demo_id, "stakeholder", gas["id"],
                                           "Chiara (Centro)", "Manca il comune di riferimento?")
        centre_store.resolve_comment(centre.engine, comment["id"])
        assert centre_store.all_comments(centre.engine, demo_store.demo_id)[0]["resolved"] is True
        assert sync(demo_store, demo_store.demo_id, centre.url, identity).comments == 1
        [received] = comments_on(demo_store, demo_store.demo_id, row_id=gas["id"])
        assert received["author"] == "Chiara (Centro)"


def test_indicator_snapshots_travel_to_the_centre_like_any_row(demo_store, engine, tmp_path):
    import datetime as dt

    from ssd_starter.store.flows import list_snapshots, take_snapshot

    demo_store.apply(take_snapshot(demo_store, demo_store.demo_id, kind="yearly", on=dt.date(2025, 12, 31)))
    [kept] = list_snapshots(demo_store, demo_store.demo_id)
    path = tmp_path / "h.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, path, load_or_create())
    centre_store.receive_bundle(engine, verify_bundle_file(path, centre_store.pinned_keys(engine)))
    [received] = centre_store.district_rows(engine, demo_store.demo_id, "indicator_snapshot")
    assert received["id"] == kept["id"] and received["taken_on"] == "2025-12-31"
    assert received["values"]["lm3"] == pytest.approx(kept["values"]["lm3"])
