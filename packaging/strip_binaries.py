"""Symbols and debug information out of the bundle's shared libraries, where that is safe (Linux).

Python as pyenv builds it carries 17 MB of debug information in libpython alone, and SQLAlchemy's, Pillow's and
cryptography's extensions carry their symbol tables: about 45 MB of the bundle. PyInstaller's own
``strip=True`` strips every file, and breaks the libraries that auditwheel rewrote with patchelf (numpy's
OpenBLAS: "ELF load command address/offset not page-aligned"). So each file is stripped into a copy, and the
copy is used only if every loadable segment is still aligned as the dynamic loader demands; otherwise the
original stays.
"""

from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
from pathlib import Path

PT_LOAD = 1


def loadable(path: Path) -> bool:
    """Whether every PT_LOAD segment of a 64-bit little-endian ELF file has offset ≡ address (mod align)."""
    with path.open("rb") as file:
        head = file.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            return False
        phoff, = struct.unpack_from("<Q", head, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", head, 0x36)
        file.seek(phoff)
        table = file.read(phentsize * phnum)
    for i in range(phnum):
        kind, _flags, offset, vaddr, _paddr, _filesz, _memsz, align = struct.unpack_from("<IIQQQQQQ", table,
                                                                                         i * phentsize)
        if kind == PT_LOAD and align > 1 and offset % align != vaddr % align:
            return False
    return True


def stripped(source: Path, folder: Path) -> Path:
    """A stripped copy of ``source`` in ``folder`` when that is smaller and still loadable, else ``source``."""
    strip = shutil.which("strip")
    if strip is None or not loadable(source):
        return source
    copy = folder / hashlib.sha256(str(source).encode()).hexdigest()[:16] / source.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, copy)
    result = subprocess.run([strip, "--strip-unneeded", str(copy)], capture_output=True)
    if result.returncode != 0 or not loadable(copy) or copy.stat().st_size >= source.stat().st_size:
        copy.unlink()
        return source
    return copy
