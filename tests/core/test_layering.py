"""core/ and store/ must work without Qt; the CLI's fast paths must not load heavy modules."""

import subprocess
import sys

BLOCK_QT = "import sys; sys.modules['PySide6'] = None; sys.modules['shiboken6'] = None\n"


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_core_and_store_import_without_qt():
    result = run(BLOCK_QT + "import ssd_starter.core.models, ssd_starter.core.districts, ssd_starter.store, "
                 "ssd_starter.store.edits, ssd_starter.store.backup, ssd_starter.store.districts, ssd_starter.cli\n"
                 "print('ok')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_core_never_imports_qt_or_the_store():
    result = run("import sys, ssd_starter.core.models, ssd_starter.core.districts, ssd_starter.core.stakeholders\n"
                 "bad = [m for m in sys.modules if m.startswith(('PySide6', 'ssd_starter.store', 'ssd_starter.ui'))]\n"
                 "print(bad)")
    assert result.stdout.strip() == "[]", result.stderr


def test_cli_start_does_not_import_qt_alembic_or_reportlab():
    result = run("import sys\nfrom ssd_starter import cli\ncli.build_parser()\n"
                 "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'alembic', 'reportlab', 'sqlmodel'}))")
    assert result.stdout.strip() == "[]", result.stderr
