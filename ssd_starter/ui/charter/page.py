"""The Charter area: a keyboard-driven wizard over the charter's sections, a live checklist, versions,
comparison, adoption and PDF export. Every field is saved as it is typed; the step is remembered, so
leaving half-way (even by a crash) resumes where the promoter was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.charter import STEP_KEYS, STEPS, CheckResult, check, failing_required
from ssd_starter.core.errors import NotFound, UserError
from ssd_starter.i18n import N_, _, format_date, ngettext
from ssd_starter.settings import Settings
from ssd_starter.store import ChangeSet, Store
from ssd_starter.store.charter import (
    context_for,
    eligible_signatories,
    get_charter,
    get_version,
    start_charter,
    update_content,
)
from ssd_starter.store.edits import Edit
from ssd_starter.ui.charter.steps import StepForm, make_forms
from ssd_starter.ui.charter.versions import (
    AdoptionDialog,
    VersionsDialog,
    VersionsPanel,
    ask_for_version_name,
)
from ssd_starter.ui.review_threads import ReviewBadge

__all__ = ["AdoptionDialog", "CharterPage", "VersionsDialog"]  # the dialogs, where callers found them before

RunEdit = Callable[..., bool]
PASS, FAIL, ADVICE = "✔", "✘", "•"


class CharterPage(QWidget):
    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = settings or Settings()
        self._run_edit = run_edit
        self._on_error = on_error
        self._district_id: str | None = None
        self._charter: dict[str, Any] | None = None
        self._results: list[CheckResult] = []

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.step_list = QListWidget()
        self.step_list.setFixedWidth(205)  # its items wrap; the step's form needs the room at 1024 px
        self.step_list.setWordWrap(True)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for _key, _label in STEPS:
            self.step_list.addItem(QListWidgetItem())
        self.forms: list[StepForm] = make_forms(self._on_changed, self._language)
        self.stack = QStackedWidget()
        self.step_title = QLabel()
        self.step_title.setObjectName("sectionTitle")
        self.step_title.setWordWrap(True)  # "Schritt 8 von 10: Verpflichtungen der Mitglieder" at 1024 px
        for form in self.forms:
            scroll = QScrollArea()
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the step's fields
            scroll.setWidget(form)
            scroll.setWidgetResizable(True)
            self.stack.addWidget(scroll)
        self.back_button = QPushButton()
        self.next_button = QPushButton()
        self.next_button.setDefault(True)
        self.versions = VersionsPanel(store, run_edit, on_error, charter=lambda: self._charter,
                                      results=lambda: self._results, ask_name=lambda: self.ask_version_name())
        self.pdf_button = QPushButton()
        self.translations_button = QPushButton()
        actions = QHBoxLayout()
        actions.addWidget(self.versions)
        for button in (self.translations_button, self.pdf_button):
            actions.addWidget(button)
        actions.addStretch(1)
        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)

        self.checklist_title = QLabel()
        self.checklist_title.setObjectName("sectionTitle")
        self.checklist_note = QLabel()
        self.checklist_note.setWordWrap(True)
        self.checklist_note.setObjectName("hint")
        self.checklist = QListWidget()
        self.checklist.setWordWrap(True)
        self.checklist.itemActivated.connect(self._on_check_activated)
        self.checklist.itemClicked.connect(self._on_check_activated)

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        self.review_badge = ReviewBadge(store, "charter_section")  # the Centre's threads about this step
        heading = QHBoxLayout()
        heading.addWidget(self.step_title, 1)
        heading.addWidget(self.review_badge)
        centre_layout.addLayout(heading)
        centre_layout.addWidget(self.stack, 1)
        self.format_hint = QLabel()
        self.format_hint.setObjectName("hint")
        self.format_hint.setWordWrap(True)
        centre_layout.addWidget(self.format_hint)
        centre_layout.addLayout(nav)
        right = QWidget()
        right.setMinimumWidth(210)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.checklist_title)
        right_layout.addWidget(self.checklist_note)
        right_layout.addWidget(self.checklist, 1)
        splitter = QSplitter()
        splitter.addWidget(centre)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        body = QHBoxLayout()
        body.addWidget(self.step_list)
        body.addWidget(splitter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addLayout(actions)
        layout.addLayout(body, 1)

        self.step_list.currentRowChanged.connect(self._on_step_chosen)
        self.back_button.clicked.connect(lambda: self.go_to(self.stack.currentIndex() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.stack.currentIndex() + 1))
        self.pdf_button.clicked.connect(self.export_pdf)
        self.translations_button.clicked.connect(self.show_translations)
        for keys, step in ((("Alt+Right", "Ctrl+PgDown"), 1), (("Alt+Left", "Ctrl+PgUp"), -1)):
            for key in keys:
                QShortcut(QKeySequence(key), self, lambda s=step: self.go_to(self.stack.currentIndex() + s))
        store.subscribe(self._on_store_changed)
        self.retranslate()

    # -- binding ----------------------------------------------------------------------------

    def set_district(self, district_id: str | None) -> None:
        self._district_id = district_id
        self._charter = None
        if self.isVisible():
            self._load()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._load()

    def _load(self) -> None:
        if not self._district_id:
            self.setEnabled(False)
            return
        self.setEnabled(True)
        if self._charter is None or self._charter["district_id"] != self._district_id:
            try:
                self._charter = start_charter(self._store, self._district_id)
            except UserError as exc:
                self._on_error(exc)
                return
            self._refresh()
            self.go_to(STEP_KEYS.index(self._left_at()), remember=False)  # resume where left

    def detach(self) -> None:
        self._store.unsubscribe(self._on_store_changed)

    def _on_store_changed(self, changes: ChangeSet) -> None:
        if self._charter is None:
            return
        if not self.isVisible():
            self._charter = None  # read afresh when the page is shown again
            return
        if any(changes.touches(t) for t in ("charter", "charter_section", "charter_version", "stakeholder", "district")):
            self._charter = get_charter(self._store, self._charter["district_id"])
            if self._charter is not None:
                self._refresh()

    def _language(self) -> str:
        return self._charter["language"] if self._charter else "it"

    def _refresh(self) -> None:
        assert self._charter is not None and self._district_id
        context = {"eligible": eligible_signatories(self._store, self._district_id)}
        for form in self.forms:
            form.load(self._charter["content"], context)
        self._results = check(self._charter["content"], context_for(self._store, self._district_id))
        self._update_checklist()
        self._update_status()

    def _update_status(self) -> None:
        charter = self._charter
        if charter is None:
            return
        if charter["status"] == "adopted" and charter["adopted_version_id"]:
            version = get_version(self._store, charter["adopted_version_id"])
            self.status.setText(_("Adopted on {date} in {place}.").format(
                date=format_date(version["adoption_date"]), place=version["adoption_place"]))
        else:
            failing = len(failing_required(self._results))
            self.status.setText(_("Draft — saved as you type.") + " " + (
                ngettext("{count} required check still fails.", "{count} required checks still fail.",
                         failing).format(count=failing) if failing
                else _("Every required check passes: the charter can be adopted.")))

    def _update_checklist(self) -> None:
        self.checklist.clear()
        for result in self._results:
            mark = PASS if result.passed else (FAIL if result.required else ADVICE)
            item = QListWidgetItem(f"{mark} {_(result.title)}")
            item.setToolTip(_(result.reason))
            item.setData(Qt.ItemDataRole.UserRole, result.step)
            item.setForeground(Qt.GlobalColor.darkGreen if result.passed else (
                Qt.GlobalColor.darkRed if result.required else Qt.GlobalColor.darkYellow))
            self.checklist.addItem(item)
        by_step: dict[str, bool] = {}
        for result in self._results:
            if result.required:
                by_step[result.step] = by_step.get(result.step, True) and result.passed
        for row, (key, label) in enumerate(STEPS):
            mark = "" if key not in by_step else (f"{PASS} " if by_step[key] else f"{FAIL} ")
            self.step_list.item(row).setText(f"{row + 1}. {mark}{_(label)}")

    # -- navigation -------------------------------------------------------------------------

    def current_step(self) -> str:
        return STEP_KEYS[self.stack.currentIndex()]

    def go_to(self, index: int, *, remember: bool = True) -> None:
        if not 0 <= index < len(STEP_KEYS):
            return
        self.stack.setCurrentIndex(index)
        if self.step_list.currentRow() != index:
            self.step_list.blockSignals(True)
            self.step_list.setCurrentRow(index)
            self.step_list.blockSignals(False)
        self.step_title.setText(_("Step {number} of {total}: {title}").format(
            number=index + 1, total=len(STEPS), title=_(STEPS[index][1])))
        self.review_badge.show_record(self._district_id, STEP_KEYS[index], _(STEPS[index][1]))
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(STEPS) - 1)
        if remember and self._district_id and self._left_at() != STEP_KEYS[index]:
            steps = dict(self._settings.get("charter_steps") or {})
            steps[self._district_id] = STEP_KEYS[index]
            self._settings.set("charter_steps", steps)

    def _left_at(self) -> str:
        """The step to resume at: this computer's own record of it (screen state, kept in the settings)."""
        step = (self._settings.get("charter_steps") or {}).get(self._district_id or "")
        return step if step in STEP_KEYS else STEP_KEYS[0]

    def _on_step_chosen(self, row: int) -> None:
        self.go_to(row)

    def _on_check_activated(self, item: QListWidgetItem) -> None:
        self.go_to(STEP_KEYS.index(item.data(Qt.ItemDataRole.UserRole)))

    # -- edits ------------------------------------------------------------------------------

    def _on_changed(self, fields: dict[str, Any], merge_key: str | None) -> None:
        if self._charter is None:
            return
        charter_id, district_id = self._charter["id"], self._charter["district_id"]
        # The edit is built when it is applied, from the charter as stored by then: typing waits for the end of its
        # burst (ui/undo.py), and a section built now would carry back the old text of a field saved meanwhile.
        key = f"charter:{charter_id}:{merge_key}" if merge_key else None
        self._run_edit(lambda: self._content_edit(district_id, charter_id, fields), _("Edit the charter"), key)

    def _content_edit(self, district_id: str, charter_id: str, fields: dict[str, Any]) -> Edit:
        charter = self._charter
        if charter is None or charter["id"] != charter_id:  # the page was hidden meanwhile: read afresh
            charter = get_charter(self._store, district_id)
        if charter is None or charter["id"] != charter_id:
            raise NotFound(N_("The record no longer exists (it may have been removed in the meantime)."))
        return update_content(charter, fields)

    # -- versions and adoption: the panel's, named here for the menus and the tests -----------------------

    def ask_version_name(self) -> str | None:
        return ask_for_version_name(self)

    def save_named_version(self) -> None:
        self.versions.save_named_version()

    def show_versions(self) -> None:
        self.versions.show_versions()

    def _restore(self, version_id: str) -> None:
        self.versions.restore(version_id)

    def show_adoption(self) -> None:
        self.versions.show_adoption()

    def _adopt(self, name: str, date: dt.date, place: str, reason: str) -> bool:
        return self.versions.adopt(name, date, place, reason)

    # -- translations and export --------------------------------------------------------------

    def show_translations(self) -> None:
        if self._district_id:
            from ssd_starter.ui.charter.translations import TranslationsDialog

            TranslationsDialog(self, self._store, self._district_id, self._run_edit, self._on_error).exec()

    def ask_pdf_path(self) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the charter"), str(Path.home() / "charter.pdf"),
                                                    ";;".join((_("PDF (*.pdf)"), _("Word document (*.docx)"))))
        return Path(path) if path else None

    def export_pdf(self) -> Path | None:
        if self._charter is None or not self._district_id:
            return None
        path = self.ask_pdf_path()
        if path is None:
            return None
        from ssd_starter.export.charter import write_charter
        from ssd_starter.i18n import current_language

        try:
            write_charter(self._store, self._district_id, path, language=current_language())
        except UserError as exc:
            self._on_error(exc)
            return None
        except OSError as exc:
            self._on_error(UserError(N_("The file could not be written: {reason}"), reason=exc.strerror or str(exc)))
            return None
        return path

    # -- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(_("Founding charter"))
        self.back_button.setText(_("← &Back"))
        self.next_button.setText(_("&Next →"))
        self.back_button.setToolTip(_("Previous step (Alt+Left)"))
        self.next_button.setToolTip(_("Next step (Alt+Right)"))
        self.versions.retranslate()
        self.pdf_button.setText(_("PDF or Word…"))
        self.translations_button.setText(_("Translations…"))
        self.format_hint.setText(_("Kept in the PDF and Word files: paragraphs, lines starting with “- ” as lists, "
                                   "**bold** and *italic*."))
        self.checklist_title.setText(_("Checklist"))
        self.checklist_note.setText(_("Good practice derived from Law 13/2010 and the Carta RES. Click an item "
                                      "to go to the step that fixes it."))
        self.step_list.setAccessibleName(_("Steps"))
        self.checklist.setAccessibleName(_("Checklist"))
        for form in self.forms:
            form.retranslate()
        if self._charter is not None:
            self._update_checklist()
            self._update_status()
            self.go_to(self.stack.currentIndex(), remember=False)
        else:
            for row, (_key, label) in enumerate(STEPS):
                self.step_list.item(row).setText(f"{row + 1}. {_(label)}")
