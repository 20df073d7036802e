"""`centre`: run the Centre's server and administer it on its host, with direct access to its database (as
ODK Central's odk-cmd): migrations, enrolment and revocation of districts, advisors' accounts, submissions
and their review, training packs.

Every command finds the database as the server does (``centre.config``: ``SSD_CENTRE_DATABASE_URL``, the
secrets file, else a SQLite file in the data folder); ``--db`` still works, with a warning when it carries
a password, which every user of the computer can read on a command line.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssd_starter.cli.runner import EXIT_OK, add_actions, add_json_option, emit, row_json
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from ssd_starter.cli.runner import Command, Commands

NONE = "—"
REVIEW_STATES = ("approved", "has_issues", "rejected")  # centre.submissions.REVIEW_STATES, without importing it
# What only `pip install 'ssd-starter[centre]'` brings (pyproject's centre extra, by import name, with what those
# packages bring along): the desktop install and its bundle have none of it.
CENTRE_EXTRA = frozenset({"sqlmodel", "pydantic", "pydantic_core", "fastapi", "starlette", "uvicorn", "psycopg",
                          "psycopg_binary", "argon2", "_argon2_cffi_bindings"})


def add_centre(commands: Commands) -> None:
    centre = commands.add_parser("centre", help=_("run the Centre's server, or administer it on its host"))
    actions = add_actions(centre)
    serve = _action(actions, "serve", _("serve the Centre's API"))
    serve.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
    serve.add_argument("--port", type=int, default=8765, help=_("port to listen on"))
    serve.set_defaults(run=cmd_centre_serve)
    migrate = _action(actions, "migrate", _("upgrade the Centre's database to this version's schema (back it "
                                            "up first)"))
    migrate.add_argument("--check", action="store_true",
                         help=_("change nothing: exit 1, saying why, unless the schema is current"))
    migrate.set_defaults(run=cmd_centre_migrate)
    enrol = _action(actions, "enrol", _("print a one-time enrolment token for a district, or a device code for "
                                        "one more device of an enrolled district"))
    who = enrol.add_mutually_exclusive_group(required=True)
    who.add_argument("--district-name", help=_("the district's name, for the Centre's list"))
    who.add_argument("--district", help=_("an enrolled district (its id, id prefix or name): a code for one more "
                                          "device; a revoked one: a token that re-enrols it"))
    enrol.add_argument("--valid-days", type=int, default=14, help=_("days the token can be used, 1 to 365 "
                                                                    "(default: 14)"))
    enrol.set_defaults(run=cmd_centre_enrol)
    pack = _action(actions, "publish-pack", _("offer a training pack to every district at its next sync"))
    pack.add_argument("file", type=Path, help=_("the pack (.ssdpack or .zip)"))
    pack.set_defaults(run=cmd_centre_publish_pack)
    _add_review_commands(actions)
    _add_advisor_commands(actions)
    _say_what_is_missing(centre)


def _say_what_is_missing(parser: argparse.ArgumentParser) -> None:
    """Every command under `centre`, however deep: without the centre extra, one line saying what to install
    instead of a traceback. Walked once all are added, so a command added later is covered too."""
    command = parser.get_default("run")
    if command is not None:
        parser.set_defaults(run=needs_centre_extra(command))
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in {id(p): p for p in action.choices.values()}.values():  # an alias shares its parser
                _say_what_is_missing(sub)


def needs_centre_extra(command: Command) -> Command:
    """The server's packages are imported by the commands that use them: one missing is said as a refusal."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except ModuleNotFoundError as exc:
            if (exc.name or "").partition(".")[0] not in CENTRE_EXTRA:
                raise
            raise UserError(N_("This command needs the Centre's server, which is not installed here ({module} is "
                               "missing). Install it with: pip install 'ssd-starter[centre]'"),
                            module=exc.name) from None

    return run


def _action(actions: Commands, name: str, helptext: str) -> argparse.ArgumentParser:
    parser = actions.add_parser(name, help=helptext)
    parser.add_argument("--db", default=None, help=_("database URL: sqlite:///FILE or postgresql://… (default: "
                                                     "SSD_CENTRE_DATABASE_URL, else a file in the data folder)"))
    return parser


def _add_review_commands(actions: Commands) -> None:
    listed = _action(actions, "submissions", _("list the districts' submissions, newest first"))
    listed.add_argument("--state", choices=("received", *REVIEW_STATES), help=_("only those in this state"))
    listed.add_argument("--district", help=_("only this district's (its id, id prefix or name)"))
    add_json_option(listed)
    listed.set_defaults(run=cmd_centre_submissions)
    review = _action(actions, "review", _("set a submission's state, as an advisor"))
    review.add_argument("submission", help=_("the submission's id or the start of it"))
    review.add_argument("--state", required=True, choices=REVIEW_STATES, help=_("the new state"))
    review.add_argument("--comment", default="", help=_("why (needed to reject)"))
    review.add_argument("--advisor", required=True, help=_("the advisor deciding (their name at the Centre)"))
    review.set_defaults(run=cmd_centre_review)
    districts = _action(actions, "districts", _("list the enrolled districts with their latest submission"))
    add_json_option(districts)
    districts.set_defaults(run=cmd_centre_districts)
    revoke = _action(actions, "revoke", _("stop a district's keys (or one device's) from working, at once"))
    revoke.add_argument("district", help=_("the district's id, id prefix or name"))
    revoke.add_argument("--device", help=_("only this device of the district (its name, id or the start of it)"))
    revoke.set_defaults(run=cmd_centre_revoke)
    devices = _action(actions, "devices", _("list a district's devices, when each was last seen, and the device "
                                            "codes not used yet"))
    devices.add_argument("district", help=_("the district's id, id prefix or name"))
    add_json_option(devices)
    devices.set_defaults(run=cmd_centre_devices)
    reply = _action(actions, "reply-bundle", _("write a district's review (states, threads, comments) as a "
                                               "signed bundle, for a promoter who is not online"))
    reply.add_argument("--district", required=True, help=_("the district's id, id prefix or name"))
    reply.add_argument("--out", type=Path, required=True, help=_("the bundle file to write"))
    reply.set_defaults(run=cmd_centre_reply_bundle)
    taken = _action(actions, "import", _("take a district's bundle brought on a stick: its changes, the "
                                         "submission and the promoter's replies it carries"))
    taken.add_argument("file", type=Path, help=_("the bundle file"))
    add_json_option(taken)
    taken.set_defaults(run=cmd_centre_import)


def _add_advisor_commands(actions: Commands) -> None:
    advisor = actions.add_parser("advisor", help=_("the advisors' accounts"))
    accounts = add_actions(advisor, dest="advisor_action")
    add = _action(accounts, "add", _("add an advisor and print a one-time sign-in code"))
    add.add_argument("name", help=_("the advisor's name"))
    add.add_argument("--role", choices=("advisor", "admin"), default="advisor",
                     help=_("advisor (default) or admin (also manages the advisors)"))
    add.set_defaults(run=cmd_advisor_add)
    listed = _action(accounts, "list", _("list the advisors"))
    add_json_option(listed)
    listed.set_defaults(run=cmd_advisor_list)
    disable = _action(accounts, "disable", _("stop an advisor signing in; their sessions end now"))
    disable.add_argument("name", help=_("the advisor's name"))
    disable.set_defaults(run=cmd_advisor_disable)
    reset = _action(accounts, "reset", _("a forgotten password: print a new sign-in code"))
    reset.add_argument("name", help=_("the advisor's name"))
    reset.set_defaults(run=cmd_advisor_reset)


# -- the database -----------------------------------------------------------------------------

def _centre_db(args: argparse.Namespace) -> str:
    """--db, else what the environment names (``centre.config``), else a SQLite file in the data folder."""
    from ssd_starter.centre.config import from_environment, has_password

    if args.db and has_password(args.db):
        print(_("Warning: a password on the command line can be read by every user of this computer; put it in "
                "the file named by SSD_CENTRE_SECRETS_FILE instead."), file=sys.stderr)
    return from_environment(database_url=args.db).database_url


def _engine(args: argparse.Namespace) -> Engine:
    from ssd_starter.centre.store import connect

    return connect(_centre_db(args))


def cmd_centre_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ssd_starter.centre import logs
    from ssd_starter.centre.app import create_app
    from ssd_starter.centre.config import from_environment

    config = from_environment(database_url=_centre_db(args))
    logs.configure(config.log_format)  # a line per request, as the deployed factory writes them
    app = create_app(config=config)
    print(_("The Centre is listening on http://{host}:{port} (API documentation at /docs).").format(
        host=args.host, port=args.port), file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return EXIT_OK


def cmd_centre_migrate(args: argparse.Namespace) -> int:
    """With --check, what a service manager runs before starting the server (the unit's ExecStartPre)."""
    from ssd_starter.centre.database import connect, migrate

    if args.check:
        connect(_centre_db(args)).dispose()  # SchemaNotCurrent says why and what to do
        print(_("The Centre's database schema is current."))
        return EXIT_OK
    result = migrate(_centre_db(args))
    if result.before == result.after:
        print(_("The Centre's database is already at schema {revision}: nothing to do.").format(
            revision=result.after.revision))
    else:
        print(_("The Centre's database is now at schema {revision} (it was {before}).").format(
            revision=result.after.revision, before=result.before.revision or _("empty or made before migrations")))
    return EXIT_OK


def cmd_centre_enrol(args: argparse.Namespace) -> int:
    """The token alone on stdout (scripts read it there); when it expires on stderr, for the advisor."""
    import datetime as dt

    from ssd_starter.centre.store import issue_token
    from ssd_starter.i18n import format_datetime

    if not 1 <= args.valid_days <= 365:
        raise UserError(N_("A token can be valid for 1 to 365 days, not {days}."), days=args.valid_days)
    engine = _engine(args)
    try:
        valid_for = dt.timedelta(days=args.valid_days)
        if args.district is not None:
            from ssd_starter.centre.admin import find_district, reenrol

            district = find_district(engine, args.district)
            if district["revoked_at"] is None:
                return _print_device_code(engine, district, valid_for, args.valid_days)
            issued = reenrol(engine, args.district, valid_for=valid_for)
        else:
            issued = issue_token(engine, args.district_name.strip(), valid_for=valid_for)
    finally:
        engine.dispose()
    print(issued.token)
    print(ngettext("The token can be used once, until {expires} ({days} day from now).",
                   "The token can be used once, until {expires} ({days} days from now).",
                   args.valid_days).format(expires=format_datetime(issued.expires_at), days=args.valid_days),
          file=sys.stderr)
    return EXIT_OK


def _print_device_code(engine: Engine, district: dict[str, Any], valid_for: Any, days: int) -> int:
    """A code for one more device of an enrolled district: alone on stdout; on stderr how it is used."""
    from ssd_starter.centre.devices import invite
    from ssd_starter.i18n import format_datetime

    if days > 30:
        raise UserError(N_("A device code can be valid for 1 to 30 days, not {days}."), days=days)
    issued = invite(engine, district["district_id"], valid_for=valid_for)
    print(issued.code)
    print(_("A device code for {name}: on the new device, ssd-starter device join --centre URL --code {code}. It "
            "works once, until {expires}.").format(name=district["name"], code=issued.code,
                                                  expires=format_datetime(issued.expires_at)), file=sys.stderr)
    return EXIT_OK


def cmd_centre_publish_pack(args: argparse.Namespace) -> int:
    from ssd_starter.centre.store import publish_pack
    from ssd_starter.core.training import PackRefused

    try:
        data = args.file.read_bytes()
    except OSError:  # the words `training import-pack` uses for an unreadable pack, not the system's
        raise PackRefused(N_("Cannot read {path}."), path=str(args.file)) from None
    engine = _engine(args)
    try:
        pack_id, version = publish_pack(engine, data)
    finally:
        engine.dispose()
    print(_("Published {pack} {version}: districts receive it at their next sync.").format(pack=pack_id,
                                                                                          version=version))
    return EXIT_OK


# -- submissions and districts ----------------------------------------------------------------

def _state(state: str) -> str:
    from ssd_starter.centre.submissions import STATE_LABELS

    return _(STATE_LABELS.get(state, state))


def _when(value: Any) -> str:
    from ssd_starter.i18n import format_datetime

    return format_datetime(value, style="short") if value is not None else NONE


def cmd_centre_submissions(args: argparse.Namespace) -> int:
    from ssd_starter.centre.admin import find_district
    from ssd_starter.centre.submissions import list_submissions

    engine = _engine(args)
    try:
        district_id = find_district(engine, args.district)["district_id"] if args.district else None
        found = list_submissions(engine, state=args.state, district_id=district_id)
    finally:
        engine.dispose()
    keys = ("id", "district_id", "district_name", "state", "received_at", "updated_at", "previous_id", "note",
            "has_dossier", "charter_version_id")
    return emit(args, [row_json({k: s[k] for k in keys}) for s in found], _submission_lines(found))


def _submission_lines(found: list[dict[str, Any]]) -> Iterator[str]:
    if not found:
        yield _("No submissions.")
    for s in found:
        answers = _(" (answers {id})").format(id=s["previous_id"][:8]) if s["previous_id"] else ""
        yield f"{s['id'][:8]}  {_state(s['state']):<12}  {_when(s['received_at'])}  {s['district_name']}{answers}"


def cmd_centre_review(args: argparse.Namespace) -> int:
    from ssd_starter.centre.advisors import active_advisor
    from ssd_starter.centre.submissions import change_state, find_submission

    engine = _engine(args)
    try:
        advisor = active_advisor(engine, args.advisor)
        changed = change_state(engine, find_submission(engine, args.submission), args.state, advisor=advisor,
                               comment=args.comment)
    finally:
        engine.dispose()
    print(_("The submission {id} of {district} is now: {state}.").format(
        id=changed["id"][:8], district=changed["district_name"], state=_state(changed["state"])))
    return EXIT_OK


def cmd_centre_districts(args: argparse.Namespace) -> int:
    from ssd_starter.centre.submissions import overview

    engine = _engine(args)
    try:
        found = overview(engine)
    finally:
        engine.dispose()
    document = [{**row_json({k: d[k] for k in ("district_id", "name", "fingerprint", "enrolled_at", "revoked",
                                               "last_received_at", "submissions")}),
                 "latest": row_json(d["latest"]) if d["latest"] else None} for d in found]
    return emit(args, document, _district_lines(found))


def _district_lines(found: list[dict[str, Any]]) -> Iterator[str]:
    if not found:
        yield _("No district is enrolled at the Centre.")
    for d in found:
        latest = _state(d["latest"]["state"]) if d["latest"] else NONE
        revoked = "  " + _("(key revoked)") if d["revoked"] else ""
        yield f"{d['name']}  {d['district_id']}  {latest}  {_when(d['last_received_at'])}{revoked}"


def cmd_centre_devices(args: argparse.Namespace) -> int:
    from ssd_starter.centre.admin import find_district
    from ssd_starter.centre.devices import list_devices

    engine = _engine(args)
    try:
        district = find_district(engine, args.district)
        found = list_devices(engine, district["district_id"], with_invites=True)
    finally:
        engine.dispose()
    keys = ("device_id", "name", "fingerprint", "invited_by", "created_at", "enrolled_at", "revoked_at",
            "last_seen_at", "invite_expires_at")
    document = [{"id": d["device_id"], "invited": d["public_key"] is None, **row_json({k: d[k] for k in keys})}
                for d in found]
    return emit(args, document, _device_lines(found))


def _device_lines(found: list[dict[str, Any]]) -> Iterator[str]:
    for d in found:
        if d["public_key"] is None:
            expiry = d["invite_expires_at"]
            yield "  ".join((_("(device code not used yet)"), _("until {when}").format(when=_when(expiry))
                             if expiry is not None else _("expired")))
            continue
        name = d["name"] or _("(first device)")
        state = _("revoked {when}").format(when=_when(d["revoked_at"])) if d["revoked_at"] else \
            _("last seen {when}").format(when=_when(d["last_seen_at"]))
        yield f"{(d['device_id'] or '?')[:8]}  {name}  {d['fingerprint'] or NONE}  {state}"


def cmd_centre_revoke(args: argparse.Namespace) -> int:
    from ssd_starter.centre.admin import find_district, revoke

    engine = _engine(args)
    try:
        if args.device is not None:
            return _revoke_device(engine, find_district(engine, args.district), args.device)
        district = revoke(engine, args.district)
    finally:
        engine.dispose()
    print(_("The key of {name} no longer works. To let the district sync again, give it a new token: "
            "ssd-starter centre enrol --district {id}").format(name=district["name"], id=district["district_id"]))
    return EXIT_OK


def _revoke_device(engine: Engine, district: dict[str, Any], key: str) -> int:
    from ssd_starter.centre.devices import list_devices
    from ssd_starter.centre.devices import revoke as revoke_device
    from ssd_starter.core.errors import NotFound

    key = key.strip()
    listed = [d for d in list_devices(engine, district["district_id"]) if d["device_id"]]
    found = [d for d in listed if key in (d["device_id"], d["name"])] or \
        [d for d in listed if key and d["device_id"].startswith(key)]
    if len(found) != 1:
        raise NotFound(N_("There is no device {key} in this district (ssd-starter centre devices shows them).")
                       if not found else N_("Several devices match {key}: give more of the id."), key=key)
    revoked = revoke_device(engine, district["district_id"], found[0]["device_id"])
    print(_("The key of {device} ({district}) no longer works; the district's other devices sync on.").format(
        device=revoked["name"] or revoked["device_id"][:8], district=district["name"]))
    return EXIT_OK


def cmd_centre_reply_bundle(args: argparse.Namespace) -> int:
    from ssd_starter.centre.replies import write_reply_bundle

    engine = _engine(args)
    try:
        manifest = write_reply_bundle(engine, args.district, args.out)
    finally:
        engine.dispose()
    submissions, threads = manifest["counts"]["submissions"], manifest["counts"]["threads"]
    print(_("Wrote {path}: the review of {district} ({submissions}, {threads}). The promoter imports it with: "
            "ssd-starter bundle import FILE").format(
        path=args.out, district=manifest["district"]["name"],
        submissions=ngettext("{count} submission", "{count} submissions", submissions).format(count=submissions),
        threads=ngettext("{count} thread", "{count} threads", threads).format(count=threads)))
    return EXIT_OK


def cmd_centre_import(args: argparse.Namespace) -> int:
    """What the review area's upload does (``centre.review.receive_bundle``), from the host's command line."""
    from ssd_starter.centre.review import receive_bundle
    from ssd_starter.sync.bundle import MAX_BUNDLE_BYTES, BundleRefused

    try:
        if args.file.stat().st_size > MAX_BUNDLE_BYTES:
            raise BundleRefused(N_("The bundle is larger than {limit} MB."), limit=MAX_BUNDLE_BYTES // 2**20)
        data = args.file.read_bytes()
    except OSError:
        raise BundleRefused(N_("Cannot read {path}."), path=str(args.file)) from None
    engine = _engine(args)
    try:
        received = receive_bundle(engine, data)
    finally:
        engine.dispose()
    submission = received["submission"]
    document = {**{key: received[key] for key in ("district_id", "stored", "ignored", "replies_taken")},
                "submission": row_json({k: submission[k] for k in ("id", "state", "previous_id", "received_at")})
                if submission is not None else None,
                "replies_refused": [refusal.english() for refusal in received["replies_refused"]]}
    return emit(args, document, _import_lines(args.file, received))


def _import_lines(path: Path, received: dict[str, Any]) -> Iterator[str]:
    stored, ignored = received["stored"], received["ignored"]
    yield _("Took {path} for {district}: {stored}, {ignored}.").format(
        path=path, district=received["district_id"],
        stored=ngettext("{count} record stored", "{count} records stored", stored).format(count=stored),
        ignored=ngettext("{count} already here", "{count} already here", ignored).format(count=ignored))
    submission = received["submission"]
    if submission is not None:
        answers = _(" (answers {id})").format(id=submission["previous_id"][:8]) if submission["previous_id"] else ""
        yield _("Submission {id}: {state}").format(id=submission["id"][:8], state=_state(submission["state"])) \
            + answers
    taken = received["replies_taken"]
    if taken:
        yield ngettext("{count} reply, resolution or new thread from the promoter taken.",
                       "{count} replies, resolutions and new threads from the promoter taken.", taken).format(
            count=taken)
    for refusal in received["replies_refused"]:
        yield _("Not taken from the promoter: {reason}").format(reason=refusal.message())


# -- advisors ---------------------------------------------------------------------------------

def _print_code(issued: Any) -> None:
    """The code alone on stdout; on stderr what to do with it."""
    from ssd_starter.i18n import format_datetime

    print(issued.code)
    print(_("{name} signs in once with this code, until {expires}, and chooses a password. Only its hash is "
            "kept: it cannot be shown again.").format(name=issued.advisor.name,
                                                      expires=format_datetime(issued.expires_at)), file=sys.stderr)


def cmd_advisor_add(args: argparse.Namespace) -> int:
    from ssd_starter.centre.advisors import add_advisor

    engine = _engine(args)
    try:
        _print_code(add_advisor(engine, args.name, args.role))
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_advisor_reset(args: argparse.Namespace) -> int:
    from ssd_starter.centre.advisors import reset_advisor

    engine = _engine(args)
    try:
        _print_code(reset_advisor(engine, args.name))
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_advisor_list(args: argparse.Namespace) -> int:
    from ssd_starter.centre.advisors import list_advisors

    engine = _engine(args)
    try:
        found = list_advisors(engine)
    finally:
        engine.dispose()

    def lines() -> Iterator[str]:
        if not found:
            yield _("No advisors yet: add one with ssd-starter centre advisor add NAME.")
        for advisor in found:
            state = (_("disabled") if advisor.disabled else _("active") if advisor.has_password
                     else _("waiting for the first sign-in"))
            role = _("admin") if advisor.is_admin else _("advisor")
            yield f"{advisor.name}  {role}  {state}"

    return emit(args, [a.as_json() for a in found], lines())


def cmd_advisor_disable(args: argparse.Namespace) -> int:
    from ssd_starter.centre.advisors import disable_advisor

    engine = _engine(args)
    try:
        advisor = disable_advisor(engine, args.name)
    finally:
        engine.dispose()
    print(_("{name} can no longer sign in; their sessions have ended.").format(name=advisor.name))
    return EXIT_OK
