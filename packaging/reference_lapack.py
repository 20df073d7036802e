"""numpy's BLAS and LAPACK for the bundle: the reference implementation instead of OpenBLAS (Linux).

numpy's wheel links ``numpy.libs/libscipy_openblas64_-….so``: OpenBLAS built for every x86-64 CPU generation
(DYNAMIC_ARCH), 25 MB, and the gfortran runtime it needs (libgfortran, libquadmath: 3 MB). numpy only ever
calls 57 of its functions, the CBLAS products behind ``dot`` and ``matmul`` and the LAPACK drivers behind
``numpy.linalg``, and the app calls none of them: the network layout is element-wise arithmetic and FFTs
(pocketfft, numpy's own), centrality comes from rustworkx. It still has to load, or ``import numpy`` fails.

So a library of the same name and soname is linked from Debian's reference BLAS and LAPACK with 64-bit
indices (the static archives of libblas64-dev and liblapack64-dev, the same interface as scipy-openblas64:
ILP64, CBLAS), exporting exactly the names numpy imports, each the reference routine under OpenBLAS's
``scipy_…64_`` name: about 1.4 MB. The linker takes only the archive members those routines need. The three
gfortran runtime routines they call (string concatenation, real-to-integer powers) are written out below, as
libgfortran has them, so the gfortran runtime is not needed either; ``xerbla`` reports an illegal argument
and returns, as OpenBLAS's does, where the reference one would stop the program. Linear algebra in the
bundle is then correct but unoptimised (numpy's own linalg and matmul tests pass against it: 20,727 tests);
nothing in the app uses it.

Where the archives are not installed they are fetched with ``apt-get download`` (no root needed) and
unpacked into the build folder; where that fails too, OpenBLAS stays, with a warning.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGES = ("libblas64-dev", "liblapack64-dev")
_MULTIARCH = "x86_64-linux-gnu"
# (BLAS, LAPACK) archives, position-independent: Debian's own paths
_ARCHIVES = (f"usr/lib/{_MULTIARCH}/blas64/libblas64.a", f"usr/lib/{_MULTIARCH}/liblapack64_pic.a")
_OPENBLAS = re.compile(r"^libscipy_openblas64_.*\.so$")
_CBLAS = re.compile(r"^scipy_(cblas_\w+?)64_$")  # scipy_cblas_dgemm64_ -> cblas_dgemm
_FORTRAN = re.compile(r"^scipy_(\w+?)_64_$")  # scipy_dgesv_64_ -> dgesv_

_SUPPORT = r"""
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* CBLAS's error handler: the static library's copy is not position-independent */
void cblas_xerbla(int64_t info, const char *routine, const char *form, ...) {
    va_list args;
    va_start(args, form);
    if (info != 0) fprintf(stderr, "Parameter %ld to routine %s was incorrect\n", (long)info, routine);
    vfprintf(stderr, form, args);
    va_end(args);
}

/* LAPACK's error handler as OpenBLAS has it: report and return (the reference one STOPs the program) */
void xerbla_(const char *name, const int64_t *info, size_t length) {
    while (length > 0 && name[length - 1] == ' ') length--;
    fprintf(stderr, " ** On entry to %.*s parameter number %ld had an illegal value\n", (int)length, name,
            (long)*info);
}

/* the gfortran runtime routines the LAPACK objects call, as libgfortran has them */
void _gfortran_concat_string(size_t destlen, char *dest, size_t len1, const char *s1, size_t len2,
                             const char *s2) {
    if (len1 >= destlen) { memcpy(dest, s1, destlen); return; }
    memcpy(dest, s1, len1);
    dest += len1;
    destlen -= len1;
    if (len2 >= destlen) { memcpy(dest, s2, destlen); return; }
    memcpy(dest, s2, len2);
    memset(dest + len2, ' ', destlen - len2);
}

#define POWER(name, real) real name(real a, int64_t b) {                                \
    real power = 1, x = a;                                                              \
    uint64_t u;                                                                         \
    if (b == 0) return power;                                                           \
    if (b < 0) { u = -(uint64_t)b; x = power / x; } else u = (uint64_t)b;               \
    for (;;) { if (u & 1) power *= x; u >>= 1; if (u) x *= x; else break; }             \
    return power;                                                                       \
}
POWER(_gfortran_pow_r4_i8, float)
POWER(_gfortran_pow_r8_i8, double)
"""


def is_openblas(name: str) -> bool:
    """Whether a bundle entry's destination name is numpy's OpenBLAS."""
    return name.startswith("numpy.libs/") and bool(_OPENBLAS.match(name.rsplit("/", 1)[-1]))


def reference_name(symbol: str) -> str | None:
    """The reference routine behind one of OpenBLAS's exported names, or None for one it does not have."""
    if match := _CBLAS.match(symbol):
        return match[1]
    if match := _FORTRAN.match(symbol):
        return f"{match[1]}_"
    return None


def imported_symbols(users: list[Path], library: Path) -> list[str]:
    """The names the binaries ``users`` import that ``library`` defines."""
    defined = _exports(library)
    wanted = set()
    for user in users:
        wanted.update(name for name in _symbols(user, "--undefined-only") if name in defined)
    return sorted(wanted)


def archives(folder: Path) -> tuple[Path, Path] | None:
    """Debian's static BLAS and LAPACK with 64-bit indices: installed, else downloaded into ``folder``."""
    installed = tuple(Path("/") / path for path in _ARCHIVES)
    if all(path.is_file() for path in installed):
        return installed  # type: ignore[return-value]
    unpacked = tuple(folder / "root" / path for path in _ARCHIVES)
    if all(path.is_file() for path in unpacked):
        return unpacked  # type: ignore[return-value]
    if not (shutil.which("apt-get") and shutil.which("dpkg-deb")):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["apt-get", "download", "-q", *PACKAGES], cwd=folder, capture_output=True, text=True)
    if result.returncode != 0 and os.geteuid() == 0:  # a machine whose package lists were never fetched
        subprocess.run(["apt-get", "update", "-q"], capture_output=True)
        result = subprocess.run(["apt-get", "download", "-q", *PACKAGES], cwd=folder, capture_output=True,
                                text=True)
    if result.returncode != 0:
        print(f"WARNING: apt-get download {' '.join(PACKAGES)}: {result.stderr.strip()}", file=sys.stderr)
        return None
    for deb in sorted(folder.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(folder / "root")], check=True)
    return unpacked if all(path.is_file() for path in unpacked) else None  # type: ignore[return-value]


def build_library(original: Path, users: list[Path], folder: Path) -> Path | None:
    """``folder/<original's name>`` exporting what ``users`` import from OpenBLAS ``original``; None where it
    cannot be built here (no compiler, no archives, a name the reference implementation does not have)."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None or shutil.which("nm") is None:
        print("WARNING: no C compiler or nm: numpy keeps OpenBLAS (28 MB); apt-get install gcc", file=sys.stderr)
        return None
    static = archives(folder / "archives")
    if static is None:
        print(f"WARNING: no {' or '.join(PACKAGES)}: numpy keeps OpenBLAS (28 MB); apt-get install "
              f"{' '.join(PACKAGES)}", file=sys.stderr)
        return None
    symbols = imported_symbols(users, original)
    unknown = [symbol for symbol in symbols if reference_name(symbol) is None]
    if not symbols or unknown:
        print(f"WARNING: numpy imports {unknown or 'nothing'} from OpenBLAS: it stays", file=sys.stderr)
        return None
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "support.c").write_text(_SUPPORT, "ascii")
    (folder / "exports.map").write_text("{ global: scipy_*; local: *; };\n", "ascii")
    aliases = []
    for symbol in symbols:
        target = reference_name(symbol)
        aliases += [f"-Wl,--undefined={target}", f"-Wl,--defsym,{symbol}={target}"]
    library = folder / original.name
    soname = _soname(original) or original.name
    subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", str(library), f"-Wl,-soname,{soname}",
                    "-Wl,--version-script=exports.map", "-Wl,--gc-sections", "-Wl,-z,noexecstack",
                    "-Wl,--no-undefined", "support.c", *aliases,
                    "-Wl,--start-group", *map(str, static), "-Wl,--end-group", "-lm"], cwd=folder, check=True)
    missing = set(symbols) - _exports(library)
    if missing:
        raise RuntimeError(f"{library}: {sorted(missing)} not exported")
    return library


def _exports(library: Path) -> set[str]:
    return _symbols(library, "--defined-only")


def _symbols(binary: Path, which: str) -> set[str]:
    """Dynamic symbol names (without version) of ``binary``: ``which`` is --defined-only or --undefined-only."""
    out = subprocess.run([shutil.which("nm") or "nm", "-D", which, "--format=posix", str(binary)],
                         check=True, capture_output=True, text=True).stdout
    return {line.split(" ", 1)[0].split("@", 1)[0] for line in out.splitlines() if line}


def _soname(library: Path) -> str | None:
    out = subprocess.run(["readelf", "-dW", str(library)], capture_output=True, text=True).stdout
    match = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", out)
    return match[1] if match else None


if __name__ == "__main__":
    # python packaging/reference_lapack.py ORIGINAL_OPENBLAS OUT_DIR USER.so...
    built = build_library(Path(sys.argv[1]), [Path(p) for p in sys.argv[3:]], Path(sys.argv[2]))
    if built:
        print(f"{built}: {built.stat().st_size / 1e6:.1f} MB (was {Path(sys.argv[1]).stat().st_size / 1e6:.1f} MB)")
