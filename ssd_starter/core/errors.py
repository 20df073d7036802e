"""Typed errors that carry a translatable message (translated when shown, so a language switch applies)."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Input or state the program refuses. ``message`` is an ``N_``-marked template with named fields."""

    def __init__(self, message: str | tuple[str, str], **params: Any) -> None:
        """``message`` is an ``N_`` template, or an ``N_plural`` pair chosen by the ``count`` parameter."""
        super().__init__(message)
        self.template = message
        self.params = params

    def message(self) -> str:
        from ssd_starter.i18n import _, ngettext

        # a parameter that is itself a refusal (the reason inside a wrapper) is translated in turn
        params = {k: v.message() if isinstance(v, UserError) else v for k, v in self.params.items()}
        if isinstance(self.template, tuple):
            return ngettext(*self.template, int(self.params["count"])).format(**params)
        return _(self.template).format(**params)

    def english(self) -> str:
        """The message untranslated (a plural in the form its count asks for)."""
        template = self.template
        if isinstance(template, tuple):
            template = template[0] if int(self.params["count"]) == 1 else template[1]
        return template.format(**{k: v.english() if isinstance(v, UserError) else v for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.message()


class ValidationError(UserError):
    """A value does not fit the domain's rules; ``field`` names which one."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


class NotFound(UserError):
    pass
