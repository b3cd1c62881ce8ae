"""Keys of bearer tokens: JWKS documents checked for key strength, signing keys, key ids.

Tokens are signed with a private key (Ed25519: EdDSA; RSA of at least 2048 bits: RS256; EC
P-256, P-384 or P-521: ES256/384/512) that only the issuer holds — the city's OIDC provider,
or the gateway's token endpoint — and verified against public keys published as a JWKS (RFC
7517). Shared secrets (HS256) are not accepted at all: whoever can verify could also sign. A
key's id is its RFC 7638 thumbprint, so several keys (rotation) are told apart without
configuring ids.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

#: Algorithms a token may be signed with: asymmetric only, never HS* or none.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"EdDSA", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
)
MIN_RSA_BITS = 2048
STRONG_CURVES = frozenset({"secp256r1", "secp384r1", "secp521r1"})
_EC_ALGORITHMS = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}

PublicKey = (
    rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey | ed448.Ed448PublicKey
)
PrivateKey = (
    rsa.RSAPrivateKey
    | ec.EllipticCurvePrivateKey
    | ed25519.Ed25519PrivateKey
    | ed448.Ed448PrivateKey
)


class WeakKeyError(ValueError):
    """A key below the minimum strength, or a shared secret."""


def check_strength(key: Any) -> None:
    """WeakKeyError unless `key` (public or private) is RSA >= 2048 bits, EC P-256/384/521,
    Ed25519 or Ed448."""
    if isinstance(key, rsa.RSAPublicKey | rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise WeakKeyError(
                f"an RSA key of {key.key_size} bits; at least {MIN_RSA_BITS} are needed"
            )
    elif isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey):
        if key.curve.name not in STRONG_CURVES:
            raise WeakKeyError(f"an EC key on {key.curve.name}; P-256, P-384 or P-521 is needed")
    elif not isinstance(
        key,
        ed25519.Ed25519PublicKey
        | ed25519.Ed25519PrivateKey
        | ed448.Ed448PublicKey
        | ed448.Ed448PrivateKey,
    ):
        raise WeakKeyError(
            "not an asymmetric key (RSA, EC or Ed25519); shared secrets (HS256) are not accepted"
        )


_THUMBPRINT_MEMBERS = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def thumbprint(jwk: dict[str, Any]) -> str:
    """The RFC 7638 thumbprint of a public JWK (SHA-256 of its required members, base64url)."""
    members = {name: jwk[name] for name in _THUMBPRINT_MEMBERS[jwk["kty"]]}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":")).encode()).digest()
    return _b64(digest)


def algorithm_of(key: Any) -> str:
    """The JWS algorithm a key signs with (after checking its strength)."""
    check_strength(key)
    if isinstance(key, rsa.RSAPublicKey | rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey):
        return _EC_ALGORITHMS[key.curve.name]
    return "EdDSA"


def public_jwk(key: PublicKey) -> dict[str, Any]:
    """The public JWK of a key, with its algorithm, use and key id."""
    if isinstance(key, rsa.RSAPublicKey):
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(key, as_dict=True)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        jwk = ECAlgorithm.to_jwk(key, as_dict=True)
    else:
        jwk = OKPAlgorithm.to_jwk(key, as_dict=True)
    return {**jwk, "alg": algorithm_of(key), "use": "sig", "kid": thumbprint(jwk)}


def jwks_json(keys: list[PublicKey]) -> str:
    """A JWKS document (JSON) listing public keys."""
    return json.dumps({"keys": [public_jwk(k) for k in keys]}, indent=2)


def usable_key(jwk: jwt.PyJWK) -> jwt.PyJWK:
    """A key of a JWKS, if strong enough and with an asymmetric algorithm; WeakKeyError else."""
    check_strength(jwk.key)
    if jwk.algorithm_name not in ASYMMETRIC_ALGORITHMS:
        raise WeakKeyError(
            f"a key for {jwk.algorithm_name}; only asymmetric algorithms are accepted "
            f"({', '.join(sorted(ASYMMETRIC_ALGORITHMS))})"
        )
    return jwk


def jwks_text(value: str) -> str:
    """The JSON of a JWKS setting: the value itself, or the content of the file it names."""
    text = value.strip()
    if text.startswith("{"):
        return text
    try:
        return Path(text).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"neither a JWKS (JSON) nor a readable JWKS file: {exc}") from exc


def load_jwks(value: str) -> dict[str, jwt.PyJWK]:
    """Key id -> key of every signing key of a JWKS (inline JSON or a file); ValueError
    naming what is wrong (not JSON, no key, a weak key or a shared secret)."""
    try:
        document = json.loads(jwks_text(value))
    except json.JSONDecodeError as exc:
        raise ValueError(f"the JWKS is not JSON: {exc}") from exc
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ValueError('the JWKS has no keys (want {"keys": [...]})')
    keys: dict[str, jwt.PyJWK] = {}
    for number, entry in enumerate(entries):
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        try:
            key = usable_key(jwt.PyJWK(entry))
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise ValueError(f"key {entry.get('kid', number)} of the JWKS: {exc}") from exc
        kid = entry.get("kid")
        keys[kid if isinstance(kid, str) and kid else thumbprint(entry)] = key
    if not keys:
        raise ValueError("the JWKS has no signing key")
    return keys


def load_signing_key(pem: str) -> PrivateKey:
    """A private key from PEM (PKCS#8 or traditional, unencrypted), strong enough to sign
    tokens; ValueError naming what is wrong."""
    text = pem.replace("\\n", "\n").strip()  # a PEM in one line of an environment file
    try:
        key = serialization.load_pem_private_key(text.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not an unencrypted PEM private key: {exc}") from exc
    if not isinstance(key, PrivateKey):
        raise WeakKeyError("the private key is not an RSA, EC or Ed25519 key")
    check_strength(key)
    return key


_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----", re.DOTALL)


def public_keys_of(pem: str) -> list[PublicKey]:
    """The public key of every PEM block of a text (private or public keys), each checked for
    strength; ValueError when there is none or one cannot be read."""
    keys: list[PublicKey] = []
    for block in _PEM_BLOCK.finditer(pem.replace("\\n", "\n")):
        if "PRIVATE" in block.group(1):
            keys.append(load_signing_key(block.group(0)).public_key())
            continue
        try:
            key = serialization.load_pem_public_key(block.group(0).encode())
        except ValueError as exc:
            raise ValueError(f"not a PEM public key: {exc}") from exc
        if not isinstance(key, PublicKey):
            raise WeakKeyError("a public key is not an RSA, EC or Ed25519 key")
        check_strength(key)
        keys.append(key)
    if not keys:
        raise ValueError("no PEM key (-----BEGIN ... KEY-----) found")
    return keys


class TokenSigner:
    """Signs token claims with a private key, naming its key id in the header."""

    def __init__(self, private_key_pem: str) -> None:
        self._key = load_signing_key(private_key_pem)
        self.public_key: PublicKey = self._key.public_key()
        self.algorithm = algorithm_of(self._key)
        self.key_id = thumbprint(public_jwk(self.public_key))
        self._headers = {"kid": self.key_id}

    def sign(self, claims: dict[str, Any]) -> str:
        """The signed JWT of these claims."""
        return jwt.encode(claims, self._key, algorithm=self.algorithm, headers=self._headers)


def new_signing_key() -> tuple[str, str]:
    """A fresh Ed25519 signing key: (private key PEM, JWKS of its public key)."""
    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return private, jwks_json([key.public_key()])
