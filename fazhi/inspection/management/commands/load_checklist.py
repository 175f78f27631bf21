"""`python manage.py load_checklist`: load the checklist items (检查事项) of the
major-hazard criteria from fazhi/inspection/data/checklist.yaml. Idempotent. Run by
whoever has shell access, so the events are recorded with no actor (the system)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fazhi.inspection.services import checklist_load


class Command(BaseCommand):
    help = "载入检查事项（重大事故隐患判定标准条目）"

    def handle(self, *args: Any, **options: Any) -> None:
        result = checklist_load(actor=None)
        self.stdout.write(f"新建检查事项{result.created}项，更新{result.updated}项")
