"""The gateway's Ed25519 keys: PEM in settings, key ids (RFC 7638 thumbprints), new pairs.

The gateway signs its assertions with a private key; services hold only public keys, as a
PEM bundle (one or more `PUBLIC KEY` blocks), so that a key can be rotated: list the next
key, let the gateway sign with it, then drop the old one. A key's id is its RFC 7638 JWK
thumbprint, computed on both sides, so ids never need configuring and cannot mismatch.
"""

from __future__ import annotations

import re

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

from kinerja_shared.token_keys import thumbprint

_PUBLIC_BLOCK = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL)


def _pem_text(value: str) -> str:
    # A PEM put into one line of an environment file often carries its newlines as "\n".
    return value.replace("\\n", "\n").strip()


def load_private_key(pem: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8, unencrypted); ValueError otherwise."""
    try:
        key = serialization.load_pem_private_key(_pem_text(pem).encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not an unencrypted PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the private key is not an Ed25519 key")
    return key


def load_public_keys(bundle: str) -> dict[str, Ed25519PublicKey]:
    """Key id -> key of every Ed25519 public key in a PEM bundle; ValueError if there is none
    or a block is not one."""
    keys: dict[str, Ed25519PublicKey] = {}
    for block in _PUBLIC_BLOCK.findall(_pem_text(bundle)):
        try:
            key = serialization.load_pem_public_key(block.encode())
        except ValueError as exc:
            raise ValueError(f"not a PEM public key: {exc}") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("a public key is not an Ed25519 key")
        keys[key_id(key)] = key
    if not keys:
        raise ValueError("no PEM public key (-----BEGIN PUBLIC KEY-----) found")
    return keys


def key_id(key: Ed25519PublicKey) -> str:
    """The RFC 7638 JWK thumbprint of a public key (SHA-256, base64url)."""
    return thumbprint(OKPAlgorithm.to_jwk(key, as_dict=True))


def public_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The PEM of a public key (of a private key's public half)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def new_key_pair() -> tuple[str, str]:
    """A fresh key pair: (private key PEM, public key PEM)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return private, public_pem(key)
