"""What an import of a bundle and a sync with the Centre report, worded once for the window and the command
line: each count is a plural of its own (ngettext), so "1 conflict" and "2 conflicts" both read right."""

from __future__ import annotations

from ssd_starter.i18n import _, ngettext


def import_counts_text(*, inserted: int, updated: int, unchanged: int, conflicts: int) -> str:
    parts = [ngettext("{count} new", "{count} new", inserted).format(count=inserted),
             ngettext("{count} updated", "{count} updated", updated).format(count=updated),
             ngettext("{count} unchanged", "{count} unchanged", unchanged).format(count=unchanged),
             ngettext("{count} conflict to look at", "{count} conflicts to look at", conflicts).format(count=conflicts)]
    return _("Imported: {counts}.").format(counts=", ".join(parts))


def sent_text(done: int, total: int) -> str:
    return ngettext("Sent {done} of {total} change", "Sent {done} of {total} changes", total).format(
        done=done, total=total)


def synchronised_text(pushed: int, comments: int) -> str:
    return _("Synchronised: {sent}, {comments} from the Centre.").format(
        sent=ngettext("{count} change sent", "{count} changes sent", pushed).format(count=pushed),
        comments=ngettext("{count} new comment", "{count} new comments", comments).format(count=comments))
