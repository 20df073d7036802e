"""The relations half of an import: planned against the map's actors *and* the actors the same import adds,
written in the same undo step as those actors, and shown in the preview (counts, the names that are on no
actor with the choice to create them, the positions a graph file brings).

One undo step: the actor edit makes its ids when it is built (``import_stakeholders``), after the preview.
So the relations are planned against stand-in ids for the rows the actor plan adds (``import:0``, …, in the
plan's order), and the stand-ins are replaced by the real ids when the two edits are built together; the
store then applies both in one ``Batch``, and one Undo takes both back. (Applying the actors first and
planning the relations against the store afterwards would need two undo steps.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from ssd_starter.core.importer import ImportPlan, SheetTable
from ssd_starter.core.relation_import import RelationPlan, plan_relations
from ssd_starter.i18n import _, format_number, ngettext
from ssd_starter.store.edits import Batch, Edit, InsertMany
from ssd_starter.store.stakeholders import import_relations, import_stakeholders
from ssd_starter.ui.map.import_preview import problem_lines

STAND_IN = "import:{number}"
NAMES_SHOWN = 8


def plan_with_new_actors(table: SheetTable, existing: Sequence[Mapping[str, Any]], actor_plan: ImportPlan | None,
                         relations: Iterable[Mapping[str, Any]], *, create_missing: bool) -> RelationPlan:
    """The relations of ``table`` among the map's actors and the ones ``actor_plan`` adds (stand-in ids)."""
    adding = [{"id": STAND_IN.format(number=n), "name": fields["name"]}
              for n, fields in enumerate(actor_plan.new if actor_plan else [])]
    return plan_relations(table, [*existing, *adding], relations, create_missing=create_missing)


def _real_ids(actor_edit: Batch) -> dict[str, str]:
    """Stand-in id → the id the actor edit gives that row (its rows are in the plan's order)."""
    inserts = [e for e in actor_edit.edits if isinstance(e, InsertMany) and e.table == "stakeholder"]
    rows = inserts[0].rows if inserts else ()
    return {STAND_IN.format(number=n): row["id"] for n, row in enumerate(rows)}


def import_edit(district_id: str, actor_plan: ImportPlan | None, merge_duplicates: bool,
                relation_plan: RelationPlan | None) -> Edit:
    """The actors, then the relations, as one undoable edit."""
    edits: list[Edit] = []
    real: dict[str, str] = {}
    if actor_plan is not None:
        actor_edit = import_stakeholders(district_id, actor_plan, merge_duplicates=merge_duplicates)
        real = _real_ids(actor_edit)
        edits.append(actor_edit)
    if relation_plan is not None:
        new = [{**r, "source_id": real.get(r["source_id"], r["source_id"]),
                "target_id": real.get(r["target_id"], r["target_id"])} for r in relation_plan.new]
        edits.append(import_relations(district_id, replace(relation_plan, new=new)))
    return edits[0] if len(edits) == 1 else Batch(tuple(edits))


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += " " + ngettext("and {count} more", "and {count} more", len(names) - NAMES_SHOWN).format(
            count=format_number(len(names) - NAMES_SHOWN))
    return shown


class RelationsBox(QGroupBox):
    """What the relations of the file will do; the tick asks for the names on no actor to become actors."""

    create_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Relations"), parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.create_missing = QCheckBox(_("Create them as new actors"))
        self.create_missing.toggled.connect(self.create_toggled)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.missing, self.create_missing, self.problems):
            layout.addWidget(widget)

    def show_plan(self, plan: RelationPlan, positions: int) -> None:
        counts = (
            (len(plan.new), ngettext("{count} new relation.", "{count} new relations.", len(plan.new))),
            (len(plan.updates), ngettext("{count} relation already in the map takes the file's strength or notes.",
                                         "{count} relations already in the map take the file's strength or notes.",
                                         len(plan.updates))),
            (plan.unchanged, ngettext("{count} relation is already in the map as it is.",
                                      "{count} relations are already in the map as they are.", plan.unchanged)),
            (len(plan.repeated_in_file), ngettext("{count} row repeats an earlier relation and is skipped.",
                                                  "{count} rows repeat earlier relations and are skipped.",
                                                  len(plan.repeated_in_file))),
            (positions, ngettext("{count} position from the graph file is kept for the network view.",
                                 "{count} positions from the graph file are kept for the network view.",
                                 positions)),
        )
        # the new relations always, the rest when there are any
        lines = [text.format(count=format_number(count)) for n, (count, text) in enumerate(counts) if count or not n]
        self.summary.setText("\n".join(lines))
        self._show_missing(plan)
        self.problems.setText("\n".join(problem_lines(plan.problems)))
        self.problems.setVisible(bool(plan.problems))

    def _show_missing(self, plan: RelationPlan) -> None:
        if self.create_missing.isChecked():
            names = [name for _id, name in plan.new_actors]
            text = ngettext("{count} name is on no actor: it becomes a new actor. {names}",
                            "{count} names are on no actor: they become new actors. {names}", len(names))
        else:
            names = list(plan.missing)
            rows = sum(len(numbers) for numbers in plan.missing.values())
            text = ngettext("{count} name is on no actor: {names}", "{count} names are on no actor: {names}",
                            len(names)) + " " + ngettext("({rows} row skipped)", "({rows} rows skipped)",
                                                         rows).format(rows=format_number(rows))
        self.missing.setText(text.format(count=format_number(len(names)), names=_names(names)))
        shown = bool(names) or self.create_missing.isChecked()
        self.missing.setVisible(bool(names))
        self.create_missing.setVisible(shown)
