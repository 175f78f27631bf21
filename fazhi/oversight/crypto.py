"""Encryption of a tipster's identity (举报人身份信息) at rest: Fernet (AES-128-CBC with
HMAC-SHA256, from `cryptography`).

The key is FAZHI_TIP_KEY (`fazhi.core.keys.configured_key`: the setting, the environment,
or on a single machine `VAR_DIR/tip_key`, generated once; production requires it from the
environment). Several keys separated by commas rotate: the first encrypts, every one
decrypts.

Nothing here logs a value; callers never put the clear identity in an event payload,
a log line, an export or a page other than the tip desk's."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import ImproperlyConfigured

from fazhi.core.keys import configured_key

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
    return configured_key("FAZHI_TIP_KEY", "tip_key", lambda: Fernet.generate_key().decode())


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
