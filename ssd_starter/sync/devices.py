"""A district's devices, from the promoter's side: invite another installation with a one-time code, join a
district with one (which brings the whole district down), revoke a device.

Each device has its own key (``sync.identity``) and its own sequence of changes; the Centre keeps the list
and refuses a revoked device's key at once. The list travels to every device with each sync and in every
bundle, so two laptops that meet without a network trust each other's bundles through it (and refuse a
revoked device's) — never on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ssd_starter.core.errors import NotFound, UserError
from ssd_starter.i18n import N_
from ssd_starter.store.database import Store
from ssd_starter.sync.client import CentreClient, SyncFailed, SyncReport, sync
from ssd_starter.sync.identity import Identity


def centre_for(store: Store, district_id: str, url: str | None) -> str:
    """The Centre's address given, else the one the district last synced with, else the setting."""
    from ssd_starter.settings import Settings
    from ssd_starter.store.devices import centre_of

    found = (url or "").strip() or centre_of(store, district_id) or (Settings().get("centre_url") or "")
    if not found:
        raise UserError(N_("Give the Centre's address (--centre): this district has not synced with a Centre yet."))
    return str(found)


@dataclass(frozen=True)
class Invitation:
    code: str
    expires_at: str
    centre: str


def invite(store: Store, district_id: str, identity: Identity, *, url: str | None = None, valid_days: int = 7,
           allow_insecure: bool = False) -> Invitation:
    """A one-time code (twelve letters and digits, to read out) with which one more installation joins the
    district: ``ssd-starter device join --centre URL --code CODE`` there. Asked of the Centre, signed by this
    device's key: a device must be in the district to invite."""
    centre = centre_for(store, district_id, url)
    client = CentreClient(centre, district_id, identity, allow_insecure=allow_insecure, device_id=store.device_id)
    try:
        issued = client.invite(valid_days)
    finally:
        client.close()
    return Invitation(str(issued["code"]), str(issued["expires_at"]), centre)


@dataclass
class Joined:
    district_id: str
    district_name: str
    report: SyncReport


def join(store: Store, url: str, code: str, identity: Identity, *, name: str | None = None,
         allow_insecure: bool = False, progress: Callable[[int], None] | None = None) -> Joined:
    """This installation becomes a device of the code's district, with its own key, then pulls every row of
    the district: a sync like any other from then on."""
    from ssd_starter.store import devices as known

    if name is not None and name.strip():
        known.set_device_name(store, name)
    client = CentreClient(url, "", identity, allow_insecure=allow_insecure, device_id=store.device_id)
    try:
        answer = client.join(code, name=known.device_name(store))
    finally:
        client.close()
    district_id = str(answer["district_id"])
    known.save_device_list(store, district_id, answer.get("devices") or [])
    report = sync(store, district_id, url, identity, allow_insecure=allow_insecure, pulled=progress)
    if not _is_here(store, district_id):
        raise SyncFailed(N_("You joined {district}, but the Centre holds none of its records yet: sync again once "
                            "the device that invited you has synced."), district=str(answer.get("district_name")))
    return Joined(district_id, str(answer.get("district_name") or ""), report)


def _is_here(store: Store, district_id: str) -> bool:
    from ssd_starter.store.districts import list_districts

    return any(d.id == district_id for d in list_districts(store))


def find_device(store: Store, district_id: str, key: str) -> dict[str, Any]:
    """The district's device ``key`` names: its id, the start of it, or its name (any case)."""
    from ssd_starter.store.devices import district_devices

    key = key.strip()
    listed = district_devices(store, district_id)
    found = [d for d in listed if d["device_id"] == key] or [d for d in listed if d["name"].lower() == key.lower()] \
        or [d for d in listed if key and d["device_id"].startswith(key.lower())]
    if len(found) > 1:
        raise UserError(N_("Several devices match {key}: give more of the id."), key=key)
    if not found:
        raise NotFound(N_("There is no device {key} in this district (ssd-starter device list shows them)."), key=key)
    return found[0]


def revoke(store: Store, district_id: str, key: str, identity: Identity, *, url: str | None = None,
           allow_insecure: bool = False) -> dict[str, Any]:
    """The device stops working at once: the Centre refuses its key from now on, and so does every device of
    the district, here now and the others when they next sync or read a bundle from here."""
    from ssd_starter.store.devices import mark_revoked, save_device_list

    device = find_device(store, district_id, key)
    centre = centre_for(store, district_id, url)
    client = CentreClient(centre, district_id, identity, allow_insecure=allow_insecure, device_id=store.device_id)
    try:
        revoked = client.revoke(device["device_id"])
    finally:
        client.close()
    save_device_list(store, district_id, [revoked])
    mark_revoked(store, district_id, device["device_id"])
    return {**device, **revoked}
