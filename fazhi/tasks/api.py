"""The tasks app in the JSON API (mounted at /api/v1/tasks/ by fazhi/api.py): action
plans with their completion as of any day (by sub-plan and by owner unit), tasks with
their owners and progress, and the writes — a task, a progress report, completion
(销号) and reopening.

Reads are scoped like the pages (a user sees its area's plans and the tasks its units
own; out of scope: 404). Writes go through `fazhi.tasks.services`: a ValidationError is
a 422, a PermissionDenied a 403, both in Chinese, and nothing is saved."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from fazhi.core.api import ERRORS, NO_NUL, NOT_FOUND, ErrorOut, Paginated, service_refusals
from fazhi.tasks import selectors, services
from fazhi.tasks.models import ActionPlan, OwnerUnit, Task
from fazhi.tasks.rules.completion import Completion, overdue_on

router = Router(tags=["任务督办"])

WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 403: ErrorOut, 404: ErrorOut}
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def _day(value: datetime.date | None, label: str) -> datetime.date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise HttpError(422, f"输入有误。{label}应在{EARLIEST}至{LATEST}之间")
    return value


class UnitOut(Schema):
    id: int
    name: str
    kind: str = Field(..., description="emergency 应急管理部门 / government 政府其他部门 / "
                                       "other 其他")


class CompletionOut(Schema):
    total: int
    done: int
    rate: str = Field(..., description="完成率（%），一位小数的字符串")


def _completion(c: Completion) -> dict[str, Any]:
    return {"total": c.total, "done": c.done, "rate": str(c.rate)}


class TaskOut(Schema):
    id: int
    plan: int
    plan_title: str
    number: str
    title: str
    owners: list[UnitOut]
    assigned_on: datetime.date
    due_on: datetime.date
    completed_on: datetime.date | None = Field(None, description="完成日期（销号后）")
    confirmed_by: str | None = Field(None, description="销号确认人")
    overdue: bool = Field(..., description="今天已逾期未完成")

    @staticmethod
    def resolve_plan(obj: Task) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_plan_title(obj: Task) -> str:
        return obj.plan.title

    @staticmethod
    def resolve_owners(obj: Task) -> list[OwnerUnit]:
        return list(obj.owners.all())

    @staticmethod
    def resolve_confirmed_by(obj: Task) -> str | None:
        return obj.confirmed_by.display_name if obj.confirmed_by_id else None

    @staticmethod
    def resolve_overdue(obj: Task) -> bool:
        return overdue_on(obj.due_on, obj.completed_on, timezone.localdate())


class ProgressOut(Schema):
    id: int
    reported_on: datetime.date
    unit: str | None = None
    text: str
    claims_done: bool
    reporter: str | None = None
    evidence: list[str] = Field(..., description="佐证材料的 SHA-256")


class TaskDetailOut(TaskOut):
    note: str
    progress: list[ProgressOut]

    @staticmethod
    def resolve_progress(obj: Task) -> list[dict[str, Any]]:
        return [{"id": p.pk, "reported_on": p.reported_on,
                 "unit": p.unit.name if p.unit_id else None, "text": p.text,
                 "claims_done": p.claims_done,
                 "reporter": p.reporter.display_name if p.reporter_id else None,
                 "evidence": [e.sha256 for e in p.evidence.all()]}
                for p in selectors.task_progress(obj)]


class PlanOut(Schema):
    id: int
    title: str
    category: str = Field(..., description="root_cause 治本攻坚三年行动 / "
                                           "major_hazard_criteria 重大事故隐患判定标准落实 / "
                                           "general 其他")
    parent: int | None = Field(None, description="总方案编号（子方案才有）")
    issued_on: datetime.date
    start_year: int
    end_year: int
    document_number: str

    @staticmethod
    def resolve_parent(obj: ActionPlan) -> int | None:
        return obj.parent_id


class SubplanProgressOut(Schema):
    plan: PlanOut
    completion: CompletionOut


class UnitProgressOut(Schema):
    unit: UnitOut
    completion: CompletionOut
    overdue: int = Field(..., description="截至该日逾期未完成的任务数")


class PlanProgressOut(Schema):
    plan: PlanOut
    day: datetime.date = Field(..., description="统计截止日（as of）")
    own: CompletionOut = Field(..., description="本方案任务清单")
    subtasks: CompletionOut = Field(..., description="各子方案任务合计")
    subplans: list[SubplanProgressOut]
    by_unit: list[UnitProgressOut]


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, summary="行动方案列表",
            description=("当前用户辖区内的行动方案，以及其所在单位承担任务的方案，"
                         "按印发日期倒序。"))
@paginate(Paginated)
def plans(request: HttpRequest) -> QuerySet[ActionPlan]:
    return selectors.plan_list(user=request.auth).order_by("-issued_on", "pk")


@router.get("/plans/{pk}", response={200: PlanProgressOut, 404: ErrorOut, **ERRORS},
            summary="方案完成情况",
            description="方案截至某日（默认今天）的完成情况：本方案、各子方案、按责任单位。"
                        "截至日之后才完成的任务不计为完成。")
def plan_detail(request: HttpRequest, pk: int = Path(..., ge=1, le=2**31 - 1),
                day: datetime.date | None = None) -> Any:
    plan = selectors.plan_get(user=request.auth, pk=pk)
    if plan is None:
        raise HttpError(404, NOT_FOUND)
    progress = selectors.plan_progress(plan, _day(day, "截至日") or timezone.localdate())
    return {"plan": plan, "day": progress.day, "own": _completion(progress.own),
            "subtasks": _completion(progress.subtasks),
            "subplans": [{"plan": sub, "completion": _completion(c)}
                         for sub, c in progress.subplans],
            "by_unit": [{"unit": u.unit, "completion": _completion(u.completion),
                         "overdue": u.overdue} for u in progress.by_unit]}


class TaskFilter(Schema):
    plan: int | None = None
    unit: int | None = None
    status: str = Field("", pattern=r"^(|open|done|overdue)$",
                        description="open 未完成 / done 已销号 / overdue 逾期")
    q: str = Field("", max_length=50, pattern=NO_NUL)


@router.get("/tasks", response={200: list[TaskOut], **ERRORS}, summary="任务列表",
            description=("当前用户辖区内的任务及其所在单位承担的任务，可按方案、责任单位、"
                         "状态（未完成、已销号、逾期）和关键词筛选。"))
@paginate(Paginated)
def tasks(request: HttpRequest, filters: Query[TaskFilter]) -> QuerySet[Task]:
    user = request.auth
    plan = unit = None
    if filters.plan is not None:
        plan = selectors.plan_get(user=user, pk=filters.plan)
        if plan is None:
            return Task.objects.none()
    if filters.unit is not None:
        unit = selectors.unit_list(user=user).filter(pk=filters.unit).first()
    return selectors.task_list(user=user, plan=plan, unit=unit, status=filters.status,
                               q=filters.q).order_by("plan_id", "pk")


def _task(request: HttpRequest, pk: int) -> Task:
    task = selectors.task_get(user=request.auth, pk=pk)
    if task is None:
        raise HttpError(404, NOT_FOUND)
    return task


@router.get("/tasks/{pk}", response={200: TaskDetailOut, 404: ErrorOut, **ERRORS},
            summary="任务详情（含进展）",
            description=("任务及其责任单位、进展报告和佐证材料摘要（SHA-256）；"
                         "不存在或不在范围内返回 404。"))
def task_detail(request: HttpRequest, pk: int = Path(..., ge=1, le=2**31 - 1)) -> Task:
    return _task(request, pk)


class TaskIn(Schema):
    plan: int
    number: str = Field(..., min_length=1, max_length=20, pattern=NO_NUL)
    title: str = Field(..., min_length=1, max_length=500, pattern=NO_NUL)
    owners: list[int] = Field(..., min_length=1, max_length=50, description="责任单位编号")
    due_on: datetime.date
    assigned_on: datetime.date | None = None


class ProgressIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000, pattern=NO_NUL)
    reported_on: datetime.date
    claims_done: bool = False


class CompleteIn(Schema):
    completed_on: datetime.date
    note: str = Field("", max_length=300, pattern=NO_NUL)


class ReopenIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300, pattern=NO_NUL)


@router.post("/tasks", response={201: TaskDetailOut, **WRITE_ERRORS}, summary="新增任务",
             description=("本辖区负责人或管理员在行动方案下新增任务，指定责任单位和完成时限；"
                          "方案不存在返回404，责任单位不存在或输入有误返回 422，无权返回 403。"))
def task_create(request: HttpRequest, payload: TaskIn) -> Any:
    plan = selectors.plan_get(user=request.auth, pk=payload.plan)
    if plan is None:
        raise HttpError(404, NOT_FOUND)
    owners = list(selectors.unit_list(user=request.auth).filter(pk__in=payload.owners))
    if len(owners) != len(set(payload.owners)):
        raise HttpError(422, "输入有误。责任单位不存在")
    with service_refusals():
        task = services.task_create(
            actor=request.auth, plan=plan, number=payload.number, title=payload.title,
            owners=owners, due_on=_day(payload.due_on, "完成时限"),
            assigned_on=_day(payload.assigned_on, "下达日期"))
    return Status(201, _task(request, task.pk))


@router.post("/tasks/{pk}/progress", response={201: TaskDetailOut, **WRITE_ERRORS},
             summary="报告任务进展",
             description=("责任单位或方案管理人员报告任务进展，可声明已完成待销号；"
                          "已销号的任务返回 422，无权返回 403，不存在或不在范围内返回 404。"))
def task_report(request: HttpRequest, payload: ProgressIn, pk: int = Path(..., ge=1)) -> Any:
    task = _task(request, pk)
    with service_refusals():
        services.task_report(actor=request.auth, task=task, text=payload.text,
                             reported_on=_day(payload.reported_on, "报告日期"),
                             claims_done=payload.claims_done)
    return Status(201, _task(request, pk))


@router.post("/tasks/{pk}/complete", response={200: TaskDetailOut, **WRITE_ERRORS},
             summary="确认完成（销号）",
             description=("本辖区负责人或管理员确认任务完成（销号），完成日期不能晚于今天；"
                          "已销号返回 422，无权返回 403。"))
def task_complete(request: HttpRequest, payload: CompleteIn, pk: int = Path(..., ge=1)) -> Any:
    task = _task(request, pk)
    with service_refusals():
        services.task_complete(actor=request.auth, task=task,
                               completed_on=_day(payload.completed_on, "完成日期"),
                               note=payload.note)
    return _task(request, pk)


@router.post("/tasks/{pk}/reopen", response={200: TaskDetailOut, **WRITE_ERRORS},
             summary="重新打开任务",
             description=("本辖区负责人或管理员重新打开已销号的任务，须说明理由；"
                          "尚未销号返回 422，无权返回 403。"))
def task_reopen(request: HttpRequest, payload: ReopenIn, pk: int = Path(..., ge=1)) -> Any:
    task = _task(request, pk)
    with service_refusals():
        services.task_reopen(actor=request.auth, task=task, reason=payload.reason)
    return _task(request, pk)


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="责任单位列表",
            description=("当前用户可指定为责任单位的单位（本辖区及上级区划），可按名称筛选。"))
@paginate(Paginated)
def units(request: HttpRequest, q: str = Query("", max_length=50, pattern=NO_NUL)) -> Any:
    rows = selectors.unit_list(user=request.auth)
    return rows.filter(name__contains=q) if q else rows
