"""The policy slice of the demo city: fair-competition review (`demo_fcr`), then the
normative documents, cleanups and major decisions (`demo_normdocs`)."""

from __future__ import annotations

from fazhi.core.demo import DemoContext
from fazhi.policy import demo_fcr, demo_normdocs

ORDER = 72


def load(ctx: DemoContext) -> None:
    demo_fcr.load(ctx)
    demo_normdocs.load(ctx)
