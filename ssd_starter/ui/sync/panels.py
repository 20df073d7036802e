"""The Sync area's panels: signed bundles for a stick or an e-mail (and the Centre's reply bundles), sync
with the Centre over the network and submitting for review, the review's state and threads, the advisors'
comments on their own, and the edits that clashed. Each owns its widgets and its actions; the page binds
them to the current district."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_, _, ngettext
from ssd_starter.settings import Settings
from ssd_starter.store import Store
from ssd_starter.sync.messages import import_counts_text, sent_text, synchronised_text
from ssd_starter.ui.review_threads import ReviewStateLabel, ThreadsPanel
from ssd_starter.ui.row_model import RecordRole, RowCacheModel
from ssd_starter.ui.sync.models import CentreCommentsModel, ClashesModel
from ssd_starter.ui.sync.worker import SyncWorker

Report = Callable[[UserError], None]
CurrentDistrict = Callable[[], str | None]
RunEdit = Callable[..., bool]


def record_list(model: RowCacheModel) -> QListView:
    """A list view of one-column records whose sentences wrap."""
    view = QListView()
    view.setModel(model)
    view.setWordWrap(True)
    view.setUniformItemSizes(False)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
    view.setMinimumHeight(44)  # two lines: on a 1024x768 screen the area's other panels need the height
    return view


class BundlePanel(QGroupBox):
    """Bundles written to a file and read from one; an import says what it merged in ``show_status``."""

    imported = Signal()  # rows (and perhaps clashes) arrived

    def __init__(self, store: Store, district: CurrentDistrict, report: Report, show_status: Callable[[str], None],
                 parent: QWidget | None = None, *, note: Callable[[], str] = str) -> None:
        super().__init__(parent)
        self._store, self._district, self._report, self._show_status = store, district, report, show_status
        self._note = note  # the note for the advisors a submission by bundle carries (the Centre panel's)
        self.write_button = QPushButton()
        self.with_dossier = QCheckBox()
        self.submit = QCheckBox()  # the bundle submits the district for review when the Centre takes it
        self.import_button = QPushButton()
        self.write_button.clicked.connect(self.write_bundle)
        self.import_button.clicked.connect(self.import_bundle)
        row = QHBoxLayout(self)
        for widget in (self.write_button, self.with_dossier, self.submit, self.import_button):
            row.addWidget(widget)
        row.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(_("Bundles (USB stick or e-mail)"))
        self.write_button.setText(_("Write bundle…"))
        self.with_dossier.setText(_("with the dossier PDF"))
        self.submit.setText(_("submit for review"))
        self.submit.setToolTip(_("The Centre takes the bundle as a submission for review (ssd-starter centre "
                                 "import, or an advisor's upload), with the note for the advisors written "
                                 "under Sync with the Centre."))
        self.import_button.setText(_("Import bundle…"))

    def write_bundle(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Write bundle"), "district.ssdbundle",
                                                    _("Bundles (*.ssdbundle)"))
        if path and self.write_bundle_to(Path(path)):
            QMessageBox.information(self, _("Bundle"), _("Written to {path}.").format(path=path))

    def write_bundle_to(self, path: Path) -> dict[str, Any] | None:
        """The bundle's manifest, or None when there is no district or it could not be written (said)."""
        import tempfile

        from ssd_starter.sync.bundle import write_bundle
        from ssd_starter.sync.identity import load_or_create

        district_id = self._district()
        if not district_id:
            return None
        try:
            with tempfile.TemporaryDirectory() as folder:
                dossier = self._dossier(district_id, Path(folder)) if self.with_dossier.isChecked() else None
                draft = None
                if self.submit.isChecked():  # the draft's dossier is the bundle's
                    from ssd_starter.sync.client import submission_draft

                    draft = submission_draft(self._store, district_id, note=self._note().strip(),
                                             dossier=dossier.read_bytes() if dossier else None)
                    dossier = None
                return write_bundle(self._store, district_id, path, load_or_create(), dossier=dossier,
                                    submission=draft)
        except UserError as exc:
            self._report(exc)
            return None

    def _dossier(self, district_id: str, folder: Path) -> Path:
        from ssd_starter.export.dossier import DossierOptions, write_dossier
        from ssd_starter.i18n import current_language

        return write_dossier(self._store, district_id, folder / "dossier.pdf",
                             DossierOptions(language=current_language()))

    def import_bundle(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import bundle"), "", _("Bundles (*.ssdbundle)"))
        if path:
            self.import_bundle_from(Path(path))

    def import_bundle_from(self, path: Path) -> Any:
        """The merge report (a reply bundle's: what it brought), or None when the bundle was refused (said)."""
        from ssd_starter.sync.bundle import import_bundle
        from ssd_starter.sync.reply import import_reply_bundle, imported_lines, is_reply_bundle

        try:
            if is_reply_bundle(path):  # the Centre's answer: states and threads, not the district's rows
                reply, received = import_reply_bundle(self._store, path)
                self._show_status("\n".join(imported_lines(reply, received)))
                self.imported.emit()
                return received
            bundle, report = import_bundle(self._store, path)
        except UserError as exc:
            self._report(exc)
            return None
        text = import_counts_text(inserted=report.inserted, updated=report.updated, unchanged=report.unchanged,
                                  conflicts=report.conflicts)
        if report.already_here:
            text = _("Nothing new: everything in this bundle is here already (through the Centre or an earlier "
                     "bundle).")
        elif report.waiting:
            text += "\n" + ngettext(
                "{count} record waits for a record it needs, from a device that has not synced yet.",
                "{count} records wait for records they need, from a device that has not synced yet.",
                report.waiting).format(count=report.waiting)
        if bundle.first_contact:
            text = _("First bundle from {district}: its key {fingerprint} is now trusted for it. Check the "
                     "fingerprint with the sender.").format(district=bundle.manifest["district"]["name"],
                                                            fingerprint=bundle.signer) + "\n" + text
        self._show_status(text)
        self.imported.emit()
        return report


class CentrePanel(QGroupBox):
    """Sync over the network: the Centre's address, the one-time enrolment token, submitting the district for
    review (with a note, and the dossier unless left out), and what happened. The sync runs in the background
    (``ui.sync.worker``): the window keeps working, a bar shows how far it got, Cancel stops it."""

    synced = Signal()  # a sync ended (done, failed or stopped): rows, comments and the status may have changed

    def __init__(self, store: Store, settings: Settings, district: CurrentDistrict, report: Report,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._settings, self._district, self._report = store, settings, district, report
        self.centre_url = QLineEdit(settings.get("centre_url") or "")
        self.token = QLineEdit()
        self.sync_button = QPushButton()
        self.note = QLineEdit()
        self.note.setMaxLength(2000)  # the Centre's limit for a submission's note
        self.with_dossier = QCheckBox()
        self.with_dossier.setChecked(True)
        self.submit_button = QPushButton()
        self.sync_status = QLabel()
        self.sync_status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(14)
        self.cancel_button = QPushButton()
        self.worker = SyncWorker(store, self)
        self.worker.progress.connect(self._on_progress)
        self.worker.failed.connect(self._on_failed)
        self.worker.busy_changed.connect(self._on_busy)
        self.sync_button.clicked.connect(self.sync_now)
        self.submit_button.clicked.connect(self.submit_now)
        self.cancel_button.clicked.connect(self.cancel)
        self.labels = (QLabel(), QLabel(), QLabel())
        sync_row = QHBoxLayout()
        sync_row.addWidget(self.sync_button)
        sync_row.addWidget(self.progress, 1)
        sync_row.addWidget(self.cancel_button)
        submit_row = QHBoxLayout()  # under the note, so the note keeps the whole width in German at 1024 px
        submit_row.addWidget(self.with_dossier)
        submit_row.addStretch(1)
        submit_row.addWidget(self.submit_button)
        form = QFormLayout(self)
        form.addRow(self.labels[0], self.centre_url)
        form.addRow(self.labels[1], self.token)
        form.addRow("", sync_row)
        form.addRow(self.labels[2], self.note)
        form.addRow("", submit_row)
        form.addRow("", self.sync_status)
        self.labels[0].setBuddy(self.centre_url)
        self.labels[1].setBuddy(self.token)
        self.labels[2].setBuddy(self.note)
        self._on_busy(False)

    def retranslate(self) -> None:
        self.setTitle(_("Sync with the Centre"))
        self.labels[0].setText(_("Centre address"))
        self.labels[1].setText(_("Enrolment token"))
        self.token.setPlaceholderText(_("The first time only: the token the Centre gave"))
        self.labels[2].setText(_("Note for the advisors"))
        self.sync_button.setText(_("Sync now"))
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setToolTip(_("Stop after the current step: what was sent and received until then is "
                                        "kept, and the next sync goes on from there"))
        self.progress.setAccessibleName(_("Sync progress"))
        self.note.setPlaceholderText(_("What changed since the last submission (optional)"))
        self.with_dossier.setText(_("with the dossier PDF"))
        self.submit_button.setText(_("Sync and submit for review"))
        self.submit_button.setToolTip(_("Sends the district's changes, then its indicators, charter version and "
                                        "dossier for the Centre's advisors to review"))

    def sync_now(self) -> None:
        self._sync(submit=False)

    def submit_now(self) -> None:
        self._sync(submit=True)

    @property
    def busy(self) -> bool:
        return self.worker.busy

    def _sync(self, *, submit: bool) -> None:
        """Start the sync in the background with what the panel holds now."""
        from ssd_starter.i18n import current_language

        url, district_id = self.centre_url.text().strip(), self._district()
        if not district_id or not url:
            self._report(UserError(N_("Give the Centre's address first.")))
            return
        if self.worker.busy:
            return
        self._settings.set("centre_url", url)
        token, note = self.token.text().strip() or None, self.note.text()
        dossier, language = self.with_dossier.isChecked(), current_language()
        allow_insecure = bool(self._settings.get("centre_allow_http"))

        def work(store: Store, cancel: Any, progress: Callable[[str, int, int], None]) -> Any:
            from ssd_starter.sync.client import submission_draft, sync
            from ssd_starter.sync.identity import load_or_create

            draft = None
            if submit:
                progress("prepare", 0, 0)
                pdf = _dossier_bytes(store, district_id, language) if dossier else None
                draft = submission_draft(store, district_id, note=note, dossier=pdf)
            return sync(store, district_id, url, load_or_create(), token=token,
                        progress=lambda done, total: progress("push", done, total),
                        pulled=lambda rows: progress("pull", rows, 0), allow_insecure=allow_insecure,
                        submission=draft, cancel=cancel)

        self.sync_status.setText(_("Syncing…"))
        self.worker.start(work, self._on_synced)

    def cancel(self) -> None:
        if self.worker.busy:
            self.worker.cancel()
            self.sync_status.setText(_("Stopping after the current step…"))

    def _on_busy(self, busy: bool) -> None:
        for widget in (self.sync_button, self.submit_button, self.centre_url, self.token):
            widget.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)  # busy until the first step says how much there is

    def _on_progress(self, what: str, done: int, total: int) -> None:
        if what == "push" and total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.sync_status.setText(sent_text(done, total))
        elif what == "pull":
            self.progress.setRange(0, 0)
            self.sync_status.setText(ngettext("Received {count} record", "Received {count} records", done)
                                     .format(count=done))
        else:
            self.sync_status.setText(_("Preparing the submission…"))

    def _on_synced(self, report: Any) -> None:
        self.token.clear()
        lines = [synchronised_text(report.pushed, report.comments)]
        if report.pulled:
            lines.append(ngettext("{count} record received from the district's other devices.",
                                  "{count} records received from the district's other devices.", report.pulled)
                         .format(count=report.pulled))
        if report.clashes:
            lines.append(ngettext("{count} edit made here clashed with another device's: see Edits that clashed.",
                                  "{count} edits made here clashed with another device's: see Edits that clashed.",
                                  report.clashes).format(count=report.clashes))
        if report.submitted:
            self.note.clear()
            lines.append(_("Submitted for review: {id}.").format(id=report.submitted[:8]))
        if report.replies_sent:
            lines.append(ngettext("{count} reply sent to the Centre.", "{count} replies sent to the Centre.",
                                  report.replies_sent).format(count=report.replies_sent))
        lines += [_("The Centre refused a reply: {reason}").format(reason=r) for r in report.replies_refused]
        self.sync_status.setText("\n".join(lines))
        self.synced.emit()

    def _on_failed(self, error: Any) -> None:
        from ssd_starter.sync.client import SyncCancelled

        self.sync_status.setText(error.message())
        if not isinstance(error, SyncCancelled):  # stopped on request: said in the panel, not an error
            self._report(error)
        self.synced.emit()


def _dossier_bytes(store: Store, district_id: str, language: str) -> bytes:
    """The dossier a submission carries (written in the sync's thread: it takes seconds for a big district)."""
    import tempfile

    from ssd_starter.export.dossier import DossierOptions, write_dossier

    with tempfile.TemporaryDirectory() as folder:
        return write_dossier(store, district_id, Path(folder) / "dossier.pdf",
                             DossierOptions(language=language)).read_bytes()


class ReviewPanel(QGroupBox):
    """The district's review at the Centre: its latest submission's state and every thread, each with its
    record's name, to read, answer and (the promoter's own) resolve, offline; sent with the next sync."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = ReviewStateLabel(store, hide_when_empty=False)
        self.threads = ThreadsPanel(store)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.threads, 1)

    def set_district(self, district_id: str | None) -> None:
        self.state.set_district(district_id)
        self.threads.set_district(district_id)

    def retranslate(self) -> None:
        self.setTitle(_("Review at the Centre"))
        self.state.refresh()
        self.threads.retranslate()


class CommentsPanel(QGroupBox):
    """The advisors' comments, each next to the name of the record it is about."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CentreCommentsModel(store, self)
        self.view = record_list(self.model)
        QVBoxLayout(self).addWidget(self.view)

    def retranslate(self) -> None:
        self.setTitle(_("Comments from the Centre"))
        self.view.setAccessibleName(_("Comments from the Centre"))
        self.model.retranslate()


class ClashesPanel(QGroupBox):
    """The values that lost a concurrent edit: keep the current one, or take the other one back (undoable)."""

    def __init__(self, store: Store, run_edit: RunEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._run_edit = store, run_edit
        self.model = ClashesModel(store, self)
        self.view = record_list(self.model)
        self.keep_button, self.take_button = QPushButton(), QPushButton()
        self.keep_button.clicked.connect(lambda: self.settle(take_other=False))
        self.take_button.clicked.connect(lambda: self.settle(take_other=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.take_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._update_buttons)
        self._update_buttons()

    def retranslate(self) -> None:
        self.setTitle(_("Edits that clashed"))
        self.view.setAccessibleName(_("Edits that clashed"))
        self.keep_button.setText(_("Keep the current value"))
        self.take_button.setText(_("Use the other value"))
        self.model.retranslate()

    def _update_buttons(self, *_args: object) -> None:
        has = self.model.rowCount() > 0
        self.keep_button.setEnabled(has)
        self.take_button.setEnabled(has)

    def settle(self, *, take_other: bool) -> None:
        """Decide the selected clash (the first when none is selected)."""
        from ssd_starter.store.conflicts import settle, take_other_value

        index = self.view.currentIndex()
        if not index.isValid():
            index = self.model.index(0, 0, QModelIndex())
        if not index.isValid():
            return
        conflict = index.data(RecordRole)
        if take_other and not self._run_edit(take_other_value(conflict), _("Use the other value")):
            return
        settle(self._store, conflict["id"])
        self.model.refresh(conflict["id"])
