"""Finding one person in free text: notes, card texts, descriptions, comments typed by anyone.

Erasing a person blanks their own fields, but a promoter may have written "call Maria Rossi on 0461 000111"
in another actor's notes. Such text cannot be judged by a program (it may be about someone else of the same
name), so it is found, shown with its context, and replaced only when the user says so. Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

MIN_NAME_LENGTH = 3  # "Ada" still counts; a lone initial would match everywhere
MIN_PHONE_DIGITS = 6
PHONE_TAIL = 9  # the digits that must be there; country and trunk prefixes before them may be left out
SEPARATOR = r"[\s./()\-]*"  # how people space a number: 0461 000111, 0461-000-111, (0461) 000.111
SNIPPET_CONTEXT = 30


def _name_pattern(name: str) -> str | None:
    words = name.split()
    if len("".join(words)) < MIN_NAME_LENGTH:
        return None
    return r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"


def _email_pattern(email: str) -> str | None:
    email = email.strip()
    return re.escape(email) if "@" in email else None


def _phone_pattern(phone: str) -> str | None:
    """The number's last digits, spaced any way, with as much of its prefix as the text has: "+39 0461 000 111"
    is found as "0461-000111" and as "0039 0461 000 111"."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    head, tail = digits[:-PHONE_TAIL], digits[-PHONE_TAIL:]
    prefix = r"(?:\+|00)?"
    for digit in head:
        prefix = f"(?:{prefix}{digit}{SEPARATOR})?"
    return prefix + SEPARATOR.join(tail) + r"(?!\d)"


@dataclass(frozen=True)
class PersonTraces:
    """What identifies one person in text (names, e-mail addresses, phone numbers), as one pattern."""

    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, *, names: Iterable[str] = (), emails: Iterable[str] = (), phones: Iterable[str] = ()) -> PersonTraces:
        parts = {p for p in (*map(_name_pattern, names), *map(_email_pattern, emails), *map(_phone_pattern, phones))
                 if p}
        # longest first: the whole number wins over its tail, the whole name over a shorter one
        ordered = sorted(parts, key=len, reverse=True)
        return cls(re.compile("|".join(ordered), re.IGNORECASE) if ordered else None)

    def snippets(self, value: Any) -> list[str]:
        """Each place ``value`` (text, or JSON of lists and dicts) mentions the person, with some context."""
        if self.pattern is None:
            return []
        return [_snippet(text, match) for text in _texts(value) for match in self.pattern.finditer(text)]

    def redact(self, value: Any, replacement: str) -> Any:
        """``value`` with every mention replaced; lists and dicts are walked, other values kept."""
        if self.pattern is None:
            return value
        if isinstance(value, str):
            return self.pattern.sub(replacement, value)
        if isinstance(value, list):
            return [self.redact(v, replacement) for v in value]
        if isinstance(value, dict):
            return {k: self.redact(v, replacement) for k, v in value.items()}
        return value


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


def _snippet(text: str, match: re.Match[str]) -> str:
    start, end = max(0, match.start() - SNIPPET_CONTEXT), min(len(text), match.end() + SNIPPET_CONTEXT)
    snippet = " ".join(text[start:end].split())
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")
