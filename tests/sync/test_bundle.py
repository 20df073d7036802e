"""Signed bundles: what they carry, and every way a bad one is refused."""

import base64
import io
import json
import os
import stat
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssd_starter.store.stakeholders import create_stakeholder
from ssd_starter.sync.bundle import BundleRefused, verify_bundle, verify_bundle_file, write_bundle
from ssd_starter.sync.identity import Identity, fingerprint, key_path, load_or_create


@pytest.fixture
def identity():
    return load_or_create()


@pytest.fixture
def bundle(demo_store, identity, tmp_path):
    path = tmp_path / "valsugana.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, path, identity)
    return path


def other_identity(tmp_path) -> Identity:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    return Identity(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()),
                    key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def rezip(data: bytes, change=None, extra=None, drop=()) -> bytes:
    """The same bundle with members changed, added or dropped (signature left as it was)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = source.read(info)
            if change and info.filename in change:
                content = change[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            if isinstance(content, tuple):
                target.writestr(content[0], content[1])
            else:
                target.writestr(name, content)
    return out.getvalue()


def test_the_key_is_made_once_with_user_only_permissions(identity):
    assert stat.S_IMODE(os.stat(key_path()).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key_path().parent).st_mode) == 0o700
    again = load_or_create()
    assert again.public_raw == identity.public_raw and len(identity.fingerprint.split()) == 8


def test_a_bundle_carries_the_district_signed(bundle, demo_store, identity):
    verified = verify_bundle_file(bundle)
    assert verified.district_id == demo_store.demo_id and verified.first_contact
    assert verified.signer == identity.fingerprint
    tables = {record["table"] for record in verified.changes()}
    assert {"district", "stakeholder", "relation", "flow", "canvas_item", "workshop"} <= tables
    assert verified.manifest["counts"]["changes"] == sum(1 for _ in verified.changes())
    pinned = verify_bundle_file(bundle, {demo_store.demo_id: identity.public_b64})
    assert not pinned.first_contact


def test_contacts_without_consent_stay_home(demo_store, identity, tmp_path):
    insert = create_stakeholder(demo_store.demo_id, {"name": "Riservata", "email": "nascosta@example.org",
                                                     "consent": False})
    demo_store.apply(insert)
    path = tmp_path / "b.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, path, identity)
    raw = zipfile.ZipFile(path).read("changes.jsonl")
    assert b"nascosta@example.org" not in raw
    assert b"s.dalcastagne@example.org" in raw  # she consented


def test_only_changes_after_a_point(demo_store, identity, tmp_path):
    first = write_bundle(demo_store, demo_store.demo_id, tmp_path / "1.ssdbundle", identity)
    demo_store.apply(create_stakeholder(demo_store.demo_id, {"name": "Nuovo attore"}))
    second = write_bundle(demo_store, demo_store.demo_id, tmp_path / "2.ssdbundle", identity,
                          since=first["sequence"]["last"])
    records = list(verify_bundle_file(tmp_path / "2.ssdbundle").changes())
    assert [r["row"]["name"] for r in records] == ["Nuovo attore"] and second["counts"]["changes"] == 1


def refused(data: bytes, fragment: str, pinned=None):
    with pytest.raises(BundleRefused) as info:
        verify_bundle(data, pinned)
    assert fragment in info.value.message(), info.value.message()


def test_a_tampered_member_is_refused(bundle):
    data = bundle.read_bytes()
    refused(rezip(data, change={"changes.jsonl": lambda b: b.replace(b"Valsugana", b"Valsugano")}), "altered")


def test_a_forged_signature_and_a_wrong_key_are_refused(bundle, demo_store, identity, tmp_path):
    data = bundle.read_bytes()
    stranger = other_identity(tmp_path)
    # the manifest edited and signed by someone else, claiming to be the district's key
    refused(rezip(data, change={"manifest.sig": lambda b: stranger.sign(zipfile.ZipFile(bundle).read(
        "manifest.json"))}), "altered or forged")
    # a genuine bundle from another installation, for a district pinned to ours
    foreign = tmp_path / "foreign.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, foreign, stranger)
    refused(foreign.read_bytes(), fingerprint(stranger.public_raw), {demo_store.demo_id: identity.public_b64})


@pytest.mark.parametrize("name", ["../evil", "/etc/passwd", "sub/../../x", "C:/x", "a\\b"])
def test_zip_slip_is_refused(bundle, name):
    refused(rezip(bundle.read_bytes(), extra={name: b"x"}), "leaves its folder")


def test_links_duplicates_extra_and_missing_members_are_refused(bundle):
    data = bundle.read_bytes()
    link = zipfile.ZipInfo("dossier.pdf")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    refused(rezip(data, extra={"dossier.pdf": (link, b"/etc/passwd")}), "link")
    refused(rezip(data, extra={"notes.txt": b"hello"}), "do not match its manifest")
    refused(rezip(data, drop=("changes.jsonl",)), "do not match its manifest")
    refused(rezip(data, drop=("manifest.sig",)), "manifest.sig")


def test_zip_bombs_oversized_manifests_and_truncated_files_are_refused(bundle):
    data = bundle.read_bytes()
    refused(rezip(data, extra={"dossier.pdf": b"\0" * (30 * 2**20)}), "zip bomb")
    padding = base64.b64encode(os.urandom(300 * 2**10)).decode()  # incompressible: not a bomb, just too big
    refused(rezip(data, change={"manifest.json": lambda b: json.dumps({**json.loads(b), "x": padding}).encode()}),
            "larger than allowed")
    refused(data[: len(data) // 2], "truncated")
    refused(b"PK\x03\x04" + os.urandom(200), "truncated")


def test_a_manifest_that_is_not_json_is_refused(bundle):
    refused(rezip(bundle.read_bytes(), change={"manifest.json": lambda b: b"{not json"}), "manifest")
    refused(rezip(bundle.read_bytes(), change={"manifest.json": lambda b: json.dumps(
        {**json.loads(b), "format_version": 9}).encode()}), "format version 9")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0), st.binary(min_size=1, max_size=8))
def test_random_damage_is_refused_cleanly(bundle, position, garbage):
    data = bytearray(bundle.read_bytes())
    at = position % len(data)
    data[at:at + len(garbage)] = garbage
    try:
        verify_bundle(bytes(data))
    except BundleRefused as exc:
        assert exc.message()


def test_a_member_needing_an_unknown_zip_version_is_refused(bundle):
    """Found by the test above: a header saying 'zip version 6.4' made zipfile raise NotImplementedError."""
    data = bytearray(bundle.read_bytes())
    for at in range(len(data) - 4):
        if data[at:at + 4] == b"PK\x01\x02":  # central directory entries: "version needed" at offset 6
            data[at + 6:at + 8] = (64).to_bytes(2, "little")
    refused(bytes(data), "not a bundle")


def test_cli_bundle_write_and_verify(demo_store, capsys, tmp_path):
    from ssd_starter.cli import main

    demo_store.close()
    out = tmp_path / "d.ssdbundle"
    assert main(["bundle", "write", "--district", "Distretto di Economia Solidale Valsugana e Tesino",
                 "--out", str(out), "--with-dossier"]) == 0
    capsys.readouterr()
    assert main(["bundle", "verify", str(out), "--json"]) == 0
    manifest = json.loads(capsys.readouterr().out)
    assert {m["name"] for m in manifest["members"]} == {"changes.jsonl", "dossier.pdf"}
    assert manifest["signer"] == load_or_create().fingerprint
    damaged = tmp_path / "x.ssdbundle"
    damaged.write_bytes(out.read_bytes()[:-100])
    assert main(["bundle", "verify", str(damaged)]) == 1
    assert "truncated" in capsys.readouterr().err
