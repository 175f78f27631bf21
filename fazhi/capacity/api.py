"""The capacity app in the JSON API (mounted at /api/v1/capacity/ by fazhi/api.py):
people doing legal work with their roles, qualification and public-lawyer licences, and
the report's staff rates for any jurisdiction and day.

Reads are scoped like the pages (out of scope: 404); ID numbers are masked unless the
caller's role needs them. Writes go through `fazhi.capacity.services`: a ValidationError
is a 422, a PermissionDenied a 403, both in Chinese, and nothing is saved."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from fazhi.capacity import selectors, services
from fazhi.capacity.models import LegalQualification, StaffMember, StaffRole
from fazhi.capacity.rules.rates import Rate
from fazhi.core.api import ERRORS, NO_NUL, NOT_FOUND, ErrorOut, Paginated, service_refusals
from fazhi.core.selectors import jurisdiction_get
from fazhi.subjects.rules.masking import shown_id_number

router = Router(tags=["法治能力建设"])

WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 403: ErrorOut, 404: ErrorOut}
EARLIEST, LATEST = datetime.date(1950, 1, 1), datetime.date(2100, 12, 31)


def _day(value: datetime.date | None, label: str) -> datetime.date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise HttpError(422, f"输入有误。{label}应在{EARLIEST}至{LATEST}之间")
    return value


# --- output ----------------------------------------------------------------------------------

class RoleOut(Schema):
    id: int
    kind: str = Field(..., description="reviewer 法制审核员 / officer 执法人员 / unit_head "
                                       "法制机构负责人 / legal_staff 法制工作人员")
    kind_label: str
    start: datetime.date
    end: datetime.date | None = Field(None, description="终止日期（不再在岗的第一天）")


class LicenceOut(Schema):
    id: int
    number: str = Field(..., description="公职律师执业证号")
    issued_on: datetime.date
    revoked_on: datetime.date | None = None


class QualificationOut(Schema):
    kind: str
    certificate_number: str
    granted_on: datetime.date


class PersonOut(Schema):
    id: int
    name: str
    agency: int
    agency_name: str
    department: str | None = None
    position: str
    is_leader: bool = Field(..., description="领导班子成员")
    id_number: str = Field(..., description="身份证号（无权查看完整号码的角色看到打码号码）")
    joined_on: datetime.date
    left_on: datetime.date | None = None
    roles: list[RoleOut]
    qualification: QualificationOut | None = None
    licences: list[LicenceOut]


def _person_out(person: StaffMember, user: Any) -> dict[str, Any]:
    try:
        qualification = person.qualification
    except LegalQualification.DoesNotExist:
        qualification = None
    return {
        "id": person.pk, "name": person.name, "agency": person.agency_id,
        "agency_name": person.agency.name,
        "department": person.department.name if person.department_id else None,
        "position": person.position, "is_leader": person.is_leader,
        "id_number": shown_id_number(user, person.id_number) if person.id_number else "",
        "joined_on": person.joined_on, "left_on": person.left_on,
        "roles": [{"id": r.pk, "kind": r.kind, "kind_label": r.get_kind_display(),
                   "start": r.start, "end": r.end} for r in person.roles.all()],
        "qualification": None if qualification is None else {
            "kind": qualification.kind, "certificate_number": qualification.certificate_number,
            "granted_on": qualification.granted_on},
        "licences": [{"id": x.pk, "number": x.number, "issued_on": x.issued_on,
                      "revoked_on": x.revoked_on} for x in person.lawyer_licences.all()],
    }


class RateOut(Schema):
    numerator: int
    denominator: int
    percent: str = Field(..., description="百分比，两位小数的字符串（如 \"77.78\"）")


class AgencyFactsOut(Schema):
    agency: int
    name: str
    kind: str
    coverage_exempt: bool = Field(..., description="不计入公职律师覆盖率（功能区）")
    has_legal_unit: bool
    reviewers: int
    qualified_reviewers: int
    public_lawyers: int


class RatesOut(Schema):
    jurisdiction: str
    day: datetime.date = Field(..., description="统计截止日")
    legal_units: RateOut = Field(..., description="市县两级法制机构设置率")
    reviewers: RateOut = Field(..., description="法制审核员配备率")
    qualified_reviewers: RateOut = Field(..., description="具有法律职业资格的法制审核员比例")
    lawyer_coverage: RateOut = Field(..., description="公职律师覆盖率（功能区除外）")
    public_lawyers: int = Field(..., description="辖区公职律师人数")
    public_lawyers_bureau: int = Field(..., description="本级机关公职律师人数")
    advisers_bureau: int = Field(..., description="本级机关常年法律顾问（当日在聘）")
    agencies: list[AgencyFactsOut]


def _rate(rate: Rate) -> dict[str, Any]:
    return {"numerator": rate.numerator, "denominator": rate.denominator,
            "percent": str(rate.percent)}


# --- reads -----------------------------------------------------------------------------------

class PeopleFilter(Schema):
    agency: int | None = Field(None, description="机关编号")
    role: str = Field("", max_length=20, pattern=NO_NUL,
                      description="岗位：reviewer / officer / unit_head / legal_staff / "
                                  "public_lawyer")
    q: str = Field("", max_length=50, pattern=NO_NUL, description="姓名或职务关键字")
    day: datetime.date | None = Field(None, description="只列该日在岗人员")


@router.get("/people", response={200: list[PersonOut], **ERRORS}, summary="法治工作人员列表",
            description="本辖区机关的法治工作人员，含岗位、法律职业资格和公职律师证。")
@paginate(Paginated)
def people(request: HttpRequest, filters: Query[PeopleFilter]) -> Any:
    agency = None
    if filters.agency is not None:
        agency = selectors.agency_get(user=request.auth, pk=filters.agency)
        if agency is None:
            return []
    if filters.role and filters.role not in {*StaffRole.Kind.values, "public_lawyer"}:
        raise HttpError(422, "输入有误。岗位不存在")
    rows = selectors.person_list(user=request.auth, agency=agency, role=filters.role,
                                 q=filters.q, day=_day(filters.day, "日期"))
    # People lists are short (hundreds): masked per caller, then paginated.
    return [_person_out(p, request.auth) for p in rows]


def _person(request: HttpRequest, pk: int) -> StaffMember:
    person = selectors.person_get(user=request.auth, pk=pk)
    if person is None:
        raise HttpError(404, NOT_FOUND)
    return person


@router.get("/people/{pk}", response={200: PersonOut, 404: ErrorOut, **ERRORS},
            summary="法治工作人员详情",
            description=("本辖区法治工作人员的岗位、法律职业资格和公职律师证；"
                         "身份证号按角色脱敏，不存在或不在范围内返回 404。"))
def person_detail(request: HttpRequest, pk: int = Path(..., ge=1, le=2**31 - 1)) -> Any:
    return _person_out(_person(request, pk), request.auth)


@router.get("/rates", response={200: RatesOut, 404: ErrorOut, **ERRORS},
            summary="法治队伍建设比率",
            description="指定区划（默认本辖区）截至某日（默认今天）的法制机构设置率、法制审核员"
                        "配备率、具有法律职业资格的审核员比例、公职律师覆盖率（功能区除外）。")
def rates(request: HttpRequest, jurisdiction: str = Query("", max_length=12, pattern=r"^\d*$"),
          day: datetime.date | None = None) -> Any:
    user = request.auth
    area = (jurisdiction_get(user=user, code=jurisdiction) if jurisdiction
            else user.jurisdiction)
    if area is None or user.role in {"enterprise", "supervisor"}:
        raise HttpError(404, NOT_FOUND)
    result = selectors.staff_rates(area, _day(day, "日期") or timezone.localdate())
    return {
        "jurisdiction": area.code, "day": result.day,
        "legal_units": _rate(result.legal_units), "reviewers": _rate(result.reviewers),
        "qualified_reviewers": _rate(result.qualified_reviewers),
        "lawyer_coverage": _rate(result.lawyer_coverage),
        "public_lawyers": result.public_lawyers,
        "public_lawyers_bureau": result.public_lawyers_bureau,
        "advisers_bureau": result.advisers_bureau,
        "agencies": [{"agency": f.agency_id, "name": f.name, "kind": f.kind,
                      "coverage_exempt": f.coverage_exempt, "has_legal_unit": f.has_legal_unit,
                      "reviewers": f.reviewers, "qualified_reviewers": f.qualified_reviewers,
                      "public_lawyers": f.public_lawyers} for f in result.facts],
    }


# --- writes ----------------------------------------------------------------------------------

class PersonIn(Schema):
    agency: int = Field(..., description="所在机关编号")
    name: str = Field(..., min_length=1, max_length=50, pattern=NO_NUL)
    joined_on: datetime.date
    id_number: str = Field("", max_length=18, pattern=NO_NUL)
    position: str = Field("", max_length=50, pattern=NO_NUL)
    is_leader: bool = False
    roles: list[str] = Field(default_factory=list, max_length=4,
                             description="到岗时的岗位（reviewer / officer / unit_head / "
                                         "legal_staff）")


class PersonPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=50, pattern=NO_NUL)
    position: str | None = Field(None, max_length=50, pattern=NO_NUL)
    is_leader: bool | None = None
    left_on: datetime.date | None = Field(None, description="离岗日期")


class RoleIn(Schema):
    kind: str = Field(..., max_length=20)
    start: datetime.date


class RoleEndIn(Schema):
    end: datetime.date


class QualificationIn(Schema):
    certificate_number: str = Field(..., min_length=4, max_length=40, pattern=NO_NUL)
    granted_on: datetime.date
    kind: str = Field("A", max_length=10)


class LicenceIn(Schema):
    number: str = Field(..., min_length=4, max_length=40, pattern=NO_NUL)
    issued_on: datetime.date


class RevokeIn(Schema):
    on: datetime.date


def _kind(kind: str) -> str:
    if kind not in StaffRole.Kind.values:
        raise HttpError(422, f"输入有误。岗位“{kind}”不存在")
    return kind


@router.post("/people", response={201: PersonOut, **WRITE_ERRORS}, summary="登记法治工作人员",
             description=("法制审核员、负责人或管理员为本辖区机关登记法治工作人员及到岗时的岗位；"
                          "机关不存在或不在辖区内返回 404，无权返回 403，输入有误返回 422。"))
def person_create(request: HttpRequest, payload: PersonIn) -> Any:
    agency = selectors.agency_get(user=request.auth, pk=payload.agency)
    if agency is None:
        raise HttpError(404, NOT_FOUND)
    with service_refusals():
        person = services.person_create(
            actor=request.auth, agency=agency, name=payload.name,
            joined_on=_day(payload.joined_on, "到岗日期"), id_number=payload.id_number,
            position=payload.position, is_leader=payload.is_leader,
            roles=[_kind(k) for k in payload.roles])
    return Status(201, _person_out(_person(request, person.pk), request.auth))


@router.patch("/people/{pk}", response={200: PersonOut, **WRITE_ERRORS},
              summary="修改法治工作人员（含离岗）",
              description=("法制审核员、负责人或管理员修改姓名、职务、是否领导班子成员或离岗日期"
                           "；无权返回 403，不在辖区内返回 404，输入有误返回 422。"))
def person_update(request: HttpRequest, payload: PersonPatch, pk: int = Path(..., ge=1)) -> Any:
    person = _person(request, pk)
    changes = payload.dict(exclude_unset=True)
    if "left_on" in changes:
        _day(changes["left_on"], "离岗日期")
    with service_refusals():
        services.person_update(actor=request.auth, person=person, **changes)
    return _person_out(_person(request, pk), request.auth)


@router.post("/people/{pk}/roles", response={201: PersonOut, **WRITE_ERRORS},
             summary="新增岗位",
             description=("为人员新增岗位（法制审核员、执法人员、法制机构负责人、法制工作人员）；"
                          "已在该岗位或起始日期早于到岗日期返回 422，无权返回 403，"
                          "不在辖区内返回 404。"))
def role_add(request: HttpRequest, payload: RoleIn, pk: int = Path(..., ge=1)) -> Any:
    person = _person(request, pk)
    with service_refusals():
        services.role_add(actor=request.auth, person=person, kind=_kind(payload.kind),
                          start=_day(payload.start, "起始日期"))
    return Status(201, _person_out(_person(request, pk), request.auth))


@router.post("/people/{pk}/roles/{role_id}/end", response={200: PersonOut, **WRITE_ERRORS},
             summary="终止岗位",
             description=("登记岗位的终止日期（不再在岗的第一天）；岗位已终止或终止日期早于起始日"
                          "期返回 422，无权返回 403，人员或岗位不存在或不在辖区内返回 404。"))
def role_end(request: HttpRequest, payload: RoleEndIn, pk: int = Path(..., ge=1),
             role_id: int = Path(..., ge=1)) -> Any:
    person = _person(request, pk)
    role = person.roles.filter(pk=role_id).first()
    if role is None:
        raise HttpError(404, NOT_FOUND)
    with service_refusals():
        services.role_end(actor=request.auth, role=role, end=_day(payload.end, "终止日期"))
    return _person_out(_person(request, pk), request.auth)


@router.put("/people/{pk}/qualification", response={200: PersonOut, **WRITE_ERRORS},
            summary="登记法律职业资格",
            description=("登记或更新人员的法律职业资格（证书编号、取得日期、类别）；"
                         "资格类别不存在或输入有误返回 422，无权返回 403，不在辖区内返回 404。"))
def qualification_set(request: HttpRequest, payload: QualificationIn,
                      pk: int = Path(..., ge=1)) -> Any:
    person = _person(request, pk)
    if payload.kind not in LegalQualification.Kind.values:
        raise HttpError(422, "输入有误。资格类别不存在")
    with service_refusals():
        services.qualification_set(actor=request.auth, person=person,
                                   certificate_number=payload.certificate_number,
                                   granted_on=_day(payload.granted_on, "取得日期"),
                                   kind=payload.kind)
    return _person_out(_person(request, pk), request.auth)


@router.post("/people/{pk}/licences", response={201: PersonOut, **WRITE_ERRORS},
             summary="登记公职律师证",
             description=("为人员登记公职律师执业证（证号、颁证日期）；输入有误返回 422，"
                          "无权返回 403，不在辖区内返回 404。"))
def licence_add(request: HttpRequest, payload: LicenceIn, pk: int = Path(..., ge=1)) -> Any:
    person = _person(request, pk)
    with service_refusals():
        services.licence_add(actor=request.auth, person=person, number=payload.number,
                             issued_on=_day(payload.issued_on, "颁证日期"))
    return Status(201, _person_out(_person(request, pk), request.auth))


@router.post("/people/{pk}/licences/{licence_id}/revoke",
             response={200: PersonOut, **WRITE_ERRORS}, summary="注销公职律师证",
             description=("注销人员的公职律师证并记录注销日期；已注销返回 422，无权返回 403，"
                          "人员或证书不存在或不在辖区内返回 404。"))
def licence_revoke(request: HttpRequest, payload: RevokeIn, pk: int = Path(..., ge=1),
                   licence_id: int = Path(..., ge=1)) -> Any:
    person = _person(request, pk)
    licence = person.lawyer_licences.filter(pk=licence_id).first()
    if licence is None:
        raise HttpError(404, NOT_FOUND)
    with service_refusals():
        services.licence_revoke(actor=request.auth, licence=licence,
                                on=_day(payload.on, "注销日期"))
    return _person_out(_person(request, pk), request.auth)
