"""One voice in three languages: the checks the catalogs' test and the training-pack import share.

A text is checked against the glossary (``translations/glossary.csv``: the forms to avoid), the register
(German says Sie, Italian never tu), its placeholders (the same ``{name}`` fields as the English text) and the
way it writes numbers (the rule Babel's locale data gives the app: Italian ``50%`` and ``1,85``, German
``50 %``, English ``€100,000``). Each check returns findings rather than raising: for a pack they are warnings
shown after the import, for the shipped texts the test fails on any.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ssd_starter.i18n import LOCALE_DIR, N_, SOURCE_CATALOG_DIR, _, format_number

GLOSSARY = "glossary.csv"
LANGUAGES = ("it", "de", "en")

TERM, REGISTER, PLACEHOLDER, NUMBER = "term", "register", "placeholder", "number"

_TEMPLATES = {
    TERM: N_("{where} ({language}): “{found}” — the glossary says “{wanted}”."),
    REGISTER: N_("{where} ({language}): “{found}” — {wanted}."),
    PLACEHOLDER: N_("{where} ({language}): the placeholders differ from the English text: {found}."),
    NUMBER: N_("{where} ({language}): “{found}” — the app writes “{wanted}” in this language."),
}
_REGISTER_ADVICE = {
    "de": N_("the German texts say Sie, not du or ihr"),
    "it": N_("the Italian texts say voi to a group and Lei to the user, not tu"),
}


@dataclass(frozen=True)
class Finding:
    """One place where a text leaves the glossary, the register, its placeholders or the number rule."""

    kind: str  # TERM, REGISTER, PLACEHOLDER or NUMBER
    language: str
    found: str
    wanted: str
    where: str = ""

    def message(self) -> str:
        wanted = _(self.wanted) if self.kind == REGISTER else self.wanted
        return _(_TEMPLATES[self.kind]).format(where=self.where, language=self.language, found=self.found,
                                               wanted=wanted)

    def __str__(self) -> str:
        return self.message()


# -- the glossary -----------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)  # hashed by identity: the compiled patterns are cached per glossary
class Term:
    id: str
    group: str
    msgid: str
    forms: Mapping[str, str]
    avoid: Mapping[str, tuple[str, ...]]
    note: str


def glossary_path() -> Path:
    """The source in a checkout (always current), else the copy compiled next to the catalogs (an installed app,
    where ``translations/`` is not shipped)."""
    source = SOURCE_CATALOG_DIR / GLOSSARY
    return source if source.is_file() else LOCALE_DIR / GLOSSARY


def parse_glossary(text: str) -> tuple[Term, ...]:
    """Rows of the CSV; lines starting with ``#`` are comments."""
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    terms = []
    for row in csv.DictReader(io.StringIO(body)):
        avoid = {lang: tuple(f.strip() for f in (row.get(f"avoid_{lang}") or "").split("|") if f.strip())
                 for lang in LANGUAGES}
        terms.append(Term(row["id"], row["group"], row.get("msgid") or "",
                          {lang: row[lang] for lang in LANGUAGES}, avoid, row.get("note") or ""))
    return tuple(terms)


@lru_cache(maxsize=4)
def load_glossary(path: Path | None = None) -> tuple[Term, ...]:
    """The glossary, or none where it is missing (a pack import still checks register and numbers)."""
    try:
        return parse_glossary((path or glossary_path()).read_text("utf-8"))
    except OSError:
        return ()


def _avoid_pattern(form: str) -> re.Pattern[str]:
    """A whole-word pattern: ``*`` at the end takes any ending; a lower-case form also matches capitalised."""
    wildcard = form.endswith("*")
    words = form.rstrip("*").split()
    escaped = r"\s+".join(re.escape(word) for word in words)
    if escaped and escaped[0].islower():
        escaped = f"[{escaped[0]}{escaped[0].upper()}]{escaped[1:]}"
    ending = r"\w*" if wildcard else ""
    # not inside a word, nor an identifier such as stakeholder:ID
    return re.compile(r"(?<!\w)" + escaped + ending + r"(?!\w|:\S)")


@lru_cache(maxsize=8)
def _avoid_patterns(terms: tuple[Term, ...], language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((_avoid_pattern(form), term.forms[language]) for term in terms for form in term.avoid[language])


# -- the register -----------------------------------------------------------------------------

_GERMAN_DU = re.compile(
    r"(?<![\w-])(?:[Dd]u|[Dd]ich|(?<![-/.])[Dd]ir|[Dd]ein(?:e|en|em|er|es)?|[Ee]uch|[Ee]uer|[Ee]ure(?:n|m|r|s)?"
    r"|[Bb]ist)(?!\w)")
_GERMAN_IHR_VERBS = ("habt|seid|könnt|wollt|müsst|sollt|dürft|wisst|braucht|macht|seht|findet|schreibt|geht"
                     "|kommt|lest|nehmt|werdet|sucht|fragt")
_GERMAN_IHR = re.compile(rf"(?<!\w)(?:[Ii]hr\s+(?i:{_GERMAN_IHR_VERBS})|(?i:{_GERMAN_IHR_VERBS})\s+ihr)(?!\w)")
_ITALIAN_TU = re.compile(
    r"(?<!\w)(?:[Tt]u|[Tt]i|[Tt]e|[Tt]uo|[Tt]ua|[Tt]uoi|[Tt]ue|[Pp]uoi|[Vv]uoi|[Hh]ai|[Dd]evi|[Ss]ai|[Ff]ai"
    r"|[Ss]tai|[Pp]otresti|[Vv]orresti|[Dd]ovresti|[Cc]hi sei|[Ss]ei sicur[oa])(?!\w)")


def register_findings(text: str, language: str, where: str = "") -> Iterator[tuple[int, int, Finding]]:
    patterns = {"de": (_GERMAN_DU, _GERMAN_IHR), "it": (_ITALIAN_TU,)}.get(language, ())
    for pattern in patterns:
        for match in pattern.finditer(text):
            yield match.start(), match.end(), Finding(REGISTER, language, match.group(0),
                                                      _REGISTER_ADVICE[language], where)


# -- numbers ----------------------------------------------------------------------------------

_SPACE = "[ \u00a0\u202f]"
# "GEXF 1.3", "version 1.2": a version after a name in capitals or the word version is not a decimal
_NOT_A_VERSION = r"(?<![A-Z] )(?<![Vv]ersion )(?<![Vv]ersione )"


def _digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _number_rules(language: str) -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]:
    """(pattern of a number written against the language's rule, what the app writes instead)."""
    rules: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = []
    if language in ("it", "en"):  # Babel: it "50%", en "50%"
        rules.append((re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)" + _SPACE + "%"), lambda m: f"{m.group(1)}%"))
    else:  # de "50 %"
        rules.append((re.compile(r"(?<![\w.,])(\d+(?:,\d+)?)%"), lambda m: f"{m.group(1)} %"))
    if language in ("it", "de"):
        # 1.85 (an English decimal point); 100,000 (an English thousands comma); €100 (the sign before)
        rules.append((re.compile(_NOT_A_VERSION + r"(?<![\w.,])(\d+)\.(\d{1,2})(?![\d.])"),
                      lambda m: f"{m.group(1)},{m.group(2)}"))
        rules.append((re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d,])"),
                      lambda m: format_number(_digits(m.group(0)), language)))
        rules.append((re.compile(rf"€{_SPACE}?(\d[\d.,]*\d|\d)"), lambda m: f"{m.group(1)} €"))
    else:
        rules.append((re.compile(_NOT_A_VERSION + r"(?<![\w.,])(\d+),(\d{1,2})(?![\d,])"),
                      lambda m: f"{m.group(1)}.{m.group(2)}"))
        rules.append((re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d{3})+(?![\d.])"),
                      lambda m: format_number(_digits(m.group(0)), language)))
        rules.append((re.compile(rf"(?<![\w.,])(\d[\d.,]*\d|\d){_SPACE}?€"), lambda m: f"€{m.group(1)}"))
    # 100 000 (grouped by spaces) and 100000 (not grouped): Babel groups with "." (it, de) or "," (en)
    rules.append((re.compile(r"(?<![\w.,])\d{1,3}(?:" + _SPACE + r"\d{3})+(?!\d)"),
                  lambda m: format_number(_digits(m.group(0)), language)))
    rules.append((re.compile(r"(?<![\w.,:/#-])\d{5,}(?![\w.,:/])"), lambda m: format_number(int(m.group(0)), language)))
    return rules


@lru_cache(maxsize=4)
def _cached_number_rules(language: str) -> tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...]:
    return tuple(_number_rules(language))


def number_findings(text: str, language: str, where: str = "") -> Iterator[tuple[int, int, Finding]]:
    for pattern, wanted in _cached_number_rules(language):
        for match in pattern.finditer(text):
            yield match.start(), match.end(), Finding(NUMBER, language, match.group(0), wanted(match), where)


# -- placeholders -----------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def placeholder_findings(source: str, translation: str, language: str, *,
                         allowed: Iterable[str] = ()) -> Iterator[Finding]:
    """The translation must name the same fields as its source (``allowed`` ones may be left out: a plural's
    singular form may say "one" instead of ``{count}``)."""
    wanted, found = placeholders(source), placeholders(translation)
    optional = set(allowed)
    missing = sorted(wanted - found - optional)
    added = sorted(found - wanted - optional)
    if missing or added:
        parts = [*(f"−{{{name}}}" for name in missing), *(f"+{{{name}}}" for name in added)]
        yield Finding(PLACEHOLDER, language, " ".join(parts), "")


# -- whole texts ------------------------------------------------------------------------------

def _without_placeholders(text: str) -> str:
    return _PLACEHOLDER.sub("…", text)


def check_text(text: str, language: str, *, where: str = "", terms: tuple[Term, ...] | None = None,
               register: bool = True) -> list[Finding]:
    """Every finding of one text in one language: forms to avoid, register, numbers."""
    terms = load_glossary() if terms is None else terms
    plain = _without_placeholders(text)
    spans: list[tuple[int, int, Finding]] = [
        (match.start(), match.end(), Finding(TERM, language, match.group(0), wanted, where))
        for pattern, wanted in _avoid_patterns(terms, language) for match in pattern.finditer(plain)]
    if register:
        spans += register_findings(plain, language, where)
    spans += number_findings(plain, language, where)
    return _one_per_place(spans)


def _one_per_place(spans: list[tuple[int, int, Finding]]) -> list[Finding]:
    """Two forms to avoid found at one place ("Macht-Interesse-Raster" and its "Raster") say it once, the longer."""
    kept: list[tuple[int, int, Finding]] = []
    for start, end, finding in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if not any(f.kind == finding.kind and start < e and s < end for s, e, f in kept):
            kept.append((start, end, finding))
    return [finding for _start, _end, finding in kept]


def check_translations(texts: Mapping[str, str], *, where: str = "",
                       terms: tuple[Term, ...] | None = None) -> list[Finding]:
    """One text given in several languages (a pack's title, a slide): each checked, placeholders against English."""
    findings = []
    for language, text in texts.items():
        findings += check_text(text, language, where=where, terms=terms)
        if language != "en" and "en" in texts:
            findings += [Finding(f.kind, f.language, f.found, f.wanted, where)
                         for f in placeholder_findings(texts["en"], text, language)]
    return findings
