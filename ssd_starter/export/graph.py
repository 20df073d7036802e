"""The stakeholder map as GraphML or GEXF (for Gephi: typed attributes, labels, categories) and as CSV.

Personal contact fields leave the machine only for people who consented, and only when asked for.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ssd_starter.core.errors import UserError
from ssd_starter.export import spreadsheet_safe
from ssd_starter.files import write_bytes_atomically
from ssd_starter.i18n import N_

FORMATS = ("graphml", "gexf", "csv")
ACTOR_COLUMNS = ("id", "name", "category", "sector", "municipality", "roles", "influence", "interest", "attitude",
                 "stage", "notes")
PERSONAL_COLUMNS = ("contact_person", "email", "phone", "consent", "consent_date", "consent_purpose")
RELATION_COLUMNS = ("id", "source_id", "target_id", "kind", "strength", "notes")


def _actor_record(actor: Mapping[str, Any], include_personal: bool) -> dict[str, Any]:
    record = {column: actor.get(column) for column in ACTOR_COLUMNS}
    record["roles"] = ";".join(actor.get("roles") or [])
    record["sector"] = actor.get("sector") or ""
    if include_personal and actor.get("consent"):
        for column in PERSONAL_COLUMNS:
            value = actor.get(column)
            record[column] = value.isoformat() if isinstance(value, dt.date) else value
    return record


def to_networkx(actors: list[Mapping[str, Any]], relations: list[Mapping[str, Any]], *,
                include_personal: bool = False):  # -> nx.MultiDiGraph
    import networkx as nx

    graph = nx.MultiDiGraph()
    for actor in actors:
        record = _actor_record(actor, include_personal)
        node_id = record.pop("id")
        record["label"] = record.pop("name")
        graph.add_node(node_id, **{k: ("" if v is None else v) for k, v in record.items()})
    for relation in relations:
        if relation["source_id"] in graph and relation["target_id"] in graph:
            graph.add_edge(relation["source_id"], relation["target_id"], key=relation["id"], id=relation["id"],
                           kind=relation["kind"], weight=int(relation["strength"]), notes=relation.get("notes") or "")
    return graph


def graph_bytes(fmt: str, actors: list[Mapping[str, Any]], relations: list[Mapping[str, Any]], *,
                include_personal: bool = False) -> dict[str, bytes]:
    """File name suffix → content. CSV gives two tables: actors and relations."""
    if fmt not in FORMATS:
        raise UserError(N_("Unknown export format {format}: use graphml, gexf or csv."), format=fmt)
    if fmt == "csv":
        return {"-actors.csv": _csv(ACTOR_COLUMNS + (PERSONAL_COLUMNS if include_personal else ()),
                                    [_actor_record(a, include_personal) for a in actors]),
                "-relations.csv": _csv(RELATION_COLUMNS, relations)}
    import networkx as nx

    graph = to_networkx(actors, relations, include_personal=include_personal)
    out = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, out, named_key_ids=True)
    else:
        nx.write_gexf(graph, out)
    return {"": out.getvalue()}


def _csv(columns: tuple[str, ...], rows: list[Mapping[str, Any]]) -> bytes:
    out = io.StringIO()
    # CRLF (RFC 4180): the writer then quotes a cell holding a lone carriage return, which a "\n" terminator
    # would leave bare for a spreadsheet to read as the end of the row.
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: ("" if row.get(c) is None else spreadsheet_safe(row.get(c))) for c in columns})
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: spreadsheets then read the accents right


def export_graph(out: Path, fmt: str, actors: list[Mapping[str, Any]], relations: list[Mapping[str, Any]], *,
                 include_personal: bool = False) -> list[Path]:
    written = []
    for suffix, data in graph_bytes(fmt, actors, relations, include_personal=include_personal).items():
        target = out if not suffix else out.with_name(out.stem + suffix)
        write_bytes_atomically(target, data)
        written.append(target)
    return written
