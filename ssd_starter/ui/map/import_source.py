"""What a file offers the import dialog: a table of actors, a table of relations, or both, and the node
positions of a graph file. Plain Python (run in the dialog's worker thread, tested without Qt).

Which table is which: a GEXF or GraphML file gives both (nodes and edges); an XLSX gives its first sheet that
is no edge list as the actors and its first edge list as the relations (our own export, Kumu's *Elements* /
*Connections*, Onodo's *nodes* / *relations*); a CSV, or a one-sheet XLSX, is one or the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ssd_starter.core.graph_import import is_graph_file, read_graph_file
from ssd_starter.core.importer import SheetTable, guess_mapping, read_sheets
from ssd_starter.core.relation_import import is_edge_list
from ssd_starter.i18n import _, format_number, ngettext


@dataclass
class ImportSource:
    actors: SheetTable | None
    relations: SheetTable | None
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)  # folded name → (x, y)
    actors_sheet: str = ""  # the sheet names of an XLSX, for telling the user which sheet is which
    relations_sheet: str = ""
    graph: bool = False

    def describe(self) -> list[str]:
        """One line per table: how it was read and how many rows it has."""
        lines = []
        if self.actors is not None:
            lines.append(_table_line(self.actors, self.actors_sheet, self.graph, relations=False))
        if self.relations is not None:
            lines.append(_table_line(self.relations, self.relations_sheet, self.graph, relations=True))
        return lines


def _table_line(table: SheetTable, sheet: str, graph: bool, *, relations: bool) -> str:
    count = len(table.rows)
    number = format_number(count)
    if graph:
        return (ngettext("Relations: {count} edge.", "Relations: {count} edges.", count) if relations else
                ngettext("Actors: {count} node.", "Actors: {count} nodes.", count)).format(count=number)
    if sheet:
        return (ngettext("Relations: sheet “{sheet}”, {count} row.", "Relations: sheet “{sheet}”, {count} rows.",
                         count) if relations else
                ngettext("Actors: sheet “{sheet}”, {count} row.", "Actors: sheet “{sheet}”, {count} rows.",
                         count)).format(sheet=sheet, count=number)
    what = _("Relations") if relations else _("Actors")
    return ngettext("{what}: encoding {encoding}, separator “{delimiter}”, {count} row.",
                    "{what}: encoding {encoding}, separator “{delimiter}”, {count} rows.", count).format(
        what=what, encoding=table.encoding or "xlsx", delimiter=table.delimiter or "—", count=number)


def read_source(path: Path) -> ImportSource:
    """The tables of ``path``; raises ImportRefused (with its reason) for a file that is no table."""
    if is_graph_file(path):
        graph = read_graph_file(path)
        return ImportSource(actors=graph.actors if graph.actors.rows else None,
                            relations=graph.relations if graph.relations.rows else None,
                            positions=graph.positions, graph=True)
    sheets = read_sheets(path)
    several = len(sheets) > 1
    edges = [(name, table) for name, table in sheets if is_edge_list(table.headers)]
    others = [(name, table) for name, table in sheets if not is_edge_list(table.headers)]
    # a workbook's notes or legend sheet is no list of actors: the first sheet with a name column is
    named = [(name, table) for name, table in others if "name" in guess_mapping(table.headers)] or others
    actors_sheet, actors = named[0] if named else ("", None)
    relations_sheet, relations = edges[0] if edges else ("", None)
    return ImportSource(actors=actors, relations=relations, actors_sheet=actors_sheet if several else "",
                        relations_sheet=relations_sheet if several else "")
