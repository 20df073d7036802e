"""Several installations in one test: each its own SQLite file, its own key and its own device id, all talking
to one real Centre over loopback (or handing each other bundles)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ssd_starter.core.models import SYNCABLE_TABLES, table_of
from ssd_starter.store import Store
from ssd_starter.store.edits import jsonable
from ssd_starter.sync.identity import Identity
from tests.sync.test_bundle import other_identity


@dataclass
class Device:
    """One promoter's laptop."""

    name: str
    store: Store
    identity: Identity
    folder: Path
    bundles: int = field(default=0)

    @classmethod
    def make(cls, folder: Path, name: str) -> Device:
        from ssd_starter.store.devices import set_device_name

        folder.mkdir(parents=True, exist_ok=True)
        store = Store(folder / "ssd-starter.sqlite")
        set_device_name(store, name)
        return cls(name, store, other_identity(folder), folder)

    @property
    def id(self) -> str:
        return self.store.device_id

    def sync(self, centre_url: str, district_id: str, **options: Any):
        from ssd_starter.sync.client import sync

        return sync(self.store, district_id, centre_url, self.identity, **options)

    def enrol(self, centre, district_id: str):
        from ssd_starter.centre import store as centre_store

        return self.sync(centre.url, district_id, token=centre_store.enrol(centre.engine, self.name))

    def invite(self, centre_url: str, district_id: str) -> str:
        from ssd_starter.sync.devices import invite

        return invite(self.store, district_id, self.identity, url=centre_url).code

    def join(self, centre_url: str, code: str):
        from ssd_starter.sync.devices import join

        return join(self.store, centre_url, code, self.identity)

    def write_bundle(self, district_id: str) -> Path:
        from ssd_starter.sync.bundle import write_bundle

        self.bundles += 1
        path = self.folder / f"{self.name}-{self.bundles}.ssdbundle"
        write_bundle(self.store, district_id, path, self.identity)
        return path

    def import_bundle(self, path: Path):
        from ssd_starter.sync.bundle import import_bundle

        return import_bundle(self.store, path, self.identity)

    def close(self) -> None:
        self.store.close()


def canonical(store: Store, district_id: str) -> dict[str, list[str]]:
    """Every syncable row of the district, table by table, as sorted JSON text: equal on two installations
    exactly when they hold the very same copies."""
    from sqlalchemy import select

    from ssd_starter.core.models import district_column

    dump: dict[str, list[str]] = {}
    with store.read() as conn:
        for name, model in SYNCABLE_TABLES.items():
            table = table_of(model)
            rows = conn.execute(select(table).where(district_column(table) == district_id)).mappings()
            dump[name] = sorted(json.dumps({k: jsonable(v) for k, v in dict(row).items()}, sort_keys=True)
                                for row in rows)
    return dump


def canonical_at_centre(engine, district_id: str) -> dict[str, list[str]]:
    """The same dump of what the Centre holds (its rows' data as the devices sent them)."""
    from ssd_starter.centre import store as centre_store

    return {name: sorted(json.dumps(row, sort_keys=True) for row in centre_store.district_rows(engine, district_id,
                                                                                           name))
            for name in SYNCABLE_TABLES}
