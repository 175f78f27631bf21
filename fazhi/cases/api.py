"""Penalty cases in the JSON API, scoped exactly like the pages (`cases.selectors`):
the list with its filters, a case with its parties and their decisions, the engine's
assessment, the running deadlines, the documents that can be issued, transfers and
legal-review rounds, the moves open to the caller now, moves through the workflow, and
the download of a document (.docx, recorded in the case's event record).

A move names the version the caller saw; a stale one, or an unmet gate, is a 422 with
the Chinese reasons and changes nothing. A case outside the caller's scope answers 404,
like one that does not exist. Money is a string of yuan with two decimals ("12345.00"),
never a float; personal ID numbers never appear (masked wherever free text holds one).

A social supervisor (社会监督员) reads the filed cases of the area they oversee, like an
enterprise user reads its own: decisions once made, no internal records, no documents;
every write answers 403 and changes nothing.
"""

import datetime
from enum import Enum
from typing import Annotated, Any

from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import StringConstraints, field_validator

from fazhi.cases import documents, selectors, services
from fazhi.cases.deadlines import CaseDeadline, case_deadlines
from fazhi.cases.models import (
    CaseParty,
    CaseSource,
    CaseStatus,
    LegalReview,
    Outcome,
    PartyDecision,
    PenaltyCase,
    Transfer,
)
from fazhi.cases.rules import workflow
from fazhi.cases.rules.access import READ_ONLY_MESSAGE, may_write
from fazhi.cases.services.documents import case_document_issue
from fazhi.core.api import ERRORS, NO_NUL, NOT_FOUND, ErrorOut, Paginated, service_refusals
from fazhi.core.models import User
from fazhi.core.rules.money import yuan_fen
from fazhi.legal.labels import MEASURE_LABELS
from fazhi.subjects.api import MAX_ID
from fazhi.subjects.rules.masking import mask_id_numbers_in
from fazhi.subjects.selectors import enterprise_get

router = Router(tags=["行政处罚案件"])

# Input dates stay within these years (as the other routers'): a date near 9999 would
# overflow date arithmetic instead of being refused.
EARLIEST, LATEST = datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)
# A resident ID number (18 or 15 digits) inside free text: shown masked, never whole.
# Which decisions each decision document is made from (the others would only be listed
# to say "not for this outcome"): a transfer outcome has no decision document to serve.
_DOCUMENT_OUTCOMES: dict[str, frozenset[str]] = {
    "penalty_decision": frozenset({Outcome.PENALTY}),
    "no_penalty_decision": frozenset({Outcome.NO_PENALTY}),
    "service": frozenset({Outcome.PENALTY, Outcome.NO_PENALTY}),
}

DocumentKind = Enum(  # type: ignore[misc]
    "DocumentKind", {code.upper(): code for code in documents.DOCUMENTS}, type=str)
KIND_PATH = Path(..., title="文书种类", description="文书种类代码")


# --- output -----------------------------------------------------------------------------


class CaseFields(Schema):
    id: int
    number: str = Field(..., description="立案编号（立案前为空）")
    status: str = Field(..., description="办理阶段代码")
    status_label: str = Field(..., description="办理阶段")
    version: int = Field(..., description="版本号：办理时原样提交，用于防止并发冲突")
    enterprise: int
    enterprise_name: str
    agency: int = Field(..., description="执法机关编号")
    agency_name: str
    source: str = Field(..., description="案件来源代码")
    source_label: str = Field(..., description="案件来源")
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

    @staticmethod
    def resolve_agency(obj: PenaltyCase) -> int:
        return obj.agency_id

    @staticmethod
    def resolve_agency_name(obj: PenaltyCase) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_source_label(obj: PenaltyCase) -> str:
        return obj.get_source_display()


class CitationOut(Schema):
    law: str = Field(..., description="法律法规名称")
    version: str = Field("", description="版本")
    article: str = Field(..., description="条款")
    applies_to: str = Field("", description="所支持的结论要素")


class DecisionOut(Schema):
    outcome: str = Field(..., description="penalty 行政处罚 / no_penalty 不予行政处罚 / "
                                          "transfer 移送司法机关")
    outcome_label: str
    item: str | None = Field(None, description="适用执法事项编码")
    measures: list[str] = Field(..., description="处罚种类代码")
    measure_labels: list[str] = Field(..., description="处罚种类")
    fine: str = Field(..., description="罚款（元，两位小数的字符串）")
    confiscation: str = Field(..., description="没收违法所得、非法财物（元）")
    tier: str = Field(..., description="裁量阶次")
    statutory_min: str | None = Field(None, description="法定罚款下限（元）")
    statutory_max: str | None = Field(None, description="法定罚款上限（元）")
    recommended_min: str | None = Field(None, description="裁量基准下限（元）")
    recommended_max: str | None = Field(None, description="裁量基准上限（元）")
    suggested: str | None = Field(None, description="处罚引擎建议罚款（元）")
    deviation_reason: str = Field(..., description="偏离裁量基准的理由")
    exempt_ground: str = Field(..., description="不予处罚情形：minor / first / no_fault")
    waived_amount: str = Field(..., description="不予处罚时免除的罚款（元）")
    hearing_rights: bool = Field(..., description="享有听证权利（处罚引擎判断）")
    number: str = Field(..., description="决定书编号（作出决定前为空）")
    decided_on: datetime.date | None = Field(None, description="决定日期")
    served_on: datetime.date | None = Field(None, description="送达日期")
    payment_due: datetime.date | None = Field(None, description="缴款期限")
    citations: list[CitationOut] = Field(..., description="法律依据")


class PartyOut(Schema):
    id: int
    kind: str = Field(..., description="unit 生产经营单位 / principal 主要负责人 / "
                                       "responsible 其他直接责任人员")
    kind_label: str
    name: str
    decision: DecisionOut | None = Field(
        None, description="处理意见或决定；企业用户和社会监督员在作出决定后才能看到")


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


class AssessmentOut(Schema):
    review_required: bool | None = Field(None, description="须法制审核（null：尚未评估）")
    collective_required: bool | None = Field(None, description="须集体讨论（null：尚未评估）")
    assessed_on: datetime.date | None = Field(None, description="评估日期")
    review_grounds: list[str] = Field(..., description="须法制审核的情形")
    review_citations: list[CitationOut]
    collective_grounds: list[str] = Field(..., description="须集体讨论的情形")
    collective_citations: list[CitationOut]


class DeadlineOut(Schema):
    key: str = Field(..., description="期限种类代码")
    label: str
    due: datetime.date = Field(..., description="期限届满日")
    party: str | None = Field(None, description="所属当事人（按当事人计算的期限）")
    done_on: datetime.date | None = Field(None, description="完成日期")
    overdue: bool = Field(..., description="已逾期（未按期完成）")
    suspended: bool = Field(..., description="案件中止，期限暂停计算")
    information: bool = Field(..., description="当事人自己的期限，仅供参考，不计逾期")
    citations: list[CitationOut]
    notes: list[str] = Field(..., description="说明（延期、中止等）")


class DocumentOut(Schema):
    kind: str = Field(..., description="文书种类代码")
    title: str = Field(..., description="文书名称")
    object: int | None = Field(None, description="文书依据的记录编号（下载时作为 obj 参数）")
    available: bool = Field(..., description="现在可以制作")
    reason: str | None = Field(None, description="暂不能制作的原因")
    url: str | None = Field(None, description="下载地址（可以制作时）")


class TransferOut(Schema):
    id: int
    kind: str = Field(..., description="detention 移送行政拘留 / criminal 涉嫌犯罪移送")
    kind_label: str
    number: str = Field(..., description="移送书编号")
    transferred_on: datetime.date
    receiver: str = Field(..., description="接收机关")
    answer: str = Field(..., description="pending / accepted / returned")
    answer_label: str
    persons_count: int = Field(..., description="移送人数")
    persons: list[str] | None = Field(None, description="移送人员姓名；企业用户和社会监督员为 null")


class LegalReviewOut(Schema):
    round: int = Field(..., description="审核轮次")
    submitted_on: datetime.date
    conclusion: str = Field(..., description="审核结论代码（审核中为空）")
    conclusion_label: str
    concluded_on: datetime.date | None = None
    opinions: int = Field(..., description="审核意见条数")


class CaseDetailOut(CaseFields):
    facts: str
    items: list[str] = Field(..., description="涉及执法事项编码")
    handlers: list[int] = Field(..., description="承办人员编号")
    parties: list[PartyOut] = Field(..., description="当事人及其处理意见或决定（一案双罚分别列明）")
    evidence: list[EvidenceItemOut] = Field(..., description="证据清单")
    report_date: datetime.date | None = Field(None, description="调查终结报告日期")
    assessment: AssessmentOut = Field(..., description="处罚引擎对审核要求的判断")
    deadlines: list[DeadlineOut] = Field(..., description="案件期限（逾期的 overdue 为 true）")
    documents: list[DocumentOut] = Field(
        ..., description="可制作的文书；企业用户只列其可下载的决定书和送达回证；"
                         "社会监督员为空")
    transfers: list[TransferOut] = Field(..., description="案件移送")
    legal_reviews: list[LegalReviewOut] | None = Field(
        None, description="法制审核各轮；仅执法机关人员可见，企业用户和社会监督员为 null")
    moves: list[MoveOut] = Field(..., description="当前用户此刻可以办理的操作")


# --- input ------------------------------------------------------------------------------


class CaseFilters(Schema):
    status: CaseStatus | None = Field(None, title="办理阶段", description="办理阶段代码")
    source: CaseSource | None = Field(None, title="案件来源", description="案件来源代码")
    year: int | None = Field(None, ge=2000, le=2100, title="立案年度",
                             description="按立案日期的年度")
    enterprise: int | None = Field(None, ge=1, le=MAX_ID, title="当事单位",
                                   description="单位编号")
    agency: int | None = Field(None, ge=1, le=MAX_ID, title="执法机关",
                               description="执法机关编号")
    q: str | None = Field(None, max_length=100, pattern=NO_NUL, title="关键词",
                          description="立案编号或单位名称包含的文字")
    overdue: bool | None = Field(
        None, title="逾期",
        description="true：只列有执法机关期限已逾期未办的案件；false：只列没有的")
    decided_from: datetime.date | None = Field(
        None, ge=EARLIEST, le=LATEST, title="决定日期起",
        description="有当事人的决定在该日或之后作出（YYYY-MM-DD）")
    decided_to: datetime.date | None = Field(
        None, ge=EARLIEST, le=LATEST, title="决定日期止",
        description="有当事人的决定在该日或之前作出（YYYY-MM-DD）")

    @field_validator("*", mode="before")
    @classmethod
    def _blank_means_absent(cls, value: Any) -> Any:
        # Forms and many clients send "?status=" for "any": treat it as not given.
        return None if value == "" else value


class TransitionIn(Schema):
    action: str = Field(..., title="操作", max_length=40)
    version: int = Field(..., title="版本号", ge=1)
    on: datetime.date | None = Field(None, title="日期", ge=EARLIEST, le=LATEST)
    reason: str = Field("", title="理由", max_length=1000, pattern=NO_NUL)


ItemCode = Annotated[str, StringConstraints(min_length=1, max_length=30, pattern=NO_NUL)]
UserId = Annotated[int, Field(ge=1, le=MAX_ID)]
MAX_ITEMS = 20
MAX_HANDLERS = 20


class CaseCreateIn(Schema):
    """A lead (线索登记) from a source other than an inspection finding."""

    enterprise: int = Field(..., ge=1, le=MAX_ID, title="当事单位（enterprise）",
                            description="单位编号")
    source: CaseSource = Field(
        ..., title="案件来源（source）",
        description="tip 投诉举报 / accident 事故调查 / referral 移送交办 / "
                    "non_site 非现场监管 / other 其他；inspection（检查发现）的问题须从检查记录"
                    "转为案件线索，此处返回 422")
    facts: str = Field(..., min_length=1, max_length=8000, pattern=NO_NUL,
                       title="线索情况（facts）")
    discovered_on: datetime.date = Field(..., ge=EARLIEST, le=LATEST,
                                         title="发现日期（discovered_on）",
                                         description="YYYY-MM-DD，不能晚于今天")
    items: list[ItemCode] = Field(..., min_length=1, max_length=MAX_ITEMS,
                                  title="执法事项编码（items）",
                                  description="执法事项目录中发现日期有效的行政处罚事项编码")
    handlers: list[UserId] = Field(
        default_factory=list, max_length=MAX_HANDLERS, title="承办人员（handlers）",
        description="执法人员编号；当前用户自动列为承办人员。立案前须有两名以上持有效执法证的"
                    "本机关执法人员")


# --- the list's filters (shared with the ledger download) -------------------------------


# --- the detail -------------------------------------------------------------------------


def _citations(items: Any) -> list[dict[str, str]]:
    return [{"law": str(c.get("law", "")), "version": str(c.get("version", "")),
             "article": str(c.get("article", "")), "applies_to": str(c.get("applies_to", ""))}
            for c in items or () if isinstance(c, dict)]


def _decision(decision: PartyDecision) -> dict[str, Any]:
    return {
        "outcome": decision.outcome,
        "outcome_label": decision.get_outcome_display(),
        "item": decision.item.code if decision.item_id else None,
        "measures": list(decision.measures),
        "measure_labels": [str(MEASURE_LABELS.get(m, m)) for m in decision.measures],
        **{name: yuan_fen(getattr(decision, name)) for name in (
            "fine", "confiscation", "statutory_min", "statutory_max", "recommended_min",
            "recommended_max", "suggested", "waived_amount")},
        **{name: getattr(decision, name) for name in (
            "tier", "exempt_ground", "hearing_rights", "number", "decided_on", "served_on",
            "payment_due")},
        "deviation_reason": mask_id_numbers_in(decision.deviation_reason),
        "citations": _citations(decision.citations),
    }


def _parties(parties: list[CaseParty], staff: bool) -> list[dict[str, Any]]:
    found = []
    for party in parties:
        decision = getattr(party, "decision", None)
        # An enterprise user sees the decision once made, not the internal proposal.
        shown = decision is not None and (staff or decision.decided_on is not None)
        found.append({"id": party.pk, "kind": party.kind, "kind_label": party.get_kind_display(),
                      "name": party.name, "decision": _decision(decision) if shown else None})
    return found


def _assessment(case: PenaltyCase) -> dict[str, Any]:
    answer = case.assessment if isinstance(case.assessment, dict) else {}
    review, collective = answer.get("legal_review") or {}, answer.get("collective") or {}
    return {
        "review_required": case.review_required,
        "collective_required": case.collective_required,
        "assessed_on": case.assessed_on,
        "review_grounds": [str(g) for g in review.get("grounds", [])],
        "review_citations": _citations(review.get("citations")),
        "collective_grounds": [str(g) for g in collective.get("grounds", [])],
        "collective_citations": _citations(collective.get("citations")),
    }


def _deadline(item: CaseDeadline) -> dict[str, Any]:
    return {"key": item.key, "label": item.label, "due": item.due, "party": item.party,
            "done_on": item.done_on, "overdue": item.overdue, "suspended": item.suspended,
            "information": item.information, "citations": _citations(item.citations),
            "notes": [str(n) for n in item.notes]}


def _documents(case: PenaltyCase, decisions: list[PartyDecision],
               user: User) -> list[dict[str, Any]]:
    """Each document of the case (one per record it is made from) with whether it can
    be made now and why not; an enterprise user only those it may download."""
    staff = user.is_staff_role
    if not may_write(user):
        return []  # a social supervisor has none (`services.documents._may_have`)
    # the enterprise does not learn a proposal's outcome from the documents listed for it
    shown = [d for d in decisions if staff or d.decided_on is not None]
    records: dict[str, list[Model | None]] = {
        documents.CASE: [None],
        documents.DECISION: list(shown),
        documents.REVIEW: list(case.legal_reviews.order_by("round")),
        documents.DISCUSSION: list(case.discussions.all()),
        documents.NOTICE: list(case.notices.all()),
        documents.TRANSFER: list(case.transfers.all()),
    }
    found = []
    for kind, spec in documents.DOCUMENTS.items():
        if not staff and not spec.enterprise_download:
            continue
        for obj in records[spec.needs]:
            outcomes = _DOCUMENT_OUTCOMES.get(kind)
            if outcomes is not None and getattr(obj, "outcome", None) not in outcomes:
                continue
            reason = documents.document_available(kind, case, obj)
            url = reverse("api:case_document", kwargs={"id": case.pk, "kind": kind})
            found.append({
                "kind": kind, "title": str(spec.title),
                "object": obj.pk if obj is not None else None,
                "available": reason is None, "reason": reason,
                "url": None if reason else url + (f"?obj={obj.pk}" if obj is not None else ""),
            })
    return found


def _transfers(case: PenaltyCase, staff: bool) -> list[dict[str, Any]]:
    # Whom the agency sent to the police is not the enterprise's to read (the transfer
    # letter is an internal document): its users see the count, not the names.
    return [{
        "id": t.pk, "kind": t.kind, "kind_label": t.get_kind_display(), "number": t.number,
        "transferred_on": t.transferred_on, "receiver": t.receiver, "answer": t.answer,
        "answer_label": t.get_answer_display(), "persons_count": t.person_count,
        "persons": [mask_id_numbers_in(str(p)) for p in t.persons] if staff else None,
    } for t in case.transfers.all()]


def _legal_reviews(case: PenaltyCase) -> list[dict[str, Any]]:
    reviews: QuerySet[LegalReview] = case.legal_reviews.annotate(
        opinion_count=Count("opinions")).order_by("round")
    return [{"round": r.round, "submitted_on": r.submitted_on, "conclusion": r.conclusion,
             "conclusion_label": r.get_conclusion_display() if r.conclusion else "",
             "concluded_on": r.concluded_on, "opinions": r.opinion_count}
            for r in reviews]


def _detail(request: HttpRequest, case: PenaltyCase) -> dict[str, Any]:
    user: User = request.auth
    staff = user.is_staff_role
    report = getattr(case, "investigation_report", None)
    parties = list(case.parties.select_related("decision__item").order_by("id"))
    decisions = [p.decision for p in parties if hasattr(p, "decision")]
    return {
        **{name: getattr(case, name) for name in (
            "id", "number", "status", "version", "source", "discovered_on", "violation_date",
            "filed_on", "decision_due")},
        "status_label": case.get_status_display(),
        "source_label": case.get_source_display(),
        "enterprise": case.enterprise_id,
        "enterprise_name": case.enterprise.name,
        "agency": case.agency_id,
        "agency_name": case.agency.name,
        "facts": mask_id_numbers_in(case.facts),
        "items": sorted(case.items.values_list("code", flat=True)),
        "handlers": sorted(case.handlers.values_list("pk", flat=True)),
        "parties": _parties(parties, staff),
        "evidence": [{**row, **{k: mask_id_numbers_in(row[k])
                                for k in ("name", "source", "proves")}}
                     for row in case.evidence_items.values(
                         "number", "kind", "name", "source", "proves", "collected_on")],
        "report_date": report.date if report else None,
        "assessment": _assessment(case),
        "deadlines": [_deadline(d) for d in case_deadlines(case, timezone.localdate())],
        "documents": _documents(case, decisions, user),
        "transfers": _transfers(case, staff),
        "legal_reviews": _legal_reviews(case) if staff else None,
        "moves": [{"action": t.action, "label": t.label, "needs_reason": "reason_given" in t.gates}
                  for t in workflow.available(case.status) if user.role in t.roles],
    }


def _writer(request: HttpRequest) -> None:
    """Only staff and enterprise users write through this router (each only what the
    services let them); a social supervisor reads: 403 before any case is looked up."""
    if not may_write(request.auth):
        raise HttpError(403, str(READ_ONLY_MESSAGE))


def _case(request: HttpRequest, pk: int) -> PenaltyCase:
    case = selectors.case_get(user=request.auth, pk=pk)
    if case is None:
        raise HttpError(404, NOT_FOUND)
    return case


# --- operations -------------------------------------------------------------------------


@router.get("", response={200: list[CaseOut], **ERRORS}, summary="案件列表",
            description="当前用户可见的案件（县级用户只见本县；企业用户只见本单位已立案的案件；"
                        "社会监督员只见其监督辖区已立案的案件），"
                        "按登记时间倒序。可按办理阶段、案件来源、立案年度、当事单位、执法机关、"
                        "关键词（立案编号或单位名称）、是否逾期（执法机关的期限已过而未办）和"
                        "决定日期范围筛选；取值无效返回 422。")
@paginate(Paginated)
def case_list(request: HttpRequest, filters: Query[CaseFilters]) -> QuerySet[PenaltyCase]:
    if (filters.decided_from and filters.decided_to
            and filters.decided_from > filters.decided_to):
        raise HttpError(422, "输入有误。决定日期起：不能晚于决定日期止")
    cases = selectors.case_list(
        user=request.auth, status=filters.status.value if filters.status else None)
    cases = selectors.filter_cases(
        cases, source=filters.source.value if filters.source else None, year=filters.year,
        enterprise=filters.enterprise, agency=filters.agency, q=filters.q,
        overdue=filters.overdue, decided_from=filters.decided_from,
        decided_to=filters.decided_to)
    return cases.order_by("-created_at", "-id")


@router.post("", response={201: CaseDetailOut, 403: ErrorOut, **ERRORS},
             summary="登记案件线索",
             description="执法人员登记投诉举报、事故调查、移送交办、非现场监管等来源的案件线索"
                         "（检查发现的问题从检查记录转为线索），本人自动列为承办人员，返回 201 及"
                         "案件详情。单位不存在或不在您的辖区内、执法事项无效、发现日期晚于今天等"
                         "返回 422；角色无权（含社会监督员）或单位不在所在机关管辖范围内返回 403；"
                         "均不保存任何内容。")
def case_create(request: HttpRequest, payload: CaseCreateIn) -> Any:
    _writer(request)
    actor: User = request.auth
    enterprise = enterprise_get(user=actor, pk=payload.enterprise)
    if enterprise is None:
        raise HttpError(422, "输入有误。当事单位（enterprise）：单位不存在或不在您的辖区内")
    wanted = list(dict.fromkeys(payload.handlers))
    found = {u.pk: u for u in User.objects.filter(pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise HttpError(422, "输入有误。承办人员（handlers）：编号为 "
                             f"{'、'.join(missing)} 的人员不存在")
    with service_refusals():
        case = services.case_lead_register(
            actor=actor, enterprise=enterprise, source=payload.source.value,
            facts=payload.facts, discovered_on=payload.discovered_on,
            item_codes=payload.items, handlers=[found[pk] for pk in wanted])
    return Status(201, _detail(request, selectors.case_get(user=actor, pk=case.pk) or case))


@router.get("/{id}", response={200: CaseDetailOut, 404: ErrorOut, **ERRORS},
            summary="案件详情",
            description="案件及其当事人和处理决定（金额为两位小数的字符串）、处罚引擎的审核要求"
                        "判断、案件期限、可制作的文书及下载地址、案件移送、法制审核各轮（仅执法"
                        "机关人员）和当前用户可以办理的操作。不存在或不可见均返回 404。")
def case_detail(request: HttpRequest,
                id: int = Path(..., ge=1, le=MAX_ID, title="案件编号")) -> dict[str, Any]:
    return _detail(request, _case(request, id))


@router.post("/{id}/transitions",
             response={200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut, **ERRORS},
             summary="办理案件（流程流转）",
             description="按办案流程办理一步（如提请立案、批准立案）。须提交所见的版本号；"
                         "案件已被他人更新、角色不符或前置条件不满足时返回 422 及全部原因；"
                         "社会监督员只能查阅，返回 403；案件均不作任何改动。")
def case_transition(request: HttpRequest, payload: TransitionIn,
                    id: int = Path(..., ge=1, le=MAX_ID, title="案件编号")) -> dict[str, Any]:
    _writer(request)
    case = _case(request, id)
    with service_refusals():
        case = services.case_transition(actor=request.auth, case=case, action=payload.action,
                                        version=payload.version, reason=payload.reason,
                                        on=payload.on)
    return _detail(request, selectors.case_get(user=request.auth, pk=case.pk) or case)


def _record(case: PenaltyCase, needs: str, pk: int) -> Model | None:
    """The record of `case` a document is made from, or None when the case has none
    with that id."""
    records: dict[str, QuerySet[Any]] = {
        documents.DECISION: PartyDecision.objects.select_related("party", "item").filter(
            party__case=case),
        documents.REVIEW: case.legal_reviews.all(),
        documents.DISCUSSION: case.discussions.all(),
        documents.NOTICE: case.notices.all(),
        documents.TRANSFER: Transfer.objects.filter(case=case),
    }
    return records[needs].filter(pk=pk).first()


@router.get(
    "/{id}/documents/{kind}",
    url_name="case_document",
    response={403: ErrorOut, 404: ErrorOut, **ERRORS},
    summary="下载案件文书",
    description="按文书种类制作本案文书（Word .docx），并记入案件的事件记录（含文件的 SHA-256）。"
                "法制审核意见书、集体讨论记录、告知书、决定书、送达回证和移送书须以 obj "
                "指明所依据的记录（见案件详情的 documents）。"
                "案件不存在或不可见、obj 不是本案的记录返回 404；"
                "企业用户只能下载本单位已作出的决定书和送达回证，其他返回 403；"
                "社会监督员不能下载文书，返回 403；"
                "尚不能制作时返回 422 及原因。",
    openapi_extra={"responses": {200: {
        "description": "Word 文书（.docx），文件名见 Content-Disposition",
        "content": {documents.DOCX_CONTENT_TYPE: {
            "schema": {"type": "string", "format": "binary"}}}}}},
)
def case_document(
    request: HttpRequest,
    id: int = Path(..., ge=1, le=MAX_ID, title="案件编号"),
    kind: DocumentKind = KIND_PATH,
    obj: int | None = Query(None, ge=1, le=MAX_ID, title="文书依据的记录编号",
                            description="决定书、送达回证等依据某一记录制作的文书必填"),
) -> HttpResponse:
    case = _case(request, id)
    spec = documents.DOCUMENTS[kind.value]
    record = None
    if spec.needs != documents.CASE and obj is not None:
        record = _record(case, spec.needs, obj)
        if record is None:
            raise HttpError(404, NOT_FOUND)
    with service_refusals():
        name, data = case_document_issue(actor=request.auth, case=case, kind=kind.value,
                                         obj=record)
    response = HttpResponse(data, content_type=documents.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
