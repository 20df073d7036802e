"""ICU's data for the bundle, cut down to the languages the app speaks.

Qt (the PySide6 wheel) links ICU 73, whose data library ``libicudata.so.73`` is 32 MB: locale data for some
800 locales, collation for Chinese, Japanese and Korean, dictionaries for Thai and Burmese line breaks,
transliterators and 230 legacy code pages. The app runs in Italian, German and English, and what Qt asks ICU
for is collation (the actors' list and table sort with ``setSortLocaleAware``), case mapping and break rules.
So the data package is rewritten without the other languages' locale files, the transliterators, the
break-iterator dictionaries and the code pages (Qt converts UTF-8/16/32 and Latin-1 itself; windows-1252 and
ISO-8859-15 stay), and linked into a library of the same name exporting the same symbol: about 4 MB.

The data package is ICU's "common data" format (ucmndata.h): a header, a table of contents of
(name offset, data offset) pairs sorted by name, the names, then the items, each 16-byte aligned.

    python packaging/icu_data.py PySide6/Qt/lib/libicudata.so.73 OUT_DIR    # writes OUT_DIR/libicudata.so.73
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("en", "it", "de")  # i18n.LANGUAGES: the app's languages
# A locale's resource bundle: language (2-3 letters), then script, region, variant ("de__PHONEBOOK", "en_150")
_LOCALE = re.compile(r"^(?P<language>[a-z]{2,3})(_[A-Za-z0-9_]*)?\.res$")
_KEEP_CODE_PAGES = {"ibm-5348_P100-1997.cnv", "ibm-923_P100-1998.cnv"}  # windows-1252, ISO-8859-15
_SYMBOL = re.compile(rb"^icudt\d+_dat$")


@dataclass(frozen=True)
class Package:
    header: bytes  # the package's own header, up to its table of contents
    items: dict[str, bytes]  # "icudt73l/coll/de.res" -> the item's bytes, in table-of-contents order


def wanted(name: str) -> bool:
    """Whether the item named ``icudt73l/…`` is kept."""
    parts = name.split("/")[1:]
    folder, leaf = ("/".join(parts[:-1]), parts[-1])
    if folder == "translit" or leaf.endswith(".dict"):  # transliterators; Thai, Lao, Khmer, Burmese, CJK words
        return False
    if leaf.endswith(".cnv"):
        return leaf in _KEEP_CODE_PAGES
    locale = _LOCALE.match(leaf)
    return locale is None or locale["language"] in LANGUAGES


# -- the data inside the library ---------------------------------------------------------------------------

def _data_symbol(elf: bytes) -> tuple[str, int, int]:
    """Name, file offset and size of the exported ``icudtNN_dat`` in a 64-bit little-endian ELF library."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link][4]
        for at in range(offset, offset + size, entsize):
            name_at, _st_info, _other, shndx, value, symbol_size = struct.unpack_from("<IBBHQQ", elf, at)
            name = elf[strtab + name_at:elf.index(b"\0", strtab + name_at)]
            if _SYMBOL.match(name):
                section = sections[shndx]
                return name.decode(), value - section[3] + section[4], symbol_size  # address -> file offset
    raise ValueError("no icudtNN_dat symbol: not ICU's data library")


def read_package(data: bytes) -> Package:
    header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
    if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    count, = struct.unpack_from("<I", data, header_size)
    entries = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    ends = [offset for _name, offset in entries[1:]] + [len(data) - header_size]
    items = {}
    for (name_offset, offset), end in zip(entries, ends, strict=True):
        start = header_size + name_offset
        name = data[start:data.index(b"\0", start)].decode("ascii")
        items[name] = data[header_size + offset:header_size + end]
    return Package(data[:header_size], items)


def write_package(package: Package) -> bytes:
    names = sorted(package.items)  # ICU looks items up by binary search on their names
    table = 4 + 8 * len(names)
    name_bytes = b"".join(name.encode("ascii") + b"\0" for name in names)
    name_offsets = []
    at = table
    for name in names:
        name_offsets.append(at)
        at += len(name) + 1
    body = bytearray()
    data_offsets = []
    at = _aligned(table + len(name_bytes))
    for name in names:
        data_offsets.append(at)
        item = package.items[name]
        body += item + bytes(_aligned(len(item)) - len(item))
        at += _aligned(len(item))
    toc = struct.pack("<I", len(names)) + b"".join(struct.pack("<II", n, d) for n, d in zip(name_offsets,
                                                                                            data_offsets,
                                                                                            strict=True))
    head = toc + name_bytes
    return package.header + head + bytes(_aligned(len(head)) - len(head)) + bytes(body)


def _aligned(size: int) -> int:
    return (size + 15) & ~15


def trimmed(package: Package) -> Package:
    return Package(package.header, {name: item for name, item in package.items.items() if wanted(name)})


# -- a library of the same name -------------------------------------------------------------------------

def compiler() -> str | None:
    return shutil.which("cc") or shutil.which("gcc")


def build_library(original: Path, folder: Path) -> Path:
    """``folder/<original's name>``: the same soname and symbol, holding only the wanted items."""
    folder = folder.resolve()
    elf = original.read_bytes()
    symbol, offset, size = _data_symbol(elf)
    package = trimmed(read_package(elf[offset:offset + size]))
    folder.mkdir(parents=True, exist_ok=True)
    dat = folder / f"{symbol.removesuffix('_dat')}l.dat"
    dat.write_bytes(write_package(package))
    source = folder / "icudata.S"
    source.write_text(f""".section .rodata
.globl {symbol}
.type {symbol}, @object
.balign 16
{symbol}:
.incbin "{dat.name}"
.size {symbol}, . - {symbol}
.section .note.GNU-stack,"",@progbits
""", "ascii")
    cc = compiler()
    if cc is None:
        raise RuntimeError("no C compiler (cc) to link the trimmed ICU data: apt-get install gcc")
    library = folder / original.name
    subprocess.run([cc, "-shared", "-nostdlib", f"-Wl,-soname,{original.name}", "-Wl,-z,noexecstack",
                    "-o", str(library), source.name], cwd=folder, check=True)
    return library


if __name__ == "__main__":
    built = build_library(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{built}: {built.stat().st_size / 1e6:.1f} MB (was {Path(sys.argv[1]).stat().st_size / 1e6:.1f} MB)")
