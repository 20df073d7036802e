"""Exports: graph and table files now; the PDF dossier later."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# A spreadsheet reads a text cell starting with one of these as a formula (OWASP's CSV injection rule).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def write_via_temp(path: Path, suffix: str, write: Callable[[str], None]) -> Path:
    """Let ``write`` fill a temporary file next to ``path``, then rename it into place: a crash or a refused
    write never leaves half a document under the chosen name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=suffix)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def spreadsheet_safe(value: Any) -> Any:
    """A cell value that Excel or LibreOffice show as text, never run: text starting like a formula gets a
    leading quote. Numbers stored as numbers stay as they are — a negative influence is data, not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
