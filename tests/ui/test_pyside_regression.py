"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void method call and the process
dies with 'Fatal Python error: none_dealloc'. The pin (<6.12) keeps us on a clean release; this test
fails if a broken build is ever installed."""

import sys

import PySide6
from PySide6.QtWidgets import QLabel


def test_void_calls_keep_the_refcount_of_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    label.setText("warm-up")
    before = sys.getrefcount(None)
    for n in range(10_000):
        label.setText("x" if n % 2 else "y")
    after = sys.getrefcount(None)
    assert after >= before - 10, f"None lost {before - after} references over 10,000 void calls"


def test_the_pinned_release_line():
    major, minor = (int(p) for p in PySide6.__version__.split(".")[:2])
    assert (major, minor) == (6, 11)
