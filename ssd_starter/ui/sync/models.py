"""The Sync area's record lists: the advisors' comments received from the Centre and the values that lost a
concurrent edit. Both name the record they are about by the actor's name (the table's name otherwise).

Neither table travels in change-sets (comments are saved by a sync, clashes by a merge, outside an edit), so
the page reloads these models after a sync or an import and refreshes a settled clash's row itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ssd_starter.core.vocabulary import TABLE_LABELS
from ssd_starter.i18n import N_, _, format_datetime
from ssd_starter.store.comments import comments_on
from ssd_starter.store.conflicts import open_conflicts
from ssd_starter.store.stakeholders import list_stakeholders
from ssd_starter.ui.row_model import Column, RowCacheModel

VALUE_SHOWN = 160  # characters of a clashed value in the list; the rest is in the tooltip


def _record_kind(table: str) -> str:
    label = TABLE_LABELS.get(table)
    return _(label) if label else table


def readable(value: Any) -> str:
    """A stored value as a person reads it: a charter section's or a list's texts joined, not its JSON."""
    if isinstance(value, dict):
        return " · ".join(filter(None, (readable(v) for v in value.values())))
    if isinstance(value, list):
        return ", ".join(filter(None, (readable(v) for v in value)))
    if isinstance(value, bool) or value is None:
        return ""
    return str(value)


def _short(text: str) -> str:
    return text if len(text) <= VALUE_SHOWN else text[:VALUE_SHOWN - 1] + "…"


class _AboutRecordsModel(RowCacheModel):
    """A one-column list of rows about other records; each row gets ``about``, the record's name."""

    def fetch_rows(self, district_id: str) -> list[dict[str, Any]]:
        raise NotImplementedError(type(self).__name__)

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        names = {a["id"]: a["name"] for a in list_stakeholders(self._store, district_id)}
        return [{**row, "about": names.get(row["row_id"]) or _record_kind(row["table_name"])}
                for row in self.fetch_rows(district_id)]

    def about_ids(self) -> set[str]:
        """The records this list names: a change to one of them may change how a row reads."""
        return {row["row_id"] for row in self.records()}

    def refresh(self, row_id: str) -> None:
        """Read one row again (gone: it leaves the list, the others keep their selection)."""
        self._refresh_row(row_id)


class CentreCommentsModel(_AboutRecordsModel):
    TABLE = "comment"
    COLUMNS = (Column("text", N_("Comments from the Centre")),)

    def fetch_rows(self, district_id: str) -> list[dict[str, Any]]:
        """The comments on their own: a thread's messages are read in their thread (the review panel)."""
        from ssd_starter.store.review import thread_message_ids

        in_threads = thread_message_ids(self._store, district_id)
        return [c for c in comments_on(self._store, district_id) if c["id"] not in in_threads]

    def display(self, record: dict[str, Any], column: Column) -> str:
        return _("{author}, {when} — on {record}: {text}").format(
            author=record["author"], when=format_datetime(record["created_at"]), record=record["about"],
            text=record["text"])


class ClashesModel(_AboutRecordsModel):
    TABLE = "conflict"
    COLUMNS = (Column("field", N_("Edits that clashed")),)

    def fetch_rows(self, district_id: str) -> list[dict[str, Any]]:
        from ssd_starter.store.devices import device_names

        names = device_names(self._store, district_id)
        return [{**row, "kept_by": self._who(row["kept"], names), "other_by": self._who(row["other"], names)}
                for row in open_conflicts(self._store, district_id)]

    def _who(self, side: dict[str, Any], names: dict[str, str]) -> str:
        """Who wrote a value, by the name of the device (or person) it came from: as the district's device list
        names it now, else as it was named when the clash was found."""
        name = names.get(side.get("origin", "")) or side.get("name") or ""
        if side.get("origin") == self._store.device_id:
            return _("{name} (this device)").format(name=name) if name else _("this device")
        return name or _("another installation")

    def display(self, record: dict[str, Any], column: Column) -> str:
        return _("{record}, {field}: kept “{kept}” from {kept_by}; “{other}” from {other_by} lost").format(
            record=record["about"], field=record["field"], kept=_short(readable(record["kept"]["value"])),
            kept_by=record["kept_by"], other=_short(readable(record["other"]["value"])), other_by=record["other_by"])

    def extra_data(self, record: dict[str, Any], column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n\n".join((readable(record["kept"]["value"]), readable(record["other"]["value"])))
        return None
