"""Advisors' accounts and sessions on a real Centre (SQLite and PostgreSQL 15): a one-time code sets the
password, passwords and codes are kept only as argon2id hashes, sessions expire or end, guessing locks."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
import sqlalchemy as sa

from ssd_starter.centre import advisors as accounts
from ssd_starter.centre.errors import Refusal
from ssd_starter.centre.tables import advisors, sessions
from ssd_starter.core.errors import NotFound, UserError
from tests.centre.helpers import TIMEOUT, advisor_call, sign_in


def post_sign_in(centre, **body) -> httpx.Response:
    """JSON with every non-ASCII character escaped, as a hostile client may send a lone surrogate."""
    return httpx.post(centre.url + "/v1/advisor/sign-in", content=json.dumps(body), timeout=TIMEOUT,
                      headers={"content-type": "application/json"})


def test_a_code_sets_the_password_once_then_the_password_signs_in(hostile):
    issued = accounts.add_advisor(hostile.engine, "  Anna   Rossi ", "admin")
    assert issued.advisor.name == "Anna Rossi" and issued.advisor.role == "admin"
    assert len(issued.code) == 14 and issued.code.count("-") == 2 and not issued.advisor.has_password
    assert dt.timedelta(days=7) - (issued.expires_at - accounts.now()) < dt.timedelta(minutes=1)
    assert post_sign_in(hostile, name="Anna Rossi", code=issued.code).status_code == 422  # no new password
    assert post_sign_in(hostile, name="Anna Rossi", code=issued.code, new_password="short").status_code == 422
    first = post_sign_in(hostile, name="Anna Rossi", code=issued.code.lower().replace("-", " "),
                         new_password="una password lunga")  # as people type it back
    assert first.status_code == 200, first.text
    session = first.json()
    assert session["token_type"] == "bearer" and session["advisor"]["has_password"]
    assert advisor_call(hostile, session["token"], "GET", "/v1/advisor/me").json()["name"] == "Anna Rossi"
    again = post_sign_in(hostile, name="Anna Rossi", code=issued.code, new_password="un'altra password")
    assert again.status_code == 401  # the code is used up
    assert post_sign_in(hostile, name="Anna Rossi", password="un'altra password").status_code == 401
    assert post_sign_in(hostile, name="Anna Rossi", password="una password lunga").status_code == 200


def test_only_argon2id_hashes_are_kept(database_url):
    from ssd_starter.centre.store import connect

    engine = connect(database_url)
    try:
        issued = accounts.add_advisor(engine, "Anna")
        session = accounts.sign_in(engine, "Anna", code=issued.code, new_password="una password lunga")
        with engine.connect() as conn:
            row = conn.execute(sa.select(advisors)).one()
            stored = " ".join(str(v) for v in row) + " ".join(str(v) for v in conn.execute(sa.select(sessions)).one())
        assert row.password_hash.startswith("$argon2id$") and row.code_hash is None
        assert "una password lunga" not in stored and session.token not in stored
        assert issued.code.replace("-", "") not in stored.replace("-", "")
    finally:
        engine.dispose()


def test_unknown_names_wrong_passwords_and_used_codes_all_say_the_same(hostile):
    sign_in(hostile, "Anna", password="una password lunga")
    answers = [post_sign_in(hostile, name="Nessuno", password="una password lunga"),
               post_sign_in(hostile, name="Anna", password="sbagliata!!"),
               post_sign_in(hostile, name="Anna", code="AAAA-BBBB-CCCC", new_password="una password nuova")]
    assert {r.status_code for r in answers} == {401}
    assert len({r.json()["detail"] for r in answers}) == 1


def test_ten_wrong_passwords_lock_the_name_for_a_while(hostile):
    sign_in(hostile, "Anna", password="una password lunga")
    statuses = [post_sign_in(hostile, name="Anna", password=f"tentativo {n}").status_code for n in range(10)]
    assert statuses == [401] * 10
    locked = post_sign_in(hostile, name="Anna", password="una password lunga")  # even the right one, now
    assert locked.status_code == 429 and " min" in locked.json()["detail"]
    with hostile.engine.begin() as conn:  # fifteen minutes later
        conn.execute(advisors.update().values(locked_until=accounts.now() - dt.timedelta(seconds=1)))
    assert post_sign_in(hostile, name="Anna", password="una password lunga").status_code == 200


def test_an_expired_code_is_refused_and_says_so(hostile):
    issued = accounts.add_advisor(hostile.engine, "Anna", valid_for=dt.timedelta(seconds=-1))
    response = post_sign_in(hostile, name="Anna", code=issued.code, new_password="una password lunga")
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_disabling_ends_the_sessions_at_once_and_signing_in(hostile):
    token = sign_in(hostile, "Anna", password="una password lunga")
    assert advisor_call(hostile, token, "GET", "/v1/advisor/me").status_code == 200
    assert accounts.disable_advisor(hostile.engine, "Anna").disabled
    assert advisor_call(hostile, token, "GET", "/v1/advisor/me").status_code == 401
    assert post_sign_in(hostile, name="Anna", password="una password lunga").status_code == 401


def test_a_disabled_account_cannot_use_a_session_made_before(hostile):
    """Even a session row left behind (written before the account was disabled) opens nothing."""
    token = sign_in(hostile, "Anna")
    with hostile.engine.begin() as conn:
        conn.execute(advisors.update().values(disabled_at=accounts.now()))
    assert advisor_call(hostile, token, "GET", "/v1/advisor/me").status_code == 401


def test_sessions_expire_and_sign_out_ends_one(hostile):
    token = sign_in(hostile, "Anna", password="una password lunga")
    expired = accounts.sign_in(hostile.engine, "Anna", password="una password lunga",
                               lifetime=dt.timedelta(seconds=-1))
    assert advisor_call(hostile, expired.token, "GET", "/v1/advisor/me").status_code == 401
    other = post_sign_in(hostile, name="Anna", password="una password lunga").json()["token"]
    assert advisor_call(hostile, token, "POST", "/v1/advisor/sign-out").status_code == 204
    assert advisor_call(hostile, token, "GET", "/v1/advisor/me").status_code == 401
    assert advisor_call(hostile, other, "GET", "/v1/advisor/me").status_code == 200  # only that one ended


def test_a_reset_gives_a_new_code_and_ends_the_old_password_and_sessions(hostile):
    token = sign_in(hostile, "Anna", password="una password lunga")
    issued = accounts.reset_advisor(hostile.engine, "Anna")
    assert advisor_call(hostile, token, "GET", "/v1/advisor/me").status_code == 401
    assert post_sign_in(hostile, name="Anna", password="una password lunga").status_code == 401
    assert post_sign_in(hostile, name="Anna", code=issued.code, new_password="la password nuova").status_code == 200


def test_names_and_roles_are_checked(database_url):
    from ssd_starter.centre.store import connect

    engine = connect(database_url)
    try:
        for name in ("", "   ", "-Anna", "Anna\x00", "x" * 101, "Anna.", "Anna\u202e"):
            with pytest.raises(UserError):
                accounts.add_advisor(engine, name)
        with pytest.raises(UserError):
            accounts.add_advisor(engine, "Anna", "root")
        accounts.add_advisor(engine, "Anna O'Brien-Müller")
        assert accounts.add_advisor(engine, "Marco\n  Bianchi").advisor.name == "Marco Bianchi"  # spaces folded
        with pytest.raises(UserError) as twice:
            accounts.add_advisor(engine, "Anna O'Brien-Müller")
        assert "already" in twice.value.message()
        with pytest.raises(NotFound):
            accounts.disable_advisor(engine, "Nessuno")
        assert [a.name for a in accounts.list_advisors(engine)] == ["Anna O'Brien-Müller", "Marco Bianchi"]
    finally:
        engine.dispose()


@pytest.mark.parametrize("body", [
    {"name": "Anna\x00", "password": "una password lunga"},
    {"name": "Anna", "password": "\ud800\ud800\ud800\ud800\ud800"},
    {"name": "Anna", "code": "\x00", "new_password": "una password lunga"},
    {"name": "x" * 10_000, "password": "p"},
    {"name": "Anna", "password": "p" * 10_000},
    {"name": "Anna"},
    {"name": 7, "password": []},
])
def test_a_hostile_sign_in_is_a_4xx(hostile, body):
    sign_in(hostile, "Anna")
    assert 400 <= post_sign_in(hostile, **body).status_code < 500


def test_only_an_admin_lists_and_disables_advisors(hostile):
    admin, advisor = sign_in(hostile, "Carla", "admin"), sign_in(hostile, "Anna")
    assert advisor_call(hostile, advisor, "GET", "/v1/advisor/advisors").status_code == 403
    assert advisor_call(hostile, advisor, "POST", "/v1/advisor/advisors/Carla/disable").status_code == 403
    listed = advisor_call(hostile, admin, "GET", "/v1/advisor/advisors").json()["advisors"]
    assert [(a["name"], a["role"]) for a in listed] == [("Anna", "advisor"), ("Carla", "admin")]
    assert advisor_call(hostile, admin, "POST", "/v1/advisor/advisors/Anna/disable").json()["disabled"]
    assert advisor_call(hostile, advisor, "GET", "/v1/advisor/me").status_code == 401
    assert advisor_call(hostile, admin, "POST", "/v1/advisor/advisors/Nessuno/disable").status_code == 404


def test_the_api_says_its_refusals_in_english_whatever_the_servers_language():
    from ssd_starter.i18n import set_language

    refusal = Refusal(422, "rejecting a submission needs a comment saying why")
    assert refusal.english() == "rejecting a submission needs a comment saying why"
    set_language("it")
    try:
        assert refusal.english() == "rejecting a submission needs a comment saying why"
    finally:
        set_language("en")
