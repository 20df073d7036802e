"""The Centre's advisors: accounts made on the server host (``centre advisor add``), a one-time sign-in code
that sets the password, and bearer sessions that expire.

Codes and passwords are kept only as argon2id hashes (argon2-cffi, OWASP's minimum: 19 MiB, two passes,
one lane — about 0.1 s here, so a sign-in costs the server little and a guess costs the guesser the same).
A session token is 256 random bits, kept as its SHA-256: nothing to slow down there. Ten wrong attempts
for one name lock it for fifteen minutes. Disabling an advisor ends its sessions at once, and every
request checks the account as well as the session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ssd_starter.centre.errors import Refusal
from ssd_starter.centre.tables import advisors, sessions
from ssd_starter.core.errors import NotFound, UserError
from ssd_starter.i18n import N_

ROLES = ("advisor", "admin")
NAME = re.compile(r"[^\W_](?:[\w .'’-]{0,98}[^\W_.])?")  # a person's name: letters and digits at both ends
CODE_LIFETIME = dt.timedelta(days=7)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or copied from paper
CODE_LENGTH = 12  # 60 bits, shown in groups of four
SESSION_LIFETIME = dt.timedelta(hours=12)
SESSION_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
MIN_PASSWORD, MAX_PASSWORD = 10, 200
MAX_FAILED = 10
LOCKED_FOR = dt.timedelta(minutes=15)
WRONG = N_("wrong name, code or password")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def utc(when: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back its UTC times without a zone; PostgreSQL with one."""
    return when.replace(tzinfo=dt.UTC) if when is not None and when.tzinfo is None else when


@cache
def _hasher():  # -> argon2.PasswordHasher
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so an unknown name takes as long as a wrong password."""
    return _hasher().hash(secrets.token_hex(16))


def _verify(stored: str | None, given: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored or _dummy_hash(), given)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Advisor:
    id: str
    name: str
    role: str
    created_at: dt.datetime
    disabled: bool
    has_password: bool
    code_expires_at: dt.datetime | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "created_at": self.created_at.isoformat(),
                "disabled": self.disabled, "has_password": self.has_password,
                "code_expires_at": self.code_expires_at.isoformat() if self.code_expires_at else None}


@dataclass(frozen=True)
class IssuedCode:
    advisor: Advisor
    code: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: dt.datetime
    advisor: Advisor


def _advisor(row: Any) -> Advisor:
    created = utc(row.created_at)
    assert created is not None  # NOT NULL
    return Advisor(str(row.id), str(row.name), str(row.role), created, row.disabled_at is not None,
                   row.password_hash is not None, utc(row.code_expires_at))


def _new_code() -> str:
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(CODE_LENGTH // 4))


def _plain_code(code: str) -> str:
    """What was typed, as it was issued: capitals, without the dashes and spaces people add or drop."""
    letters = "".join(c for c in code.upper() if c not in "- ")
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


# -- accounts (the server host's command line) ------------------------------------------------

def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not NAME.fullmatch(name):
        raise UserError(N_("An advisor's name is 1 to 100 letters, digits, spaces, dots, dashes or apostrophes, "
                           "starting and ending with a letter or digit."))
    return name


def add_advisor(engine: Engine, name: str, role: str = "advisor", *,
                valid_for: dt.timedelta = CODE_LIFETIME) -> IssuedCode:
    """A new account with a one-time sign-in code (only its hash is kept: print it now or never)."""
    name = check_name(name)
    if role not in ROLES:
        raise UserError(N_("A role is advisor or admin, not {role}."), role=role)
    code, issued = _new_code(), now()
    try:
        with engine.begin() as conn:
            conn.execute(advisors.insert().values(
                id=secrets.token_hex(16), name=name, role=role, code_hash=_hasher().hash(code),
                code_expires_at=issued + valid_for, created_at=issued, failed_sign_ins=0))
    except sa.exc.IntegrityError:
        raise UserError(N_("There is already an advisor called {name}."), name=name) from None
    return IssuedCode(find_advisor(engine, name), code, issued + valid_for)


def reset_advisor(engine: Engine, name: str, *, valid_for: dt.timedelta = CODE_LIFETIME) -> IssuedCode:
    """A forgotten password: a new sign-in code, the old password and every session gone."""
    advisor = find_advisor(engine, name)
    code, issued = _new_code(), now()
    with engine.begin() as conn:
        conn.execute(advisors.update().where(advisors.c.id == advisor.id).values(
            password_hash=None, code_hash=_hasher().hash(code), code_expires_at=issued + valid_for,
            failed_sign_ins=0, locked_until=None))
        conn.execute(sessions.delete().where(sessions.c.advisor_id == advisor.id))
    return IssuedCode(find_advisor(engine, name), code, issued + valid_for)


def disable_advisor(engine: Engine, name: str) -> Advisor:
    """The account can no longer sign in, and its sessions end now (not when they expire)."""
    advisor = find_advisor(engine, name)
    with engine.begin() as conn:
        conn.execute(advisors.update().where(advisors.c.id == advisor.id, advisors.c.disabled_at.is_(None))
                     .values(disabled_at=now()))
        conn.execute(sessions.delete().where(sessions.c.advisor_id == advisor.id))
    return find_advisor(engine, name)


def list_advisors(engine: Engine) -> list[Advisor]:
    with engine.connect() as conn:
        return [_advisor(row) for row in conn.execute(sa.select(advisors).order_by(advisors.c.name))]


def find_advisor(engine: Engine, name: str) -> Advisor:
    with engine.connect() as conn:
        row = conn.execute(sa.select(advisors).where(advisors.c.name == " ".join(name.split()))).first()
    if row is None:
        raise NotFound(N_("There is no advisor called {name}."), name=name)
    return _advisor(row)


def active_advisor(engine: Engine, name: str) -> Advisor:
    advisor = find_advisor(engine, name)
    if advisor.disabled:
        raise UserError(N_("The advisor {name} is disabled."), name=advisor.name)
    return advisor


# -- signing in (the HTTP API) ----------------------------------------------------------------

def sign_in(engine: Engine, name: str, *, password: str | None = None, code: str | None = None,
            new_password: str | None = None, lifetime: dt.timedelta = SESSION_LIFETIME) -> Session:
    """A session for the advisor: with the password, or — the first time, or after a reset — with the sign-in
    code and the password to set. Every failure of name, code or password says the same thing."""
    if code is not None and not (new_password and MIN_PASSWORD <= len(new_password) <= MAX_PASSWORD):
        raise Refusal(422, N_("choose a password of {low} to {high} characters"), low=MIN_PASSWORD,
                      high=MAX_PASSWORD)
    with engine.connect() as conn:
        row = conn.execute(sa.select(advisors).where(advisors.c.name == " ".join(name.split()))).first()
    if row is None or row.disabled_at is not None:
        _verify(None, password or code or "")  # as long as a real attempt
        raise Refusal(401, WRONG)
    locked = utc(row.locked_until)
    if locked is not None and locked > now():
        raise Refusal(429, N_("too many failed sign-ins: try again in {minutes} min"),
                      minutes=max(1, int((locked - now()).total_seconds() // 60) + 1))
    if code is not None:
        _use_code(engine, row, code, new_password or "")
    elif password is None or not _verify(row.password_hash, password):
        _count_failure(engine, row.id)
        raise Refusal(401, WRONG)
    else:
        _signed_in(engine, row.id, password if _hasher().check_needs_rehash(row.password_hash) else None)
    return _new_session(engine, row.id, lifetime)


def _use_code(engine: Engine, row: Any, code: str, new_password: str) -> None:
    if not _verify(row.code_hash, _plain_code(code)):
        _count_failure(engine, row.id)
        raise Refusal(401, WRONG)
    expires = utc(row.code_expires_at)
    if expires is None or expires <= now():
        raise Refusal(401, N_("this sign-in code has expired: ask an administrator of the Centre for a new one"))
    with engine.begin() as conn:  # one use: only the request that still finds this code hash sets the password
        used = conn.execute(advisors.update().where(advisors.c.id == row.id, advisors.c.code_hash == row.code_hash)
                            .values(password_hash=_hasher().hash(new_password), code_hash=None,
                                    code_expires_at=None, failed_sign_ins=0, locked_until=None)).rowcount
    if used != 1:
        raise Refusal(401, WRONG)


def _count_failure(engine: Engine, advisor_id: str) -> None:
    """One more failure, in the database itself (two processes counting at once both count); the tenth
    locks the name for a while and starts the count again."""
    with engine.begin() as conn:
        conn.execute(advisors.update().where(advisors.c.id == advisor_id)
                     .values(failed_sign_ins=advisors.c.failed_sign_ins + 1))
        conn.execute(advisors.update().where(advisors.c.id == advisor_id,
                                             advisors.c.failed_sign_ins >= MAX_FAILED)
                     .values(failed_sign_ins=0, locked_until=now() + LOCKED_FOR))


def _signed_in(engine: Engine, advisor_id: str, rehash: str | None) -> None:
    values: dict[str, Any] = {"failed_sign_ins": 0, "locked_until": None}
    if rehash is not None:  # hashed with older parameters: stored again with today's
        values["password_hash"] = _hasher().hash(rehash)
    with engine.begin() as conn:
        conn.execute(advisors.update().where(advisors.c.id == advisor_id).values(**values))


def _new_session(engine: Engine, advisor_id: str, lifetime: dt.timedelta) -> Session:
    token, started = secrets.token_urlsafe(32), now()
    with engine.begin() as conn:
        conn.execute(sessions.delete().where(sessions.c.expires_at < started))  # the expired ones, of anyone
        conn.execute(sessions.insert().values(token_hash=_token_hash(token), advisor_id=advisor_id,
                                              created_at=started, expires_at=started + lifetime))
        row = conn.execute(sa.select(advisors).where(advisors.c.id == advisor_id)).one()
    return Session(token, started + lifetime, _advisor(row))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def change_password(engine: Engine, advisor: Advisor, password: str, new_password: str, *, keep: str) -> None:
    """The advisor's own password changed, given the current one; every other session of the account ends (a
    password that leaked may have opened them), the session ``keep`` (the one asking) stays."""
    if not MIN_PASSWORD <= len(new_password) <= MAX_PASSWORD:
        raise Refusal(422, N_("choose a password of {low} to {high} characters"), low=MIN_PASSWORD,
                      high=MAX_PASSWORD)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(advisors.c.password_hash).where(advisors.c.id == advisor.id)).scalar()
    if not _verify(stored, password):
        _count_failure(engine, advisor.id)
        raise Refusal(403, N_("the current password is not this one"))
    with engine.begin() as conn:
        conn.execute(advisors.update().where(advisors.c.id == advisor.id).values(
            password_hash=_hasher().hash(new_password), failed_sign_ins=0))
        conn.execute(sessions.delete().where(sessions.c.advisor_id == advisor.id,
                                             sessions.c.token_hash != _token_hash(keep)))


def session_advisor(engine: Engine, token: str) -> Advisor | None:
    """The advisor whose unexpired session this is, if the account is still enabled; else None."""
    if not SESSION_TOKEN.fullmatch(token):
        return None
    with engine.connect() as conn:
        row = conn.execute(sa.select(advisors).join(sessions, sessions.c.advisor_id == advisors.c.id).where(
            sessions.c.token_hash == _token_hash(token), sessions.c.expires_at > now(),
            advisors.c.disabled_at.is_(None))).first()
    return _advisor(row) if row is not None else None


def sign_out(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(sessions.delete().where(sessions.c.token_hash == _token_hash(token)))
