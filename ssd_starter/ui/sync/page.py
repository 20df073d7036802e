"""The Sync area, for the promoter: this installation's key (its fingerprint is what the Centre checks), signed
bundles written to a USB stick or read from one (the Centre's reply bundles too), sync with the Centre and
submitting for review, the review's state and threads (answered here, sent with the next sync), the
advisors' comments on their own, and the values that lost a concurrent edit, to keep or take back.

The Centre's side (an advisor reading and commenting on districts) is the Review area, ``ui/review``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

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
from ssd_starter.ui.sync.status import SyncStatusPanel


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
        self._settings = settings or Settings()
        self.centre = CentrePanel(store, self._settings, lambda: self.district_id, self._report)
        self.bundles = BundlePanel(store, lambda: self.district_id, self._report, self.centre.sync_status.setText,
                                   note=self.centre.note.text)
        self.status = SyncStatusPanel(store, self.invite_device)
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
        # the page scrolls where the window is shorter than its controls (1366x768 at 125 %): squeezed,
        # its buttons and labels were 4 px high
        body = QWidget()
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName(_("Sync"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.bundles)
        # the sync's controls beside what it did, both in view while it runs; one above the other where the
        # page is too narrow for both side by side (a 1024-pixel screen)
        self.network = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.network.addWidget(self.centre, 3)
        self.network.addWidget(self.status, 2)
        layout.addLayout(self.network)
        layout.addWidget(lists, 1)
        self.retranslate()

    SIDE_BY_SIDE = 1000  # the page's width from which the status stands beside the sync's controls

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        wide = self.width() >= self.SIDE_BY_SIDE
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.network.direction() != direction:
            self.network.setDirection(direction)

    def _report(self, error: UserError) -> None:
        self._on_error(error)  # looked up at each call: tests put their own collector in its place

    def retranslate(self) -> None:
        self.title.setText(_("Sync"))
        for panel in (self.bundles, self.centre, self.status, self.review, self.comments, self.clashes):
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
        self.status.set_district(self.district_id)

    def invite_device(self) -> None:
        """A one-time code for one more device of the district, asked of the Centre in the background."""
        from ssd_starter.i18n import format_datetime

        district_id, url = self.district_id, self.centre.centre_url.text().strip() or None
        allow_insecure = bool(self._settings.get("centre_allow_http"))
        if not district_id:
            return

        def work(store: Store, _cancel: Any, _progress: Any) -> Any:
            from ssd_starter.sync.devices import invite
            from ssd_starter.sync.identity import load_or_create

            return invite(store, district_id, load_or_create(), url=url, allow_insecure=allow_insecure)

        def show(invitation: Any) -> None:
            import datetime as dt

            expires = format_datetime(dt.datetime.fromisoformat(invitation.expires_at), style="short")
            self.status.show_code(invitation.code, expires)

        self.centre.worker.start(work, show)

    def _on_changes(self, changes: list[Change]) -> None:
        named = self.comments.model.about_ids() | self.clashes.model.about_ids()
        if any(change.row_id in named for change in changes):
            self._reload_lists()

    def detach(self) -> None:
        self.centre.cancel()  # a sync running stops at its next chunk; the window waits for that, no longer
        self.centre.worker.wait()
        super().detach()
        self.comments.model.detach()
        self.clashes.model.detach()
