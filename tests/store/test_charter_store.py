"""The charter through the store: draft edits with undo, versions, restore, adoption."""

import datetime as dt

import pytest

from ssd_starter.core.errors import UserError
from ssd_starter.store.charter import (
    adopt,
    get_charter,
    list_versions,
    restore_version,
    save_version,
    start_charter,
    update_content,
)
from ssd_starter.store.stakeholders import get_stakeholder, list_stakeholders, update_stakeholder


def test_a_new_charter_starts_from_the_district(demo_store):
    charter = start_charter(demo_store, demo_store.demo_id)
    assert charter["content"]["municipalities"][:2] == ["Borgo Valsugana", "Castel Ivano"]
    assert start_charter(demo_store, demo_store.demo_id)["id"] == charter["id"]  # one per district


def test_the_charter_shows_and_edits_the_districts_own_sectors_and_municipalities(store):
    """One source of truth: sectors and municipalities given to the district after its charter was started
    show in the charter (its steps were empty and failed the checklist), and the charter's steps edit them."""
    from ssd_starter.core.charter import check
    from ssd_starter.store.charter import context_for
    from ssd_starter.store.districts import create_district, get_district, update_district

    insert = create_district("Val di Cembra")
    store.apply(insert)
    district_id = insert.values["id"]
    start_charter(store, district_id)  # before the district has sectors or municipalities
    store.apply(update_district(district_id, sectors=["organic_farming"], municipalities=["Cembra Lisignago"]))
    charter = get_charter(store, district_id)
    assert charter["content"]["sectors"] == ["organic_farming"]
    assert charter["content"]["municipalities"] == ["Cembra Lisignago"]
    results = {r.key: r.passed for r in check(charter["content"], context_for(store, district_id))}
    assert results["sector"] and results["territory"]

    _changes, undo = store.apply(update_content(charter, {"municipalities": ["Cembra Lisignago", "Altavalle"]}))
    assert get_district(store, district_id).municipalities == ["Cembra Lisignago", "Altavalle"]
    assert get_charter(store, district_id)["content"]["municipalities"] == ["Cembra Lisignago", "Altavalle"]
    store.apply(undo)
    assert get_district(store, district_id).municipalities == ["Cembra Lisignago"]


def test_an_older_charters_own_lists_move_into_the_district_once(store):
    from ssd_starter.core.charter import section_id
    from ssd_starter.store.districts import create_district, get_district, update_district
    from ssd_starter.store.edits import Update

    insert = create_district("Val di Cembra", municipalities=["Cembra Lisignago"])
    store.apply(insert)
    district_id = insert.values["id"]
    charter = start_charter(store, district_id)
    # as a charter written before kept them: its own copy in the territory section
    store.apply(Update("charter_section", section_id(charter["id"], "territory"),
                       {"value": {"municipalities": ["Altavalle", "Cembra Lisignago"]}}))
    assert get_charter(store, district_id)["content"]["municipalities"] == ["Altavalle", "Cembra Lisignago"]
    start_charter(store, district_id)  # opening the charter moves them into the district
    assert get_district(store, district_id).municipalities == ["Altavalle", "Cembra Lisignago"]
    # and from then on the district's list is the one: a name removed there stays removed in the charter
    store.apply(update_district(district_id, municipalities=["Altavalle"]))
    assert get_charter(store, district_id)["content"]["municipalities"] == ["Altavalle"]


def test_draft_edits_undo_and_versions_restore(demo_store):
    charter = start_charter(demo_store, demo_store.demo_id)
    _c, undo = demo_store.apply(update_content(charter, {"purpose": "Un nuovo scopo del distretto di valle."}))
    assert get_charter(demo_store, demo_store.demo_id)["content"]["purpose"].startswith("Un nuovo")
    demo_store.apply(undo)
    assert get_charter(demo_store, demo_store.demo_id)["content"]["purpose"] == charter["content"]["purpose"]
    demo_store.apply(save_version(charter, "Bozza di marzo"))
    changed = get_charter(demo_store, demo_store.demo_id)
    demo_store.apply(update_content(changed, {"commitments": "Altro."}))
    [version] = list_versions(demo_store, charter["id"])
    _c, undo_restore = demo_store.apply(restore_version(get_charter(demo_store, demo_store.demo_id), version))
    assert get_charter(demo_store, demo_store.demo_id)["content"]["commitments"] == charter["content"]["commitments"]
    demo_store.apply(undo_restore)
    assert get_charter(demo_store, demo_store.demo_id)["content"]["commitments"] == "Altro."


def choose_signatories(store, charter):
    members = [a for a in list_stakeholders(store, store.demo_id) if a["stage"] in ("member", "signatory")]
    picked = [next(a for a in members if a["category"] == "cooperative"),
              next(a for a in members if a["category"] == "public_body"),
              next(a for a in members if a["category"] not in ("cooperative", "public_body"))]
    for actor in picked:
        store.apply(update_stakeholder(actor["id"], stage="member"))
    store.apply(update_content(charter, {"signatories": [a["id"] for a in picked]}))
    return picked


def test_adoption_freezes_a_version_and_marks_the_signatories(demo_store):
    charter = start_charter(demo_store, demo_store.demo_id)
    with pytest.raises(UserError, match="cannot be adopted"):
        adopt(demo_store, charter, name="Carta 2026", date=dt.date(2026, 11, 20), place="Borgo Valsugana")
    picked = choose_signatories(demo_store, charter)
    charter = get_charter(demo_store, demo_store.demo_id)
    _changes, undo = demo_store.apply(adopt(demo_store, charter, name="Carta 2026", date=dt.date(2026, 11, 20),
                                            place="Borgo Valsugana"))
    adopted = get_charter(demo_store, demo_store.demo_id)
    [version] = list_versions(demo_store, charter["id"])
    assert adopted["status"] == "adopted" and adopted["adopted_version_id"] == version["id"]
    assert version["adopted"] and version["adoption_place"] == "Borgo Valsugana"
    assert all(get_stakeholder(demo_store, a["id"])["stage"] == "signatory" for a in picked)
    demo_store.apply(update_content(adopted, {"commitments": "Cambiato dopo l'adozione."}))
    assert get_charter(demo_store, demo_store.demo_id)["status"] == "draft"  # a new draft; the version stays
    assert list_versions(demo_store, charter["id"])[0]["content"]["commitments"] != "Cambiato dopo l'adozione."


def test_adoption_with_failing_checks_needs_a_recorded_reason(demo_store):
    charter = start_charter(demo_store, demo_store.demo_id)
    demo_store.apply(adopt(demo_store, charter, name="Carta provvisoria", date=dt.date(2026, 11, 20),
                           place="Telve", override_reason="La Provincia chiede la carta entro dicembre"))
    [version] = list_versions(demo_store, charter["id"])
    assert version["override_reason"] == "La Provincia chiede la carta entro dicembre"


def test_sections_and_translations_are_written_one_step_at_a_time(demo_store):
    from ssd_starter.core.charter import section_id
    from ssd_starter.store.charter import update_translation

    charter = start_charter(demo_store, demo_store.demo_id)
    assert len(charter["sections"]) == 10 and all(s["key"] == key for key, s in charter["sections"].items())
    assert update_content(charter, {"purpose": charter["content"]["purpose"]}).edits == ()  # nothing changed
    changes, undo = demo_store.apply(update_translation(charter, "de", "purpose", "Der Zweck."))
    assert [c.row_id for c in changes.changes] == [section_id(charter["id"], "purpose")]
    assert get_charter(demo_store, demo_store.demo_id)["translations"] == {"de": {"purpose": "Der Zweck."}}
    demo_store.apply(undo)
    assert get_charter(demo_store, demo_store.demo_id)["translations"] == {}


def test_a_missing_section_is_made_again_when_the_charter_is_opened(demo_store):
    from ssd_starter.core.charter import section_id
    from ssd_starter.store.edits import Delete

    charter = start_charter(demo_store, demo_store.demo_id)
    demo_store.apply(Delete("charter_section", section_id(charter["id"], "reporting")))
    assert "reporting" not in get_charter(demo_store, demo_store.demo_id)["sections"]
    assert start_charter(demo_store, demo_store.demo_id)["sections"]["reporting"]["deleted"] is False


def test_erasure_finds_and_clears_a_person_named_in_a_charter_section(demo_store):
    from ssd_starter.store.people import erase_person, preview_erasure
    from tests.helpers import add_actor

    person = add_actor(demo_store, demo_store.demo_id, "Maria Rossi", category="individual")
    charter = start_charter(demo_store, demo_store.demo_id)
    demo_store.apply(update_content(charter, {"reporting_to": "Maria Rossi, per l'assemblea"}))
    [mention] = [m for m in preview_erasure(demo_store, person) if m.table == "charter_section"]
    assert mention.field == "value" and "Maria Rossi" in mention.snippet
    erase_person(demo_store, person, clear_mentions=True)
    assert "Maria Rossi" not in get_charter(demo_store, demo_store.demo_id)["content"]["reporting_to"]
