"""The charter through the store: the working draft, named versions, restore, adoption.

The draft is a ``charter`` row (language, status, adopted version) and one ``charter_section`` row per
wizard step. ``get_charter`` puts them together as before — ``content`` and ``translations`` documents —
and every edit writes only the sections whose fields it changes, so edits of different steps made on two
installations merge without clashing. Named versions stay frozen documents of the whole text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from ssd_starter.core.charter import (
    SECTION_FIELDS,
    SECTION_OF,
    STEP_KEYS,
    CheckContext,
    check,
    empty_content,
    failing_required,
    joined_content,
    joined_translations,
    normalized,
    section_id,
    section_translations,
    section_values,
    validate_content,
)
from ssd_starter.core.errors import NotFound, UserError, ValidationError
from ssd_starter.core.models import (
    Charter,
    CharterSection,
    CharterVersion,
    District,
    new_id,
    table_of,
    utc_now,
)
from ssd_starter.i18n import LANGUAGES, N_, N_plural
from ssd_starter.store.database import Store
from ssd_starter.store.edits import Batch, Edit, Insert, InsertMany, Undelete, Update
from ssd_starter.store.stakeholders import list_stakeholders

C = table_of(Charter)
S = table_of(CharterSection)
V = table_of(CharterVersion)
D = table_of(District)


def get_charter(store: Store, district_id: str) -> dict[str, Any] | None:
    """The district's charter: its row, with ``content`` and ``translations`` ({language: {step: text}})
    put together from its sections, and ``sections`` (step → section row) for whoever wants the rows."""
    with store.read() as conn:
        row = conn.execute(select(C).where(C.c.district_id == district_id, C.c.deleted.is_(False))).mappings().first()
        if row is None:
            return None
        sections = {r["key"]: dict(r) for r in conn.execute(select(S).where(
            S.c.charter_id == row["id"], S.c.deleted.is_(False))).mappings() if r["key"] in SECTION_FIELDS}
        district = conn.execute(select(D.c.sectors, D.c.municipalities).where(D.c.id == district_id)).first()
    charter = dict(row)
    charter["sections"] = sections
    charter["content"] = joined_content({key: s["value"] for key, s in sections.items()})
    charter["translations"] = joined_translations({key: s["translations"] for key, s in sections.items()})
    _with_the_districts_own(charter["content"], district)
    return charter


# The charter's sectors and territory are the district's own (one source of truth: the Districts page and the
# charter show and edit the same lists). A charter written before kept copies of its own in its sections: they
# are shown together with the district's (nothing entered anywhere disappears) and moved into the district the
# first time the charter is opened (start_charter), which empties them.
DISTRICT_FIELDS = {"sectors": "sectors", "municipalities": "municipalities"}  # charter field → district column
DISTRICT_SECTIONS = {SECTION_OF[name] for name in DISTRICT_FIELDS}


def _with_the_districts_own(content: dict[str, Any], district: Any) -> None:
    if district is None:
        return
    for name, column in DISTRICT_FIELDS.items():
        content[name] = _merged(content[name], getattr(district, column) or [])


def _merged(copy: Iterable[str], own: Iterable[str]) -> list[str]:
    merged = list(copy)
    return merged + [item for item in own if item not in merged]


def _adopt_the_charters_copies(store: Store, charter: dict[str, Any]) -> bool:
    """Move the sectors and municipalities an older charter kept in its own sections into the district; True
    when there were any."""
    empty = section_values(empty_content())
    held = {key: charter["sections"][key]["value"] for key in DISTRICT_SECTIONS if key in charter["sections"]}
    if all(value == empty[key] for key, value in held.items()):
        return False
    with store.read() as conn:
        district = conn.execute(select(D.c.sectors, D.c.municipalities).where(
            D.c.id == charter["district_id"])).first()
    edits: list[Edit] = [Update("district", charter["district_id"],
                                {column: charter["content"][name] for name, column in DISTRICT_FIELDS.items()
                                 if charter["content"][name] != list(getattr(district, column) or [])})]
    edits += [Update("charter_section", section_id(charter["id"], key), {"value": empty[key]})
              for key, value in held.items() if value != empty[key]]
    store.apply(Batch(tuple(edits)))
    return True


def _section_row(charter_id: str, district_id: str, key: str, value: Mapping[str, Any],
                 translations: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {"id": section_id(charter_id, key), "charter_id": charter_id, "district_id": district_id, "key": key,
            "value": dict(value), "translations": dict(translations or {})}


def start_charter(store: Store, district_id: str) -> dict[str, Any]:
    """The district's charter, created from the district's own facts the first time it is opened (a section
    missing from one that came from elsewhere is made here, empty)."""
    existing = get_charter(store, district_id)
    if existing is not None:
        if len(existing["sections"]) < len(SECTION_FIELDS):
            _complete_sections(store, existing)
            existing = get_charter(store, district_id)
            assert existing is not None
        if _adopt_the_charters_copies(store, existing):
            existing = get_charter(store, district_id)
            assert existing is not None
        return existing
    with store.read() as conn:
        district = conn.execute(select(D).where(D.c.id == district_id)).mappings().first()
    if district is None:
        raise NotFound(N_("No district with id {id}."), id=district_id)
    content = empty_content()  # its sectors and municipalities are the district's own (see DISTRICT_FIELDS)
    charter_id = new_id()
    sections = tuple(_section_row(charter_id, district_id, key, value)
                     for key, value in section_values(content).items())
    store.apply(Batch((Insert("charter", {"id": charter_id, "district_id": district_id,
                                          "language": district["language"], "status": "draft",
                                          "adopted_version_id": None}),
                       InsertMany("charter_section", sections))))
    charter = get_charter(store, district_id)
    assert charter is not None
    return charter


def _complete_sections(store: Store, charter: dict[str, Any]) -> None:
    with store.read() as conn:
        held = dict(conn.execute(select(S.c.key, S.c.id).where(S.c.charter_id == charter["id"])).all())
    empty = section_values(empty_content())
    edits: list[Edit] = [Undelete("charter_section", held[key]) if key in held else
                         Insert("charter_section", _section_row(charter["id"], charter["district_id"], key, empty[key]))
                         for key in SECTION_FIELDS if key not in charter["sections"]]
    store.apply(Batch(tuple(edits)))


def _section_updates(charter: dict[str, Any], content: Mapping[str, Any],
                     translations: Mapping[str, Mapping[str, str]] | None, keys: Iterable[str]) -> list[Edit]:
    """An ``Update`` for each of the sections ``keys`` whose fields (or translations, when given) differ
    from the charter as read."""
    old_values = section_values(charter["content"])
    new_values = section_values(content)
    old_texts = section_translations(charter["translations"] or {})
    new_texts = section_translations(translations) if translations is not None else old_texts
    edits: list[Edit] = []
    district_changes = {DISTRICT_FIELDS[name]: content[name] for name in DISTRICT_FIELDS
                        if SECTION_OF[name] in keys and content[name] != charter["content"][name]}
    if district_changes:
        edits.append(Update("district", charter["district_id"], district_changes))
    for key in SECTION_FIELDS:
        if key not in keys or key in DISTRICT_SECTIONS:
            continue
        changes: dict[str, Any] = {}
        if new_values[key] != old_values[key]:
            changes["value"] = new_values[key]
        if new_texts[key] != old_texts[key]:
            changes["translations"] = new_texts[key]
        if changes:
            edits.append(Update("charter_section", section_id(charter["id"], key), changes))
    return edits


def _as_draft(charter: dict[str, Any], edits: list[Edit]) -> Batch:
    """Changing an adopted charter starts a new draft (the adopted version stays frozen among the versions)."""
    if edits and charter["status"] != "draft":
        edits.append(Update("charter", charter["id"], {"status": "draft"}))
    return Batch(tuple(edits))


def update_content(charter: dict[str, Any], changes: dict[str, Any]) -> Batch:
    """Change some fields of the draft: an ``Update`` of each section holding a field that changed, nothing
    else (an empty batch when nothing did)."""
    content = validate_content({**charter["content"], **changes})
    keys = {SECTION_OF[name] for name in changes if name in SECTION_OF}
    return _as_draft(charter, _section_updates(charter, content, None, keys))


def update_translation(charter: dict[str, Any], language: str, step: str, text: str) -> Update:
    """The translation of one section into ``language``."""
    if language not in LANGUAGES or step not in STEP_KEYS:
        raise ValueError((language, step))
    texts = section_translations(charter["translations"] or {})[step]
    return Update("charter_section", section_id(charter["id"], step), {"translations": {**texts, language: text}})


def context_for(store: Store, district_id: str) -> CheckContext:
    return CheckContext({a["id"]: a for a in list_stakeholders(store, district_id)})


def list_versions(store: Store, charter_id: str) -> list[dict[str, Any]]:
    query = select(V).where(V.c.charter_id == charter_id, V.c.deleted.is_(False)).order_by(V.c.created_at)
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def get_version(store: Store, version_id: str) -> dict[str, Any]:
    with store.read() as conn:
        row = conn.execute(select(V).where(V.c.id == version_id)).mappings().first()
    if row is None:
        raise NotFound(N_("No charter version with id {id}."), id=version_id)
    return dict(row)


def _version_values(charter: dict[str, Any], name: str) -> dict[str, Any]:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("name", N_("A version needs a name."))
    return {"id": new_id(), "charter_id": charter["id"], "district_id": charter["district_id"], "name": clean[:200],
            "language": charter["language"], "content": normalized(charter["content"]),
            "translations": charter["translations"] or {}, "created_at": utc_now(), "adopted": False,
            "adoption_date": None, "adoption_place": "", "override_reason": ""}


def save_version(charter: dict[str, Any], name: str) -> Insert:
    return Insert("charter_version", _version_values(charter, name))


def restore_version(charter: dict[str, Any], version: dict[str, Any]) -> Batch:
    """The draft made the version's text again: the sections that differ from it, and the status draft."""
    return _as_draft(charter, _section_updates(charter, normalized(version["content"]),
                                               version["translations"] or {}, SECTION_FIELDS))


def adopt(store: Store, charter: dict[str, Any], *, name: str, date: dt.date, place: str,
          override_reason: str = "") -> Batch:
    """Freeze the draft as the adopted version and mark its signatories; refused while a required
    check fails, unless a reason for going ahead anyway is recorded."""
    context = context_for(store, charter["district_id"])
    failing = failing_required(check(charter["content"], context))
    if failing and not override_reason.strip():
        raise UserError(N_plural("The charter cannot be adopted yet: {count} required check fails. Fix it, or "
                                 "record why the district adopts it anyway.",
                                 "The charter cannot be adopted yet: {count} required checks fail. Fix them, or "
                                 "record why the district adopts it anyway."), count=len(failing))
    if not place.strip():
        raise ValidationError("place", N_("Give the place of adoption."))
    values = _version_values(charter, name)
    values.update(adopted=True, adoption_date=date, adoption_place=place.strip(),
                  override_reason=override_reason.strip() if failing else "")
    edits: list[Edit] = [Insert("charter_version", values),
                         Update("charter", charter["id"], {"status": "adopted", "adopted_version_id": values["id"]})]
    for actor_id in charter["content"]["signatories"]:
        actor = context.actors.get(actor_id)
        if actor is not None and actor["stage"] != "signatory":
            edits.append(Update("stakeholder", actor_id, {"stage": "signatory"}))
    return Batch(tuple(edits))


def eligible_signatories(store: Store, district_id: str) -> list[dict[str, Any]]:
    """Only actors that are members (or already signatories) may sign."""
    return [a for a in list_stakeholders(store, district_id) if a["stage"] in ("member", "signatory")]
