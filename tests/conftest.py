from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from ssd_starter import i18n  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", default=False, help="run the long tests too")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="long test: run with --run-slow (make test does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder and starts in English."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SSD_STARTER_DATA_DIR", str(folder))
    i18n.set_language("en")
    yield folder
    i18n.set_language("en")


@pytest.fixture
def store(data_dir: Path):
    from ssd_starter.store import Store

    opened = Store.open()
    yield opened
    opened.close()


@pytest.fixture
def demo_store(store):
    from ssd_starter.demo import load_demo

    district_id = load_demo(store)
    store.demo_id = district_id
    return store


@pytest.fixture
def district(store) -> str:
    """An empty district in the test's store; its id."""
    from ssd_starter.store.districts import create_district

    insert = create_district("Test")
    store.apply(insert)
    return insert.values["id"]
