"""The Sync & review area.

For the promoter: this installation's key (its fingerprint is what the Centre checks), signed bundles
written to a USB stick or read from one, sync with the Centre, the advisors' comments next to the records
they are about, and the values that lost a concurrent edit, to keep or take back.

For the Centre's advisor (review mode, in the same app): open the Centre's database — the one ``centre
serve`` uses, SQLite or PostgreSQL — receive bundles into it, see every district's indicators side by side,
read a district and comment on its records; the comments reach the promoter at the next sync. The review
lives in the desktop app rather than in a web page served by the Centre because advisors also review
offline, from bundles on a stick, and the app already draws every indicator and label in three languages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.indicators import INDICATORS, format_value
from ssd_starter.i18n import N_, _, format_datetime
from ssd_starter.settings import Settings, data_dir
from ssd_starter.store import ChangeSet, Store

RunEdit = Callable[..., bool]


class SyncPage(QWidget):
    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._run_edit = run_edit
        self._on_error = on_error
        self._settings = settings or Settings()
        self._district_id: str | None = None
        self._engine = None
        self._loaded = False
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_district(), "")
        self.tabs.addTab(self._build_review(), "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        store.subscribe(self._on_store_changed)
        self.retranslate()

    # -- the promoter's side ------------------------------------------------------------------

    def _build_district(self) -> QWidget:
        self.fingerprint = QLabel()
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.write_button = QPushButton()
        self.with_dossier = QCheckBox()
        self.import_button = QPushButton()
        self.write_button.clicked.connect(self.write_bundle)
        self.import_button.clicked.connect(self.import_bundle)
        bundles = QHBoxLayout()
        for widget in (self.write_button, self.with_dossier, self.import_button):
            bundles.addWidget(widget)
        bundles.addStretch(1)
        self.centre_url = QLineEdit(self._settings.get("centre_url") or "")
        self.token = QLineEdit()
        self.sync_button = QPushButton()
        self.sync_status = QLabel()
        self.sync_status.setWordWrap(True)
        self.sync_button.clicked.connect(self.sync_now)
        self.sync_labels = [QLabel(), QLabel()]
        form = QFormLayout()
        form.addRow(self.sync_labels[0], self.centre_url)
        form.addRow(self.sync_labels[1], self.token)
        form.addRow("", self.sync_button)
        form.addRow("", self.sync_status)
        self.comments = QListWidget()
        self.comments.setWordWrap(True)
        self.conflicts = QListWidget()
        self.conflicts.setWordWrap(True)
        self.keep_button = QPushButton()
        self.take_button = QPushButton()
        self.keep_button.clicked.connect(lambda: self.settle_conflict(take_other=False))
        self.take_button.clicked.connect(lambda: self.settle_conflict(take_other=True))
        self.comments_box, self.conflicts_box, self.bundle_box, self.centre_box = (
            QGroupBox(), QGroupBox(), QGroupBox(), QGroupBox())
        QVBoxLayout(self.bundle_box).addLayout(bundles)
        self.centre_box.setLayout(form)
        QVBoxLayout(self.comments_box).addWidget(self.comments)
        conflicts_layout = QVBoxLayout(self.conflicts_box)
        conflicts_layout.addWidget(self.conflicts)
        decide = QHBoxLayout()
        decide.addWidget(self.keep_button)
        decide.addWidget(self.take_button)
        decide.addStretch(1)
        conflicts_layout.addLayout(decide)
        lists = QSplitter()
        lists.addWidget(self.comments_box)
        lists.addWidget(self.conflicts_box)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.bundle_box)
        layout.addWidget(self.centre_box)
        layout.addWidget(lists, 1)
        return box

    # -- the Centre's side ----------------------------------------------------------------------

    def _build_review(self) -> QWidget:
        self.database = QLineEdit(self._settings.get("centre_database") or "")
        self.open_button = QPushButton()
        self.receive_button = QPushButton()
        self.open_button.clicked.connect(self.open_centre)
        self.receive_button.clicked.connect(self.receive_bundles)
        top = QHBoxLayout()
        self.database_label = QLabel()
        top.addWidget(self.database_label)
        top.addWidget(self.database, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.receive_button)
        self.districts = QTableWidget()
        self.districts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.districts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.districts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.districts.itemSelectionChanged.connect(self._show_reviewed)
        self.records = QListWidget()
        self.review_comments = QListWidget()
        self.review_comments.setWordWrap(True)
        self.author = QLineEdit()
        self.comment_text = QLineEdit()
        self.comment_button = QPushButton()
        self.resolve_button = QPushButton()
        self.comment_button.clicked.connect(self.add_comment)
        self.resolve_button.clicked.connect(self.resolve_comment)
        write = QFormLayout()
        self.review_labels = [QLabel(), QLabel()]
        write.addRow(self.review_labels[0], self.author)
        write.addRow(self.review_labels[1], self.comment_text)
        buttons = QHBoxLayout()
        buttons.addWidget(self.comment_button)
        buttons.addWidget(self.resolve_button)
        buttons.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.review_comments, 1)
        right.addLayout(write)
        right.addLayout(buttons)
        right_box = QWidget()
        right_box.setLayout(right)
        lower = QSplitter()
        lower.addWidget(self.records)
        lower.addWidget(right_box)
        upper = QSplitter(Qt.Orientation.Vertical)
        upper.addWidget(self.districts)
        upper.addWidget(lower)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addLayout(top)
        layout.addWidget(upper, 1)
        return box

    def retranslate(self) -> None:
        self.title.setText(_("Sync & review"))
        self.tabs.setTabText(0, _("This district"))
        self.tabs.setTabText(1, _("Centre review"))
        self.bundle_box.setTitle(_("Bundles (USB stick or e-mail)"))
        self.centre_box.setTitle(_("Sync with the Centre"))
        self.comments_box.setTitle(_("Comments from the Centre"))
        self.conflicts_box.setTitle(_("Edits that clashed"))
        self.write_button.setText(_("Write bundle…"))
        self.with_dossier.setText(_("with the dossier PDF"))
        self.import_button.setText(_("Import bundle…"))
        self.sync_labels[0].setText(_("Centre address"))
        self.sync_labels[1].setText(_("Enrolment token (first time only)"))
        self.sync_labels[0].setBuddy(self.centre_url)
        self.sync_labels[1].setBuddy(self.token)
        self.comments.setAccessibleName(_("Comments from the Centre"))
        self.conflicts.setAccessibleName(_("Edits that clashed"))
        self.database.setAccessibleName(_("Centre database"))
        self.districts.setAccessibleName(_("Districts"))
        self.records.setAccessibleName(_("Records of the district"))
        self.review_comments.setAccessibleName(_("Comments"))
        self.review_labels[0].setBuddy(self.author)
        self.review_labels[1].setBuddy(self.comment_text)
        self.sync_button.setText(_("Sync now"))
        self.keep_button.setText(_("Keep the current value"))
        self.take_button.setText(_("Use the other value"))
        self.database_label.setText(_("Centre database"))
        self.database.setPlaceholderText(_("sqlite:///… or postgresql://… (empty: the one in this data folder)"))
        self.open_button.setText(_("Open"))
        self.receive_button.setText(_("Receive bundles…"))
        self.review_labels[0].setText(_("Your name"))
        self.review_labels[1].setText(_("Comment"))
        self.comment_button.setText(_("Add comment"))
        self.resolve_button.setText(_("Mark resolved"))
        self._show_fingerprint()
        if self._loaded:
            self._refresh()
            self._fill_districts()

    # -- binding --------------------------------------------------------------------------------

    def set_district(self, district_id: str | None) -> None:
        self._district_id = district_id
        if self.isVisible():
            self._refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._loaded = True
        self._refresh()

    def detach(self) -> None:
        self._store.unsubscribe(self._on_store_changed)
        if self._engine is not None:
            self._engine.dispose()

    def _on_store_changed(self, changes: ChangeSet) -> None:
        if self._loaded and self.isVisible():
            self._refresh()

    def _show_fingerprint(self) -> None:
        from ssd_starter.sync.identity import load_or_create

        try:
            identity = load_or_create()
        except UserError as exc:
            self.fingerprint.setText(exc.message())
            return
        self.fingerprint.setText(_("This installation's key: {fingerprint}").format(fingerprint=identity.fingerprint))

    def _refresh(self) -> None:
        from ssd_starter.store.comments import comments_on
        from ssd_starter.store.conflicts import open_conflicts
        from ssd_starter.store.stakeholders import list_stakeholders

        self.comments.clear()
        self.conflicts.clear()
        if not self._district_id:
            return
        names = {a["id"]: a["name"] for a in list_stakeholders(self._store, self._district_id)}
        for comment in comments_on(self._store, self._district_id):
            about = names.get(comment["row_id"], comment["table_name"])
            item = QListWidgetItem(_("{author}, {when} — on {record}: {text}").format(
                author=comment["author"], when=format_datetime(comment["created_at"]), record=about,
                text=comment["text"]))
            self.comments.addItem(item)
        for conflict in open_conflicts(self._store, self._district_id):
            about = names.get(conflict["row_id"], conflict["table_name"])
            item = QListWidgetItem(_("{record}, {field}: kept “{kept}”, the other installation had “{other}”").format(
                record=about, field=conflict["field"], kept=conflict["kept"]["value"],
                other=conflict["other"]["value"]))
            item.setData(Qt.ItemDataRole.UserRole, conflict)
            self.conflicts.addItem(item)
        has = self.conflicts.count() > 0
        self.keep_button.setEnabled(has)
        self.take_button.setEnabled(has)

    # -- promoter actions -------------------------------------------------------------------------

    def write_bundle_to(self, path: Path) -> dict[str, Any] | None:
        import tempfile

        from ssd_starter.sync.bundle import write_bundle
        from ssd_starter.sync.identity import load_or_create

        if not self._district_id:
            return None
        try:
            with tempfile.TemporaryDirectory() as folder:
                dossier = None
                if self.with_dossier.isChecked():
                    from ssd_starter.export.dossier import DossierOptions, write_dossier
                    from ssd_starter.i18n import current_language

                    dossier = write_dossier(self._store, self._district_id, Path(folder) / "dossier.pdf",
                                            DossierOptions(language=current_language()))
                return write_bundle(self._store, self._district_id, path, load_or_create(), dossier=dossier)
        except UserError as exc:
            self._on_error(exc)
            return None

    def write_bundle(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Write bundle"), "district.ssdbundle",
                                                    _("Bundles (*.ssdbundle)"))
        if path and self.write_bundle_to(Path(path)):
            QMessageBox.information(self, _("Bundle"), _("Written to {path}.").format(path=path))

    def import_bundle_from(self, path: Path) -> Any:
        from ssd_starter.sync.bundle import import_bundle

        try:
            bundle, report = import_bundle(self._store, path)
        except UserError as exc:
            self._on_error(exc)
            return None
        text = _("Imported: {inserted} new, {updated} updated, {unchanged} unchanged, {conflicts} conflicts to look "
                 "at.").format(**report.__dict__)
        if bundle.first_contact:
            text = _("First bundle from {district}: its key {fingerprint} is now trusted for it. Check the "
                     "fingerprint with the sender.").format(district=bundle.manifest["district"]["name"],
                                                            fingerprint=bundle.signer) + "\n" + text
        self.sync_status.setText(text)
        return report

    def import_bundle(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import bundle"), "", _("Bundles (*.ssdbundle)"))
        if path:
            self.import_bundle_from(Path(path))

    def sync_now(self) -> None:
        from ssd_starter.sync.client import sync
        from ssd_starter.sync.identity import load_or_create

        url = self.centre_url.text().strip()
        if not self._district_id or not url:
            self._on_error(UserError(N_("Give the Centre's address first.")))
            return
        self._settings.set("centre_url", url)

        def progress(done: int, total: int) -> None:
            self.sync_status.setText(_("Sent {done} of {total} changes").format(done=done, total=total))
            QApplication.processEvents()

        try:
            report = sync(self._store, self._district_id, url, load_or_create(),
                          token=self.token.text().strip() or None, progress=progress,
                          allow_insecure=bool(self._settings.get("centre_allow_http")))
        except UserError as exc:
            self.sync_status.setText(exc.message())
            self._on_error(exc)
            return
        self.token.clear()
        self.sync_status.setText(_("Synchronised: {pushed} changes sent, {comments} new comments from the "
                                   "Centre.").format(pushed=report.pushed, comments=report.comments))
        self._refresh()

    def settle_conflict(self, *, take_other: bool) -> None:
        from ssd_starter.store.conflicts import settle, take_other_value

        item = self.conflicts.currentItem() or self.conflicts.item(0)
        if item is None:
            return
        conflict = item.data(Qt.ItemDataRole.UserRole)
        if take_other and not self._run_edit(take_other_value(conflict), _("Use the other value")):
            return
        settle(self._store, conflict["id"])
        self._refresh()

    # -- review actions ---------------------------------------------------------------------------

    def centre_url_or_default(self) -> str:
        url = self.database.text().strip()
        return url or f"sqlite:///{data_dir() / 'centre.sqlite'}"

    def open_centre(self) -> bool:
        from ssd_starter.centre.store import connect

        if self._engine is not None:
            self._engine.dispose()
        try:
            self._engine = connect(self.centre_url_or_default())
        except Exception as exc:  # noqa: BLE001 - a wrong URL or an unreachable server, said plainly
            self._engine = None
            self._on_error(UserError(N_("Cannot open the Centre's database: {reason}"), reason=str(exc)[:200]))
            return False
        self._settings.set("centre_database", self.database.text().strip() or None)
        self._fill_districts()
        return True

    def receive_bundle_files(self, paths: list[Path]) -> int:
        from ssd_starter.centre.store import Refused, pinned_keys, receive_bundle
        from ssd_starter.sync.bundle import verify_bundle_file

        if self._engine is None and not self.open_centre():
            return 0
        received = 0
        for path in paths:
            try:
                receive_bundle(self._engine, verify_bundle_file(path, pinned_keys(self._engine)))
                received += 1
            except UserError as exc:
                self._on_error(exc)
            except Refused as exc:
                self._on_error(UserError(N_("{path}: {reason}"), path=path.name, reason=exc.detail))
        self._fill_districts()
        return received

    def receive_bundles(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Receive bundles"), "", _("Bundles (*.ssdbundle)"))
        if paths:
            self.receive_bundle_files([Path(p) for p in paths])

    def _fill_districts(self) -> None:
        from ssd_starter.centre.store import overview

        if self._engine is None:
            return
        self._overview = overview(self._engine)
        headers = [_("District"), _("Actors"), _("Flows"), *[_(i.title) for i in INDICATORS], _("Last received")]
        self.districts.clear()
        self.districts.setColumnCount(len(headers))
        self.districts.setHorizontalHeaderLabels(headers)
        self.districts.setRowCount(len(self._overview))
        for row, district in enumerate(self._overview):
            values = [district["name"], str(district["actors"]), str(district["flows"]),
                      *[format_value(i, district["indicators"][i.key].value) for i in INDICATORS],
                      format_datetime(district["last_received"]) if district["last_received"] else "—"]
            for column, value in enumerate(values):
                self.districts.setItem(row, column, QTableWidgetItem(value))
        self.districts.resizeColumnsToContents()

    def reviewed_district(self) -> str | None:
        row = self.districts.currentRow()
        return self._overview[row]["district_id"] if 0 <= row < len(getattr(self, "_overview", [])) else None

    def _show_reviewed(self) -> None:
        from ssd_starter.centre.store import all_comments, district_rows

        self.records.clear()
        self.review_comments.clear()
        district_id = self.reviewed_district()
        if district_id is None or self._engine is None:
            return
        for table in ("stakeholder", "flow", "canvas_item"):
            for data in sorted(district_rows(self._engine, district_id, table),
                               key=lambda r: str(r.get("name") or r.get("description") or r.get("text") or "")):
                if data.get("deleted"):
                    continue
                label = data.get("name") or data.get("description") or data.get("text") or data["id"]
                item = QListWidgetItem(f"{label}")
                item.setData(Qt.ItemDataRole.UserRole, (table, data["id"]))
                self.records.addItem(item)
        for comment in all_comments(self._engine, district_id):
            mark = "✔ " if comment["resolved"] else ""
            item = QListWidgetItem(f"{mark}{comment['author']}: {comment['text']}")
            item.setData(Qt.ItemDataRole.UserRole, comment["id"])
            self.review_comments.addItem(item)

    def add_comment(self) -> None:
        from ssd_starter.centre.store import add_comment

        district_id, record = self.reviewed_district(), self.records.currentItem()
        text, author = self.comment_text.text().strip(), self.author.text().strip()
        if district_id is None or record is None or not text or not author or self._engine is None:
            self._on_error(UserError(N_("Choose a record, and write your name and the comment.")))
            return
        table, row_id = record.data(Qt.ItemDataRole.UserRole)
        add_comment(self._engine, district_id, table, row_id, author, text)
        self.comment_text.clear()
        self._show_reviewed()

    def resolve_comment(self) -> None:
        from ssd_starter.centre.store import resolve_comment

        item = self.review_comments.currentItem()
        if item is not None and self._engine is not None:
            resolve_comment(self._engine, item.data(Qt.ItemDataRole.UserRole))
            self._show_reviewed()
