"""The Districts area: the list of districts and the form of the selected one. Every edit saves at once."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.districts import trentino_municipalities
from ssd_starter.core.errors import NotFound, UserError
from ssd_starter.core.models import District
from ssd_starter.core.vocabulary import DistrictKind, Sector
from ssd_starter.i18n import LANGUAGE_NAMES, LANGUAGES, _, format_number, ngettext
from ssd_starter.store import ChangeSet, Store
from ssd_starter.store.districts import count_rows, get_district, update_district
from ssd_starter.ui.districts.model import DistrictListModel


class DistrictForm(QWidget):
    """Edits one district's properties; asks the page to run each change as an undoable edit."""

    edit_requested = Signal(str, dict, str, str)  # district id, fields, undo text, merge key

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._district: District | None = None

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(200)
        self.name_hint = QLabel()
        self.name_hint.setObjectName("fieldError")
        self.name_hint.hide()
        self.kind_combo = QComboBox()
        for kind in DistrictKind:
            self.kind_combo.addItem("", kind.value)
        self.language_combo = QComboBox()
        for code in LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setMinimumHeight(70)
        self.description_edit.setMaximumHeight(120)
        self.sector_list = QListWidget()
        self.sector_list.setMinimumHeight(150)
        for sector in Sector:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, sector.value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.sector_list.addItem(item)
        self.municipality_edit = QLineEdit()
        names = [m.name for m in trentino_municipalities()]
        completer = QCompleter(QStringListModel(names, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.municipality_edit.setCompleter(completer)
        self.add_municipality_button = QPushButton()
        self.municipality_list = QListWidget()
        self.municipality_list.setMinimumHeight(110)
        self.municipality_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.remove_municipality_button = QPushButton()

        self.general_box = QGroupBox()
        general = QFormLayout(self.general_box)
        general.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._name_label, self._kind_label, self._language_label, self._description_label = (
            QLabel(), QLabel(), QLabel(), QLabel())
        name_column = QVBoxLayout()
        name_column.setSpacing(2)
        name_column.addWidget(self.name_edit)
        name_column.addWidget(self.name_hint)
        general.addRow(self._name_label, name_column)
        general.addRow(self._kind_label, self.kind_combo)
        general.addRow(self._language_label, self.language_combo)
        general.addRow(self._description_label, self.description_edit)
        for label, buddy in ((self._name_label, self.name_edit), (self._kind_label, self.kind_combo),
                             (self._language_label, self.language_combo),
                             (self._description_label, self.description_edit)):
            label.setBuddy(buddy)

        self.sectors_box = QGroupBox()
        sectors_layout = QVBoxLayout(self.sectors_box)
        self.sectors_hint = QLabel()
        self.sectors_hint.setWordWrap(True)
        self.sectors_hint.setObjectName("hint")
        sectors_layout.addWidget(self.sectors_hint)
        sectors_layout.addWidget(self.sector_list)

        self.territory_box = QGroupBox()
        territory = QVBoxLayout(self.territory_box)
        self.territory_hint = QLabel()
        self.territory_hint.setWordWrap(True)
        self.territory_hint.setObjectName("hint")
        add_row = QHBoxLayout()
        add_row.addWidget(self.municipality_edit, 1)
        add_row.addWidget(self.add_municipality_button)
        territory.addWidget(self.territory_hint)
        territory.addLayout(add_row)
        territory.addWidget(self.municipality_list)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_municipality_button)
        territory.addLayout(remove_row)

        lower = QHBoxLayout()
        lower.addWidget(self.sectors_box, 3)
        lower.addWidget(self.territory_box, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.general_box)
        layout.addLayout(lower, 1)

        self.name_edit.textEdited.connect(self._on_name_edited)
        self.name_edit.editingFinished.connect(self._on_name_finished)
        self.kind_combo.activated.connect(self._on_kind_changed)
        self.language_combo.activated.connect(self._on_language_changed)
        self.description_edit.textChanged.connect(self._on_description_changed)
        self.sector_list.itemChanged.connect(self._on_sector_toggled)
        self.add_municipality_button.clicked.connect(self._on_add_municipality)
        self.municipality_edit.returnPressed.connect(self._on_add_municipality)
        self.remove_municipality_button.clicked.connect(self._on_remove_municipalities)
        QShortcut(QKeySequence.StandardKey.Delete, self.municipality_list, self._on_remove_municipalities,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.retranslate()

    # -- binding ----------------------------------------------------------------------------

    @property
    def district_id(self) -> str | None:
        return self._district.id if self._district else None

    def show_district(self, district_id: str | None) -> None:
        try:
            self._district = get_district(self._store, district_id) if district_id else None
        except NotFound:
            self._district = None
        self._load()

    def refresh(self, changes: ChangeSet) -> None:
        if self._district and (changes.touches("district", self._district.id)
                               or changes.touches("stakeholder") or changes.touches("relation")):
            self.show_district(self._district.id)

    def _load(self) -> None:
        district = self._district
        self.setEnabled(district is not None)
        if district is None:
            return
        blockers = [QSignalBlocker(w) for w in (self.name_edit, self.kind_combo, self.language_combo,
                                                self.description_edit, self.sector_list)]
        # Compare normalised text, so a trailing space being typed is not taken away mid-word.
        typed = " ".join(self.name_edit.text().split())
        if typed != district.name and not (self.name_edit.hasFocus() and not typed):
            cursor = self.name_edit.cursorPosition()
            self.name_edit.setText(district.name)
            self.name_edit.setCursorPosition(min(cursor, len(district.name)))
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(district.kind))
        self.language_combo.setCurrentIndex(self.language_combo.findData(district.language))
        if self.description_edit.toPlainText() != district.description:
            self.description_edit.setPlainText(district.description)
        for row in range(self.sector_list.count()):
            item = self.sector_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in district.sectors
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        del blockers
        self.municipality_list.clear()
        self.municipality_list.addItems(district.municipalities)
        self._update_texts()

    def _update_texts(self) -> None:
        district = self._district
        if district is None:
            self.title.setText(_("No district selected"))
            self.summary.setText("")
            return
        self.title.setText(district.name)
        counts = count_rows(self._store, district.id)
        self.summary.setText(" · ".join([
            DistrictKind(district.kind).label,
            ngettext("{count} stakeholder", "{count} stakeholders", counts["stakeholders"]).format(
                count=format_number(counts["stakeholders"])),
            ngettext("{count} relation", "{count} relations", counts["relations"]).format(
                count=format_number(counts["relations"])),
            ngettext("{count} municipality", "{count} municipalities", len(district.municipalities)).format(
                count=format_number(len(district.municipalities))),
        ]))

    def retranslate(self) -> None:
        self.general_box.setTitle(_("District"))
        self._name_label.setText(_("&Name"))
        self._kind_label.setText(_("&Kind"))
        self._language_label.setText(_("&Working language"))
        self._description_label.setText(_("&Description"))
        self.name_edit.setPlaceholderText(_("e.g. Solidarity-economy district of the valley"))
        self.name_hint.setText(_("A district needs a name."))
        for row, kind in enumerate(DistrictKind):
            self.kind_combo.setItemText(row, kind.label)
        self.kind_combo.setToolTip(_("Territorial: one valley or community, mixed activities. "
                                     "Thematic: one sector across the province."))
        self.description_edit.setPlaceholderText(_("Why this district, in a few sentences"))
        self.sectors_box.setTitle(_("Sectors (Law 13/2010, art. 3)"))
        self.sectors_hint.setText(_("Tick the solidarity-economy sectors the district works in."))
        blocker = QSignalBlocker(self.sector_list)
        for row, sector in enumerate(Sector):
            self.sector_list.item(row).setText(sector.label)
        del blocker
        self.territory_box.setTitle(_("Territory"))
        self.territory_hint.setText(_("Municipalities of Trentino are suggested as you type; "
                                      "any other place can be added too."))
        self.municipality_edit.setPlaceholderText(_("Municipality"))
        self.municipality_edit.setAccessibleName(_("Add a municipality"))
        self.add_municipality_button.setText(_("&Add"))
        self.remove_municipality_button.setText(_("&Remove selected"))
        self.sector_list.setAccessibleName(_("Sectors"))
        self.municipality_list.setAccessibleName(_("Municipalities"))
        self._update_texts()

    # -- edits ------------------------------------------------------------------------------

    def _request(self, fields: dict, text: str, merge_key: str = "") -> None:
        if self._district is not None:
            self.edit_requested.emit(self._district.id, fields, text, merge_key)

    def _on_name_edited(self, text: str) -> None:
        empty = not text.strip()
        self.name_hint.setVisible(empty)
        if not empty:
            self._request({"name": text}, _("Rename district"), "name")

    def _on_name_finished(self) -> None:
        if self._district and not self.name_edit.text().strip():
            self.name_edit.setText(self._district.name)  # an empty name is never saved
            self.name_hint.hide()

    def _on_kind_changed(self, _index: int) -> None:
        self._request({"kind": self.kind_combo.currentData()}, _("Change district kind"))

    def _on_language_changed(self, _index: int) -> None:
        self._request({"language": self.language_combo.currentData()}, _("Change working language"))

    def _on_description_changed(self) -> None:
        self._request({"description": self.description_edit.toPlainText()}, _("Edit description"), "description")

    def _on_sector_toggled(self, _item: QListWidgetItem) -> None:
        sectors = [self.sector_list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.sector_list.count())
                   if self.sector_list.item(r).checkState() == Qt.CheckState.Checked]
        self._request({"sectors": sectors}, _("Change sectors"))

    def _on_add_municipality(self) -> None:
        name = self.municipality_edit.text().strip()
        if not name or self._district is None:
            return
        self._request({"municipalities": [*self._district.municipalities, name]}, _("Add municipality"))
        self.municipality_edit.clear()

    def _on_remove_municipalities(self) -> None:
        if self._district is None:
            return
        chosen = {item.text() for item in self.municipality_list.selectedItems()}
        if chosen:
            remaining = [m for m in self._district.municipalities if m not in chosen]
            self._request({"municipalities": remaining}, _("Remove municipalities"))


class DistrictsPage(QWidget):
    """List on the left, form on the right; an inviting empty state when there is no district yet."""

    current_changed = Signal(str)
    create_requested = Signal()
    demo_requested = Signal()
    duplicate_requested = Signal()
    delete_requested = Signal()
    edit_failed = Signal(object)

    def __init__(self, store: Store, model: DistrictListModel, run_edit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._model = model
        self._run_edit = run_edit

        self.list_view = QListView()
        self.list_view.setModel(model)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setMinimumWidth(200)
        self.list_view.setWordWrap(True)
        self.list_view.setSpacing(2)
        self.new_button = QPushButton()
        self.duplicate_button = QPushButton()
        self.delete_button = QPushButton()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list_title = QLabel()
        self.list_title.setObjectName("sectionTitle")
        left_layout.addWidget(self.list_title)
        left_layout.addWidget(self.list_view, 1)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        left_layout.addLayout(buttons)

        self.form = DistrictForm(store)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 740])

        self.empty = QWidget()
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        self.empty_title = QLabel()
        self.empty_title.setObjectName("pageTitle")
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text = QLabel()
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_create = QPushButton()
        self.empty_create.setDefault(True)
        self.empty_demo = QPushButton()
        empty_buttons = QHBoxLayout()
        empty_buttons.addStretch(1)
        empty_buttons.addWidget(self.empty_create)
        empty_buttons.addWidget(self.empty_demo)
        empty_buttons.addStretch(1)
        empty_layout.addWidget(self.empty_title)
        empty_layout.addWidget(self.empty_text)
        empty_layout.addLayout(empty_buttons)
        empty_layout.addStretch(2)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.new_button.clicked.connect(self.create_requested)
        self.empty_create.clicked.connect(self.create_requested)
        self.empty_demo.clicked.connect(self.demo_requested)
        self.duplicate_button.clicked.connect(self.duplicate_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self.list_view.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.form.edit_requested.connect(self._on_edit_requested)
        model.modelReset.connect(self._update_empty_state)
        store.subscribe(self.form.refresh)
        self._update_empty_state()
        self.retranslate()

    def detach(self) -> None:
        self._store.unsubscribe(self.form.refresh)

    def select(self, district_id: str | None) -> None:
        row = self._model.row_of(district_id)
        if row >= 0:
            index = self._model.index(row)
            if self.list_view.currentIndex() != index:
                self.list_view.setCurrentIndex(index)
        if self.form.district_id != district_id:
            self.form.show_district(district_id)
        self._update_empty_state()

    def retranslate(self) -> None:
        self.list_title.setText(_("Districts"))
        self.new_button.setText(_("&New…"))
        self.new_button.setToolTip(_("Create a district (Ctrl+N)"))
        self.duplicate_button.setText(_("D&uplicate"))
        self.duplicate_button.setToolTip(_("Copy the district with all its records (Ctrl+D)"))
        self.delete_button.setText(_("De&lete…"))
        self.delete_button.setToolTip(_("Delete the district (it can be undone)"))
        self.empty_title.setText(_("Welcome to SSD Starter"))
        self.empty_text.setText(_("There is no district yet. Create the district you are promoting, or look "
                                  "around in a demo district from Valsugana and Tesino first."))
        self.empty_create.setText(_("Create a district…"))
        self.empty_demo.setText(_("Open the demo district"))
        self.list_view.setAccessibleName(_("Districts"))
        self.form.retranslate()
        self._model.retranslate()

    def _update_empty_state(self) -> None:
        has_any = self._model.rowCount() > 0
        self.stack.setCurrentWidget(self.splitter if has_any else self.empty)
        self.duplicate_button.setEnabled(self.form.district_id is not None)
        self.delete_button.setEnabled(self.form.district_id is not None)

    def _on_list_current_changed(self, current, _previous) -> None:
        district = self._model.district_at(current.row())
        if district is not None:
            self.current_changed.emit(district.id)

    def _on_edit_requested(self, district_id: str, fields: dict, text: str, merge_key: str) -> None:
        try:
            edit = update_district(district_id, **fields)
        except UserError as exc:
            self.edit_failed.emit(exc)
            self.form.show_district(district_id)
            return
        self._run_edit(edit, text, f"{district_id}:{merge_key}" if merge_key else None)
