"""The certificate's QR code: a compact payload of its key fields signed with the bureau's
Ed25519 key, verifiable offline with the published public key (no database, no network:
a forged paper certificate is caught by a phone app or a script).

Payload (UTF-8 text, fields separated by "|"):

    FZC1|<key id>|<kind>|<number>|<operation>|<name>|<masked ID>|<issued>|<expires>|<signature>

- kind: S 特种作业操作证, P 主要负责人安全合格证, M 安全生产管理人员安全合格证;
- number: as printed, except that a number embedding the 身份证号 (T + 18 characters)
  has that part masked; masked ID: the first 6 and last 4 characters of the 身份证号 (the
  card shows the whole number; the QR needs no more to bind the holder, and a photo of a
  card's QR gives nobody the whole ID);
- issued / expires: YYYYMMDD;
- signature: Ed25519 over every character before the last "|" (UTF-8), base64url
  without padding; key id: the first 8 hex digits of SHA-256 of the raw public key.

The status (revoked, lapsed) is not in the QR: it changes after printing. The signature
proves the card's fields were issued by the bureau; the public lookup
(/licensing/verify/) tells whether the certificate is still valid.

The signing key (32 raw bytes, base64) comes from `settings.FAZHI_CERT_SIGNING_KEY` or the
environment variable FAZHI_CERT_SIGNING_KEY; for local use it is generated once into
the var directory (`var/cert_signing_key`, mode 0600), as `settings.local` keeps its
SECRET_KEY. Production sets the environment variable (and keeps a copy offline: a lost
key makes every printed QR unverifiable with a new one).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import hashlib
import io
import os
from dataclasses import dataclass
from typing import Any

import segno
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.core.exceptions import ImproperlyConfigured

from fazhi.core.keys import configured_key
from fazhi.licensing.rules.certificates import mask_certificate_number
from fazhi.subjects.rules.masking import mask_id_number

PREFIX = "FZC1"
SEP = "|"
KIND_CODES = {"special_operation": "S", "principal": "P", "safety_manager": "M"}
KIND_NAMES = {"S": "特种作业操作证", "P": "主要负责人安全合格证", "M": "安全生产管理人员安全合格证"}
FIELDS = ("key_id", "kind", "number", "operation", "name", "id_masked", "issued", "expires")
ENV = "FAZHI_CERT_SIGNING_KEY"
KEY_FILE = "cert_signing_key"


# --- keys -------------------------------------------------------------------------------

def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id_of(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:8]


@functools.lru_cache(maxsize=4)
def _key_from_text(text: str) -> Ed25519PrivateKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{ENV} 须为32字节随机数的 base64 编码")
    return Ed25519PrivateKey.from_private_bytes(raw)


def generate_key_text() -> str:
    """A new signing key as base64 text (for FAZHI_CERT_SIGNING_KEY)."""
    return base64.b64encode(os.urandom(32)).decode()


def _key_text() -> str:
    return configured_key(ENV, KEY_FILE, generate_key_text)


def private_key() -> Ed25519PrivateKey:
    return _key_from_text(_key_text())


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def current_key_id() -> str:
    return key_id_of(public_key())


def public_key_pem() -> str:
    return public_key().public_bytes(serialization.Encoding.PEM,
                                     serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def public_key_raw_b64() -> str:
    return base64.b64encode(public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


# --- payloads ----------------------------------------------------------------------------

def _clean(value: str) -> str:
    return str(value).replace(SEP, "／").strip()


def payload_body(*, key_id: str, kind: str, number: str, operation: str, name: str,
                 id_number: str, issued: datetime.date, expires: datetime.date) -> str:
    """The signed part of the payload (everything before the signature)."""
    return SEP.join((PREFIX, key_id, KIND_CODES[kind], _clean(mask_certificate_number(number)),
                     _clean(operation),
                     _clean(name), mask_id_number(id_number), f"{issued:%Y%m%d}",
                     f"{expires:%Y%m%d}"))


def sign_body(body: str, key: Ed25519PrivateKey | None = None) -> str:
    return _b64((key or private_key()).sign(body.encode()))


def certificate_body(cert: Any, key_id: str | None = None) -> str:
    return payload_body(key_id=key_id or cert.key_id or current_key_id(), kind=cert.kind,
                        number=cert.number, operation=cert.operation, name=cert.holder_name,
                        id_number=cert.holder.id_number, issued=cert.issued_on,
                        expires=cert.expires_on)


def sign_certificate(cert: Any, key: Ed25519PrivateKey | None = None) -> None:
    """Set `cert.signature` and `cert.key_id` (not saved)."""
    key = key or private_key()
    cert.key_id = key_id_of(key.public_key())
    cert.signature = sign_body(certificate_body(cert, cert.key_id), key)


def certificate_payload(cert: Any) -> str:
    return f"{certificate_body(cert)}{SEP}{cert.signature}"


def qr_svg(payload: str, *, scale: int = 3) -> str:
    """The QR code of the payload as an SVG document (segno, error correction M)."""
    qr = segno.make(payload, error="m", micro=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True,
            title="证书二维码")
    return buffer.getvalue().decode()


# --- offline verification -------------------------------------------------------------------

@dataclass(frozen=True)
class OfflineResult:
    ok: bool
    reason: str  # Chinese: why it failed, or "签名有效"
    fields: dict[str, str]

    @property
    def kind_label(self) -> str:
        return KIND_NAMES.get(self.fields.get("kind", ""), "")


def _public(key: Ed25519PublicKey | bytes | str) -> Ed25519PublicKey:
    if isinstance(key, Ed25519PublicKey):
        return key
    if isinstance(key, str):
        text = key.strip()
        if text.startswith("-----BEGIN"):
            loaded = serialization.load_pem_public_key(text.encode())
            if not isinstance(loaded, Ed25519PublicKey):
                raise ValueError("公钥不是 Ed25519 公钥")
            return loaded
        key = base64.b64decode(text)
    return Ed25519PublicKey.from_public_bytes(key)


def verify_payload(payload: str, key: Ed25519PublicKey | bytes | str) -> OfflineResult:
    """Check a scanned payload against the bureau's public key (PEM, raw bytes or raw
    base64). Needs nothing but the key: no database, no network."""
    parts = (payload or "").strip().split(SEP)
    if len(parts) != len(FIELDS) + 2 or parts[0] != PREFIX:
        return OfflineResult(False, "二维码内容格式不正确，不是本局签发的证书二维码", {})
    fields = dict(zip(FIELDS, parts[1:-1], strict=True))
    try:
        public = _public(key)
    except (ValueError, TypeError, binascii.Error):
        return OfflineResult(False, "公钥无效", fields)
    if fields["key_id"] != key_id_of(public):
        return OfflineResult(False, "二维码不是用该公钥对应的密钥签发的（密钥标识不符）", fields)
    body = SEP.join(parts[:-1])
    try:
        public.verify(_unb64(parts[-1]), body.encode())
    except (InvalidSignature, ValueError, binascii.Error):
        return OfflineResult(False, "签名无效：二维码内容被篡改或系伪造", fields)
    return OfflineResult(True, "签名有效", fields)


# The standalone recipe shown on the public-key page (needs only `cryptography`).
RECIPE = '''# 离线核验证书二维码（只需 Python 3 与 cryptography 库：pip install cryptography）
import base64
from cryptography.hazmat.primitives.serialization import load_pem_public_key

PUBLIC_KEY_PEM = """{pem}"""

def verify(payload: str) -> bool:
    body, _, signature = payload.strip().rpartition("|")
    if not body.startswith("FZC1|"):
        return False
    key = load_pem_public_key(PUBLIC_KEY_PEM.encode())
    try:
        key.verify(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)),
                   body.encode("utf-8"))
    except Exception:
        return False  # 签名无效：内容被篡改或系伪造
    return True       # 签名有效：再核对证上印制的证号、姓名、日期是否与二维码一致

# 二维码内容：FZC1|密钥标识|类别|证号|操作项目|姓名|身份证号（脱敏）|发证日期|有效期至|签名
'''


def recipe() -> str:
    return RECIPE.format(pem=public_key_pem().strip())
