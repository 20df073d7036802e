"""The PDF dossier: sections in each language, consent respected, contents agree with pages, fonts
embedded, metadata, atomic writing and cancel, and pictures of the first pages."""

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from ssd_starter.core.errors import UserError
from ssd_starter.export.dossier import SECTION_KEYS, Cancelled, DossierOptions, write_dossier
from ssd_starter.i18n import translations_for
from ssd_starter.store.stakeholders import create_stakeholder, update_stakeholder

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
HEADINGS = ("Contents", "Summary indicators", "Actor network", "Actors", "Founding charter",
            "Business-model canvas", "Resource flows", "Training record")


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize("language", ["it", "de", "en"])
def test_every_section_heading_in_the_language(demo_store, tmp_path, language):
    options = DossierOptions(language=language)
    path = write_dossier(demo_store, demo_store.demo_id, tmp_path / f"{language}.pdf", options)
    text = text_of(path)
    gettext = translations_for(language).gettext
    for heading in HEADINGS:
        assert gettext(heading) in text, heading
    assert options.produced == list(SECTION_KEYS)
    assert "Distretto di Economia Solidale Valsugana e Tesino" in text
    if language != "en":
        assert gettext("Summary indicators") != "Summary indicators"  # really translated, not fallen back


def test_dates_and_euros_follow_the_language(demo_store, tmp_path):
    italian = text_of(write_dossier(demo_store, demo_store.demo_id, tmp_path / "it.pdf", DossierOptions("it")))
    english = text_of(write_dossier(demo_store, demo_store.demo_id, tmp_path / "en.pdf", DossierOptions("en")))
    assert re.search(r"\d{1,3}(\.\d{3})+\s?€", italian) and re.search(r"€\d{1,3}(,\d{3})+", english)


def test_contact_details_need_consent_and_the_option(demo_store, tmp_path):
    district = demo_store.demo_id
    insert = create_stakeholder(district, {"name": "Nuova Coop", "category": "cooperative",
                                           "email": "segreto@example.org", "contact_person": "Mario Nascosto"})
    demo_store.apply(insert)
    demo_store.apply(update_stakeholder(insert.values["id"], consent=False))
    without = text_of(write_dossier(demo_store, district, tmp_path / "a.pdf", DossierOptions("en")))
    assert "@example.org" not in without
    with_option = text_of(write_dossier(demo_store, district, tmp_path / "b.pdf",
                                        DossierOptions("en", include_contacts=True)))
    squeezed = "".join(with_option.split())  # a narrow cell may wrap an address
    assert "segreto@example.org" not in squeezed and "MarioNascosto" not in squeezed
    assert "s.dalcastagne@example.org" in squeezed  # she consented


def test_contents_agree_with_the_pages(demo_store, tmp_path):
    path = write_dossier(demo_store, demo_store.demo_id, tmp_path / "en.pdf", DossierOptions("en"))
    reader = PdfReader(path)
    contents = reader.pages[1].extract_text().split("\n", 2)[2]  # after the running header and the heading
    # each line whole, as a reader of the file extracts it: the heading, its dot leader, its page
    entries = re.findall(r"^\s*(.+?)(?: \.)+\s*(\d+)\s*$", contents, re.M)
    names, numbers = [name for name, _page in entries], [int(page) for _name, page in entries]
    assert names == list(HEADINGS[1:])
    for name, number in zip(names, numbers, strict=True):
        page = reader.pages[number - 1].extract_text().splitlines()
        assert name in page[1:3], (name, number, page[:3])  # the heading opens the page it is listed on
    total = len(reader.pages)
    assert f"Page {total} of {total}" in reader.pages[-1].extract_text()
    assert [o.title for o in reader.outline][:2] == ["Summary indicators", "Actor network"]


def test_fonts_are_embedded_and_metadata_set(demo_store, tmp_path):
    path = write_dossier(demo_store, demo_store.demo_id, tmp_path / "de.pdf", DossierOptions("de"))
    reader = PdfReader(path)
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts.add(font["/BaseFont"])
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
    assert fonts and all("DejaVuSans" in name for name in fonts)
    assert reader.metadata.title.startswith("Distrikt") or "Valsugana" in reader.metadata.title
    assert reader.metadata.author == "SSD Starter"


def test_only_chosen_sections_and_empty_ones_left_out(store, tmp_path):
    from ssd_starter.store.districts import create_district

    insert = create_district("Vuoto")
    store.apply(insert)
    options = DossierOptions("en", sections=["summary", "charter", "flows"])
    text = text_of(write_dossier(store, insert.values["id"], tmp_path / "x.pdf", options))
    assert options.produced == ["summary"]  # no charter, no flows yet: left out, not faked
    assert "Founding charter" not in text and "Summary indicators" in text


def test_cancel_leaves_no_file(demo_store, tmp_path):
    target = tmp_path / "out" / "dossier.pdf"
    target.parent.mkdir()
    with pytest.raises(Cancelled):
        write_dossier(demo_store, demo_store.demo_id, target,
                      DossierOptions("en", progress=lambda done, total: done < 3))
    assert not target.exists() and list(target.parent.iterdir()) == []
    assert isinstance(Cancelled(), UserError)


@pytest.mark.parametrize("language", ["it", "de", "en"])
def test_first_pages_as_pictures(demo_store, tmp_path, language):
    import pypdfium2 as pdfium

    path = write_dossier(demo_store, demo_store.demo_id, tmp_path / "d.pdf", DossierOptions(language))
    SCREENSHOTS.mkdir(exist_ok=True)
    document = pdfium.PdfDocument(str(path))
    try:
        for index in range(3):
            image = document[index].render(scale=1.5).to_pil()
            assert image.width > 800
            image.save(SCREENSHOTS / f"dossier-{language}-page{index + 1}.png")
            # a page that is not blank: some dark pixels
            assert image.convert("L").getextrema()[0] < 100
    finally:
        document.close()


def test_private_people_without_consent_are_not_named(demo_store, tmp_path):
    demo_store.apply(create_stakeholder(demo_store.demo_id, {"name": "Mario Segreto", "category": "individual"}))
    text = "".join(text_of(write_dossier(demo_store, demo_store.demo_id, tmp_path / "d.pdf",
                                         DossierOptions("en"))).split())
    assert "MarioSegreto" not in text and "Privateperson1" in text
    assert "ElenaTomasini" in text  # an individual who consented keeps her name


def test_a_logo_that_is_not_an_image_is_refused_cleanly(demo_store, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"not an image at all")
    with pytest.raises(UserError) as refused:
        write_dossier(demo_store, demo_store.demo_id, tmp_path / "d.pdf", DossierOptions("en", logo=logo))
    assert "logo" in refused.value.message() and not (tmp_path / "d.pdf").exists()


def test_the_flows_say_what_their_indicators_rest_on_with_history_and_each_members_multiplier(demo_store, tmp_path):
    import datetime as dt

    from ssd_starter.core.indicators import actor_multipliers
    from ssd_starter.i18n import format_number
    from ssd_starter.store.flows import list_flows, take_snapshot
    from ssd_starter.store.stakeholders import find_stakeholder, list_stakeholders

    district = demo_store.demo_id
    demo_store.apply(take_snapshot(demo_store, district, kind="yearly", on=dt.date(2024, 11, 30)))
    demo_store.apply(take_snapshot(demo_store, district, on=dt.date(2025, 12, 1)))
    text = text_of(write_dossier(demo_store, district, tmp_path / "en.pdf", DossierOptions("en")))
    flat = " ".join(text.split())
    assert "87 relations between 83 pairs of actors" in flat
    assert "Indicators over time" in flat and "30 Nov 2024" in flat and "1 Dec 2025" in flat
    assert "loans and investments left out" in flat and "LM3 = (R1 + R2 + R3) ÷ R1" in flat
    assert "Local multiplier of each member" in flat and "no income recorded" in flat
    dairy = find_stakeholder(demo_store, district, "Caseificio Sociale Alpe Tesina")
    own = actor_multipliers(list_stakeholders(demo_store, district), list_flows(demo_store, district))[dairy["id"]]
    assert format_number(round(own.value, 2)) in flat
    assert "Money: Loan" in flat  # money by what it is for


def test_a_long_actor_list_flows_over_many_pages_with_every_actor_and_its_header(store, tmp_path):
    """Long tables go in page-sized pieces (each page break measured one piece, not the whole rest)."""
    from ssd_starter.demo import synthetic_district
    from ssd_starter.export.dossier import TABLE_PIECE

    district = synthetic_district(store, "Lunga", 3 * TABLE_PIECE + 7, 0)
    out = write_dossier(store, district, tmp_path / "long.pdf", DossierOptions(language="en", sections=["stakeholders"]))
    from ssd_starter.export.dossier import shown_names
    from ssd_starter.store.stakeholders import list_stakeholders

    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    expected = set(shown_names(list_stakeholders(store, district)).values())
    printed = {name for name in expected if name in text}
    assert printed == expected and len(expected) == 3 * TABLE_PIECE + 7  # none lost between the pieces
    assert text.count("Municipality") >= 4  # the header on every page of the list
