"""Files and folders that hold personal data are the user's alone (folders 0700, files 0600), whatever the
umask: contact details must not be readable by the other accounts of a shared office computer.

No Qt, no SQLAlchemy: settings, the store and the exports all use it. On Windows ``chmod`` changes only the
read-only flag, so these calls are harmless there; access is the user profile's ACLs' business.
"""

from __future__ import annotations

import os
import stat
from contextlib import suppress
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
OTHERS = 0o077  # the group's and everyone else's bits


def private_dir(path: Path) -> Path:
    """Create ``path`` (parents as usual) user-only; an existing one open to others is tightened."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)  # the umask may only take bits away from it
    tighten(path)
    return path


def create_private_file(path: Path) -> None:
    """Create an empty ``path`` user-only unless it exists: SQLite would create the database with 0644, and
    its WAL and shared-memory files take the database's mode."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def tighten(path: Path) -> None:
    """Take the group's and others' permissions off ``path`` if it has any. Best effort: a folder on a FAT USB
    stick or owned by someone else cannot be changed, and that must not stop the program."""
    with suppress(OSError):
        current = stat.S_IMODE(path.stat().st_mode)
        if current & OTHERS:
            os.chmod(path, current & ~OTHERS)
