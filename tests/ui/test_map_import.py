"""Map → Import and Export in the GUI, on real store files and files the tests write: the wizard's columns,
values and preview steps, the value choices remembered per district, actors and relations in one undo step,
a Gephi file's positions, names on no actor, a large file read in a worker, every export format."""

import json

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QComboBox, QFileDialog

from ssd_starter.core.importer import read_sheets
from ssd_starter.core.value_mapping import normalize
from ssd_starter.settings import Settings
from ssd_starter.store.districts import create_district
from ssd_starter.store.layout import load_positions, save_positions
from ssd_starter.store.stakeholders import list_relations, list_stakeholders
from ssd_starter.ui.language import notifier
from ssd_starter.ui.map.import_dialog import COLUMNS, PREVIEW, VALUES, ImportDialog
from ssd_starter.ui.map.import_preview import PreviewModel, PreviewRow
from ssd_starter.ui.map.import_values import SETTINGS_KEY, ValuesModel
from tests.helpers import add_actor

from .conftest import SCREENSHOTS

ITALIAN_CSV = ("Nome;Categoria;Comune;Influenza\n"
               "Cooperativa Sociale Città Aperta;Cooperativa sociale;Pergine Valsugana;4\n"
               "GAS Valsugana;Gruppo di acquisto;Levico Terme;3\n"
               "Comune di Tenna;Comune;Tenna;3,5\n"
               "Casa di Riposo San Giuseppe;Casa di riposo;Caldonazzo;2\n")


@pytest.fixture(autouse=True)
def _jobs_finish():
    """A job a test left running (a cancelled read) ends before the next test's store is opened."""
    yield
    QThreadPool.globalInstance().waitForDone(30_000)


def open_dialog(qtbot, store, district, path, run_edit=None, settings=None):
    edits = []

    def run(edit, text, merge_key):
        edits.append(text)
        store.apply(edit)
        return True

    dialog = ImportDialog(store, district, path, run_edit or run, settings=settings or Settings())
    qtbot.addWidget(dialog)
    dialog.edits = edits
    settle(qtbot, dialog)
    return dialog


def settle(qtbot, dialog):
    qtbot.waitUntil(lambda: not dialog.worker.busy and (dialog.step is not None or dialog.error.isVisibleTo(dialog)),
                    timeout=30_000)


def go_next(qtbot, dialog):
    assert dialog.next_button.isEnabled()
    dialog.next_button.click()
    settle(qtbot, dialog)


def to_preview(qtbot, dialog):
    while dialog.step != PREVIEW:
        go_next(qtbot, dialog)


def write_italian(tmp_path, name="soci.csv", text=ITALIAN_CSV):
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def value_row(dialog, text):
    model = dialog.values.model
    return next(n for n in range(model.rowCount()) if model.row(n).text == text)


def choose(dialog, text, value):
    """Through the row's combo, as a person would."""
    row = value_row(dialog, text)
    combo = dialog.values.table.indexWidget(dialog.values.model.index(row, ValuesModel.CHOICE))
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(value))


# -- the wizard --------------------------------------------------------------------------------

def test_import_dialog_previews_and_imports(qtbot, demo_store, tmp_path):
    sheet = tmp_path / "nuovi.csv"
    sheet.write_bytes("Nome;Categoria;Comune\nCoop Nuova;Cooperativa;Ala\nAgriturismo La Fratta Alta;Produttore;"
                      "Cinte Tesino\n".encode("cp1252"))
    dialog = open_dialog(qtbot, demo_store, demo_store.demo_id, sheet)
    assert dialog.step == COLUMNS and dialog.columns.mapping() == {"name": 0, "category": 1, "municipality": 2}
    assert dialog.message.text() == "Actors: encoding utf-8, separator “;”, 2 rows."
    assert not dialog.import_button.isVisible()
    go_next(qtbot, dialog)
    assert dialog.step == VALUES  # the category column's two texts, both recognised
    assert dialog.values.summary.text() == "Every text was recognised."
    go_next(qtbot, dialog)
    assert dialog.step == PREVIEW and len(dialog.plan.new) == 1 and len(dialog.plan.duplicates) == 1
    assert dialog.preview.model.rowCount() == 2 and dialog.import_button.isEnabled()
    assert "1 new actor will be added." in dialog.preview.summary.text()
    assert "1 row names an actor already in the map." in dialog.preview.summary.text()
    dialog.buttons.accepted.emit()
    assert any(a["name"] == "Coop Nuova" for a in list_stakeholders(demo_store, demo_store.demo_id))
    assert dialog.edits == ["Import 1 actor"] and dialog.result() == ImportDialog.DialogCode.Accepted
    flawed = tmp_path / "rotto.csv"
    flawed.write_bytes(b"Nome;Influenza\nX;99\n")
    flagged = open_dialog(qtbot, demo_store, demo_store.demo_id, flawed)
    go_next(qtbot, flagged)  # no vocabulary column: straight to the preview
    # the cell that cannot be read is left empty and named by row before anything is written
    assert flagged.step == PREVIEW and flagged.import_button.isEnabled()
    assert "Row 2, column “Influenza”" in flagged.preview.summary.text()


def test_a_file_without_a_name_column_is_refused_at_the_columns(qtbot, store, district, tmp_path):
    path = tmp_path / "senza.csv"
    path.write_bytes(b"Categoria;Comune\nCooperativa;Ala\nGAS;Trento\n")
    dialog = open_dialog(qtbot, store, district, path)
    go_next(qtbot, dialog)
    assert dialog.step == COLUMNS and "No column for the actor's name" in dialog.error.text()
    dialog.columns.combos["name"].setCurrentIndex(2)  # the user names one
    go_next(qtbot, dialog)
    assert dialog.step == VALUES and not dialog.error.isVisibleTo(dialog)


def test_a_file_that_is_no_table_is_refused_and_changes_nothing(qtbot, store, district, tmp_path):
    path = tmp_path / "foto.csv"
    path.write_bytes(b"\x89PNG\x00\x00\x00binary")
    dialog = open_dialog(qtbot, store, district, path)
    assert dialog.step is None and "binary data" in dialog.error.text()
    assert not dialog.next_button.isEnabled() and not dialog.import_button.isVisible()


def test_values_step_lists_the_unknown_category_and_remembers_the_choice_per_district(qtbot, store, district,
                                                                                         tmp_path):
    path = write_italian(tmp_path)
    dialog = open_dialog(qtbot, store, district, path)
    assert dialog.message.text() == "Actors: encoding cp1252, separator “;”, 4 rows."
    go_next(qtbot, dialog)
    model = dialog.values.model
    texts = {model.row(n).text: model.row(n) for n in range(model.rowCount())}
    assert set(texts) == {"Cooperativa sociale", "Gruppo di acquisto", "Comune", "Casa di riposo"}
    unknown = value_row(dialog, "Casa di riposo")
    assert unknown == 0  # what needs the user comes first
    assert model.index(unknown, ValuesModel.NOTE).data() == "not recognised"
    assert model.index(unknown, ValuesModel.CHOICE).data() == "(leave empty, keep the text in the notes)"
    coop = value_row(dialog, "Cooperativa sociale")
    assert model.index(coop, ValuesModel.CHOICE).data() == "Social cooperative"
    assert model.index(coop, ValuesModel.NOTE).data() == "" and model.index(coop, ValuesModel.COUNT).data() == "1"
    assert "1 text matches nothing" in dialog.values.summary.text()
    choose(dialog, "Casa di riposo", "public_body")
    assert model.index(unknown, ValuesModel.NOTE).data() == "your choice"
    go_next(qtbot, dialog)
    preview = dialog.preview.model
    category = 1 + preview.fields().index("category")
    assert [preview.index(r, category).data() for r in range(4)] == [
        "Social cooperative", "Consumer group", "Public body", "Public body"]  # labels, not the file's text
    assert "Row 4, column “Influenza”" in dialog.preview.summary.text()  # 3,5 is no score: left empty
    dialog.import_button.click()
    actors = {a["name"]: a for a in list_stakeholders(store, district)}
    assert actors["Casa di Riposo San Giuseppe"]["category"] == "public_body"
    assert actors["Comune di Tenna"]["category"] == "public_body"
    assert actors["Comune di Tenna"]["influence"] == 3  # not read from "3,5": the default
    assert actors["GAS Valsugana"]["municipality"] == "Levico Terme"
    assert Settings().get(SETTINGS_KEY) == {district: {"category": {normalize("Casa di riposo"): "public_body"}}}

    # the same district's next import starts from that choice; another district's does not
    again = write_italian(tmp_path, "altri.csv", "Nome;Categoria\nCasa di Riposo di Levico;Casa di riposo\n")
    second = open_dialog(qtbot, store, district, again)
    go_next(qtbot, second)
    row = value_row(second, "Casa di riposo")
    assert second.values.model.index(row, ValuesModel.CHOICE).data() == "Public body"
    assert second.values.model.index(row, ValuesModel.NOTE).data() == "as you chose before"
    go_next(qtbot, second)
    second.import_button.click()
    assert {a["name"]: a["category"] for a in list_stakeholders(store, district)}["Casa di Riposo di Levico"] == \
        "public_body"
    other = create_district("Altro distretto")
    store.apply(other)
    third = open_dialog(qtbot, store, other.values["id"], again)
    go_next(qtbot, third)
    row = value_row(third, "Casa di riposo")
    assert third.values.model.index(row, ValuesModel.NOTE).data() == "not recognised"
    go_next(qtbot, third)
    third.import_button.click()
    [home] = list_stakeholders(store, other.values["id"])
    assert home["category"] == "association"  # the map's default, and the text kept in the notes
    assert home["notes"] == "Category as written: Casa di riposo"
    assert set(Settings().get(SETTINGS_KEY)) == {district}


def test_a_close_spelling_is_marked_check_and_can_be_refused(qtbot, store, district, tmp_path):
    path = write_italian(tmp_path, "refusi.csv", "Nome;Categoria\nLa Rete;Cooperatva sociale\n")
    dialog = open_dialog(qtbot, store, district, path)
    go_next(qtbot, dialog)
    model = dialog.values.model
    assert model.index(0, ValuesModel.NOTE).data() == "check: a close spelling"
    assert model.index(0, ValuesModel.CHOICE).data() == "Social cooperative"
    assert "close spelling" in dialog.values.summary.text()
    choose(dialog, "Cooperatva sociale", "cooperative")
    go_next(qtbot, dialog)
    dialog.import_button.click()
    assert list_stakeholders(store, district)[0]["category"] == "cooperative"


def test_values_and_preview_models_pass_the_model_tester(qtbot, qtmodeltester, store, district, tmp_path):
    dialog = open_dialog(qtbot, store, district, write_italian(tmp_path))
    go_next(qtbot, dialog)
    qtmodeltester.check(dialog.values.model)
    go_next(qtbot, dialog)
    qtmodeltester.check(dialog.preview.model)
    empty = PreviewModel()
    qtmodeltester.check(empty)
    empty.set_rows([PreviewRow(2, {"name": "A"}, "new")], {"name": 0})
    qtmodeltester.check(empty)


def test_the_bar_opens_graph_files_and_hands_the_window_settings(make_window, demo_store, tmp_path, monkeypatch):
    window = make_window()
    window.set_current_district(demo_store.demo_id)
    window.show_area("map")
    asked, opened = [], []
    path = write_italian(tmp_path)

    def get_open_file_name(parent, caption, folder, filters):
        asked.append(filters)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", get_open_file_name)
    monkeypatch.setattr(ImportDialog, "exec", lambda self: opened.append(self) or 0)
    window.map_page.bar.import_spreadsheet()
    assert "*.gexf *.graphml" in asked[0]
    [dialog] = opened
    assert dialog._settings is window.settings
    dialog.reject()
    dialog.deleteLater()


# -- relations ---------------------------------------------------------------------------------

def two_sheet_workbook(path):
    from openpyxl import Workbook

    book = Workbook()
    actors = book.active
    actors.title = "Attori"
    for row in (("Nome", "Categoria"), ("Caseificio Sociale Primiero", "Cooperativa"),
                ("Bottega Equa Pergine", "Negozio")):
        actors.append(row)
    relations = book.create_sheet("Relazioni")
    for row in (("Da", "A", "Tipo", "Forza"), ("Caseificio Sociale Primiero", "Bottega Equa Pergine", "fornisce", 3),
                ("Bottega Equa Pergine", "GAS Primiero", "collabora con", 2)):
        relations.append(row)
    book.save(path)
    return path


def test_two_sheets_import_actors_and_relations_in_one_undo_step(make_window, store, district, qtbot, tmp_path):
    window = make_window()
    window.set_current_district(district)
    window.show_area("map")
    gas = add_actor(store, district, "GAS Primiero", category="consumer_group")
    path = two_sheet_workbook(tmp_path / "rete.xlsx")
    dialog = open_dialog(qtbot, store, district, path, run_edit=window.map_page._run_edit)
    assert "sheet “Attori”, 2 rows" in dialog.message.text()
    assert "sheet “Relazioni”, 2 rows" in dialog.message.text()
    to_preview(qtbot, dialog)
    # planned against the actors the same import adds: none of the names is missing
    assert len(dialog.relation_plan.new) == 2 and not dialog.relation_plan.missing
    assert "2 new relations." in dialog.relations.summary.text()
    assert not dialog.relations.create_missing.isVisibleTo(dialog)
    dialog.import_button.click()
    names = {a["id"]: a["name"] for a in list_stakeholders(store, district)}
    assert sorted(names.values()) == ["Bottega Equa Pergine", "Caseificio Sociale Primiero", "GAS Primiero"]
    assert sorted((names[r["source_id"]], names[r["target_id"]], r["kind"], r["strength"])
                  for r in list_relations(store, district)) == [
        ("Bottega Equa Pergine", "GAS Primiero", "partners_with", 2),
        ("Caseificio Sociale Primiero", "Bottega Equa Pergine", "supplies", 3)]
    assert window.undo_group.activeStack().undoText() == "Import rete.xlsx"
    window.undo_action.trigger()  # one undo takes both back
    assert [a["id"] for a in list_stakeholders(store, district)] == [gas]
    assert list_relations(store, district) == []


GEPHI_GEXF = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">
  <graph defaultedgetype="directed" mode="static">
    <attributes class="node" mode="static"><attribute id="0" title="Categoria" type="string"/></attributes>
    <attributes class="edge" mode="static"><attribute id="1" title="Tipo" type="string"/></attributes>
    <nodes>
      <node id="n0" label="Cooperativa Sociale La Rete">
        <attvalues><attvalue for="0" value="Cooperativa sociale"/></attvalues><viz:position x="-120.5" y="44.0"/>
      </node>
      <node id="n1" label="Comune di Levico">
        <attvalues><attvalue for="0" value="Comune"/></attvalues><viz:position x="80.0" y="-10.0"/>
      </node>
    </nodes>
    <edges><edge id="0" source="n1" target="n0" weight="2.0"><attvalues><attvalue for="1" value="finanzia"/>
    </attvalues></edge></edges>
  </graph>
</gexf>
"""


def test_a_gexf_imports_actors_relations_and_positions(qtbot, store, district, tmp_path):
    path = tmp_path / "gephi.gexf"
    path.write_text(GEPHI_GEXF, encoding="utf-8")
    dialog = open_dialog(qtbot, store, district, path)
    assert "Actors: 2 nodes." in dialog.message.text() and "Relations: 1 edge." in dialog.message.text()
    to_preview(qtbot, dialog)
    assert "2 positions from the graph file are kept" in dialog.relations.summary.text()
    dialog.import_button.click()
    actors = {a["name"]: a for a in list_stakeholders(store, district)}
    assert actors["Comune di Levico"]["category"] == "public_body"
    [relation] = list_relations(store, district)
    assert (relation["source_id"], relation["kind"]) == (actors["Comune di Levico"]["id"], "finances")
    positions, pinned = load_positions(store, district)
    assert positions[actors["Cooperativa Sociale La Rete"]["id"]] == (-120.5, -44.0)  # Gephi's y points up
    assert pinned == set(positions) == {a["id"] for a in actors.values()}


def test_names_on_no_actor_are_listed_and_created_when_ticked(qtbot, store, district, tmp_path):
    add_actor(store, district, "GAS Pergine")
    path = tmp_path / "relazioni.csv"
    path.write_bytes("Da;A;Tipo\nGAS Pergine;Maso Fiore;acquista da\nGAS Pergine;Maso Fiore;acquista da\n"
                     "Forno Sociale;GAS Pergine;fornisce\n".encode("cp1252"))
    dialog = open_dialog(qtbot, store, district, path)
    assert dialog.step == PREVIEW  # relations alone: no columns to map
    assert dialog.step_label.text() == "Step 1 of 1: Preview" and not dialog.back_button.isVisible()
    box = dialog.relations
    assert box.missing.text() == "2 names are on no actor: Maso Fiore, Forno Sociale (3 rows skipped)"
    assert box.create_missing.isVisibleTo(dialog) and not box.create_missing.isChecked()
    without = open_dialog(qtbot, store, district, path)
    without.import_button.click()
    assert list_relations(store, district) == [] and len(list_stakeholders(store, district)) == 1
    box.create_missing.setChecked(True)
    settle(qtbot, dialog)
    assert box.missing.text() == "2 names are on no actor: they become new actors. Maso Fiore, Forno Sociale"
    assert "2 new relations." in box.summary.text() and "1 row repeats" in box.summary.text()
    dialog.import_button.click()
    names = {a["id"]: a["name"] for a in list_stakeholders(store, district)}
    assert sorted(names.values()) == ["Forno Sociale", "GAS Pergine", "Maso Fiore"]
    assert sorted((names[r["source_id"]], names[r["target_id"]]) for r in list_relations(store, district)) == [
        ("Forno Sociale", "GAS Pergine"), ("GAS Pergine", "Maso Fiore")]


# -- a large file --------------------------------------------------------------------------------

def big_csv(path, rows=30_000):
    kinds = ("Cooperativa sociale", "Gruppo di acquisto", "Comune", "Azienda agricola", "Casa di riposo")
    lines = ["Nome;Categoria;Comune;Influenza", *(f"Attore {n};{kinds[n % 5]};Trento;{n % 5 + 1}" for n in range(rows))]
    path.write_bytes("\n".join(lines).encode("cp1252"))
    return path


def test_a_large_file_is_read_and_planned_while_the_window_stays_responsive(qtbot, store, district, tmp_path):
    path = big_csv(tmp_path / "grande.csv")
    ticks = {"busy": 0}

    def tick():
        if dialog.worker.busy:
            ticks["busy"] += 1

    dialog = ImportDialog(store, district, path, lambda edit, text, key: store.apply(edit) or True,
                          settings=Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.worker.busy and dialog.progress.isVisible() and dialog.busy_label.text() == "Reading the file…"
    timer = QTimer(dialog)
    timer.timeout.connect(tick)
    timer.start(0)  # every turn of the event loop: the reader got fast enough to finish between 10 ms ticks
    settle(qtbot, dialog)
    assert dialog.step == COLUMNS and ticks["busy"] > 0  # the timer fired while the file was read
    read_ticks = ticks["busy"]
    dialog.next_button.click()
    assert dialog.worker.busy and not dialog.next_button.isEnabled() and dialog.progress.isVisible()
    settle(qtbot, dialog)
    assert ticks["busy"] > read_ticks  # and while its rows were planned
    assert dialog.step == VALUES and not dialog.progress.isVisible()
    go_next(qtbot, dialog)
    assert len(dialog.plan.new) == 30_000 and "30,000 new actors will be added." in dialog.preview.summary.text()
    dialog.import_button.click()
    assert len(list_stakeholders(store, district)) == 30_000


def test_cancel_while_reading_closes_and_writes_nothing(qtbot, store, district, tmp_path):
    path = big_csv(tmp_path / "grande.csv")
    dialog = ImportDialog(store, district, path, lambda edit, text, key: store.apply(edit) or True,
                          settings=Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.worker.busy
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert dialog.result() == ImportDialog.DialogCode.Rejected and not dialog.worker.busy
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(50)  # the dropped result is delivered, and ignored
    assert dialog.step is None and dialog.source is None and list_stakeholders(store, district) == []


# -- export ---------------------------------------------------------------------------------------

def test_every_export_format_from_the_bar(make_window, demo_store, tmp_path, monkeypatch):
    from lxml import etree

    from ssd_starter.ui.map.actor_actions import EXPORT_FORMATS
    from tests.test_graph_exports import XSD

    window = make_window()
    window.set_current_district(demo_store.demo_id)
    window.show_area("map")
    bar = window.map_page.bar
    actor = list_stakeholders(demo_store, demo_store.demo_id)[0]
    save_positions(demo_store, {actor["id"]: (12.0, 34.0)})
    told, offered = [], []

    def save_as(name, label):
        def get_save_file_name(parent, caption, folder, filters):
            offered.append(filters)
            return str(tmp_path / name), next(f for f in filters.split(";;") if f.startswith(label))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)

    monkeypatch.setattr(bar, "tell", lambda title, text: told.append(text))
    labels = [label for _fmt, label, _suffix in EXPORT_FORMATS]
    assert labels == ["GEXF 1.3 (Gephi)", "GraphML", "CSV (two files)", "Excel workbook", "ValueFlows JSON-LD"]
    for name, label in zip(("mappa", "mappa", "mappa", "mappa.xlsx", "mappa"), labels, strict=True):
        save_as(name, label)
        bar.export_map()
    save_as("rete.graphml", labels[0])  # a suffix typed by the user wins over the list
    bar.export_map()
    assert (tmp_path / "rete.graphml").read_bytes().startswith(b"<?xml") and not (tmp_path / "rete.graphml.gexf").exists()
    assert offered[0].split(";;") == ["GEXF 1.3 (Gephi) (*.gexf)", "GraphML (*.graphml)", "CSV (two files) (*.csv)",
                                      "Excel workbook (*.xlsx)", "ValueFlows JSON-LD (*.jsonld)"]
    gexf = etree.parse(str(tmp_path / "mappa.gexf"))
    assert etree.RelaxNG(etree.parse(str(XSD / "gexf13" / "gexf.rng"))).validate(gexf)
    root = gexf.getroot()
    assert "Valsugana" in root.find("{http://gexf.net/1.3}meta/{http://gexf.net/1.3}description").text
    node = root.find(f".//{{http://gexf.net/1.3}}node[@id='{actor['id']}']")
    position = node.find("{http://gexf.net/1.3/viz}position")
    assert (float(position.get("x")), float(position.get("y"))) == (12.0, -34.0)  # the network view's place
    graphml = etree.parse(str(tmp_path / "mappa.graphml"))
    assert etree.XMLSchema(etree.parse(str(XSD / "graphml" / "graphml.xsd"))).validate(graphml)
    actors_csv, relations_csv = tmp_path / "mappa-actors.csv", tmp_path / "mappa-relations.csv"
    assert actors_csv.read_text(encoding="utf-8-sig").startswith("id,name,category")
    assert relations_csv.read_text(encoding="utf-8-sig").startswith("id,source_id,target_id")
    assert told == [f"Two files were written:\n{actors_csv}\n{relations_csv}"]
    assert [name for name, _table in read_sheets(tmp_path / "mappa.xlsx")] == ["Actors", "Relations"]
    document = json.loads((tmp_path / "mappa.jsonld").read_text(encoding="utf-8"))
    assert "@context" in document and "EconomicEvent" in json.dumps(document)  # the district's flows


def test_export_speaks_the_window_language(make_window, demo_store, tmp_path):
    window = make_window()
    window.set_current_district(demo_store.demo_id)
    window.show_area("map")
    window.set_language("de")
    [path] = window.map_page.bar.export_to(tmp_path / "karte.xlsx")
    assert [name for name, _table in read_sheets(path)] == ["Akteure", "Beziehungen"]


# -- what it looks like ---------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["it", "de"])
def test_import_screenshots_fit_a_small_screen(qtbot, store, district, tmp_path, language):
    notifier().set_language(language)
    try:
        add_actor(store, district, "GAS Valsugana")
        path = two_sheet_workbook(tmp_path / "rete.xlsx")
        from openpyxl import load_workbook

        book = load_workbook(path)
        for row in ITALIAN_CSV.splitlines()[1:]:
            name, category, town, influence = row.split(";")
            book["Attori"].append((name, category, town, influence))
        book["Attori"]["C1"] = "Comune"
        book["Attori"]["D1"] = "Influenza"
        book["Relazioni"].append(("GAS Valsugana", "Maso Nessuno", "acquista da", 2))
        book.save(path)
        dialog = open_dialog(qtbot, store, district, path)
        dialog.show()
        SCREENSHOTS.mkdir(exist_ok=True)
        for step in (COLUMNS, VALUES, PREVIEW):
            assert dialog.step == step
            hint = dialog.minimumSizeHint()
            assert dialog.width() <= 1366 and dialog.height() <= 700 and hint.width() <= 1366 and hint.height() <= 700
            qtbot.wait(20)
            assert dialog.grab().save(str(SCREENSHOTS / f"import-{language}-{step}.png"))
            if step != PREVIEW:
                go_next(qtbot, dialog)
        dialog.reject()
        edges = tmp_path / "relazioni.csv"
        edges.write_bytes("Da;A;Tipo\nGAS Valsugana;Maso Fiore;acquista da\nForno Sociale;GAS Valsugana;fornisce\n"
                          .encode("cp1252"))
        relations = open_dialog(qtbot, store, district, edges)
        relations.show()
        relations.relations.create_missing.setChecked(True)
        settle(qtbot, relations)
        qtbot.wait(20)
        assert relations.grab().save(str(SCREENSHOTS / f"import-{language}-relations.png"))
        relations.reject()
        busy = ImportDialog(store, district, big_csv(tmp_path / "grande.csv"), lambda *args: True, settings=Settings())
        qtbot.addWidget(busy)
        busy.show()  # at once: the faster CSV reader is done with 30,000 rows in well under 20 ms of waiting
        assert busy.worker.busy and busy.grab().save(str(SCREENSHOTS / f"import-{language}-reading.png"))
        busy.reject()
    finally:
        notifier().set_language("en")
