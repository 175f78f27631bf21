"""Writes of the tasks app: plans, owner units, tasks, progress reports and completion
(销号). Each in one transaction, refused in Chinese before anything is saved, written
into the event record.

Who may do what:
- managers (leaders and administrators whose area holds the plan) create plans, units
  and tasks, confirm completion and reopen;
- a task's owners (users of its owner units, `selectors.user_units`) and the managers
  report progress, with evidence, and may ask for 销号 (`claims_done`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.models import Agency, Department, Jurisdiction, Role, User
from fazhi.core.services.events import record_event, record_events
from fazhi.core.services.inputs import required_text
from fazhi.tasks.models import ActionPlan, OwnerUnit, Task, TaskEvidence, TaskProgress
from fazhi.tasks.selectors import user_units

MANAGERS = frozenset({Role.LEADER, Role.ADMIN})
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def can_manage(user: User, path: str) -> bool:
    if not user.is_authenticated or not user.is_active or user.role not in MANAGERS:
        return False
    area = user.jurisdiction
    return area is not None and path.startswith(area.path)


def is_owner(user: User, task: Task) -> bool:
    return task.owners.filter(pk__in=user_units(user).values("pk")).exists()


def _manage(actor: User, path: str) -> None:
    if not can_manage(actor, path):
        raise PermissionDenied("只有本辖区的负责人或管理员可以管理行动方案和任务。")


@transaction.atomic
def owner_unit_create(*, actor: User, name: str, kind: str, jurisdiction: Jurisdiction,
                      agency: Agency | None = None,
                      department: Department | None = None) -> OwnerUnit:
    _manage(actor, jurisdiction.path)
    unit = OwnerUnit(name=name.strip(), kind=kind, jurisdiction=jurisdiction, agency=agency,
                     department=department)
    unit.full_clean()
    unit.save()
    record_event(actor=actor, obj=unit, action="tasks.unit.created",
                 payload={"name": unit.name, "kind": kind, "jurisdiction": jurisdiction.code})
    return unit


@transaction.atomic
def plan_create(*, actor: User, agency: Agency, title: str, category: str,
                issued_on: datetime.date, start_year: int, end_year: int,
                parent: ActionPlan | None = None, document_number: str = "",
                lead_unit: OwnerUnit | None = None) -> ActionPlan:
    _manage(actor, agency.jurisdiction.path)
    plan = ActionPlan(agency=agency, title=title.strip(), category=category, parent=parent,
                      issued_on=issued_on, start_year=start_year, end_year=end_year,
                      document_number=document_number, lead_unit=lead_unit)
    plan.full_clean()
    plan.save()
    record_event(actor=actor, obj=plan, action="tasks.plan.created",
                 payload={"title": plan.title, "category": category,
                          "parent": parent.pk if parent else None, "issued_on": issued_on})
    return plan


def _check_task(task: Task, owners: Sequence[OwnerUnit]) -> None:
    if not owners:
        raise ValidationError({"owners": "请至少指定一个责任单位。"})
    task.full_clean(exclude=["owners"])


@transaction.atomic
def task_create(*, actor: User, plan: ActionPlan, number: str, title: str,
                owners: Sequence[OwnerUnit], due_on: datetime.date,
                assigned_on: datetime.date | None = None, note: str = "") -> Task:
    _manage(actor, plan.jurisdiction_path)
    task = Task(plan=plan, number=number.strip(), title=title.strip(), due_on=due_on,
                assigned_on=assigned_on or plan.issued_on, note=note)
    _check_task(task, owners)
    task.save()
    task.owners.set(owners)
    record_event(actor=actor, obj=task, action="tasks.task.created",
                 payload={"plan": plan.pk, "number": task.number, "due_on": due_on,
                          "owners": sorted(u.pk for u in owners)})
    return task


def tasks_bulk_create(*, actor: User, plan: ActionPlan,
                      rows: Iterable[tuple[Task, Sequence[OwnerUnit]]]) -> list[Task]:
    """Validated tasks in bulk (the Excel import; the caller holds the transaction)."""
    _manage(actor, plan.jurisdiction_path)
    rows = list(rows)
    for task, owners in rows:
        _check_task(task, owners)
        task.jurisdiction_path = plan.jurisdiction_path
    tasks = Task.objects.bulk_create([task for task, _ in rows])
    if tasks and tasks[0].pk is None:
        ids = dict(Task.objects.filter(plan=plan).values_list("number", "pk"))
        for task in tasks:
            task.pk = ids[task.number]
    Through = Task.owners.through
    Through.objects.bulk_create([Through(task_id=task.pk, ownerunit_id=unit.pk)
                                 for task, owners in rows for unit in owners])
    record_events(actor=actor, entries=[
        (task, "tasks.task.created", {"plan": plan.pk, "number": task.number,
                                      "due_on": task.due_on, "source": "import",
                                      "owners": sorted(u.pk for u in owners)})
        for task, owners in rows])
    return tasks


@transaction.atomic
def task_report(*, actor: User, task: Task, text: str, reported_on: datetime.date,
                claims_done: bool = False, unit: OwnerUnit | None = None,
                files: Sequence[tuple[str, bytes]] = ()) -> TaskProgress:
    """A progress report with evidence files ((name, bytes) pairs)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not (is_owner(actor, task) or can_manage(actor, task.jurisdiction_path)):
        raise PermissionDenied("只有责任单位或方案管理人员可以报告任务进展。")
    text = required_text(text, "text", _("进展情况"))
    if task.completed_on is not None:
        raise ValidationError("任务已销号，如需补充请先重新打开。")
    if reported_on < task.assigned_on:
        raise ValidationError({"reported_on": "报告日期不能早于任务下达日期。"})
    if unit is None:
        unit = task.owners.filter(pk__in=user_units(actor).values("pk")).first()
    elif not task.owners.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": "报告单位不是该任务的责任单位。"})
    for name, data in files:
        if not data:
            raise ValidationError(f"佐证材料“{name}”是空文件。")
        if len(data) > MAX_EVIDENCE_BYTES:
            raise ValidationError(f"佐证材料“{name}”超过 20 MB。")
    progress = TaskProgress(task=task, unit=unit, reported_on=reported_on, text=text,
                            claims_done=claims_done, reporter=actor)
    progress.full_clean()
    progress.save()
    digests = []
    for name, data in files:
        evidence = TaskEvidence(progress=progress, name=name[:200],
                                sha256=TaskEvidence.digest(data))
        evidence.file.save(name, ContentFile(data), save=False)
        evidence.full_clean()
        evidence.save()
        digests.append(evidence.sha256)
    record_event(actor=actor, obj=task, action="tasks.task.reported",
                 payload={"progress": progress.pk, "reported_on": reported_on,
                          "claims_done": claims_done, "unit": unit.pk if unit else None,
                          "evidence": digests})
    return progress


@transaction.atomic
def task_complete(*, actor: User, task: Task, completed_on: datetime.date,
                  note: str = "") -> Task:
    """Confirm the task done on `completed_on` (销号); the actor is who confirmed it."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    _manage(actor, task.jurisdiction_path)
    if task.completed_on is not None:
        raise ValidationError("任务已销号。")
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "完成日期不能晚于今天。"})
    task.completed_on, task.confirmed_by, task.confirmed_at = (
        completed_on, actor, timezone.now())
    if note:
        task.note = note
    task.full_clean(exclude=["owners"])
    task.save()
    record_event(actor=actor, obj=task, action="tasks.task.completed",
                 payload={"completed_on": completed_on, "note": note})
    return task


@transaction.atomic
def task_reopen(*, actor: User, task: Task, reason: str) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    _manage(actor, task.jurisdiction_path)
    if task.completed_on is None:
        raise ValidationError("任务尚未销号。")
    reason = required_text(reason, "reason", _("重新打开的理由"))
    previous = task.completed_on
    task.completed_on = task.confirmed_by = task.confirmed_at = None
    task.save()
    record_event(actor=actor, obj=task, action="tasks.task.reopened",
                 payload={"was_completed_on": previous, "reason": reason})
    return task
