"""The network figures are cached per district and worked out again only after a change-set touches its map."""

from ssd_starter.store.analytics import network_cache
from ssd_starter.store.districts import create_district, update_district
from ssd_starter.store.stakeholders import (
    create_relation,
    create_stakeholder,
    list_relations,
    list_stakeholders,
)


def test_figures_are_kept_until_the_map_changes(store):
    district = create_district("Cache")
    store.apply(district)
    district_id = district.values["id"]
    ids = []
    for name in ("Alfa", "Beta", "Gamma"):
        edit = create_stakeholder(district_id, {"name": name, "category": "cooperative"})
        store.apply(edit)
        ids.append(edit.values["id"])
    cache = network_cache(store)

    def figures():
        return cache.figures(district_id, list_stakeholders(store, district_id), list_relations(store, district_id))

    first = figures()
    assert figures() is first and cache.computed == 1
    store.apply(update_district(district_id, description="no actor changed"))
    assert figures() is first and cache.computed == 1
    store.apply(create_relation(district_id, {"source_id": ids[0], "target_id": ids[1], "kind": "supplies"}))
    second = figures()
    assert cache.computed == 2 and second.relations == 1 and first.relations == 0
