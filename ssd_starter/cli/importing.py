"""What `import stakeholders` and `import relations` do, loaded only when one runs: find the tables in the
file (a CSV, the sheets of a workbook, the nodes and edges of a GEXF or GraphML file), plan, commit in one
undoable step, and say what happened — with the cells left empty and the words kept as written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ssd_starter.core.graph_import import is_graph_file, read_graph_file
from ssd_starter.core.importer import (
    CellProblem,
    ImportPlan,
    SheetTable,
    guess_mapping,
    plan_import,
    read_sheets,
)
from ssd_starter.core.relation_import import RelationPlan, is_edge_list, plan_relations
from ssd_starter.core.vocabulary import label_of
from ssd_starter.i18n import _, ngettext
from ssd_starter.store import Store
from ssd_starter.store.layout import save_positions_by_name
from ssd_starter.store.stakeholders import (
    actor_names,
    import_relations,
    import_stakeholders,
    list_relations,
    list_stakeholders,
)

PROBLEMS_SHOWN = 20


def _tables(path: Path) -> tuple[SheetTable | None, SheetTable | None, dict[str, tuple[float, float]]]:
    """The actors table, the relations table (either may be missing) and node positions."""
    if is_graph_file(path):
        graph = read_graph_file(path)
        return graph.actors, graph.relations, graph.positions
    actors = relations = None
    for _name, table in read_sheets(path):
        if is_edge_list(table.headers):
            relations = relations or table
        else:
            actors = actors or table
    return actors, relations, {}


def _problems(problems: Sequence[CellProblem]) -> list[dict[str, Any]]:
    return [{"row": p.row, "column": p.column, "value": p.value, "problem": p.problem.message()} for p in problems]


def _value_summary(plan: ImportPlan) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from ssd_starter.core.importer import CHOICES

    unmapped = [{"field": v.field, "text": v.text, "rows": v.count} for v in plan.unmapped()]
    close = [{"field": v.field, "text": v.text, "rows": v.count,
              "value": label_of(CHOICES[v.field], v.match.value or "")} for v in plan.to_confirm()]
    return unmapped, close


def import_file(store: Store, district_id: str, path: Path, *, dry_run: bool, merge_duplicates: bool,
                strict: bool) -> dict[str, Any]:
    actors_table, relations_table, positions = _tables(path)
    if actors_table is None:  # an edge list alone: the relations command's job, done here too
        return {"rows": 0, "new": 0, "duplicates": 0, "repeated_in_file": 0, "kept_as_written": [],
                "to_confirm": [], "problems": [], "dry_run": dry_run, "columns": {},
                "relations": import_edge_list(store, district_id, path, dry_run=dry_run, create_missing=False)}
    mapping = guess_mapping(actors_table.headers)
    plan = plan_import(actors_table, mapping, list_stakeholders(store, district_id), strict=strict)
    unmapped, close = _value_summary(plan)
    summary: dict[str, Any] = {
        "rows": plan.total_rows, "new": len(plan.new), "duplicates": len(plan.duplicates),
        "repeated_in_file": len(plan.repeated_in_file), "skipped_without_name": plan.skipped,
        "kept_as_written": unmapped, "to_confirm": close, "problems": _problems(plan.problems),
        "dry_run": dry_run, "duplicates_action": "merge" if merge_duplicates else "skip",
        "columns": {field: actors_table.headers[column] for field, column in mapping.items()}}
    actors_edit = import_stakeholders(district_id, plan, merge_duplicates=merge_duplicates)
    if dry_run:
        if relations_table is not None:
            summary["relations"] = _relation_summary(_plan_after(store, district_id, plan, relations_table), True)
        return summary
    store.apply(actors_edit)
    if relations_table is not None:
        relation_plan = _plan_after(store, district_id, plan, relations_table)
        store.apply(import_relations(district_id, relation_plan))
        summary["relations"] = _relation_summary(relation_plan, False)
    if positions:
        summary["positions"] = save_positions_by_name(store, district_id, positions)
    return summary


def _plan_after(store: Store, district_id: str, plan: ImportPlan, relations: SheetTable) -> RelationPlan:
    """Relations between the district's actors and those the actor sheet adds (in a dry run they are not
    in the store yet, so they are planned as the names the sheet brings)."""
    actors = actor_names(store, district_id)
    known = {a["name"] for a in actors}
    actors += [{"id": f"new:{fields['name']}", "name": fields["name"]} for fields in plan.new
               if fields["name"] not in known]
    return plan_relations(relations, actors, list_relations(store, district_id))


def import_edge_list(store: Store, district_id: str, path: Path, *, dry_run: bool,
                     create_missing: bool) -> dict[str, Any]:
    _actors, table, _positions = _tables(path)
    if table is None:
        from ssd_starter.core.importer import read_table

        table = read_table(path)  # refused by the planner below, naming the columns it needs
    plan = plan_relations(table, actor_names(store, district_id), list_relations(store, district_id),
                          create_missing=create_missing)
    if not dry_run:
        store.apply(import_relations(district_id, plan))
    return _relation_summary(plan, dry_run)


def _relation_summary(plan: RelationPlan, dry_run: bool) -> dict[str, Any]:
    return {"rows": plan.total_rows, "new": len(plan.new), "updated": len(plan.updates),
            "unchanged": plan.unchanged, "repeated_in_file": len(plan.repeated_in_file),
            "missing_actors": plan.missing, "new_actors": [name for _id, name in plan.new_actors],
            "problems": _problems(plan.problems), "dry_run": dry_run}


def problem_lines(problems: Sequence[dict[str, Any]]) -> Iterator[str]:
    for problem in problems[:PROBLEMS_SHOWN]:
        yield _("Row {row}, column “{column}”: {problem}").format(**problem)
    if len(problems) > PROBLEMS_SHOWN:
        yield ngettext("and {count} more", "and {count} more", len(problems) - PROBLEMS_SHOWN).format(
            count=len(problems) - PROBLEMS_SHOWN)


def relation_lines(summary: dict[str, Any], *, dry_run: bool) -> Iterator[str]:
    new, updated, unchanged = summary["new"], summary["updated"], summary["unchanged"]
    repeated = summary["repeated_in_file"]
    yield ", ".join([
        ngettext("{count} new relation", "{count} new relations", new).format(count=new),
        ngettext("{count} relation updated", "{count} relations updated", updated).format(count=updated),
        ngettext("{count} relation unchanged", "{count} relations unchanged", unchanged).format(count=unchanged),
        ngettext("{count} repeated row merged", "{count} repeated rows merged", repeated).format(count=repeated)])
    if summary["new_actors"]:
        yield _("New actors named by relations: {names}").format(names=", ".join(summary["new_actors"]))
    if summary["missing_actors"]:
        yield _("Names on no actor (rows left out; --create-missing adds them): {names}").format(
            names=", ".join(f"{name} ({', '.join(map(str, rows))})" for name, rows in summary["missing_actors"].items()))
    yield from problem_lines(summary["problems"])
