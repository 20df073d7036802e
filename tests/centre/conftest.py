"""The Centre's fixtures: the real uvicorn server and PostgreSQL 15 of tests/sync, and advisors signed in."""

from tests.sync.conftest import (  # noqa: F401 - fixtures, found by pytest under these names
    centre,
    database_url,
    hostile,
    postgres_admin_url,
    postgres_url,
)
