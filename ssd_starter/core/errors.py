"""Typed errors that carry a translatable message (translated when shown, so a language switch applies)."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Input or state the program refuses. ``message`` is an ``N_``-marked template with named fields."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.template = message
        self.params = params

    def message(self) -> str:
        from ssd_starter.i18n import _

        # a parameter that is itself a refusal (the reason inside a wrapper) is translated in turn
        params = {k: v.message() if isinstance(v, UserError) else v for k, v in self.params.items()}
        return _(self.template).format(**params)

    def __str__(self) -> str:
        return self.message()


class ValidationError(UserError):
    """A value does not fit the domain's rules; ``field`` names which one."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


class NotFound(UserError):
    pass
