"""The stakeholder map as GEXF 1.3 or GraphML (for Gephi, Cytoscape, yEd: see graph_xml), as CSV tables or one
XLSX workbook (actors and relations, re-importable), and actors and flows as ValueFlows JSON-LD.

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
from ssd_starter.export.graph_xml import MapGraph, gexf_bytes, graphml_bytes
from ssd_starter.files import write_bytes_atomically
from ssd_starter.i18n import N_, current_language, speaking

FORMATS = ("gexf", "graphml", "csv", "xlsx", "jsonld")
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


def _map_graph(name: str, actors: list[Mapping[str, Any]], relations: list[Mapping[str, Any]],
               positions: Mapping[str, tuple[float, float]] | None, include_personal: bool,
               description: str) -> MapGraph:
    return MapGraph(name=name, actors=actors, relations=relations, positions=positions or {},
                    description=description, personal=PERSONAL_COLUMNS if include_personal else ())


def graph_bytes(fmt: str, actors: list[Mapping[str, Any]], relations: list[Mapping[str, Any]], *,
                include_personal: bool = False, name: str = "", description: str = "",
                positions: Mapping[str, tuple[float, float]] | None = None,
                flows: list[Mapping[str, Any]] | None = None, language: str | None = None) -> dict[str, bytes]:
    """File name suffix → content: CSV gives two tables (``-actors.csv``, ``-relations.csv``), every other
    format one file. Labels are written in ``language`` (the window's when None)."""
    if fmt not in FORMATS:
        raise UserError(N_("Unknown export format {format}: use {formats}."), format=fmt, formats=", ".join(FORMATS))
    with speaking(language or current_language()):
        return _graph_bytes(fmt, actors, relations, include_personal=include_personal, name=name,
                            description=description, positions=positions, flows=flows or [])


def _graph_bytes(fmt: str, actors: list[Mapping[str, Any]], relations: list[Mapping[str, Any]], *,
                 include_personal: bool, name: str, description: str,
                 positions: Mapping[str, tuple[float, float]] | None,
                 flows: list[Mapping[str, Any]]) -> dict[str, bytes]:
    if fmt == "csv":
        return {"-actors.csv": _csv(ACTOR_COLUMNS + (PERSONAL_COLUMNS if include_personal else ()),
                                    [_actor_record(a, include_personal) for a in actors]),
                "-relations.csv": _csv(RELATION_COLUMNS, relations)}
    if fmt == "xlsx":
        from ssd_starter.export.workbook import map_workbook

        return {"": map_workbook(actors, relations, include_personal=include_personal)}
    if fmt == "jsonld":
        from ssd_starter.export.valueflows import valueflows_bytes

        return {"": valueflows_bytes(name, actors, flows)}
    graph = _map_graph(name, actors, relations, positions, include_personal, description)
    return {"": gexf_bytes(graph) if fmt == "gexf" else graphml_bytes(graph)}


def _csv(columns: tuple[str, ...], rows: list[Mapping[str, Any]]) -> bytes:
    out = io.StringIO()
    # CRLF (RFC 4180): the writer then quotes a cell holding a lone carriage return, which a "\n" terminator
    # would leave bare for a spreadsheet to read as the end of the row.
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: ("" if row.get(c) is None else spreadsheet_safe(row.get(c))) for c in columns})
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: spreadsheets then read the accents right


def export_paths(out: Path, fmt: str) -> list[Path]:
    """The files an export to ``out`` writes: CSV makes two, named after ``out`` (``map.csv`` →
    ``map-actors.csv`` and ``map-relations.csv``), so the caller can say so before writing."""
    if fmt == "csv":
        return [out.with_name(out.stem + suffix) for suffix in ("-actors.csv", "-relations.csv")]
    return [out]


def export_graph(out: Path, fmt: str, actors: list[Mapping[str, Any]], relations: list[Mapping[str, Any]], *,
                 include_personal: bool = False, **options: Any) -> list[Path]:
    """Write the files (see ``export_paths``); ``options`` as for ``graph_bytes``."""
    written = []
    for suffix, data in graph_bytes(fmt, actors, relations, include_personal=include_personal, **options).items():
        target = out if not suffix else out.with_name(out.stem + suffix)
        write_bytes_atomically(target, data)
        written.append(target)
    return written
