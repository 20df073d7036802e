"""The Centre's configuration, from the environment (a server is started by systemd, Docker or a shell
script, not by a person typing options), with its secrets in a file and never on a command line, where every
user of the machine can read them (``ps``, ``/proc/*/cmdline``).

    SSD_CENTRE_DATABASE_URL    postgresql://user@host/db or sqlite:///FILE (default: a SQLite file in the
                               data folder)
    SSD_CENTRE_SECRETS_FILE    a file of NAME=value lines, readable by the server's user alone, holding
                               SSD_CENTRE_DATABASE_URL and/or SSD_CENTRE_DATABASE_PASSWORD (the password
                               put into the URL)
    SSD_CENTRE_DATABASE_PASSWORD_FILE
                               a file holding the database's password alone (Docker's and systemd's
                               secrets, the same file PostgreSQL's image reads)
    SSD_CENTRE_SESSION_HOURS   how long an advisor's sign-in lasts (default 12)
    SSD_CENTRE_LOG_FORMAT      json (default) or text
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_

DATABASE_URL = "SSD_CENTRE_DATABASE_URL"
DATABASE_PASSWORD = "SSD_CENTRE_DATABASE_PASSWORD"
SECRETS_FILE = "SSD_CENTRE_SECRETS_FILE"
PASSWORD_FILE = "SSD_CENTRE_DATABASE_PASSWORD_FILE"
SESSION_HOURS = "SSD_CENTRE_SESSION_HOURS"
LOG_FORMAT = "SSD_CENTRE_LOG_FORMAT"
SECRETS = (DATABASE_URL, DATABASE_PASSWORD)  # what a secrets file may hold
MAX_SECRETS_FILE = 64 * 1024


@dataclass(frozen=True)
class CentreConfig:
    database_url: str
    session_lifetime: dt.timedelta = dt.timedelta(hours=12)
    log_format: str = "json"
    warnings: tuple[str, ...] = ()  # English, for the server's log (a secrets file others can read)


def default_database_url() -> str:
    """A SQLite file in the data folder (made if missing): a Centre on one laptop needs nothing more."""
    from ssd_starter.settings import data_dir

    data_dir().mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir() / 'centre.sqlite'}"


def from_environment(environ: Mapping[str, str] | None = None, *, database_url: str | None = None) -> CentreConfig:
    """The configuration the environment describes; ``database_url`` (a command line's ``--db``) first."""
    environ = os.environ if environ is None else environ
    secrets: dict[str, str] = {}
    warnings: list[str] = []
    if environ.get(SECRETS_FILE):
        path = Path(environ[SECRETS_FILE])
        secrets = read_secrets(path)
        if _readable_by_everyone(path):
            warnings.append(f"the secrets file {path} can be read by every user of this computer: chmod o-r it")
    url = database_url or environ.get(DATABASE_URL) or secrets.get(DATABASE_URL) or default_database_url()
    password = secrets.get(DATABASE_PASSWORD) or environ.get(DATABASE_PASSWORD)
    if not password and environ.get(PASSWORD_FILE):
        password = _read_text(Path(environ[PASSWORD_FILE])).strip()
    if password:
        url = with_password(url, password)
    return CentreConfig(url, _session_lifetime(environ.get(SESSION_HOURS, "")),
                        _log_format(environ.get(LOG_FORMAT, "")), tuple(warnings))


def _read_text(path: Path) -> str:
    """A secrets file's text, bounded; its failures said as refusals."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_SECRETS_FILE + 1)
    except OSError as exc:
        raise UserError(N_("Cannot read the Centre's secrets file {path}: {reason}"), path=str(path),
                        reason=exc.strerror or str(exc)) from None
    if len(data) > MAX_SECRETS_FILE:
        raise UserError(N_("The Centre's secrets file {path} is too large to be one."), path=str(path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(N_("The Centre's secrets file {path} is not UTF-8 text."), path=str(path)) from None


def read_secrets(path: Path) -> dict[str, str]:
    """``NAME=value`` lines; blank lines and ``#`` comments skipped; quotes around a value taken off."""
    text = _read_text(path)
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        name, value = name.strip().removeprefix("export ").strip(), value.strip()
        if not equals or not name:
            raise UserError(N_("Line {line} of {path} is not NAME=value."), line=number, path=str(path))
        if name not in SECRETS:
            raise UserError(N_("{path}, line {line}: {name} is not a setting of the Centre (it takes {known})."),
                            path=str(path), line=number, name=name[:60], known=", ".join(SECRETS))
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        found[name] = value
    return found


def _readable_by_everyone(path: Path) -> bool:
    """Group-readable is how a service reads it (root:ssd-centre 0640); readable by all is a leak."""
    try:
        return bool(path.stat().st_mode & stat.S_IROTH)
    except OSError:
        return False


def with_password(url: str, password: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=password).render_as_string(hide_password=False)


def has_password(url: str) -> bool:
    """Whether a URL carries a password (a command line's ``--db`` should not)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return bool(make_url(url).password)
    except (ArgumentError, ValueError):
        return False


def shown(url: str) -> str:
    """The URL as a log or a message may show it: the password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "?"


def _session_lifetime(text: str) -> dt.timedelta:
    if not text.strip():
        return dt.timedelta(hours=12)
    try:
        hours = float(text)
    except ValueError:
        hours = -1
    if not 0.01 <= hours <= 24 * 30:
        raise UserError(N_("{name} is a number of hours from 0.01 to 720, not {value}."), name=SESSION_HOURS,
                        value=text[:40])
    return dt.timedelta(hours=hours)


def _log_format(text: str) -> str:
    text = text.strip().lower() or "json"
    if text not in ("json", "text"):
        raise UserError(N_("{name} is json or text, not {value}."), name=LOG_FORMAT, value=text[:40])
    return text
