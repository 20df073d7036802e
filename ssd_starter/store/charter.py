"""The charter through the store: the working draft, named versions, restore, adoption."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from ssd_starter.core.charter import (
    STEP_KEYS,
    CheckContext,
    check,
    empty_content,
    failing_required,
    normalized,
    validate_content,
)
from ssd_starter.core.errors import NotFound, UserError, ValidationError
from ssd_starter.core.models import Charter, CharterVersion, District, new_id, table_of, utc_now
from ssd_starter.i18n import LANGUAGES, N_
from ssd_starter.store.database import Store
from ssd_starter.store.edits import Batch, Edit, Insert, Update
from ssd_starter.store.stakeholders import list_stakeholders

C = table_of(Charter)
V = table_of(CharterVersion)
D = table_of(District)


def get_charter(store: Store, district_id: str) -> dict[str, Any] | None:
    with store.read() as conn:
        row = conn.execute(select(C).where(C.c.district_id == district_id, C.c.deleted.is_(False))).mappings().first()
    if row is None:
        return None
    charter = dict(row)
    charter["content"] = normalized(charter["content"] or {})
    return charter


def start_charter(store: Store, district_id: str) -> dict[str, Any]:
    """The district's charter, created from the district's own facts the first time it is opened."""
    existing = get_charter(store, district_id)
    if existing is not None:
        return existing
    with store.read() as conn:
        district = conn.execute(select(D).where(D.c.id == district_id)).mappings().first()
    if district is None:
        raise NotFound(N_("No district with id {id}."), id=district_id)
    content = empty_content()
    content.update(sectors=list(district["sectors"]), municipalities=list(district["municipalities"]))
    store.apply(Insert("charter", {"id": new_id(), "district_id": district_id, "language": district["language"],
                                   "content": content, "translations": {}, "current_step": "purpose",
                                   "status": "draft", "adopted_version_id": None}))
    charter = get_charter(store, district_id)
    assert charter is not None
    return charter


def update_content(charter: dict[str, Any], changes: dict[str, Any]) -> Update:
    """Change some fields of the draft. Editing an adopted charter starts a new draft (the adopted
    version stays frozen among the versions)."""
    content = validate_content({**charter["content"], **changes})
    fields: dict[str, Any] = {"content": content}
    if charter["status"] == "adopted":
        fields["status"] = "draft"
    return Update("charter", charter["id"], fields)


def update_translation(charter: dict[str, Any], language: str, step: str, text: str) -> Update:
    if language not in LANGUAGES or step not in STEP_KEYS:
        raise ValueError((language, step))
    translations = {lang: dict(sections) for lang, sections in (charter["translations"] or {}).items()}
    translations.setdefault(language, {})[step] = text
    return Update("charter", charter["id"], {"translations": translations})


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


def restore_version(charter: dict[str, Any], version: dict[str, Any]) -> Update:
    return Update("charter", charter["id"], {"content": normalized(version["content"]),
                                              "translations": version["translations"] or {}, "status": "draft"})


def adopt(store: Store, charter: dict[str, Any], *, name: str, date: dt.date, place: str,
          override_reason: str = "") -> Batch:
    """Freeze the draft as the adopted version and mark its signatories; refused while a required
    check fails, unless a reason for going ahead anyway is recorded."""
    context = context_for(store, charter["district_id"])
    failing = failing_required(check(charter["content"], context))
    if failing and not override_reason.strip():
        raise UserError(N_("The charter cannot be adopted yet: {count} required checks fail. Fix them, or record "
                           "why the district adopts it anyway."), count=len(failing))
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
