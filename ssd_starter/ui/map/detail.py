"""The selected actor's full record and relations. Every change is saved at once as an undoable edit."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QLocale, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.vocabulary import Attitude, Category, Role, Sector, Stage
from ssd_starter.i18n import N_, _, ngettext
from ssd_starter.store import Change, Store
from ssd_starter.store.edits import Edit
from ssd_starter.store.people import ErasureReport, Mention
from ssd_starter.store.stakeholders import get_stakeholder, update_stakeholder
from ssd_starter.ui.fitting import ElidingComboBox
from ssd_starter.ui.map.actor_multiplier import ActorMultiplierLabel
from ssd_starter.ui.map.relations import RelationsBox
from ssd_starter.ui.review_threads import ReviewBadge
from ssd_starter.ui.row_model import RowCacheModel

RunEdit = Callable[..., bool]
MENTIONS_SHOWN = 8  # in the confirmation itself; the full list is under "Show Details…"



def full_year_format(pattern: str) -> str:
    """Qt's short date format with the year in full ("dd.MM.yy" read "12.02.26")."""
    return pattern if "yyyy" in pattern else pattern.replace("yy", "yyyy")

class ActorDetail(QWidget):
    personal_data_erased = Signal()  # undo history may hold the erased values: it must be dropped

    def __init__(self, store: Store, actors: RowCacheModel, run_edit: RunEdit,
                 on_error: Callable[[UserError], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._run_edit = run_edit
        self._on_error = on_error
        self._actor: dict[str, Any] | None = None
        self._district_id: str | None = None

        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.category_combo = self._enum_combo(Category)
        self.sector_combo = self._enum_combo(Sector, blank=True)
        self.municipality_edit = QLineEdit()
        self.role_checks = {role.value: QCheckBox() for role in Role}
        self.influence_spin = QSpinBox(minimum=1, maximum=5)
        self.interest_spin = QSpinBox(minimum=1, maximum=5)
        self.attitude_combo = self._enum_combo(Attitude)
        self.stage_combo = self._enum_combo(Stage)
        self.contact_edit = QLineEdit()
        self.email_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.consent_check = QCheckBox()
        self.consent_date = QDateEdit()
        self.consent_date.setCalendarPopup(True)
        self.consent_purpose_edit = QLineEdit()
        self.consent_warning = QLabel()
        self.consent_warning.setObjectName("fieldError")
        self.consent_warning.setWordWrap(True)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setMaximumHeight(70)

        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        roles = QWidget()
        roles_layout = QVBoxLayout(roles)
        roles_layout.setContentsMargins(0, 0, 0, 0)
        roles_layout.setSpacing(0)
        for check in self.role_checks.values():
            roles_layout.addWidget(check)
        scores = QHBoxLayout()
        scores.addWidget(self.influence_spin)
        self.interest_label = QLabel()
        scores.addWidget(self.interest_label)
        scores.addWidget(self.interest_spin)
        scores.addStretch(1)
        for key, widget in (("name", self.name_edit), ("category", self.category_combo),
                            ("sector", self.sector_combo), ("municipality", self.municipality_edit),
                            ("roles", roles), ("influence", scores), ("attitude", self.attitude_combo),
                            ("stage", self.stage_combo), ("notes", self.notes_edit)):
            label = QLabel()
            self.labels[key] = label
            form.addRow(label, widget)
            if isinstance(widget, QWidget):
                label.setBuddy(widget)
        self.labels["influence"].setBuddy(self.influence_spin)
        self.interest_label.setBuddy(self.interest_spin)

        self.contact_box = QGroupBox()
        contact = QFormLayout(self.contact_box)
        for key, widget in (("contact_person", self.contact_edit), ("email", self.email_edit),
                            ("phone", self.phone_edit), ("consent", self.consent_check),
                            ("consent_date", self.consent_date), ("consent_purpose", self.consent_purpose_edit)):
            label = QLabel()
            label.setBuddy(widget)
            self.labels[key] = label
            contact.addRow(label, widget)
        contact.addRow(self.consent_warning)
        self.export_person_button = QPushButton()
        self.erase_person_button = QPushButton()
        rights = QHBoxLayout()
        rights.addWidget(self.export_person_button)
        rights.addWidget(self.erase_person_button)
        contact.addRow(rights)
        self.export_person_button.clicked.connect(self._on_export_person)
        self.erase_person_button.clicked.connect(self._on_erase_person)

        self.relations = RelationsBox(store, actors, run_edit, on_error)

        self.review_badge = ReviewBadge(store, "stakeholder")  # the Centre's threads about this actor
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.review_badge, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        # the fields, shown only with an actor: empty and disabled they showed "Cooperative / 01/01/2000"
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(form)
        self.multiplier = ActorMultiplierLabel(store)  # NEF's LM3 of this one actor
        body.addWidget(self.multiplier)
        body.addWidget(self.contact_box)
        body.addWidget(self.relations)
        layout.addWidget(self.body)
        layout.addStretch(1)

        self._connect()
        self.retranslate()
        self.show_actor(None, None)

    @staticmethod
    def _enum_combo(enum, *, blank: bool = False) -> QComboBox:
        combo = ElidingComboBox()
        # long labels (sector names) must not widen the pane: shortened, whole in the tooltip and the popup
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        if blank:
            combo.addItem("—", None)
        for member in enum:
            combo.addItem("", member.value)
        return combo

    def _connect(self) -> None:
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.municipality_edit.textEdited.connect(lambda t: self._save({"municipality": t}, "municipality"))
        self.contact_edit.textEdited.connect(lambda t: self._save({"contact_person": t}, "contact_person"))
        self.email_edit.textEdited.connect(lambda t: self._save({"email": t}, "email"))
        self.phone_edit.textEdited.connect(lambda t: self._save({"phone": t}, "phone"))
        self.consent_purpose_edit.textEdited.connect(lambda t: self._save({"consent_purpose": t}, "consent_purpose"))
        self.notes_edit.textChanged.connect(lambda: self._save({"notes": self.notes_edit.toPlainText()}, "notes"))
        for combo, field in ((self.category_combo, "category"), (self.sector_combo, "sector"),
                             (self.attitude_combo, "attitude"), (self.stage_combo, "stage")):
            combo.activated.connect(lambda _i, c=combo, f=field: self._save({f: c.currentData()}))
        self.influence_spin.valueChanged.connect(lambda v: self._save({"influence": v}, "influence"))
        self.interest_spin.valueChanged.connect(lambda v: self._save({"interest": v}, "interest"))
        for check in self.role_checks.values():
            check.toggled.connect(self._on_roles_toggled)
        self.consent_check.toggled.connect(self._on_consent_toggled)
        self.consent_date.dateChanged.connect(
            lambda d: self._save({"consent_date": dt.date(d.year(), d.month(), d.day())}))

    # -- binding ----------------------------------------------------------------------------

    @property
    def actor_id(self) -> str | None:
        return self._actor["id"] if self._actor else None

    def show_actor(self, district_id: str | None, actor_id: str | None) -> None:
        self._district_id = district_id
        try:
            actor = get_stakeholder(self._store, actor_id) if actor_id else None
        except UserError:
            actor = None
        self._actor = actor if actor is not None and not actor["deleted"] else None  # deleted: shown no more
        self._load()

    def refresh(self, changes: list[Change]) -> None:
        """Read the actor again when one of ``changes`` is to it; its relations refresh themselves."""
        if self._actor and any(c.table == "stakeholder" and c.row_id == self._actor["id"] for c in changes):
            self.show_actor(self._district_id, self._actor["id"])

    def detach(self) -> None:
        self.relations.detach()
        self.multiplier.detach()

    def _load(self) -> None:
        actor = self._actor
        for widget in self.findChildren(QWidget):
            if widget is not self.title:
                widget.setEnabled(actor is not None)
        self.relations.set_actor(self._district_id, actor["id"] if actor else None)
        self.review_badge.show_record(self._district_id, actor["id"] if actor else None, actor["name"] if actor else "")
        self.multiplier.show_actor(self._district_id, actor["id"] if actor else None)
        self.body.setVisible(actor is not None)
        if actor is None:
            self.title.setText(_("Select an actor to see and edit its details."))
            self.consent_warning.hide()
            return
        widgets = [self.name_edit, self.category_combo, self.sector_combo, self.municipality_edit,
                   self.influence_spin, self.interest_spin, self.attitude_combo, self.stage_combo,
                   self.contact_edit, self.email_edit, self.phone_edit, self.consent_check, self.consent_date,
                   self.consent_purpose_edit, self.notes_edit, *self.role_checks.values()]
        blockers = [QSignalBlocker(w) for w in widgets]
        self.title.setText(actor["name"])
        for edit, field in ((self.name_edit, "name"), (self.municipality_edit, "municipality"),
                            (self.contact_edit, "contact_person"), (self.email_edit, "email"),
                            (self.phone_edit, "phone"), (self.consent_purpose_edit, "consent_purpose")):
            if edit.text().strip() != (actor[field] or ""):
                edit.setText(actor[field] or "")
                if not edit.hasFocus():
                    edit.setCursorPosition(0)  # show the beginning of a long name
        for combo, field in ((self.category_combo, "category"), (self.sector_combo, "sector"),
                             (self.attitude_combo, "attitude"), (self.stage_combo, "stage")):
            combo.setCurrentIndex(max(0, combo.findData(actor[field])))
        self.influence_spin.setValue(actor["influence"])
        self.interest_spin.setValue(actor["interest"])
        for role, check in self.role_checks.items():
            check.setChecked(role in actor["roles"])
        self.consent_check.setChecked(actor["consent"])
        date = actor["consent_date"]
        self.consent_date.setDate(QDate(date.year, date.month, date.day) if date else QDate.currentDate())
        self.consent_date.setEnabled(actor["consent"])
        if self.notes_edit.toPlainText() != actor["notes"]:
            self.notes_edit.setPlainText(actor["notes"])
        del blockers
        has_contact = bool(actor["email"] or actor["phone"] or actor["contact_person"])
        self.consent_warning.setVisible(has_contact and not actor["consent"])

    def retranslate(self) -> None:
        labels = {"name": _("&Name"), "category": _("Category"), "sector": _("Sector"),
                  "municipality": _("Municipality"), "roles": _("Roles"), "influence": _("Influence"),
                  "attitude": _("Attitude"), "stage": _("Stage"), "notes": _("Notes"),
                  "contact_person": _("Contact person"), "email": _("E-mail"), "phone": _("Phone"),
                  "consent": _("Consent"), "consent_date": _("Date of consent"),
                  "consent_purpose": _("Purpose of consent")}
        for key, text in labels.items():
            self.labels[key].setText(text)
        self.interest_label.setText(_("Interest"))
        self.consent_date.setDisplayFormat(full_year_format(QLocale().dateFormat(QLocale.FormatType.ShortFormat)))
        for combo, enum in ((self.category_combo, Category), (self.sector_combo, Sector),
                            (self.attitude_combo, Attitude), (self.stage_combo, Stage)):
            offset = 1 if combo is self.sector_combo else 0
            for row, member in enumerate(enum):
                combo.setItemText(row + offset, member.label)
        for role, check in self.role_checks.items():
            check.setText(Role(role).label)
        self.consent_check.setText(_("Given"))
        self.consent_check.setToolTip(_("The person agreed to be contacted and to have these details recorded"))
        self.consent_warning.setText(_("Contact details are held without consent: record consent or erase them."))
        self.contact_box.setTitle(_("Contact (personal data)"))
        self.export_person_button.setText(_("Export data…"))
        self.export_person_button.setToolTip(_("Everything held on this contact, as a JSON file (GDPR art. 15)"))
        self.erase_person_button.setText(_("Erase data…"))
        self.erase_person_button.setToolTip(_("Erase this contact's personal details everywhere, backups included "
                                              "(GDPR art. 17). This cannot be undone."))
        self.relations.retranslate()
        self._load()

    # -- edits ------------------------------------------------------------------------------

    def _save(self, fields: dict[str, Any], merge_key: str | None = None) -> None:
        if self._actor is None:
            return
        try:
            edit: Edit = update_stakeholder(self._actor["id"], **fields)
        except UserError as exc:
            self._on_error(exc)
            return
        key = f"{self._actor['id']}:{merge_key}" if merge_key else None
        self._run_edit(edit, _("Edit {name}").format(name=self._actor["name"]), key)

    def _on_name_edited(self, text: str) -> None:
        if text.strip():  # an actor always has a name: clearing the field keeps the stored one
            self._save({"name": text}, "name")

    def _on_roles_toggled(self, _checked: bool) -> None:
        self._save({"roles": [r for r, c in self.role_checks.items() if c.isChecked()]})

    def _on_consent_toggled(self, checked: bool) -> None:
        fields: dict[str, Any] = {"consent": checked}
        if checked and not (self._actor or {}).get("consent_date"):
            fields["consent_date"] = dt.date.today()
        self._save(fields)

    def ask_export_path(self) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export personal data"),
                                                    str(Path.home() / "personal-data.json"), _("JSON (*.json)"))
        return Path(path) if path else None

    def confirm_erase(self, name: str, mentions: Sequence[Mention] = ()) -> tuple[bool, bool]:
        """(erase?, also replace the mentions found in free text?). The mentions are shown, never judged:
        "Maria Rossi" in a note may be someone else of the same name."""
        box = QMessageBox(QMessageBox.Icon.Warning, _("Erase personal data"),
                          _("Erase the contact details of {name} everywhere, including the change history and the "
                            "backups that hold them? This cannot be undone.").format(name=name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        clear = QCheckBox(_("Also replace these mentions with “[erased]”"))
        if mentions:
            lines = [f"• {m.where}: {m.snippet}" for m in mentions]
            shown = lines[:MENTIONS_SHOWN] + (["…"] if len(lines) > MENTIONS_SHOWN else [])
            box.setInformativeText("\n".join([ngettext(
                "{count} note or other text elsewhere mentions this person. Check whether it is about them:",
                "{count} notes or other texts elsewhere mention this person. Check whether they are about them:",
                len(mentions)).format(count=len(mentions)), *shown]))
            box.setDetailedText("\n".join(lines))
            box.setCheckBox(clear)
        answer = box.exec()
        return answer == QMessageBox.StandardButton.Yes, bool(mentions) and clear.isChecked()

    def report_erasure(self, report: ErasureReport) -> None:
        """Files erasure may not judge (a damaged file moved aside, a copy made by hand) are named, not deleted."""
        if report.files_still_holding:
            QMessageBox.information(
                self, _("Erase personal data"),
                "\n".join([_("These files still hold the person's data; SSD Starter did not change them:"),
                           *(str(p) for p in report.files_still_holding)]))

    def _on_export_person(self) -> None:
        if self._actor is None:
            return
        path = self.ask_export_path()
        if path is None:
            return
        from ssd_starter.files import write_bytes_atomically
        from ssd_starter.store.people import person_record

        data = json.dumps(person_record(self._store, self._actor["id"]), ensure_ascii=False, indent=2)
        try:
            write_bytes_atomically(path, data.encode("utf-8"))
        except OSError as exc:
            self._on_error(UserError(N_("The file could not be written: {reason}"), reason=exc.strerror or str(exc)))

    def _on_erase_person(self) -> None:
        if self._actor is None:
            return
        from ssd_starter.settings import Settings
        from ssd_starter.store.people import erase_person, preview_erasure

        try:
            mentions = preview_erasure(self._store, self._actor["id"])
        except UserError as exc:
            self._on_error(exc)
            return
        erase, clear = self.confirm_erase(self._actor["name"], mentions)
        if not erase:
            return
        try:
            report = erase_person(self._store, self._actor["id"], keep_backups=Settings().get("backups_keep"),
                                  clear_mentions=clear)
        except UserError as exc:
            self._on_error(exc)
            return
        self.personal_data_erased.emit()
        self.report_erasure(report)
