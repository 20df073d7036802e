"""The headless contract: `centre serve` and `centre enrol` in a separate process, `sync` from the promoter's."""

import json
import os
import socket
import subprocess
import sys
import time

from ssd_starter.cli import main
from tests.sync.conftest import free_port

DEMO = "Distretto di Economia Solidale Valsugana e Tesino"


def wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("the Centre did not start")


def test_serve_enrol_and_sync_from_the_command_line(demo_store, tmp_path, capsys):
    demo_store.close()
    centre_env = {**os.environ, "SSD_STARTER_DATA_DIR": str(tmp_path / "centre-data")}
    token = subprocess.run([sys.executable, "-m", "ssd_starter", "centre", "enrol", "--district-name", "Valsugana"],
                           env=centre_env, capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    assert len(token) >= 24
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "ssd_starter", "centre", "serve", "--port", str(port)],
                              env=centre_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(port, server)
        url = f"http://127.0.0.1:{port}"
        assert main(["sync", "--district", DEMO, "--centre", url, "--token", token, "--json"]) == 0
        first = json.loads(capsys.readouterr().out)
        assert first["pushed"] > 200
        assert main(["sync", "--district", DEMO, "--centre", url, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["pushed"] == 0
        # the used token again, from the installation it enrolled (a sync cut off after enrolling, run again
        # as it was typed): it goes on; another installation cannot use it (tests/sync/test_http_sync.py)
        assert main(["sync", "--district", DEMO, "--centre", url, "--token", token]) == 0
        assert "0 changes sent" in capsys.readouterr().out
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=20)
    # `centre serve` logs each request as the deployed factory does: a JSON line with path, status, time, sender
    logged = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    answered = [entry for entry in logged if entry.get("path") == "/v1/sync/status" and entry["status"] == 200]
    assert answered and all(isinstance(entry["ms"], float) for entry in answered)
    assert len({entry["principal"] for entry in answered}) == 1 and answered[0]["principal"].startswith("district:")
    # the first sync asked before it was enrolled (is this key known already?) and was refused: logged too
    assert any(entry.get("path") == "/v1/sync/status" and entry["status"] == 401 for entry in logged)


def _serve(env, port, db=None):
    command = [sys.executable, "-m", "ssd_starter", "centre", "serve", "--port", str(port)]
    if db:
        command += ["--db", db]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(port, server)
    return server


def test_a_sync_killed_half_way_resumes_and_both_sides_agree(demo_store, tmp_path):
    """A real kill -9 of the syncing process in the middle of its pushes, then a sync that finishes the job."""
    import signal

    from ssd_starter.centre import store as centre_store
    from ssd_starter.sync.bundle import changed_rows

    demo_store.close()
    centre_env = {**os.environ, "SSD_STARTER_DATA_DIR": str(tmp_path / "centre-data")}
    token = subprocess.run([sys.executable, "-m", "ssd_starter", "centre", "enrol", "--district-name", "V"],
                           env=centre_env, capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    port = free_port()
    server = _serve(centre_env, port)
    url = f"http://127.0.0.1:{port}"
    # a client that pushes in many small chunks, slowly, so it can be killed between and inside them
    code = ("import sys, time\nfrom ssd_starter.store import Store\nfrom ssd_starter.store.districts import "
            "find_district\nfrom ssd_starter.sync import client\nfrom ssd_starter.sync.identity import "
            "load_or_create\nstore = Store.open()\nd = find_district(store, sys.argv[1]).id\n"
            "client.sync(store, d, sys.argv[2], load_or_create(), token=sys.argv[3], chunk=10, "
            "progress=lambda done, total: (print(done, flush=True), time.sleep(0.05)))\n")
    child = subprocess.Popen([sys.executable, "-c", code, DEMO, url, token], stdout=subprocess.PIPE, text=True)
    try:
        for _line in range(8):  # some chunks are through …
            child.stdout.readline()
        child.send_signal(signal.SIGKILL)  # … and the line drops without a goodbye
        child.wait(10)
        assert main(["sync", "--district", DEMO, "--centre", url]) == 0
        from ssd_starter.store import Store

        store = Store.open()
        records, _first, last = changed_rows(store, store_district(store))
        engine = centre_store.connect(f"sqlite:///{tmp_path / 'centre-data' / 'centre.sqlite'}")
        there = {(t, r["id"]): r["version"] for t in {r["table"] for r in records}
                 for r in centre_store.district_rows(engine, store_district(store), t)}
        assert there == {(r["table"], r["id"]): r["row"]["version"] for r in records}
        assert centre_store.acknowledged(engine, store_district(store))[store.device_id] == last
        engine.dispose()
        store.close()
    finally:
        server.terminate()
        server.wait(20)


def store_district(store):
    from ssd_starter.store.districts import find_district

    return find_district(store, DEMO).id


def test_two_server_processes_on_one_postgresql(demo_store, tmp_path, postgres_url):
    """Several Centre processes share one PostgreSQL: pushes through either land once, in order."""
    from ssd_starter.centre import store as centre_store
    from ssd_starter.store.stakeholders import create_stakeholder
    from ssd_starter.sync.client import sync
    from ssd_starter.sync.identity import load_or_create

    engine = centre_store.connect(postgres_url)
    token = centre_store.enrol(engine, "Valsugana")
    env = {**os.environ, "SSD_STARTER_DATA_DIR": str(tmp_path / "centre-data")}
    ports = [free_port(), free_port()]
    servers = [_serve(env, port, postgres_url) for port in ports]
    try:
        identity = load_or_create()
        first = sync(demo_store, demo_store.demo_id, f"http://127.0.0.1:{ports[0]}", identity, token=token, chunk=50)
        demo_store.apply(create_stakeholder(demo_store.demo_id, {"name": "Via il secondo server"}))
        second = sync(demo_store, demo_store.demo_id, f"http://127.0.0.1:{ports[1]}", identity)
        assert first.pushed > 200 and second.pushed == 1
        names = [r["name"] for r in centre_store.district_rows(engine, demo_store.demo_id, "stakeholder")]
        assert len(names) == 44 and len(set(names)) == 44
    finally:
        for server in servers:
            server.terminate()
            server.wait(20)
        engine.dispose()


def test_an_enrolment_token_never_starts_like_an_option(monkeypatch):
    """Found by a fresh-clone run: one token in 64 began with "-" and `sync --token TOKEN` read it as an option."""
    import secrets

    from ssd_starter.centre.store import new_enrolment_token

    drawn = iter(["-starts-like-an-option-xyz12345", "Abc_def-ghi_jkl-mno_pqr-stu_vwx"])
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n: next(drawn))
    assert new_enrolment_token() == "Abc_def-ghi_jkl-mno_pqr-stu_vwx"
