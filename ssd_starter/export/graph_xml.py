"""The stakeholder map as GEXF 1.3 (Gephi) and GraphML 1.0, written by hand rather than by networkx: networkx
writes GEXF 1.2draft with an empty ``graph@name`` the schema refuses, a stray ``networkx_key``, no positions
or colours, and GraphML with one key id for the node's and the edge's ``notes`` (the XSD wants key ids
unique). Both files validate against the official schemas (tests/data/xsd).

What Gephi shows comes from the file: labels and attribute values in the chosen language, the category
colours of the app, node size by influence, the map's own positions (y flipped: Gephi's y axis points up,
the screen's down), directed edges for the directed kinds of relation and "mutual" ones for partnerships
(GEXF's word for a tie both ways; networkx, which refuses mixed graphs, reads it too). GraphML has no such
word and networkx refuses its ``directed="false"`` in a directed graph, so there every edge is directed and
the kind says which are partnerships."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ssd_starter import APP_NAME
from ssd_starter.core.vocabulary import (
    CATEGORY_COLOURS,
    Attitude,
    Category,
    RelationKind,
    Role,
    Sector,
    Stage,
    label_of,
)
from ssd_starter.i18n import N_, _

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
UNDIRECTED_KINDS = frozenset({RelationKind.PARTNERS_WITH.value})
DEFAULT_COLOUR = "#888888"


@dataclass(frozen=True)
class Attribute:
    key: str  # the attribute's id in the file
    title: str  # untranslated (N_): the column title a person reads in Gephi's data laboratory
    type: str  # GEXF type; GraphML's is derived


@dataclass
class MapGraph:
    """What a graph file holds: the district's actors and relations, with their labels already translated."""

    name: str
    actors: list[Mapping[str, Any]]
    relations: list[Mapping[str, Any]]
    positions: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    description: str = ""
    personal: tuple[str, ...] = ()  # contact columns to write, for actors who consented


def node_size(actor: Mapping[str, Any]) -> float:
    """The radius the app's network view draws (size by influence)."""
    return 4.0 + 2.2 * int(actor.get("influence") or 3)


def node_values(actor: Mapping[str, Any], personal: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "category": label_of(Category, actor.get("category") or ""),
        "category_id": actor.get("category") or "",
        "sector": label_of(Sector, actor["sector"]) if actor.get("sector") else "",
        "municipality": actor.get("municipality") or "",
        "roles": ", ".join(label_of(Role, r) for r in actor.get("roles") or []),
        "influence": int(actor.get("influence") or 0),
        "interest": int(actor.get("interest") or 0),
        "attitude": label_of(Attitude, actor["attitude"]) if actor.get("attitude") else "",
        "stage": label_of(Stage, actor["stage"]) if actor.get("stage") else "",
        "notes": actor.get("notes") or "",
    }
    if personal and actor.get("consent"):
        for column in personal:
            value = actor.get(column)
            values[column] = value.isoformat() if isinstance(value, dt.date) else ("" if value is None else value)
    return values


NODE_ATTRIBUTES = (
    Attribute("category", N_("Category"), "string"), Attribute("category_id", "category_id", "string"),
    Attribute("sector", N_("Sector"), "string"), Attribute("municipality", N_("Municipality"), "string"),
    Attribute("roles", N_("Roles"), "string"), Attribute("influence", N_("Influence"), "integer"),
    Attribute("interest", N_("Interest"), "integer"), Attribute("attitude", N_("Attitude"), "string"),
    Attribute("stage", N_("Stage"), "string"), Attribute("notes", N_("Notes"), "string"),
)
PERSONAL_ATTRIBUTES = {
    "contact_person": Attribute("contact_person", N_("Contact person"), "string"),
    "email": Attribute("email", N_("E-mail"), "string"), "phone": Attribute("phone", N_("Phone"), "string"),
    "consent": Attribute("consent", N_("Consent"), "boolean"),
    "consent_date": Attribute("consent_date", N_("Consent date"), "string"),
    "consent_purpose": Attribute("consent_purpose", N_("Purpose of consent"), "string"),
}
EDGE_ATTRIBUTES = (Attribute("kind", N_("Kind"), "string"), Attribute("kind_id", "kind_id", "string"),
                   Attribute("strength", N_("Strength"), "integer"), Attribute("notes", N_("Notes"), "string"))


def _node_attributes(personal: tuple[str, ...]) -> tuple[Attribute, ...]:
    return NODE_ATTRIBUTES + tuple(PERSONAL_ATTRIBUTES[c] for c in personal)


def edge_values(relation: Mapping[str, Any]) -> dict[str, Any]:
    return {"kind": label_of(RelationKind, relation["kind"]), "kind_id": relation["kind"],
            "strength": int(relation.get("strength") or 1), "notes": relation.get("notes") or ""}


def _edges(graph: MapGraph) -> Iterable[Mapping[str, Any]]:
    """Relations between actors in the file (a relation to an actor left out would dangle)."""
    ids = {a["id"] for a in graph.actors}
    return (r for r in graph.relations if r["source_id"] in ids and r["target_id"] in ids)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _rgb(colour: str) -> dict[str, str]:
    colour = colour.lstrip("#")
    return {"r": str(int(colour[0:2], 16)), "g": str(int(colour[2:4], 16)), "b": str(int(colour[4:6], 16))}


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# -- GEXF 1.3 ---------------------------------------------------------------------------------

def gexf_bytes(graph: MapGraph) -> bytes:
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta", {"lastmodifieddate": dt.date.today().isoformat()})
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = APP_NAME
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = \
        graph.name + (f" — {graph.description}" if graph.description else "")
    body = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {"defaultedgetype": "directed", "mode": "static"})
    _gexf_declare(body, "node", _node_attributes(graph.personal))
    _gexf_declare(body, "edge", EDGE_ATTRIBUTES)
    nodes = ET.SubElement(body, f"{{{GEXF_NS}}}nodes", {"count": str(len(graph.actors))})
    for actor in graph.actors:
        _gexf_node(nodes, actor, graph)
    edges = list(_edges(graph))
    parent = ET.SubElement(body, f"{{{GEXF_NS}}}edges", {"count": str(len(edges))})
    for relation in edges:
        values = edge_values(relation)
        edge = ET.SubElement(parent, f"{{{GEXF_NS}}}edge", {
            "id": relation["id"], "source": relation["source_id"], "target": relation["target_id"],
            "label": values["kind"], "weight": str(values["strength"]),
            "type": "mutual" if relation["kind"] in UNDIRECTED_KINDS else "directed"})
        _gexf_values(edge, values)
    return _xml_bytes(root)


def _gexf_declare(graph: ET.Element, kind: str, attributes: Iterable[Attribute]) -> None:
    block = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": kind, "mode": "static"})
    for attribute in attributes:
        ET.SubElement(block, f"{{{GEXF_NS}}}attribute",
                      {"id": attribute.key, "title": _(attribute.title), "type": attribute.type})


def _gexf_values(element: ET.Element, values: Mapping[str, Any]) -> None:
    block = ET.SubElement(element, f"{{{GEXF_NS}}}attvalues")
    for key, value in values.items():
        if value != "":
            ET.SubElement(block, f"{{{GEXF_NS}}}attvalue", {"for": key, "value": _text(value)})


def _gexf_node(nodes: ET.Element, actor: Mapping[str, Any], graph: MapGraph) -> None:
    node = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", {"id": actor["id"], "label": actor["name"]})
    _gexf_values(node, node_values(actor, graph.personal))
    ET.SubElement(node, f"{{{VIZ_NS}}}color", _rgb(CATEGORY_COLOURS.get(actor.get("category") or "", DEFAULT_COLOUR)))
    if actor["id"] in graph.positions:
        x, y = graph.positions[actor["id"]]
        ET.SubElement(node, f"{{{VIZ_NS}}}position", {"x": f"{x:.2f}", "y": f"{-y:.2f}", "z": "0.0"})
    ET.SubElement(node, f"{{{VIZ_NS}}}size", {"value": f"{node_size(actor):.1f}"})


# -- GraphML ----------------------------------------------------------------------------------

GRAPHML_TYPES = {"string": "string", "integer": "int", "boolean": "boolean", "double": "double"}
# Gephi's GraphML reader turns keys with these names into the node's label, position, size and colour.
GRAPHML_VIZ = (Attribute("label", "label", "string"), Attribute("x", "x", "double"), Attribute("y", "y", "double"),
               Attribute("size", "size", "double"), Attribute("r", "r", "integer"), Attribute("g", "g", "integer"),
               Attribute("b", "b", "integer"))


def graphml_bytes(graph: MapGraph) -> bytes:
    ET.register_namespace("", GRAPHML_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml", {
        f"{{{XSI_NS}}}schemaLocation": f"{GRAPHML_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"})
    node_keys = GRAPHML_VIZ + _node_attributes(graph.personal)
    edge_keys = (Attribute("label", "label", "string"), Attribute("weight", "weight", "double")) + EDGE_ATTRIBUTES
    for kind, keys in (("node", node_keys), ("edge", edge_keys)):
        for attribute in keys:  # ids are unique across node and edge keys; names may repeat
            ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {
                "id": f"{kind[0]}_{attribute.key}", "for": kind, "attr.name": attribute.key,
                "attr.type": GRAPHML_TYPES[attribute.type]})
    body = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "district", "edgedefault": "directed"})
    ET.SubElement(body, f"{{{GRAPHML_NS}}}desc").text = graph.name
    for actor in graph.actors:
        node = ET.SubElement(body, f"{{{GRAPHML_NS}}}node", {"id": actor["id"]})
        _graphml_data(node, "n", {"label": actor["name"], **_graphml_viz(actor, graph),
                                  **node_values(actor, graph.personal)})
    for relation in _edges(graph):
        values = edge_values(relation)
        attributes = {"id": relation["id"], "source": relation["source_id"], "target": relation["target_id"]}
        edge = ET.SubElement(body, f"{{{GRAPHML_NS}}}edge", attributes)
        _graphml_data(edge, "e", {"label": values["kind"], "weight": values["strength"], **values})
    return _xml_bytes(root)


def _graphml_viz(actor: Mapping[str, Any], graph: MapGraph) -> dict[str, Any]:
    colour = _rgb(CATEGORY_COLOURS.get(actor.get("category") or "", DEFAULT_COLOUR))
    viz: dict[str, Any] = {"size": node_size(actor), **{k: int(v) for k, v in colour.items()}}
    if actor["id"] in graph.positions:
        x, y = graph.positions[actor["id"]]
        viz.update(x=round(x, 2), y=round(-y, 2))
    return viz


def _graphml_data(element: ET.Element, prefix: str, values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        if value != "":
            ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": f"{prefix}_{key}"}).text = _text(value)
