"""Permits, 三同时 reviews, consultations and upgrade projects in the JSON API
(/api/v1/licensing/...), scoped like the pages. Writes go through the services: a
ValidationError is a 422, a PermissionDenied a 403 (Chinese, nothing saved); an object
outside the caller's scope is a 404 like a missing one. Dates are ISO dates (Beijing)."""


import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from fazhi.cases.selectors import case_list
from fazhi.core import calendar
from fazhi.core.api import ERRORS, NO_NUL, NOT_FOUND, ErrorOut, Paginated, service_refusals
from fazhi.core.models import User
from fazhi.core.selectors import jurisdiction_get
from fazhi.licensing import selectors_permits as sel
from fazhi.licensing import selectors_projects as psel
from fazhi.licensing import services_permits as svc
from fazhi.licensing import services_projects as psvc
from fazhi.licensing.models_permits import Permit, PermitApplication
from fazhi.licensing.models_projects import RestrictedChemical
from fazhi.licensing.rules import permits as law
from fazhi.subjects.selectors import enterprise_get

router = Router(tags=["危化品许可、三同时与项目"])

WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 403: ErrorOut, 404: ErrorOut}
MAX_ID = 2_147_483_647
Id = Path(..., ge=1, le=MAX_ID, title="编号")


def _fail(message: str) -> HttpError:
    return HttpError(422, message)


# --- schemas ---------------------------------------------------------------------------

class CitationOut(Schema):
    law: str
    version: str
    article: str


class DeadlineOut(Schema):
    date: datetime.date
    citations: list[CitationOut]
    assumed_years: list[int] = Field(..., description="未载入节假日安排、只按周末推算的年度")
    note: str = ""


def _deadline(d: law.PermitDeadline | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"date": d.date, "assumed_years": d.assumed_year_list, "note": d.note,
            "citations": [c.as_dict() for c in d.citations]}


class ApplicationOut(Schema):
    id: int
    reference: str = Field(..., description="受理通知书文号（受理前为收件编号）")
    enterprise: int = Field(..., alias="enterprise_id")
    enterprise_name: str
    permit_type: str
    permit_type_label: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    received_on: datetime.date
    acceptance_due: datetime.date
    accepted_on: datetime.date | None
    deemed_accepted: bool
    decision_due: datetime.date | None
    extended: bool
    decided_on: datetime.date | None
    decision_number: str
    decision_reasons: str
    permit: str | None = Field(None, description="原许可证编号（换证、变更、延期）")
    issued_permit: str | None = Field(None, description="颁发或变更后的许可证编号")
    materials: list[str]

    @staticmethod
    def resolve_enterprise_name(obj: PermitApplication) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_permit_type_label(obj: PermitApplication) -> str:
        return obj.get_permit_type_display()

    @staticmethod
    def resolve_kind_label(obj: PermitApplication) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj: PermitApplication) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_permit(obj: PermitApplication) -> str | None:
        return obj.permit.number if obj.permit_id else None

    @staticmethod
    def resolve_issued_permit(obj: PermitApplication) -> str | None:
        return obj.issued_permit.number if obj.issued_permit_id else None


class MaterialOut(Schema):
    code: str
    label: str
    submitted: bool


class ApplicationDetailOut(ApplicationOut):
    checklist: list[MaterialOut]
    correction_missing: list[str] = Field(default_factory=list,
                                          description="一次性补正告知的材料")
    deadline: DeadlineOut | None = Field(None, description="作出决定的期限（含延长与不计入期间）")


def _application_detail(app: PermitApplication) -> PermitApplication:
    """The application with the computed parts of its detail attached."""
    have = set(app.materials)
    app.checklist = [{**m, "submitted": m["code"] in have}  # type: ignore[attr-defined]
                     for m in svc.materials_for(app.permit_type, app.kind)]
    correction = getattr(app, "correction", None)
    app.correction_missing = (  # type: ignore[attr-defined]
        [m["label"] for m in correction.missing] if correction else [])
    app.deadline = _deadline(svc.decision_deadline(app))  # type: ignore[attr-defined]
    return app


class ApplicationFilters(Schema):
    permit_type: str | None = Field(None, pattern=r"^[a-z,]{1,40}$",
                                    description="production / use / operation，可逗号分隔")
    kind: str | None = Field(None, pattern=r"^[a-z,]{1,40}$",
                             description="issue / renew / change / extend，可逗号分隔")
    status: str | None = Field(None, pattern=r"^[a-z_]{1,20}$")
    year: int | None = Field(None, ge=2000, le=2100, description="收件年度")
    decided_year: int | None = Field(None, ge=2000, le=2100, description="决定年度")
    jurisdiction: str | None = Field(None, pattern=r"^\d{6,12}$")


class ApplicationIn(Schema):
    enterprise: int = Field(..., ge=1, le=MAX_ID)
    permit_type: str = Field(..., pattern=r"^(production|use|operation)$")
    kind: str = Field(..., pattern=r"^(issue|renew|change|extend)$")
    received_on: datetime.date
    materials: list[str] = Field(default_factory=list, max_length=50)
    scope: str = Field("", max_length=2000, pattern=NO_NUL)
    change_note: str = Field("", max_length=2000, pattern=NO_NUL)
    permit: int | None = Field(None, ge=1, le=MAX_ID, description="原许可证编号（id）")


class CorrectionIn(Schema):
    notified_on: datetime.date
    note: str = Field("", max_length=2000, pattern=NO_NUL)


class AcceptIn(Schema):
    accepted_on: datetime.date
    materials: list[str] = Field(default_factory=list, max_length=50,
                                 description="补正后补齐的材料代码")


class NotAcceptIn(Schema):
    decided_on: datetime.date
    reason: str = Field(..., max_length=2000, pattern=NO_NUL)


class VerificationIn(Schema):
    verified_on: datetime.date
    verifiers: list[int] = Field(..., min_length=1, max_length=10)
    findings: str = Field(..., max_length=4000, pattern=NO_NUL)
    result: str = Field(..., pattern=r"^(passed|failed)$")


class PauseIn(Schema):
    reason: str = Field(..., pattern=r"^(expert_review|hearing|testing|appraisal)$")
    started_on: datetime.date
    ended_on: datetime.date
    notified_on: datetime.date


class ExtensionIn(Schema):
    approved_on: datetime.date
    reason: str = Field(..., max_length=2000, pattern=NO_NUL)
    approved_by: str = Field(..., max_length=50, pattern=NO_NUL)


class DecisionIn(Schema):
    decided_on: datetime.date
    approve: bool
    reasons: str = Field("", max_length=4000, pattern=NO_NUL)
    scope: str = Field("", max_length=2000, pattern=NO_NUL)


class PermitOut(Schema):
    id: int
    number: str
    permit_type: str
    permit_type_label: str
    enterprise: int = Field(..., alias="enterprise_id")
    holder_name: str
    scope: str
    issued_on: datetime.date
    valid_from: datetime.date
    valid_until: datetime.date
    status: str = Field(..., description="valid / suspended / revoked / superseded / expired")
    status_label: str
    suspended_until: datetime.date | None

    @staticmethod
    def resolve_permit_type_label(obj: Permit) -> str:
        return obj.get_permit_type_display()

    @staticmethod
    def resolve_status(obj: Permit) -> str:
        return obj.current_status()


class PermitFilters(Schema):
    permit_type: str | None = Field(None, pattern=r"^(production|use|operation)$")
    status: str | None = Field(None, pattern=r"^(valid|suspended|revoked|superseded|expired)$")
    expiring_within: int | None = Field(None, ge=0, le=3650, description="N 日内到期")
    jurisdiction: str | None = Field(None, pattern=r"^\d{6,12}$")


class SuspendIn(Schema):
    case: int = Field(..., ge=1, le=MAX_ID, description="行政处罚案件编号（id）")
    decided_on: datetime.date
    until: datetime.date
    reason: str = Field(..., max_length=2000, pattern=NO_NUL)


class RevokeIn(Schema):
    case: int = Field(..., ge=1, le=MAX_ID)
    decided_on: datetime.date
    reason: str = Field(..., max_length=2000, pattern=NO_NUL)


class RestoreIn(Schema):
    restored_on: datetime.date
    reason: str = Field(..., max_length=2000, pattern=NO_NUL)


class DeadlinesIn(Schema):
    permit_type: str = Field(..., pattern=r"^(production|use|operation)$")
    received_on: datetime.date
    accepted_on: datetime.date | None = None
    extended: bool = False
    pauses: list[tuple[datetime.date, datetime.date]] = Field(default_factory=list,
                                                              max_length=20)


class DeadlinesOut(Schema):
    acceptance_due: DeadlineOut
    decision_due: DeadlineOut | None
    excluded_working_days: int


# --- applications --------------------------------------------------------------------

def _application(request: HttpRequest, pk: int) -> PermitApplication:
    app = sel.application_get(user=request.auth, pk=pk)
    if app is None:
        raise HttpError(404, NOT_FOUND)
    return app


@router.get("/permit-applications", response={200: list[ApplicationOut], **ERRORS},
            summary="许可申请列表",
            description="当前用户可见的危化品许可申请；企业用户只见本企业的。")
@paginate(Paginated)
def application_list(request: HttpRequest, filters: Query[ApplicationFilters]) -> Any:
    return sel.application_list(user=request.auth, **filters.dict()).order_by(
        "-received_on", "-id")


@router.get("/permit-applications/{id}", response={200: ApplicationDetailOut, 404: ErrorOut,
                                                   **ERRORS},
            summary="许可申请详情", description="含材料清单、补正告知和作出决定的期限（工作日）。")
def application_detail(request: HttpRequest, id: int = Id) -> Any:
    return _application_detail(_application(request, id))


@router.post("/permit-applications", response={201: ApplicationDetailOut, **WRITE_ERRORS},
             summary="登记许可申请（收件）",
             description="登记收到的核发、换证、变更、延期申请及已提交材料；收件后5个工作日内"
                         "应受理、不予受理或一次性告知补正（《行政许可法》第三十二条）。")
def application_create(request: HttpRequest, payload: ApplicationIn) -> Any:
    actor: User = request.auth
    enterprise = enterprise_get(user=actor, pk=payload.enterprise)
    if enterprise is None:
        raise _fail("申请单位（enterprise）：单位不存在或不在您的辖区内")
    permit = None
    if payload.permit is not None:
        permit = sel.permit_list(user=actor).filter(pk=payload.permit).first()
        if permit is None:
            raise _fail("原许可证（permit）：不存在或不可见")
    with service_refusals():
        app = svc.permit_application_receive(
            actor=actor, enterprise=enterprise, permit_type=payload.permit_type,
            kind=payload.kind, received_on=payload.received_on, materials=payload.materials,
            scope=payload.scope, change_note=payload.change_note, permit=permit)
    return Status(201, _application_detail(_application(request, app.pk)))


def _step(request: HttpRequest, id: int, call: Any) -> Any:
    app = _application(request, id)
    with service_refusals():
        call(app)
    return _application_detail(_application(request, id))


@router.post("/permit-applications/{id}/correction",
             response={200: ApplicationDetailOut, **WRITE_ERRORS}, summary="一次性告知补正",
             description="列明全部缺少的材料；超过收件后5个工作日的，依法视为受理，返回 422。")
def application_correction(request: HttpRequest, payload: CorrectionIn, id: int = Id) -> Any:
    return _step(request, id, lambda app: svc.permit_application_correction_notify(
        actor=request.auth, application=app, notified_on=payload.notified_on,
        note=payload.note))


@router.post("/permit-applications/{id}/acceptance",
             response={200: ApplicationDetailOut, **WRITE_ERRORS}, summary="受理",
             description="材料齐全后受理，编受理通知书文号，开始计算作出决定的期限。")
def application_accept(request: HttpRequest, payload: AcceptIn, id: int = Id) -> Any:
    return _step(request, id, lambda app: svc.permit_application_accept(
        actor=request.auth, application=app, accepted_on=payload.accepted_on,
        materials=payload.materials))


@router.post("/permit-applications/{id}/non-acceptance",
             response={200: ApplicationDetailOut, **WRITE_ERRORS}, summary="不予受理",
             description=("执法人员、负责人或管理员对收件或补正中的申请作出不予受理决定，"
                          "须写明理由（《行政许可法》第三十二条）。其他状态返回 422，"
                          "无权返回 403，不在辖区内返回 404。"))
def application_not_accept(request: HttpRequest, payload: NotAcceptIn, id: int = Id) -> Any:
    return _step(request, id, lambda app: svc.permit_application_not_accept(
        actor=request.auth, application=app, decided_on=payload.decided_on,
        reason=payload.reason))


@router.post("/permit-applications/{id}/verifications",
             response={200: ApplicationDetailOut, **WRITE_ERRORS}, summary="记录现场核查",
             description="两名以上本机关工作人员（《行政许可法》第三十四条第三款）。")
def application_verify(request: HttpRequest, payload: VerificationIn, id: int = Id) -> Any:
    people = list(User.objects.filter(pk__in=payload.verifiers))
    return _step(request, id, lambda app: svc.site_verification_record(
        actor=request.auth, application=app, verified_on=payload.verified_on,
        verifiers=people, findings=payload.findings, result=payload.result))


@router.post("/permit-applications/{id}/pauses",
             response={200: ApplicationDetailOut, **WRITE_ERRORS},
             summary="登记不计入审查期限的期间", description="《行政许可法》第四十五条。")
def application_pause(request: HttpRequest, payload: PauseIn, id: int = Id) -> Any:
    return _step(request, id, lambda app: svc.application_pause_add(
        actor=request.auth, application=app, reason=payload.reason,
        started_on=payload.started_on, ended_on=payload.ended_on,
        notified_on=payload.notified_on))


@router.post("/permit-applications/{id}/extension",
             response={200: ApplicationDetailOut, **WRITE_ERRORS}, summary="负责人批准延长十日",
             description="《行政许可法》第四十二条；期限届满后或已延长过的返回 422。")
def application_extend(request: HttpRequest, payload: ExtensionIn, id: int = Id) -> Any:
    return _step(request, id, lambda app: svc.permit_application_extend(
        actor=request.auth, application=app, approved_on=payload.approved_on,
        reason=payload.reason, approved_by=payload.approved_by))


@router.post("/permit-applications/{id}/decision",
             response={200: ApplicationDetailOut, **WRITE_ERRORS}, summary="作出许可决定",
             description="负责人作出准予或不予许可决定；不予许可须说明理由（第三十八条）。")
def application_decide(request: HttpRequest, payload: DecisionIn, id: int = Id) -> Any:
    return _step(request, id, lambda app: svc.permit_application_decide(
        actor=request.auth, application=app, decided_on=payload.decided_on,
        approve=payload.approve, reasons=payload.reasons, scope=payload.scope))


@router.post("/permit-deadlines", response={200: DeadlinesOut, **ERRORS},
             summary="计算许可办理期限",
             description="受理期限（5个工作日）与作出决定期限（工作日，含延长和不计入的期间），"
                         "按工作日历计算并附法律依据。")
def permit_deadlines(request: HttpRequest, payload: DeadlinesIn) -> Any:
    schedule = calendar.load_schedule()
    try:
        excluded = law.excluded_working_days(schedule, payload.pauses)
        decision = None
        if payload.accepted_on is not None:
            decision = law.decision_due(schedule, payload.accepted_on, payload.permit_type,
                                        extended=payload.extended, excluded_days=excluded)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    return {"acceptance_due": _deadline(law.acceptance_due(schedule, payload.received_on)),
            "decision_due": _deadline(decision), "excluded_working_days": excluded}


# --- permits ---------------------------------------------------------------------------

def _permit(request: HttpRequest, pk: int) -> Permit:
    permit = sel.permit_get(user=request.auth, pk=pk)
    if permit is None:
        raise HttpError(404, NOT_FOUND)
    return permit


@router.get("/permits", response={200: list[PermitOut], **ERRORS}, summary="许可证列表",
            description="expiring_within=N：N 日内到期的有效许可证（到期提醒）。")
@paginate(Paginated)
def permit_list(request: HttpRequest, filters: Query[PermitFilters]) -> Any:
    return sel.permit_list(user=request.auth, **filters.dict()).order_by("valid_until", "id")


@router.get("/permits/{id}", response={200: PermitOut, 404: ErrorOut, **ERRORS},
            summary="许可证详情",
            description=("当前用户辖区内（企业用户：本单位）的许可证详情；不存在或不在范围内返回 "
                         "404。"))
def permit_detail(request: HttpRequest, id: int = Id) -> Any:
    return _permit(request, id)


def _case(request: HttpRequest, pk: int) -> Any:
    case = case_list(user=request.auth).filter(pk=pk).first()
    if case is None:
        raise _fail("行政处罚案件（case）：不存在或不可见")
    return case


@router.post("/permits/{id}/suspension", response={200: PermitOut, **WRITE_ERRORS},
             summary="暂扣许可证", description="依据已作出处罚决定的行政处罚案件。")
def permit_suspend(request: HttpRequest, payload: SuspendIn, id: int = Id) -> Any:
    permit, case = _permit(request, id), _case(request, payload.case)
    with service_refusals():
        svc.permit_suspend(actor=request.auth, permit=permit, case=case,
                           decided_on=payload.decided_on, until=payload.until,
                           reason=payload.reason)
    return _permit(request, id)


@router.post("/permits/{id}/revocation", response={200: PermitOut, **WRITE_ERRORS},
             summary="吊销许可证", description="依据已作出处罚决定的行政处罚案件。")
def permit_revoke(request: HttpRequest, payload: RevokeIn, id: int = Id) -> Any:
    permit, case = _permit(request, id), _case(request, payload.case)
    with service_refusals():
        svc.permit_revoke(actor=request.auth, permit=permit, case=case,
                          decided_on=payload.decided_on, reason=payload.reason)
    return _permit(request, id)


@router.post("/permits/{id}/restoration", response={200: PermitOut, **WRITE_ERRORS},
             summary="发还暂扣的许可证",
             description=("负责人或管理员发还暂扣中的许可证，须填写发还日期和理由；"
                          "许可证不在暂扣状态返回 422，无权返回 403，不在辖区内返回 404。"))
def permit_restore(request: HttpRequest, payload: RestoreIn, id: int = Id) -> Any:
    permit = _permit(request, id)
    with service_refusals():
        svc.permit_restore(actor=request.auth, permit=permit, restored_on=payload.restored_on,
                           reason=payload.reason)
    return _permit(request, id)


# --- projects, consultations, upgrades -------------------------------------------------

class ReviewOut(Schema):
    id: int
    stage: str
    stage_label: str
    applied_on: datetime.date
    concluded_on: datetime.date | None
    outcome: str
    opinion: str
    opinion_number: str
    experts: str

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        return obj.get_stage_display()


class ProjectOut(Schema):
    id: int
    name: str
    enterprise: int = Field(..., alias="enterprise_id")
    nature: str
    description: str
    reviews: list[ReviewOut]

    @staticmethod
    def resolve_reviews(obj: Any) -> list[Any]:
        return list(obj.reviews.all())


class ProjectIn(Schema):
    enterprise: int = Field(..., ge=1, le=MAX_ID)
    name: str = Field(..., max_length=200, pattern=NO_NUL)
    nature: str = Field(..., pattern=r"^(new|rebuild|expand)$")
    description: str = Field("", max_length=4000, pattern=NO_NUL)


class ReviewIn(Schema):
    stage: str = Field(..., pattern=r"^(conditions|design|acceptance)$")
    applied_on: datetime.date
    experts: str = Field("", max_length=1000, pattern=NO_NUL)


class ConclusionIn(Schema):
    concluded_on: datetime.date
    outcome: str = Field(..., pattern=r"^(passed|failed)$")
    opinion: str = Field(..., max_length=4000, pattern=NO_NUL)


@router.get("/construction-projects", response={200: list[ProjectOut], **ERRORS},
            summary="危化品建设项目列表",
            description=("当前用户辖区内（企业用户：本单位）的危险化学品建设项目，"
                         "含各阶段“三同时”审查。"))
@paginate(Paginated)
def project_list(request: HttpRequest) -> Any:
    return psel.project_list(user=request.auth).prefetch_related("reviews")


@router.get("/construction-projects/{id}", response={200: ProjectOut, 404: ErrorOut, **ERRORS},
            summary="建设项目及其“三同时”审查",
            description=("建设项目及其安全条件审查、设计审查、竣工验收记录；"
                         "不存在或不在范围内返回 404。"))
def project_detail(request: HttpRequest, id: int = Id) -> Any:
    project = psel.project_get(user=request.auth, pk=id)
    if project is None:
        raise HttpError(404, NOT_FOUND)
    return project


@router.post("/construction-projects", response={201: ProjectOut, **WRITE_ERRORS},
             summary="登记建设项目",
             description=("执法人员、负责人或管理员为辖区内企业登记新建、改建或扩建项目；"
                          "企业不存在或不在辖区内返回 422，无权返回 403。"))
def project_create(request: HttpRequest, payload: ProjectIn) -> Any:
    enterprise = enterprise_get(user=request.auth, pk=payload.enterprise)
    if enterprise is None:
        raise _fail("建设单位（enterprise）：单位不存在或不在您的辖区内")
    with service_refusals():
        project = psvc.construction_project_register(
            actor=request.auth, enterprise=enterprise, name=payload.name,
            nature=payload.nature, description=payload.description)
    return Status(201, project)


@router.post("/construction-projects/{id}/reviews", response={201: ProjectOut, **WRITE_ERRORS},
             summary="登记“三同时”审查申请", description="按安全条件审查、设计审查、竣工验收顺序。")
def review_apply(request: HttpRequest, payload: ReviewIn, id: int = Id) -> Any:
    project = psel.project_get(user=request.auth, pk=id)
    if project is None:
        raise HttpError(404, NOT_FOUND)
    with service_refusals():
        psvc.safety_review_apply(actor=request.auth, project=project, stage=payload.stage,
                                 applied_on=payload.applied_on, experts=payload.experts)
    return Status(201, psel.project_get(user=request.auth, pk=id))


@router.post("/safety-reviews/{id}/conclusion", response={200: ReviewOut, **WRITE_ERRORS},
             summary="办结“三同时”审查（审查意见与结论）",
             description=("执法人员、负责人或管理员填写审查意见和结论（通过 / 不通过）办结审查，"
                          "自动编审查意见书文号；已办结或输入有误返回 422，无权返回 403，"
                          "不在辖区内返回 404。"))
def review_conclude(request: HttpRequest, payload: ConclusionIn, id: int = Id) -> Any:
    review = psel.review_list(user=request.auth).filter(pk=id).first()
    if review is None:
        raise HttpError(404, NOT_FOUND)
    with service_refusals():
        return psvc.safety_review_conclude(
            actor=request.auth, review=review, concluded_on=payload.concluded_on,
            outcome=payload.outcome, opinion=payload.opinion)


class RestrictionOut(Schema):
    id: int
    name: str
    cas: str
    restriction: str
    basis: str
    active: bool


class RestrictionIn(Schema):
    name: str = Field(..., max_length=100, pattern=NO_NUL)
    cas: str = Field("", max_length=20, pattern=NO_NUL)
    restriction: str = Field(..., pattern=r"^(prohibited|restricted)$")
    basis: str = Field(..., max_length=2000, pattern=NO_NUL)
    active: bool = True


class CheckIn(Schema):
    chemicals: str = Field(..., max_length=20000, pattern=NO_NUL,
                           description="每行一种：名称 CAS号")


class MatchOut(Schema):
    chemical: str
    name: str
    cas: str
    restriction: str
    restriction_label: str
    basis: str
    by: str = Field(..., description="cas / name：按 CAS 号或名称匹配")


@router.get("/restricted-chemicals", response={200: list[RestrictionOut], **ERRORS},
            summary="危险化学品禁限控目录",
            description=("危险化学品禁止、限制、控制目录的全部条目（名称、CAS 号、管控类别、"
                         "依据），登录用户均可查。"))
@paginate(Paginated)
def restriction_list(request: HttpRequest) -> Any:
    return RestrictedChemical.objects.all()


@router.post("/restricted-chemicals", response={201: RestrictionOut, **WRITE_ERRORS},
             summary="新增禁限控目录条目（管理员）",
             description=("仅管理员可新增目录条目（名称、CAS 号、禁止或限制类别、依据）；"
                          "其他角色返回 403，输入有误返回 422。"))
def restriction_create(request: HttpRequest, payload: RestrictionIn) -> Any:
    with service_refusals():
        row = psvc.restricted_chemical_save(actor=request.auth, **payload.dict())
    return Status(201, row)


@router.post("/restriction-check", response={200: list[MatchOut], **ERRORS},
             summary="比对禁限控目录", description="列出命中的化学品及其管控类别和依据。")
def restriction_check(request: HttpRequest, payload: CheckIn) -> Any:
    matches, problems = psel.restriction_check(payload.chemicals)
    if problems:
        raise _fail("；".join(problems))
    return matches


class ConsultationOut(Schema):
    id: int
    project_name: str
    applicant: str
    jurisdiction: str
    received_on: datetime.date
    concluded_on: datetime.date | None
    outcome: str
    opinion: str
    reasons: str
    experts: str
    chemicals: str
    matches: list[MatchOut]

    @staticmethod
    def resolve_jurisdiction(obj: Any) -> str:
        return obj.jurisdiction.code


class ConsultationIn(Schema):
    project_name: str = Field(..., max_length=200, pattern=NO_NUL)
    applicant: str = Field(..., max_length=200, pattern=NO_NUL)
    jurisdiction: str = Field(..., pattern=r"^\d{6,12}$")
    description: str = Field(..., max_length=4000, pattern=NO_NUL)
    chemicals: str = Field(..., max_length=20000, pattern=NO_NUL)
    received_on: datetime.date


class ConsultationConclusionIn(Schema):
    concluded_on: datetime.date
    outcome: str = Field(..., pattern=r"^(approved|vetoed)$")
    opinion: str = Field(..., max_length=4000, pattern=NO_NUL)
    experts: str = Field(..., max_length=1000, pattern=NO_NUL)
    reasons: str = Field("", max_length=4000, pattern=NO_NUL)


@router.get("/consultations", response={200: list[ConsultationOut], **ERRORS},
            summary="新建项目会商咨询列表",
            description=("当前用户辖区内（企业用户：涉及本单位）的新建项目会商咨询，"
                         "含禁限控目录比对结果和会商结论。"))
@paginate(Paginated)
def consultation_list(request: HttpRequest) -> Any:
    return psel.consultation_list(user=request.auth)


@router.post("/consultations", response={201: ConsultationOut, **WRITE_ERRORS},
             summary="登记会商咨询（自动比对禁限控目录）",
             description=("执法人员、负责人或管理员登记会商咨询，系统按禁限控目录比对所列化学品并"
                          "保存命中结果；拟建地不在辖区内或输入有误返回 422，无权返回 403。"))
def consultation_create(request: HttpRequest, payload: ConsultationIn) -> Any:
    jurisdiction = jurisdiction_get(user=request.auth, code=payload.jurisdiction)
    if jurisdiction is None:
        raise _fail("拟建地（jurisdiction）：区划不存在或不在您的辖区内")
    data = payload.dict()
    data["jurisdiction"] = jurisdiction
    with service_refusals():
        row = psvc.consultation_register(actor=request.auth, **data)
    return Status(201, row)


@router.post("/consultations/{id}/conclusion", response={200: ConsultationOut, **WRITE_ERRORS},
             summary="会商结论（同意 / 否决）", description="涉及禁止类化学品的项目不能同意。")
def consultation_conclude(request: HttpRequest, payload: ConsultationConclusionIn,
                          id: int = Id) -> Any:
    row = psel.consultation_get(user=request.auth, pk=id)
    if row is None:
        raise HttpError(404, NOT_FOUND)
    with service_refusals():
        return psvc.consultation_conclude(actor=request.auth, consultation=row, **payload.dict())


class EquipmentOut(Schema):
    name: str
    action: str
    quantity: int
    unit: str


class UpgradeOut(Schema):
    id: int
    name: str
    enterprise: int = Field(..., alias="enterprise_id")
    started_on: datetime.date
    completed_on: datetime.date | None
    equipment: list[EquipmentOut]
    equipment_total: int

    @staticmethod
    def resolve_equipment(obj: Any) -> list[Any]:
        return list(obj.equipment.all())

    @staticmethod
    def resolve_equipment_total(obj: Any) -> int:
        return sum(e.quantity for e in obj.equipment.all())


@router.get("/upgrades", response={200: list[UpgradeOut], **ERRORS},
            summary="改造提升项目列表",
            description=("当前用户辖区内（企业用户：本单位）的改造提升项目，"
                         "含淘汰更新设备清单及数量合计。"))
@paginate(Paginated)
def upgrade_list(request: HttpRequest) -> Any:
    return psel.upgrade_list(user=request.auth).prefetch_related("equipment")
