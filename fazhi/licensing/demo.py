"""The licensing slice of the demo city: certificates (`demo_certificates`), then permits,
三同时 reviews and projects (`demo_permits`)."""

from __future__ import annotations

from fazhi.core.demo import DemoContext
from fazhi.licensing import demo_certificates, demo_permits

ORDER = 70


def load(ctx: DemoContext) -> None:
    demo_certificates.load(ctx)
    demo_permits.load(ctx)
