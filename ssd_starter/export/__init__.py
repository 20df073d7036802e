"""Exports: graph and table files now; the PDF dossier later."""

from __future__ import annotations

from typing import Any

# A spreadsheet reads a text cell starting with one of these as a formula (OWASP's CSV injection rule).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell value that Excel or LibreOffice show as text, never run: text starting like a formula gets a
    leading quote. Numbers stored as numbers stay as they are — a negative influence is data, not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
