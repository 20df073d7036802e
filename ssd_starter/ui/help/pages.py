"""The help of each area (F1): what the area is for, then its tasks as numbered steps that name the buttons and
menus as the screen labels them, then what is good to know (how the data is kept, the keys).

Each paragraph and each step is one catalog message (N_-marked) whose placeholders are the screen's own words
(see ``texts``)."""

from __future__ import annotations

from dataclasses import dataclass

from ssd_starter.i18n import N_
from ssd_starter.ui.help.texts import Label, Text, area, keys, label, menu, say


@dataclass(frozen=True)
class Task:
    title: Text  # "To import your contact list"
    steps: tuple[Text, ...]


@dataclass(frozen=True)
class HelpPage:
    area: str
    intro: tuple[Text, ...]
    tasks: tuple[Task, ...]
    notes: tuple[Text, ...] = ()

    def texts(self) -> list[Text]:
        return [*self.intro, *(t for task in self.tasks for t in (task.title, *task.steps)), *self.notes]

    def labels(self) -> list[Label]:
        return [found for text in self.texts() for found in text.labels()]


def task(title: str, *steps: Text) -> Task:
    return Task(say(title), steps)


UNDO, REDO = keys("Ctrl+Z"), keys("Ctrl+Y")
SAVED_AS_YOU_TYPE = say(N_("Everything is saved as you type: there is no Save button. {undo} undoes the last change "
                           "and {redo} brings it back, in the area in view."), undo=UNDO, redo=REDO)

DISTRICTS = HelpPage("districts", intro=(
    say(N_("A district is the network you are starting: its name, whether it is territorial or thematic, the "
           "sectors of Law 13/2010 it covers, its municipalities and its working language. Every area of the window "
           "shows the district chosen at the top, beside {switcher}."), switcher=label("District:")),
), tasks=(
    task(N_("To create a district"),
         say(N_("Press {new} under the list of districts, or choose {menu} ({keys})."),
             new=label("&New…"), menu=menu("&File", "&New district…"), keys=keys("Ctrl+N")),
         say(N_("Give its name, its kind (territorial for one valley or community, thematic for one sector in the "
                "whole province) and its working language, then press OK.")),
         say(N_("Fill in the form on the right: {description}, the sectors under {sectors} and the municipalities "
                "under {territory}."),
             description=label("&Description"), sectors=label("Sectors (Law 13/2010, art. 3)"),
             territory=label("Territory"))),
    task(N_("To look around in the demo district first"),
         say(N_("Choose {menu}, or press {demo} on the welcome page while there is no district yet."),
             menu=menu("&File", "Open the de&mo district"), demo=label("Open the demo district")),
         say(N_("The demo is an invented district of Valsugana and Tesino with its actors, relations, flows, canvas, "
                "charter, a workshop and scenarios. Change it freely: it is a district like any other."))),
    task(N_("To record the sectors and the territory"),
         say(N_("Under {sectors}, tick the sectors the district works in."),
             sectors=label("Sectors (Law 13/2010, art. 3)")),
         say(N_("Under {territory}, type a municipality (those of Trentino are suggested as you type) and press "
                "Enter or {add}."), territory=label("Territory"), add=label("&Add")),
         say(N_("To take municipalities off, select them and press {remove} or {delete}."),
             remove=label("&Remove selected"), delete=keys("Del")),
         say(N_("The charter's steps {sectors} and {territory} show these same lists: a change in one place is a "
                "change in both."), sectors=label("Sectors"), territory=label("Territory"))),
    task(N_("To copy, rename or delete a district"),
         say(N_("{duplicate} ({keys}) copies the district with all its records, to try something out on the copy."),
             duplicate=label("D&uplicate"), keys=keys("Ctrl+D")),
         say(N_("{rename} ({keys}) puts the cursor in the district's {name}."),
             rename=menu("&Edit", "Re&name district"), keys=keys("F2"), name=label("&Name")),
         say(N_("{delete} asks first; {undo} on this page brings the district back with all its records."),
             delete=label("De&lete…"), undo=UNDO)),
), notes=(
    SAVED_AS_YOU_TYPE,
    say(N_("On this page {undo} and {redo} act on the districts themselves (creating, renaming, deleting); in the "
           "other areas they act on the current district's records."), undo=label("&Undo"), redo=label("&Redo")),
    say(N_("A backup of all your data is made every day by itself; {backup} makes one now, and {settings} says how "
           "many are kept and where your data lives."),
        backup=menu("&File", "&Back up now"), settings=menu("&Edit", "&Settings…")),
    say(N_("{language} switches the window between Italiano, Deutsch and English at once."),
        language=menu("&View", "&Language")),
    say(N_("{first} to {last} open the areas in the order of the list on the left; {shortcuts} ({keys}) lists every "
           "key."), first=keys("Ctrl+1"), last=keys("Ctrl+8"), shortcuts=menu("&Help", "&Keyboard shortcuts"),
        keys=keys("Ctrl+/")),
))

MAP = HelpPage("map", intro=(
    say(N_("The actors of the territory (cooperatives, producers, consumer groups, public bodies, ethical finance) "
           "with their roles, influence, interest, attitude and stage of engagement, and the relations between "
           "them.")),
), tasks=(
    task(N_("To import your contact list"),
         say(N_("Press {import_file} and choose the file: a spreadsheet (CSV or Excel) or a graph file from Gephi or "
                "Kumu (GEXF, GraphML). Dropping the file on the window does the same."),
             import_file=label("Import spreadsheet…")),
         say(N_("{columns}: say which column holds which field. The headers are read to guess it; choose "
                "{not_imported} for a column you do not want."),
             columns=label("Columns"), not_imported=label("(not imported)")),
         say(N_("{values}: check what each different text of the category, sector, role, attitude and stage columns "
                "becomes. Look at the rows marked {close} or {unknown}; your choices are remembered for the next "
                "import into this district."),
             values=label("Values"), close=label("check: a close spelling"), unknown=label("not recognised")),
         say(N_("{preview}: the first rows as they will be imported. For actors already on the map, choose {skip} "
                "or {fill}."),
             preview=label("Preview"), skip=label("Skip rows for actors already in the map"),
             fill=label("Fill the existing actors from those rows")),
         say(N_("Press {import_button}. Nothing is written before this step, and the whole import is one step that "
                "{undo} takes back."), import_button=label("Import"), undo=UNDO)),
    task(N_("To add an actor by hand"),
         say(N_("Press {add} ({keys}), type the name of the organisation or person and press Enter."),
             add=label("Add actor…"), keys=keys("Ctrl+Shift+A")),
         say(N_("The new actor's details open on the right: choose its {category}, {sector}, {municipality}, "
                "{roles}, {influence}, {interest}, {attitude} and {stage}, and write {notes} if you like."),
             category=label("Category"), sector=label("Sector"), municipality=label("Municipality"),
             roles=label("Roles"), influence=label("Influence"), interest=label("Interest"),
             attitude=label("Attitude"), stage=label("Stage"), notes=label("Notes")),
         say(N_("Contact details go under {contact}, and only with the person's consent: tick {given} and give the "
                "date and the purpose of the consent."),
             contact=label("Contact (personal data)"), given=label("Given")),
         say(N_("Under {relations}, choose the kind of relation and the other actor, then press {add_relation}. "
                "Double-click a relation to write a note on it."),
             relations=label("Relations"), add_relation=label("Add relation"))),
    task(N_("To find and change actors"),
         say(N_("Type in the search field ({keys}) to find actors by name, municipality or notes; the lists beside "
                "it filter by category, sector, stage, attitude, role and municipality."), keys=keys("Ctrl+F")),
         say(N_("Click a column's header to sort by it. Double-click a cell, or press {keys}, to change it in the "
                "table."), keys=keys("F2")),
         say(N_("Select several rows with Ctrl+click or Shift+click: {set_for} gives them all one stage or one "
                "category."), set_for=label("Set for selected")),
         say(N_("Two rows for the same organisation: select both and press {merge}; the empty fields of the one "
                "kept are filled from the other."), merge=label("Merge duplicates")),
         say(N_("{delete} (or {keys}) removes the selected actors with their relations; their flows can go to "
                "outside the district or be deleted too."), delete=label("Delete"), keys=keys("Del"))),
    task(N_("To see whom to involve first"),
         say(N_("Open the tab {tab}: the actors with much influence and much interest are the ones to manage "
                "closely."), tab=label("Power / interest")),
         say(N_("Drag an actor to another cell to change its influence and interest."))),
    task(N_("To draw and read the network"),
         say(N_("Open the tab {tab}. Click an actor to select it; {neighbours} shows only its neighbours and dims "
                "the rest."), tab=label("Network"), neighbours=label("Neighbours")),
         say(N_("Choose a kind of relation in the bar above the network, then Shift+drag from one actor to another "
                "to draw a relation of that kind."), ),
         say(N_("Drag actors to place them: they stay where you put them. {rearrange} lays the map out again, "
                "{unpin} frees them, {fit} shows the whole map."),
             rearrange=label("Rearrange"), unpin=label("Unpin all"), fit=label("Fit")),
         say(N_("{export} saves the picture as PNG or SVG, for a slide or the dossier."),
             export=label("Export picture…")),
         say(N_("The tab {tab} names the most central actors, the brokers, the isolated actors and the roles the "
                "district still lacks."), tab=label("Indicators"))),
    task(N_("To use the map in Gephi or in a spreadsheet"),
         say(N_("Press {export} and choose the format: GEXF for Gephi, GraphML, CSV (two files: actors and "
                "relations), an Excel workbook or ValueFlows JSON-LD."), export=label("Export…"))),
), notes=(
    SAVED_AS_YOU_TYPE,
    say(N_("For a contact, {export_data} writes everything held on the person to a file, and {erase_data} erases "
           "their personal details everywhere, backups included (GDPR)."),
        export_data=label("Export data…"), erase_data=label("Erase data…")),
))

CHARTER = HelpPage("charter", intro=(
    say(N_("The wizard walks through the district's founding charter in ten steps, from its purpose to its "
           "signatories. The checklist on the right says what is still missing, by good practice derived from "
           "Law 13/2010 and the Carta RES.")),
), tasks=(
    task(N_("To write the charter"),
         say(N_("Choose a step in the list on the left, or go through them with {next} and {back} ({keys})."),
             next=label("&Next →"), back=label("← &Back"), keys=keys("Alt+Right", "Alt+Left")),
         say(N_("Write in the step's fields. Each is saved as you type, and the wizard opens again at the step you "
                "left.")),
         say(N_("In the step {principles}, {starting} gives a text to start from; tick the principles your text "
                "addresses."), principles=label("Principles"), starting=label("Insert starting text")),
         say(N_("The steps {sectors} and {territory} are the district's own lists: what you tick or add there "
                "changes the district too."), sectors=label("Sectors"), territory=label("Territory")),
         say(N_("In the step {signatories}, tick the actors that sign. Only actors that are members on the map can "
                "be chosen: set their stage to {member} there."),
             signatories=label("Signatories"), member=label("Member"))),
    task(N_("To see what is still missing"),
         say(N_("The {checklist} on the right marks each check ✔ when it passes and ✘ when it fails; • marks "
                "advice."), checklist=label("Checklist")),
         say(N_("Click an item to go to the step that fixes it; its tooltip says why it matters."))),
    task(N_("To keep and compare versions"),
         say(N_("{save_version} keeps the text as it is now, under a name."), save_version=label("Save &version…")),
         say(N_("{versions} lists the versions: choose two to compare them, and {restore} to go back to one."),
             versions=label("Versions…"), restore=label("Restore the version on the left"))),
    task(N_("To adopt the charter"),
         say(N_("Press {adopt} and give the date and the place of adoption."), adopt=label("Ado&pt…")),
         say(N_("If required checks still fail, the dialog lists them: fix them first, or write under {reason} why "
                "the district adopts the charter anyway."), reason=label("Reason")),
         say(N_("Adoption freezes the text as a version; later changes start a new draft, and the signatories are "
                "marked as such on the map."))),
    task(N_("To share the charter"),
         say(N_("{pdf} writes it as a PDF or a Word document."), pdf=label("PDF or Word…")),
         say(N_("{translations} translates it section by section into the other languages."),
             translations=label("Translations…"))),
), notes=(
    SAVED_AS_YOU_TYPE,
    say(N_("A speech bubble beside a step's title shows the Centre's comments on it: click it to read and reply.")),
))

CANVAS = HelpPage("canvas", intro=(
    say(N_("The canvas describes how the district creates value; the flows record what moves between actors each "
           "year: goods, services, money, work placements, knowledge, energy, reuse. The indicators, the Sankey "
           "diagram and the scenarios are drawn from the flows.")),
), tasks=(
    task(N_("To fill in the canvas"),
         say(N_("Open the tab {tab}. Press + at the top of a block to add a card, type its text, and press Esc or "
                "click elsewhere when done."), tab=label("Canvas")),
         say(N_("Drag a card to another block, or move it with {up_down} within its block and {left_right} to the "
                "block beside it."), up_down=keys("Ctrl+Up", "Ctrl+Down"), left_right=keys("Ctrl+Left", "Ctrl+Right")),
         say(N_("Double-click a card, or press {keys}, to change its text; {delete} deletes it."),
             keys=keys("F2"), delete=keys("Del")),
         say(N_("Right-click a card for {link}, to name the actors behind it, or {flow}, to record what it moves."),
             link=label("Link actors…"), flow=label("Create a flow from this card…"))),
    task(N_("To record the flows"),
         say(N_("Open the tab {tab} and press {new} ({keys}), or {from_relation} to start from a relation of the "
                "map."), tab=label("Flows"), new=label("New flow"), keys=keys("Ctrl+Shift+N"),
             from_relation=label("From a relation…")),
         say(N_("In the form on the right choose {source}, {target} and {kind}, and give the {value}; for goods or "
                "energy also the {quantity} and its {unit}."),
             source=label("&From"), target=label("&To"), kind=label("&Kind"), value=label("&Value per year"),
             quantity=label("&Quantity"), unit=label("&Unit")),
         say(N_("For a money flow, choose its {purpose} in the form or in the table's column {column}: a loan or "
                "an investment is financing, neither a purchase nor income, and is counted apart; a grant is "
                "income."), purpose=label("&Purpose"), column=label("Purpose")),
         say(N_("Filter the table by kind or search its actors and descriptions; the total is under the table."))),
    task(N_("To read the indicators"),
         say(N_("The tab {tab} shows how much of the district's spending stays inside, how much leaks out, the "
                "local multiplier LM3 and more; each title's tooltip gives its formula."), tab=label("Indicators")),
         say(N_("Give each indicator a target in its column {target}: the status beside it says whether the "
                "district meets it."), target=label("Target")),
         say(N_("The tab {tab} draws the flows; choose what to show and how to colour it, and save the picture "
                "with {export}."), tab=label("Sankey"), export=label("Export…")),
         say(N_("The tab {tab} keeps the indicators once a year by itself, the first time you look at them; "
                "{keep} keeps them today. They reach the Centre with the next sync."),
             tab=label("Over the years"), keep=label("Keep today's values"))),
    task(N_("To try a change before making it"),
         say(N_("Open the tab {tab} and press {new} to name a scenario."),
             tab=label("Scenarios"), new=label("New scenario…")),
         say(N_("Add its changes with {add_flow}, {scale}, {remove} or {add_actor}: the indicators show the district "
                "before and after."), add_flow=label("Add a flow…"), scale=label("Scale a flow…"),
             remove=label("Remove a flow…"), add_actor=label("Add an actor…")),
         say(N_("{apply} writes the scenario's changes into the district's flows; {undo} takes them back."),
             apply=label("Apply to the district…"), undo=UNDO)),
), notes=(
    SAVED_AS_YOU_TYPE,
    say(N_("{menu} ({keys}) shows the page alone, full screen, for a projector."),
        menu=menu("&View", "&Presentation mode"), keys=keys("F11")),
))

TRAINING = HelpPage("training", intro=(
    say(N_("Ready-made training modules in Italian, German and English, and the district's workshops: their plan, "
           "participants and attendance, exercises, results and certificates.")),
), tasks=(
    task(N_("To choose and show a module"),
         say(N_("Open the tab {tab} and choose a module to read its objectives, slides and exercises."),
             tab=label("Module library")),
         say(N_("{present} (or {keys}) puts its slides on the projector."),
             present=label("Present this module"), keys=keys("F5")),
         say(N_("{import_pack} adds a training pack from the Centre; dropping the pack on the window does the same."),
             import_pack=label("Import pack…"))),
    task(N_("To plan a workshop"),
         say(N_("Open the tab {tab}, press {new} and give the workshop's title."),
             tab=label("Workshops"), new=label("New workshop…")),
         say(N_("In {plan}, give the {date}, the {place} and the {trainer}, tick its {modules} and add its sessions "
                "with {add_session}."), plan=label("Plan"), date=label("&Date"), place=label("&Place"),
             trainer=label("T&rainer"), modules=label("&Modules"), add_session=label("Add session"))),
    task(N_("To record who came"),
         say(N_("In {participants}, add people with {from_map} or {new_person}."),
             participants=label("Participants and attendance"), from_map=label("Add from the map…"),
             new_person=label("Add a new person…")),
         say(N_("Tick each person's sessions to record attendance. A participant's e-mail is kept only with their "
                "consent.")),
         say(N_("{certificates} writes the certificates of attendance into one PDF."),
             certificates=label("Certificates of attendance…"))),
    task(N_("To run the workshop"),
         say(N_("Press {start}: the slides go on the projector, the notes and a timer stay on your screen."),
             start=label("Start workshop mode (F5)")),
         say(N_("{next} or Space shows the next slide and {back} the previous one; B blacks the screen, N swaps the "
                "presenter view, Esc ends."), next=keys("Right"), back=keys("Left")),
         say(N_("In {exercises}, double-click a cell to record a participant's answer; {results} sums the answers "
                "up."), exercises=label("Exercises"), results=label("Results")),
         say(N_("Actors and cards proposed in the exercises wait in {proposals}: {accept} adds them to the map and "
                "the canvas, {reject} drops them."), proposals=label("Proposals"),
             accept=label("Accept selected"), reject=label("Reject selected"))),
), notes=(
    SAVED_AS_YOU_TYPE,
))

DOSSIER = HelpPage("dossier", intro=(
    say(N_("One PDF of the whole district for the municipality, the Province and the Centre, in Italian, German or "
           "English.")),
), tasks=(
    task(N_("To make the dossier"),
         say(N_("Tick the {sections} to include."), sections=label("Sections")),
         say(N_("Choose the {language} and, if you like, a logo with {choose}."),
             language=label("&Language of the dossier"), choose=label("Choose…")),
         say(N_("{preview} shows the first pages; {create} writes the file."),
             preview=label("Preview"), create=label("Create PDF…")),
         say(N_("Contact details appear only for people who consented, and only if you tick {contacts}."),
             contacts=label("Include contact details of people who consented"))),
    task(N_("To send the dossier to the Centre"),
         say(N_("In {sync}, tick {with_dossier} beside the bundle or the submission: the PDF travels with it."),
             sync=area("sync"), with_dossier=label("with the dossier PDF"))),
))

SYNC = HelpPage("sync", intro=(
    say(N_("Sync sends your district to the Centre for the Solidarity Economy and brings back the advisors' "
           "comments: over the internet when you have a connection, or as a signed bundle on a USB stick or by "
           "e-mail.")),
), tasks=(
    task(N_("To sync with the Centre"),
         say(N_("Under {box}, give the {address} and, the first time only, the {token} the Centre gave you."),
             box=label("Sync with the Centre"), address=label("Centre address"), token=label("Enrolment token")),
         say(N_("Press {sync_now}. {cancel} stops after the current step; what was sent and received until then is "
                "kept."), sync_now=label("Sync now"), cancel=label("Cancel")),
         say(N_("{status} shows the last sync, what it sent and received, and the district's devices."),
             status=label("Status"))),
    task(N_("To submit the district for review"),
         say(N_("Under {note}, write what changed since the last submission, and tick {with_dossier} if the "
                "advisors should get the PDF too."),
             note=label("Note for the advisors"), with_dossier=label("with the dossier PDF")),
         say(N_("Press {submit}: the district's changes go first, then its indicators, charter version and "
                "dossier, for the advisors to review."), submit=label("Sync and submit for review")),
         say(N_("The review's state and the advisors' threads appear under {review}: reply there; your answers go "
                "with the next sync."), review=label("Review at the Centre"))),
    task(N_("To work with a USB stick"),
         say(N_("{write} writes a signed bundle of the district to carry to the Centre."),
             write=label("Write bundle…")),
         say(N_("{import_bundle} reads a bundle: the Centre's reply, or the district from another installation. "
                "Dropping the bundle on the window does the same."), import_bundle=label("Import bundle…")),
         say(N_("The key of this installation is at the top of the page: the Centre checks bundles by it."))),
    task(N_("To work on one district from two computers"),
         say(N_("{invite} gives a one-time code with which one more installation joins the district."),
             invite=label("Invite a device…")),
         say(N_("When both changed the same field, the clash waits under {clashes}: choose {keep} or {take}."),
             clashes=label("Edits that clashed"), keep=label("Keep the current value"),
             take=label("Use the other value"))),
), notes=(
    say(N_("The Centre's comments are listed under {comments}, each next to the record it is about."),
        comments=label("Comments from the Centre")),
))

REVIEW = HelpPage("review", intro=(
    say(N_("For the Centre's advisors: the submissions the districts send, each district read with its dossier, "
           "comment threads and decisions, and the districts' indicators side by side.")),
), tasks=(
    task(N_("To sign in"),
         say(N_("Under {box}, give the {address}, {name} and {password}."),
             box=label("Sign in to the Centre"), address=label("Centre address"), name=label("Your name"),
             password=label("Password")),
         say(N_("The first time, tick {first_time}: give the {code} you received and a new password twice."),
             first_time=label("First sign-in, with a one-time code"), code=label("Sign-in code")),
         say(N_("Tick {remember} if you like, then press {sign_in}."),
             remember=label("Stay signed in on this computer"), sign_in=label("Sign in"))),
    task(N_("To review a submission"),
         say(N_("In {submissions}, narrow the queue by {state} or {district} and choose a submission."),
             submissions=label("Submissions"), state=label("State"), district=label("District")),
         say(N_("Read the district in the tabs beside the queue: its actors, flows, canvas, charter with its "
                "checklist, and the dossier as submitted ({open_pdf} opens it in full)."),
             open_pdf=label("Open in the PDF viewer")),
         say(N_("Select a record or a charter section: {new_thread} opens a thread on it, {reply} answers the "
                "selected thread, {resolve} closes it."),
             new_thread=label("New thread"), reply=label("Reply"), resolve=label("Mark resolved")),
         say(N_("Decide with {approve}, {changes} or {reject}; a rejection needs a {comment}."),
             approve=label("Approve"), changes=label("Request changes"), reject=label("Reject"),
             comment=label("Comment on the decision (needed to reject)"))),
    task(N_("To work without a network"),
         say(N_("When the Centre cannot be reached you go on from the local copy; what you do waits, and "
                "{send} sends it when the Centre can be reached again."), send=label("Send waiting actions")),
         say(N_("{receive} reads the bundles that districts bring on a USB stick."),
             receive=label("Receive bundles…"))),
    task(N_("To compare the districts"),
         say(N_("The tab {tab} shows every district's latest state and indicators in one table."),
             tab=label("Districts side by side"))),
), notes=(
    say(N_("{password} changes your password; {sign_out} ends the session on this computer."),
        password=label("Password…"), sign_out=label("Sign out")),
))

PAGES: dict[str, HelpPage] = {page.area: page for page in (DISTRICTS, MAP, CHARTER, CANVAS, TRAINING, DOSSIER,
                                                          SYNC, REVIEW)}
GOOD_TO_KNOW = N_("Good to know")
ON_THIS_PAGE = N_("On this page")
