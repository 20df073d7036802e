"""Writing a file so that a crash, a full disk or a power cut never leaves half of it under its name.

The one way every part of the program replaces a file (exports, bundles, settings, the key, backups): write
a temporary file in the same folder (created user-only: ``mkstemp`` makes it 0600), flush it to disk, rename
it over the target (atomic on one filesystem), then flush the folder so the rename itself survives a power
cut. A failed write removes the temporary file and leaves the old one as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _fsync_path(path: str | Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:  # a folder cannot be opened on some platforms (Windows): the rename is all there is
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a folder; the file itself was flushed
    finally:
        os.close(fd)


def write_atomically(path: Path, write: Callable[[str], None], *, suffix: str = "", prefix: str | None = None
                     ) -> Path:
    """Let ``write`` fill a temporary file (given by name) next to ``path``, then put it in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix or f".{path.name}-", suffix=suffix)
    os.close(fd)
    try:
        write(tmp)
        _fsync_path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_path(path.parent, directory=True)
    return path


def write_bytes_atomically(path: Path, data: bytes, *, suffix: str = "", prefix: str | None = None) -> Path:
    def write(tmp: str) -> None:
        Path(tmp).write_bytes(data)

    return write_atomically(path, write, suffix=suffix, prefix=prefix)
