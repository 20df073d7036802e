"""`bundle`: a district's changes as a signed file, for USB or e-mail (and the Centre's reply bundles, told
apart on import); `sync`: the same over the network, with the Centre; `review`: what the Centre said — the
states of the district's submissions and the advisors' threads — read offline, and the promoter's replies."""

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
from ssd_starter.sync.messages import import_counts_text, sent_text, synchronised_text

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
    write.add_argument("--submit", action="store_true",
                       help=_("also submit the district for review when the Centre takes the bundle: its "
                              "indicators, charter version and dossier"))
    write.add_argument("--note", default="", help=_("with --submit: a note for the advisors"))
    write.add_argument("--without-dossier", action="store_true", help=_("with --submit: leave the dossier out"))
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

    from ssd_starter.core.errors import UserError
    from ssd_starter.i18n import N_
    from ssd_starter.sync.bundle import write_bundle
    from ssd_starter.sync.identity import load_or_create

    if (args.note or args.without_dossier) and not args.submit:
        raise UserError(N_("--note and --without-dossier go with --submit."))
    if args.with_dossier and args.without_dossier:
        raise UserError(N_("Choose --with-dossier or --without-dossier, not both."))
    store, district = open_district(args.district)
    dossier = draft = None
    if args.submit:
        from ssd_starter.sync.client import submission_draft

        draft = submission_draft(store, district.id, note=args.note,
                                 dossier=None if args.without_dossier else _dossier_bytes(store, district.id))
    elif args.with_dossier:
        from ssd_starter.export.dossier import DossierOptions, write_dossier

        dossier = write_dossier(store, district.id, Path(tempfile.mkdtemp()) / "dossier.pdf",
                                DossierOptions(language=current_language()))
    manifest = write_bundle(store, district.id, args.out, load_or_create(), since=args.since, dossier=dossier,
                            submission=draft)
    return emit(args, manifest, _written_lines(args.out, manifest))


def _written_lines(path: Path, manifest: dict[str, Any]) -> Iterator[str]:
    yield ngettext("Wrote {path}: {count} change, sequence {first}–{last}.",
                   "Wrote {path}: {count} changes, sequence {first}–{last}.",
                   manifest["counts"]["changes"]).format(
        path=path, count=manifest["counts"]["changes"], first=manifest["sequence"]["first"],
        last=manifest["sequence"]["last"])
    if "submission" in manifest:
        yield _("It submits the district for review ({id}) when the Centre takes it (ssd-starter centre import, "
                "or the review area).").format(id=manifest["submission"]["id"][:8])
    replies = manifest["counts"].get("replies", 0)
    if replies:
        yield ngettext("{count} reply, resolution or new thread for the Centre's advisors goes with it.",
                       "{count} replies, resolutions and new threads for the Centre's advisors go with it.",
                       replies).format(count=replies)


def cmd_bundle_verify(args: argparse.Namespace) -> int:
    from ssd_starter.sync.bundle import verify_bundle_file
    from ssd_starter.sync.reply import is_reply_bundle, verify_reply

    if is_reply_bundle(args.file):
        reply = verify_reply(args.file.read_bytes(), None)
        return emit(args, {**reply.manifest, "signer": reply.signer}, [
            _("Valid reply from the Centre for {district}: {submissions}, {threads}, signed by {fingerprint}.").format(
                district=reply.manifest["district"]["name"], fingerprint=reply.signer,
                submissions=ngettext("{count} submission", "{count} submissions", len(reply.snapshot.submissions))
                .format(count=len(reply.snapshot.submissions)),
                threads=ngettext("{count} thread", "{count} threads", len(reply.snapshot.threads)).format(
                    count=len(reply.snapshot.threads)))])
    bundle = verify_bundle_file(args.file)
    return emit(args, {**bundle.manifest, "signer": bundle.signer}, [
        ngettext("Valid bundle for {district}: {count} change, signed by {fingerprint}.",
                 "Valid bundle for {district}: {count} changes, signed by {fingerprint}.",
                 bundle.manifest["counts"]["changes"]).format(
            district=bundle.manifest["district"]["name"], count=bundle.manifest["counts"]["changes"],
            fingerprint=bundle.signer)])


def cmd_bundle_import(args: argparse.Namespace) -> int:
    from ssd_starter.sync.bundle import import_bundle
    from ssd_starter.sync.reply import is_reply_bundle

    store = open_store()
    if is_reply_bundle(args.file):
        return _import_reply(args, store)
    bundle, report = import_bundle(store, args.file)
    return emit(args, {"district": bundle.district_id, "signer": bundle.signer,
                       "first_contact": bundle.first_contact, **report.__dict__},
                _import_lines(bundle, report.__dict__))


def _import_reply(args: argparse.Namespace, store: Any) -> int:
    from ssd_starter.sync.reply import import_reply_bundle, imported_lines

    reply, report = import_reply_bundle(store, args.file)
    return emit(args, {"kind": "reply", "district": reply.district_id, "signer": reply.signer,
                       "first_contact": reply.first_contact, **report.__dict__}, imported_lines(reply, report))



def _import_lines(bundle: VerifiedBundle, counts: dict[str, Any]) -> Iterator[str]:
    if bundle.first_contact:  # trust on first use: the person compares the fingerprint with the sender's
        yield _("First bundle from {district}: its key {fingerprint} is now trusted for it. Check the fingerprint "
                "with the sender.").format(district=bundle.manifest["district"]["name"], fingerprint=bundle.signer)
    if counts.get("already_here"):
        yield _("Nothing new: everything in this bundle is here already (through the Centre or an earlier "
                "bundle).")
        return
    yield import_counts_text(**{k: counts[k] for k in ("inserted", "updated", "unchanged", "conflicts")})
    if counts.get("waiting"):
        yield _waiting_line(counts["waiting"])


def _waiting_line(count: int) -> str:
    return ngettext("{count} record waits for a record it needs, from a device that has not synced yet.",
                    "{count} records wait for records they need, from a device that has not synced yet.",
                    count).format(count=count)


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
            print(sent_text(done, total), file=sys.stderr)

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
    from ssd_starter.core.review import STATE_LABELS

    yield synchronised_text(report.pushed, report.comments)
    if report.pulled:
        yield ngettext("{count} record received from the district's other devices.",
                       "{count} records received from the district's other devices.", report.pulled).format(
            count=report.pulled)
    if report.clashes:
        yield ngettext("{count} edit made here clashed with another device's: see Edits that clashed.",
                       "{count} edits made here clashed with another device's: see Edits that clashed.",
                       report.clashes).format(count=report.clashes)
    if report.waiting:
        yield _waiting_line(report.waiting)
    yield from (_("New training pack installed: {pack}").format(pack=pack) for pack in report.packs)
    if report.submitted:
        yield _("Submitted for review: {id}.").format(id=report.submitted[:8])
    if report.replies_sent:
        yield ngettext("{count} reply sent to the Centre.", "{count} replies sent to the Centre.",
                       report.replies_sent).format(count=report.replies_sent)
    for reason in report.replies_refused:
        yield _("The Centre refused a reply: {reason}").format(reason=reason)
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


# -- review -----------------------------------------------------------------------------------

def add_review(commands: Commands) -> None:
    review = commands.add_parser("review", help=_("what the Centre said about the district, read offline, and "
                                                  "the replies to send with the next sync"))
    actions = add_actions(review)
    show = actions.add_parser("show", help=_("print the latest review state and the threads"))
    add_district_argument(show)
    add_json_option(show, _("print the review state as JSON"))
    show.set_defaults(run=cmd_review_show)
    reply = actions.add_parser("reply", help=_("reply to a thread (sent with the next sync)"))
    reply.add_argument("thread", help=_("the thread's id or the start of it"))
    add_district_argument(reply)
    reply.add_argument("--text", required=True, help=_("the reply"))
    reply.set_defaults(run=cmd_review_reply)
    resolve = actions.add_parser("resolve", help=_("mark a thread you opened as resolved (sent with the next "
                                                   "sync)"))
    resolve.add_argument("thread", help=_("the thread's id or the start of it"))
    add_district_argument(resolve)
    resolve.set_defaults(run=cmd_review_resolve)
    opened = actions.add_parser("open", help=_("start a thread about a record or a charter section (sent with "
                                               "the next sync)"))
    add_district_argument(opened)
    about = opened.add_mutually_exclusive_group(required=True)
    about.add_argument("--record", metavar="TABLE:ID", help=_("the record, e.g. stakeholder:ID or flow:ID"))
    about.add_argument("--section", help=_("the charter section's step, e.g. purpose or governance"))
    opened.add_argument("--text", required=True, help=_("the first message"))
    opened.set_defaults(run=cmd_review_open)


def cmd_review_show(args: argparse.Namespace) -> int:
    from ssd_starter.store.review import record_labels, review_document

    store, district = open_district(args.district)
    document = review_document(store, district.id)
    return emit(args, document, _review_lines(document, record_labels(store, district.id)))


def _review_lines(document: dict[str, Any], labels: dict[str, str]) -> Iterator[str]:
    from ssd_starter.core.review import state_label
    from ssd_starter.i18n import format_datetime

    def when(text: str | None) -> str:
        import datetime as dt

        return format_datetime(dt.datetime.fromisoformat(text), style="short") if text else "—"

    if document["as_of"] is None and not document["threads"]:
        yield _("Nothing from the Centre yet: sync, or import the Centre's reply bundle.")
        return
    if document["as_of"] is not None:
        yield _("The Centre's review as of {when}:").format(when=when(document["as_of"]))
    for submission in document["submissions"]:
        answers = _(" (answers {id})").format(id=submission["previous_id"][:8]) if submission["previous_id"] else ""
        yield _("Submission {id} of {when}: {state}").format(
            id=submission["id"][:8], when=when(submission["received_at"]),
            state=state_label(submission["state"])) + answers
        for event in submission["history"]:
            if event["advisor"]:
                comment = f": {event['comment']}" if event["comment"] else ""
                yield "  " + _("{when} {advisor} → {state}").format(
                    when=when(event["at"]), advisor=event["by"], state=state_label(event["state"])) + comment
    for thread in document["threads"]:
        yield from _thread_lines(thread, labels, when)


def _thread_lines(thread: dict[str, Any], labels: dict[str, str], when: Any) -> Iterator[str]:
    from ssd_starter.core.vocabulary import TABLE_LABELS

    about = labels.get(thread["row_id"]) or labels.get(thread["anchor_id"]) \
        or _(TABLE_LABELS.get(thread["anchor_table"], thread["anchor_table"]))
    state = _("open") if thread["open"] else _("resolved")
    opener = thread["opened_by"] or _("you")
    yield _("[{state}] thread {id} about {about}, opened by {who}").format(
        state=state, id=thread["id"][:8], about=about, who=opener)
    if not thread["sent"]:
        yield "    " + _("(you opened it here: it goes with the next sync)")
    for message in thread["messages"]:
        author = _("you") if message["by_district"] else message["author"]
        yield "    " + _("{author}, {when}: {text}").format(author=author, when=when(message["created_at"]),
                                                            text=message["text"])
    for entry in thread["pending"]:
        waiting = (_("refused by the Centre: {reason}").format(reason=entry["refused"]) if entry["refused"]
                   else _("waiting for the next sync"))
        if entry["action"] == "reply":
            yield "    " + _("you ({waiting}): {text}").format(waiting=waiting, text=entry["text"])
        else:
            yield "    " + _("you marked it resolved ({waiting})").format(waiting=waiting)


def _find_thread(store: Any, district_id: str, key: str) -> dict[str, Any]:
    from ssd_starter.core.errors import NotFound
    from ssd_starter.i18n import N_
    from ssd_starter.store.review import list_threads

    key = key.strip().lower()
    found = [t for t in list_threads(store, district_id) if key and t["id"].startswith(key)]
    if len(found) != 1:
        raise NotFound(N_("There is no thread {key} for this district.") if not found else
                       N_("Several threads start with {key}: give more of the id."), key=key)
    return found[0]


def cmd_review_reply(args: argparse.Namespace) -> int:
    from ssd_starter.store.review import QueueReply

    store, district = open_district(args.district)
    thread = _find_thread(store, district.id, args.thread)
    store.apply(QueueReply(district.id, thread["id"], args.text))
    print(_("Reply kept: it goes to the Centre with the next sync."))
    return 0


def cmd_review_resolve(args: argparse.Namespace) -> int:
    from ssd_starter.store.review import QueueResolve

    store, district = open_district(args.district)
    thread = _find_thread(store, district.id, args.thread)
    store.apply(QueueResolve(district.id, thread["id"]))
    print(_("Marked resolved: the Centre learns it with the next sync."))
    return 0


def cmd_review_open(args: argparse.Namespace) -> int:
    from ssd_starter.core.errors import UserError
    from ssd_starter.i18n import N_
    from ssd_starter.store.review import QueueThread

    store, district = open_district(args.district)
    if args.section:
        edit = QueueThread(district.id, "section", "charter_section", args.section.strip(), args.text)
    else:
        table, _sep, record = args.record.partition(":")
        if not table or not record:
            raise UserError(N_("Name the record as TABLE:ID, e.g. stakeholder:0190…"))
        edit = QueueThread(district.id, "record", table.strip(), record.strip(), args.text)
    store.apply(edit)
    print(_("Thread {id} kept: it goes to the Centre with the next sync.").format(id=edit.thread_id[:8]))
    return 0
