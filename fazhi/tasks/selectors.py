"""Reads of the tasks app.

A user sees the plans and tasks of its area (`core.selectors.scope` on the plan's
jurisdiction path) and, beyond it, the tasks its own units own (a county bureau owning a
task of the city's plan sees that task). Out of scope: None → 404.

Completion "as of" a day (`rules.completion`): tasks assigned on or before the day,
done when completed (confirmed) on or before it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone

from fazhi.core.models import Jurisdiction, Role, User
from fazhi.core.selectors import path_filter, visible_path
from fazhi.tasks.models import ActionPlan, OwnerUnit, Task, TaskProgress
from fazhi.tasks.rules.completion import Completion


def user_units(user: User) -> QuerySet[OwnerUnit]:
    """The owner units whose tasks are the user's own (see OwnerUnit)."""
    if not user.is_authenticated or not user.is_active or not user.agency_id:
        return OwnerUnit.objects.none()
    mine = Q(department__isnull=True, agency_id=user.agency_id)
    if user.department_id:
        mine |= Q(department_id=user.department_id)
    if user.role in {Role.LEADER, Role.ADMIN}:
        mine |= Q(agency_id=user.agency_id)
    return OwnerUnit.objects.filter(mine)


def _area(user: User) -> str | None:
    if not user.is_authenticated or user.role in {Role.ENTERPRISE, Role.SUPERVISOR}:
        return None
    return visible_path(user)


def unit_list(*, user: User) -> QuerySet[OwnerUnit]:
    """Units a user may name as owners: those of its area and of the levels above it."""
    path = _area(user)
    if path is None:
        return OwnerUnit.objects.none()
    above = [path[:i + 1] for i, ch in enumerate(path) if ch == "/"]
    return OwnerUnit.objects.filter(Q(jurisdiction_path__startswith=path)
                                    | Q(jurisdiction_path__in=above))


def plan_list(*, user: User) -> QuerySet[ActionPlan]:
    path = _area(user)
    if path is None:
        return ActionPlan.objects.none()
    owned = Task.objects.filter(owners__in=user_units(user)).values("plan_id")
    return ActionPlan.objects.filter(
        Q(jurisdiction_path__startswith=path) | Q(id__in=owned)
    ).select_related("agency", "parent", "lead_unit")


def plan_get(*, user: User, pk: int) -> ActionPlan | None:
    return plan_list(user=user).filter(pk=pk).first()


def task_list(*, user: User, plan: ActionPlan | None = None, unit: OwnerUnit | None = None,
              status: str = "", q: str = "",
              today: datetime.date | None = None) -> QuerySet[Task]:
    """status: "open", "done", "overdue" (on `today`)."""
    path = _area(user)
    if path is None:
        return Task.objects.none()
    owned = Task.objects.filter(owners__in=user_units(user)).values("id")
    rows = Task.objects.filter(Q(jurisdiction_path__startswith=path) | Q(id__in=owned))
    if plan is not None:
        rows = rows.filter(plan=plan)
    if unit is not None:
        rows = rows.filter(owners=unit)
    if q:
        rows = rows.filter(Q(title__contains=q) | Q(number=q))
    today = today or timezone.localdate()
    if status == "open":
        rows = rows.filter(completed_on__isnull=True)
    elif status == "done":
        rows = rows.filter(completed_on__isnull=False)
    elif status == "overdue":
        rows = rows.filter(completed_on__isnull=True, due_on__lt=today)
    return rows.select_related("plan", "confirmed_by").prefetch_related("owners")


def task_get(*, user: User, pk: int) -> Task | None:
    return task_list(user=user).filter(pk=pk).first()


def task_progress(task: Task) -> QuerySet[TaskProgress]:
    return task.progress.select_related("unit", "reporter").prefetch_related("evidence")


def overdue_for_user(user: User, *, today: datetime.date | None = None,
                     limit: int = 10) -> tuple[list[Task], int]:
    """The overdue tasks the user's units own (for the home page): the first `limit`
    rows and the total, in one query (the total is a window count)."""
    today = today or timezone.localdate()
    owned = Task.objects.filter(owners__in=user_units(user)).values("pk")
    rows = list(Task.objects.filter(pk__in=owned, completed_on__isnull=True, due_on__lt=today)
                .select_related("plan").annotate(total=Window(Count("id")))
                .order_by("due_on", "pk")[:limit])
    return rows, (rows[0].total if rows else 0)


# --- completion -----------------------------------------------------------------------------

def completion(tasks: QuerySet[Task], day: datetime.date) -> Completion:
    counted = tasks.filter(assigned_on__lte=day)
    result = counted.aggregate(total=Count("id", distinct=True), done=Count(
        "id", distinct=True, filter=Q(completed_on__isnull=False, completed_on__lte=day)))
    return Completion(total=result["total"], done=result["done"])


@dataclass(frozen=True)
class UnitProgress:
    unit: OwnerUnit
    completion: Completion
    overdue: int


@dataclass(frozen=True)
class PlanProgress:
    plan: ActionPlan
    day: datetime.date
    own: Completion  # the plan's own list
    subplans: list[tuple[ActionPlan, Completion]]
    subtasks: Completion  # all sub-plans' lists together
    by_unit: list[UnitProgress]  # the plan's and its sub-plans' tasks per owner unit


def plan_progress(plan: ActionPlan, day: datetime.date) -> PlanProgress:
    subplans = list(plan.subplans.order_by("pk"))
    tasks = Task.objects.filter(Q(plan=plan) | Q(plan__parent=plan), assigned_on__lte=day)
    rows = (OwnerUnit.objects.filter(tasks__in=tasks).annotate(
        total=Count("tasks", filter=Q(tasks__in=tasks), distinct=True),
        done=Count("tasks", distinct=True, filter=Q(
            tasks__in=tasks, tasks__completed_on__isnull=False, tasks__completed_on__lte=day)),
        late=Count("tasks", distinct=True, filter=Q(tasks__in=tasks, tasks__due_on__lt=day) & (
            Q(tasks__completed_on__isnull=True) | Q(tasks__completed_on__gt=day))),
    ).order_by("name"))
    by_unit = [UnitProgress(unit=u, completion=Completion(u.total, u.done), overdue=u.late)
               for u in rows]
    by_unit.sort(key=lambda p: (-p.completion.rate, -p.completion.total, p.unit.name))
    return PlanProgress(
        plan=plan, day=day,
        own=completion(Task.objects.filter(plan=plan), day),
        subplans=[(sub, completion(Task.objects.filter(plan=sub), day)) for sub in subplans],
        subtasks=completion(Task.objects.filter(plan__parent=plan), day),
        by_unit=by_unit,
    )


# --- report figures ---------------------------------------------------------------------------

def report_plans(jurisdiction: Jurisdiction, day: datetime.date,
                 category: str = ActionPlan.Category.ROOT_CAUSE) -> QuerySet[ActionPlan]:
    """Master plans of the category in the area, issued on or before `day`."""
    return ActionPlan.objects.filter(path_filter(jurisdiction.path, "jurisdiction_path"),
                                     category=category, parent__isnull=True,
                                     issued_on__lte=day)


def report_completion(jurisdiction: Jurisdiction, day: datetime.date, *,
                      sub: bool) -> Completion:
    plans = report_plans(jurisdiction, day)
    field = "plan__parent__in" if sub else "plan__in"
    return completion(Task.objects.filter(**{field: plans}, plan__issued_on__lte=day), day)


def criteria_units(jurisdiction: Jurisdiction, day: datetime.date) -> int:
    """Distinct owner units holding a task of a 重大事故隐患判定标准 task list (plan or
    sub-plan of that category in the area) handed out on or before `day`."""
    plans = ActionPlan.objects.filter(
        path_filter(jurisdiction.path, "jurisdiction_path"),
        category=ActionPlan.Category.MAJOR_HAZARD_CRITERIA, issued_on__lte=day)
    return (OwnerUnit.objects.filter(tasks__plan__in=plans, tasks__assigned_on__lte=day)
            .distinct().count())
