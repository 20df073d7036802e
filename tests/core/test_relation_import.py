"""Relations from edge lists, workbooks with two sheets, Gephi files and Kumu exports — and back."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssd_starter.core.graph_import import read_graph_file
from ssd_starter.core.importer import (
    ImportRefused,
    SheetTable,
    guess_mapping,
    plan_import,
    read_csv,
    read_sheets,
)
from ssd_starter.core.relation_import import guess_relation_mapping, is_edge_list, plan_relations
from ssd_starter.store.layout import load_positions, save_positions_by_name
from ssd_starter.store.stakeholders import (
    create_relation,
    import_relations,
    import_stakeholders,
    list_relations,
    list_stakeholders,
)
from tests.helpers import add_actor

EDGES_IT = (
    "Da;A;Tipo di relazione;Forza;Note\r\n"
    "Maso Bergamini;GAS Pergine;fornisce;3;verdura\r\n"
    "gas pergine;Maso Bergamini;compra da;2;\r\n"
    "Cassa Rurale;Maso Bergamini;finanzia;4;prestito\r\n"
    "Maso Bergamini;GAS Pergine;Fornisce;3;verdura\r\n"
    "Maso Bergamini;Sconosciuto;collabora con;;\r\n"
    "Maso Bergamini;Maso Bergamini;collabora;;\r\n"
    "Cassa Rurale;GAS Pergine;amicizia;1;\r\n"
)


@pytest.fixture
def three(store, district):
    ids = {name: add_actor(store, district, name) for name in ("Maso Bergamini", "GAS Pergine", "Cassa Rurale")}
    return ids


def test_an_italian_edge_list_becomes_relations(store, district, three):
    table = read_csv(EDGES_IT.encode("cp1252"))
    assert is_edge_list(table.headers)
    plan = plan_relations(table, list_stakeholders(store, district), list_relations(store, district))
    kinds = {(r["source_id"], r["target_id"]): (r["kind"], r["strength"]) for r in plan.new}
    assert kinds[(three["Maso Bergamini"], three["GAS Pergine"])] == ("supplies", 3)
    assert kinds[(three["GAS Pergine"], three["Maso Bergamini"])] == ("buys_from", 2)
    assert kinds[(three["Cassa Rurale"], three["Maso Bergamini"])] == ("finances", 2)  # 4 is no strength
    assert kinds[(three["Cassa Rurale"], three["GAS Pergine"])] == ("partners_with", 1)  # kind kept in notes
    assert plan.repeated_in_file == [5]
    assert plan.missing == {"Sconosciuto": [6]}
    problems = {(p.row, p.column) for p in plan.problems}
    assert {(4, "Forza"), (7, "Da"), (8, "Tipo di relazione")} <= problems
    store.apply(import_relations(district, plan))
    assert len(list_relations(store, district)) == 4
    assert any("amicizia" in r["notes"] for r in list_relations(store, district))


def test_missing_actors_can_be_created_and_a_second_import_merges(store, district, three):
    table = read_csv(EDGES_IT.encode("cp1252"))
    plan = plan_relations(table, list_stakeholders(store, district), [], create_missing=True)
    assert [name for _id, name in plan.new_actors] == ["Sconosciuto"]
    store.apply(import_relations(district, plan))
    assert "Sconosciuto" in {a["name"] for a in list_stakeholders(store, district)}
    again = read_csv(b"Da;A;Tipo;Note\r\nMaso Bergamini;GAS Pergine;fornisce;cassette\r\n")
    plan = plan_relations(again, list_stakeholders(store, district), list_relations(store, district))
    assert plan.new == [] and len(plan.updates) == 1 and plan.updates[0][1] == {"notes": "cassette"}
    store.apply(import_relations(district, plan))
    supplies = [r for r in list_relations(store, district) if r["kind"] == "supplies"]
    assert [(r["notes"], r["strength"]) for r in supplies] == [("cassette", 3)]  # strength kept


def test_a_table_without_two_ends_is_refused(store, district, three):
    with pytest.raises(ImportRefused):
        plan_relations(read_csv(b"name;category\nA;coop\n"), list_stakeholders(store, district), [])


def test_a_workbook_exported_here_imports_back_in_one_go(store, district, three, tmp_path):
    from ssd_starter.export.graph import export_graph
    from ssd_starter.store.districts import create_district

    store.apply(create_relation(district, {"source_id": three["Maso Bergamini"], "target_id": three["GAS Pergine"],
                                           "kind": "supplies", "strength": 3}))
    [path] = export_graph(tmp_path / "map.xlsx", "xlsx", list_stakeholders(store, district),
                          list_relations(store, district), language="de")
    sheets = read_sheets(path)
    assert [name for name, _t in sheets] == ["Akteure", "Beziehungen"]
    other = create_district("Copy")
    store.apply(other)
    target = other.values["id"]
    (_n, actors), (_m, relations) = sheets
    store.apply(import_stakeholders(target, plan_import(actors, guess_mapping(actors.headers), []),
                                    merge_duplicates=False))
    plan = plan_relations(relations, list_stakeholders(store, target), [])
    store.apply(import_relations(target, plan))
    names = {a["id"]: a["name"] for a in list_stakeholders(store, target)}
    assert [(names[r["source_id"]], names[r["target_id"]], r["kind"], r["strength"])
            for r in list_relations(store, target)] == [("Maso Bergamini", "GAS Pergine", "supplies", 3)]


GEPHI_GEXF = b"""<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">
  <meta><creator>Gephi 0.10.1</creator></meta>
  <graph defaultedgetype="directed" mode="static">
    <attributes class="node" mode="static">
      <attribute id="0" title="Categoria" type="string"/>
      <attribute id="1" title="Comune" type="string"/>
      <attribute id="modularity_class" title="Modularity Class" type="integer"/>
    </attributes>
    <attributes class="edge" mode="static"><attribute id="2" title="Tipo" type="string"/></attributes>
    <nodes>
      <node id="n0" label="Cooperativa Sociale La Rete">
        <attvalues><attvalue for="0" value="Cooperativa sociale"/><attvalue for="1" value="Pergine"/>
        <attvalue for="modularity_class" value="1"/></attvalues>
        <viz:size value="20.0"/><viz:position x="-120.5" y="44.0" z="0.0"/><viz:color r="0" g="105" b="92"/>
      </node>
      <node id="n1" label="Comune di Levico">
        <attvalues><attvalue for="0" value="Comune"/></attvalues><viz:position x="80.0" y="-10.0" z="0.0"/>
      </node>
    </nodes>
    <edges>
      <edge id="0" source="n1" target="n0" weight="2.0"><attvalues><attvalue for="2" value="finanzia"/></attvalues></edge>
    </edges>
  </graph>
</gexf>
"""


def test_a_gephi_gexf_imports_with_its_layout(store, district, tmp_path):
    path = tmp_path / "gephi.gexf"
    path.write_bytes(GEPHI_GEXF)
    tables = read_graph_file(path)
    plan = plan_import(tables.actors, guess_mapping(tables.actors.headers), [])
    categories = {a["name"]: a["category"] for a in plan.new}
    assert categories == {"Cooperativa Sociale La Rete": "social_cooperative", "Comune di Levico": "public_body"}
    store.apply(import_stakeholders(district, plan, merge_duplicates=False))
    relations = plan_relations(tables.relations, list_stakeholders(store, district), [])
    assert [(r["kind"], r["strength"]) for r in relations.new] == [("finances", 2)]
    assert save_positions_by_name(store, district, tables.positions) == 2
    positions, pinned = load_positions(store, district)
    ids = {a["name"]: a["id"] for a in list_stakeholders(store, district)}
    assert positions[ids["Cooperativa Sociale La Rete"]] == (-120.5, -44.0) and len(pinned) == 2


def test_our_own_gexf_and_graphml_round_trip(store, district, three, tmp_path):
    from ssd_starter.export.graph import export_graph
    from ssd_starter.store.districts import create_district

    store.apply(create_relation(district, {"source_id": three["Cassa Rurale"], "target_id": three["GAS Pergine"],
                                           "kind": "finances", "strength": 1}))
    for fmt in ("gexf", "graphml"):
        [path] = export_graph(tmp_path / f"map.{fmt}", fmt, list_stakeholders(store, district),
                              list_relations(store, district), positions={three["GAS Pergine"]: (5.0, 6.0)},
                              language="it")
        tables = read_graph_file(path)
        copy = create_district(f"Copy {fmt}")
        store.apply(copy)
        target = copy.values["id"]
        store.apply(import_stakeholders(target, plan_import(tables.actors, guess_mapping(tables.actors.headers), []),
                                        merge_duplicates=False))
        store.apply(import_relations(target, plan_relations(tables.relations, list_stakeholders(store, target), [])))
        names = {a["id"]: a["name"] for a in list_stakeholders(store, target)}
        assert sorted(names.values()) == sorted(three)
        assert [(names[r["source_id"]], names[r["target_id"]], r["kind"], r["strength"])
                for r in list_relations(store, target)] == [("Cassa Rurale", "GAS Pergine", "finances", 1)], fmt
        assert tables.positions == {"gas pergine": (5.0, 6.0)}


def test_a_kumu_workbook_layout_imports(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    elements = workbook.active
    elements.title = "Elements"
    elements.append(["Label", "Type", "Description", "Tags"])
    elements.append(["Cooperativa Sociale Alfa", "Social cooperative", "Type B", "food"])
    elements.append(["Comune di Ala", "Public body", "", ""])
    connections = workbook.create_sheet("Connections")
    connections.append(["From", "To", "Type", "Strength"])
    connections.append(["Comune di Ala", "Cooperativa Sociale Alfa", "Finances", 2])
    out = io.BytesIO()
    workbook.save(out)
    path = tmp_path / "kumu.xlsx"
    path.write_bytes(out.getvalue())
    (_e, actors), (_c, relations) = read_sheets(path)
    plan = plan_import(actors, guess_mapping(actors.headers), [])
    assert {a["name"]: a["category"] for a in plan.new} == {"Cooperativa Sociale Alfa": "social_cooperative",
                                                              "Comune di Ala": "public_body"}
    assert is_edge_list(relations.headers) and not is_edge_list(actors.headers)
    existing = [{"id": "a", "name": "Cooperativa Sociale Alfa"}, {"id": "b", "name": "Comune di Ala"}]
    [relation] = plan_relations(relations, existing, []).new
    assert (relation["source_id"], relation["target_id"], relation["kind"]) == ("b", "a", "finances")


def test_a_graph_file_with_entities_is_refused(tmp_path):
    path = tmp_path / "bomb.gexf"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]><gexf>&a;</gexf>')
    with pytest.raises(ImportRefused, match="entities"):
        read_graph_file(path)


@given(st.lists(st.tuples(st.sampled_from(["Alfa", "alfa ", "BETA", "Gamma", "", "Delta", "ALFA"]),
                          st.sampled_from(["beta", "Gamma", "alfa", "Zeta", ""]),
                          st.text(max_size=12), st.text(max_size=3)), max_size=12))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_the_relation_reader_never_fails_and_never_links_an_actor_to_itself(rows):
    table = SheetTable(headers=["source", "target", "kind", "strength"], rows=[list(r) for r in rows],
                       row_numbers=list(range(2, len(rows) + 2)))
    actors = [{"id": name.lower(), "name": name} for name in ("Alfa", "Beta", "Gamma", "Delta")]
    plan = plan_relations(table, actors, [])
    for relation in plan.new:
        assert relation["source_id"] != relation["target_id"]
        assert 1 <= relation["strength"] <= 3
    keys = [(r["source_id"], r["target_id"], r["kind"]) for r in plan.new]
    assert len(keys) == len(set(keys))
    assert len(plan.new) + len(plan.repeated_in_file) + sum(len(v) for v in plan.missing.values()) <= len(rows)


def test_an_onodo_relations_sheet_imports():
    """Onodo exports nodes and relations sheets; its relations name the kind "Relation Type"."""
    table = SheetTable(headers=["Source", "Relation Type", "Target", "Direction"],
                       rows=[["Comune di Ala", "finanzia", "Coop Alfa", "directed"]], row_numbers=[2])
    existing = [{"id": "a", "name": "Coop Alfa"}, {"id": "b", "name": "Comune di Ala"}]
    [relation] = plan_relations(table, existing, []).new
    assert (relation["source_id"], relation["target_id"], relation["kind"]) == ("b", "a", "finances")


@pytest.mark.parametrize("language", ["it", "de", "en"])
def test_a_workbook_exported_in_any_language_names_its_relation_columns_so_they_read_back(language, store, district,
                                                                                        three, tmp_path):
    from ssd_starter.export.graph import export_graph

    store.apply(create_relation(district, {"source_id": three["Maso Bergamini"], "target_id": three["GAS Pergine"],
                                           "kind": "supplies"}))
    [path] = export_graph(tmp_path / "map.xlsx", "xlsx", list_stakeholders(store, district),
                          list_relations(store, district), language=language)
    (_a, _actors), (_r, relations) = read_sheets(path)
    mapping = guess_relation_mapping(relations.headers)
    assert {"source", "target", "kind", "strength", "source_id", "target_id"} <= set(mapping), relations.headers
