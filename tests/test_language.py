"""One voice in three languages: the checks of core.language, and the catalogs and shipped training modules
held to the glossary (translations/glossary.csv), the register, their placeholders and the number rules."""

import ast
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from ssd_starter import i18n
from ssd_starter.core import language
from ssd_starter.core.language import NUMBER, PLACEHOLDER, REGISTER, TERM, check_text, load_glossary

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "translations" / "glossary.csv"


def kinds(text, lang):
    return [(f.kind, f.found) for f in check_text(text, lang, terms=load_glossary(GLOSSARY))]


# -- the checks catch what they are for ------------------------------------------------------

def test_a_form_the_glossary_avoids_is_found_with_the_one_to_use():
    found = check_text("I membri comprano e vendono tra loro.", "it", terms=load_glossary(GLOSSARY))
    assert [(f.kind, f.found, f.wanted) for f in found] == [(TERM, "membri", "socio")]
    assert kinds("Gemeinnützige Organisationen können beitreten.", "de") == [(TERM, "Gemeinnützige")]
    assert kinds("Sincronizzazione & revisione", "it") == []  # "&" is a rule of its own (below), not a term
    assert kinds("Die Akteurslandkarte zeigt alle Akteure.", "de") == []  # the area's name, not "Landkarte"
    assert kinds("Name the record as stakeholder:ID.", "it") == []  # an identifier, not a word


def test_german_du_and_ihr_are_found_in_a_sie_text_but_not_their_look_alikes():
    assert [k for k, _found in kinds("Wer bist du? Schreiben Sie deinen Namen.", "de")] == [REGISTER] * 3
    assert kinds("Habt ihr alles? Wir sehen euch morgen.", "de") == [(REGISTER, "Habt ihr"), (REGISTER, "euch")]
    # Euro, ihr as "her/their", Dirk and --dir are not "you"
    assert kinds("Sie zahlt ihr Gehalt in Euro; Dirk nutzt --dir.", "de") == []


def test_italian_tu_forms_are_found_but_not_sei_as_six():
    assert {found for _kind, found in kinds("Scrivi il tuo nome: l'hai già scelto, puoi cambiarlo.", "it")} == {
        "tuo", "hai", "puoi"}
    assert kinds("Quanti dei sei ruoli sono coperti? Può annullare.", "it") == []


def test_placeholders_missing_or_added_are_found():
    found = list(language.placeholder_findings("{count} actors in {district}", "{count} attori in {name}", "it"))
    assert [(f.kind, f.found) for f in found] == [(PLACEHOLDER, "−{district} +{name}")]
    assert list(language.placeholder_findings("One actor", "Un attore", "it", allowed=("count",))) == []


@pytest.mark.parametrize("lang", ["it", "de", "en"])
def test_a_number_written_against_the_rule_is_found_with_what_babel_writes(lang):
    wrong_percent = {"it": "50 %", "de": "50%", "en": "50 %"}[lang]
    [finding] = check_text(f"almeno {wrong_percent}", lang, terms=())
    assert finding.kind == NUMBER and _spaces(finding.wanted) == _spaces(i18n.format_percent(0.5, lang))
    wrong_decimal = {"it": "1.85", "de": "1.85", "en": "1,85"}[lang]
    [finding] = check_text(f"LM3 = {wrong_decimal}", lang, terms=())
    assert finding.wanted == i18n.format_number(Decimal("1.85"), lang)
    wrong_money = {"it": "€100,000", "de": "€ 100.000", "en": "100.000 €"}[lang]
    found = check_text(f"R1 = {wrong_money}", lang, terms=())
    assert found and all(f.kind == NUMBER for f in found)
    wrong_grouping = "100 000" if lang != "en" else "100.000"
    [finding] = check_text(f"R1 = {wrong_grouping} euro", lang, terms=())
    assert finding.wanted == i18n.format_number(100000, lang)


@given(st.integers(0, 10**9), st.decimals(0, 10**6, places=2, allow_nan=False), st.floats(0, 1),
       st.sampled_from(["it", "de", "en"]))
def test_what_babel_writes_is_never_a_finding(whole, amount, share, lang):
    text = " · ".join([i18n.format_number(whole, lang), i18n.format_number(amount, lang),
                       i18n.format_currency(amount, lang), i18n.format_currency(whole, lang, whole=True),
                       i18n.format_percent(share, lang)])
    assert check_text(text, lang, terms=()) == []


def _spaces(text):
    return re.sub(r"[\u00a0\u202f]", " ", text)


# -- the glossary ----------------------------------------------------------------------------

def _catalog(lang):
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def _fold(text):
    return re.sub(r"\s*/\s*", "/", text).casefold()


def test_the_glossary_has_one_row_per_id_and_every_language():
    terms = load_glossary(GLOSSARY)
    assert len({t.id for t in terms}) == len(terms) > 150
    assert all(all(t.forms[lang].strip() for lang in language.LANGUAGES) for t in terms)


def test_each_glossary_term_tied_to_a_message_is_what_the_catalogs_say():
    catalogs = {lang: _catalog(lang) for lang in ("it", "de")}
    wrong = []
    for term in load_glossary(GLOSSARY):
        if not term.msgid:
            continue
        assert _fold(term.forms["en"]) in _fold(term.msgid), term.id
        for lang, catalog in catalogs.items():
            message = catalog.get(term.msgid)
            assert message is not None, f"{term.id}: {term.msgid!r} is no longer a message"
            if _fold(term.forms[lang]) not in _fold(message.string):
                wrong.append((term.id, lang, message.string, term.forms[lang]))
    assert wrong == []


def _labels_of(path, name):
    """The N_ strings of a module-level mapping (a vocabulary's labels, the window's areas)."""
    tree = ast.parse((ROOT / path).read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(t, "id", "") == name for t in targets):
                return {n.args[0].value for n in ast.walk(node) if isinstance(n, ast.Call)
                        and getattr(n.func, "id", "") == "N_" and isinstance(n.args[0], ast.Constant)}
    raise AssertionError(f"{name} is no longer in {path}")


def test_the_glossary_covers_the_vocabulary_the_review_states_indicators_and_areas():
    msgids = {t.msgid for t in load_glossary(GLOSSARY)}
    from ssd_starter.core import vocabulary
    from ssd_starter.core.indicators import INDICATORS

    wanted = set()
    for enum in (vocabulary.Sector, vocabulary.Category, vocabulary.Role, vocabulary.Attitude, vocabulary.Stage,
                 vocabulary.RelationKind, vocabulary.CanvasBlock, vocabulary.FlowKind, vocabulary.FlowPurpose,
                 vocabulary.DistrictKind):
        wanted |= set(vocabulary._LABELS[enum].values())
    wanted |= _labels_of("ssd_starter/core/review.py", "STATE_LABELS")
    wanted |= {info.title for info in INDICATORS}
    wanted |= {title for title in _labels_of("ssd_starter/ui/window/areas.py", "AREAS") if len(title) < 30}
    assert sorted(wanted - msgids) == [], "add these terms to translations/glossary.csv"


# -- the shipped texts -----------------------------------------------------------------------

# Findings that are right where they are, each with its reason.
EXCEPTIONS = {
    ("it", "{name} is a number of hours from 0.01 to 720, not {value}.", "0.01"):
        "the command line reads the number as Python does, with a point",
    ("de", "{name} is a number of hours from 0.01 to 720, not {value}.", "0.01"):
        "the command line reads the number as Python does, with a point",
}


def _catalog_findings():
    terms = load_glossary(GLOSSARY)
    problems = []
    for lang in i18n.LANGUAGES:
        for message in _catalog(lang):
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in ids if lang == "en" else strings:  # English: the source strings themselves
                for finding in check_text(text or "", lang, where=ids[0], terms=terms):
                    problems.append(finding)
            if lang == "en":
                continue
            for index, text in enumerate(strings):
                source = ids[min(index, len(ids) - 1)]
                # a plural's singular may say "one" rather than repeat the count
                allowed = set(language.placeholders(ids[-1])) if len(ids) > 1 and index == 0 else set()
                problems += [language.Finding(f.kind, f.language, f.found, f.wanted, ids[0])
                             for f in language.placeholder_findings(source, text or source, lang, allowed=allowed)]
            for text in strings:  # "Canvas & flows" is "Canvas e flussi": a lone & is no accelerator
                if text and re.search(r"\s&\s", text):
                    problems.append(language.Finding(TERM, lang, "&", "e / und", ids[0]))
    return [p for p in problems if (p.language, p.where, p.found) not in EXCEPTIONS]


def test_the_catalogs_follow_the_glossary_register_placeholders_and_numbers():
    problems = [f"{p.language} {p.kind} {p.found!r} → {p.wanted!r} in {p.where[:70]!r}" for p in _catalog_findings()]
    assert problems == []


def test_the_shipped_training_modules_follow_them_too():
    from ssd_starter.core.training import FolderSource, language_warnings, read_pack, shipped_pack_dir

    i18n.set_language("en")
    pack = read_pack(FolderSource(shipped_pack_dir()))
    problems = [f"{p.where}: {p.language} {p.kind} {p.found!r} → {p.wanted!r}" for p in language_warnings(pack)]
    assert problems == []


def test_the_exceptions_are_still_needed():
    found = {(p.language, p.where, p.found) for p in _catalog_findings_unfiltered()}
    assert set(EXCEPTIONS) <= found, "an exception no longer matches anything: remove it"


def _catalog_findings_unfiltered():
    saved = dict(EXCEPTIONS)
    EXCEPTIONS.clear()
    try:
        return _catalog_findings()
    finally:
        EXCEPTIONS.update(saved)


# -- imported packs: the same checks, as warnings ----------------------------------------------

def _pack_with_slips(tmp_path):
    """A pack whose German notes say du and whose Italian writes "50 %" and "membri"; and a clean one."""
    from tests.core.test_training import LANGS, SLIDES, build, manifest, png

    slides = {lang: SLIDES for lang in LANGS}
    slides["de"] = SLIDES.replace("Ask the room.", "Wer bist du? Fragen Sie die Runde.")
    slides["it"] = SLIDES.replace("Hello", "Almeno il 50 % del fatturato; i membri decidono.")
    files = {"manifest.json": json.dumps(manifest()).encode(), "images/map.png": png(),
             **{f"modules/mod_one/{lang}.md": slides[lang].encode() for lang in LANGS}}
    slips = tmp_path / "slips.ssdpack"
    slips.write_bytes(build(members=files))
    clean = tmp_path / "clean.ssdpack"
    clean.write_bytes(build(manifest(id="clean-pack")))
    return slips, clean


def test_an_imported_pack_is_installed_with_its_language_warnings(tmp_path):
    from ssd_starter.store.training import install_pack, installed_packs

    slips, clean = _pack_with_slips(tmp_path)
    i18n.set_language("en")
    pack = install_pack(slips)
    found = {(w.language, w.kind, w.found) for w in pack.warnings}
    assert found == {("de", REGISTER, "bist"), ("de", REGISTER, "du"), ("it", NUMBER, "50 %"),
                     ("it", TERM, "membri")}
    assert all("mod_one, slide 1" in w.message() for w in pack.warnings)
    assert [p.id for p in installed_packs()] == ["test-pack"]  # warned, not refused
    assert install_pack(clean).warnings == ()


def test_the_command_line_prints_an_imported_packs_warnings(tmp_path, capsys):
    from ssd_starter.cli import main

    slips, clean = _pack_with_slips(tmp_path)
    assert main(["training", "import-pack", str(slips)]) == 0
    captured = capsys.readouterr()
    assert "Installed" in captured.out
    assert "in 4 places" in captured.err and "“50 %” — the app writes “50%”" in captured.err
    assert main(["training", "import-pack", str(clean)]) == 0
    assert capsys.readouterr().err == ""
