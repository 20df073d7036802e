"""How each lazily built area's page is made. Every page keeps the constructor it has; the window later calls
only ``set_district``, ``detach`` and ``retranslate`` on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from ssd_starter.core.errors import UserError
from ssd_starter.settings import Settings
from ssd_starter.store import Store

RunEdit = Callable[..., bool]


@dataclass(frozen=True)
class PageContext:
    """What the pages are given: the store, the settings, and the window's ways to run an edit on the current
    district's undo stack, to show a refusal, and to hear what some pages ask of the window."""

    store: Store
    settings: Settings
    run_edit: RunEdit
    show_error: Callable[[UserError], None]
    personal_data_erased: Callable[[], None]  # the map erased someone's data: no undo may bring it back
    actor_requested: Callable[[str], None]  # a chip elsewhere asks for one actor on the map


def build_page(key: str, context: PageContext) -> QWidget:
    """The page of the area ``key`` (one of ``areas.LAZY_AREAS``); its module is imported only now."""
    c = context
    if key == "map":
        from ssd_starter.ui.map.page import MapPage

        map_page = MapPage(c.store, c.run_edit, c.show_error, c.settings)
        map_page.detail.personal_data_erased.connect(c.personal_data_erased)
        return map_page
    if key == "charter":
        from ssd_starter.ui.charter.page import CharterPage

        return CharterPage(c.store, c.run_edit, c.show_error, c.settings)
    if key == "canvas":
        from ssd_starter.ui.canvas.page import CanvasPage

        canvas_page = CanvasPage(c.store, c.run_edit, c.show_error)
        canvas_page.actor_requested.connect(c.actor_requested)
        return canvas_page
    if key == "training":
        from ssd_starter.ui.training.page import TrainingPage

        return TrainingPage(c.store, c.run_edit, c.show_error)
    if key == "dossier":
        from ssd_starter.ui.dossier.page import DossierPage

        return DossierPage(c.store, c.show_error)
    if key == "sync":
        from ssd_starter.ui.sync.page import SyncPage

        return SyncPage(c.store, c.run_edit, c.show_error, c.settings)
    if key == "review":
        from ssd_starter.ui.review.page import ReviewPage

        return ReviewPage(c.show_error, c.settings)
    raise KeyError(key)
