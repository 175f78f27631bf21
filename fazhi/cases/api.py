"""Penalty cases in the JSON API, scoped exactly like the pages (`cases.selectors`):
the list, a case with its parties, evidence list, report and the moves open to the
caller now, and moves through the workflow. A move names the version the caller saw;
a stale one, or an unmet gate, is a 422 with the Chinese reasons and changes nothing."""


import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from fazhi.cases import selectors, services
from fazhi.cases.models import CaseStatus, PenaltyCase
from fazhi.cases.rules import workflow
from fazhi.core.api import ERRORS, NOT_FOUND, ErrorOut, Paginated, service_refusals
from fazhi.subjects.api import MAX_ID

router = Router(tags=["行政处罚案件"])


class CaseFields(Schema):
    id: int
    number: str = Field(..., description="立案编号（立案前为空）")
    status: str = Field(..., description="办理阶段代码")
    status_label: str = Field(..., description="办理阶段")
    version: int = Field(..., description="版本号：办理时原样提交，用于防止并发冲突")
    enterprise: int
    enterprise_name: str
    source: str
    discovered_on: datetime.date
    violation_date: datetime.date | None
    filed_on: datetime.date | None
    decision_due: datetime.date | None = Field(None, description="作出决定期限")


class CaseOut(CaseFields):
    @staticmethod
    def resolve_status_label(obj: PenaltyCase) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_enterprise(obj: PenaltyCase) -> int:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj: PenaltyCase) -> str:
        return obj.enterprise.name


class PartyOut(Schema):
    kind: str
    name: str


class EvidenceItemOut(Schema):
    number: int
    kind: str
    name: str
    source: str
    proves: str
    collected_on: datetime.date


class MoveOut(Schema):
    action: str
    label: str
    needs_reason: bool


class CaseDetailOut(CaseFields):
    facts: str
    items: list[str] = Field(..., description="涉及执法事项编码")
    handlers: list[int] = Field(..., description="承办人员编号")
    parties: list[PartyOut]
    evidence: list[EvidenceItemOut] = Field(..., description="证据清单")
    report_date: datetime.date | None = Field(None, description="调查终结报告日期")
    moves: list[MoveOut] = Field(..., description="当前用户此刻可以办理的操作")


class CaseFilters(Schema):
    status: str | None = Field(None, title="办理阶段", description="办理阶段代码")


class TransitionIn(Schema):
    action: str = Field(..., title="操作", max_length=40)
    version: int = Field(..., title="版本号", ge=1)
    on: datetime.date | None = Field(None, title="日期", ge=datetime.date(1990, 1, 1),
                                     le=datetime.date(2100, 12, 31))
    reason: str = Field("", title="理由", max_length=1000, pattern=r"^[^\x00]*$")


def _detail(request: HttpRequest, case: PenaltyCase) -> dict[str, Any]:
    report = getattr(case, "investigation_report", None)
    role = request.auth.role
    return {
        **{name: getattr(case, name) for name in (
            "id", "number", "status", "version", "source", "discovered_on", "violation_date",
            "filed_on", "decision_due")},
        "status_label": case.get_status_display(),
        "enterprise": case.enterprise_id,
        "enterprise_name": case.enterprise.name,
        "facts": case.facts,
        "items": sorted(case.items.values_list("code", flat=True)),
        "handlers": sorted(case.handlers.values_list("pk", flat=True)),
        "parties": [{"kind": p.kind, "name": p.name} for p in case.parties.all()],
        "evidence": list(case.evidence_items.values(
            "number", "kind", "name", "source", "proves", "collected_on")),
        "report_date": report.date if report else None,
        "moves": [{"action": t.action, "label": t.label, "needs_reason": "reason_given" in t.gates}
                  for t in workflow.available(case.status) if role in t.roles],
    }


def _case(request: HttpRequest, pk: int) -> PenaltyCase:
    case = selectors.case_get(user=request.auth, pk=pk)
    if case is None:
        raise HttpError(404, NOT_FOUND)
    return case


@router.get("", response={200: list[CaseOut], **ERRORS}, summary="案件列表",
            description="当前用户可见的案件（县级用户只见本县；企业用户只见本单位已立案的案件），"
                        "按登记时间倒序，可按办理阶段筛选。")
@paginate(Paginated)
def case_list(request: HttpRequest, filters: Query[CaseFilters]) -> QuerySet[PenaltyCase]:
    if filters.status and filters.status not in CaseStatus.values:
        raise HttpError(422, "输入有误。办理阶段：取值无效")
    return selectors.case_list(user=request.auth, status=filters.status).order_by(
        "-created_at", "-id")


@router.get("/{id}", response={200: CaseDetailOut, 404: ErrorOut, **ERRORS},
            summary="案件详情", description="不存在或不可见均返回 404。")
def case_detail(request: HttpRequest,
                id: int = Path(..., ge=1, le=MAX_ID, title="案件编号")) -> dict[str, Any]:
    return _detail(request, _case(request, id))


@router.post("/{id}/transitions",
             response={200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut, **ERRORS},
             summary="办理案件（流程流转）",
             description="按办案流程办理一步（如提请立案、批准立案）。须提交所见的版本号；"
                         "案件已被他人更新、角色不符或前置条件不满足时返回 422 及全部原因，"
                         "案件不作任何改动。")
def case_transition(request: HttpRequest, payload: TransitionIn,
                    id: int = Path(..., ge=1, le=MAX_ID, title="案件编号")) -> dict[str, Any]:
    case = _case(request, id)
    with service_refusals():
        case = services.case_transition(actor=request.auth, case=case, action=payload.action,
                                        version=payload.version, reason=payload.reason,
                                        on=payload.on)
    return _detail(request, selectors.case_get(user=request.auth, pk=case.pk) or case)
