"""Workshop mode: slides on the projector, notes, timer and the next slide on the trainer's laptop.

With a second screen the audience sees only the slide there while the presenter view stays on the laptop;
with one screen the slide fills it and N shows or hides the presenter view. Keys: → ↓ Space PageDown next,
← ↑ PageUp Backspace previous, Home/End, B black screen, N notes, Esc leave.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QKeyEvent, QPainter, QTextDocument
from PySide6.QtWidgets import QGridLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ssd_starter.core.training import Module, Slide
from ssd_starter.i18n import _

SLIDE_SIZE = QSize(1280, 800)  # the page a slide is laid out on, scaled to any screen
MARGIN = 0.05
NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_PageDown}
PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}


@dataclass(frozen=True)
class DeckSlide:
    module: Module
    index: int  # within the module
    slide: Slide


def build_deck(modules: Sequence[Module], language: str) -> list[DeckSlide]:
    return [DeckSlide(m, n, slide) for m in modules for n, slide in enumerate(m.slides[language])]


def _image(data: bytes, name: str, box: QSize) -> QImage:
    """A slide picture scaled to fit ``box`` (SVG drawn at that size, so it stays sharp on a projector)."""
    if name.lower().endswith(".svg"):
        from PySide6.QtSvg import QSvgRenderer

        renderer = QSvgRenderer(QByteArray(data))
        size = renderer.defaultSize().scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
        image = QImage(size if size.isValid() and not size.isEmpty() else box, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        return image
    image = QImage.fromData(data)
    if image.width() > box.width() or image.height() > box.height():
        image = image.scaled(box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return image


class PackDocument(QTextDocument):
    """A document that shows only the pictures the pack brought (added as resources), never a file from disk."""

    def loadResource(self, kind: int, name: QUrl | str):  # noqa: N802 - Qt's name
        # A blank pixel, not "nothing": given nothing, Qt's image handler would read the path from disk itself.
        blank = QImage(1, 1, QImage.Format.Format_ARGB32)
        blank.fill(Qt.GlobalColor.transparent)
        return blank


class SlideView(QWidget):
    """One slide drawn large, its type sized to the widget so it reads from the back of a village hall."""

    def __init__(self, images: Mapping[str, bytes], parent: QWidget | None = None, *, scale: float = 1.0) -> None:
        super().__init__(parent)
        self._images = images
        self._slide: Slide | None = None
        self._scale = scale
        self.black = False
        self.setMinimumSize(160, 90)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def show_slide(self, slide: Slide | None, images: Mapping[str, bytes] | None = None) -> None:
        """``images``: the pictures of the slide's own pack (packs may use the same file names)."""
        self._slide = slide
        if images is not None:
            self._images = images
        self.update()

    def document(self, size: QSize = SLIDE_SIZE) -> QTextDocument:
        """The slide laid out on a fixed 16:10 page with projector-sized type; painting scales it to fit."""
        doc = PackDocument()
        font = QFont()
        font.setPixelSize(int(38 * self._scale))
        doc.setDefaultFont(font)
        doc.setDefaultStyleSheet("h1 { color: #1d3f6e; } li { margin-bottom: 8px; }")
        doc.setDocumentMargin(0)
        doc.setTextWidth(size.width() * (1 - 2 * MARGIN))
        slide = self._slide
        if slide is None:
            return doc
        doc.setMarkdown(slide.body)
        # after setMarkdown, which clears the document's resources
        box = QSize(int(size.width() * 0.6), int(size.height() * 0.5))
        for name in slide.images:
            if name in self._images:
                doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                                _image(self._images[name], name, box))
        return doc

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("black" if self.black else "#20242b"))
        if self.black:
            return
        # letterbox the fixed page into the widget, whatever the projector's shape
        scale = min(self.width() / SLIDE_SIZE.width(), self.height() / SLIDE_SIZE.height())
        width, height = SLIDE_SIZE.width() * scale, SLIDE_SIZE.height() * scale
        painter.translate((self.width() - width) / 2, (self.height() - height) / 2)
        painter.scale(scale, scale)
        painter.fillRect(QRectF(0, 0, SLIDE_SIZE.width(), SLIDE_SIZE.height()), QColor("white"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        doc = self.document()
        painter.translate(SLIDE_SIZE.width() * MARGIN, SLIDE_SIZE.height() * MARGIN)
        doc.drawContents(painter, QRectF(0, 0, doc.textWidth(), SLIDE_SIZE.height() * (1 - 2 * MARGIN)))
        painter.end()


class PresenterWindow(QWidget):
    """The trainer's screen: current slide, next slide, notes, elapsed time and position."""

    closed = Signal()

    def __init__(self, modules: Sequence[Module], language: str, images: Mapping[str, Mapping[str, bytes]],
                 title: str = "", parent: QWidget | None = None) -> None:
        """``images``: pack id → that pack's pictures."""
        super().__init__(parent)
        self.setWindowTitle(title or _("Workshop"))
        self.deck = build_deck(modules, language)
        self.position = 0
        self.presenter_mode = True
        self.images = images
        self.current = SlideView({})
        self.next_view = SlideView({})
        self.notes = QTextBrowser()
        self.clock = QLabel()
        self.counter = QLabel()
        self.module_title = QLabel()
        self.help = QLabel()
        for label, size in ((self.clock, 28), (self.counter, 20), (self.module_title, 16)):
            font = label.font()
            font.setPointSize(size)
            font.setBold(label is not self.module_title)
            label.setFont(font)
        notes_font = self.notes.font()
        notes_font.setPointSize(15)
        self.notes.setFont(notes_font)
        self.help.setWordWrap(True)
        self.next_label = QLabel()
        self.notes_label = QLabel()
        side = QVBoxLayout()
        side.addWidget(self.clock)
        side.addWidget(self.counter)
        side.addWidget(self.next_label)
        side.addWidget(self.next_view, 2)
        side.addWidget(self.notes_label)
        side.addWidget(self.notes, 3)
        side.addWidget(self.help)
        self.side = QWidget()
        self.side.setLayout(side)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.addWidget(self.module_title, 0, 0, 1, 2)
        grid.addWidget(self.current, 1, 0)
        grid.addWidget(self.side, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.setStyleSheet("PresenterWindow { background: #20242b; } QLabel { color: #f2f2f2; }")
        self.audience: SlideView | None = None
        self._started = time.monotonic()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1000)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.retranslate()
        self._show()

    def retranslate(self) -> None:
        self.next_label.setText(_("Next"))
        self.notes_label.setText(_("Notes for the trainer"))
        self.help.setText(_("→ Space next · ← back · B black screen · N presenter view · Esc end"))

    # -- screens ------------------------------------------------------------------------------

    def start(self) -> None:
        """Full screen; with a second screen the audience sees the slides there."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.audience = SlideView({})
            self.audience.setWindowTitle(self.windowTitle())
            self.audience.setGeometry(screens[1].geometry())
            self.audience.showFullScreen()
            self.audience.installEventFilter(self)
        else:
            self.set_presenter_mode(False)
        self.showFullScreen()
        self.activateWindow()
        self.setFocus()

    def set_presenter_mode(self, on: bool) -> None:
        """One screen: the slide alone (what the room sees) or with notes, timer and next slide."""
        self.presenter_mode = on
        self.side.setVisible(on)
        self.module_title.setVisible(on)
        grid = self.layout()
        assert isinstance(grid, QGridLayout)
        grid.setContentsMargins(*(8,) * 4 if on else (0,) * 4)
        grid.setColumnStretch(1, 2 if on else 0)  # an empty column keeps its stretch unless told
        grid.activate()  # the slide takes the freed room now, not at the next event

    # -- navigation ---------------------------------------------------------------------------

    def go(self, position: int) -> None:
        self.position = max(0, min(position, len(self.deck) - 1))
        self.set_black(False)
        self._show()

    def set_black(self, on: bool) -> None:
        for view in (self.current, self.audience):
            if view is not None:
                view.black = on
                view.update()

    def _show(self) -> None:
        if not self.deck:
            self.counter.setText(_("No slides"))
            return
        item = self.deck[self.position]
        following = self.deck[self.position + 1] if self.position + 1 < len(self.deck) else None
        pictures = self.images.get(item.module.pack_id, {})
        self.current.show_slide(item.slide, pictures)
        if self.audience is not None:
            self.audience.show_slide(item.slide, pictures)
        self.next_view.show_slide(following.slide if following else None,
                                  self.images.get(following.module.pack_id, {}) if following else None)
        self.notes.setMarkdown(item.slide.notes or _("(no notes for this slide)"))
        self.counter.setText(_("Slide {number} of {count}").format(number=self.position + 1, count=len(self.deck)))
        self.module_title.setText(item.module.title.get(self._language(), "") if item.module else "")
        self._tick()

    def _language(self) -> str:
        from ssd_starter.i18n import current_language

        return current_language()

    def _tick(self) -> None:
        elapsed = int(time.monotonic() - self._started)
        self.clock.setText(f"{elapsed // 3600:d}:{elapsed // 60 % 60:02d}:{elapsed % 60:02d}")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if not self.handle_key(event.key()):
            super().keyPressEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.audience and event.type() == event.Type.KeyPress:
            return self.handle_key(event.key())
        return False

    def handle_key(self, key: int) -> bool:
        if key in NEXT_KEYS:
            self.go(self.position + 1)
        elif key in PREVIOUS_KEYS:
            self.go(self.position - 1)
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(len(self.deck) - 1)
        elif key in (Qt.Key.Key_B, Qt.Key.Key_Period):
            self.set_black(not self.current.black)
        elif key == Qt.Key.Key_N:
            self.set_presenter_mode(not self.presenter_mode)
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            return False
        return True

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._timer.stop()
        if self.audience is not None:
            self.audience.close()
        self.closed.emit()
        super().closeEvent(event)
