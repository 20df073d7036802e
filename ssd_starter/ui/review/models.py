"""The review area's lists, over what the Centre's advisor API answers (plain JSON documents as dicts, from the
Centre or from the local copy): the queue of submissions, a submission's history and indicators, its
district's actors, flows, canvas cards, charter sections and checklist, the threads, and the districts'
overview side by side.

Built on the same ``RowsModel`` as the store's record lists (columns of ``Column``, the same roles); the
rows are set whole when an answer arrives. Read-only: an advisor reads a district, never edits it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ssd_starter.centre.advisor_client import STATE_LABELS
from ssd_starter.core.indicators import INDICATORS, STATUS_LABELS, format_value
from ssd_starter.core.vocabulary import (
    TABLE_LABELS,
    Attitude,
    CanvasBlock,
    Category,
    FlowKind,
    Role,
    Stage,
    label_of,
)
from ssd_starter.i18n import N_, _, format_currency, format_datetime, format_number
from ssd_starter.ui.row_model import Column, RecordRole, RowsModel

INDICATOR_KEYS = {info.key: info for info in INDICATORS}
NUMBER = Qt.AlignmentFlag.AlignRight
STATE_ORDER = ("received", "has_issues", "approved", "rejected")
WAITING = N_("waiting to be sent")


def when(value: Any, style: str = "medium") -> str:
    """A time the Centre sent (ISO text) in the window's language."""
    if not value:
        return "—"
    try:
        return format_datetime(dt.datetime.fromisoformat(str(value)).astimezone(), style=style)
    except ValueError:
        return str(value)


def state_label(state: str, pending: bool = False) -> str:
    text = _(STATE_LABELS.get(state, state))
    return _("{state} ({waiting})").format(state=text, waiting=_(WAITING)) if pending else text


class DocumentsModel(RowsModel):
    """Rows that are the Centre's JSON documents, set whole. A cell's text is its tooltip too: a narrow
    column elides it, and the tooltip still says it whole."""

    def set_rows(self, rows: Sequence[Mapping[str, Any]]) -> None:
        self._set_rows(rows)

    def extra_data(self, row: Any, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.display(row, column)
            return text if len(text) > 10 else None
        return None


# -- the queue --------------------------------------------------------------------------------

class SubmissionsModel(DocumentsModel):
    COLUMNS = (
        Column("district_name", N_("District")),
        Column("state", N_("State")),
        Column("received_at", N_("Received"), show=lambda v: when(v, "short")),
    )

    def display(self, row: Mapping[str, Any], column: Column) -> str:
        if column.key == "state":
            return state_label(row["state"], bool(row.get("pending")))
        return super().display(row, column)

    def extra_data(self, row: Mapping[str, Any], column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column.key == "district_name" and row.get("note"):
            return f"{row['district_name']}\n\n{row['note']}"
        return super().extra_data(row, column, role)


class SubmissionFilterModel(QSortFilterProxyModel):
    """The queue by state and by district (both optional), filtered here: the copy holds the whole queue, so
    filters work offline too."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state: str | None = None
        self.district_id: str | None = None

    def set_filters(self, state: str | None, district_id: str | None) -> None:
        self.beginFilterChange()
        self.state, self.district_id = state, district_id
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        record = self.sourceModel().index(row, 0, parent).data(RecordRole)
        return (self.state is None or record["state"] == self.state) and \
            (self.district_id is None or record["district_id"] == self.district_id)


# -- one submission ---------------------------------------------------------------------------

class HistoryModel(DocumentsModel):
    COLUMNS = (
        Column("at", N_("When"), show=when),
        Column("state", N_("State")),
        Column("by", N_("By")),
        Column("comment", N_("Comment")),
    )

    def row_id(self, record: Mapping[str, Any]) -> str:
        return f"{record['at']}/{record['state']}"

    def display(self, row: Mapping[str, Any], column: Column) -> str:
        if column.key == "state":
            return state_label(row["state"], bool(row.get("pending")))
        return super().display(row, column)


class IndicatorsModel(DocumentsModel):
    """The submitted indicators against the district's targets (from the submission's summary)."""

    COLUMNS = (
        Column("title", N_("Indicator")),
        Column("value", N_("Value"), align=NUMBER),
        Column("status", N_("Target")),
    )

    def set_summary(self, summary: Mapping[str, Any]) -> None:
        flows = summary.get("flows") or {}
        values, statuses = flows.get("values") or {}, flows.get("status") or {}
        rows = []
        for info in INDICATORS:
            found = values.get(info.key)
            value = found.get("value") if isinstance(found, dict) else found
            rows.append({"id": info.key, "title": info.title, "value": value,
                         "status": statuses.get(info.key, "none")})
        self.set_rows(rows)

    def display(self, row: Mapping[str, Any], column: Column) -> str:
        if column.key == "title":
            return _(row["title"])
        if column.key == "value":
            return format_value(INDICATOR_KEYS[row["id"]], row["value"])
        return _(STATUS_LABELS.get(row["status"], STATUS_LABELS["none"]))


# -- the district, read-only ------------------------------------------------------------------

def live(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if not r.get("deleted")]


class ActorsModel(DocumentsModel):
    COLUMNS = (
        Column("name", N_("Name")),
        Column("category", N_("Category"), show=lambda v: label_of(Category, v)),
        Column("municipality", N_("Municipality")),
        Column("roles", N_("Roles"), show=lambda v: ", ".join(label_of(Role, r) for r in v or ())),
        Column("stage", N_("Stage"), show=lambda v: label_of(Stage, v)),
        Column("attitude", N_("Attitude"), show=lambda v: label_of(Attitude, v)),
        Column("influence", N_("Influence"), align=NUMBER),
        Column("interest", N_("Interest"), align=NUMBER),
    )
    ANCHOR_TABLE = "stakeholder"


class FlowsModel(DocumentsModel):
    COLUMNS = (
        Column("source_id", N_("From")),
        Column("target_id", N_("To")),
        Column("kind", N_("Kind"), show=lambda v: label_of(FlowKind, v)),
        Column("description", N_("Description")),
        Column("quantity", N_("Quantity"), align=NUMBER),
        Column("value_eur", N_("Euro per year"), show=lambda v: format_currency(v, whole=True), align=NUMBER),
    )
    ANCHOR_TABLE = "flow"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.names: Mapping[str, str] = {}

    def display(self, row: Mapping[str, Any], column: Column) -> str:
        if column.key in ("source_id", "target_id"):
            end = row.get(column.key)
            return self.names.get(end, end) if end else _("outside the district")
        if column.key == "quantity":
            quantity = row.get("quantity")
            return "" if quantity is None else f"{format_number(quantity)} {row.get('unit') or ''}".strip()
        return super().display(row, column)


class CanvasModel(DocumentsModel):
    COLUMNS = (
        Column("block", N_("Block"), show=lambda v: label_of(CanvasBlock, v)),
        Column("text", N_("Card")),
        Column("stakeholder_ids", N_("Actors")),
    )
    ANCHOR_TABLE = "canvas_item"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.names: Mapping[str, str] = {}

    def set_rows(self, rows: Sequence[Mapping[str, Any]]) -> None:
        order = {block.value: n for n, block in enumerate(CanvasBlock)}
        super().set_rows(sorted(rows, key=lambda r: (order.get(str(r.get("block")), 99), r.get("position", 0))))

    def display(self, row: Mapping[str, Any], column: Column) -> str:
        if column.key == "stakeholder_ids":
            return ", ".join(self.names.get(a, a) for a in row.get("stakeholder_ids") or ())
        return super().display(row, column)


class SectionsModel(DocumentsModel):
    """The charter's steps with their text (``core.charter.section_text``): what a thread on a section is
    about."""

    COLUMNS = (Column("title", N_("Section")), Column("text", N_("Text")))

    def display(self, row: Mapping[str, Any], column: Column) -> str:
        if column.key == "title":
            return _(row["title"])
        return " ".join(str(row["text"]).split())[:200] or "—"

    def extra_data(self, row: Mapping[str, Any], column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column.key == "text" and row["text"]:
            return row["text"]
        return super().extra_data(row, column, role)


class ChecklistModel(DocumentsModel):
    COLUMNS = (Column("passed", N_("Met")), Column("title", N_("Check")), Column("required", N_("Required")))

    def display(self, row: Mapping[str, Any], column: Column) -> str:
        if column.key == "passed":
            return "✔" if row["passed"] else "✘"
        if column.key == "required":
            return _("required") if row["required"] else _("advised")
        return _(row["title"])

    def extra_data(self, row: Mapping[str, Any], column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return _(row["reason"])
        return None


# -- threads ----------------------------------------------------------------------------------

class ThreadsModel(DocumentsModel):
    """The threads of the submission (and of those it answers): what each is about, who opened it, whether it
    is open, and its messages in the tooltip."""

    COLUMNS = (
        Column("anchor", N_("About")),
        Column("state", N_("State")),
        Column("messages", N_("Messages")),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.labels: Mapping[tuple[str, str], str] = {}  # (table, id) → how the record reads

    def anchor_label(self, row: Mapping[str, Any]) -> str:
        anchor = row["anchor"]
        name = self.labels.get((anchor["table"], anchor["id"]))
        kind = _(TABLE_LABELS.get(anchor["table"], anchor["table"])) if anchor["kind"] == "record" else _("Charter")
        kind = kind[:1].upper() + kind[1:]  # the table's word starts a label here
        return f"{kind}: {name}" if name else kind

    def display(self, row: Mapping[str, Any], column: Column) -> str:
        if column.key == "anchor":
            return self.anchor_label(row)
        if column.key == "state":
            text = _("resolved") if row["resolved"] else _("open")
            return _("{state} ({waiting})").format(state=text, waiting=_(WAITING)) if row.get("pending") else text
        messages = row["messages"]
        last = messages[-1] if messages else {"author": "", "text": ""}
        return _("{count} — {author}: {text}").format(count=len(messages), author=last["author"],
                                                      text=" ".join(last["text"].split())[:80])

    def extra_data(self, row: Mapping[str, Any], column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column.key == "messages":
            return "\n\n".join(f"{m['author']}, {when(m['created_at'])}: {m['text']}" for m in row["messages"])
        return super().extra_data(row, column, role)


# -- the districts side by side ---------------------------------------------------------------

class DistrictsModel(DocumentsModel):
    """Every district with its latest submission's state and indicators (the Centre's stored ones)."""

    COLUMNS = (
        Column("name", N_("District")),
        Column("latest", N_("State")),
        Column("submissions", N_("Submissions"), show=format_number, align=NUMBER),
        *(Column(info.key, info.title, align=NUMBER) for info in INDICATORS),
        Column("last_received_at", N_("Last received"), show=when),
    )

    def row_id(self, record: Mapping[str, Any]) -> str:
        return record["district_id"]

    def value(self, row: Mapping[str, Any], column: Column) -> Any:
        if column.key in INDICATOR_KEYS:
            found = (row.get("indicators") or {}).get(column.key) or {}
            return found.get("value")
        return row.get(column.key)

    def display(self, row: Mapping[str, Any], column: Column) -> str:
        if column.key in INDICATOR_KEYS:
            info, value = INDICATOR_KEYS[column.key], self.value(row, column)
            earlier = ((row.get("indicators") or {}).get(column.key) or {}).get("last_year")
            if value is None or not isinstance(earlier, int | float):
                return format_value(info, value)
            # the change since the district's snapshot of last year, in the indicator's own unit
            change = format_value(info, abs(value - earlier))
            return f"{format_value(info, value)} ({'+' if value >= earlier else '−'}{change})"
        if column.key == "latest":
            return state_label(row["latest"]["state"]) if row.get("latest") else "—"
        if column.key == "last_received_at":
            return when(row.get("last_received_at"))
        return super().display(row, column)

    def extra_data(self, row: Mapping[str, Any], column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column.key in INDICATOR_KEYS:
            found = (row.get("indicators") or {}).get(column.key) or {}
            status = found.get("status", "none")
            text = f"{_(INDICATOR_KEYS[column.key].title)}: {_(STATUS_LABELS.get(status, STATUS_LABELS['none']))}"
            if "last_year" in found:
                text += "\n" + _("Last year: {value}").format(
                    value=format_value(INDICATOR_KEYS[column.key], found["last_year"]))
            return text
        if role == Qt.ItemDataRole.ToolTipRole and column.key == "name" and row.get("fingerprint"):
            return f"{row['name']}\n{row['fingerprint']}"
        return super().extra_data(row, column, role)
