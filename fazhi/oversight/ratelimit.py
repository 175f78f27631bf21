"""Abuse resistance of the portal's forms, counted by `fazhi.core.ratelimit.allow`.

The public tip form is limited per address and in total (a flood of submissions is cut
off before it reaches the database, so staff pages and their writes are never queued
behind it); the tracking form per address."""

from __future__ import annotations

from django.http import HttpRequest

TIP_PER_ADDRESS = (5, 3600)  # 5 tips an hour from one address
TIP_TOTAL = (120, 60)  # 120 tips a minute from everyone
TRACK_PER_ADDRESS = (20, 600)  # 20 lookups in 10 minutes
MAX_BODY_BYTES = 32 * 1024  # a tip form is a few KB; anything bigger is refused unread


def body_too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES
    except ValueError:
        return True
