"""Translations (gettext catalogs made with Babel) and locale-aware formatting.

Every user-visible string goes through ``_`` (or ``N_`` for module-level constants translated at
display time, ``ngettext`` for plurals). Numbers, dates and money go through the ``format_*``
helpers so they follow the chosen language, not the machine's locale.

This module imports nothing from the package at module level, so ``setup.py`` can load it by path
to compile the catalogs while building a wheel.

Run ``python -m ssd_starter.i18n extract|update|compile|check`` to maintain the catalogs
(``translations/README.md`` explains the workflow).
"""

from __future__ import annotations

import datetime as _dt
import gettext
import io
import locale
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

DOMAIN = "messages"
LANGUAGES: tuple[str, ...] = ("it", "de", "en")
LANGUAGE_NAMES: dict[str, str] = {"it": "Italiano", "de": "Deutsch", "en": "English"}
DEFAULT_LANGUAGE = "en"
CURRENCY = "EUR"

PACKAGE_DIR = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
SOURCE_CATALOG_DIR = PACKAGE_DIR.parent / "translations"
KEYWORDS = {"_": None, "N_": None, "N_plural": (1, 2), "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language: str = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def _(message: str) -> str:
    return _translations.gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext name
    """Mark a string for extraction without translating it now."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - after N_
    """Mark a message with a count for extraction, to be translated later by ``ngettext`` (a refusal's template,
    a module-level constant)."""
    return singular, plural


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def current_language() -> str:
    return _language


def normalize_language(code: str | None) -> str | None:
    """Map 'it_IT.UTF-8', 'de-AT', 'EN' … to one of LANGUAGES, or None."""
    if not code:
        return None
    base = code.replace("-", "_").split(".")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def system_language() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        for part in os.environ.get(var, "").split(":"):
            found = normalize_language(part)
            if found:
                return found
    try:
        found = normalize_language(locale.getlocale()[0])
    except ValueError:
        found = None
    return found or DEFAULT_LANGUAGE


def _load_catalog(language: str) -> gettext.NullTranslations:
    mo = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if mo.is_file():
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    po = SOURCE_CATALOG_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if po.is_file():
        # A source checkout whose catalogs were not compiled yet: compile in memory.
        return gettext.GNUTranslations(io.BytesIO(_compile_po_bytes(po)))
    return gettext.NullTranslations()


_catalog_cache: dict[str, gettext.NullTranslations] = {}


def translations_for(language: str) -> gettext.NullTranslations:
    """One language's catalog without switching the current language (importers match labels in all three)."""
    if language not in _catalog_cache:
        _catalog_cache[language] = _load_catalog(language)
    return _catalog_cache[language]


def set_language(language: str | None) -> str:
    """Switch every later ``_()`` call to ``language``; tell listeners. Returns the language used."""
    global _translations, _language
    chosen = normalize_language(language) or DEFAULT_LANGUAGE
    _translations = translations_for(chosen)  # read once: the command line and then the window both set it
    _language = chosen
    for listener in list(_listeners):
        listener(chosen)
    return chosen


@contextmanager
def speaking(language: str) -> Iterator[str]:
    """Translate and format in ``language`` for a while (a document in another language than the window's),
    without telling listeners: the window is not retranslated back and forth."""
    global _translations, _language
    saved = _translations, _language
    chosen = normalize_language(language) or DEFAULT_LANGUAGE
    _translations, _language = translations_for(chosen), chosen
    try:
        yield chosen
    finally:
        _translations, _language = saved


def add_language_listener(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)


def remove_language_listener(listener: Callable[[str], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


# -- formatting -------------------------------------------------------------------------------

def _babel_locale(language: str | None) -> str:
    return {"it": "it_IT", "de": "de_DE", "en": "en_GB"}.get(language or _language, "en_GB")


def format_number(value: int | float | Decimal, language: str | None = None) -> str:
    if type(value) is int and -1000 < value < 1000:
        # no grouping to do in any of LANGUAGES: what Babel writes, without loading its locale data (a fiftieth
        # of a second of start-up, for the counts under the map)
        return str(value)
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_babel_locale(language))


def format_currency(value: int | float | Decimal, language: str | None = None, *, whole: bool = False) -> str:
    """An amount in euro for the locale; ``whole`` rounds to the euro (labels on charts)."""
    from babel.numbers import format_currency as babel_format_currency

    locale = _babel_locale(language)
    if whole:
        from copy import copy

        from babel import Locale

        pattern = copy(Locale.parse(locale).currency_formats["standard"])
        pattern.frac_prec = (0, 0)
        return pattern.apply(round(value), locale, currency=CURRENCY, currency_digits=False)
    return babel_format_currency(value, CURRENCY, locale=locale)


def format_percent(value: float, language: str | None = None) -> str:
    from babel.numbers import format_percent as babel_format_percent

    return babel_format_percent(value, locale=_babel_locale(language))


def _full_year(pattern: str) -> str:
    """A CLDR pattern with the year written in full: the short styles write "12.02.26", which reads as a day."""
    import re

    return re.sub(r"(?<!y)yy(?!y)", "y", pattern)


def format_date(value: _dt.date, language: str | None = None, style: str = "medium") -> str:
    from babel import Locale
    from babel.dates import format_date as babel_format_date

    locale = _babel_locale(language)
    if style == "short":
        return babel_format_date(value, format=_full_year(Locale.parse(locale).date_formats["short"].pattern),
                                 locale=locale)
    return babel_format_date(value, format=style, locale=locale)


def format_datetime(value: _dt.datetime, language: str | None = None, style: str = "medium") -> str:
    from babel import Locale
    from babel.dates import format_datetime as babel_format_datetime

    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.UTC)
    locale = _babel_locale(language)
    if style == "short":
        cldr = Locale.parse(locale)
        pattern = str(cldr.datetime_formats["short"]).format(
            cldr.time_formats["short"].pattern, _full_year(cldr.date_formats["short"].pattern))
        return babel_format_datetime(value.astimezone(), format=pattern, locale=locale)
    return babel_format_datetime(value.astimezone(), format=style, locale=locale)


# -- catalog maintenance ----------------------------------------------------------------------

def _compile_po_bytes(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_catalogs(source_dir: Path = SOURCE_CATALOG_DIR, target_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every ``translations/<lang>/LC_MESSAGES/messages.po`` into ``.mo`` files (and copy the glossary)."""
    written = []
    for language in LANGUAGES:
        po = source_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po.is_file():
            continue
        mo = target_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        data = _compile_po_bytes(po)
        if not mo.is_file() or mo.read_bytes() != data:
            mo.write_bytes(data)
        written.append(mo)
    _copy_glossary(source_dir, target_dir)
    return written


def _copy_glossary(source_dir: Path, target_dir: Path) -> None:
    """The glossary goes with the catalogs: an installed app checks imported training packs against it."""
    glossary = source_dir / "glossary.csv"
    if glossary.is_file():
        target = target_dir / "glossary.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != glossary.read_bytes():
            target.write_bytes(glossary.read_bytes())


def extract_template(package_dir: Path = PACKAGE_DIR) -> bytes:
    """The ``messages.pot`` the code asks for, byte for byte reproducible (no dates, no line numbers)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import write_po

    catalog = Catalog(project="SSD Starter", version="", charset="utf-8", fuzzy=False,
                      creation_date=_dt.datetime(2026, 1, 1, tzinfo=_dt.UTC))
    root = package_dir.parent
    found = extract_from_dir(str(package_dir), method_map=[("**.py", "python")], keywords=KEYWORDS,
                             comment_tags=("Translators:",), strip_comment_tags=True)
    for filename, lineno, message, comments, context in found:
        path = (package_dir / filename).relative_to(root).as_posix()
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, omit_header=False)
    return _pot_header() + _without_header(out.getvalue())


PROJECT = "SSD Starter"
CONTACT = "SSD Starter developers"  # pyproject's authors: the project publishes no mail address
LICENCE = "GPL-3.0-or-later"
LANGUAGE_TEAMS = {"it": "Italian", "de": "German", "en": "English"}


def project_version(package_dir: Path = PACKAGE_DIR) -> str:
    """``__version__`` read from the package's ``__init__.py`` (this module imports nothing from the package)."""
    import re

    found = re.search(r'^__version__\s*=\s*"([^"]+)"', (package_dir / "__init__.py").read_text("utf-8"), re.M)
    return found.group(1) if found else "0"


def _header_lines(fields: list[tuple[str, str]]) -> bytes:
    lines = ['msgid ""', 'msgstr ""', *(f'"{key}: {value}\\n"' for key, value in fields)]
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def _pot_header() -> bytes:
    """Fixed fields only: no dates, no tool version, so re-extracting an unchanged tree changes nothing."""
    return b"# Generated by `python -m ssd_starter.i18n extract` - do not edit.\n" + _header_lines([
        ("Project-Id-Version", f"{PROJECT} {project_version()}"),
        ("Report-Msgid-Bugs-To", CONTACT),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ])


def _po_header(language: str, plural_forms: str) -> bytes:
    """A catalog's header, the same on every ``update``: Babel's own carries the time of the merge
    (POT-Creation-Date), placeholders (ORGANIZATION, EMAIL@ADDRESS) and its version."""
    name = LANGUAGE_TEAMS.get(language, language)
    comment = (f"# {name} translations for {PROJECT}.\n"
               f"# Copyright (C) 2026 {CONTACT}.\n"
               f"# This file is distributed under the same licence as {PROJECT} ({LICENCE}).\n"
               "# Kept by `python -m ssd_starter.i18n update`; translate the empty entries.\n")
    return comment.encode("utf-8") + _header_lines([
        ("Project-Id-Version", f"{PROJECT} {project_version()}"),
        ("Report-Msgid-Bugs-To", CONTACT),
        ("Last-Translator", f"{PROJECT} translators"),
        ("Language", language),
        ("Language-Team", f"{name} <{CONTACT}>"),
        ("Plural-Forms", plural_forms),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ])


def _without_header(po_bytes: bytes) -> bytes:
    """What Babel wrote after its header block (the header ends at the first blank line)."""
    return po_bytes.split(b"\n\n", 1)[1]


def update_catalogs(source_dir: Path = SOURCE_CATALOG_DIR) -> None:
    """Merge messages.pot into each language's .po (new ids appear untranslated)."""
    from babel.messages.pofile import read_po, write_po

    with (source_dir / f"{DOMAIN}.pot").open("rb") as fh:
        template = read_po(fh)
    for language in LANGUAGES:
        po = source_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=language)
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=language, project="SSD Starter")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        if language == "en":  # the source language: each message is its own translation
            for message in catalog:
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and (message.fuzzy or not all(strings)):  # fuzzy: a message that became plural
                    message.string = tuple(message.id) if message.pluralizable else message.id
                    message.flags.discard("fuzzy")
        po.parent.mkdir(parents=True, exist_ok=True)
        out = io.BytesIO()
        write_po(out, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True)
        data = _po_header(language, catalog.plural_forms) + _without_header(out.getvalue())
        if not po.is_file() or po.read_bytes() != data:
            po.write_bytes(data)


def untranslated(source_dir: Path = SOURCE_CATALOG_DIR) -> dict[str, list[str]]:
    """Message ids that are missing or fuzzy in each catalog."""
    from babel.messages.pofile import read_po

    result: dict[str, list[str]] = {}
    for language in LANGUAGES:
        po = source_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        with po.open("rb") as fh:
            catalog = read_po(fh)
        missing = []
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                missing.append(message.id if isinstance(message.id, str) else message.id[0])
        result[language] = missing
    return result


def _main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        (SOURCE_CATALOG_DIR / f"{DOMAIN}.pot").write_bytes(extract_template())
    elif command == "update":
        update_catalogs()
    elif command == "compile":
        compile_catalogs()
    elif command == "check":
        problems = {lang: ids for lang, ids in untranslated().items() if ids}
        for lang, ids in problems.items():
            print(f"{lang}: {len(ids)} untranslated, e.g. {ids[0]!r}")
        return 1 if problems else 0
    else:
        print("usage: python -m ssd_starter.i18n extract|update|compile|check", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
