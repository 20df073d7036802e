"""Catalogs complete, the template current, every user-visible string marked, formatting by locale."""

import ast
import datetime as dt
import re
import sys
from pathlib import Path

import pytest

from ssd_starter import i18n
from ssd_starter.i18n import _, format_currency, format_date, format_number, set_language

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ssd_starter"


def test_every_catalog_is_complete_and_nothing_is_fuzzy():
    problems = {lang: ids[:5] for lang, ids in i18n.untranslated().items() if ids}
    assert problems == {}


def test_messages_pot_is_what_the_code_asks_for():
    committed = (ROOT / "translations" / "messages.pot").read_bytes()
    assert committed == i18n.extract_template(), "run `make catalogs` and translate the new messages"


def test_every_template_message_is_in_every_catalog():
    from babel.messages.pofile import read_po

    with (ROOT / "translations" / "messages.pot").open("rb") as fh:
        template_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    for language in i18n.LANGUAGES:
        with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
        assert template_ids <= ids, (language, sorted(template_ids - ids)[:5])


def test_placeholders_and_accelerators_survive_translation():
    from babel.messages.pofile import read_po

    for language in i18n.LANGUAGES:
        with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            wanted = set(re.findall(r"\{\w+\}", ids[-1]))
            for text in strings:
                assert set(re.findall(r"\{\w+\}", text)) <= wanted | set(re.findall(r"\{\w+\}", ids[0])), (
                    language, message.id, text)
                assert _mnemonics(text) == _mnemonics(ids[0]), (language, message.id, text)


def _mnemonics(text):
    """Qt's accelerator marks: an & before a character; "&&" and a lone " & " (Canvas & flows) are literal."""
    return len(re.findall(r"&(?=[^\s&])", text.replace("&&", "")))


# Qt setters and constructors whose string argument a person reads.
VISIBLE_CALLS = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setTitle", "setStatusTip",
    "showMessage", "setInformativeText", "addButton", "setAccessibleName", "setWhatsThis",
    "QLabel", "QPushButton", "QAction", "QGroupBox", "QCheckBox", "QRadioButton", "addMenu", "addTab",
    "setItemText", "addItem", "warning", "question", "information", "critical",
}
ALLOWED_LITERALS = {"", " · ", "—"}
# Where a call's visible text is one argument among data arguments, check only that one.
TEXT_ARGUMENT = {"addItem": 0, "setItemText": 1, "addTab": 1}


def _unmarked_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in VISIBLE_CALLS:
            continue
        args = node.args
        if name in TEXT_ARGUMENT:
            args = args[TEXT_ARGUMENT[name]:TEXT_ARGUMENT[name] + 1]
        for arg in args:
            if (isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value not in ALLOWED_LITERALS
                    and re.search(r"[A-Za-z]{2,}", arg.value)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {arg.value!r}")
            if isinstance(arg, ast.JoinedStr):  # words written into an f-string cannot be translated
                literal = "".join(v.value for v in arg.values if isinstance(v, ast.Constant))
                if re.search(r"[A-Za-z]{2,}", literal):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: f-string {literal!r}")
    return found


def test_no_user_visible_string_in_the_gui_is_left_unmarked():
    problems = []
    for path in sorted((PACKAGE / "ui").rglob("*.py")) + [PACKAGE / "app.py"]:
        problems += _unmarked_strings(path)
    assert problems == []


def _is_words(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(re.search(r"[A-Za-z]{3}", node.value))


def test_cli_prints_only_marked_strings():
    """What a command prints: print()'s arguments, the lines given to emit() and the lines a generator yields."""
    paths = sorted((PACKAGE / "cli").glob("*.py"))
    assert paths, "the CLI package has moved: point this test at it"
    bad = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("print", "emit"):
                printed = node.args if node.func.id == "print" else [
                    item for arg in node.args[2:] for item in getattr(arg, "elts", [arg])]
                bad += [f"{path.name}:{node.lineno}" for arg in printed if _is_words(arg)]
            if isinstance(node, ast.Yield) and _is_words(node.value):
                bad.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.keyword) and node.arg == "help" and isinstance(node.value, ast.Constant):
                bad.append(f"{path.name}:{node.value.lineno}")
    assert bad == []


def test_no_gettext_call_inside_an_fstring():
    """Babel's extractor does not look inside f-strings: a message there would never be translated."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if (isinstance(inner, ast.Call) and getattr(inner.func, "id", "") in ("_", "ngettext", "pgettext")
                            and inner.args and isinstance(inner.args[0], ast.Constant)):
                        found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert found == []


def test_no_fstring_inside_gettext_calls():
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "N_", "ngettext"):
                # a constant, or a variable holding an N_-marked constant; never a built-up string (ngettext's
                # third argument is the count, which may well be computed)
                texts = node.args[:2] if node.func.id == "ngettext" else node.args
                assert not any(isinstance(a, ast.JoinedStr | ast.BinOp) for a in texts), f"{path}:{node.lineno}"


@pytest.mark.parametrize("language, money, number, date", [
    ("it", "1.234,50\xa0€", "1.234.567,891", "24 nov 2026"),
    ("de", "1.234,50\xa0€", "1.234.567,891", "24.11.2026"),
    ("en", "€1,234.50", "1,234,567.891", "24 Nov 2026"),
])
def test_numbers_money_and_dates_follow_the_language(language, money, number, date):
    set_language(language)
    assert format_currency(1234.5) == money
    assert format_number(1234567.891) == number
    assert format_date(dt.date(2026, 11, 24)) == date


@pytest.mark.parametrize("language", ["it", "de", "en"])
def test_small_whole_numbers_are_written_as_babel_writes_them(language):
    """format_number skips Babel for whole numbers that need no grouping: the text must be Babel's all the same."""
    from babel.numbers import format_decimal

    from ssd_starter.i18n import _babel_locale

    set_language(language)
    for value in (*range(-1200, 1200), 9999, -10000, 123456):
        assert format_number(value) == format_decimal(value, locale=_babel_locale(language)), value


def test_switching_language_changes_messages_and_tells_listeners():
    heard = []
    i18n.add_language_listener(heard.append)
    try:
        set_language("de")
        german = _("Districts")
        set_language("it")
        italian = _("Districts")
    finally:
        i18n.remove_language_listener(heard.append)
    assert heard == ["de", "it"]
    assert german != "Districts" and italian != "Districts" and german != italian


def test_language_codes_are_normalised():
    assert i18n.normalize_language("it_IT.UTF-8") == "it"
    assert i18n.normalize_language("de-AT") == "de"
    assert i18n.normalize_language("fr_FR") is None


def test_compiled_catalogs_match_sources(tmp_path):
    written = i18n.compile_catalogs(target_dir=tmp_path)
    assert {p.parts[-3] for p in written} == set(i18n.LANGUAGES)


def test_updating_the_catalogs_twice_changes_nothing(tmp_path):
    """`make catalogs` on an unchanged tree leaves it unchanged: no merge time, tool version or placeholder
    in the headers."""
    import shutil

    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", copy)
    (copy / "messages.pot").write_bytes(i18n.extract_template())
    i18n.update_catalogs(copy)
    first = {p: p.read_bytes() for p in copy.rglob("*.po")}
    (copy / "messages.pot").write_bytes(i18n.extract_template())
    i18n.update_catalogs(copy)
    assert {p: p.read_bytes() for p in copy.rglob("*.po")} == first


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_catalog_headers_name_the_project_its_version_and_contact(language):
    from babel.messages.pofile import read_po

    import ssd_starter

    path = ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    text = path.read_text("utf-8")
    head = text.split("\n\n", 1)[0]
    for placeholder in ("VERSION", "EMAIL@ADDRESS", "ORGANIZATION", "FIRST AUTHOR", "YEAR-MO-DA", "LL@li.org",
                        "POT-Creation-Date", "Generated-By"):
        assert placeholder not in head, (language, placeholder)
    with path.open("rb") as fh:
        catalog = read_po(fh)
    assert catalog.project == "SSD Starter" and catalog.version == ssd_starter.__version__
    assert catalog.msgid_bugs_address == "SSD Starter developers"
    assert str(catalog.locale) == language


@pytest.mark.parametrize("language", ["it", "de", "en"])
def test_short_dates_write_the_year_in_full(language):
    """"12.02.26" read as a day of the month; the short style keeps its order and separators, with 2026."""
    import datetime as dt

    from ssd_starter.i18n import format_date, format_datetime
    from ssd_starter.ui.map.detail import full_year_format

    when = dt.datetime(2026, 2, 12, 9, 5, tzinfo=dt.UTC)
    assert "2026" in format_date(when.date(), language, "short")
    assert "2026" in format_datetime(when, language, "short") and "/26," not in format_datetime(when, language, "short")
    assert ".26," not in format_datetime(when, language, "short")
    assert full_year_format("dd.MM.yy") == "dd.MM.yyyy" and full_year_format("dd/MM/yyyy") == "dd/MM/yyyy"


# A placeholder with one of these names, followed by a word, counts something: "{count} actors" reads
# "1 actors" unless ngettext chooses the form. _(), N_() and pgettext() messages with one are listed below, each
# with why it needs no plural; every other one must be an ngettext (or N_plural) message. ("Page {page} of
# {pages}", "press {new} to start" or "Backups: {count}" have no counted word after the placeholder.)
COUNT_NAMES = {"count", "n", "number", "total", "done", "shown", "present", "met", "answered", "minutes", "hours",
               "days", "years", "pages", "actors", "relations", "groups", "submissions", "threads", "comments",
               "changes", "pushed", "inserted", "updated", "unchanged", "conflicts", "sources", "files", "rows",
               "items", "records", "people", "new", "repeated"}
NOT_COUNTED = {"of", "and", "or", "to", "in", "into", "from", "with", "by", "for", "at", "on", "per", "under", "over",
               "between", "about", "as", "than", "after", "before"}
NOT_A_PLURAL = {
    "{minutes} min": "an abbreviation has no plural",
    "{title} ({minutes} min)": "an abbreviation has no plural",
    "Session {number}: {date}, {minutes} min": "an abbreviation has no plural",
    "too many failed sign-ins: try again in {minutes} min": "an abbreviation has no plural",
    "Of the {total} the district's actors spend in a year (loans and investments left out), {inside} "
    "({inside_share}) goes to actors of the district and {outside} ({outside_share}) leaves it.": "amounts of money",
}


def _counts_a_word(text: str) -> bool:
    for match in re.finditer(r"\{(\w+)\} ([A-Za-z]+)", text):
        if match.group(1) in COUNT_NAMES and match.group(2) not in NOT_COUNTED:
            return True
    return False


def _counted_messages_outside_ngettext() -> dict[str, str]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "N_", "pgettext")):
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _counts_a_word(arg.value):
                    found[arg.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_message_with_a_count_is_a_plural():
    counted = _counted_messages_outside_ngettext()
    assert {text: where for text, where in counted.items() if text not in NOT_A_PLURAL} == {}
    assert set(NOT_A_PLURAL) <= set(counted), "an exception no longer matches a message: remove it"


def test_a_counted_message_outside_ngettext_is_found(tmp_path, monkeypatch):
    fake = tmp_path / "ssd_starter"
    fake.mkdir()
    (fake / "example.py").write_text('from ssd_starter.i18n import _\nTEXT = _("Delete {count} actors")\n')
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _counted_messages_outside_ngettext() == {"Delete {count} actors": "ssd_starter/example.py:2"}
