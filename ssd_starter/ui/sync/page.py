"""The Sync area, for the promoter: this installation's key (its fingerprint is what the Centre checks), signed
bundles written to a USB stick or read from one (the Centre's reply bundles too), sync with the Centre and
submitting for review, the review's state and threads (answered here, sent with the next sync), the
advisors' comments on their own, and the values that lost a concurrent edit, to keep or take back.

The Centre's side (an advisor reading and commenting on districts) is the Review area, ``ui/review``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import _
from ssd_starter.settings import Settings
from ssd_starter.store import Change, Store
from ssd_starter.ui.district_page import DistrictPage
from ssd_starter.ui.sync.panels import (
    BundlePanel,
    CentrePanel,
    ClashesPanel,
    CommentsPanel,
    ReviewPanel,
    RunEdit,
)


class SyncPage(DistrictPage):
    # Comments and clashes name the actor they are about: a renamed actor reads anew. (Neither table itself
    # comes in change-sets: a sync or an import reloads them.)
    TABLES = frozenset({"stakeholder"})

    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self._on_error = on_error
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.fingerprint = QLabel()
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.centre = CentrePanel(store, settings or Settings(), lambda: self.district_id, self._report)
        self.bundles = BundlePanel(store, lambda: self.district_id, self._report, self.centre.sync_status.setText)
        self.review = ReviewPanel(store)
        self.comments = CommentsPanel(store)
        self.clashes = ClashesPanel(store, run_edit)
        self.bundles.imported.connect(self._reload_lists)
        self.centre.synced.connect(self._reload_lists)
        lists = QSplitter()
        lists.addWidget(self.review)
        others = QSplitter(Qt.Orientation.Vertical)
        others.addWidget(self.comments)
        others.addWidget(self.clashes)
        lists.addWidget(others)
        lists.setStretchFactor(0, 3)
        lists.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.bundles)
        layout.addWidget(self.centre)
        layout.addWidget(lists, 1)
        self.retranslate()

    def _report(self, error: UserError) -> None:
        self._on_error(error)  # looked up at each call: tests put their own collector in its place

    def retranslate(self) -> None:
        self.title.setText(_("Sync"))
        for panel in (self.bundles, self.centre, self.review, self.comments, self.clashes):
            panel.retranslate()
        self._show_fingerprint()

    def _show_fingerprint(self) -> None:
        from ssd_starter.sync.identity import load_or_create

        try:
            identity = load_or_create()
        except UserError as exc:
            self.fingerprint.setText(exc.message())
            return
        self.fingerprint.setText(_("This installation's key: {fingerprint}").format(fingerprint=identity.fingerprint))

    # -- binding --------------------------------------------------------------------------------

    def _refresh(self) -> None:
        self._reload_lists()

    def _reload_lists(self) -> None:
        self.review.set_district(self.district_id)  # then kept in step by the store's change-sets
        self.comments.model.set_district(self.district_id)
        self.clashes.model.set_district(self.district_id)

    def _on_changes(self, changes: list[Change]) -> None:
        named = self.comments.model.about_ids() | self.clashes.model.about_ids()
        if any(change.row_id in named for change in changes):
            self._reload_lists()

    def detach(self) -> None:
        super().detach()
        self.comments.model.detach()
        self.clashes.model.detach()
