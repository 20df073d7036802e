"""Files dropped on the window are imported where they belong: a spreadsheet or graph file into the actor map
(the import wizard), a bundle into Sync, a training pack into Training."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QMimeData

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_


class Dropped(StrEnum):
    SPREADSHEET = "map"
    BUNDLE = "sync"
    TRAINING_PACK = "training"


KINDS = {".csv": Dropped.SPREADSHEET, ".xlsx": Dropped.SPREADSHEET, ".txt": Dropped.SPREADSHEET,
         ".gexf": Dropped.SPREADSHEET, ".graphml": Dropped.SPREADSHEET, ".ssdbundle": Dropped.BUNDLE,
         ".ssdpack": Dropped.TRAINING_PACK, ".zip": Dropped.TRAINING_PACK}


def dropped_files(mime: QMimeData) -> list[Path]:
    """The local files of a drop that the window can import (others, and links, are not offered)."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() in KINDS and path.is_file()]


def import_dropped(paths: list[Path], has_district: bool,
                   importers: dict[Dropped, Callable[[Path], object]]) -> UserError | None:
    """Each file to its importer, in order; what stopped it, if anything."""
    for path in paths:
        kind = KINDS[path.suffix.lower()]
        if kind != Dropped.TRAINING_PACK and not has_district:
            return UserError(N_("Open or create a district first: {name} goes into a district."), name=path.name)
        importers[kind](path)
    return None
