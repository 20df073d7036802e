"""In-app help (F1 opens the current area's page) and the guided tour of the areas, from the catalogs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.i18n import N_, _, pgettext

# Area key → (title, paragraphs). Plain sentences: shown in the help window and, shortened, in the tour.
HELP: dict[str, tuple[str, tuple[str, ...]]] = {
    "districts": (N_("Districts"), (
        N_("A district is the network you are starting: its name, whether it is territorial or thematic, the "
           "sectors of Law 13/2010 it covers, its municipalities and its working language."),
        N_("Create one with New district (Ctrl+N), or load the demo to see a complete example. Every change is "
           "saved at once; Ctrl+Z undoes it."),
    )),
    "map": (N_("Actor map"), (
        N_("List the actors of the territory — cooperatives, producers, consumer groups, public bodies, ethical "
           "finance — with their roles, influence, interest, attitude and stage of engagement."),
        N_("The power/interest grid shows whom to manage closely; drag an actor to change its scores. The "
           "network view shows the relations; Shift+drag from one actor to another draws a new one."),
        N_("Import a spreadsheet of contacts (CSV or XLSX). Contact details are kept only with consent."),
    )),
    "charter": (N_("Charter"), (
        N_("The wizard walks through the founding charter step by step, saving as you type. The checklist on "
           "the right says what is still missing, following good practice derived from Law 13/2010."),
        N_("Save named versions, compare them, and adopt the charter with date, place and signatories."),
    )),
    "canvas": (N_("Canvas & flows"), (
        N_("The canvas describes how the district creates value; drag cards between blocks, press F2 to edit, "
           "link actors to a card."),
        N_("Flows record what moves between actors each year — goods, services, money, work placements, "
           "knowledge, energy, reuse. The indicators say how much stays inside the district; the Sankey "
           "diagram shows it; scenarios try changes before you make them."),
        N_("Give each money flow its purpose: a loan or an investment is financing, neither a purchase nor "
           "income, and is counted apart; a grant is income. Purchases inside and leakage share one base, the "
           "money the district's actors spend. The local multiplier LM3 follows the money that enters from "
           "outside over three rounds of spending, whoever is a member, and names the actors whose spending or "
           "income is missing; each actor's own LM3 is in its record on the map."),
        N_("Over the years keeps the indicators once a year by itself, the first time you look at them, and "
           "whenever you keep them; they reach the Centre with the next sync."),
        N_("Press F11 for presentation mode on a projector."),
    )),
    "training": (N_("Training"), (
        N_("The module library holds ready-made training in three languages; import new packs from the Centre."),
        N_("Plan a workshop, record who came and their answers, then press F5 for workshop mode: slides on the "
           "projector, notes and timer on your screen. B blacks the screen, Esc ends."),
        N_("Actors and cards proposed in exercises wait in Proposals until you accept them."),
    )),
    "dossier": (N_("Dossier"), (
        N_("One PDF of the whole district for the municipality, the Province and the Centre, in Italian, German "
           "or English. Choose the sections, preview the first pages, then create the file."),
        N_("Contact details appear only for people who consented, and only if you ask for them."),
    )),
    "sync": (N_("Sync"), (
        N_("Send your district to the Centre as a signed bundle on a USB stick, or sync over the internet when "
           "you have a connection. Comments from the Centre appear here, next to the record they are about."),
    )),
    "review": (N_("Centre review"), (
        N_("For Centre advisors: sign in to the Centre with your account, pick a submission from the queue and "
           "read the district it comes from — actors, flows, canvas, charter with its checklist, the dossier. "
           "Open a thread on any record or charter section, then approve, request changes or reject (with a "
           "comment). States and threads reach the promoter with the next sync. Without a network you go on "
           "working from the local copy; what you do is sent when the Centre can be reached again."),
    )),
}


def help_html(area: str) -> str:
    from html import escape

    title, paragraphs = HELP[area]
    return f"<h2>{escape(_(title))}</h2>" + "".join(f"<p>{escape(_(p))}</p>" for p in paragraphs)


class HelpDialog(QDialog):
    def __init__(self, area: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Help"))
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(_("Help"))
        self.show_area(area)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def show_area(self, area: str) -> None:
        self.area = area
        self.browser.setHtml(help_html(area if area in HELP else "districts"))


class TourDialog(QDialog):
    """A short walk through the areas: each step names the area, says what it is for, and shows it."""

    area_shown = Signal(str)

    def __init__(self, areas: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Guided tour"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.areas = [a for a in areas if a in HELP]
        self.step = 0
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.counter = QLabel()
        self.back_button, self.next_button, self.skip_button = QPushButton(), QPushButton(), QPushButton()
        self.back_button.clicked.connect(lambda: self.go(self.step - 1))
        self.next_button.clicked.connect(self.next_or_finish)
        self.skip_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.counter)
        buttons.addStretch(1)
        for button in (self.skip_button, self.back_button, self.next_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.next_button.setDefault(True)
        self.resize(520, 260)
        self.go(0)

    def go(self, step: int) -> None:
        self.step = max(0, min(step, len(self.areas) - 1))
        area = self.areas[self.step]
        title, paragraphs = HELP[area]
        from html import escape

        self.text.setText(f"<h3>{escape(_(title))}</h3><p>{escape(_(paragraphs[0]))}</p>")
        self.counter.setText(_("{number} of {count}").format(number=self.step + 1, count=len(self.areas)))
        self.back_button.setText(_("Back"))
        self.back_button.setEnabled(self.step > 0)
        last = self.step == len(self.areas) - 1
        self.next_button.setText(_("Finish") if last else pgettext("tour", "Next"))
        self.skip_button.setText(_("Skip the tour"))
        self.skip_button.setVisible(not last)
        self.area_shown.emit(area)

    def next_or_finish(self) -> None:
        if self.step == len(self.areas) - 1:
            self.accept()
        else:
            self.go(self.step + 1)

