"""A real Centre: uvicorn serving the FastAPI app on a free loopback port, on SQLite or PostgreSQL."""

import logging
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningCentre:
    def __init__(self, database_url: str) -> None:
        import uvicorn

        from ssd_starter.centre.app import create_app

        self.app = create_app(database_url)
        self.engine = self.app.state.engine
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "RunningCentre":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the Centre did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.engine.dispose()


@pytest.fixture
def centre(tmp_path):
    with RunningCentre(f"sqlite:///{tmp_path / 'centre.sqlite'}") as running:
        yield running


def _postgres_url() -> str | None:
    """Start Debian's PostgreSQL if it is installed but stopped; make the test role. None if impossible."""
    if not shutil.which("pg_ctlcluster"):
        return None
    password = "ssd-test"
    try:
        subprocess.run(["pg_ctlcluster", "15", "main", "start"], capture_output=True, timeout=60)
        subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-q", "-c",
                        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ssd') THEN "
                        f"CREATE ROLE ssd LOGIN PASSWORD '{password}' CREATEDB; END IF; END $$;"],
                       capture_output=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return f"postgresql://ssd:{password}@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def postgres_admin_url():
    url = os.environ.get("SSD_TEST_POSTGRES") or _postgres_url()
    if url is None:
        pytest.skip("PostgreSQL 15 is not installed here and cannot be started (make test installs it on Debian)")
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure to connect means: skip, and say why
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    return url


@pytest.fixture
def postgres_url(postgres_admin_url):
    """A database of its own for one test, dropped afterwards."""
    import sqlalchemy as sa

    name = f"ssd_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(postgres_admin_url.replace("postgresql://", "postgresql+psycopg://"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield postgres_admin_url.rsplit("/", 1)[0] + f"/{name}"
    for attempt in range(20):
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            break
        except sa.exc.ProgrammingError:
            # an autovacuum worker on the new database: FORCE may not end it (it is not the test role's); it
            # finishes within moments
            if attempt == 19:
                raise
            time.sleep(0.5)
    admin.dispose()


# -- a Centre whose server errors are collected -----------------------------------------------

class ServerErrors(logging.Handler):
    """Every record uvicorn logs at ERROR or with a traceback (an unhandled exception in the app)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)

    def tracebacks(self) -> list[str]:
        return [self.format(r) for r in self.records]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'centre.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def hostile(database_url) -> Iterator[RunningCentre]:
    """A running Centre; the test fails if the server logged a traceback."""
    errors = ServerErrors()
    with RunningCentre(database_url) as running:
        logger = logging.getLogger("uvicorn.error")  # configured by uvicorn when the server was made
        logger.addHandler(errors)
        running.errors = errors  # type: ignore[attr-defined]
        try:
            yield running
        finally:
            logger.removeHandler(errors)
    assert errors.tracebacks() == []
