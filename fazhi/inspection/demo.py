"""The inspection slice of the demo city (first part): the checklist items (检查事项) of
the major-hazard criteria, loaded by the same service as `python manage.py
load_checklist`. Idempotent: a second run creates nothing and writes no event.
Plans, draws and the 2024 inspections come with the next slice."""

from __future__ import annotations

from fazhi.core.demo import DemoContext
from fazhi.inspection.services import checklist_load

ORDER = 40


def load(ctx: DemoContext) -> None:
    result = checklist_load(actor=None)
    ctx.count("检查事项", result.created)
    ctx.events += result.created + result.updated  # written by checklist_load itself
    ctx.log(f"  检查事项：新建{result.created}项")
