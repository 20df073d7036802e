"""Installing packs, and workshops in the store: participants, attendance, answers, proposals, certificates."""

import datetime as dt

import pytest
from pypdf import PdfReader

from ssd_starter.core.training import PackRefused
from ssd_starter.export.certificate import write_certificates
from ssd_starter.store.canvas import list_canvas_items
from ssd_starter.store.stakeholders import list_stakeholders
from ssd_starter.store.training import (
    accept_proposals,
    add_participant,
    answers,
    attendance,
    create_workshop,
    get_workshop,
    install_pack,
    installed_packs,
    library,
    list_participants,
    list_proposals,
    list_workshops,
    packs_dir,
    propose_actor,
    propose_card,
    reject_proposals,
    set_answer,
    set_present,
    shipped_pack,
    update_participant,
)
from tests.core.test_training import build, manifest


def test_the_shipped_library_has_the_seven_modules_in_three_languages():
    pack = shipped_pack()
    ids = {m.id for m in pack.modules}
    assert {"what_is_ssd", "stakeholder_mapping", "writing_the_charter", "self_sustaining_flows",
            "participatory_governance", "work_integration", "reporting_to_the_centre"} <= ids
    for module in pack.modules:
        assert {len(module.slides[lang]) for lang in ("it", "de", "en")} == {len(module.slides["en"])}
        assert module.exercises and module.objectives["de"]


def test_installing_a_pack_then_a_newer_one_and_refusing_an_older(tmp_path):
    first = tmp_path / "pack.ssdpack"
    first.write_bytes(build())
    pack = install_pack(first)
    assert [p.id for p in installed_packs()] == ["test-pack"] and "test-pack" in {p.id for p in library()}
    with pytest.raises(PackRefused) as again:
        install_pack(first)
    assert "already installed" in again.value.message()
    newer = tmp_path / "newer.ssdpack"
    newer.write_bytes(build(manifest(version="1.10.0")))
    assert install_pack(newer).version == "1.10.0"
    assert [p.version for p in installed_packs()] == ["1.10.0"]
    assert pack.version == "1.0.0"
    assert not [p for p in packs_dir().iterdir() if p.name.startswith(".")]  # no leftovers


def test_a_refused_pack_changes_nothing(tmp_path):
    bad = tmp_path / "bad.ssdpack"
    bad.write_bytes(build(extra={"../evil.md": b"x"}))
    with pytest.raises(PackRefused):
        install_pack(bad)
    assert not packs_dir().exists() or not list(packs_dir().iterdir())


@pytest.fixture
def workshop(demo_store):
    edit = create_workshop(demo_store.demo_id, "Laboratorio di prova", date=dt.date(2026, 11, 20), place="Telve",
                           trainer="Chiara", module_ids=["stakeholder_mapping", "self_sustaining_flows"])
    demo_store.apply(edit)
    return get_workshop(demo_store, edit.values["id"])


def test_the_demo_workshop_has_its_participants_and_attendance(demo_store):
    [demo] = list_workshops(demo_store, demo_store.demo_id)
    people = list_participants(demo_store, demo["id"])
    assert len(people) == 11
    assert sum(1 for row in attendance(demo_store, demo["id"]).values() if row["present"]) == 9


def test_attendance_is_set_and_changed_per_session(demo_store, workshop):
    demo_store.apply(add_participant(workshop, "Anna  Pola"))
    [anna] = list_participants(demo_store, workshop["id"])
    assert anna["name"] == "Anna Pola" and not anna["consent"]
    session = workshop["sessions"][0]["id"]
    demo_store.apply(set_present(demo_store, workshop, anna["id"], session, True))
    demo_store.apply(set_present(demo_store, workshop, anna["id"], session, False))
    rows = attendance(demo_store, workshop["id"])
    assert len(rows) == 1 and rows[(anna["id"], session)]["present"] is False


def test_contact_details_need_consent_and_go_when_it_is_withdrawn(demo_store, workshop):
    with pytest.raises(Exception) as refused:
        add_participant(workshop, "Luca", email="luca@example.org")
    assert "consent" in str(refused.value)
    demo_store.apply(add_participant(workshop, "Luca", email="luca@example.org", consent=True))
    [luca] = list_participants(demo_store, workshop["id"])
    assert luca["consent_date"] == dt.date.today()
    demo_store.apply(update_participant(luca, consent=False))
    [luca] = list_participants(demo_store, workshop["id"])
    assert (luca["email"], luca["consent_date"]) == ("", None)


def test_answers_are_kept_one_per_exercise(demo_store, workshop):
    demo_store.apply(add_participant(workshop, "Anna"))
    [anna] = list_participants(demo_store, workshop["id"])
    demo_store.apply(set_answer(demo_store, workshop, anna["id"], "stakeholder_mapping", "q1", {"choice": 0}))
    demo_store.apply(set_answer(demo_store, workshop, anna["id"], "stakeholder_mapping", "q1", {"choice": 2}))
    given = answers(demo_store, workshop["id"])
    assert len(given) == 1 and given[(anna["id"], "stakeholder_mapping", "q1")]["answer"] == {"choice": 2}


def test_proposals_wait_for_review_then_join_the_map_or_go(demo_store, workshop):
    district = demo_store.demo_id
    demo_store.apply(add_participant(workshop, "Anna"))
    [anna] = list_participants(demo_store, workshop["id"])
    actors_before = len(list_stakeholders(demo_store, district))
    cards_before = len(list_canvas_items(demo_store, district))
    demo_store.apply(propose_actor(demo_store, workshop, anna["id"], "stakeholder_mapping", "x1",
                                   {"name": "Forno di Telve", "category": "cooperative"}))
    demo_store.apply(propose_actor(demo_store, workshop, anna["id"], "stakeholder_mapping", "x1",
                                   {"name": "Pro Loco", "category": "association"}))
    demo_store.apply(propose_card(demo_store, workshop, anna["id"], "self_sustaining_flows", "x2", "partners",
                                  "Banca del tempo"))
    assert len(list_stakeholders(demo_store, district)) == actors_before  # not on the map yet
    proposals = list_proposals(demo_store, workshop["id"])
    assert sorted(p["text"] for p in proposals) == ["Banca del tempo", "Forno di Telve", "Pro Loco"]
    given = answers(demo_store, workshop["id"])
    assert len(given[(anna["id"], "stakeholder_mapping", "x1")]["answer"]["proposed"]) == 2

    forno = next(p for p in proposals if p["text"] == "Forno di Telve")
    pro_loco = next(p for p in proposals if p["text"] == "Pro Loco")
    card = next(p for p in proposals if p["kind"] == "canvas_item")
    _changes, undo_accept = demo_store.apply(accept_proposals([forno, card]))
    assert "Forno di Telve" in {a["name"] for a in list_stakeholders(demo_store, district)}
    assert len(list_canvas_items(demo_store, district)) == cards_before + 1
    demo_store.apply(reject_proposals([pro_loco]))
    assert list_proposals(demo_store, workshop["id"]) == []
    demo_store.apply(undo_accept)
    assert len(list_stakeholders(demo_store, district)) == actors_before
    assert [p["text"] for p in list_proposals(demo_store, workshop["id"]) if p["kind"] == "stakeholder"] == [
        "Forno di Telve"]


def test_certificates_one_page_per_person_present_in_their_language(demo_store, workshop, tmp_path):
    demo_store.apply(add_participant(workshop, "Anna Pola"))
    demo_store.apply(add_participant(workshop, "Luca Assente"))
    people = {p["name"]: p for p in list_participants(demo_store, workshop["id"])}
    demo_store.apply(set_present(demo_store, workshop, people["Anna Pola"]["id"], workshop["sessions"][0]["id"],
                                 True))
    path = write_certificates(demo_store, workshop["id"], tmp_path / "attestati.pdf", language="it")
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Anna Pola" in text and "Luca" not in text and "Telve" in text
    assert "novembre 2026" in text  # Babel's Italian long date
    english = write_certificates(demo_store, workshop["id"], tmp_path / "en.pdf", language="en")
    assert "Certificate of attendance" in PdfReader(english).pages[0].extract_text()


def test_erasing_a_person_reaches_their_workshop_participation(demo_store):
    from ssd_starter.store.people import erase_person, person_record
    from ssd_starter.store.stakeholders import find_stakeholder

    actor = find_stakeholder(demo_store, demo_store.demo_id, "Cooperativa sociale Il Germoglio")
    [demo] = list_workshops(demo_store, demo_store.demo_id)
    record = person_record(demo_store, actor["id"])
    assert [w["name"] for w in record["workshops"]] == ["Silvia Dalcastagnè"]
    erase_person(demo_store, actor["id"])
    names = [p["name"] for p in list_participants(demo_store, demo["id"])]
    assert "Silvia Dalcastagnè" not in names and "Erased person" in names
    assert b"Dalcastagn" not in demo_store.path.read_bytes()


def test_deleting_a_workshop_takes_what_hangs_off_it_and_undo_brings_it_back(demo_store, workshop):
    from ssd_starter.store.training import delete_workshop

    demo_store.apply(add_participant(workshop, "Anna"))
    [anna] = list_participants(demo_store, workshop["id"])
    demo_store.apply(set_present(demo_store, workshop, anna["id"], workshop["sessions"][0]["id"], True))
    demo_store.apply(propose_card(demo_store, workshop, anna["id"], "self_sustaining_flows", "x", "partners", "Idea"))
    _changes, inverse = demo_store.apply(delete_workshop(demo_store, workshop["id"]))
    assert list_participants(demo_store, workshop["id"]) == [] and attendance(demo_store, workshop["id"]) == {}
    assert list_proposals(demo_store, workshop["id"]) == [] and answers(demo_store, workshop["id"]) == {}
    demo_store.apply(inverse)
    assert [p["name"] for p in list_participants(demo_store, workshop["id"])] == ["Anna"]
    assert len(list_proposals(demo_store, workshop["id"])) == 1


def test_merging_duplicates_keeps_card_links_and_participants(demo_store):
    from ssd_starter.store.stakeholders import find_stakeholder, merge_stakeholders

    district = demo_store.demo_id
    keep = find_stakeholder(demo_store, district, "Cooperativa sociale La Rete del Brenta")
    other = find_stakeholder(demo_store, district, "Cooperativa sociale Il Germoglio")
    linked = [c for c in list_canvas_items(demo_store, district) if other["id"] in c["stakeholder_ids"]]
    assert linked
    demo_store.apply(merge_stakeholders(demo_store, keep["id"], other["id"]))
    for card in list_canvas_items(demo_store, district):
        assert other["id"] not in card["stakeholder_ids"]
        if card["id"] in {c["id"] for c in linked}:
            assert keep["id"] in card["stakeholder_ids"]
    [demo] = list_workshops(demo_store, district)
    silvia = next(p for p in list_participants(demo_store, demo["id"]) if p["name"] == "Silvia Dalcastagnè")
    assert silvia["stakeholder_id"] == keep["id"]
