"""The Centre's review as the desktop app's review area uses it: the districts received with their summaries,
a district's records, the advisors' comments on them, and bundles received from a stick.

``ReviewService`` is the only thing the GUI holds. Its interface is small on purpose — ``open``,
``districts``, ``records``, ``comments``, ``add_comment``, ``resolve_comment``, ``receive_bundle_files``,
``close`` — and speaks only in the frozen dataclasses below and in ``UserError``s with translatable
messages: no engine, no SQLAlchemy type, no exception of the database crosses it. Today it opens the
Centre's database itself (the one ``centre serve`` uses, SQLite or PostgreSQL); the next step can put an
HTTP client of the Centre's API (``centre/app.py``) behind the same methods without the GUI changing.
Keep it that way: a new need of the GUI is a new method returning plain values, never a way in to the
database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ssd_starter.centre import store as centre_store
from ssd_starter.core.errors import NotFound, UserError
from ssd_starter.core.summary import DistrictSummary
from ssd_starter.i18n import N_
from ssd_starter.settings import data_dir

REVIEWED_TABLES = ("stakeholder", "flow", "canvas_item")  # what an advisor reads and comments on
MAX_AUTHOR = 200  # the Centre's column
MAX_COMMENT = 4000  # a comment is a remark on one record, not a report
SCHEMES = ("sqlite", "postgresql")


@dataclass(frozen=True)
class ReviewedDistrict:
    """A district the Centre holds rows of, with the summary its own dossier shows."""

    id: str
    name: str
    fingerprint: str | None
    last_received: dt.datetime | None
    actors: int
    flows: int
    summary: DistrictSummary


@dataclass(frozen=True)
class ReceivedRecord:
    """One record as received from the district, named as a reader would name it."""

    id: str
    table: str
    label: str


@dataclass(frozen=True)
class ReviewComment:
    id: str
    district_id: str
    table: str
    row_id: str
    author: str
    text: str
    created_at: dt.datetime
    resolved: bool


@dataclass(frozen=True)
class ReceiveReport:
    """Which files were received, and why each of the others was not (one refusal does not stop the rest)."""

    received: tuple[str, ...]
    refused: tuple[UserError, ...]


def default_location() -> str:
    """The Centre's database when none is given: a SQLite file in this installation's data folder."""
    return f"sqlite:///{data_dir() / 'centre.sqlite'}"


def database_url(location: str) -> str:
    """The URL for what the user wrote: empty for the default, a file path for a SQLite file, or an
    ``sqlite:`` or ``postgresql:`` URL."""
    location = location.strip()
    if not location:
        return default_location()
    if "://" not in location:
        return f"sqlite:///{Path(location).expanduser().resolve()}"
    scheme = location.split("://", 1)[0].split("+", 1)[0].lower()
    if scheme not in SCHEMES:
        raise UserError(N_("The Centre's database is a file, or an address starting with sqlite:/// or "
                           "postgresql://."))
    return location


class ReviewService:
    """The Centre's review for one advisor (see the module's docstring: keep this interface small)."""

    def __init__(self, engine: Engine) -> None:
        self._engine: Engine | None = engine
        # where it is, to show: the URL with its password hidden
        self.location = engine.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, location: str = "") -> ReviewService:
        """Open the Centre's database at ``location`` (``database_url``), its tables made if missing."""
        url = database_url(location)
        try:
            engine = centre_store.connect(url)
        except (sa.exc.SQLAlchemyError, OSError, ValueError, ImportError) as exc:
            # a wrong address, a server that does not answer, a password refused, a driver missing
            raise UserError(N_("Cannot open the Centre's database: {reason}"), reason=_reason(exc)) from None
        return cls(engine)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # -- reading ----------------------------------------------------------------------------

    def districts(self) -> list[ReviewedDistrict]:
        """Every district the Centre has received something from, by name."""
        with self._database() as engine:
            found = centre_store.overview(engine)
        return [ReviewedDistrict(d["district_id"], d["name"], d["fingerprint"], _utc(d["last_received"]),
                                 d["actors"], d["flows"], d["summary"]) for d in found]

    def records(self, district_id: str) -> list[ReceivedRecord]:
        """The district's live actors, flows and canvas cards, each kind sorted by its label."""
        result: list[ReceivedRecord] = []
        with self._database() as engine:
            for table in REVIEWED_TABLES:
                live = [r for r in centre_store.district_rows(engine, district_id, table) if not r.get("deleted")]
                result += sorted((ReceivedRecord(str(r["id"]), table, _label(r)) for r in live),
                                 key=lambda record: record.label.casefold())
        return result

    def comments(self, district_id: str) -> list[ReviewComment]:
        """The advisors' comments on the district, oldest first, resolved ones too."""
        with self._database() as engine:
            return [_comment(c) for c in centre_store.all_comments(engine, district_id)]

    # -- writing ----------------------------------------------------------------------------

    def add_comment(self, district_id: str, table: str, row_id: str, author: str, text: str) -> ReviewComment:
        """A comment on one received record; it reaches the promoter at the district's next sync."""
        author, text = author.strip(), text.strip()
        if not (district_id and table and row_id and author and text):
            raise UserError(N_("Choose a record, and write your name and the comment."))
        if len(author) > MAX_AUTHOR:
            raise UserError(N_("A name is at most {limit} characters."), limit=MAX_AUTHOR)
        if len(text) > MAX_COMMENT:
            raise UserError(N_("A comment is at most {limit} characters."), limit=MAX_COMMENT)
        with self._database() as engine:
            if not centre_store.holds_row(engine, district_id, table, row_id):
                raise NotFound(N_("This record is not at the Centre (any more): receive the district's "
                                  "latest bundle."))
            return _comment(centre_store.add_comment(engine, district_id, table, row_id, author, text))

    def resolve_comment(self, comment_id: str) -> ReviewComment:
        """Mark a comment settled (comments are never edited); the comment as it is now."""
        with self._database() as engine:
            centre_store.resolve_comment(engine, comment_id)
            found = centre_store.get_comment(engine, comment_id)
        if found is None:
            raise NotFound(N_("This comment is not at the Centre."))
        return _comment(found)

    def receive_bundle_files(self, paths: Iterable[Path]) -> ReceiveReport:
        """Verify each bundle against the keys the Centre trusts and store its rows like a push."""
        from ssd_starter.sync.bundle import verify_bundle_file

        received: list[str] = []
        refused: list[UserError] = []
        for path in paths:
            try:
                with self._database() as engine:
                    bundle = verify_bundle_file(path, centre_store.pinned_keys(engine))
                    centre_store.receive_bundle(engine, bundle)
            except centre_store.Refused as exc:
                refused.append(UserError(N_("{path}: {reason}"), path=path.name, reason=_refusal(exc)))
            except UserError as exc:
                refused.append(UserError(N_("{path}: {reason}"), path=path.name, reason=exc))
            else:
                received.append(path.name)
        return ReceiveReport(tuple(received), tuple(refused))

    # -- helpers ----------------------------------------------------------------------------

    @contextmanager
    def _database(self) -> Iterator[Engine]:
        """The engine, with the database's own failures said as a refusal the advisor can read."""
        if self._engine is None:
            raise UserError(N_("Open the Centre's database first."))
        try:
            yield self._engine
        except sa.exc.SQLAlchemyError as exc:
            raise UserError(N_("The Centre's database did not answer: {reason}"), reason=_reason(exc)) from None


def _reason(exc: BaseException) -> str:
    """The first line of what went wrong, from the driver when there is one (SQLAlchemy adds SQL and links)."""
    inner = exc.orig if isinstance(exc, sa.exc.DBAPIError) and exc.orig is not None else exc
    text = str(inner).strip().splitlines()
    return (text[0] if text else type(inner).__name__)[:200]


def _refusal(exc: centre_store.Refused) -> UserError:
    """The Centre's refusals of a bundle (English, for its HTTP API) in the advisor's language."""
    if exc.status == 403 and "revoked" in exc.detail:
        return UserError(N_("This district's key was revoked at the Centre: its bundles are received again "
                            "once it has enrolled anew."))
    if exc.status == 403:
        return UserError(N_("It is signed by a different key from the one trusted for this district."))
    return UserError(N_("It holds records that belong to another district at the Centre."))


def _label(row: Mapping[str, Any]) -> str:
    return str(row.get("name") or row.get("description") or row.get("text") or row["id"])


def _utc(when: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back its UTC times without a zone; PostgreSQL with one."""
    return when.replace(tzinfo=dt.UTC) if when is not None and when.tzinfo is None else when


def _comment(row: Mapping[str, Any]) -> ReviewComment:
    created = _utc(row["created_at"])
    assert created is not None  # the column is NOT NULL
    return ReviewComment(str(row["id"]), str(row["district_id"]), str(row["table_name"]), str(row["row_id"]),
                         str(row["author"]), str(row["text"]), created, bool(row["resolved"]))
