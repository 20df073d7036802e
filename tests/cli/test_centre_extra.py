"""A plain install is the desktop app; the Centre's server comes with `pip install 'ssd-starter[centre]'`.

Each test runs the real entry point in a fresh process in which the centre extra's packages cannot be imported
(``sys.modules[name] = None`` is how Python itself marks a module as absent: importing it raises
ModuleNotFoundError), as on a machine where only ``pip install ssd-starter`` was run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from ssd_starter.cli.centre import CENTRE_EXTRA

ROOT = Path(__file__).resolve().parents[2]
INSTALL = "pip install 'ssd-starter[centre]'"
WITHOUT_EXTRA = """
import sys
for name in {names!r}:
    sys.modules[name] = None
from ssd_starter.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def without_extra(*args: str, names: frozenset[str] = CENTRE_EXTRA) -> subprocess.CompletedProcess:
    code = WITHOUT_EXTRA.format(names=sorted(names))
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=180,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, cwd=ROOT)


def refused_saying_what_to_install(result: subprocess.CompletedProcess, module: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert INSTALL in line and f"{module} " in line, line


def test_the_extra_is_what_the_centre_imports_and_nothing_the_desktop_needs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    base = " ".join(project["dependencies"]).lower()
    extra = " ".join(project["optional-dependencies"]["centre"]).lower()
    for package in ("fastapi", "uvicorn", "psycopg", "argon2-cffi", "sqlmodel"):
        assert package in extra and package not in base, package
    assert "pyside6-essentials>=6.11,<6.12" in base
    assert "ssd-starter[centre]" in project["optional-dependencies"]["dev"]  # make test runs the Centre's tests


def test_serving_without_the_extra_says_what_to_install(tmp_path: Path) -> None:
    result = without_extra("centre", "serve", "--db", f"sqlite:///{tmp_path / 'centre.sqlite'}")
    refused_saying_what_to_install(result, "uvicorn")


def test_postgresql_without_the_extra_says_what_to_install() -> None:
    result = without_extra("centre", "migrate", "--db", "postgresql://centre@127.0.0.1:9/centre")
    refused_saying_what_to_install(result, "psycopg")


def test_administration_on_sqlite_works_until_it_needs_argon2(tmp_path: Path) -> None:
    """Only what really needs a missing package is refused: migrating and enrolling on SQLite need none."""
    db = f"sqlite:///{tmp_path / 'centre.sqlite'}"
    migrated = without_extra("centre", "migrate", "--db", db)
    assert migrated.returncode == 0, migrated.stderr
    enrolled = without_extra("centre", "enrol", "--district-name", "Val di Non", "--db", db)
    assert enrolled.returncode == 0 and enrolled.stdout.strip(), enrolled.stderr
    refused_saying_what_to_install(without_extra("centre", "advisor", "add", "Anna", "--db", db), "argon2")


def test_the_refusal_is_translated(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'centre.sqlite'}"
    for language, word in (("it", "Centro"), ("de", "Zentrum")):
        result = without_extra("--lang", language, "centre", "serve", "--db", db)
        refused_saying_what_to_install(result, "uvicorn")
        assert word in result.stderr and "which is not installed" not in result.stderr, result.stderr


def test_a_missing_package_of_the_desktop_is_not_blamed_on_the_extra(tmp_path: Path) -> None:
    result = without_extra("centre", "migrate", "--db", f"sqlite:///{tmp_path / 'c.sqlite'}",
                           names=CENTRE_EXTRA | {"alembic"})
    assert result.returncode != 0 and INSTALL not in result.stderr
    assert "ModuleNotFoundError" in result.stderr and "alembic" in result.stderr


def test_the_desktop_app_runs_without_the_extra(tmp_path: Path) -> None:
    """The demo opens every area of the window, takes its screenshots and writes the dossier."""
    result = without_extra("demo", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(written) >= 5 and all(path.is_file() for path in written), result.stdout
    listed = without_extra("district", "list", "--json")
    assert listed.returncode == 0 and "Val" in listed.stdout, listed.stderr


def test_the_centres_own_installs_take_the_extra() -> None:
    """The image and the README's host install would start a server without its packages otherwise."""
    dockerfile = (ROOT / "packaging" / "centre" / "Dockerfile").read_text("utf-8")
    [install] = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert '"/src[centre]"' in install, install
    readme = (ROOT / "README.md").read_text("utf-8")
    [host] = [line for line in readme.splitlines() if "/opt/ssd-centre/venv/bin/pip install" in line]
    assert "[centre]" in host, host
