"""In-app help: F1 opens the help of the area in view (``dialog``), its tasks step by step (``pages``), in the
screen's own words (``texts``); the guided tour picks out the window's controls one by one (``tour``)."""

from ssd_starter.ui.help.dialog import HelpDialog, help_html, open_help
from ssd_starter.ui.help.pages import PAGES, HelpPage, Task
from ssd_starter.ui.help.tour import STEPS, Tour, TourStep

__all__ = ["PAGES", "STEPS", "HelpDialog", "HelpPage", "Task", "Tour", "TourStep", "help_html", "open_help"]
