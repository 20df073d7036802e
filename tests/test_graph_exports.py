"""Graph files a Gephi user can open as they are: GEXF 1.3 and GraphML valid against the official schemas
(tests/data/xsd), with positions, colours, sizes, labels in the chosen language and directed edges; CSV
names and XLSX sheets a person can read; ValueFlows JSON-LD of actors and flows."""

import io
import json
from pathlib import Path

import pytest
from lxml import etree

from ssd_starter.core.vocabulary import CATEGORY_COLOURS
from ssd_starter.export.graph import export_graph, export_paths, graph_bytes
from ssd_starter.store.flows import create_flow, list_flows
from ssd_starter.store.stakeholders import create_relation, list_relations, list_stakeholders
from tests.helpers import add_actor

XSD = Path(__file__).parent / "data" / "xsd"
GEXF = "{http://gexf.net/1.3}"
VIZ = "{http://gexf.net/1.3/viz}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def gexf_grammar():
    return etree.RelaxNG(etree.parse(str(XSD / "gexf13" / "gexf.rng")))


@pytest.fixture(scope="module")
def graphml_schema():
    return etree.XMLSchema(etree.parse(str(XSD / "graphml" / "graphml.xsd")))


@pytest.fixture
def small_map(store, district):
    coop = add_actor(store, district, "Cooperativa Sociale Àlfa", category="social_enterprise", influence=5,
                     sector="organic_farming", roles=["producer", "job_placement"], attitude="supporter",
                     email="alfa@example.org", consent=True)
    gas = add_actor(store, district, "GAS Beta", category="consumer_group", email="secret@example.org")
    comune = add_actor(store, district, "Comune di Gamma", category="public_body")
    store.apply(create_relation(district, {"source_id": coop, "target_id": gas, "kind": "supplies", "strength": 3}))
    store.apply(create_relation(district, {"source_id": gas, "target_id": comune, "kind": "partners_with"}))
    return {"actors": list_stakeholders(store, district), "relations": list_relations(store, district),
            "ids": {"coop": coop, "gas": gas, "comune": comune}, "district": district}


def _valid(validator, data: bytes) -> bool:
    ok = validator.validate(etree.fromstring(data))
    assert ok, validator.error_log
    return ok


def test_gexf_is_valid_1_3_with_positions_colours_sizes_and_translated_labels(small_map, gexf_grammar):
    positions = {small_map["ids"]["coop"]: (10.0, 20.0)}
    [data] = graph_bytes("gexf", small_map["actors"], small_map["relations"], name="Distretto Valsugana",
                         positions=positions, language="it").values()
    assert _valid(gexf_grammar, data)
    root = etree.fromstring(data)
    assert root.get("version") == "1.3"
    assert "Distretto Valsugana" in root.find(f"{GEXF}meta/{GEXF}description").text
    coop = root.find(f".//{GEXF}node[@id='{small_map['ids']['coop']}']")
    assert coop.get("label") == "Cooperativa Sociale Àlfa"
    values = {v.get("for"): v.get("value") for v in coop.iter(f"{GEXF}attvalue")}
    assert values["category"] == "Impresa sociale" and values["category_id"] == "social_enterprise"
    assert "networkx_key" not in data.decode()
    colour = coop.find(f"{VIZ}color")
    assert "#" + "".join(f"{int(colour.get(c)):02x}" for c in "rgb") == CATEGORY_COLOURS["social_enterprise"]
    position = coop.find(f"{VIZ}position")
    assert (float(position.get("x")), float(position.get("y"))) == (10.0, -20.0)  # Gephi's y points up
    assert float(coop.find(f"{VIZ}size").get("value")) > float(
        root.find(f".//{GEXF}node[@id='{small_map['ids']['gas']}']/{VIZ}size").get("value"))
    kinds = {e.get("label"): e.get("type") for e in root.iter(f"{GEXF}edge")}
    assert kinds == {"Fornisce": "directed", "Collabora con": "mutual"}


def test_gexf_without_positions_passes_the_xsd_too(small_map):
    """The XSD twin misplaces the viz namespace (see tests/data/xsd/README.md): checked where it can judge."""
    schema = etree.XMLSchema(etree.parse(str(XSD / "gexf13" / "gexf.xsd")))
    [data] = graph_bytes("gexf", small_map["actors"], small_map["relations"]).values()
    root = etree.fromstring(data)
    for element in list(root.iter(f"{VIZ}color", f"{VIZ}size", f"{VIZ}position")):
        element.getparent().remove(element)
    assert schema.validate(root), schema.error_log


def test_networkx_reads_the_gexf_back(small_map, tmp_path):
    import networkx as nx

    [path] = export_graph(tmp_path / "map.gexf", "gexf", small_map["actors"], small_map["relations"], language="de")
    graph = nx.read_gexf(path)
    assert graph.nodes[small_map["ids"]["gas"]]["label"] == "GAS Beta"
    assert graph.nodes[small_map["ids"]["gas"]]["Kategorie"] == "Verbrauchergruppe"  # Gephi's column titles
    assert "email" not in graph.nodes[small_map["ids"]["coop"]]  # only when asked for


def test_graphml_is_valid_with_unique_key_ids_and_reads_back(small_map, graphml_schema, tmp_path):
    import networkx as nx

    data = graph_bytes("graphml", small_map["actors"], small_map["relations"], include_personal=True,
                       language="en")[""]
    assert _valid(graphml_schema, data)
    keys = [k.get("id") for k in etree.fromstring(data).iter(f"{GRAPHML}key")]
    assert len(keys) == len(set(keys))
    path = tmp_path / "map.graphml"
    path.write_bytes(data)
    graph = nx.read_graphml(path)
    coop, gas = small_map["ids"]["coop"], small_map["ids"]["gas"]
    assert graph.nodes[coop]["label"] == "Cooperativa Sociale Àlfa" and graph.nodes[coop]["influence"] == 5
    assert graph.nodes[coop]["roles"] == "Producer, Job placement" and graph.nodes[coop]["email"] == "alfa@example.org"
    assert "email" not in graph.nodes[gas]  # no consent, no contact details
    assert graph.nodes[coop]["r"] == int(CATEGORY_COLOURS["social_enterprise"][1:3], 16)


def test_csv_files_are_named_after_the_chosen_file(small_map, tmp_path):
    out = tmp_path / "demo.csv"
    assert export_paths(out, "csv") == [tmp_path / "demo-actors.csv", tmp_path / "demo-relations.csv"]
    written = export_graph(out, "csv", small_map["actors"], small_map["relations"])
    assert written == export_paths(out, "csv") and all(p.exists() for p in written)


def test_xlsx_has_two_readable_sheets_and_text_is_never_a_formula(store, small_map):
    from openpyxl import load_workbook

    add_actor(store, small_map["district"], "=HYPERLINK(\"http://x\")", notes="=1+1")
    actors = list_stakeholders(store, small_map["district"])
    data = graph_bytes("xlsx", actors, small_map["relations"], language="it")[""]
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Attori", "Relazioni"]
    actors_sheet, relations_sheet = workbook["Attori"], workbook["Relazioni"]
    header = [c.value for c in actors_sheet[1]]
    assert header[:3] == ["Nome", "Categoria", "Settore"]
    rows = {r[0]: r for r in actors_sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Cooperativa Sociale Àlfa"][1] == "Impresa sociale"
    formula = next(c for c in actors_sheet["A"] if c.value == "=HYPERLINK(\"http://x\")")
    assert formula.data_type == "s"  # stored as text: a spreadsheet shows it, never runs it
    relation_rows = list(relations_sheet.iter_rows(min_row=2, values_only=True))
    assert ("Cooperativa Sociale Àlfa", "GAS Beta", "Fornisce", 3) in [row[:4] for row in relation_rows]


def test_valueflows_jsonld_has_agents_and_events(store, small_map):
    ids, district = small_map["ids"], small_map["district"]
    store.apply(create_flow(district, {"source_id": ids["gas"], "target_id": ids["coop"], "kind": "money",
                                       "value_eur": 12000.0, "unit": "EUR", "description": "Cassette"}))
    store.apply(create_flow(district, {"source_id": ids["coop"], "target_id": None, "kind": "goods",
                                       "quantity": 800.0, "unit": "kg", "value_eur": 2400.0}))
    data = graph_bytes("jsonld", small_map["actors"], [], flows=list_flows(store, district), name="Valsugana")[""]
    document = json.loads(data)
    assert document["@context"]["vf"] == "https://w3id.org/valueflows/ont/vf#"
    by_type: dict[str, list] = {}
    for node in document["@graph"]:
        by_type.setdefault(node["@type"], []).append(node)
    assert len(by_type["foaf:Organization"]) == 3 and len(by_type["foaf:Agent"]) == 1  # outside
    money = next(e for e in by_type["vf:EconomicEvent"] if e["vf:resourceQuantity"]["om2:hasUnit"] == "om2:Euro")
    assert money["vf:provider"]["@id"] == f"urn:uuid:{ids['gas']}" and money["vf:action"] == "vf:transfer"
    assert money["vf:resourceQuantity"]["om2:hasNumericalValue"] == 12000.0


def test_an_unknown_format_is_refused_with_the_formats_named(small_map):
    from ssd_starter.core.errors import UserError

    with pytest.raises(UserError) as refused:
        graph_bytes("pajek", small_map["actors"], [])
    assert "gexf" in refused.value.message() and "xlsx" in refused.value.message()
