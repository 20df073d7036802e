"""`bundle`: a district's changes as a signed file, for USB or e-mail; `sync`: the same over the network,
with the Centre."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssd_starter.cli.runner import (
    add_actions,
    add_district_argument,
    add_json_option,
    emit,
    open_district,
    open_store,
)
from ssd_starter.i18n import _, current_language, ngettext

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands
    from ssd_starter.sync.bundle import VerifiedBundle


def add_bundle(commands: Commands) -> None:
    bundle = commands.add_parser("bundle", help=_("signed bundles of a district's changes, for USB or e-mail"))
    actions = add_actions(bundle)
    write = actions.add_parser("write", help=_("write a signed bundle of the district's changes"))
    add_district_argument(write)
    write.add_argument("--out", type=Path, required=True, help=_("the bundle file to write"))
    write.add_argument("--since", type=int, default=0, help=_("only changes after this sequence number"))
    write.add_argument("--with-dossier", action="store_true", help=_("add the dossier PDF"))
    add_json_option(write, _("print the manifest as JSON"))
    write.set_defaults(run=cmd_bundle_write)
    verify = actions.add_parser("verify", help=_("check a bundle's signature, contents and safety"))
    verify.add_argument("file", type=Path, help=_("the bundle file"))
    add_json_option(verify, _("print the manifest as JSON"))
    verify.set_defaults(run=cmd_bundle_verify)
    merge = actions.add_parser("import", help=_("verify a bundle and merge its changes into this installation"))
    merge.add_argument("file", type=Path, help=_("the bundle file"))
    add_json_option(merge, _("print what was merged as JSON"))
    merge.set_defaults(run=cmd_bundle_import)


def add_sync(commands: Commands) -> None:
    sync = commands.add_parser("sync", help=_("send the district's changes to the Centre and get its comments"))
    add_district_argument(sync)
    sync.add_argument("--centre", required=True, help=_("the Centre's address, e.g. https://centre.example.org"))
    sync.add_argument("--token", help=_("the one-time enrolment token, the first time"))
    sync.add_argument("--insecure-http", action="store_true",
                      help=_("allow an unencrypted http:// address that is not this computer (a trusted "
                             "network only)"))
    sync.add_argument("--submit", action="store_true",
                      help=_("also submit the district for review: its indicators, charter version and dossier"))
    sync.add_argument("--note", default="", help=_("with --submit: a note for the advisors"))
    sync.add_argument("--without-dossier", action="store_true", help=_("with --submit: leave the dossier out"))
    add_json_option(sync, _("print the result as JSON"))
    sync.set_defaults(run=cmd_sync)


def cmd_bundle_write(args: argparse.Namespace) -> int:
    import tempfile

    from ssd_starter.sync.bundle import write_bundle
    from ssd_starter.sync.identity import load_or_create

    store, district = open_district(args.district)
    dossier = None
    if args.with_dossier:
        from ssd_starter.export.dossier import DossierOptions, write_dossier

        dossier = write_dossier(store, district.id, Path(tempfile.mkdtemp()) / "dossier.pdf",
                                DossierOptions(language=current_language()))
    manifest = write_bundle(store, district.id, args.out, load_or_create(), since=args.since, dossier=dossier)
    return emit(args, manifest, [
        ngettext("Wrote {path}: {count} change, sequence {first}–{last}.",
                 "Wrote {path}: {count} changes, sequence {first}–{last}.",
                 manifest["counts"]["changes"]).format(
            path=args.out, count=manifest["counts"]["changes"], first=manifest["sequence"]["first"],
            last=manifest["sequence"]["last"])])


def cmd_bundle_verify(args: argparse.Namespace) -> int:
    from ssd_starter.sync.bundle import verify_bundle_file

    bundle = verify_bundle_file(args.file)
    return emit(args, {**bundle.manifest, "signer": bundle.signer}, [
        _("Valid bundle for {district}: {count} changes, signed by {fingerprint}.").format(
            district=bundle.manifest["district"]["name"], count=bundle.manifest["counts"]["changes"],
            fingerprint=bundle.signer)])


def cmd_bundle_import(args: argparse.Namespace) -> int:
    from ssd_starter.sync.bundle import import_bundle

    store = open_store()
    bundle, report = import_bundle(store, args.file)
    return emit(args, {"district": bundle.district_id, "signer": bundle.signer,
                       "first_contact": bundle.first_contact, **report.__dict__},
                _import_lines(bundle, report.__dict__))


def _import_lines(bundle: VerifiedBundle, counts: dict[str, Any]) -> Iterator[str]:
    if bundle.first_contact:  # trust on first use: the person compares the fingerprint with the sender's
        yield _("First bundle from {district}: its key {fingerprint} is now trusted for it. Check the fingerprint "
                "with the sender.").format(district=bundle.manifest["district"]["name"], fingerprint=bundle.signer)
    yield _("Imported: {inserted} new, {updated} updated, {unchanged} unchanged, {conflicts} conflicts to look "
            "at.").format(**counts)


def cmd_sync(args: argparse.Namespace) -> int:
    from ssd_starter.core.errors import UserError
    from ssd_starter.i18n import N_
    from ssd_starter.sync.client import submission_draft, sync
    from ssd_starter.sync.identity import load_or_create

    if (args.note or args.without_dossier) and not args.submit:
        raise UserError(N_("--note and --without-dossier go with --submit."))
    store, district = open_district(args.district)

    def progress(done: int, total: int) -> None:  # for a person watching: a script asking for --json gets none
        if not args.json:
            print(_("Sent {done} of {total} changes").format(done=done, total=total), file=sys.stderr)

    draft = None
    if args.submit:
        dossier = None if args.without_dossier else _dossier_bytes(store, district.id)
        draft = submission_draft(store, district.id, note=args.note, dossier=dossier)
    report = sync(store, district.id, args.centre, load_or_create(), token=args.token, progress=progress,
                  allow_insecure=args.insecure_http, submission=draft)
    return emit(args, report.__dict__, _sync_lines(report))


def _dossier_bytes(store: Any, district_id: str) -> bytes:
    """The district's dossier as a submission carries it, in the language of the command line."""
    import tempfile

    from ssd_starter.export.dossier import DossierOptions, write_dossier

    with tempfile.TemporaryDirectory() as folder:
        return write_dossier(store, district_id, Path(folder) / "dossier.pdf",
                             DossierOptions(language=current_language())).read_bytes()


def _sync_lines(report: Any) -> Iterator[str]:
    from ssd_starter.centre.submissions import STATE_LABELS

    yield _("Synchronised: {pushed} changes sent, {comments} new comments from the Centre.").format(
        pushed=report.pushed, comments=report.comments)
    yield from (_("New training pack installed: {pack}").format(pack=pack) for pack in report.packs)
    if report.submitted:
        yield _("Submitted for review: {id}.").format(id=report.submitted[:8])
    for submission in report.submissions[:3]:  # the newest: what a promoter wants to know after a sync
        yield _("Submission {id}: {state}").format(id=submission["id"][:8],
                                                   state=_(STATE_LABELS.get(submission["state"], submission["state"])))
        last = submission["history"][-1] if submission["history"] else None
        if last and last["advisor"] and last["comment"]:
            yield "  " + _("{advisor}: {comment}").format(advisor=last["by"], comment=last["comment"])
    open_threads = sum(1 for thread in report.threads if not thread["resolved"])
    if open_threads:
        yield ngettext("{count} open thread from the Centre's advisors.",
                       "{count} open threads from the Centre's advisors.", open_threads).format(count=open_threads)
