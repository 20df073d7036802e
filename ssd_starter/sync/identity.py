"""This installation's Ed25519 key pair: it signs every bundle the promoter sends.

The private key lives in the data folder, readable by the user only; it is made on first use. The
fingerprint (SHA-256 of the public key, in groups of four) is what people compare by phone or in person
when the Centre first meets a district.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_
from ssd_starter.settings import data_dir

KEY_FILE = "identity/ed25519.pem"


@dataclass(frozen=True)
class Identity:
    private_pem: bytes
    public_raw: bytes

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_raw)

    def sign(self, data: bytes) -> bytes:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        key = load_pem_private_key(self.private_pem, password=None)
        return key.sign(data)  # type: ignore[union-attr, call-arg]


def fingerprint(public_raw: bytes) -> str:
    digest = hashlib.sha256(public_raw).hexdigest().upper()[:32]
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def verify(public_raw: bytes, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def key_path() -> Path:
    return data_dir() / KEY_FILE


def load_or_create() -> Identity:
    """The installation's identity, made (and saved with user-only permissions) the first time."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ssd_starter.files import write_bytes_atomically
    from ssd_starter.permissions import private_dir

    path = key_path()
    if path.exists():
        try:
            pem = path.read_bytes()
            key = serialization.load_pem_private_key(pem, password=None)
        except (OSError, ValueError, TypeError):
            raise UserError(N_("The key that signs this installation's bundles is damaged ({path}). Restore it "
                               "from a backup, or move it aside to make a new one (the Centre must then be told "
                               "the new fingerprint)."), path=str(path)) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise UserError(N_("The key at {path} is not an Ed25519 key."), path=str(path))
    else:
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        private_dir(path.parent)
        write_bytes_atomically(path, pem)  # user-only (0600) from the first byte, then renamed into place
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return Identity(pem, public)
