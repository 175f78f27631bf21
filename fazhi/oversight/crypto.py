"""Encryption of a tipster's identity (举报人身份信息) at rest: Fernet (AES-128-CBC with
HMAC-SHA256, from `cryptography`).

The key comes from, in order: the setting FAZHI_TIP_KEY, the environment variable
FAZHI_TIP_KEY (several keys separated by commas rotate: the first encrypts, every one
decrypts), or — on a developer's or a single machine only, never under
`fazhi.settings.production` — a key generated once and kept in the var directory
(`VAR_DIR/tip_key`, mode 600), as `fazhi.settings.local` does for SECRET_KEY.

Nothing here logs a value; callers never put the clear identity in an event payload,
a log line, an export or a page other than the tip desk's."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_lock = threading.Lock()
_cache: dict[str, MultiFernet] = {}


@dataclass(frozen=True)
class Identity:
    """Who reported (any part may be empty)."""

    name: str = ""
    phone: str = ""
    id_number: str = ""
    contact: str = ""

    def __bool__(self) -> bool:
        return any((self.name, self.phone, self.id_number, self.contact))

    def __repr__(self) -> str:  # never print the clear identity by accident
        return "Identity(<保密>)"

    __str__ = __repr__


def _key_text() -> str:
    if key := getattr(settings, "FAZHI_TIP_KEY", ""):
        return key
    if key := os.environ.get("FAZHI_TIP_KEY", ""):
        return key
    if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production"):
        raise ImproperlyConfigured("生产环境须通过环境变量 FAZHI_TIP_KEY 提供举报人信息加密密钥")
    path = Path(getattr(settings, "VAR_DIR", Path("var"))) / "tip_key"
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(Fernet.generate_key().decode())
            path.chmod(0o600)
    return path.read_text().strip()


def _fernet() -> MultiFernet:
    text = _key_text()
    found = _cache.get(text)
    if found is None:
        try:
            found = MultiFernet([Fernet(k.strip().encode()) for k in text.split(",") if k.strip()])
        except (ValueError, TypeError):
            raise ImproperlyConfigured("FAZHI_TIP_KEY 不是有效的 Fernet 密钥") from None
        _cache.clear()
        _cache[text] = found
    return found


def encrypt_identity(identity: Identity) -> str:
    """The token stored in `Tip.identity_token` ("" for an anonymous tip)."""
    if not identity:
        return ""
    body = json.dumps(asdict(identity), ensure_ascii=False).encode()
    return _fernet().encrypt(body).decode()


def decrypt_identity(token: str) -> Identity:
    if not token:
        return Identity()
    try:
        data = json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise ImproperlyConfigured("无法解密举报人信息：密钥与加密时不一致") from None
    return Identity(**{k: str(data.get(k, "")) for k in ("name", "phone", "id_number", "contact")})
