"""Normative documents, cleanups and major decisions in the JSON API (under
/api/v1/policy/), scoped exactly like the pages: a document, cleanup or decision outside
the caller's scope answers 404 like a missing one. Writes go through the services
(a refusal: 422 / 403 in Chinese, nothing saved)."""


import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from fazhi.core.api import ERRORS, NO_NUL, NOT_FOUND, ErrorOut, Paginated, service_refusals
from fazhi.policy import selectors_decisions as dsel
from fazhi.policy import selectors_normdocs as sel
from fazhi.policy import services_decisions as dsvc
from fazhi.policy import services_normdocs as svc
from fazhi.policy.models_decisions import MajorDecision
from fazhi.policy.models_normdocs import DocIssuer, DocStatus, NormativeDocument
from fazhi.policy.rules import decisions as drules
from fazhi.policy.rules import normdocs as rules

router = Router(tags=["行政规范性文件与重大行政决策"])

WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 403: ErrorOut, 404: ErrorOut}
MAX_ID = 2_147_483_647


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


# --- normative documents -----------------------------------------------------------------

class NormdocOut(Schema):
    id: int
    title: str
    number: str
    issuer: str
    issuer_label: str
    status: str
    status_label: str
    version_no: int
    drafted_on: datetime.date
    signed_on: datetime.date | None
    published_on: datetime.date | None
    effective_on: datetime.date | None
    valid_years: int
    expires_on: datetime.date | None
    ended_on: datetime.date | None
    agency: str
    public_url: str | None
    version: int = Field(..., description="记录版本（乐观锁：提交操作时带上）")

    @staticmethod
    def resolve_issuer_label(obj: NormativeDocument) -> str:
        return str(obj.get_issuer_display())

    @staticmethod
    def resolve_status_label(obj: NormativeDocument) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_agency(obj: NormativeDocument) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_public_url(obj: NormativeDocument) -> str | None:
        return obj.get_absolute_public_url() if obj.published_on else None


class NormdocFilters(Schema):
    status: DocStatus | None = Field(None, title="状态")
    issuer: DocIssuer | None = Field(None, title="制发名义")
    year: int | None = Field(None, ge=2000, le=2100, title="年度（公布年度，未公布的按起草年度）")
    q: str | None = Field(None, max_length=100, pattern=NO_NUL, title="标题或文号")


def _normdoc(request: HttpRequest, pk: int) -> NormativeDocument:
    doc = sel.normdoc_get(user=request.auth, pk=pk)
    if doc is None:
        raise HttpError(404, NOT_FOUND)
    return doc


def _normdoc_detail(request: HttpRequest, doc: NormativeDocument) -> dict[str, Any]:
    base = NormdocOut.from_orm(doc).dict()
    fcr = doc.fcr_review
    base.update(
        text=doc.text,
        text_source=doc.text_source,
        source_sha256=doc.source_sha256,
        versions=[{"id": v.pk, "version_no": v.version_no, "number": v.number,
                   "status": v.status, "published_on": _day(v.published_on)}
                  for v in sel.normdoc_versions(doc)],
        legality_reviews=[{
            "round": r.round_no, "submitted_on": _day(r.submitted_on),
            "concluded_on": _day(r.concluded_on), "conclusion": r.conclusion,
            "opinions": [{"id": o.pk, "clause": o.clause, "opinion": o.opinion,
                          "adopted": o.adopted, "response": o.response}
                         for o in r.opinions.all()]}
            for r in doc.legality_reviews.all()],
        fcr_review=None if fcr is None else {
            "id": fcr.pk, "conclusion": fcr.conclusion,
            "concluded_at": fcr.concluded_at.isoformat() if fcr.concluded_at else None},
        deliberation={"on": _day(doc.deliberated_on), "meeting": doc.deliberation_meeting},
        moves=[m.name for m in rules.available(doc.status, request.auth.role)],
    )
    return base


class NormdocIn(Schema):
    title: str = Field(..., min_length=1, max_length=300, pattern=NO_NUL, title="标题")
    issuer: DocIssuer = Field(DocIssuer.BUREAU, title="制发名义")
    text: str = Field("", max_length=svc.MAX_TEXT, pattern=NO_NUL, title="正文")
    drafted_on: datetime.date | None = Field(None, title="起草日期")
    valid_years: int = Field(rules.MAX_VALID_YEARS, ge=1, le=10, title="有效期（年）")


class TransitionIn(Schema):
    move: str = Field(..., max_length=30, title="操作",
                      description="submit_legality / submit_fcr / submit_deliberation / sign / "
                                  "publish / take_effect / return_draft / expire / repeal")
    version: int | None = Field(None, ge=1, title="记录版本（乐观锁）")
    on: datetime.date | None = Field(None, title="操作日期（默认今天）")
    reason: str = Field("", max_length=2000, pattern=NO_NUL, title="理由")
    number: str = Field("", max_length=60, pattern=NO_NUL, title="市府办文号（以市府办名义签发时）")
    published_on: datetime.date | None = Field(None, title="公布日期")
    effective_on: datetime.date | None = Field(None, title="施行日期")
    valid_years: int | None = Field(None, ge=1, le=10, title="有效期（年）")
    published_where: str = Field("", max_length=100, pattern=NO_NUL, title="公布载体")


@router.get("/normdocs", response={200: list[NormdocOut], **ERRORS}, summary="规范性文件列表",
            description="当前用户可见的行政规范性文件（每个版本一行；县级用户只见本县及下级机关的"
                        "文件；企业用户和社会监督员为空），按起草日期倒序。")
@paginate(Paginated)
def normdoc_list(request: HttpRequest,
                 filters: Query[NormdocFilters]) -> QuerySet[NormativeDocument]:
    return sel.normdoc_list(
        user=request.auth, status=filters.status.value if filters.status else None,
        issuer=filters.issuer.value if filters.issuer else None, year=filters.year,
        q=filters.q)


@router.post("/normdocs", response={201: dict, **WRITE_ERRORS}, summary="起草规范性文件",
             description=("执法人员、审核员、负责人或管理员以本机关名义起草行政规范性文件（状态为"
                          "起草）；其他角色返回 403，输入有误返回 422。"))
def normdoc_create(request: HttpRequest, payload: NormdocIn) -> Any:
    with service_refusals():
        doc = svc.normdoc_create(actor=request.auth, title=payload.title,
                                 issuer=payload.issuer.value, text=payload.text,
                                 drafted_on=payload.drafted_on, valid_years=payload.valid_years)
    return Status(201, _normdoc_detail(request, _normdoc(request, doc.pk)))


@router.get("/normdocs/{id}", response={200: dict, 404: ErrorOut, **ERRORS},
            summary="规范性文件详情",
            description="文件及其正文、各版本、合法性审查（逐条意见及采纳情况）、公平竞争审查结论、"
                        "集体审议和当前用户可执行的操作。")
def normdoc_detail(request: HttpRequest,
                   id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return _normdoc_detail(request, _normdoc(request, id))


@router.post("/normdocs/{id}/transitions", response={200: dict, **WRITE_ERRORS},
             summary="规范性文件流转",
             description="执行一个流转操作。每个环节的条件及依据见 rules/normdocs.py：未经合法性"
                         "审查或经审查不合法的不得提交审议（国办发〔2018〕37号 二（六））；公平竞争"
                         "审查结论为符合或适用例外方可提交集体审议；签发时本局文件自动编号；公布须"
                         "填写公布和施行日期。条件不满足返回 422 并列明原因。")
def normdoc_transition(request: HttpRequest, payload: TransitionIn,
                       id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    doc = _normdoc(request, id)
    with service_refusals():
        svc.normdoc_transition(
            actor=request.auth, document=doc, move=payload.move,
            expected_version=payload.version, on=payload.on, reason=payload.reason,
            number=payload.number, published_on=payload.published_on,
            effective_on=payload.effective_on, valid_years=payload.valid_years,
            published_where=payload.published_where)
    return _normdoc_detail(request, _normdoc(request, id))


class AmendIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000, pattern=NO_NUL, title="修改理由")


@router.post("/normdocs/{id}/amend", response={201: dict, **WRITE_ERRORS},
             summary="修改（生成新版本）",
             description="对已公布或有效的文件启动修改：生成新版本（起草），原版本保留，新版本施行时"
                         "原版本标记为“已修改”。")
def normdoc_amend(request: HttpRequest, payload: AmendIn,
                  id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    doc = _normdoc(request, id)
    with service_refusals():
        new = svc.normdoc_amend(actor=request.auth, document=doc, reason=payload.reason)
    return Status(201, _normdoc_detail(request, _normdoc(request, new.pk)))


# --- cleanups ----------------------------------------------------------------------------

def _campaign_out(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk, "title": c.title, "issuer": c.issuer, "status": c.status,
        "started_on": _day(c.started_on), "concluded_on": _day(c.concluded_on),
        "published_on": _day(c.published_on),
        "results": [{"document": r.document_id, "number": r.document.number,
                     "title": r.document.title, "result": r.result, "reason": r.reason}
                    for r in c.results.all()],
    }


@router.get("/cleanups", response={200: list[dict], **ERRORS}, summary="规范性文件清理列表",
            description=("当前用户辖区内的规范性文件清理活动（最多 200 项），"
                         "含逐份文件的清理结果及理由。"))
def cleanup_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_campaign_out(c) for c in sel.cleanup_list(user=request.auth)
            .prefetch_related("results__document")[:200]]


@router.get("/cleanups/{id}", response={200: dict, 404: ErrorOut, **ERRORS},
            summary="规范性文件清理详情",
            description=("一次清理活动及其逐份文件的清理结果和理由；不存在或不在辖区内返回 404。"))
def cleanup_detail(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    campaign = sel.cleanup_get(user=request.auth, pk=id)
    if campaign is None:
        raise HttpError(404, NOT_FOUND)
    return _campaign_out(campaign)


# --- major decisions ---------------------------------------------------------------------

def _decision(request: HttpRequest, pk: int) -> MajorDecision:
    decision = dsel.decision_get(user=request.auth, pk=pk)
    if decision is None:
        raise HttpError(404, NOT_FOUND)
    return decision


def _decision_out(decision: MajorDecision, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": decision.pk, "title": decision.title, "year": decision.catalogue.year,
        "undertaker": decision.undertaker, "status": decision.status,
        "status_label": str(decision.get_status_display()),
        "adopted_on": _day(decision.adopted_on), "published_on": _day(decision.published_on),
        "version": decision.version,
    }
    if detail:
        out["steps"] = [{
            "kind": s.kind, "label": str(s.get_kind_display()),
            "started_on": _day(s.started_on), "completed_on": _day(s.completed_on),
            "comment_from": _day(s.comment_from), "comment_until": _day(s.comment_until),
            "comments": s.comments.count(), "files": s.files.count(),
            "legality": s.legality, "risk_level": s.risk_level,
            "citation": drules.cite_text(drules.STEP_BY_KIND[s.kind].citation),
        } for s in decision.steps.all()]
        out["gaps"] = ([str(g) for g in dsvc.adoption_gaps(decision)]
                       if decision.status in dsvc.OPEN else [])
        out["evaluations"] = [{"evaluated_on": _day(e.evaluated_on), "evaluator": e.evaluator,
                               "conclusion": e.conclusion}
                              for e in decision.evaluations.all()]
    return out


@router.get("/decisions", response={200: list[dict], **ERRORS}, summary="重大行政决策列表",
            description=("当前用户辖区内的重大行政决策事项（可按目录年度筛选），含状态、"
                         "决定日期和公布日期。"))
@paginate(Paginated)
def decision_list(request: HttpRequest,
                  year: int | None = Query(None, ge=2000, le=2100)) -> list[dict[str, Any]]:
    return [_decision_out(d) for d in dsel.decision_list(user=request.auth, year=year)]


@router.get("/decisions/{id}", response={200: dict, 404: ErrorOut, **ERRORS},
            summary="重大行政决策详情",
            description="决策事项、五项法定程序的记录及依据条款，尚缺的程序（gaps），决策后评估。")
def decision_detail(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    return _decision_out(_decision(request, id), detail=True)


class AdoptIn(Schema):
    adopted_on: datetime.date = Field(..., title="决定日期")
    decision_text: str = Field(..., min_length=1, max_length=20000, pattern=NO_NUL,
                               title="决定内容")
    version: int | None = Field(None, ge=1, title="记录版本（乐观锁）")


@router.post("/decisions/{id}/adopt", response={200: dict, **WRITE_ERRORS},
             summary="作出决定",
             description="负责人标记决策已作出决定。公众参与、专家论证、风险评估、合法性审查、"
                         "集体讨论决定五项程序任一缺失或未完成的，返回 422，并列明缺少的程序及"
                         "《重大行政决策程序暂行条例》条款。")
def decision_adopt(request: HttpRequest, payload: AdoptIn,
                   id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    decision = _decision(request, id)
    with service_refusals():
        dsvc.decision_adopt(actor=request.auth, decision=decision,
                            adopted_on=payload.adopted_on,
                            decision_text=payload.decision_text,
                            expected_version=payload.version)
    return _decision_out(_decision(request, id), detail=True)
