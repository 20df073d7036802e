"""The Centre's review next to the records it is about: a small badge (a speech bubble with the number of
open threads) that any view puts beside a record — the map's actor, a charter step, a canvas card, a flow —
and the threads it opens, each with its messages, a reply box and, for a thread the promoter opened, Resolve.
Also the one-line state of the district's latest submission, for the Districts page and the Sync area.

One ``ReviewIndex`` per store holds the counts of the districts asked about and says when they change (a
sync, a reply bundle, a reply written here: the store's change-sets name the ``review_*`` tables), so a
hundred badges cost one query per district, not one each. What the promoter writes goes through the store
(``store.review``) and waits in its outbox for the next sync; until then it can be withdrawn.
"""

from __future__ import annotations

import datetime as dt
import weakref
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QHelpEvent, QIcon, QMouseEvent, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.review import state_label
from ssd_starter.core.vocabulary import TABLE_LABELS
from ssd_starter.i18n import _, format_datetime, ngettext
from ssd_starter.store import ChangeSet, Store
from ssd_starter.store import review as held
from ssd_starter.ui.language import notifier
from ssd_starter.ui.row_model import Index, RecordRole

REVIEW_TABLES = frozenset({"review_submission", "review_thread", "review_outbox", "review_source"})
OPEN_COLOUR, SETTLED_COLOUR = "#c9731b", "#7d8a96"  # amber: something to answer; grey: all resolved
STATE_COLOURS = {"received": "#3b6ea8", "approved": "#2e7d32", "has_issues": "#c9731b", "rejected": "#b3261e"}


# -- the counts, shared by every badge of a store ------------------------------------------------

class ReviewIndex(QObject):
    """Open and total threads per record, per district, read once and again only after a review change."""

    changed = Signal()

    _indexes: weakref.WeakKeyDictionary[Store, ReviewIndex] = weakref.WeakKeyDictionary()

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = weakref.ref(store)  # the store holds this index (as a listener), not the other way
        self._counts: dict[str, dict[tuple[str, str], tuple[int, int]]] = {}
        store.subscribe(self._on_store_changed)

    @classmethod
    def of(cls, store: Store) -> ReviewIndex:
        found = cls._indexes.get(store)
        if found is None:
            found = cls._indexes[store] = cls(store)
        return found

    def counts(self, district_id: str | None, table: str, row_id: str | None) -> tuple[int, int]:
        """(open threads, all threads) about the record; a charter section by its step key."""
        store = self._store()
        if not district_id or not row_id or store is None:
            return 0, 0
        if district_id not in self._counts:
            self._counts[district_id] = held.thread_counts(store, district_id)
        return self._counts[district_id].get((table, row_id), (0, 0))

    def _on_store_changed(self, changes: ChangeSet) -> None:
        touched = {c.district_id for c in changes.changes if c.table in REVIEW_TABLES}
        if touched:
            for district_id in touched:
                self._counts.pop(district_id or "", None)
            self.changed.emit()


def bubble_icon(colour: str, size: int = 16) -> QIcon:
    """A speech bubble, drawn (no font has to hold the glyph)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(QRectF(1, 1, size - 2, size * 0.7), 3, 3)
    tail = QPainterPath()
    tail.moveTo(QPointF(size * 0.3, size * 0.68))
    tail.lineTo(QPointF(size * 0.25, size - 1))
    tail.lineTo(QPointF(size * 0.55, size * 0.68))
    painter.fillPath(path.united(tail), QColor(colour))
    painter.end()
    return QIcon(pixmap)


def record_kind(table: str) -> str:
    label = TABLE_LABELS.get(table)
    return _(label) if label else table


# -- the badge next to a record -----------------------------------------------------------------

class ReviewBadge(QToolButton):
    """The number of open threads about one record (a tick when all are resolved); hidden while the Centre
    has said nothing about it. Clicking opens the threads. ``table`` is the record's table (for a charter
    step: ``charter_section``, the record named by the step's key)."""

    def __init__(self, store: Store, table: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._table = store, table
        self._district_id: str | None = None
        self._row_id: str | None = None
        self._label = ""
        self._dialog: ThreadsDialog | None = None
        self.setObjectName("reviewBadge")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setAutoRaise(True)
        self.setIconSize(QSize(14, 14))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setVisible(False)
        self.clicked.connect(self.open_threads)
        ReviewIndex.of(store).changed.connect(self._update)
        notifier().changed.connect(self._update)

    def show_record(self, district_id: str | None, row_id: str | None, label: str = "") -> None:
        """The record this badge is next to (``label``: its name, for the threads' window title)."""
        self._district_id, self._row_id, self._label = district_id, row_id, label
        self._update()

    def counts(self) -> tuple[int, int]:
        return ReviewIndex.of(self._store).counts(self._district_id, self._table, self._row_id)

    def _update(self, *_args: object) -> None:
        open_, total = self.counts()
        self.setVisible(total > 0)
        if not total:
            return
        self.setText(str(open_) if open_ else "✓")
        self.setIcon(bubble_icon(OPEN_COLOUR if open_ else SETTLED_COLOUR))
        tip = (ngettext("{count} open thread from the Centre about this", "{count} open threads from the Centre "
                        "about this", open_).format(count=open_) if open_
               else ngettext("{count} thread from the Centre about this, resolved",
                             "{count} threads from the Centre about this, all resolved", total).format(count=total))
        self.setToolTip(tip + "\n" + _("Click to read and reply."))
        self.setAccessibleName(tip)

    def open_threads(self) -> ThreadsDialog | None:
        """The threads about the record, in a window of their own (not modal: the record stays editable)."""
        if not self._district_id or not self._row_id:
            return None
        if self._dialog is None:
            self._dialog = ThreadsDialog(self._store, self._district_id, self._table, self._row_id, self._label,
                                         self.window())
            self._dialog.finished.connect(self._forget_dialog)
        self._dialog.show()
        self._dialog.raise_()
        return self._dialog

    def _forget_dialog(self, *_args: object) -> None:
        if self._dialog is not None:
            self._dialog.deleteLater()
            self._dialog = None


# -- the badge in a table's rows -----------------------------------------------------------------

class ReviewBadgeDelegate(QStyledItemDelegate):
    """Draws a record's badge at the right end of one column of a table of records (rows of a
    ``RowCacheModel``, through any proxy), and opens its threads when the badge is clicked. The view's own
    model and delegates stay as they are: ``view.setItemDelegateForColumn(column, ReviewBadgeDelegate(...))``."""

    def __init__(self, store: Store, table: str, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._store, self._table, self._view = store, table, view
        self._dialogs: dict[str, ThreadsDialog] = {}
        ReviewIndex.of(store).changed.connect(view.viewport().update)

    def counts(self, index: Index) -> tuple[int, int]:
        record = index.data(RecordRole) or {}
        return ReviewIndex.of(self._store).counts(record.get("district_id"), self._table, record.get("id"))

    def _badge_rect(self, option: QStyleOptionViewItem, open_: int) -> QRect:
        width = 20 + option.fontMetrics.horizontalAdvance(str(open_) if open_ else "✓")
        return QRect(option.rect.right() - width - 2, option.rect.top(), width, option.rect.height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        open_, total = self.counts(index)
        if not total:
            super().paint(painter, option, index)
            return
        badge = self._badge_rect(option, open_)
        text_option = QStyleOptionViewItem(option)
        text_option.rect = option.rect.adjusted(0, 0, -badge.width() - 4, 0)
        super().paint(painter, text_option, index)
        icon = bubble_icon(OPEN_COLOUR if open_ else SETTLED_COLOUR, 14)
        icon.paint(painter, QRect(badge.left(), badge.center().y() - 7, 14, 14))
        painter.save()
        painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText if option.state
                                            & QStyle.StateFlag.State_Selected else QPalette.ColorRole.Text))
        painter.drawText(badge.adjusted(17, 0, 0, 0), int(Qt.AlignmentFlag.AlignVCenter), str(open_) if open_ else "✓")
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt's name
        size = super().sizeHint(option, index)
        open_, total = self.counts(index)
        return QSize(size.width() + self._badge_rect(option, open_).width() + 4, size.height()) if total else size

    def editorEvent(self, event: QEvent, model: QAbstractItemModel, option: QStyleOptionViewItem,  # noqa: N802
                    index: Index) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            open_, total = self.counts(index)
            if total and self._badge_rect(option, open_).contains(event.position().toPoint()):
                self.open_threads(index)
                return True
        return super().editorEvent(event, model, option, index)

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,  # noqa: N802
                  index: Index) -> bool:
        open_, total = self.counts(index)
        if total and self._badge_rect(option, open_).contains(event.pos()):
            QToolTip.showText(event.globalPos(), ngettext(
                "{count} open thread from the Centre about this", "{count} open threads from the Centre about this",
                open_).format(count=open_) + "\n" + _("Click to read and reply."), view)
            return True
        return super().helpEvent(event, view, option, index)

    def open_threads(self, index: Index) -> ThreadsDialog | None:
        record = index.data(RecordRole) or {}
        if not record.get("id") or not record.get("district_id"):
            return None
        dialog = self._dialogs.get(record["id"])
        if dialog is None:
            dialog = self._dialogs[record["id"]] = ThreadsDialog(
                self._store, record["district_id"], self._table, record["id"], str(index.data() or ""),
                self._view.window())
            dialog.finished.connect(lambda _result, row_id=record["id"]: self._forget(row_id))
        dialog.show()
        dialog.raise_()
        return dialog

    def _forget(self, row_id: str) -> None:
        dialog = self._dialogs.pop(row_id, None)
        if dialog is not None:
            dialog.deleteLater()


# -- one thread ---------------------------------------------------------------------------------

def _when(value: Any) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return format_datetime(value, style="short") if value is not None else ""


class ThreadView(QFrame):
    """One thread: who opened it and when, its messages, what waits to be sent, and reply / resolve."""

    def __init__(self, store: Store, thread: dict[str, Any], about: str = "",
                 report: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._report = report
        self.thread_record = thread
        self.about = about
        self.setObjectName("reviewThread")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # never squeezed below its text: the list scrolls instead
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.messages = QLabel()
        self.messages.setWordWrap(True)
        self.messages.setTextFormat(Qt.TextFormat.RichText)
        self.messages.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reply_edit = QPlainTextEdit()
        self.reply_edit.setMaximumHeight(48)
        self.reply_button = QPushButton()
        self.resolve_button = QPushButton()
        self.withdraw_button = QPushButton()
        self.reply_button.clicked.connect(self.send_reply)
        self.resolve_button.clicked.connect(self.resolve)
        self.withdraw_button.clicked.connect(self.withdraw)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.withdraw_button, self.resolve_button, self.reply_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.header)
        layout.addWidget(self.messages)
        layout.addWidget(self.reply_edit)
        layout.addLayout(buttons)
        self.retranslate()

    def show_thread(self, thread: dict[str, Any], about: str | None = None) -> None:
        self.thread_record = thread
        if about is not None:
            self.about = about
        self.retranslate()

    def retranslate(self) -> None:
        thread = self.thread_record
        state = _("open") if thread["open"] else _("resolved")
        who = thread["opened_by"] or _("you")
        about = f"<b>{escape(self.about)}</b> · " if self.about else ""
        self.header.setText(about + escape(_("{state} · opened by {who}, {when}").format(
            state=state, who=who, when=_when(thread["opened_at"]))))
        self.messages.setText(self._messages_html())
        self.reply_edit.setPlaceholderText(_("Your reply to the Centre…"))
        self.reply_edit.setAccessibleName(_("Reply"))
        self.reply_button.setText(_("Reply"))
        self.resolve_button.setText(_("Mark resolved"))
        self.withdraw_button.setText(_("Withdraw unsent"))
        self.withdraw_button.setToolTip(_("Take back what you wrote here and has not been sent yet"))
        can_write = thread["open"]
        self.reply_edit.setVisible(can_write)
        self.reply_button.setVisible(can_write)
        self.resolve_button.setVisible(can_write and bool(thread["opened_by_district"]))
        self.withdraw_button.setVisible(bool(self._unsent()))

    def _messages_html(self) -> str:
        rows = []
        for message in self.thread_record["messages"]:
            author = _("You") if message["by_district"] else message["author"]
            rows.append(f"<p><b>{escape(author)}</b> <span style='color:#666'>{escape(_when(message['created_at']))}"
                        f"</span><br>{escape(message['text'])}</p>")
        if not self.thread_record.get("sent", True):
            unsent = _("You opened this thread here: it goes with the next sync.")
            rows.append(f"<p><i>{escape(unsent)}</i></p>")
        you = _("You")
        for entry in self.thread_record["pending"]:
            waiting = (_("refused by the Centre: {reason}").format(reason=entry["refused"]) if entry["refused"]
                       else _("waiting for the next sync"))
            text = entry["text"] if entry["action"] == "reply" else _("You marked it resolved.")
            rows.append(f"<p><b>{escape(you)}</b> <i>({escape(waiting)})</i><br>{escape(text)}</p>")
        return "".join(rows)

    def _unsent(self) -> list[str]:
        """What can still be taken back, newest first: what waits for the sync, and what the Centre refused
        (kept so its text is not lost, until the promoter lets it go)."""
        ids = [e["id"] for e in self.thread_record["pending"]]
        if not self.thread_record.get("sent", True):
            ids.append(self.thread_record["id"])
        return list(reversed(ids))

    def _apply(self, edit: Any) -> bool:
        try:
            self._store.apply(edit)
        except UserError as exc:
            if self._report is not None:
                self._report(exc)
            return False
        return True

    def send_reply(self) -> bool:
        if self._apply(held.QueueReply(self.thread_record["district_id"], self.thread_record["id"], self.reply_edit.toPlainText())):
            self.reply_edit.clear()
            return True
        return False

    def resolve(self) -> bool:
        return self._apply(held.QueueResolve(self.thread_record["district_id"], self.thread_record["id"]))

    def withdraw(self) -> bool:
        unsent = self._unsent()
        return bool(unsent) and self._apply(held.Withdraw(unsent[0]))


class ThreadsPanel(QWidget):
    """The district's threads (about one record, or all of them), each a ``ThreadView``, kept in step with
    the store; below, a box to start a new thread about the record."""

    def __init__(self, store: Store, district_id: str | None = None, table: str | None = None,
                 row_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._district_id, self._table, self._row_id = district_id, table, row_id
        self.views: dict[str, ThreadView] = {}
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setObjectName("hint")
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.addStretch(1)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidget(self.list_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.new_edit = QPlainTextEdit()
        self.new_edit.setMaximumHeight(56)
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.start_thread)
        new_row = QHBoxLayout()
        new_row.addWidget(self.new_edit, 1)
        new_row.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.error)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        layout.addLayout(new_row)
        ReviewIndex.of(store).changed.connect(self.reload)
        notifier().changed.connect(self.retranslate)
        self.retranslate()
        self.reload()

    def set_district(self, district_id: str | None) -> None:
        self._district_id = district_id
        self.reload()

    def report(self, error: UserError) -> None:
        self.error.setText(error.message())
        self.error.show()

    def retranslate(self, *_args: object) -> None:
        self.empty.setText(_("The Centre has not commented on this district yet.") if self._row_id is None
                           else _("No thread about this record yet."))
        self.new_edit.setPlaceholderText(_("A question or a note for the Centre's advisors about this…"))
        self.new_edit.setAccessibleName(_("New thread"))
        self.scroll_area.setAccessibleName(_("Threads"))  # reached by Tab: a screen reader names it
        self.new_button.setText(_("Start a thread"))
        self.reload()

    def reload(self, *_args: object) -> None:
        threads = held.list_threads(self._store, self._district_id, table=self._table, row_id=self._row_id) \
            if self._district_id else []
        labels = held.record_labels(self._store, self._district_id) if self._district_id and self._row_id is None \
            else {}
        wanted = {t["id"] for t in threads}
        for thread_id in [i for i in self.views if i not in wanted]:
            self.views.pop(thread_id).deleteLater()
        for thread in threads:
            about = labels.get(thread["row_id"]) or labels.get(thread["anchor_id"]) or (
                record_kind(thread["anchor_table"]) if self._row_id is None else "")
            view = self.views.get(thread["id"])
            if view is None:
                view = self.views[thread["id"]] = ThreadView(self._store, thread, about, self.report)
                self.list_layout.insertWidget(self.list_layout.count() - 1, view)
            else:
                view.show_thread(thread, about)
        self.empty.setVisible(not threads)
        self._refit()
        can_start = self._row_id is not None and self._table is not None
        self.new_edit.setVisible(can_start)
        self.new_button.setVisible(can_start)

    def _refit(self) -> None:
        """Size the list to its threads now. The scroll area otherwise keeps the size it gave the list before
        threads arrived (while the page was hidden, say), squeezing each thread and hiding its scroll bar."""
        self.list_layout.activate()
        self.scroll_area.setWidgetResizable(True)  # Qt recomputes the list's size and the scroll bars here

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        QTimer.singleShot(0, self._refit)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        QTimer.singleShot(0, self._refit)  # after the scroll area's own resize, which sizes the list too short

    def start_thread(self) -> bool:
        if not self._district_id or not self._table or not self._row_id:
            return False
        kind = "section" if self._table == "charter_section" else "record"
        try:
            self._store.apply(held.QueueThread(self._district_id, kind, self._table, self._row_id,
                                               self.new_edit.toPlainText()))
        except UserError as exc:
            self.report(exc)
            return False
        self.new_edit.clear()
        self.error.hide()
        return True


class ThreadsDialog(QDialog):
    """The threads about one record, over the window that shows the record."""

    def __init__(self, store: Store, district_id: str, table: str, row_id: str, label: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self._table = table
        self.setModal(False)
        self.resize(520, 480)
        self.panel = ThreadsPanel(store, district_id, table, row_id)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        notifier().changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        about = self._label or record_kind(self._table)
        self.setWindowTitle(_("The Centre's comments: {about}").format(about=about))


# -- the district's state -----------------------------------------------------------------------

class ReviewStateLabel(QLabel):
    """The state of the district's latest submission at the Centre, as last heard (by a sync or a reply
    bundle), with the advisor's last word and the open threads; empty (hidden) before any submission."""

    def __init__(self, store: Store, parent: QWidget | None = None, *, hide_when_empty: bool = True) -> None:
        super().__init__(parent)
        self._store = store
        self._district_id: str | None = None
        self._hide_when_empty = hide_when_empty
        self.state: str | None = None  # the latest submission's, for whoever asks
        self.setObjectName("reviewState")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        ReviewIndex.of(store).changed.connect(self.refresh)
        notifier().changed.connect(self.refresh)

    def set_district(self, district_id: str | None) -> None:
        self._district_id = district_id
        self.refresh()

    def refresh(self, *_args: object) -> None:
        district_id = self._district_id
        submissions = held.list_submissions(self._store, district_id) if district_id else []
        if not district_id or not submissions:
            self.state = None
            self.setText(_("Not submitted to the Centre yet.") if not self._hide_when_empty else "")
            self.setVisible(not self._hide_when_empty)
            return
        self.setVisible(True)
        latest = submissions[0]
        colour = STATE_COLOURS.get(latest["state"], "#444")
        state = state_label(latest["state"])
        parts = [_("submitted {when}").format(when=_when(latest["received_at"]))]
        open_threads = len([t for t in held.list_threads(self._store, district_id) if t["open"]])
        if open_threads:
            parts.append(ngettext("{count} open thread", "{count} open threads", open_threads).format(
                count=open_threads))
        lines = [" · ".join(parts)]
        last = next((e for e in reversed(latest["history"]) if e["advisor"]), None)
        if last is not None and last["comment"]:
            lines.append(_("{advisor}: {comment}").format(advisor=last["by"], comment=last["comment"]))
        source = held.review_source(self._store, district_id)
        if source is not None and source["as_of"] is not None:
            how = _("by a reply bundle") if source["received_by"] == "bundle" else _("by the last sync")
            lines.append(_("As the Centre saw it on {when}, {how}.").format(when=_when(source["as_of"]), how=how))
        self.state = latest["state"]
        headline = _("At the Centre: {state}").format(state="\x00")  # the state goes in bold, in its colour
        bold = f"<b style='color:{colour}'>{escape(state)}</b>"
        self.setText(escape(headline).replace("\x00", bold) + " · " + "<br>".join(escape(line) for line in lines))
        self.setAccessibleName(headline.replace("\x00", state) + " · " + " ".join(lines))
