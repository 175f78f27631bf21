"""Abuse resistance of the portal's forms: fixed-window counters in Django's cache.

`allow(key, limit, seconds)` counts one hit and answers whether it is within the limit.
The public tip form is limited per address and in total (a flood of submissions is cut
off before it reaches the database, so staff pages and their writes are never queued
behind it); the tracking form per address. The address is REMOTE_ADDR (a proxy in front
must set it, e.g. with uWSGI/gunicorn's forwarded-allow-ips), never a header the client
chooses."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

TIP_PER_ADDRESS = (5, 3600)  # 5 tips an hour from one address
TIP_TOTAL = (120, 60)  # 120 tips a minute from everyone
TRACK_PER_ADDRESS = (20, 600)  # 20 lookups in 10 minutes
MAX_BODY_BYTES = 32 * 1024  # a tip form is a few KB; anything bigger is refused unread


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(key: str, limit: int, seconds: int) -> bool:
    full = f"fazhi:rl:{key}"
    if cache.add(full, 1, seconds):
        return True
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.add(full, 1, seconds)
        return True
    return count <= limit


def body_too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES
    except ValueError:
        return True
