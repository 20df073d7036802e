"""`centre`: run the Centre's server, enrol a district with it, or offer a training pack to every district."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ssd_starter.cli.runner import EXIT_OK, add_actions
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands


def add_centre(commands: Commands) -> None:
    centre = commands.add_parser("centre", help=_("run the Centre's server, or enrol a district with it"))
    actions = add_actions(centre)
    for name, helptext in (("serve", _("serve the Centre's API")),
                           ("enrol", _("print a one-time enrolment token for a district")),
                           ("publish-pack", _("offer a training pack to every district at its next sync"))):
        sub = actions.add_parser(name, help=helptext)
        sub.add_argument("--db", default=None,
                         help=_("database URL: sqlite:///FILE (default, in the data folder) or postgresql://…"))
        if name == "serve":
            sub.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
            sub.add_argument("--port", type=int, default=8765, help=_("port to listen on"))
            sub.set_defaults(run=cmd_centre_serve)
        elif name == "enrol":
            sub.add_argument("--district-name", required=True, help=_("the district's name, for the Centre's list"))
            sub.add_argument("--valid-days", type=int, default=14,
                             help=_("days the token can be used, 1 to 365 (default: 14)"))
            sub.set_defaults(run=cmd_centre_enrol)
        else:
            sub.add_argument("file", type=Path, help=_("the pack (.ssdpack or .zip)"))
            sub.set_defaults(run=cmd_centre_publish_pack)


def _centre_db(args: argparse.Namespace) -> str:
    """--db, else a SQLite file in the data folder (created on first use)."""
    from ssd_starter.settings import data_dir

    if args.db:
        return args.db
    data_dir().mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir() / 'centre.sqlite'}"


def cmd_centre_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ssd_starter.centre.app import create_app

    print(_("The Centre is listening on http://{host}:{port} (API documentation at /docs).").format(
        host=args.host, port=args.port), file=sys.stderr)
    uvicorn.run(create_app(_centre_db(args)), host=args.host, port=args.port, log_level="info")
    return EXIT_OK


def cmd_centre_enrol(args: argparse.Namespace) -> int:
    """The token alone on stdout (scripts read it there); when it expires on stderr, for the advisor."""
    import datetime as dt

    from ssd_starter.centre.store import connect, issue_token
    from ssd_starter.i18n import format_datetime

    if not 1 <= args.valid_days <= 365:
        raise UserError(N_("A token can be valid for 1 to 365 days, not {days}."), days=args.valid_days)
    engine = connect(_centre_db(args))
    issued = issue_token(engine, args.district_name.strip(), valid_for=dt.timedelta(days=args.valid_days))
    engine.dispose()
    print(issued.token)
    print(ngettext("The token can be used once, until {expires} ({days} day from now).",
                   "The token can be used once, until {expires} ({days} days from now).",
                   args.valid_days).format(expires=format_datetime(issued.expires_at), days=args.valid_days),
          file=sys.stderr)
    return EXIT_OK


def cmd_centre_publish_pack(args: argparse.Namespace) -> int:
    from ssd_starter.centre.store import connect, publish_pack
    from ssd_starter.core.training import PackRefused

    try:
        data = args.file.read_bytes()
    except OSError:  # the words `training import-pack` uses for an unreadable pack, not the system's
        raise PackRefused(N_("Cannot read {path}."), path=str(args.file)) from None
    engine = connect(_centre_db(args))
    pack_id, version = publish_pack(engine, data)
    engine.dispose()
    print(_("Published {pack} {version}: districts receive it at their next sync.").format(pack=pack_id,
                                                                                          version=version))
    return EXIT_OK
