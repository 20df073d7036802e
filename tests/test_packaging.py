"""The release packaging (packaging/, `make package`): metadata kept in step with the code, and a smoke test
of the PyInstaller bundle when one has been built (make test does not build it; make package does)."""

from __future__ import annotations

import configparser
import os
import shutil
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
    assert (PACKAGING / f"{entry['Icon']}.svg").is_file()
    for key in ("Name", "Comment"):
        assert all(entry.get(f"{key}{suffix}") for suffix in ("", "[it]", "[de]")), key
    root = ET.parse(PACKAGING / f"{entry['Icon']}.svg").getroot()
    assert root.get("viewBox") == "0 0 256 256"


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
