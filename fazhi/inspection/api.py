"""Inspection plans, random draws (双随机), inspections and hazards (事故隐患) in the JSON
API, scoped exactly like the pages (fazhi.inspection.selectors).

Every write goes through fazhi.inspection.services. Their refusals answer in Chinese:
a ValidationError is a 422, a PermissionDenied a 403, and nothing is saved. A record
outside the user's area answers 404, like one that does not exist. A reference in a
request body (an enterprise, officers, a checklist item, an agency) that does not exist
or is out of reach is a 422 naming the field.

A social supervisor (社会监督员) reads everything here for the area it oversees and writes
nothing: a write by a role that may not make it answers 403 before its body is looked
at. Free texts (findings, descriptions, requirements, reports, opinions, notes,
signatories, evidence file names) come with resident ID numbers masked unless the role
needs them whole (`fazhi.subjects.rules.masking.shown_text`).
"""

import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from fazhi.core.api import ERRORS, NO_NUL, NOT_FOUND, ErrorOut, Paginated, service_refusals
from fazhi.core.models import Agency, User
from fazhi.inspection import services
from fazhi.inspection.models import (
    ChecklistItem,
    DrawPick,
    Finding,
    Hazard,
    HazardLevel,
    Inspection,
    InspectionCategory,
    InspectionPlan,
    InspectionResult,
    RandomDraw,
    RectificationOrder,
    SupervisionLevel,
)
from fazhi.inspection.rules.access import can_inspect, can_plan
from fazhi.inspection.selectors import (
    checklist_items,
    draw_get,
    draw_list,
    hazard_get,
    hazard_list,
    inspection_get,
    inspection_list,
    plan_list,
)
from fazhi.subjects.api import MAX_ID
from fazhi.subjects.models import RiskLevel, SupervisionCategory
from fazhi.subjects.rules.masking import shown_text
from fazhi.subjects.selectors import enterprise_get

router = Router(tags=["执法检查与事故隐患"])

WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 403: ErrorOut, 404: ErrorOut}
# Input dates stay within these years (as the legal API's): a date near 9999 would
# overflow the deadline arithmetic instead of being refused.
EARLIEST, LATEST = datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)
MAX_OFFICERS = 20
MAX_RESULTS = 500
Department = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NO_NUL)]


def _day(title: str, default: Any = ..., description: str | None = None) -> Any:
    return Field(default, ge=EARLIEST, le=LATEST, title=title, description=description)


def _id_path(title: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, title=title)


# --- service refusals -------------------------------------------------------------


def _refused(label: str, reason: str) -> HttpError:
    return HttpError(422, f"输入有误。{label}：{reason}")


def _not_found() -> HttpError:
    return HttpError(404, NOT_FOUND)


def _writer(allowed: bool, what: str) -> None:
    # Before the body's references are resolved: a role without the right (a social
    # supervisor) gets 403, not a 422 about a field. The service checks again.
    if not allowed:
        raise HttpError(403, f"您的角色无权{what}")


def _text(context: Any, value: str) -> str:
    """A free text as the requesting user may read it (ID numbers masked)."""
    request = (context or {}).get("request")
    return shown_text(getattr(request, "auth", None), value)


# --- shared pieces ----------------------------------------------------------------


class _Filters(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def _blank_means_absent(cls, value: Any) -> Any:
        # Forms and many clients send "?status=" for "any": treat it as not given.
        return None if value == "" else value


class PersonOut(Schema):
    id: int
    name: str


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": str(user)}


def _people(users: Any) -> list[dict[str, Any]]:
    return [_person(u) for u in sorted(users, key=lambda u: u.pk)]


def _agency(agency_id: int | None, actor: User, label: str) -> Agency:
    if agency_id is None:
        if actor.agency is None:
            raise _refused(label, "请指定执法机关")
        return actor.agency
    agency = Agency.objects.select_related("jurisdiction").filter(pk=agency_id).first()
    if agency is None:
        raise _refused(label, f"编号 {agency_id} 的执法机关不存在")
    return agency


def _officers(ids: list[int], label: str = "检查人员（officers）") -> list[User]:
    wanted = list(dict.fromkeys(ids))
    found = {u.pk: u for u in User.objects.filter(pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise _refused(label, f"编号为 {'、'.join(missing)} 的人员不存在")
    return [found[pk] for pk in wanted]


def _checklist_item(code: str | None, label: str) -> ChecklistItem | None:
    if not code:
        return None
    item = checklist_items().filter(code=code).first()
    if item is None:
        raise _refused(label, f"检查事项“{code}”不存在或已停用")
    return item


# --- plans ------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    agency: int = Field(..., description="执法机关编号")
    agency_name: str
    year: int
    title: str
    planned_key: int = Field(..., description="重点检查计划户次")
    planned_general: int = Field(..., description="一般检查计划户次")
    planned_special: int = Field(..., description="专项检查计划户次")
    planned_joint: int = Field(..., description="联合检查计划户次")
    status: str = Field(..., description="draft 草拟 / in_force 执行中 / closed 已结束")
    status_label: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_agency(obj: InspectionPlan) -> int:
        return obj.agency_id

    @staticmethod
    def resolve_agency_name(obj: InspectionPlan) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_status_label(obj: InspectionPlan) -> str:
        return str(obj.get_status_display())


def _planned(title: str) -> Any:
    return Field(0, ge=0, le=1_000_000, title=title)


class PlanIn(Schema):
    agency: int | None = Field(None, ge=1, le=MAX_ID, title="执法机关（agency）",
                               description="执法机关编号；不填为当前用户所在机关")
    year: int = Field(..., ge=2000, le=2100, title="年度（year）")
    title: str = Field("", max_length=200, pattern=NO_NUL, title="计划名称（title）",
                       description="不填则为“<机关名称><年度>年度执法检查计划”")
    planned_key: int = _planned("重点检查计划户次（planned_key）")
    planned_general: int = _planned("一般检查计划户次（planned_general）")
    planned_special: int = _planned("专项检查计划户次（planned_special）")
    planned_joint: int = _planned("联合检查计划户次（planned_joint）")


class PlanFilters(_Filters):
    year: int | None = Field(None, ge=2000, le=2100, title="年度")


@router.get(
    "/plans",
    response={200: list[PlanOut], **ERRORS},
    summary="执法检查计划列表",
    description="当前用户辖区内各执法机关的年度执法检查计划，按年度倒序；企业用户无权查看，"
                "列表为空。",
)
@paginate(Paginated)
def plans(request: HttpRequest, filters: Query[PlanFilters]) -> QuerySet[InspectionPlan]:
    return plan_list(user=request.auth, year=filters.year)


@router.get(
    "/plans/{id}",
    response={200: PlanOut, 404: ErrorOut, **ERRORS},
    summary="执法检查计划详情",
    description="不存在或不在当前用户辖区内均返回 404。",
)
def plan_detail(request: HttpRequest, id: int = _id_path("计划编号")) -> InspectionPlan:
    plan = plan_list(user=request.auth).filter(pk=id).first()
    if plan is None:
        raise _not_found()
    return plan


@router.post(
    "/plans",
    response={201: PlanOut, **WRITE_ERRORS},
    summary="编制年度执法检查计划",
    description="执法人员、负责人或管理员为本辖区内的执法机关编制年度计划（每个机关每年一份）。"
                "无权或超出辖区返回 403；计划已存在等返回 422。",
)
def plan_create(request: HttpRequest, payload: PlanIn) -> Any:
    actor = request.auth
    _writer(can_plan(actor), "编制执法检查计划")
    agency = _agency(payload.agency, actor, "执法机关（agency）")
    planned = {key: getattr(payload, f"planned_{key}")
               for key in ("key", "general", "special", "joint")}
    with service_refusals():
        plan = services.plan_create(actor=actor, agency=agency, year=payload.year,
                                    planned=planned, title=payload.title)
    return Status(201, plan_list(user=actor).get(pk=plan.pk))


# --- draws ------------------------------------------------------------------------


class PickOut(Schema):
    position: int
    enterprise: int
    enterprise_name: str
    officers: list[PersonOut]

    @staticmethod
    def resolve_enterprise(obj: DrawPick) -> int:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj: DrawPick) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_officers(obj: DrawPick) -> list[dict[str, Any]]:
        return _people(obj.officers.all())


class DrawOut(Schema):
    id: int
    plan: int = Field(..., description="检查计划编号")
    category: str = Field(..., description="检查类别：key / general / special / joint")
    category_label: str
    filters: dict[str, str] = Field(..., description="抽取条件")
    sampling_ratio: str = Field(..., description="抽查比例（小数字符串，如 \"0.2500\"）")
    seed: str = Field(..., description="随机种子（字符串，以免 JavaScript 丢失大整数精度）")
    draw_date: datetime.date = Field(..., description="执法证核验日期")
    drawn_at: datetime.datetime
    drawn_by: PersonOut
    published: bool = Field(..., description="已公示")
    published_at: datetime.datetime | None = None
    pool_size: int = Field(..., description="抽查对象名录中的单位数")

    @staticmethod
    def resolve_plan(obj: RandomDraw) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_category_label(obj: RandomDraw) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_sampling_ratio(obj: RandomDraw) -> str:
        return str(obj.sampling_ratio)

    @staticmethod
    def resolve_seed(obj: RandomDraw) -> str:
        return str(obj.seed)

    @staticmethod
    def resolve_drawn_by(obj: RandomDraw) -> dict[str, Any]:
        return _person(obj.drawn_by)

    @staticmethod
    def resolve_pool_size(obj: RandomDraw) -> int:
        return len(obj.pool)


class DrawDetailOut(DrawOut):
    """The stored inputs too, so the draw can be re-run and checked independently."""

    pool: list[list[Any]] = Field(..., description="抽查对象名录快照：[[单位编号, 风险等级], ...]")
    officer_pool: list[list[Any]] = Field(
        ..., description="执法人员名录快照：[[人员编号, 抽取日是否持有效执法证], ...]")
    recusals: dict[str, list[int]] = Field(..., description="回避：{单位编号: [人员编号, ...]}")
    previous_pairs: dict[str, list[int]] = Field(
        ..., description="各单位上次抽取的检查人员：{单位编号: [人员编号, ...]}")
    result: list[dict[str, Any]] = Field(..., description="抽取结果（记录于抽取事件）")
    picks: list[PickOut] = Field(..., description="抽中的单位及其检查人员")

    @staticmethod
    def resolve_picks(obj: RandomDraw) -> list[DrawPick]:
        return list(obj.picks.select_related("enterprise").prefetch_related("officers")
                    .order_by("position"))


class DrawFiltersIn(BaseModel):  # not Schema: its getter would drop unknown keys
    # A misspelt filter must not silently widen the pool: unknown keys are kept and
    # passed on, and the service refuses them by name.
    model_config = ConfigDict(extra="allow",
                              json_schema_extra={"additionalProperties": False})

    jurisdiction: str | None = Field(None, pattern=r"^\d{6,12}$", title="辖区代码（jurisdiction）",
                                     description="抽取范围：该区划及其下级，须在计划机关辖区内")
    category: SupervisionCategory | None = Field(None, title="监管类别（category）")
    risk_level: RiskLevel | None = Field(None, title="安全风险等级（risk_level）")


class DrawIn(Schema):
    category: InspectionCategory = Field(..., title="检查类别（category）")
    sampling_ratio: str = Field(..., max_length=12, pattern=r"^\d+(\.\d+)?$",
                                title="抽查比例（sampling_ratio）",
                                description="小数字符串，大于 0 且不超过 1，如 \"0.25\"")
    on: datetime.date | None = _day("执法证核验日期（on）", None,
                                    "按该日有效的执法证抽取检查人员；不填为今天")
    filters: DrawFiltersIn | None = Field(None, title="抽取条件（filters）")
    seed: int | None = Field(None, ge=0, le=MAX_ID, title="随机种子（seed）",
                             description="整数或数字字符串；不填则随机生成。相同种子和名录得到相同结果")


def _draw_detail(user: User, pk: int) -> RandomDraw:
    draw = draw_list(user=user).select_related("drawn_by").filter(pk=pk).first()
    if draw is None:
        raise _not_found()
    return draw


@router.get(
    "/draws",
    response={200: list[DrawOut], **ERRORS},
    summary="双随机抽取列表",
    description="当前用户辖区内各检查计划的双随机抽取，按抽取时间倒序；企业用户列表为空。",
)
@paginate(Paginated)
def draws(request: HttpRequest) -> QuerySet[RandomDraw]:
    return draw_list(user=request.auth).select_related("drawn_by")


@router.get(
    "/draws/{id}",
    response={200: DrawDetailOut, 404: ErrorOut, **ERRORS},
    summary="双随机抽取详情",
    description="抽取的输入（种子、名录快照、回避、上次检查人员）和结果。"
                "不存在或不在当前用户辖区内均返回 404。",
)
def draw_detail(request: HttpRequest, id: int = _id_path("抽取编号")) -> RandomDraw:
    return _draw_detail(request.auth, id)


@router.post(
    "/plans/{id}/draws",
    response={201: DrawDetailOut, **WRITE_ERRORS},
    summary="双随机抽取",
    description="从计划机关辖区内的单位中按条件和抽查比例随机抽取（风险高的单位权重更大），"
                "为每个单位随机匹配至少两名持有效执法证的执法人员（遵守回避，不重复上次的人员组合）。"
                "种子、名录和结果均记入抽取事件，可复核。",
)
def draw_run(request: HttpRequest, payload: DrawIn, id: int = _id_path("计划编号")) -> Any:
    actor = request.auth
    plan = plan_list(user=actor).select_related("agency__jurisdiction").filter(pk=id).first()
    if plan is None:
        raise _not_found()
    _writer(can_plan(actor), "组织双随机抽取")
    filters = payload.filters.model_dump(exclude_none=True) if payload.filters else {}
    with service_refusals():
        draw = services.draw_run(
            actor=actor, plan=plan, category=payload.category,
            sampling_ratio=payload.sampling_ratio,
            on=payload.on or timezone.localdate(),
            filters={k: str(v) for k, v in filters.items()}, seed=payload.seed)
    return Status(201, _draw_detail(actor, draw.pk))


class RerunCheckOut(Schema):
    matches: bool = Field(..., description="重新抽取的结果与记录、与保存的抽取结果三者一致")
    recorded: list[dict[str, Any]] = Field(..., description="抽取事件中记录的结果")
    rerun: list[dict[str, Any]] = Field(..., description="按记录的种子和名录重新抽取的结果")
    stored_picks: list[dict[str, Any]] = Field(..., description="数据库中保存的抽取结果")


@router.post(
    "/draws/{id}/rerun-check",
    response={200: RerunCheckOut, **WRITE_ERRORS},
    summary="复核双随机抽取",
    description="按抽取事件中记录的种子和名录重新抽取，与记录的结果和保存的结果比对；"
                "复核本身也记入事件。",
)
def draw_rerun_check(request: HttpRequest, id: int = _id_path("抽取编号")) -> Any:
    actor = request.auth
    draw = draw_get(user=actor, pk=id)
    if draw is None:
        raise _not_found()
    with service_refusals():
        check = services.draw_rerun_check(actor=actor, draw=draw)
    return {"matches": check.matches, "recorded": check.recorded, "rerun": check.rerun,
            "stored_picks": check.stored_picks}


# --- inspections ------------------------------------------------------------------


class InspectionOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    agency: int
    agency_name: str
    jurisdiction: str = Field(..., description="属地区划代码")
    jurisdiction_name: str
    date: datetime.date = Field(..., description="检查日期")
    place: str
    category: str = Field(..., description="检查类别：key / general / special / joint")
    category_label: str
    status: str = Field(..., description="draft 草稿 / finished 已完成")
    status_label: str
    non_site: bool = Field(..., description="非现场执法")
    non_site_source: str = Field(..., description="非现场证据来源：monitoring / video / "
                                                  "documents / other；现场检查为空")
    joint_departments: list[str] = Field(..., description="联合检查部门")
    plan: int | None = None
    pick: int | None = None
    signed_by: str = Field(..., description="被检查单位签字人")
    refusal_reason: str = Field(..., description="拒绝签字情况")
    created_at: datetime.datetime
    finished_at: datetime.datetime | None = None

    @staticmethod
    def resolve_enterprise(obj: Inspection) -> int:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj: Inspection) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_agency(obj: Inspection) -> int:
        return obj.agency_id

    @staticmethod
    def resolve_agency_name(obj: Inspection) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_jurisdiction(obj: Inspection) -> str:
        return obj.jurisdiction.code

    @staticmethod
    def resolve_jurisdiction_name(obj: Inspection) -> str:
        return obj.jurisdiction.name

    @staticmethod
    def resolve_category_label(obj: Inspection) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_status_label(obj: Inspection) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_plan(obj: Inspection) -> int | None:
        return obj.plan_id

    @staticmethod
    def resolve_signed_by(obj: Inspection, context: Any) -> str:
        return _text(context, obj.signed_by)

    @staticmethod
    def resolve_refusal_reason(obj: Inspection, context: Any) -> str:
        return _text(context, obj.refusal_reason)

    @staticmethod
    def resolve_pick(obj: Inspection) -> int | None:
        return obj.pick_id


class ResultOut(Schema):
    item: str = Field(..., description="检查事项编码")
    item_text: str
    outcome: str = Field(..., description="ok 符合 / finding 发现问题 / na 不适用")
    outcome_label: str
    note: str

    @staticmethod
    def resolve_item(obj: InspectionResult) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item_text(obj: InspectionResult) -> str:
        return obj.item.text

    @staticmethod
    def resolve_outcome_label(obj: InspectionResult) -> str:
        return str(obj.get_outcome_display())

    @staticmethod
    def resolve_note(obj: InspectionResult, context: Any) -> str:
        return _text(context, obj.note)


class EvidenceOut(Schema):
    id: int
    original_name: str
    sha256: str
    size: int = Field(..., description="大小（字节）")
    content_type: str

    @staticmethod
    def resolve_original_name(obj: Any, context: Any) -> str:
        return _text(context, obj.original_name)


class FindingOut(Schema):
    id: int
    item: str | None = Field(None, description="对应检查事项编码")
    description: str
    evidence: list[EvidenceOut]
    hazard: int | None = Field(None, description="已登记的事故隐患编号")

    @staticmethod
    def resolve_item(obj: Finding) -> str | None:
        return obj.item.code if obj.item_id else None

    @staticmethod
    def resolve_description(obj: Finding, context: Any) -> str:
        return _text(context, obj.description)

    @staticmethod
    def resolve_evidence(obj: Finding) -> list[Any]:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_hazard(obj: Finding) -> int | None:
        return Hazard.objects.filter(finding=obj).values_list("pk", flat=True).first()


class HazardOut(Schema):
    id: int
    inspection: int
    finding: int
    enterprise: int
    enterprise_name: str
    level: str = Field(..., description="general 一般事故隐患 / major 重大事故隐患")
    level_label: str
    criterion: str | None = Field(None, description="重大事故隐患判定依据（检查事项编码）")
    criterion_text: str | None = None
    description: str
    found_on: datetime.date
    rectified_on_site: bool = Field(..., description="当场整改")
    status: str = Field(..., description="ordered 限期整改中 / reported 已报整改待复查 / "
                                         "closed 已销号 / escalated 整改不合格已移交立案")
    status_label: str
    deadline: datetime.date | None = Field(None, description="当前整改指令的整改期限")
    reinspection_due: datetime.date | None = Field(None, description="复查期限")
    closed_on: datetime.date | None = Field(None, description="销号日期")
    overdue: bool = Field(..., description="逾期：整改期限已过未报整改，或复查期限已过未复查")
    supervision_level: str | None = Field(None, description="挂牌督办级别：province / city / "
                                                            "county；未挂牌为 null")

    @staticmethod
    def resolve_inspection(obj: Hazard) -> int:
        return obj.inspection_id

    @staticmethod
    def resolve_finding(obj: Hazard) -> int:
        return obj.finding_id

    @staticmethod
    def resolve_enterprise(obj: Hazard) -> int:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj: Hazard) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_level_label(obj: Hazard) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_criterion(obj: Hazard) -> str | None:
        return obj.criterion.code if obj.criterion_id else None

    @staticmethod
    def resolve_criterion_text(obj: Hazard) -> str | None:
        return obj.criterion.text if obj.criterion_id else None

    @staticmethod
    def resolve_description(obj: Hazard, context: Any) -> str:
        return _text(context, obj.description)

    @staticmethod
    def resolve_status_label(obj: Hazard) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_overdue(obj: Hazard) -> bool:
        return obj.overdue(timezone.localdate())

    @staticmethod
    def resolve_supervision_level(obj: Hazard) -> str | None:
        supervision = getattr(obj, "supervision", None)
        return supervision.level if supervision else None


class InspectionDetailOut(InspectionOut):
    officers: list[PersonOut] = Field(..., description="检查人员")
    results: list[ResultOut] = Field(..., description="检查事项结果")
    findings: list[FindingOut] = Field(..., description="检查发现的问题及证据")
    hazards: list[HazardOut] = Field(..., description="登记的事故隐患")

    @staticmethod
    def resolve_officers(obj: Inspection) -> list[dict[str, Any]]:
        return _people(obj.officers.all())

    @staticmethod
    def resolve_results(obj: Inspection) -> list[Any]:
        return list(obj.results.all())

    @staticmethod
    def resolve_findings(obj: Inspection) -> list[Any]:
        return list(obj.findings.select_related("item").prefetch_related("evidence"))

    @staticmethod
    def resolve_hazards(obj: Inspection) -> list[Any]:
        return list(obj.hazards.select_related("enterprise", "criterion", "supervision")
                    .order_by("id"))


class InspectionFilters(_Filters):
    status: Inspection.Status | None = Field(None, title="状态")
    year: int | None = Field(None, ge=2000, le=2100, title="年度", description="按检查日期的年度")
    enterprise: int | None = Field(None, ge=1, le=MAX_ID, title="被检查单位",
                                   description="单位编号")


class InspectionIn(Schema):
    enterprise: int = Field(..., ge=1, le=MAX_ID, title="被检查单位（enterprise）",
                            description="单位编号")
    date: datetime.date = _day("检查日期（date）")
    place: str = Field(..., min_length=1, max_length=255, pattern=NO_NUL,
                       title="检查地点（place）")
    category: InspectionCategory = Field(..., title="检查类别（category）")
    officers: list[int] = Field(..., max_length=MAX_OFFICERS, title="检查人员（officers）",
                                description="执法人员编号，至少两名，均须在检查日持有效执法证")
    non_site: bool = Field(False, title="非现场执法（non_site）")
    non_site_source: Inspection.NonSiteSource | None = Field(
        None, title="非现场证据来源（non_site_source）",
        description="非现场执法必填：monitoring 在线监测 / video 视频监控 / documents 书面材料 / "
                    "other 其他")
    joint_departments: list[Department] = Field(
        default_factory=list, max_length=20, title="联合检查部门（joint_departments）",
        description="联合检查（综合查一次）必填：参加检查的其他部门名称")
    pick: int | None = Field(None, ge=1, le=MAX_ID, title="双随机抽取结果（pick）",
                             description="据以检查的抽取结果编号（可选）；检查计划随之确定")


class ResultIn(Schema):
    item: str = Field(..., min_length=1, max_length=30, pattern=NO_NUL,
                      title="检查事项编码（item）")
    outcome: InspectionResult.Outcome = Field(..., title="检查结果（outcome）")
    note: str = Field("", max_length=500, pattern=NO_NUL, title="说明（note）")


class ResultsIn(Schema):
    results: list[ResultIn] = Field(..., min_length=1, max_length=MAX_RESULTS,
                                    title="检查事项结果（results）")


class FindingIn(Schema):
    description: str = Field(..., min_length=1, max_length=5000, pattern=NO_NUL,
                             title="问题描述（description）")
    item: str | None = Field(None, max_length=30, pattern=NO_NUL,
                             title="对应检查事项编码（item）")


class FinishIn(Schema):
    signed_by: str = Field("", max_length=50, pattern=NO_NUL,
                           title="被检查单位签字人（signed_by）")
    refusal_reason: str = Field("", max_length=300, pattern=NO_NUL,
                                title="拒绝签字情况（refusal_reason）",
                                description="与签字人二者填其一")


def _inspection_detail(user: User, pk: int) -> Inspection:
    inspection = inspection_get(user=user, pk=pk)
    if inspection is None:
        raise _not_found()
    return inspection


@router.get(
    "/inspections",
    response={200: list[InspectionOut], **ERRORS},
    summary="执法检查列表",
    description="当前用户可见的执法检查（县级用户只见本县，企业用户只见本单位被检查的记录），"
                "按检查日期倒序，可按状态、年度、单位筛选。",
)
@paginate(Paginated)
def inspections(request: HttpRequest, filters: Query[InspectionFilters]) -> QuerySet[Inspection]:
    return inspection_list(user=request.auth, status=filters.status, year=filters.year,
                           enterprise_id=filters.enterprise)


@router.get(
    "/inspections/{id}",
    response={200: InspectionDetailOut, 404: ErrorOut, **ERRORS},
    summary="执法检查详情",
    description="检查记录及其检查人员、检查事项结果、发现的问题（含证据）和登记的事故隐患。"
                "不存在或不可见均返回 404。",
)
def inspection_detail(request: HttpRequest, id: int = _id_path("检查编号")) -> Inspection:
    return _inspection_detail(request.auth, id)


@router.post(
    "/inspections",
    response={201: InspectionDetailOut, **WRITE_ERRORS},
    summary="新建执法检查（草稿）",
    description="执法人员记录一次检查（草稿，可稍后补充结果和问题并完成）。检查人员须至少两名，"
                "均须在检查日持有效执法证且无需回避，否则返回 422 及原因，不保存任何内容。",
)
def inspection_create(request: HttpRequest, payload: InspectionIn) -> Any:
    actor = request.auth
    _writer(can_inspect(actor), "记录执法检查")
    enterprise = enterprise_get(user=actor, pk=payload.enterprise)
    if enterprise is None:
        raise _refused("被检查单位（enterprise）", "单位不存在或不在您的辖区内")
    officers = _officers(payload.officers)
    pick = None
    if payload.pick is not None:
        pick = (DrawPick.objects.select_related("draw__plan")
                .filter(pk=payload.pick, draw__in=draw_list(user=actor)).first())
        if pick is None:
            raise _refused("双随机抽取结果（pick）", "抽取结果不存在或不在您的辖区内")
    with service_refusals():
        inspection = services.inspection_create(
            actor=actor, enterprise=enterprise, date=payload.date, place=payload.place,
            category=payload.category, officers=officers, pick=pick,
            non_site=payload.non_site, non_site_source=payload.non_site_source or "",
            joint_departments=payload.joint_departments)
    return Status(201, _inspection_detail(actor, inspection.pk))


@router.post(
    "/inspections/{id}/results",
    response={200: InspectionDetailOut, **WRITE_ERRORS},
    summary="记录检查事项结果",
    description="记录或更正草稿检查中各检查事项的结果；已完成的检查不能修改（422）。",
)
def inspection_results(
    request: HttpRequest, payload: ResultsIn, id: int = _id_path("检查编号"),
) -> Inspection:
    actor = request.auth
    inspection = _inspection_detail(actor, id)
    _writer(can_inspect(actor), "记录检查结果")
    codes = list(dict.fromkeys(r.item for r in payload.results))
    items = {i.code: i for i in checklist_items().filter(code__in=codes)}
    missing = [code for code in codes if code not in items]
    if missing:
        raise _refused("检查事项编码（item）", f"检查事项“{'、'.join(missing)}”不存在或已停用")
    with service_refusals():
        services.inspection_record_results(
            actor=actor, inspection=inspection,
            results=[(items[r.item], r.outcome, r.note) for r in payload.results])
    return _inspection_detail(actor, id)


@router.post(
    "/inspections/{id}/findings",
    response={201: FindingOut, **WRITE_ERRORS},
    summary="记录检查发现的问题",
    description="在草稿检查中记录一个问题，可对应一个检查事项；之后可登记为事故隐患。",
)
def finding_add(request: HttpRequest, payload: FindingIn, id: int = _id_path("检查编号")) -> Any:
    actor = request.auth
    inspection = _inspection_detail(actor, id)
    _writer(can_inspect(actor), "记录检查发现的问题")
    item = _checklist_item(payload.item, "对应检查事项编码（item）")
    with service_refusals():
        finding = services.finding_add(actor=actor, inspection=inspection,
                                       description=payload.description, item=item)
    return Status(201, finding)


@router.post(
    "/inspections/{id}/finish",
    response={200: InspectionDetailOut, **WRITE_ERRORS},
    summary="完成检查记录",
    description="以被检查单位签字人或其拒绝签字的情况完成检查记录；再次核验检查人员的执法证。"
                "完成后不能再修改。",
)
def inspection_finish(request: HttpRequest, payload: FinishIn,
                      id: int = _id_path("检查编号")) -> Inspection:
    actor = request.auth
    inspection = _inspection_detail(actor, id)
    with service_refusals():
        services.inspection_finish(actor=actor, inspection=inspection,
                                   signed_by=payload.signed_by,
                                   refusal_reason=payload.refusal_reason)
    return _inspection_detail(actor, id)


# --- hazards ----------------------------------------------------------------------


class ReinspectionOut(Schema):
    id: int
    number: str = Field(..., description="整改复查意见书文号")
    date: datetime.date
    officers: list[PersonOut]
    passed: bool = Field(..., description="整改合格")
    opinion: str

    @staticmethod
    def resolve_officers(obj: Any) -> list[dict[str, Any]]:
        return _people(obj.officers.all())

    @staticmethod
    def resolve_opinion(obj: Any, context: Any) -> str:
        return _text(context, obj.opinion)


class OrderOut(Schema):
    id: int
    number: str = Field(..., description="责令限期整改指令书文号")
    issued_on: datetime.date
    deadline: datetime.date = Field(..., description="整改期限")
    requirements: str
    report_date: datetime.date | None = Field(None, description="整改报告日期")
    report_text: str
    reinspection_due: datetime.date = Field(..., description="复查期限")
    reinspection: ReinspectionOut | None = None

    @staticmethod
    def resolve_reinspection(obj: RectificationOrder) -> Any:
        return getattr(obj, "reinspection", None)

    @staticmethod
    def resolve_requirements(obj: RectificationOrder, context: Any) -> str:
        return _text(context, obj.requirements)

    @staticmethod
    def resolve_report_text(obj: RectificationOrder, context: Any) -> str:
        return _text(context, obj.report_text)


class SupervisionOut(Schema):
    level: str = Field(..., description="province / city / county")
    level_label: str
    agency: int
    agency_name: str
    listed_on: datetime.date = Field(..., description="挂牌日期")
    closed_on: datetime.date | None = Field(None, description="摘牌日期")
    note: str

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_agency(obj: Any) -> int:
        return obj.agency_id

    @staticmethod
    def resolve_agency_name(obj: Any) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_note(obj: Any, context: Any) -> str:
        return _text(context, obj.note)


class HazardDetailOut(HazardOut):
    orders: list[OrderOut] = Field(..., description="责令限期整改指令及其整改报告、复查")
    supervision: SupervisionOut | None = Field(None, description="挂牌督办")

    @staticmethod
    def resolve_orders(obj: Hazard) -> list[Any]:
        return sorted(obj.orders.all(), key=lambda o: (o.issued_on, o.pk))

    @staticmethod
    def resolve_supervision(obj: Hazard) -> Any:
        return getattr(obj, "supervision", None)


class HazardFilters(_Filters):
    level: HazardLevel | None = Field(None, title="隐患等级")
    status: Hazard.Status | None = Field(None, title="状态")
    year: int | None = Field(None, ge=2000, le=2100, title="年度", description="按发现日期的年度")
    overdue: bool | None = Field(None, title="逾期",
                                 description="true：只列整改或复查已逾期的；false：只列未逾期的")
    enterprise: int | None = Field(None, ge=1, le=MAX_ID, title="单位", description="单位编号")


class HazardIn(Schema):
    level: HazardLevel = Field(..., title="隐患等级（level）")
    criterion: str | None = Field(
        None, max_length=30, pattern=NO_NUL, title="判定依据（criterion）",
        description="重大事故隐患所符合的判定标准条款（检查事项编码）；不填则取该问题对应的检查事项")
    description: str = Field("", max_length=5000, pattern=NO_NUL, title="隐患描述（description）",
                             description="不填则为问题描述")
    rectified_on_site: bool = Field(False, title="当场整改（rectified_on_site）",
                                    description="仅一般事故隐患可当场整改")
    deadline: datetime.date | None = _day("整改期限（deadline）", None,
                                          "不能当场整改的必填，须晚于检查日期")
    requirements: str = Field("", max_length=5000, pattern=NO_NUL,
                              title="整改要求（requirements）")


class ReportIn(Schema):
    report_date: datetime.date = _day("整改报告日期（report_date）")
    text: str = Field(..., min_length=1, max_length=5000, pattern=NO_NUL,
                      title="整改情况（text）")


class ReinspectionIn(Schema):
    date: datetime.date = _day("复查日期（date）")
    officers: list[int] = Field(..., max_length=MAX_OFFICERS, title="复查人员（officers）",
                                description="执法人员编号，至少两名，均须持有效执法证")
    passed: bool = Field(..., title="整改合格（passed）")
    opinion: str = Field(..., min_length=1, max_length=5000, pattern=NO_NUL,
                         title="复查意见（opinion）")
    new_deadline: datetime.date | None = _day(
        "新的整改期限（new_deadline）", None,
        "复查不合格时，重新确定整改期限或移交立案（escalate），二者选一")
    new_requirements: str = Field("", max_length=5000, pattern=NO_NUL,
                                  title="新的整改要求（new_requirements）")
    escalate: bool = Field(False, title="移交立案（escalate）")


class SupervisionIn(Schema):
    level: SupervisionLevel = Field(..., title="督办级别（level）")
    agency: int | None = Field(None, ge=1, le=MAX_ID, title="督办机关（agency）",
                               description="不填为当前用户所在机关；须对隐患所在地有管辖权")
    listed_on: datetime.date = _day("挂牌日期（listed_on）")
    note: str = Field("", max_length=500, pattern=NO_NUL, title="督办要求（note）")


def _hazard_detail(user: User, pk: int) -> Hazard:
    hazard = hazard_get(user=user, pk=pk)
    if hazard is None:
        raise _not_found()
    return hazard


@router.get(
    "/hazards",
    response={200: list[HazardOut], **ERRORS},
    summary="事故隐患列表",
    description="当前用户可见的事故隐患（企业用户只见本单位的），按发现日期倒序，可按等级、状态、"
                "年度、是否逾期、单位筛选。",
)
@paginate(Paginated)
def hazards(request: HttpRequest, filters: Query[HazardFilters]) -> QuerySet[Hazard]:
    user = request.auth
    qs = hazard_list(user=user, level=filters.level, status=filters.status,
                     year=filters.year, enterprise_id=filters.enterprise)
    if filters.overdue is not None:
        today = timezone.localdate()
        late = Hazard.order_overdue_q(today) | Hazard.reinspection_overdue_q(today)
        qs = qs.filter(late) if filters.overdue else qs.exclude(late)
    return qs


@router.get(
    "/hazards/{id}",
    response={200: HazardDetailOut, 404: ErrorOut, **ERRORS},
    summary="事故隐患详情",
    description="隐患及其各轮责令限期整改指令、整改报告、复查和挂牌督办。"
                "不存在或不可见均返回 404。",
)
def hazard_detail(request: HttpRequest, id: int = _id_path("隐患编号")) -> Hazard:
    return _hazard_detail(request.auth, id)


@router.post(
    "/findings/{id}/hazard",
    response={201: HazardDetailOut, **WRITE_ERRORS},
    summary="登记事故隐患",
    description="将检查发现的问题登记为事故隐患：一般事故隐患可当场整改（即销号），否则下达"
                "责令限期整改指令书（检查日下达，编号由系统分配）；重大事故隐患须注明判定标准条款。",
)
def hazard_register(request: HttpRequest, payload: HazardIn,
                    id: int = _id_path("问题编号")) -> Any:
    actor = request.auth
    finding = (Finding.objects.select_related("inspection__jurisdiction", "item")
               .filter(pk=id, inspection__in=inspection_list(user=actor)).first())
    if finding is None:
        raise _not_found()
    _writer(can_inspect(actor), "登记事故隐患")
    criterion = _checklist_item(payload.criterion, "判定依据（criterion）")
    with service_refusals():
        hazard = services.hazard_register(
            actor=actor, finding=finding, level=payload.level, criterion=criterion,
            description=payload.description, rectified_on_site=payload.rectified_on_site,
            deadline=payload.deadline, requirements=payload.requirements)
    return Status(201, _hazard_detail(actor, hazard.pk))


@router.post(
    "/hazards/{id}/report",
    response={200: HazardDetailOut, **WRITE_ERRORS},
    summary="报告整改情况",
    description="被检查单位报告当前整改指令的整改情况（企业用户本单位，或执法人员代为记录）；"
                "复查期限随之确定。",
)
def hazard_report(request: HttpRequest, payload: ReportIn,
                  id: int = _id_path("隐患编号")) -> Hazard:
    actor = request.auth
    hazard = _hazard_detail(actor, id)
    with service_refusals():
        services.rectification_report(actor=actor, hazard=hazard,
                                      report_date=payload.report_date, text=payload.text)
    return _hazard_detail(actor, id)


@router.post(
    "/hazards/{id}/reinspection",
    response={201: HazardDetailOut, **WRITE_ERRORS},
    summary="记录整改复查",
    description="至少两名持有效执法证的执法人员复查当前整改指令：合格则销号（挂牌督办随之摘牌）；"
                "不合格则重新确定整改期限，或移交立案。",
)
def hazard_reinspection(request: HttpRequest, payload: ReinspectionIn,
                        id: int = _id_path("隐患编号")) -> Any:
    actor = request.auth
    hazard = _hazard_detail(actor, id)
    _writer(can_inspect(actor), "记录整改复查")
    officers = _officers(payload.officers, "复查人员（officers）")
    with service_refusals():
        services.reinspection_record(
            actor=actor, hazard=hazard, date=payload.date, officers=officers,
            passed=payload.passed, opinion=payload.opinion, new_deadline=payload.new_deadline,
            new_requirements=payload.new_requirements, escalate=payload.escalate)
    return Status(201, _hazard_detail(actor, id))


@router.post(
    "/hazards/{id}/supervision",
    response={201: HazardDetailOut, **WRITE_ERRORS},
    summary="挂牌督办",
    description="对未销号的重大事故隐患挂牌督办（级别、督办机关、挂牌日期）；复查合格销号时自动摘牌。",
)
def hazard_supervision(request: HttpRequest, payload: SupervisionIn,
                       id: int = _id_path("隐患编号")) -> Any:
    actor = request.auth
    hazard = _hazard_detail(actor, id)
    _writer(can_plan(actor), "挂牌督办")
    agency = _agency(payload.agency, actor, "督办机关（agency）")
    with service_refusals():
        services.supervision_list(actor=actor, hazard=hazard, level=payload.level,
                                  agency=agency, listed_on=payload.listed_on, note=payload.note)
    return Status(201, _hazard_detail(actor, id))
