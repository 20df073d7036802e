"""The one way files are replaced: whole or not at all, user-only, flushed to disk with their folder."""

import os

import pytest

from ssd_starter.files import write_atomically, write_bytes_atomically


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "dossier.pdf"
    target.write_bytes(b"old")

    def half(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            fh.write(b"half of a new")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomically(target, half, suffix=".pdf")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["dossier.pdf"]


def test_files_are_user_only_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        path = write_bytes_atomically(tmp_path / "new" / "settings.json", b"{}")
    finally:
        os.umask(old)
    assert path.read_bytes() == b"{}" and path.stat().st_mode & 0o777 == 0o600


def test_the_file_and_its_folder_are_flushed(tmp_path, monkeypatch):
    flushed = []
    real = os.fsync

    def spy(fd: int) -> None:
        flushed.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    target = write_bytes_atomically(tmp_path / "key.pem", b"secret")
    assert len(flushed) == 2 and flushed[1] == str(tmp_path)
    assert flushed[0].startswith(str(tmp_path / ".key.pem-")) and target.read_bytes() == b"secret"
