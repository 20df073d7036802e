"""The window's few styled parts."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle


def tab_height() -> int:
    """How high a tab must be for its text to be drawn whole.

    Qt's styles draw a tab that is not the current one a few pixels lower (PM_TabBarTabShiftVertical) in a
    text box that many pixels shorter than the font, and QPainter clips a text to its box: the dots of German
    capital umlauts ("Übungen") and the descenders were cut off. One shift more of height gives that box the
    font's full height."""
    style, metrics = QApplication.style(), QFontMetrics(QApplication.font())
    return (metrics.height() + style.pixelMetric(QStyle.PixelMetric.PM_TabBarTabVSpace)
            + style.pixelMetric(QStyle.PixelMetric.PM_TabBarTabShiftVertical))


def style_sheet(base_points: float, light: bool) -> str:
    """The window's few styled parts, sized from the system font (a user who asks for bigger text gets bigger
    titles too) and coloured from the palette when it is dark or high-contrast."""
    title, section, nav = base_points * 1.8, base_points * 1.2, base_points * 1.1
    muted = "#555a60" if light else "palette(text)"
    selected = "background: #2f6f4f; color: white;" if light else \
        "background: palette(highlight); color: palette(highlighted-text);"
    notice = "background: #fff4ce; color: #3b2f00; border: 1px solid #e0c060;" if light else \
        "border: 2px solid palette(highlight);"
    return f"""
QLabel#pageTitle {{ font-size: {title:.1f}pt; font-weight: 600; }}
QLabel#sectionTitle {{ font-size: {section:.1f}pt; font-weight: 600; }}
QLabel#summary {{ color: {muted}; }}
QLabel#hint {{ color: {muted}; }}
QLabel#fieldError {{ color: {"#b00020" if light else "palette(text)"}; }}
QLabel#notice {{ {notice} border-radius: 4px; padding: 8px; }}
QListWidget#areaNav {{ font-size: {nav:.1f}pt; border: none; background: palette(window); }}
QListWidget#areaNav::item {{ padding: 9px 10px; }}
QListWidget#areaNav::item:selected {{ {selected} border-radius: 4px; }}
QTabBar::tab {{ min-height: {tab_height()}px; }}
"""
