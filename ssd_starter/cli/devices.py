"""`device`: the district's devices — each promoter's installation with its own key. `invite` prints a one-time
code for one more installation, `join` uses it there (and brings the whole district down), `list` shows the
devices and when each was last seen, `revoke` stops one at once, `name` is what the others see."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ssd_starter.cli.runner import (
    EXIT_OK,
    add_actions,
    add_district_argument,
    add_json_option,
    emit,
    open_district,
    open_store,
    row_json,
)
from ssd_starter.i18n import _, ngettext

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands

NONE = "—"


def add_device(commands: Commands) -> None:
    device = commands.add_parser("device", help=_("the district's devices: invite one more, join a district, "
                                                  "list, revoke"))
    actions = add_actions(device)
    invite = actions.add_parser("invite", help=_("print a one-time code with which one more installation joins "
                                                 "the district"))
    add_district_argument(invite)
    _centre_options(invite, required=False)
    invite.add_argument("--valid-days", type=int, default=7, choices=range(1, 31), metavar="1-30",
                        help=_("days the code can be used (default: 7)"))
    add_json_option(invite)
    invite.set_defaults(run=cmd_device_invite)
    join = actions.add_parser("join", help=_("join a district with a device code and bring the whole district "
                                             "down"))
    _centre_options(join, required=True)
    join.add_argument("--code", required=True, help=_("the device code, e.g. ABCD-EFGH-JKMN"))
    join.add_argument("--name", help=_("this device's name as the others see it (e.g. Anna's laptop)"))
    add_json_option(join)
    join.set_defaults(run=cmd_device_join)
    listed = actions.add_parser("list", help=_("the district's devices and when each was last seen"))
    add_district_argument(listed)
    add_json_option(listed)
    listed.set_defaults(run=cmd_device_list)
    revoke = actions.add_parser("revoke", help=_("stop a device at once: the Centre and the district's devices "
                                                 "refuse its key and its bundles"))
    revoke.add_argument("device", help=_("the device's name, id or the start of it"))
    add_district_argument(revoke)
    _centre_options(revoke, required=False)
    revoke.set_defaults(run=cmd_device_revoke)
    name = actions.add_parser("name", help=_("show or set this device's name, as the district's other devices "
                                             "see it"))
    name.add_argument("name", nargs="?", help=_("the new name"))
    name.set_defaults(run=cmd_device_name)


def _centre_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--centre", required=required,
                        help=_("the Centre's address, e.g. https://centre.example.org") if required else
                        _("the Centre's address (default: the one the district last synced with)"))
    parser.add_argument("--insecure-http", action="store_true",
                        help=_("allow an unencrypted http:// address that is not this computer (a trusted "
                               "network only)"))


def cmd_device_invite(args: argparse.Namespace) -> int:
    """The code alone on stdout (a script reads it there); on stderr what to do with it."""
    from ssd_starter.sync.devices import invite
    from ssd_starter.sync.identity import load_or_create

    store, district = open_district(args.district)
    issued = invite(store, district.id, load_or_create(), url=args.centre, valid_days=args.valid_days,
                    allow_insecure=args.insecure_http)
    if args.json:
        return emit(args, {"code": issued.code, "expires_at": issued.expires_at, "centre": issued.centre})
    print(issued.code)
    print(_("On the new device: ssd-starter device join --centre {centre} --code {code}\nThe code works once, "
            "until {expires}.").format(centre=issued.centre, code=issued.code,
                                       expires=_when(issued.expires_at)), file=sys.stderr)
    return EXIT_OK


def cmd_device_join(args: argparse.Namespace) -> int:
    from ssd_starter.sync.devices import join
    from ssd_starter.sync.identity import load_or_create

    store = open_store()

    def progress(rows: int) -> None:  # for a person watching: a script asking for --json gets none
        if not args.json:
            print(ngettext("Received {count} record", "Received {count} records", rows).format(count=rows),
                  file=sys.stderr)

    joined = join(store, args.centre, args.code, load_or_create(), name=args.name, allow_insecure=args.insecure_http,
                  progress=progress)
    report = joined.report
    document = {"district_id": joined.district_id, "district_name": joined.district_name,
                "received": report.received, "waiting": report.waiting, "devices": report.devices}
    return emit(args, document, [
        _("This installation is now a device of {district} ({id}).").format(district=joined.district_name,
                                                                          id=joined.district_id[:8]),
        ngettext("{count} record received.", "{count} records received.", report.pulled).format(count=report.pulled),
    ])


def cmd_device_list(args: argparse.Namespace) -> int:
    from ssd_starter.store.devices import device_name, district_devices

    store, district = open_district(args.district)
    listed = district_devices(store, district.id)
    if not listed:  # a district that never synced with a Centre: this installation alone
        listed = [{"device_id": store.device_id, "name": device_name(store), "fingerprint": "", "added_at": None,
                   "revoked_at": None, "last_seen_at": None}]
    for device in listed:
        device["this_device"] = device["device_id"] == store.device_id
    keys = ("device_id", "name", "fingerprint", "added_at", "revoked_at", "last_seen_at", "this_device")
    return emit(args, [{"id": d["device_id"], **row_json({k: d[k] for k in keys})} for d in listed],
                _device_lines(listed))


def _when(value: Any) -> str:
    import datetime as dt

    from ssd_starter.i18n import format_datetime

    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return format_datetime(value, style="short") if value is not None else NONE


def _device_lines(listed: list[dict[str, Any]]) -> Iterator[str]:
    for d in listed:
        marks = []
        if d["this_device"]:
            marks.append(_("this device"))
        if d["revoked_at"] is not None:
            marks.append(_("revoked {when}").format(when=_when(d["revoked_at"])))
        seen = _("last seen {when}").format(when=_when(d["last_seen_at"])) if d["last_seen_at"] else _("never seen")
        extra = f"  ({', '.join(marks)})" if marks else ""
        yield f"{d['device_id'][:8]}  {d['name'] or NONE}  {seen}{extra}"


def cmd_device_revoke(args: argparse.Namespace) -> int:
    from ssd_starter.sync.devices import revoke
    from ssd_starter.sync.identity import load_or_create

    store, district = open_district(args.district)
    revoked = revoke(store, district.id, args.device, load_or_create(), url=args.centre,
                     allow_insecure=args.insecure_http)
    print(_("{device} is revoked: the Centre refuses its key from now on, and the district's devices refuse its "
            "bundles.").format(device=revoked["name"] or revoked["device_id"][:8]))
    return EXIT_OK


def cmd_device_name(args: argparse.Namespace) -> int:
    from ssd_starter.store.devices import device_name, set_device_name

    store = open_store()
    if args.name is not None and args.name.strip():
        set_device_name(store, args.name)
        print(_("This device is now called {name}; the others learn it with its next sync.").format(
            name=device_name(store)))
    else:
        print(device_name(store))
    return EXIT_OK
