"""The demo district shipped in resources/: a plausible Trentino territorial district, all invented.

Loading it twice refreshes the same rows (ids are derived from the file's keys), so `demo` can be
run any number of times. The file also holds the charter draft, canvas, flows and workshop; those
parts are loaded by the areas that store them, as they are built.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sqlalchemy import select

from ssd_starter.core.models import SYNCABLE_TABLES, table_of
from ssd_starter.store import Store
from ssd_starter.store.districts import create_district, stable_id
from ssd_starter.store.edits import Batch, Edit, Insert, Undelete, Update
from ssd_starter.store.stakeholders import create_relation, create_stakeholder


def demo_document() -> dict[str, Any]:
    text = resources.files("ssd_starter").joinpath("resources/demo/demo_district.json").read_text("utf-8")
    return json.loads(text)


def _upsert(store: Store, insert: Insert) -> list[Edit]:
    """Insert the row, or bring an existing one back to the shipped values."""
    table = table_of(SYNCABLE_TABLES[insert.table])
    row_id = insert.values["id"]
    with store.read() as conn:
        current = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    if current is None:
        return [insert]
    edits: list[Edit] = []
    changes = {k: v for k, v in insert.values.items() if k not in ("id", "created_at") and current[k] != v}
    if changes:
        edits.append(Update(insert.table, row_id, changes))
    if current["deleted"]:
        edits.append(Undelete(insert.table, row_id))
    return edits


def load_demo(store: Store) -> str:
    """Create or refresh the demo district; return its id."""
    doc = demo_document()
    info = doc["district"]
    district_id = stable_id("demo", "district")
    edits: list[Edit] = _upsert(store, create_district(
        info["name"], kind=info["kind"], sectors=info["sectors"], municipalities=info["municipalities"],
        language=info["language"], description=info.get("description", ""), district_id=district_id))
    for actor in doc["stakeholders"]:
        contact = actor.get("contact") or {}
        fields = {
            "name": actor["name"], "category": actor["category"], "sector": actor.get("sector"),
            "municipality": actor.get("municipality", ""), "roles": actor.get("roles", []),
            "influence": actor["influence"], "interest": actor["interest"], "attitude": actor["attitude"],
            "stage": actor["stage"], "contact_person": contact.get("person", ""),
            "email": contact.get("email", ""), "phone": contact.get("phone", ""),
            "consent": bool(contact.get("consent")), "consent_date": contact.get("consent_date"),
            "consent_purpose": contact.get("consent_purpose", ""), "notes": actor.get("notes", ""),
        }
        edits += _upsert(store, create_stakeholder(district_id, fields,
                                                   stakeholder_id=stable_id("demo", actor["key"])))
    for n, relation in enumerate(doc["relations"]):
        fields = {"source_id": stable_id("demo", relation["source"]),
                  "target_id": stable_id("demo", relation["target"]),
                  "kind": relation["kind"], "strength": relation["strength"], "notes": relation.get("notes", "")}
        edits += _upsert(store, create_relation(district_id, fields, relation_id=stable_id("demo", f"r{n}")))
    if edits:
        store.apply(Batch(tuple(edits)))
    _load_charter(store, district_id, doc["charter"])
    _load_canvas_and_flows(store, district_id, doc)
    _load_workshop(store, district_id, doc["workshop"])
    return district_id


def _load_workshop(store: Store, district_id: str, info: dict[str, Any]) -> None:
    """The demo's workshop: its participants (most of them the map's people) and who came."""
    import datetime as dt

    from ssd_starter.store.training import add_participant, create_workshop

    workshop_id = stable_id("demo", "workshop")
    insert = create_workshop(district_id, info["title"], date=dt.date.fromisoformat(info["date"]),
                             place=info["place"], trainer=info["trainer"], module_ids=info["modules"],
                             workshop_id=workshop_id)
    session_id = stable_id("demo", "workshop-session-1")
    values = {**insert.values, "sessions": [{**insert.values["sessions"][0], "id": session_id}]}
    edits: list[Edit] = _upsert(store, Insert("workshop", values))
    for n, person in enumerate(info["participants"]):
        participant_id = stable_id("demo", f"participant-{n}")
        actor = stable_id("demo", person["stakeholder"]) if person.get("stakeholder") else None
        edits += _upsert(store, add_participant(values, person["name"], stakeholder_id=actor,
                                                consent=person.get("consent", False),
                                                consent_date=dt.date.fromisoformat(info["date"]) if person.get(
                                                    "consent") else None, participant_id=participant_id))
        if person["name"] in info.get("attendance", []):
            edits += _upsert(store, Insert("attendance", {
                "id": stable_id("demo", f"attendance-{n}"), "workshop_id": workshop_id, "district_id": district_id,
                "participant_id": participant_id, "session_id": session_id, "present": True}))
    if edits:
        store.apply(Batch(tuple(edits)))


def _demo_flow(flow: dict[str, Any]) -> dict[str, Any]:
    def end(key: str) -> str | None:
        return None if key == "outside" else stable_id("demo", key)

    return {"source_id": end(flow["from"]), "target_id": end(flow["to"]), "kind": flow["kind"],
            "description": flow.get("description", ""), "quantity": flow.get("quantity"),
            "unit": flow.get("unit", ""), "value_eur": flow.get("value_eur", 0), "purpose": flow.get("purpose")}


def _load_canvas_and_flows(store: Store, district_id: str, doc: dict[str, Any]) -> None:
    """Cards, flows and one what-if scenario, with the same stable ids on every load."""
    from ssd_starter.core import scenarios as sc
    from ssd_starter.core.flows import clean_card
    from ssd_starter.store.flows import create_flow, create_scenario

    edits: list[Edit] = []
    positions: dict[str, int] = {}
    for n, card in enumerate(doc["canvas"]):
        position = positions[card["block"]] = positions.get(card["block"], -1) + 1
        fields = clean_card(card["block"], card["text"], [stable_id("demo", k) for k in card["stakeholders"]])
        edits += _upsert(store, Insert("canvas_item", {"id": stable_id("demo", f"c{n}"), "district_id": district_id,
                                                       "position": position, **fields}))
    for n, flow in enumerate(doc["flows"]):
        edits += _upsert(store, create_flow(district_id, _demo_flow(flow), flow_id=stable_id("demo", f"f{n}")))
    for scenario in doc.get("scenarios", []):
        changes = []
        for n, change in enumerate(scenario["changes"]):
            key = f"{scenario['key']}-{n}"
            if change["op"] == "add_flow":
                changes.append(sc.add_flow(_demo_flow(change["flow"])))
                changes[-1]["flow"]["id"] = stable_id("demo", key)
            elif change["op"] == "add_actor":
                actor = {k: v for k, v in change["actor"].items() if k != "key"}
                changes.append(sc.add_actor(actor))
                changes[-1]["actor"]["id"] = stable_id("demo", change["actor"]["key"])
            else:
                changes.append({**change, "flow_id": stable_id("demo", change["flow"])})
                del changes[-1]["flow"]
        insert = create_scenario(district_id, scenario["name"], scenario.get("description", ""),
                                 scenario_id=stable_id("demo", scenario["key"]))
        edits += _upsert(store, Insert("scenario", {**insert.values, "changes": changes}))
    if edits:
        store.apply(Batch(tuple(edits)))


def _load_charter(store: Store, district_id: str, draft: dict[str, Any]) -> None:
    """The demo's charter draft: nearly complete, with signatories still to choose."""
    from ssd_starter.store.charter import start_charter, update_content

    charter = start_charter(store, district_id)
    content = {
        "purpose": draft["purpose"], "principles": draft["principles"],
        "principles_addressed": ["cooperation", "territory", "sustainability"],
        "membership": draft["membership"], "turnover_rule": True, "non_profit_rule": True,
        "bodies": [
            {"name": "Assemblea dei soci", "kind": "assembly", "composition": "Tutti i soci", "term_years": 0},
            {"name": "Comitato di coordinamento", "kind": "committee",
             "composition": "Da cinque a sette componenti di almeno tre categorie", "term_years": 2},
        ],
        "quorum": "Metà più uno dei soci in prima convocazione; un terzo in seconda",
        "majority": "Maggioranza dei presenti; due terzi per modificare la carta",
        "consensus_method": draft["decision_rules"],
        "commitments": draft["commitments"],
        "reporting_what": draft["reporting"], "reporting_frequency": "Ogni anno",
        "reporting_to": "Assemblea dei soci e Centro per l'Economia Solidale",
        "pursues_work_integration": True, "work_integration": draft["work_integration"],
        "signatories": [],
    }
    edit = update_content(charter, content)
    if edit.edits:  # only the sections that differ: loading the demo again changes nothing
        store.apply(edit)


def synthetic_district(store: Store, name: str, actors: int, relations: int, seed: int = 1) -> str:
    """A generated district of a given size, for benchmarks and load tests."""
    insert = create_district(name)
    district_id = insert.values["id"]
    store.apply(Batch((insert, *synthetic_rows(district_id, actors, relations, seed))))
    return district_id


def synthetic_rows(district_id: str, actors: int, relations: int, seed: int = 1) -> list[Edit]:
    """Generated actors and relations between them for an existing district (one batch to apply)."""
    import random

    from ssd_starter.core.vocabulary import Attitude, Category, RelationKind, Role, Stage

    rng = random.Random(seed)
    edits: list[Edit] = []
    ids = []
    for i in range(actors):
        s = create_stakeholder(district_id, {
            "name": f"Actor {i:05d}", "category": rng.choice(list(Category)).value,
            "roles": [rng.choice(list(Role)).value], "influence": rng.randint(1, 5),
            "interest": rng.randint(1, 5), "attitude": rng.choice(list(Attitude)).value,
            "stage": rng.choice(list(Stage)).value, "municipality": "Borgo Valsugana",
        })
        ids.append(s.values["id"])
        edits.append(s)
    for _ in range(relations):
        a, b = rng.sample(ids, 2)
        edits.append(create_relation(district_id, {"source_id": a, "target_id": b,
                                                   "kind": rng.choice(list(RelationKind)).value,
                                                   "strength": rng.randint(1, 3)}))
    return edits
