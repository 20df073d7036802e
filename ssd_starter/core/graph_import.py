"""Reading a GEXF (Gephi, any version) or GraphML file into the two tables the importers read — actors and
relations — plus the node positions, so a map drawn in Gephi keeps its layout here. Parsed with defusedxml:
no entities, no DTD, nothing fetched. Node attributes become columns named by their titles (the actor
import maps "Categoria", "Kategorie" or "category" by itself); edges name their ends by node label."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ssd_starter.core.importer import MAX_BYTES, MAX_ROWS, ImportRefused, SheetTable
from ssd_starter.core.value_mapping import normalize
from ssd_starter.i18n import N_

GRAPH_SUFFIXES = (".gexf", ".graphml")


@dataclass
class GraphTables:
    actors: SheetTable
    relations: SheetTable
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)  # normalized name → (x, y)


def is_graph_file(path: Path) -> bool:
    return path.suffix.lower() in GRAPH_SUFFIXES


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element.iter() if _local(child.tag) == name]


def read_graph_file(path: Path) -> GraphTables:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        if path.stat().st_size > MAX_BYTES:
            raise ImportRefused(N_("The file is larger than {limit} MB: split it into smaller files."),
                                limit=MAX_BYTES // 2**20)
        root = fromstring(path.read_bytes())
    except OSError as exc:
        raise ImportRefused(N_("The file cannot be read: {reason}."), reason=exc.strerror or str(exc)) from exc
    except DefusedXmlException as exc:
        raise ImportRefused(N_("The graph file declares XML entities or a DTD, which graph files do not need: it "
                               "was not opened.")) from exc
    except ParseError as exc:
        raise ImportRefused(N_("The graph file is not well-formed XML ({reason})."), reason=str(exc)) from exc
    kind = _local(root.tag)
    if kind == "gexf":
        return _gexf(root)
    if kind == "graphml":
        return _graphml(root)
    raise ImportRefused(N_("This is not a GEXF or GraphML file."))


def _tables(nodes: list[tuple[str, str, dict[str, str]]], edges: list[dict[str, str]],
            positions: dict[str, tuple[float, float]]) -> GraphTables:
    if len(nodes) > MAX_ROWS or len(edges) > 4 * MAX_ROWS:
        raise ImportRefused(N_("The table has more than {limit} rows: split it into smaller files."), limit=MAX_ROWS)
    titles = list(dict.fromkeys(title for _id, _label, values in nodes for title in values))
    actor_rows = [[label, *(values.get(t, "") for t in titles)] for _id, label, values in nodes]
    edge_titles = list(dict.fromkeys(title for values in edges for title in values))
    edge_rows = [[values.get(t, "") for t in edge_titles] for values in edges]
    return GraphTables(
        actors=SheetTable(headers=["name", *titles], rows=actor_rows, row_numbers=list(range(1, len(nodes) + 1))),
        relations=SheetTable(headers=edge_titles, rows=edge_rows, row_numbers=list(range(1, len(edges) + 1))),
        positions=positions)


def _place(positions: dict[str, tuple[float, float]], label: str, x: str, y: str) -> None:
    """A node's position in the app's coordinates (the screen's y axis points down, Gephi's up)."""
    try:
        positions[normalize(label)] = (float(x), -float(y))
    except ValueError:
        return


def _edge_values(source: str, target: str, label: str, weight: str, values: dict[str, str]) -> dict[str, str]:
    found = {"source": source, "target": target}
    kind = values.pop("kind_id", "") or values.pop("kind", "") or label
    if kind:
        found["kind"] = kind
    strength = values.pop("strength", "") or weight
    if strength:
        found["strength"] = strength
    if values.get("notes"):
        found["notes"] = values.pop("notes")
    # Other attributes stay columns under their titles: the relation reader maps "Tipo" or "Art" by itself.
    found.update((title, value) for title, value in values.items() if title not in found)
    return found


def _gexf(root: Any) -> GraphTables:
    titles: dict[tuple[str, str], str] = {}
    for block in _children(root, "attributes"):
        for attribute in _children(block, "attribute"):
            titles[(block.get("class", "node"), attribute.get("id", ""))] = attribute.get("title") or attribute.get("id", "")
    labels: dict[str, str] = {}
    nodes: list[tuple[str, str, dict[str, str]]] = []
    positions: dict[str, tuple[float, float]] = {}
    for node in _children(root, "node"):
        node_id, label = node.get("id", ""), (node.get("label") or node.get("id", "")).strip()
        labels[node_id] = label
        values = {titles.get(("node", v.get("for", "")), v.get("for", "")): v.get("value", "")
                  for v in _children(node, "attvalue")}
        nodes.append((node_id, label, values))
        for position in _children(node, "position"):
            _place(positions, label, position.get("x", ""), position.get("y", ""))
    edges = []
    for edge in _children(root, "edge"):
        values = {_edge_key(titles.get(("edge", v.get("for", "")), v.get("for", ""))): v.get("value", "")
                  for v in _children(edge, "attvalue")}
        edges.append(_edge_values(labels.get(edge.get("source", ""), edge.get("source", "")),
                                  labels.get(edge.get("target", ""), edge.get("target", "")),
                                  edge.get("label", ""), edge.get("weight", ""), values))
    return _tables(nodes, edges, positions)


EDGE_FIELDS = {"kind id": "kind_id", "kind": "kind", "strength": "strength", "notes": "notes"}


def _edge_key(title: str) -> str:
    """An edge attribute's title as the relation reader's field, when it is one of ours (the titles this
    program writes are translated, so the machine ids ``kind_id`` come first)."""
    return EDGE_FIELDS.get(normalize(title), title)


def _graphml(root: Any) -> GraphTables:
    keys = {key.get("id", ""): (key.get("for", "all"), key.get("attr.name") or key.get("id", ""))
            for key in _children(root, "key")}
    labels: dict[str, str] = {}
    nodes: list[tuple[str, str, dict[str, str]]] = []
    positions: dict[str, tuple[float, float]] = {}
    for node in _children(root, "node"):
        data = {keys.get(d.get("key", ""), ("", d.get("key", "")))[1]: (d.text or "").strip()
                for d in node if _local(d.tag) == "data"}
        label = data.pop("label", "") or data.pop("name", "") or node.get("id", "")
        labels[node.get("id", "")] = label
        x, y = data.pop("x", ""), data.pop("y", "")
        for viz in ("size", "r", "g", "b"):
            data.pop(viz, None)
        _place(positions, label, x, y)
        nodes.append((node.get("id", ""), label, data))
    edges = []
    for edge in _children(root, "edge"):
        data = {keys.get(d.get("key", ""), ("", d.get("key", "")))[1]: (d.text or "").strip()
                for d in edge if _local(d.tag) == "data"}
        label, weight = data.pop("label", ""), data.pop("weight", "")
        edges.append(_edge_values(labels.get(edge.get("source", ""), edge.get("source", "")),
                                  labels.get(edge.get("target", ""), edge.get("target", "")), label, weight, data))
    return _tables(nodes, edges, positions)
