"""A copy of a shared library that links another library by a different name (Linux, 64-bit ELF).

Pillow's wheel vendors libxcb (for ``ImageGrab`` on X11, which the app never calls) as
``pillow.libs/libxcb-<hash>.so.1.1.0``, and with it libXau, which auditwheel's patchelf left with a 2 MB hole
of alignment padding: 2.3 MB for what the system already has, as ``libxcb.so.1``, for Qt (the .deb depends on
libxcb1 anyway). ``_imaging`` is relinked to the system's name and the two copies stay out of the bundle.

The new name is written over the old one in the dynamic string table, in place: it must not be longer, no
other reference may point inside the old string (linkers share string tails), and no symbol version may be
required from the old file; otherwise the original is kept. Nothing moves, so the file stays loadable
exactly as before (the offsets, segments and the rest of the string table are untouched).
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

DT_NULL, DT_NEEDED, DT_STRTAB, DT_STRSZ, DT_SONAME, DT_RPATH, DT_RUNPATH = 0, 1, 5, 10, 14, 15, 29
DT_VERNEED, DT_VERNEEDNUM = 0x6FFFFFFE, 0x6FFFFFFF
_STRING_TAGS = {DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH}
PT_LOAD, PT_DYNAMIC = 1, 2
SHT_DYNSYM = 11


def _segments(elf: bytes) -> list[tuple[int, int, int, int]]:
    """(type, file offset, address, file size) of each program header."""
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    rows = []
    for i in range(phnum):
        kind, _flags, offset, vaddr, _paddr, filesz, _memsz, _align = struct.unpack_from("<IIQQQQQQ", elf,
                                                                                      phoff + i * phentsize)
        rows.append((kind, offset, vaddr, filesz))
    return rows


def _offset_of(elf: bytes, address: int) -> int:
    for kind, offset, vaddr, filesz in _segments(elf):
        if kind == PT_LOAD and vaddr <= address < vaddr + filesz:
            return address - vaddr + offset
    raise ValueError(f"address {address:#x} is in no loaded segment")


def _dynamic(elf: bytes) -> list[tuple[int, int]]:
    for kind, offset, _vaddr, filesz in _segments(elf):
        if kind == PT_DYNAMIC:
            entries = []
            for at in range(offset, offset + filesz, 16):
                tag, value = struct.unpack_from("<qQ", elf, at)
                if tag == DT_NULL:
                    break
                entries.append((tag, value))
            return entries
    raise ValueError("no dynamic section")


def _string_references(elf: bytes, dynamic: dict[int, int], strtab_offset: int) -> list[int]:
    """Every offset into the dynamic string table that the file uses, besides the dynamic entries'."""
    refs = []
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    for i in range(shnum):
        _name, kind, _flags, _addr, offset, size, _link, _info, _align, entsize = struct.unpack_from(
            "<IIQQQQIIQQ", elf, shoff + i * shentsize)
        if kind == SHT_DYNSYM and entsize:
            refs += [struct.unpack_from("<I", elf, at)[0] for at in range(offset, offset + size, entsize)]
    if DT_VERNEED in dynamic:  # files and version names required
        at = _offset_of(elf, dynamic[DT_VERNEED])
        for _ in range(dynamic.get(DT_VERNEEDNUM, 0)):
            _version, count, file_name, aux, following = struct.unpack_from("<HHIII", elf, at)
            refs.append(file_name)
            aux_at = at + aux
            for _ in range(count):
                _hash, _flags, _other, name, aux_next = struct.unpack_from("<IHHII", elf, aux_at)
                refs.append(name)
                aux_at += aux_next
            if not following:
                break
            at += following
    return refs


def replace_needed(source: Path, old: str, new: str, folder: Path) -> Path:
    """A copy of ``source`` in ``folder`` that links ``new`` where it linked ``old``; ``source`` itself when it
    does not link ``old``. Raises ValueError where that cannot be done in place."""
    elf = source.read_bytes()
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError(f"{source}: not a 64-bit little-endian ELF file")
    if len(new) > len(old):
        raise ValueError(f"{new!r} is longer than {old!r}")
    entries = _dynamic(elf)
    dynamic = dict(entries)
    strtab = _offset_of(elf, dynamic[DT_STRTAB])

    def string(at: int) -> str:
        return elf[strtab + at:elf.index(b"\0", strtab + at)].decode()

    needed = [value for tag, value in entries if tag == DT_NEEDED and string(value) == old]
    if not needed:
        return source
    start = needed[0]
    end = start + len(old)
    others = [value for tag, value in entries if tag in _STRING_TAGS and value != start]
    others += _string_references(elf, dynamic, strtab)
    if start in _string_references(elf, dynamic, strtab):
        raise ValueError(f"{source}: a symbol version is required from {old}")
    if any(start < ref <= end for ref in others):
        raise ValueError(f"{source}: another string shares the tail of {old!r}")
    patched = bytearray(elf)
    patched[strtab + start:strtab + end + 1] = new.encode() + bytes(len(old) - len(new) + 1)
    copy = folder / hashlib.sha256(str(source).encode()).hexdigest()[:16] / source.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(bytes(patched))
    copy.chmod(source.stat().st_mode)
    return copy


def needed(library: Path) -> set[str]:
    """The names ``library`` links (its DT_NEEDED entries); none for a file that is not a 64-bit ELF library."""
    elf = library.read_bytes()
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        return set()
    try:
        entries = _dynamic(elf)
    except ValueError:
        return set()
    strtab = _offset_of(elf, dict(entries)[DT_STRTAB])
    return {elf[strtab + value:elf.index(b"\0", strtab + value)].decode() for tag, value in entries
            if tag == DT_NEEDED}
