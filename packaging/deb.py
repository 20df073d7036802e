"""The Debian package of the one-folder bundle, and a check of it installed (`make package` runs both).

    python packaging/deb.py build [--bundle dist/ssd-starter] [--out dist]   # dist/ssd-starter_<version>_<arch>.deb
    python packaging/deb.py check dist/ssd-starter_<version>_<arch>.deb

The package holds the bundle under /opt/ssd-starter, the command /usr/bin/ssd-starter (a link to the bundle's
executable), the desktop entry, the icon and the AppStream metainfo where Debian looks for them, and
/usr/share/doc/ssd-starter/copyright. Its control file comes from packaging/debian/control.in: name, version,
summary and homepage from pyproject.toml, the long description from the metainfo, and Depends read off the
bundle itself: every shared library a binary in it needs that the bundle does not carry, found on this system
and named by the Debian package that holds it (dpkg -S); one not installed here (Qt's libxcb-icccm.so.4, say)
by Debian's naming rule (libxcb-icccm4), confirmed in apt's package lists. glibc gets the newest symbol
version any binary asks for.

`check` installs the package (apt-get as root, so that its Depends are really resolved; else it unpacks it with
dpkg-deb -x into a temporary folder), runs the installed `ssd-starter --version` and the headless `ssd-starter
demo` (packaging/smoke-test.sh), checks where the files went, and removes it again.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / "ssd-starter.desktop"
METAINFO = PACKAGING / "org.ssdstarter.SSDStarter.metainfo.xml"
ICON = ROOT / "ssd_starter" / "resources" / "icons" / "ssd-starter.svg"
CONTROL_TEMPLATE = PACKAGING / "debian" / "control.in"
COPYRIGHT = PACKAGING / "debian" / "copyright"
APP_DIR = "opt/ssd-starter"
# No public address yet: `.invalid` is reserved (RFC 2606) so nobody's mailbox is named by mistake
DEFAULT_MAINTAINER = "SSD Starter developers <maintainers@ssd-starter.invalid>"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

def installed_paths() -> dict[str, Path]:
    """Where each file goes in the installed system (the freedesktop and AppStream specifications, Policy 12.5)."""
    return {
        "usr/share/applications/ssd-starter.desktop": DESKTOP,
        "usr/share/icons/hicolor/scalable/apps/ssd-starter.svg": ICON,
        f"usr/share/metainfo/{METAINFO.name}": METAINFO,
        "usr/share/doc/ssd-starter/copyright": COPYRIGHT,
    }


@dataclass(frozen=True)
class Project:
    package: str
    version: str
    summary: str
    homepage: str


def project() -> Project:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return Project(meta["name"], meta["version"], meta["description"], meta["urls"]["Homepage"])


# -- the control file -------------------------------------------------------------------------------------

def long_description(metainfo: Path = METAINFO) -> list[str]:
    """The metainfo's English description as Debian writes one: paragraphs split by " .", items as " * ..."."""
    description = ET.parse(metainfo).getroot().find("description")
    assert description is not None
    paragraphs: list[list[str]] = []
    for element in description:
        if element.get(XML_LANG):
            continue
        if element.tag == "p":
            paragraphs.append(_wrapped(" ".join((element.text or "").split()), 75))
        elif element.tag == "ul":
            paragraphs.append([line for item in element.findall("li")
                               for line in _wrapped("* " + " ".join((item.text or "").split()), 75, "  ")])
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append(".")
        lines += paragraph
    return [" " + line for line in lines]


def _wrapped(text: str, width: int, indent: str = "") -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = indent + word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def control(depends: Iterable[str], installed_size_kib: int, architecture: str,
            maintainer: str = DEFAULT_MAINTAINER) -> str:
    about = project()
    return CONTROL_TEMPLATE.read_text("utf-8").format(
        package=about.package, version=about.version, architecture=architecture, maintainer=maintainer,
        installed_size=installed_size_kib, depends=", ".join(depends), homepage=about.homepage,
        summary=about.summary, description="\n".join(long_description()))


# -- what the bundle needs from the system ----------------------------------------------------------------

def elf_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                if file.read(4) == b"\x7fELF":
                    yield path


def _readelf(path: Path, option: str) -> str:
    return subprocess.run(["readelf", "-W", option, str(path)], capture_output=True, text=True, check=True).stdout


def needed_from_the_system(bundle: Path) -> tuple[set[str], str | None]:
    """The sonames the bundle's binaries need that it does not carry, and the newest GLIBC_ version asked."""
    carried = {path.name for path in bundle.rglob("*")}
    needed: set[str] = set()
    glibc: list[tuple[int, ...]] = []
    for path in elf_files(bundle):
        needed.update(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", _readelf(path, "-d")))
        glibc += [tuple(int(n) for n in v.split(".")) for v in re.findall(r"Name: GLIBC_([0-9.]+)",
                                                                            _readelf(path, "-V"))]
    newest = ".".join(map(str, max(glibc))) if glibc else None
    return needed - carried, newest


def _system_library_paths() -> dict[str, list[str]]:
    """soname -> the files the dynamic loader would find for it (ldconfig's cache)."""
    found: dict[str, list[str]] = {}
    for line in subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout.splitlines():
        match = re.match(r"\s*(\S+) \([^)]*\) => (\S+)$", line)
        if match:
            found.setdefault(match[1], []).append(match[2])
    return found


def _owner(path: str) -> str | None:
    candidates = [path, os.path.realpath(path)]
    candidates += ["/usr" + p for p in list(candidates) if p.startswith(("/lib/", "/lib64/"))]
    for candidate in candidates:
        result = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def package_by_name(soname: str) -> str:
    """Debian Policy 8.1: libfoo.so.N is in libfooN, libfoo2.so.N (a name ending in a digit) in libfoo2-N."""
    match = re.fullmatch(r"lib(.+)\.so\.(\d+)(?:\.\d+)*", soname)
    if match is None:
        raise ValueError(soname)
    name, number = match[1].lower().replace("_", "-"), match[2]
    return f"lib{name}-{number}" if name[-1].isdigit() else f"lib{name}{number}"


def _known_to_apt(package: str) -> bool:
    return shutil.which("apt-cache") is not None and subprocess.run(
        ["apt-cache", "show", package], capture_output=True).returncode == 0


def depends(sonames: Iterable[str], glibc: str | None) -> list[str]:
    paths = _system_library_paths()
    packages: set[str] = set()
    missing = []
    for soname in sorted(sonames):
        owner = next((o for o in map(_owner, paths.get(soname, [])) if o), None)
        if owner is None:
            guess = package_by_name(soname)
            if not _known_to_apt(guess):
                missing.append(f"{soname} (not installed here; no package {guess} in apt's lists)")
                continue
            owner = guess
        packages.add(owner)
    if missing:
        raise SystemExit("deb: cannot name the package of: " + "; ".join(missing))
    return sorted(f"{p} (>= {glibc})" if p == "libc6" and glibc else p for p in packages)


# -- building ------------------------------------------------------------------------------------------

def stage(bundle: Path, root: Path) -> None:
    shutil.copytree(bundle, root / APP_DIR, symlinks=True)
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin/ssd-starter").symlink_to(f"/{APP_DIR}/ssd-starter")
    for target, source in installed_paths().items():
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / target)
    for path in [root, *root.rglob("*")]:  # the modes Debian expects, whatever the umask and the bundle had
        if path.is_symlink():
            continue
        executable = path.is_dir() or path.stat().st_mode & 0o111
        path.chmod(0o755 if executable else 0o644)


def installed_size_kib(root: Path) -> int:
    return sum((p.lstat().st_size + 1023) // 1024 for p in root.rglob("*")) + 1


def architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()


def build(bundle: Path, out: Path, maintainer: str) -> Path:
    if not (bundle / "ssd-starter").is_file():
        raise SystemExit(f"deb: no bundle at {bundle}: build it first (make package)")
    about = project()
    arch = architecture()
    sonames, glibc = needed_from_the_system(bundle)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        stage(bundle, root)
        (root / "DEBIAN").mkdir(mode=0o755)
        (root / "DEBIAN/control").write_text(control(depends(sonames, glibc), installed_size_kib(root), arch,
                                                     maintainer), "utf-8")
        out.mkdir(parents=True, exist_ok=True)
        deb = out / f"{about.package}_{about.version}_{arch}.deb"
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)], check=True,
                       stdout=subprocess.DEVNULL)
    print(f"built {deb.relative_to(Path.cwd()) if deb.is_relative_to(Path.cwd()) else deb}: "
          f"{deb.stat().st_size / 1e6:.1f} MB")
    print(subprocess.run(["dpkg-deb", "--field", str(deb), "Depends"], capture_output=True, text=True,
                         check=True).stdout.strip().replace(", ", ",\n    ").join(("Depends:\n    ", "")))
    return deb


# -- the installed package -----------------------------------------------------------------------------------

def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


def _startup(executable: str, env: dict[str, str], runs: int = 5) -> tuple[str, float]:
    first = _run([executable, "--version"], env=env, timeout=60)
    if first.returncode != 0:
        raise SystemExit(f"deb: `{executable} --version` failed:\n{first.stderr}")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        _run([executable, "--version"], env=env, timeout=60, check=True)
        times.append(time.perf_counter() - start)
    return first.stdout.strip(), statistics.median(times)


def _check_installed(prefix: Path, executable: str, env: dict[str, str]) -> None:
    for target in [*installed_paths(), f"{APP_DIR}/ssd-starter", "usr/bin/ssd-starter"]:
        if not (prefix / target).exists() and not (prefix / target).is_symlink():
            raise SystemExit(f"deb: /{target} was not installed")
    version, seconds = _startup(executable, env)
    expected = f"ssd-starter {project().version}"
    if version != expected:
        raise SystemExit(f"deb: `ssd-starter --version` printed {version!r}, not {expected!r}")
    print(f"installed `ssd-starter --version`: {version!r}, median of 5 runs {seconds * 1000:.0f} ms")
    smoke = _run(["sh", str(PACKAGING / "smoke-test.sh"), executable], env=env, timeout=600)
    print(smoke.stdout.strip() or smoke.stderr.strip())
    if smoke.returncode != 0:
        raise SystemExit(f"deb: the installed `ssd-starter demo` failed:\n{smoke.stdout}\n{smoke.stderr}")
    for tool, args in (("desktop-file-validate", ["usr/share/applications/ssd-starter.desktop"]),
                       ("appstreamcli", ["validate", "--no-net", f"usr/share/metainfo/{METAINFO.name}"])):
        if shutil.which(tool):
            argv = [tool, *[str(prefix / a) if a.startswith("usr/") else a for a in args]]
            result = _run(argv, timeout=120)
            if result.returncode != 0:
                raise SystemExit(f"deb: {' '.join(argv)}:\n{result.stdout}{result.stderr}")


def check(deb: Path) -> None:
    package = project().package
    env = {"PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir(), "QT_QPA_PLATFORM": "offscreen"}
    if os.geteuid() == 0 and shutil.which("apt-get"):
        already = _run(["dpkg-query", "-W", "-f=${Status}", package]).stdout.startswith("install ok")
        if already:
            raise SystemExit(f"deb: {package} is already installed here; remove it first (apt-get remove {package})")
        installed = _run(["apt-get", "install", "-y", "-q", "--no-install-recommends", str(deb.resolve())],
                         env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, timeout=900)
        if installed.returncode == 0:
            try:
                print(f"apt-get installed {deb.name}")
                _check_installed(Path("/"), "/usr/bin/ssd-starter", env)
            finally:
                removed = _run(["apt-get", "purge", "-y", "-q", package],
                               env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, timeout=600)
                gone = not Path(f"/{APP_DIR}").exists() and not Path("/usr/bin/ssd-starter").is_symlink()
                print(f"apt-get purge {package}: {'removed, /opt/ssd-starter gone' if gone else 'FAILED'}")
                if removed.returncode != 0 or not gone:
                    raise SystemExit(f"deb: removing {package} failed:\n{removed.stdout}{removed.stderr}")
            return
        print(f"apt-get could not install {deb.name} (offline, or a dependency missing):\n"
              f"{installed.stderr.strip()}\nchecking the unpacked package instead", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp)
        subprocess.run(["dpkg-deb", "-x", str(deb), str(prefix)], check=True)
        print(f"dpkg-deb -x {deb.name} into a temporary folder (not root, or apt-get failed)")
        _check_installed(prefix, str(prefix / APP_DIR / "ssd-starter"), env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    actions = parser.add_subparsers(dest="action", required=True)
    built = actions.add_parser("build")
    built.add_argument("--bundle", type=Path, default=Path("dist/ssd-starter"))
    built.add_argument("--out", type=Path, default=Path("dist"))
    built.add_argument("--maintainer", default=os.environ.get("DEB_MAINTAINER") or DEFAULT_MAINTAINER)
    checked = actions.add_parser("check")
    checked.add_argument("deb", type=Path, nargs="?", help="default: what `build` wrote in dist/")
    args = parser.parse_args(argv)
    if args.action == "build":
        build(args.bundle, args.out, args.maintainer)
    else:
        about = project()
        check(args.deb or Path("dist") / f"{about.package}_{about.version}_{architecture()}.deb")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
