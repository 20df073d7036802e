"""The release packaging (packaging/, `make package`): metadata kept in step with the code, the Debian control
file, the ICU data and stripping the bundle uses, and checks of the PyInstaller bundle when one has been built
(make test does not build it; make package does, with the .deb, and installs, runs and removes that)."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import ssd_starter

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / "ssd-starter.desktop"
METAINFO = PACKAGING / "org.ssdstarter.SSDStarter.metainfo.xml"
ICON = ROOT / "ssd_starter" / "resources" / "icons" / "ssd-starter.svg"
SITE = Path(__import__("PySide6").__file__).resolve().parent.parent  # the site-packages the app runs from
sys.path.insert(0, str(PACKAGING))
import deb  # noqa: E402
import icu_data  # noqa: E402
import reference_lapack  # noqa: E402
import strip_binaries  # noqa: E402

BUNDLE_DIR = ROOT / "dist" / "ssd-starter"
BUNDLE = BUNDLE_DIR / ("ssd-starter.exe" if sys.platform == "win32" else "ssd-starter")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

needs_bundle = pytest.mark.skipif(
    not BUNDLE.is_file(), reason=f"no bundle at {BUNDLE.relative_to(ROOT)}: `make package` builds and tests it")


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


# -- metadata -------------------------------------------------------------------------------------

def test_metainfo_matches_the_package() -> None:
    component = ET.parse(METAINFO).getroot()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert component.get("type") == "desktop-application"
    assert METAINFO.name == f"{component.findtext('id')}.metainfo.xml"
    assert component.findtext("name") == ssd_starter.APP_NAME
    assert component.findtext("project_license") == pyproject["project"]["license"]
    assert component.findtext("metadata_license") == "CC0-1.0"
    newest = component.find("releases/release")
    assert newest is not None and newest.get("version") == ssd_starter.__version__ == pyproject["project"]["version"]
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert component.findtext("provides/binary") == ssd_starter.APP_ID
    summaries = {s.get(XML_LANG, "en") for s in component.findall("summary")}
    assert summaries == {"en", "it", "de"}


def test_desktop_entry_launches_the_bundle_with_its_icon() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == ssd_starter.APP_ID
    assert entry["Terminal"] == "false"
    assert ICON.name == f"{entry['Icon']}.svg"  # the window's icon (app.application_icon) and the installed one
    for key in ("Name", "Comment"):
        assert all(entry.get(f"{key}{suffix}") for suffix in ("", "[it]", "[de]")), key
    root = ET.parse(ICON).getroot()
    assert root.get("viewBox") == "0 0 256 256"


def test_the_desktop_id_is_the_desktop_files_and_the_windows() -> None:
    """Software centres join the metainfo to the entry by the desktop-id; Wayland joins the window to it by the
    desktop file name the app sets."""
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert f'setDesktopFileName("{DESKTOP.stem}")' in (ROOT / "ssd_starter" / "app.py").read_text("utf-8")
    assert _desktop_entry()["StartupWMClass"] == ssd_starter.APP_ID


def _matrix_names() -> list[re.Pattern[str]]:
    """The file names the screenshot tests write (tests/ui: save_screenshot(..., f"main-{language}-{key}.png"))."""
    patterns = []
    for path in (ROOT / "tests" / "ui").glob("test_*.py"):
        for name in re.findall(r'save_screenshot\([^,]+, f?"([^"]+\.png)"', path.read_text("utf-8")):
            patterns.append(re.compile("^" + re.sub(r"\\{[^}]+\\}", "[A-Za-z0-9_-]+", re.escape(name)) + "$"))
    return patterns


def test_the_metainfo_shows_screenshots_from_the_screenshot_tests() -> None:
    component = ET.parse(METAINFO).getroot()
    homepage = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["urls"]["Homepage"]
    assert component.findtext("url[@type='homepage']") == homepage
    shots = component.findall("screenshots/screenshot")
    assert len(shots) >= 3 and [s.get("type") for s in shots].count("default") == 1
    matrix = _matrix_names()
    for shot in shots:
        assert {c.get(XML_LANG, "en") for c in shot.findall("caption")} == {"en", "it", "de"}
        [image] = shot.findall("image")
        url = image.text or ""
        base = homepage.replace("https://github.com/", "https://raw.githubusercontent.com/") + "/main/"
        assert url.startswith(base + "packaging/screenshots/"), url
        copy = ROOT / url.removeprefix(base)
        name = copy.name
        assert any(p.match(name) for p in matrix), f"{name} is not a picture the screenshot tests write"
        data = copy.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert (image.get("width"), image.get("height")) == (str(width), str(height))
        assert width >= 1248 and width / height <= 16 / 9 + 0.01, (name, width, height)  # Flathub's minimum


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (apt-get install desktop-file-utils)")
def test_desktop_entry_is_valid() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed (apt-get install appstream)")
def test_metainfo_is_valid() -> None:
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


# -- the Debian package (packaging/deb.py; make package builds, installs and removes it) -------------------

def _fields(control: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    key = ""
    for line in control.rstrip("\n").split("\n"):
        assert line, "an empty line ends a Debian control paragraph"
        if line[0] in " \t":
            fields[key] += "\n" + line
        else:
            key, _, value = line.partition(": ")
            fields[key] = value
    return fields


def test_the_control_file_is_the_packages() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    text = deb.control(["libc6 (>= 2.35)", "libxcb-icccm4"], 163_000, "amd64")
    fields = _fields(text)
    assert fields["Package"] == project["name"] == ssd_starter.APP_ID
    assert fields["Version"] == project["version"] == ssd_starter.__version__
    assert fields["Architecture"] == "amd64" and fields["Installed-Size"] == "163000"
    assert fields["Depends"] == "libc6 (>= 2.35), libxcb-icccm4"
    assert fields["Homepage"] == project["urls"]["Homepage"]
    assert re.fullmatch(r"[^<>]+ <[^@<>\s]+@[^@<>\s]+>", fields["Maintainer"])
    summary, *body = fields["Description"].split("\n")
    assert summary == project["description"] and len(summary) <= 80
    assert body and all(line.startswith(" ") and len(line) <= 80 for line in body)
    assert "Law 13/2010" in fields["Description"] and " * A founding charter" in fields["Description"]


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is Debian's")
def test_dpkg_deb_accepts_the_control_file(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "DEBIAN").mkdir(parents=True)
    (root / "DEBIAN" / "control").write_text(deb.control(["libc6 (>= 2.35)"], 1, "amd64"), "utf-8")
    built = subprocess.run(["dpkg-deb", "--root-owner-group", "--build", str(root), str(tmp_path / "x.deb")],
                           capture_output=True, text=True, timeout=60)
    assert built.returncode == 0 and "warning" not in built.stderr, built.stderr
    info = subprocess.run(["dpkg-deb", "--field", str(tmp_path / "x.deb"), "Package", "Version"],
                          capture_output=True, text=True, check=True).stdout
    assert info.split() == ["Package:", "ssd-starter", "Version:", ssd_starter.__version__]


def test_the_files_go_where_debian_looks_for_them() -> None:
    paths = deb.installed_paths()
    entry = _desktop_entry()
    component = ET.parse(METAINFO).getroot()
    assert paths[f"usr/share/applications/{DESKTOP.name}"] == DESKTOP
    assert paths[f"usr/share/icons/hicolor/scalable/apps/{entry['Icon']}.svg"] == ICON
    assert paths[f"usr/share/metainfo/{component.findtext('id')}.metainfo.xml"] == METAINFO
    assert paths["usr/share/doc/ssd-starter/copyright"].read_text("utf-8").startswith("Format: https://www.debian")
    assert entry["Exec"].split()[0] == Path(deb.APP_DIR).name  # /usr/bin/ssd-starter, on PATH


def test_debian_names_a_library_package_after_its_soname() -> None:
    """Policy 8.1, for the libraries not installed where the package is built (Qt's xcb plugin needs them)."""
    assert deb.package_by_name("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert deb.package_by_name("libxcb-keysyms.so.1") == "libxcb-keysyms1"
    assert deb.package_by_name("libwayland-cursor.so.0") == "libwayland-cursor0"
    assert deb.package_by_name("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert deb.package_by_name("libgcc_s.so.1") == "libgcc-s1"


@pytest.mark.skipif(shutil.which("dpkg-query") is None or shutil.which("apt-cache") is None,
                    reason="Debian's dpkg and apt")
def test_depends_names_the_debian_packages_of_the_libraries() -> None:
    found = deb.depends(["libc.so.6", "libxcb.so.1", "libxcb-icccm.so.4", "libz.so.1"], "2.35")
    assert found == ["libc6 (>= 2.35)", "libxcb-icccm4", "libxcb1", "zlib1g"]
    with pytest.raises(SystemExit, match="libno-such-thing.so.7"):
        deb.depends(["libno-such-thing.so.7"], None)


# -- ICU's data and the stripped binaries (packaging/icu_data.py, packaging/strip_binaries.py) ---------------

ICU = next(iter((SITE / "PySide6" / "Qt" / "lib").glob("libicudata.so.*")), None)
needs_icu = pytest.mark.skipif(ICU is None or icu_data.compiler() is None or not sys.platform.startswith("linux"),
                               reason="PySide6's ICU data library and a C compiler (Linux)")
COLLATION = r"""
from PySide6.QtCore import QCollator, QLocale
words = ["Zebra", "Äpfel", "apfel", "Öl", "Ober", "Ärger", "Arm", "città", "citta", "Übel", "Straße", "Ångström"]
for name in ("de_DE", "it_IT", "en_GB", "sv_SE"):
    print(name, " ".join(sorted(words, key=QCollator(QLocale(name)).sortKey)))
"""


def _collation(preload: Path | None = None) -> dict[str, str]:
    env = {**os.environ, **({"LD_PRELOAD": str(preload)} if preload else {})}
    out = subprocess.run([sys.executable, "-c", COLLATION], capture_output=True, text=True, env=env, timeout=60,
                         check=True).stdout
    return dict(line.split(" ", 1) for line in out.splitlines())


def test_icu_keeps_the_apps_languages_only() -> None:
    assert icu_data.wanted("icudt73l/coll/de.res") and icu_data.wanted("icudt73l/coll/de__PHONEBOOK.res")
    assert icu_data.wanted("icudt73l/it_IT.res") and icu_data.wanted("icudt73l/en_150.res")
    assert icu_data.wanted("icudt73l/coll/root.res") and icu_data.wanted("icudt73l/coll/ucadata.icu")
    assert icu_data.wanted("icudt73l/zone/pool.res") and icu_data.wanted("icudt73l/supplementalData.res")
    assert icu_data.wanted("icudt73l/brkitr/line.brk") and icu_data.wanted("icudt73l/ibm-5348_P100-1997.cnv")
    assert not icu_data.wanted("icudt73l/coll/zh.res") and not icu_data.wanted("icudt73l/sv_SE.res")
    assert not icu_data.wanted("icudt73l/brkitr/cjdict.dict") and not icu_data.wanted("icudt73l/translit/root.res")
    assert not icu_data.wanted("icudt73l/gb18030.cnv")


@needs_icu
def test_trimmed_icu_sorts_as_the_whole_in_the_apps_languages(tmp_path: Path) -> None:
    """Loaded in place of the wheel's (LD_PRELOAD, the soname is the same): German, Italian and English sort as
    before; Swedish, whose rules are gone, falls back to the root order, which shows the trimmed data is in use."""
    library = icu_data.build_library(ICU, tmp_path)
    assert library.stat().st_size < ICU.stat().st_size / 4
    whole, trimmed = _collation(), _collation(library)
    assert whole["de_DE"].startswith("Ångström apfel Äpfel Ärger Arm")
    assert {k: trimmed[k] for k in ("de_DE", "it_IT", "en_GB")} == {k: whole[k] for k in ("de_DE", "it_IT", "en_GB")}
    assert whole["sv_SE"] != trimmed["sv_SE"] == trimmed["de_DE"]


@needs_icu
def test_the_icu_package_reads_back_as_written() -> None:
    elf = ICU.read_bytes()
    _symbol, offset, size = icu_data._data_symbol(elf)
    package = icu_data.read_package(elf[offset:offset + size])
    again = icu_data.read_package(icu_data.write_package(package))
    assert again.header == package.header and list(again.items) == sorted(package.items)
    assert all(again.items[name].rstrip(b"\0") == item.rstrip(b"\0") for name, item in package.items.items())


@pytest.mark.skipif(shutil.which("strip") is None or not sys.platform.startswith("linux"), reason="binutils' strip")
def test_stripping_keeps_a_library_loadable_or_leaves_it(tmp_path: Path) -> None:
    import ctypes

    pdfium = SITE / "pypdfium2_raw" / "libpdfium.so"
    copy = strip_binaries.stripped(pdfium, tmp_path)
    assert copy != pdfium and copy.stat().st_size < pdfium.stat().st_size
    assert ctypes.CDLL(str(copy)).FPDF_InitLibrary is not None
    # auditwheel's patchelf moved OpenBLAS's segments: strip would misalign them ("not page-aligned")
    openblas = next((SITE / "numpy.libs").glob("libscipy_openblas*.so"), None)
    if openblas is not None:
        assert strip_binaries.stripped(openblas, tmp_path) == openblas


# -- the built bundle ------------------------------------------------------------------------------

@needs_bundle
def test_bundle_carries_every_data_file() -> None:
    """Every file the app reads from its package folder at run time; one added since the build is not a fault."""
    package = ROOT / "ssd_starter"
    wanted = [p for p in (package / "resources").rglob("*") if p.is_file()]
    wanted += list((package / "store" / "migrations" / "versions").glob("*.py"))
    wanted += [package / "store" / "migrations" / "env.py", package / "store" / "migrations" / "script.py.mako"]
    wanted += list(package.glob("locale/*/LC_MESSAGES/*.mo"))
    internal = BUNDLE_DIR / "_internal"
    missing = [p for p in wanted if not (internal / p.relative_to(ROOT)).is_file()]
    built = BUNDLE.stat().st_mtime
    if missing and all(p.stat().st_mtime > built for p in missing):
        pytest.skip(f"{len(missing)} data files are newer than the bundle: rebuild it with `make package`")
    assert not [str(p.relative_to(ROOT)) for p in missing if p.stat().st_mtime <= built]
    assert len(list(package.glob("locale/*/LC_MESSAGES/*.mo"))) >= 3


def _bundled_modules() -> set[str]:
    readers = pytest.importorskip("PyInstaller.archive.readers")  # make package installs PyInstaller
    archive = readers.CArchiveReader(str(BUNDLE))
    return set(archive.open_embedded_archive("PYZ.pyz").toc)


@needs_bundle
def test_the_bundle_is_the_desktop_app_without_the_server() -> None:
    from ssd_starter.cli.centre import CENTRE_EXTRA

    modules = _bundled_modules()
    assert {"ssd_starter.app", "ssd_starter.ui.main_window", "ssd_starter.centre.advisor_client"} <= modules
    assert not {m for m in modules if m.split(".")[0] in CENTRE_EXTRA | {"pytest", "click", "rich", "pygments"}}
    assert not {"ssd_starter.centre.app", "ssd_starter.centre.advisor_api"} & modules
    internal = BUNDLE_DIR / "_internal"
    plugins = {str(p.relative_to(internal / "PySide6/Qt/plugins")) for p in (internal / "PySide6/Qt/plugins").rglob("*.so")}
    assert {"platforms/libqxcb.so", "platforms/libqwayland.so", "platforms/libqoffscreen.so",
            "iconengines/libqsvgicon.so", "imageformats/libqsvg.so"} <= plugins
    assert not {p for p in plugins if re.search(r"eglfs|vnc|linuxfb|gtk3|tiff|webp|evdev|tuio", p)}
    # the system's own libraries come from the system (the .deb's Depends), the wheels' from the bundle
    assert not list(internal.glob("libstdc++.so*")) and not list(internal.glob("libX11.so*"))
    assert list((internal / "PySide6/Qt/lib").glob("libQt6Core.so*"))


@needs_bundle
@needs_icu
def test_the_bundles_icu_is_trimmed_and_sorts_german() -> None:
    bundled = next((BUNDLE_DIR / "_internal" / "PySide6" / "Qt" / "lib").glob("libicudata.so.*"))
    assert bundled.stat().st_size < 10_000_000 < ICU.stat().st_size
    assert _collation(bundled)["de_DE"] == _collation()["de_DE"]


@pytest.mark.slow
@needs_bundle
def test_bundle_runs_the_demo_without_python(tmp_path: Path) -> None:
    """The frozen app in a bare environment: no Python on PATH, no PYTHONPATH, nothing from the venv."""
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    assert shutil.which("python3", path=str(empty_bin)) is None
    assert shutil.which("python", path=str(empty_bin)) is None
    out = tmp_path / "out"
    env = {
        "PATH": str(empty_bin),
        "HOME": str(tmp_path),
        "SSD_STARTER_DATA_DIR": str(tmp_path / "data"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    if sys.platform == "win32":  # Windows cannot start a process without these
        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "TEMP", "TMP") if k in os.environ})
    result = subprocess.run([str(BUNDLE), "demo", "--out", str(out)], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    written = [Path(line) for line in result.stdout.splitlines() if line.strip()]
    assert all(path.is_file() and path.stat().st_size > 0 for path in written), result.stdout
    screenshots = sorted(out.glob("en-*.png"))
    assert len(screenshots) >= 5
    assert all(path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for path in screenshots)
    assert (out / "en-dossier.pdf").read_bytes()[:5] == b"%PDF-"
    assert (tmp_path / "data").is_dir()  # the data folder came from the environment, not the user's


def test_numpy_runs_on_the_reference_blas_the_bundle_takes_instead_of_openblas(tmp_path: Path) -> None:
    """The bundle's numpy.libs/libscipy_openblas64_* is rebuilt from the reference BLAS/LAPACK
    (packaging/reference_lapack.py): every name numpy imports exported under the same soname, and numpy
    loaded against it (LD_PRELOAD) computes products and solves systems right."""
    numpy_dir = SITE / "numpy"
    [openblas] = [p for p in (SITE / "numpy.libs").iterdir() if reference_lapack.is_openblas(f"numpy.libs/{p.name}")]
    users = sorted(numpy_dir.rglob("*.so"))
    built = reference_lapack.build_library(openblas, users, tmp_path / "lapack")
    if built is None:
        pytest.skip("no compiler, nm or Debian's libblas64-dev/liblapack64-dev archives here")
    wanted = reference_lapack.imported_symbols(users, openblas)
    assert len(wanted) > 40 and set(wanted) <= reference_lapack._exports(built)
    assert built.stat().st_size < 3_000_000  # OpenBLAS: 25 MB
    check = ("import numpy as np, numpy.linalg as la; a = np.array([[3., 1.], [1., 2.]]); "
             "assert np.allclose(a @ la.solve(a, [9., 8.]), [9., 8.]); assert np.allclose(la.det(a), 5.0); "
             "print('ok')")
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "LD_PRELOAD": str(built)})
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
