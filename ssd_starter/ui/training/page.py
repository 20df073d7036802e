"""The Training area: the module library (shipped and imported packs), and workshops — plan, participants
and attendance, exercises and answers, results, proposals for the map and canvas, certificates — with a
full-screen workshop mode for the projector."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.training import Exercise, Module, duplicate_names, progress, score
from ssd_starter.core.vocabulary import CanvasBlock, Category
from ssd_starter.i18n import N_, _, current_language, format_date, format_number, format_percent, ngettext
from ssd_starter.store import Store
from ssd_starter.store.stakeholders import list_stakeholders
from ssd_starter.store.training import (
    accept_proposals,
    add_participant,
    add_session,
    answers,
    attendance,
    create_workshop,
    delete_participant,
    delete_workshop,
    install_pack,
    library,
    list_participants,
    list_proposals,
    list_workshops,
    participants_from_actors,
    propose_actor,
    propose_card,
    reject_proposals,
    remove_session,
    set_answer,
    set_present,
    update_workshop,
)
from ssd_starter.ui.district_page import DistrictPage

RunEdit = Callable[..., bool]
KIND_LABELS = {"single_choice": N_("Single choice"), "multiple_choice": N_("Multiple choice"),
               "short_text": N_("Short text"), "add_actors": N_("Add actors to the map"),
               "add_cards": N_("Add cards to the canvas")}
PLAN, PEOPLE, EXERCISES, RESULTS, PROPOSALS = range(5)


def _ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class AnswerDialog(QDialog):
    """Record one participant's answer to a choice or text exercise."""

    def __init__(self, exercise: Exercise, current: dict[str, Any] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        language = current_language()
        self.exercise = exercise
        self.setWindowTitle(_("Answer"))
        layout = QVBoxLayout(self)
        prompt = QLabel(exercise.text(language))
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.choices: list[QRadioButton | QCheckBox] = []
        current = current or {}
        options = exercise.options.get(language, ())
        for n, option in enumerate(options):
            button: QRadioButton | QCheckBox
            if exercise.kind == "single_choice":
                button = QRadioButton(option)
                button.setChecked(current.get("choice") == n)
            else:
                button = QCheckBox(option)
                button.setChecked(n in (current.get("choices") or []))
            self.choices.append(button)
            layout.addWidget(button)
        self.text = QPlainTextEdit(current.get("text", ""))
        self.grade = QSpinBox()
        self.grade.setRange(-1, exercise.points)
        self.grade.setSpecialValueText(_("not graded"))
        self.grade.setValue(int(current.get("grade", -1)))
        if exercise.kind == "short_text":
            layout.addWidget(self.text)
            row = QFormLayout()
            row.addRow(_("Points given by the trainer"), self.grade)
            layout.addLayout(row)
        layout.addWidget(_ok_cancel(self))

    def answer(self) -> dict[str, Any]:
        if self.exercise.kind == "single_choice":
            chosen = [n for n, b in enumerate(self.choices) if b.isChecked()]
            return {"choice": chosen[0]} if chosen else {}
        if self.exercise.kind == "multiple_choice":
            return {"choices": [n for n, b in enumerate(self.choices) if b.isChecked()]}
        answer: dict[str, Any] = {"text": self.text.toPlainText().strip()}
        if self.grade.value() >= 0:
            answer["grade"] = self.grade.value()
        return answer


class TrainingPage(DistrictPage):
    TABLES = frozenset({"workshop", "participant", "attendance", "answer", "stakeholder", "canvas_item"})
    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self._run_edit = run_edit
        self._on_error = on_error
        self.workshops: list[dict[str, Any]] = []
        self.participants: list[dict[str, Any]] = []
        self.presenter = None
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_library(), "")
        self.tabs.addTab(self._build_workshops(), "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence("F5"), self, self.present)
        self.retranslate()

    # -- library ------------------------------------------------------------------------------

    def _build_library(self) -> QWidget:
        self.module_list = QListWidget()
        self.module_list.setWordWrap(True)
        self.module_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.module_view = QTextBrowser()
        self.import_button = QPushButton()
        self.present_module_button = QPushButton()
        self.import_button.clicked.connect(self.import_pack)
        self.present_module_button.clicked.connect(self.present_selected_module)
        self.module_list.currentRowChanged.connect(lambda _r: self._show_module())
        left = QVBoxLayout()
        left.addWidget(self.module_list, 1)
        left.addWidget(self.import_button)
        left_box = QWidget()
        left_box.setLayout(left)
        right = QVBoxLayout()
        right.addWidget(self.module_view, 1)
        right.addWidget(self.present_module_button, 0, Qt.AlignmentFlag.AlignRight)
        right_box = QWidget()
        right_box.setLayout(right)
        splitter = QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(right_box)
        splitter.setSizes([320, 800])
        return splitter

    def _fill_library(self) -> None:
        language = current_language()
        current = self.selected_module_id()
        self.module_list.clear()
        try:
            packs = library()
        except UserError as exc:  # said in place: a dialog here would stop the window from opening
            self._packs = []
            self.module_view.setPlainText(exc.message())
            return
        self._packs = packs
        for pack in packs:
            header = QListWidgetItem(f"{pack.title[language]} · {pack.version}")
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self.module_list.addItem(header)
            for module in pack.modules:
                item = QListWidgetItem(_("{title} ({minutes} min)").format(title=module.title[language],
                                                                          minutes=module.duration_minutes))
                item.setData(Qt.ItemDataRole.UserRole, module.id)
                self.module_list.addItem(item)
                if module.id == current or (current is None and self.module_list.currentItem() is None):
                    self.module_list.setCurrentItem(item)
        self._show_module()

    def modules(self) -> dict[str, Module]:
        return {m.id: m for pack in getattr(self, "_packs", []) for m in pack.modules}

    def images(self) -> dict[str, dict[str, bytes]]:
        """Pack id → its pictures: two packs may both have an images/map.png."""
        return {pack.id: dict(pack.images) for pack in getattr(self, "_packs", [])}

    def selected_module_id(self) -> str | None:
        item = self.module_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _show_module(self) -> None:
        module = self.modules().get(self.selected_module_id() or "")
        self.present_module_button.setEnabled(module is not None)
        if module is None:
            self.module_view.clear()
            return
        language = current_language()
        duration, objectives, slides, exercises = _("Duration"), _("Objectives"), _("Slides"), _("Exercises")
        minutes = _("{minutes} min").format(minutes=module.duration_minutes)
        kinds = {kind: _(label) for kind, label in KIND_LABELS.items()}
        parts = [f"<h2>{escape(module.title[language])}</h2>", f"<p>{escape(module.summary[language])}</p>",
                 f"<p><b>{escape(duration)}:</b> {escape(minutes)}</p>",
                 f"<h3>{escape(objectives)}</h3><ul>"
                 + "".join(f"<li>{escape(o)}</li>" for o in module.objectives[language]) + "</ul>",
                 f"<h3>{escape(slides)}</h3><ol>"
                 + "".join(f"<li>{escape(s.title)}</li>" for s in module.slides[language]) + "</ol>",
                 f"<h3>{escape(exercises)}</h3><ul>"
                 + "".join(f"<li><i>{escape(kinds[e.kind])}</i> — {escape(e.text(language))}</li>"
                           for e in module.exercises) + "</ul>"]
        self.module_view.setHtml("".join(parts))

    def import_pack(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import a training pack"), "",
                                                    _("Training packs (*.ssdpack *.zip)"))
        if path:
            self.import_pack_file(Path(path))

    def import_pack_file(self, path: Path) -> bool:
        try:
            pack = install_pack(path)
        except UserError as exc:
            self._on_error(exc)
            return False
        self._fill_library()
        QMessageBox.information(self, _("Training pack"), ngettext(
            "Installed {title} {version}: {count} module.", "Installed {title} {version}: {count} modules.",
            len(pack.modules)).format(title=pack.title[current_language()], version=pack.version,
                                      count=len(pack.modules)))
        return True

    # -- workshops ----------------------------------------------------------------------------

    def _build_workshops(self) -> QWidget:
        self.workshop_list = QListWidget()
        self.workshop_list.setWordWrap(True)
        self.workshop_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.workshop_list.currentRowChanged.connect(lambda _r: self._show_workshop())
        self.new_workshop_button = QPushButton()
        self.delete_workshop_button = QPushButton()
        self.present_button = QPushButton()
        self.certificates_button = QPushButton()
        self.certificates_button.clicked.connect(self.export_certificates)
        self.new_workshop_button.clicked.connect(self.new_workshop)
        self.delete_workshop_button.clicked.connect(self.delete_current_workshop)
        self.present_button.clicked.connect(self.present)
        left = QVBoxLayout()
        left.addWidget(self.workshop_list, 1)
        for button in (self.new_workshop_button, self.delete_workshop_button, self.certificates_button,
                       self.present_button):
            left.addWidget(button)
        left_box = QWidget()
        left_box.setLayout(left)
        self.detail = QTabWidget()
        self.detail.addTab(self._build_plan(), "")
        self.detail.addTab(self._build_people(), "")
        self.detail.addTab(self._build_exercises(), "")
        self.results = QTableWidget()
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.addTab(self.results, "")
        self.detail.addTab(self._build_proposals(), "")
        self.detail.currentChanged.connect(lambda _i: self._show_workshop())
        splitter = QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(self.detail)
        splitter.setSizes([260, 900])
        return splitter

    def _build_plan(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        self.w_title = QLineEdit()
        self.w_date = QDateEdit()
        self.w_date.setCalendarPopup(True)
        self.w_place = QLineEdit()
        self.w_trainer = QLineEdit()
        self.w_modules = QListWidget()
        self.w_sessions = QListWidget()
        self.add_session_button = QPushButton()
        self.remove_session_button = QPushButton()
        self.plan_labels = [QLabel() for _ in range(6)]
        for label, field in zip(self.plan_labels, (self.w_title, self.w_date, self.w_place, self.w_trainer,
                                                   self.w_modules, self.w_sessions), strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_session_button)
        buttons.addWidget(self.remove_session_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        self.w_title.textEdited.connect(lambda t: self._save_workshop("title", t, typing=True))
        self.w_place.textEdited.connect(lambda t: self._save_workshop("place", t, typing=True))
        self.w_trainer.textEdited.connect(lambda t: self._save_workshop("trainer", t, typing=True))
        self.w_date.dateChanged.connect(lambda d: self._save_workshop("date", d.toPython()))
        self.w_modules.itemChanged.connect(lambda _i: self._save_workshop("module_ids", self._checked_modules()))
        self.add_session_button.clicked.connect(self.add_session)
        self.remove_session_button.clicked.connect(self.remove_selected_session)
        return box

    def _build_people(self) -> QWidget:
        self.people = QTableWidget()
        self.people.itemChanged.connect(self._people_item_changed)
        self.add_actor_participant_button = QPushButton()
        self.add_new_participant_button = QPushButton()
        self.remove_participant_button = QPushButton()
        self.duplicates_label = QLabel()
        self.duplicates_label.setWordWrap(True)
        self.duplicates_label.setStyleSheet("color: #a40000;")
        self.add_actor_participant_button.clicked.connect(self.add_participants_from_map)
        self.add_new_participant_button.clicked.connect(self.add_new_participant)
        self.remove_participant_button.clicked.connect(self.remove_selected_participant)
        buttons = QHBoxLayout()
        for button in (self.add_actor_participant_button, self.add_new_participant_button,
                       self.remove_participant_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addLayout(buttons)
        layout.addWidget(self.duplicates_label)
        layout.addWidget(self.people, 1)
        return box

    def _build_exercises(self) -> QWidget:
        self.exercise_module = QComboBox()
        self.exercise_module.currentIndexChanged.connect(lambda _i: self._fill_exercises())
        self.exercise_table = QTableWidget()
        self.exercise_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.exercise_table.cellDoubleClicked.connect(self.record_answer)
        self.exercise_hint = QLabel()
        self.exercise_hint.setWordWrap(True)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(self.exercise_module)
        layout.addWidget(self.exercise_hint)
        layout.addWidget(self.exercise_table, 1)
        return box

    def _build_proposals(self) -> QWidget:
        self.proposals = QListWidget()
        self.accept_button = QPushButton()
        self.reject_button = QPushButton()
        self.proposals_hint = QLabel()
        self.proposals_hint.setWordWrap(True)
        self.accept_button.clicked.connect(lambda: self.review_proposals(accept=True))
        self.reject_button.clicked.connect(lambda: self.review_proposals(accept=False))
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(self.proposals_hint)
        layout.addWidget(self.proposals, 1)
        layout.addLayout(buttons)
        return box

    def retranslate(self) -> None:
        self.title.setText(_("Training"))
        self.tabs.setTabText(0, _("Module library"))
        self.tabs.setTabText(1, _("Workshops"))
        self.import_button.setText(_("Import pack…"))
        self.present_module_button.setText(_("Present this module"))
        self.new_workshop_button.setText(_("New workshop…"))
        self.delete_workshop_button.setText(_("Delete"))
        self.present_button.setText(_("Start workshop mode (F5)"))
        self.certificates_button.setText(_("Certificates of attendance…"))
        for n, text in enumerate((_("Plan"), _("Participants and attendance"), _("Exercises"), _("Results"),
                                  _("Proposals"))):
            self.detail.setTabText(n, text)
        for label, text in zip(self.plan_labels, (_("&Title"), _("&Date"), _("&Place"), _("T&rainer"),
                                                  _("&Modules"), _("&Sessions")), strict=True):
            label.setText(text)
        self.w_date.setDisplayFormat("dd/MM/yyyy")
        self.add_session_button.setText(_("Add session"))
        self.remove_session_button.setText(_("Remove session"))
        self.add_actor_participant_button.setText(_("Add from the map…"))
        self.add_new_participant_button.setText(_("Add a new person…"))
        self.remove_participant_button.setText(_("Remove"))
        self.exercise_hint.setText(_("Double-click a cell to record that participant's answer."))
        self.exercise_module.setAccessibleName(_("Module"))
        self.exercise_table.setAccessibleName(_("Answers"))
        self.people.setAccessibleName(_("Participants and attendance"))
        self.results.setAccessibleName(_("Results"))
        self.proposals.setAccessibleName(_("Proposals"))
        self.w_sessions.setAccessibleName(_("Sessions"))
        self.proposals_hint.setText(_("Actors and cards proposed in the workshop's exercises. They join the map "
                                      "and the canvas only when you accept them."))
        self.accept_button.setText(_("Accept selected"))
        self.reject_button.setText(_("Reject selected"))
        self.module_list.setAccessibleName(_("Modules"))
        self.module_view.setAccessibleName(_("The chosen module"))
        self.workshop_list.setAccessibleName(_("Workshops"))
        self._fill_library()
        if self._loaded:
            self._refresh()

    # -- binding ------------------------------------------------------------------------------

    def _refresh(self) -> None:
        current = self.current_workshop_id()
        self.workshops = list_workshops(self._store, self._district_id) if self._district_id else []
        with QSignalBlocker(self.workshop_list):
            self.workshop_list.clear()
            for workshop in self.workshops:
                date = format_date(workshop["date"]) if workshop["date"] else "—"
                item = QListWidgetItem(f"{workshop['title']}\n{date}")
                item.setData(Qt.ItemDataRole.UserRole, workshop["id"])
                self.workshop_list.addItem(item)
                if workshop["id"] == current:
                    self.workshop_list.setCurrentItem(item)
            if self.workshop_list.currentItem() is None and self.workshops:
                self.workshop_list.setCurrentRow(0)
        self._show_workshop()

    def current_workshop_id(self) -> str | None:
        item = self.workshop_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def current_workshop(self) -> dict[str, Any] | None:
        workshop_id = self.current_workshop_id()
        return next((w for w in self.workshops if w["id"] == workshop_id), None)

    def _show_workshop(self) -> None:
        workshop = self.current_workshop()
        self.detail.setEnabled(workshop is not None)
        for button in (self.delete_workshop_button, self.present_button, self.certificates_button):
            button.setEnabled(workshop is not None)
        if workshop is None:
            return
        self.participants = list_participants(self._store, workshop["id"])
        index = self.detail.currentIndex()
        if index == PLAN:
            self._fill_plan(workshop)
        elif index == PEOPLE:
            self._fill_people(workshop)
        elif index == EXERCISES:
            self._fill_exercise_modules(workshop)
        elif index == RESULTS:
            self._fill_results(workshop)
        else:
            self._fill_proposals(workshop)

    # -- plan -----------------------------------------------------------------------------------

    def _fill_plan(self, workshop: dict[str, Any]) -> None:
        language = current_language()
        for field, value in ((self.w_title, workshop["title"]), (self.w_place, workshop["place"]),
                             (self.w_trainer, workshop["trainer"])):
            if not field.hasFocus() and field.text() != value:
                field.setText(value)
        with QSignalBlocker(self.w_date):
            self.w_date.setDate(QDate(workshop["date"]) if workshop["date"] else QDate.currentDate())
        with QSignalBlocker(self.w_modules):
            self.w_modules.clear()
            for module_id, module in self.modules().items():
                item = QListWidgetItem(module.title[language])
                item.setData(Qt.ItemDataRole.UserRole, module_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if module_id in workshop["module_ids"]
                                   else Qt.CheckState.Unchecked)
                self.w_modules.addItem(item)
        self.w_sessions.clear()
        for n, session in enumerate(workshop["sessions"], start=1):
            date = format_date(dt.date.fromisoformat(session["date"])) if session["date"] else "—"
            item = QListWidgetItem(_("Session {number}: {date}, {minutes} min").format(
                number=n, date=date, minutes=session.get("minutes", 0)))
            item.setData(Qt.ItemDataRole.UserRole, session["id"])
            self.w_sessions.addItem(item)

    def _checked_modules(self) -> list[str]:
        return [self.w_modules.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.w_modules.count())
                if self.w_modules.item(r).checkState() == Qt.CheckState.Checked]

    def _save_workshop(self, field: str, value: Any, *, typing: bool = False) -> None:
        workshop = self.current_workshop()
        if workshop is None:
            return
        try:
            edit = update_workshop(workshop["id"], **{field: value})
        except UserError as exc:
            if not typing:
                self._on_error(exc)
            return
        self._run_edit(edit, _("Edit the workshop"), f"workshop:{workshop['id']}:{field}" if typing else None)

    def new_workshop(self) -> None:
        if not self._district_id:
            return
        title, ok = QInputDialog.getText(self, _("New workshop"), _("Title of the workshop:"))
        if not ok:
            return
        try:
            edit = create_workshop(self._district_id, title, date=dt.date.today(),
                                   module_ids=[m for m in list(self.modules())[:1]])
        except UserError as exc:
            self._on_error(exc)
            return
        if self._run_edit(edit, _("Add a workshop")):
            self.select_workshop(edit.values["id"])

    def select_workshop(self, workshop_id: str) -> None:
        for row in range(self.workshop_list.count()):
            if self.workshop_list.item(row).data(Qt.ItemDataRole.UserRole) == workshop_id:
                self.workshop_list.setCurrentRow(row)

    def delete_current_workshop(self) -> None:
        workshop = self.current_workshop()
        if workshop is not None:
            self._run_edit(delete_workshop(self._store, workshop["id"]), _("Delete a workshop"))

    def add_session(self) -> None:
        workshop = self.current_workshop()
        if workshop is not None:
            self._run_edit(add_session(workshop, self.w_date.date().toPython()), _("Add a session"))

    def remove_selected_session(self) -> None:
        workshop, item = self.current_workshop(), self.w_sessions.currentItem()
        if workshop is not None and item is not None and len(workshop["sessions"]) > 1:
            self._run_edit(remove_session(workshop, item.data(Qt.ItemDataRole.UserRole)), _("Remove a session"))

    # -- participants and attendance -----------------------------------------------------------

    def _fill_people(self, workshop: dict[str, Any]) -> None:
        present = attendance(self._store, workshop["id"])
        sessions = workshop["sessions"]
        names = {a["id"]: a["name"] for a in list_stakeholders(self._store, workshop["district_id"])}
        duplicates = duplicate_names(p["name"] for p in self.participants)
        with QSignalBlocker(self.people):
            self.people.clear()
            self.people.setColumnCount(3 + len(sessions))
            self.people.setRowCount(len(self.participants))
            self.people.setHorizontalHeaderLabels(
                [_("Name"), _("Actor on the map"), _("Consent")]
                + [_("Session {number}").format(number=n) for n in range(1, len(sessions) + 1)])
            for row, person in enumerate(self.participants):
                name = QTableWidgetItem(person["name"])
                name.setData(Qt.ItemDataRole.UserRole, person["id"])
                name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if " ".join(person["name"].split()).casefold() in duplicates:
                    name.setBackground(QBrush(QColor("#f7d6d6")))
                    name.setToolTip(_("Another participant has the same name: check it is not the same person."))
                actor = QTableWidgetItem(names.get(person["stakeholder_id"], "—"))
                actor.setFlags(actor.flags() & ~Qt.ItemFlag.ItemIsEditable)
                consent = QTableWidgetItem(_("yes") if person["consent"] else _("no"))
                consent.setFlags(consent.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.people.setItem(row, 0, name)
                self.people.setItem(row, 1, actor)
                self.people.setItem(row, 2, consent)
                for column, session in enumerate(sessions, start=3):
                    cell = QTableWidgetItem()
                    cell.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                    here = present.get((person["id"], session["id"]), {}).get("present", False)
                    cell.setCheckState(Qt.CheckState.Checked if here else Qt.CheckState.Unchecked)
                    cell.setData(Qt.ItemDataRole.UserRole, session["id"])
                    self.people.setItem(row, column, cell)
            self.people.resizeColumnsToContents()
        self.duplicates_label.setVisible(bool(duplicates))
        self.duplicates_label.setText(ngettext(
            "{count} name appears more than once. They are kept apart: check whether they are the same person.",
            "{count} names appear more than once. They are kept apart: check whether they are the same person.",
            len(duplicates)).format(count=len(duplicates)))

    def _people_item_changed(self, item: QTableWidgetItem) -> None:
        workshop = self.current_workshop()
        if workshop is None or item.column() < 3:
            return
        participant_id = self.people.item(item.row(), 0).data(Qt.ItemDataRole.UserRole)
        session_id = item.data(Qt.ItemDataRole.UserRole)
        self.set_present(participant_id, session_id, item.checkState() == Qt.CheckState.Checked)

    def set_present(self, participant_id: str, session_id: str, present: bool) -> None:
        workshop = self.current_workshop()
        if workshop is not None:
            self._run_edit(set_present(self._store, workshop, participant_id, session_id, present),
                           _("Record attendance"))

    def add_participants_from_map(self) -> None:
        workshop = self.current_workshop()
        if workshop is None:
            return
        from ssd_starter.ui.canvas.dialogs import ActorPicker

        actors = list_stakeholders(self._store, workshop["district_id"])
        taken = {p["stakeholder_id"] for p in self.participants}
        dialog = ActorPicker({a["id"]: a["name"] for a in actors if a["id"] not in taken}, [], self)
        dialog.setWindowTitle(_("Participants from the map"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.chosen()
        if chosen:
            self._run_edit(participants_from_actors(self._store, workshop, chosen), _("Add participants"))

    def add_new_participant(self) -> None:
        workshop = self.current_workshop()
        if workshop is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(_("New participant"))
        name, email, consent = QLineEdit(), QLineEdit(), QCheckBox(_("Agrees that their data is kept"))
        form = QFormLayout(dialog)
        form.addRow(_("Name"), name)
        form.addRow(_("E-mail (with consent)"), email)
        form.addRow("", consent)
        form.addRow(_ok_cancel(dialog))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            edit = add_participant(workshop, name.text(), email=email.text(), consent=consent.isChecked())
        except UserError as exc:
            self._on_error(exc)
            return
        self._run_edit(edit, _("Add a participant"))

    def remove_selected_participant(self) -> None:
        row = self.people.currentRow()
        if row >= 0:
            participant_id = self.people.item(row, 0).data(Qt.ItemDataRole.UserRole)
            self._run_edit(delete_participant(participant_id), _("Remove a participant"))

    # -- exercises and results -----------------------------------------------------------------

    def _fill_exercise_modules(self, workshop: dict[str, Any]) -> None:
        language = current_language()
        current = self.exercise_module.currentData()
        with QSignalBlocker(self.exercise_module):
            self.exercise_module.clear()
            for module_id in workshop["module_ids"]:
                module = self.modules().get(module_id)
                if module is not None:
                    self.exercise_module.addItem(module.title[language], module_id)
            self.exercise_module.setCurrentIndex(max(0, self.exercise_module.findData(current)))
        self._fill_exercises()

    def _fill_exercises(self) -> None:
        workshop = self.current_workshop()
        module = self.modules().get(self.exercise_module.currentData() or "")
        self.exercise_table.clear()
        if workshop is None or module is None:
            self.exercise_table.setRowCount(0)
            return
        language = current_language()
        given = answers(self._store, workshop["id"])
        self.exercise_table.setRowCount(len(self.participants))
        self.exercise_table.setColumnCount(len(module.exercises))
        kinds = {kind: _(label) for kind, label in KIND_LABELS.items()}
        self.exercise_table.setHorizontalHeaderLabels([f"{n}. {kinds[e.kind]}"
                                                       for n, e in enumerate(module.exercises, start=1)])
        self.exercise_table.setVerticalHeaderLabels([p["name"] for p in self.participants])
        for column, exercise in enumerate(module.exercises):
            self.exercise_table.horizontalHeaderItem(column).setToolTip(exercise.text(language))
            for row, person in enumerate(self.participants):
                answer = given.get((person["id"], module.id, exercise.id), {}).get("answer")
                result = score(exercise, answer)
                if not result.answered:
                    text = "—"
                elif result.points is None:
                    text = _("to read")
                else:
                    text = f"{format_number(result.points)} / {format_number(result.maximum)}"
                self.exercise_table.setItem(row, column, QTableWidgetItem(text))
        self.exercise_table.resizeColumnsToContents()

    def record_answer(self, row: int, column: int) -> None:
        workshop = self.current_workshop()
        module = self.modules().get(self.exercise_module.currentData() or "")
        if workshop is None or module is None or row >= len(self.participants):
            return
        exercise = module.exercises[column]
        person = self.participants[row]
        current = answers(self._store, workshop["id"]).get((person["id"], module.id, exercise.id), {}).get("answer")
        if exercise.kind in ("add_actors", "add_cards"):
            self.propose(workshop, person, module, exercise)
            return
        dialog = AnswerDialog(exercise, current, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run_edit(set_answer(self._store, workshop, person["id"], module.id, exercise.id, dialog.answer()),
                           _("Record an answer"))

    def propose(self, workshop: dict[str, Any], person: dict[str, Any], module: Module, exercise: Exercise) -> None:
        """An exercise that adds to the map or the canvas: one proposal per entry, reviewed later."""
        language = current_language()
        if exercise.kind == "add_actors":
            dialog = QDialog(self)
            dialog.setWindowTitle(_("Propose an actor"))
            name, category = QLineEdit(), QComboBox()
            for member in Category:
                category.addItem(member.label, member.value)
            form = QFormLayout(dialog)
            prompt = QLabel(exercise.text(language))
            prompt.setWordWrap(True)
            form.addRow(prompt)
            form.addRow(_("Name"), name)
            form.addRow(_("Category"), category)
            form.addRow(_ok_cancel(dialog))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            make = lambda: propose_actor(self._store, workshop, person["id"], module.id, exercise.id,  # noqa: E731
                                         {"name": name.text(), "category": category.currentData()})
        else:
            text, ok = QInputDialog.getMultiLineText(
                self, _("Propose a card"), exercise.text(language) + "\n\n"
                + _("Block: {block}").format(block=CanvasBlock(exercise.block).label))
            if not ok:
                return
            make = lambda: propose_card(self._store, workshop, person["id"], module.id,  # noqa: E731
                                        exercise.id, exercise.block, text)
        try:
            edit = make()
        except UserError as exc:
            self._on_error(exc)
            return
        self._run_edit(edit, _("Record a proposal"))

    def _fill_results(self, workshop: dict[str, Any]) -> None:
        language = current_language()
        given = answers(self._store, workshop["id"])
        present = attendance(self._store, workshop["id"])
        chosen = [self.modules()[m] for m in workshop["module_ids"] if m in self.modules()]
        sessions = workshop["sessions"]
        self.results.clear()
        self.results.setRowCount(len(self.participants) + 1)
        self.results.setColumnCount(1 + len(chosen))
        self.results.setHorizontalHeaderLabels([_("Attendance")] + [m.title[language] for m in chosen])
        self.results.setVerticalHeaderLabels([p["name"] for p in self.participants] + [_("Whole group")])
        totals: dict[str, list[float]] = {m.id: [0.0, 0.0] for m in chosen}
        for row, person in enumerate(self.participants):
            came = sum(1 for s in sessions if present.get((person["id"], s["id"]), {}).get("present"))
            self.results.setItem(row, 0, QTableWidgetItem(f"{came} / {len(sessions)}"))
            for column, module in enumerate(chosen, start=1):
                mine = {e.id: given.get((person["id"], module.id, e.id), {}).get("answer") or {}
                        for e in module.exercises}
                result = progress(module.exercises, mine)
                totals[module.id][0] += result.points
                totals[module.id][1] += result.maximum
                share = format_percent(result.share) if result.share is not None else "—"
                self.results.setItem(row, column, QTableWidgetItem(
                    _("{answered} of {count} done · {share}").format(answered=result.answered,
                                                                      count=result.exercises, share=share)))
        last = len(self.participants)
        self.results.setItem(last, 0, QTableWidgetItem(""))
        for column, module in enumerate(chosen, start=1):
            points, maximum = totals[module.id]
            self.results.setItem(last, column, QTableWidgetItem(format_percent(points / maximum) if maximum else "—"))
        self.results.resizeColumnsToContents()

    def export_certificates(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Certificates of attendance"),
                                                    _("certificates") + ".pdf", _("PDF document (*.pdf)"))
        if path and self.write_certificates(Path(path)):
            QMessageBox.information(self, _("Certificates of attendance"),
                                    _("Written to {path}.").format(path=path))

    def write_certificates(self, path: Path) -> Path | None:
        from ssd_starter.export.certificate import write_certificates

        workshop = self.current_workshop()
        if workshop is None:
            return None
        try:
            return write_certificates(self._store, workshop["id"], path, language=current_language())
        except UserError as exc:
            self._on_error(exc)
            return None

    # -- proposals ------------------------------------------------------------------------------

    def _fill_proposals(self, workshop: dict[str, Any]) -> None:
        self.proposals.clear()
        for proposal in list_proposals(self._store, workshop["id"]):
            kind = _("Actor") if proposal["kind"] == "stakeholder" else _("Card")
            detail = (Category(proposal["detail"]).label if proposal["kind"] == "stakeholder"
                      else CanvasBlock(proposal["detail"]).label)
            item = QListWidgetItem(f"{kind}: {proposal['text']} ({detail})")
            item.setData(Qt.ItemDataRole.UserRole, proposal)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.proposals.addItem(item)
        has = self.proposals.count() > 0
        self.accept_button.setEnabled(has)
        self.reject_button.setEnabled(has)

    def review_proposals(self, *, accept: bool) -> None:
        chosen = [self.proposals.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.proposals.count())
                  if self.proposals.item(r).checkState() == Qt.CheckState.Checked]
        if not chosen:
            return
        if accept:
            self._run_edit(accept_proposals(chosen), _("Accept proposals"))
        else:
            self._run_edit(reject_proposals(chosen), _("Reject proposals"))

    # -- workshop mode ----------------------------------------------------------------------------

    def present(self) -> None:
        workshop = self.current_workshop()
        if self.tabs.currentIndex() == 0 or workshop is None:
            self.present_selected_module()
            return
        chosen = [self.modules()[m] for m in workshop["module_ids"] if m in self.modules()]
        self._start_presenter(chosen, workshop["title"])

    def present_selected_module(self) -> None:
        module = self.modules().get(self.selected_module_id() or "")
        if module is not None:
            self._start_presenter([module], module.title[current_language()])

    def _start_presenter(self, chosen: list[Module], title: str) -> None:
        from ssd_starter.ui.training.presenter import PresenterWindow

        if not chosen:
            self._on_error(UserError(N_("Choose at least one module for the workshop first.")))
            return
        self.presenter = PresenterWindow(chosen, current_language(), self.images(), title)
        self.presenter.start()
