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
        assert main(["sync", "--district", DEMO, "--centre", url, "--token", token]) == 1
        assert "enrolment" in capsys.readouterr().err
    finally:
        server.terminate()
        server.wait(20)
