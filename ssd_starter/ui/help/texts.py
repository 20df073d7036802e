"""The sentences of the help and the tour, and the screen's own words inside them.

A sentence is one catalog message with named placeholders; each placeholder is filled with a control's label as the
screen shows it (``label``), a menu path (``menu``), keys (``keys``) or an area's title (``area``), looked up in the
language of the moment from the same message the control is labelled with. So the help never names a button
differently from the button, in any language, and a translator writes only the sentence around it.

The labels are deliberately not marked for extraction here: each must be a message that the control's own code
marks (tests/ui/test_help.py checks that it is one, from a file outside the help).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Protocol

from PySide6.QtGui import QKeySequence

from ssd_starter.i18n import _, pgettext


class Part(Protocol):
    def text(self) -> str: ...
    def html(self) -> str: ...


def plain_label(text: str) -> str:
    """A label without its mnemonic (&&, a literal ampersand, stays one) and without a trailing colon."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip().rstrip(":").strip()


@dataclass(frozen=True)
class Label:
    """A control's label: the catalog message the control's code shows (with its context, if it has one)."""

    msgid: str
    context: str | None = None

    def text(self) -> str:
        return plain_label(pgettext(self.context, self.msgid) if self.context else _(self.msgid))

    def html(self) -> str:
        return f"<b>{escape(self.text())}</b>"


@dataclass(frozen=True)
class Menu:
    """A menu path, each step a menu's or an action's label: File → New district…"""

    msgids: tuple[str, ...]

    def text(self) -> str:
        return " → ".join(plain_label(_(msgid)) for msgid in self.msgids)

    def html(self) -> str:
        return f"<b>{escape(self.text())}</b>"


@dataclass(frozen=True)
class Keys:
    """Keys as Qt writes them ("Ctrl+Z"), shown in the language's own key names (Strg+Z) as the menus show them."""

    keys: tuple[str, ...]

    def text(self) -> str:
        from ssd_starter.ui.shortcuts import shown_keys

        return shown_keys([QKeySequence(key) for key in self.keys])

    def html(self) -> str:
        return f"<b>{escape(self.text())}</b>"


@dataclass(frozen=True)
class AreaName:
    """An area of the window by its title in the area list."""

    key: str

    def text(self) -> str:
        from ssd_starter.ui.window.areas import AREAS

        return next(_(area.title) for area in AREAS if area.key == self.key)

    def html(self) -> str:
        return f"<b>{escape(self.text())}</b>"


def label(msgid: str, context: str | None = None) -> Label:
    return Label(msgid, context)


def menu(*msgids: str) -> Menu:
    return Menu(msgids)


def keys(*sequence: str) -> Keys:
    return Keys(sequence)


def area(key: str) -> AreaName:
    return AreaName(key)


@dataclass(frozen=True)
class Text:
    """One sentence or paragraph: an N_-marked message and what fills its placeholders."""

    message: str
    parts: Mapping[str, Part] = field(default_factory=dict)

    def text(self) -> str:
        return _(self.message).format(**{name: part.text() for name, part in self.parts.items()})

    def html(self) -> str:
        # escaped first, then filled: the labels bring their own markup, the translator's text brings none
        return escape(_(self.message), quote=False).format(**{name: part.html() for name, part in self.parts.items()})

    def labels(self) -> list[Label]:
        found: list[Label] = []
        for part in self.parts.values():
            if isinstance(part, Label):
                found.append(part)
            elif isinstance(part, Menu):
                found += [Label(msgid) for msgid in part.msgids]
        return found


def say(message: str, **parts: Part) -> Text:
    return Text(message, parts)
