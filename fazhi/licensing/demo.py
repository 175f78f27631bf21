"""The licensing slice of the demo city: certificates (`demo_certificates`) and, when
that part exists, permits, 三同时 reviews and projects (`demo_permits`)."""

from __future__ import annotations

import importlib
import importlib.util

from fazhi.core.demo import DemoContext

from . import demo_certificates

ORDER = 70


def load(ctx: DemoContext) -> None:
    demo_certificates.load(ctx)
    if importlib.util.find_spec("fazhi.licensing.demo_permits") is not None:
        importlib.import_module("fazhi.licensing.demo_permits").load(ctx)
