"""A refusal of the Centre's review, said to two audiences: the HTTP API answers with its status and the
English text (the msgid itself, so every client reads the same words), the admin command line with the
text in the user's language."""

from __future__ import annotations

from typing import Any

from ssd_starter.core.errors import UserError


class Refusal(UserError):
    def __init__(self, status: int, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.status = status

