"""The Sync area's status: when the district last synced and how it went, what went and came (per kind of
record), the clashes waiting, the records waiting for others, and the district's devices — each with when it
was last seen — with a button that invites one more device.

Read from the store's record of runs (``store.devices``); refreshed when a sync or an import ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ssd_starter.i18n import _, format_datetime, ngettext
from ssd_starter.store import Store

Invite = Callable[[], None]


def kind_count(table: str, count: int) -> str:
    """``count`` records of one kind, as a person reads it (“3 actors”)."""
    forms = {
        "district": ngettext("{count} district", "{count} districts", count),
        "stakeholder": ngettext("{count} actor", "{count} actors", count),
        "relation": ngettext("{count} relation", "{count} relations", count),
        "charter": ngettext("{count} charter", "{count} charters", count),
        "charter_section": ngettext("{count} charter section", "{count} charter sections", count),
        "charter_version": ngettext("{count} charter version", "{count} charter versions", count),
        "canvas_item": ngettext("{count} canvas card", "{count} canvas cards", count),
        "flow": ngettext("{count} flow", "{count} flows", count),
        "scenario": ngettext("{count} scenario", "{count} scenarios", count),
        "workshop": ngettext("{count} workshop", "{count} workshops", count),
        "participant": ngettext("{count} participant", "{count} participants", count),
        "attendance": ngettext("{count} attendance", "{count} attendances", count),
        "answer": ngettext("{count} exercise answer", "{count} exercise answers", count),
        "indicator_snapshot": ngettext("{count} indicator snapshot", "{count} indicator snapshots", count),
    }
    return forms.get(table, ngettext("{count} record", "{count} records", count)).format(count=count)


def counts_text(counts: Mapping[str, int]) -> str:
    """Per kind, the most first: “12 actors, 3 relations”; “nothing” when empty."""
    if not counts:
        return _("nothing")
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(kind_count(table, count) for table, count in ordered)


def short_counts(counts: Mapping[str, int], shown: int = 3) -> str:
    """The most numerous kinds and how many records else: “87 relations, 60 flows, 43 actors and 58 more”."""
    if len(counts) <= shown:
        return counts_text(counts)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rest = sum(count for _table, count in ordered[shown:])
    return ngettext("{kinds} and {count} more", "{kinds} and {count} more", rest).format(
        kinds=", ".join(kind_count(table, count) for table, count in ordered[:shown]), count=rest)


def when(value: dt.datetime | None) -> str:
    return format_datetime(value, style="short") if value is not None else "—"


def run_text(run: Mapping[str, Any] | None) -> str:
    """The last sync with the Centre, in one line."""
    if run is None:
        return _("Not synced with the Centre yet.")
    at = when(run["finished_at"] or run["started_at"])
    outcome = run["outcome"]
    if outcome == "done":
        return _("Last sync: {when}.").format(when=at)
    if outcome == "cancelled":
        return _("Last sync: {when}, stopped before the end (what arrived is kept).").format(when=at)
    if outcome == "running":
        return _("A sync started {when} has not finished.").format(when=at)
    return _("Last sync: {when}, failed: {reason}").format(when=at, reason=run["detail"] or "—")


class SyncStatusPanel(QGroupBox):
    """What the promoter asks first: is it in step, what moved, what waits, who else works on it. A few lines
    of text, so it fits beside the sync's controls on a wide screen and under them on a 1024-pixel one."""

    def __init__(self, store: Store, invite: Invite, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._district: str | None = None
        self.last_sync = QLabel()
        self.moved = QLabel()
        self.waiting = QLabel()
        self.devices = QLabel()
        for label in (self.last_sync, self.moved, self.waiting, self.devices):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.invite_button = QPushButton()
        self.invite_button.clicked.connect(invite)
        self.code = QLabel()  # the code of the last invitation, to read out
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setWordWrap(True)
        self.code.hide()
        devices_row = QHBoxLayout()  # the button beside the devices it adds to: one line less
        devices_row.addWidget(self.devices, 1)
        devices_row.addWidget(self.invite_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.setContentsMargins(6, 4, 6, 4)
        for widget in (self.last_sync, self.moved, self.waiting):
            layout.addWidget(widget)
        layout.addLayout(devices_row)
        layout.addWidget(self.code)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(_("Status"))
        self.devices.setAccessibleName(_("The district's devices"))
        self.invite_button.setText(_("Invite a device…"))
        self.invite_button.setToolTip(_("A one-time code with which one more installation joins this district: "
                                        "on it, ssd-starter device join --centre URL --code CODE"))
        self.refresh()

    def set_district(self, district_id: str | None) -> None:
        if district_id != self._district:
            self.code.hide()
        self._district = district_id
        self.refresh()

    def show_code(self, code: str, expires: str) -> None:
        self.code.setText(_("Device code: {code} (once, until {expires})").format(code=code, expires=expires))
        self.code.show()

    def refresh(self) -> None:
        from ssd_starter.store import devices as known

        district = self._district
        if not district:
            for label in (self.last_sync, self.moved, self.waiting, self.devices):
                label.clear()
            return
        run = known.last_run(self._store, district, "centre")
        self.last_sync.setText(run_text(run))
        if run is not None:
            self.moved.setText(_("Sent: {sent}. Received: {received}.").format(
                sent=short_counts(run["sent"]), received=short_counts(run["received"])))
            self.moved.setToolTip(_("Sent: {sent}. Received: {received}.").format(
                sent=counts_text(run["sent"]), received=counts_text(run["received"])))
        else:
            self.moved.clear()
        clashes, waiting = known.open_clash_count(self._store, district), known.waiting_count(self._store, district)
        lines = [ngettext("{count} clash waiting for you (Edits that clashed).",
                          "{count} clashes waiting for you (Edits that clashed).", clashes).format(count=clashes)
                 if clashes else _("No clash waiting.")]
        if waiting:
            lines.append(ngettext("{count} record waits for a record it needs, from a device that has not synced "
                                  "yet.", "{count} records wait for records they need, from a device that has not "
                                  "synced yet.", waiting).format(count=waiting))
        self.waiting.setText(" ".join(lines))
        self.devices.setText(_("Devices: {devices}").format(devices=" · ".join(self.device_lines(district))))

    def device_lines(self, district: str) -> list[str]:
        """Each device of the district with when it was last seen (or that it is this one, or revoked)."""
        from ssd_starter.store import devices as known

        listed = known.district_devices(self._store, district)
        if not listed:
            listed = [{"device_id": self._store.device_id, "name": known.device_name(self._store),
                       "revoked_at": None, "last_seen_at": None}]
        shown = []
        for device in listed:
            name = device["name"] or device["device_id"][:8]
            if device["device_id"] == self._store.device_id:
                shown.append(_("{name} (this device)").format(name=name))
            elif device["revoked_at"] is not None:
                shown.append(_("{name} (revoked {when})").format(name=name, when=when(device["revoked_at"])))
            elif device["last_seen_at"] is not None:
                shown.append(_("{name} (seen {when})").format(name=name, when=when(device["last_seen_at"])))
            else:
                shown.append(_("{name} (not seen yet)").format(name=name))
        return shown
