"""Tools for the hostile tests: bundles signed by strangers, with whatever rows an attacker wants in them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path
from typing import Any

from ssd_starter.sync.identity import Identity


def forge_bundle(path: Path, identity: Identity, district_id: str, records: list[dict[str, Any]], *,
                 name: str = "Distretto nuovo", origin: str | None = None, last: int | None = None,
                 manifest_changes: dict[str, Any] | None = None) -> Path:
    """A well-signed bundle (valid container, hashes and signature) carrying ``records`` as they are."""
    changes = b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)
    manifest: dict[str, Any] = {
        "format": "ssd-starter-bundle", "format_version": 1,
        "district": {"id": district_id, "name": name},
        "origin": origin or str(uuid.uuid4()), "public_key": identity.public_b64,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "sequence": {"since": 0, "first": 1, "last": len(records) if last is None else last},
        "counts": {"changes": len(records)},
        "members": [{"name": "changes.jsonl", "size": len(changes), "sha256": hashlib.sha256(changes).hexdigest()}],
    }
    manifest.update(manifest_changes or {})
    manifest_bytes = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest_bytes)
        zf.writestr("manifest.sig", identity.sign(manifest_bytes))
        zf.writestr("changes.jsonl", changes)
    return path


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def sync_fields(origin: str, version: int = 1) -> dict[str, Any]:
    return {"updated_at": now_iso(), "version": version, "origin": origin, "deleted": False}


def district_row(district_id: str, origin: str, name: str = "Distretto nuovo", version: int = 1) -> dict[str, Any]:
    return {"id": district_id, **sync_fields(origin, version), "name": name, "kind": "territorial", "sectors": [],
            "municipalities": [], "language": "it", "description": "", "created_at": now_iso(), "targets": {}}


def actor_row(actor_id: str, district_id: str, origin: str, name: str = "Cooperativa Intrusa",
              version: int = 1, **fields: Any) -> dict[str, Any]:
    row = {"id": actor_id, **sync_fields(origin, version), "district_id": district_id, "name": name,
           "category": "cooperative", "sector": None, "municipality": "", "roles": [], "influence": 3,
           "interest": 3, "attitude": "neutral", "stage": "identified", "contact_person": "", "email": "",
           "phone": "", "consent": False, "consent_date": None, "consent_purpose": "", "notes": "",
           "proposed_by": None}
    row.update(fields)
    return row


def relation_row(relation_id: str, district_id: str, origin: str, source: str, target: str) -> dict[str, Any]:
    return {"id": relation_id, **sync_fields(origin), "district_id": district_id, "source_id": source,
            "target_id": target, "kind": "supplies", "strength": 2, "notes": ""}


def record(table: str, row: dict[str, Any], op: str = "insert") -> dict[str, Any]:
    return {"seq": 1, "table": table, "id": row.get("id"), "op": op, "version": row.get("version"), "row": row}


def database_bytes(data_dir: Path) -> dict[str, str]:
    """A digest of every file of the database (the file, its WAL), after the WAL is folded in."""
    import sqlite3

    path = data_dir / "ssd-starter.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data_dir.glob("ssd-starter.sqlite*")) if p.name.endswith((".sqlite", "-wal"))}


def run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SSD_STARTER_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "ssd_starter", "--lang", "en", *args], env=env,
                          capture_output=True, text=True, timeout=120)
