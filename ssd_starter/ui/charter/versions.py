"""The charter's versions: the panel of actions over them (save a named version, compare and restore,
adopt), the comparison dialog and the adoption dialog. The panel owns its buttons and what they do; the
page hands it the charter as it is now, the checklist's results and how to ask for a version's name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.charter import STEPS, CheckResult, compare, failing_required
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_, _, format_date, format_datetime
from ssd_starter.store import Store
from ssd_starter.store.charter import (
    adopt,
    get_charter,
    get_version,
    list_versions,
    restore_version,
    save_version,
)
from ssd_starter.store.stakeholders import list_stakeholders

RunEdit = Callable[..., bool]


def ask_for_version_name(parent: QWidget) -> str | None:
    """The name for a new version, suggested from today's date; None when the user cancels."""
    name, ok = QInputDialog.getText(parent, _("Save a version"), _("Name of this version:"),
                                    text=_("Draft of {date}").format(date=format_date(dt.date.today())))
    return name if ok else None


class VersionsPanel(QWidget):
    """Save version…, Versions… and Adopt…: each reads the charter afresh where it writes, so what it saves,
    restores or adopts is the text as stored, not as last shown."""

    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None], *,
                 charter: Callable[[], dict[str, Any] | None], results: Callable[[], list[CheckResult]],
                 ask_name: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._run_edit = run_edit
        self._on_error = on_error
        self._charter = charter
        self._results = results
        self._ask_name = ask_name
        self.version_button = QPushButton()
        self.versions_button = QPushButton()
        self.adopt_button = QPushButton()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.version_button, self.versions_button, self.adopt_button):
            layout.addWidget(button)
        self.version_button.clicked.connect(self.save_named_version)
        self.versions_button.clicked.connect(self.show_versions)
        self.adopt_button.clicked.connect(self.show_adoption)

    def _stored(self) -> dict[str, Any] | None:
        shown = self._charter()
        return get_charter(self._store, shown["district_id"]) if shown is not None else None

    def save_named_version(self) -> None:
        if self._charter() is None:
            return
        name = self._ask_name()
        charter = self._stored()
        if not name or charter is None:
            return
        try:
            self._run_edit(save_version(charter, name), _("Save charter version"), None)
        except UserError as exc:
            self._on_error(exc)

    def show_versions(self) -> None:
        charter = self._charter()
        if charter is not None:
            VersionsDialog(self.window(), self._store, charter, self.restore).exec()

    def restore(self, version_id: str) -> None:
        charter = self._stored()
        if charter is not None:
            version = get_version(self._store, version_id)
            self._run_edit(restore_version(charter, version),
                           _("Restore version {name}").format(name=version["name"]), None)

    def show_adoption(self) -> None:
        if self._charter() is not None:
            AdoptionDialog(self.window(), self._results()).exec_and_adopt(self.try_adopt)

    def adopt(self, name: str, date: dt.date, place: str, reason: str) -> bool:
        problem = self.try_adopt(name, date, place, reason)
        if problem is not None:
            self._on_error(problem)
        return problem is None

    def try_adopt(self, name: str, date: dt.date, place: str, reason: str) -> UserError | None:
        """Adopt the draft; what stands in the way, if anything (the dialog shows it and stays open)."""
        charter = self._stored()
        if charter is None:
            return UserError(N_("The charter no longer exists (it may have been removed in the meantime)."))
        try:
            edit = adopt(self._store, charter, name=name, date=date, place=place, override_reason=reason)
        except UserError as exc:
            return exc
        if not self._run_edit(edit, _("Adopt the charter"), None):
            return UserError(N_("The charter was not adopted: nothing was changed."))
        return None

    def retranslate(self) -> None:
        self.version_button.setText(_("Save &version…"))
        self.versions_button.setText(_("Versions…"))
        self.adopt_button.setText(_("Ado&pt…"))


class VersionsDialog(QDialog):
    """Named versions; any two (or one and the current draft) compared side by side; restore."""

    DRAFT = "__draft__"

    def __init__(self, parent: QWidget, store: Store, charter: dict[str, Any], restore: Callable[[str], None]) -> None:
        super().__init__(parent)
        self._store = store
        self._charter = charter
        self._restore = restore
        self.setWindowTitle(_("Charter versions"))
        self.resize(1000, 640)
        self.left_list = QListWidget()
        self.right_list = QListWidget()
        for widget in (self.left_list, self.right_list):
            item = QListWidgetItem(_("Current draft"))
            item.setData(Qt.ItemDataRole.UserRole, self.DRAFT)
            widget.addItem(item)
            for version in list_versions(store, charter["id"]):
                label = version["name"] + ("  ✔ " + _("adopted") if version["adopted"] else "")
                label += "  (" + format_datetime(version["created_at"], style="short") + ")"
                entry = QListWidgetItem(label)
                entry.setData(Qt.ItemDataRole.UserRole, version["id"])
                widget.addItem(entry)
        self.view = QTextBrowser()
        self.restore_button = QPushButton(_("Restore the version on the left"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        pickers = QHBoxLayout()
        for title, widget in ((_("Compare"), self.left_list), (_("with"), self.right_list)):
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            widget.setMaximumHeight(130)
            column.addWidget(widget)
            pickers.addLayout(column)
        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.left_list.currentRowChanged.connect(self._compare)
        self.right_list.currentRowChanged.connect(self._compare)
        self.restore_button.clicked.connect(self._on_restore)
        self.left_list.setCurrentRow(min(1, self.left_list.count() - 1))
        self.right_list.setCurrentRow(0)

    def _content(self, key: str) -> dict[str, Any]:
        if key == self.DRAFT:
            charter = get_charter(self._store, self._charter["district_id"])
            return charter["content"] if charter is not None else {}
        return get_version(self._store, key)["content"]

    def _compare(self, *_args) -> None:
        left, right = self.left_list.currentItem(), self.right_list.currentItem()
        if left is None or right is None:
            return
        names = {a["id"]: a["name"] for a in list_stakeholders(self._store, self._charter["district_id"])}
        diffs = compare(self._content(left.data(Qt.ItemDataRole.UserRole)),
                        self._content(right.data(Qt.ItemDataRole.UserRole)), names)
        labels = dict(STEPS)

        def render(parts: list[tuple[str, str]]) -> str:
            styles = {"removed": "background:#fbd5d2;text-decoration:line-through",
                      "added": "background:#d4f3d6", "same": ""}
            return " ".join(f"<span style='{styles[kind]}'>{escape(text)}</span>" for kind, text in parts)

        rows = []
        for diff in diffs:
            marker = " ✎" if diff.changed else ""
            rows.append(f"<tr><td colspan='2'><h4>{escape(_(labels[diff.step]))}{marker}</h4></td></tr>"
                        f"<tr><td width='50%' valign='top'>{render(diff.left)}</td>"
                        f"<td width='50%' valign='top'>{render(diff.right)}</td></tr>")
        self.view.setHtml("<table width='100%' cellpadding='4'>" + "".join(rows) + "</table>")
        self.restore_button.setEnabled(left.data(Qt.ItemDataRole.UserRole) != self.DRAFT)

    def _on_restore(self) -> None:
        item = self.left_list.currentItem()
        if item is not None and item.data(Qt.ItemDataRole.UserRole) != self.DRAFT:
            self._restore(item.data(Qt.ItemDataRole.UserRole))
            self.accept()


class AdoptionDialog(QDialog):
    """Date, place and a name for the adopted version; a reason is required if checks still fail."""

    def __init__(self, parent: QWidget, results: list[CheckResult]) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Adopt the charter"))
        self.failing = failing_required(results)
        self.name = QLineEdit(_("Founding charter"))
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.place = QLineEdit()
        self.reason = QPlainTextEdit()
        self.reason.setMaximumHeight(80)
        form = QFormLayout(self)
        intro = QLabel(_("Adoption freezes this text as a version. Later changes start a new draft."))
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow(_("Name of the version"), self.name)
        form.addRow(_("Date"), self.date)
        form.addRow(_("Place"), self.place)
        if self.failing:
            warning = QLabel(_("These required checks still fail:") + "<ul>" + "".join(
                f"<li>{escape(_(r.title))}</li>" for r in self.failing) + "</ul>" + _(
                "To adopt anyway, record why:"))
            warning.setWordWrap(True)
            warning.setObjectName("fieldError")
            form.addRow(warning)
            form.addRow(_("Reason"), self.reason)
        self.error = QLabel()  # why adoption was refused: shown here, the dialog staying open with what was typed
        self.error.setWordWrap(True)
        self.error.setObjectName("fieldError")
        self.error.hide()
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.setMinimumWidth(480)
        self._adopt_with: Callable[[str, dt.date, str, str], UserError | None] | None = None

    def accept(self) -> None:
        problem = self._adopt_with(*self.values()) if self._adopt_with is not None else None
        if problem is None:
            super().accept()
            return
        self.error.setText(problem.message())
        self.error.show()
        (self.reason if self.failing else self.name).setFocus()

    def values(self) -> tuple[str, dt.date, str, str]:
        d = self.date.date()
        return (self.name.text(), dt.date(d.year(), d.month(), d.day()), self.place.text(),
                self.reason.toPlainText())

    def exec_and_adopt(self, adopt_with: Callable[[str, dt.date, str, str], UserError | None]) -> None:
        """Open until adopted or cancelled; a refusal is shown inside (it closed and opened again)."""
        self._adopt_with = adopt_with
        self.exec()
