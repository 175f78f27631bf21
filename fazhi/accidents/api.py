"""Accidents (生产安全事故) in the JSON API, scoped exactly like the pages
(`fazhi.accidents.selectors`): the list with the page's filters, an accident with its
figures, class and the articles it rests on, every change of the figures, the reporting
timeliness with its legal consequences, and the investigation with the engine's
deadlines; registering an accident, new figures (the class recomputed by the engine),
and the statistics of a year (`fazhi.accidents.statistics`).

Writes go through `fazhi.accidents.services`: a ValidationError is a 422, a
PermissionDenied a 403, both in Chinese, and nothing is saved. An accident outside the
caller's scope answers 404, like one that does not exist. Social supervisors
(社会监督员) read the accidents and statistics of the area they oversee, never write
(403); enterprise users and supervisors get no legality review (null). Texts go out
through `selectors.Privacy` (ID numbers masked unless the role needs them; responsible
persons' names masked for supervisors). Money is a string of yuan
with two decimals ("12345.00"), never a float; times are ISO 8601 in Beijing time
(+08:00)."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import WithJsonSchema, field_validator

from fazhi.accidents import selectors, services, statistics
from fazhi.accidents.models import (
    Accident,
    AccidentClass,
    AccidentRevision,
    Industry,
    Investigation,
)
from fazhi.cases.selectors import case_list
from fazhi.core.api import ERRORS, NO_NUL, NOT_FOUND, ErrorOut, Paginated, service_refusals
from fazhi.core.models import Jurisdiction, User
from fazhi.core.rules.money import parse_yuan, yuan_fen
from fazhi.core.selectors import jurisdiction_get
from fazhi.legal.rules import accidents as law
from fazhi.subjects.api import MAX_ID
from fazhi.subjects.selectors import enterprise_get

router = Router(tags=["生产安全事故"])

WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 403: ErrorOut, 404: ErrorOut}
# Input dates stay within these years (as the other routers'): a date near 9999 would
# overflow the deadline arithmetic instead of being refused.
EARLIEST, LATEST = datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)
MAX_PEOPLE = 100_000
CODE = r"^\d{6,12}$"

# An amount in yuan: an integer or a decimal string; a JSON float is refused with a
# Chinese message (a float cannot hold 0.1 exactly).
Money = Annotated[Any, WithJsonSchema({
    "anyOf": [{"type": "integer", "minimum": 0},
              {"type": "string", "pattern": r"^\d{1,13}(\.\d{1,2})?$"}],
    "description": "金额（元）：整数或小数字符串（如 50000 或 \"1234.50\"），不接受浮点数",
})]


def local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A stored instant in Beijing time, so it is written with +08:00."""
    return None if moment is None else timezone.localtime(moment)


def _fail(message: str) -> HttpError:
    return HttpError(422, f"输入有误。{message}")


def _money(value: Any, label: str) -> Decimal:
    try:
        return parse_yuan(value, label, whole_cents=True)
    except ValueError as exc:
        raise _fail(str(exc)) from None


def _aware(value: datetime.datetime, label: str) -> datetime.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise _fail(f"{label}须带时区（如 2024-03-01T09:30:00+08:00）")
    if not EARLIEST <= value.date() <= LATEST:
        raise _fail(f"{label}应在{EARLIEST.isoformat()}至{LATEST.isoformat()}之间")
    return value


# --- output -----------------------------------------------------------------------------

class CitationOut(Schema):
    law: str = Field(..., description="法律法规名称")
    version: str = Field("", description="版本")
    article: str = Field(..., description="条款")
    applies_to: str = Field("", description="所支持的结论要素")


class AccidentFields(Schema):
    id: int
    number: str = Field(..., description="事故编号")
    occurred_at: datetime.datetime = Field(..., description="发生时间（北京时间，+08:00）")
    jurisdiction: str = Field(..., description="发生地区划代码")
    jurisdiction_name: str = Field(..., description="发生地")
    place: str = Field(..., description="发生地点")
    enterprise: int | None = Field(None, description="事故单位编号（无单位为 null）")
    enterprise_name: str | None = Field(None, description="事故单位名称")
    industry: str = Field(..., description="行业领域代码")
    industry_label: str = Field(..., description="行业领域")
    on_highway: bool = Field(..., description="发生在高速公路上")
    deaths: int = Field(..., description="死亡人数（最新核定）")
    missing: int = Field(..., description="下落不明人数")
    serious_injuries: int = Field(..., description="重伤人数（含急性工业中毒）")
    direct_loss: str = Field(..., description="直接经济损失（元，两位小数的字符串）")
    accident_class: str = Field(..., description="事故等级代码：ordinary 一般 / large 较大 / "
                                                 "major 重大 / extraordinary 特别重大")
    class_label: str = Field(..., description="事故等级（处罚引擎按条例第三条计算）")
    agency: int = Field(..., description="登记机关编号")
    agency_name: str = Field(..., description="登记机关")


class AccidentOut(AccidentFields):
    @staticmethod
    def resolve_occurred_at(obj: Accident) -> datetime.datetime:
        return timezone.localtime(obj.occurred_at)

    @staticmethod
    def resolve_jurisdiction(obj: Accident) -> str:
        return obj.jurisdiction.code

    @staticmethod
    def resolve_jurisdiction_name(obj: Accident) -> str:
        return obj.jurisdiction.name

    @staticmethod
    def resolve_enterprise(obj: Accident) -> int | None:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj: Accident) -> str | None:
        return obj.enterprise.name if obj.enterprise_id else None

    @staticmethod
    def resolve_industry_label(obj: Accident) -> str:
        return obj.get_industry_display()

    @staticmethod
    def resolve_direct_loss(obj: Accident) -> str:
        return yuan_fen(obj.direct_loss) or "0.00"

    @staticmethod
    def resolve_class_label(obj: Accident) -> str:
        return obj.get_accident_class_display()

    @staticmethod
    def resolve_agency(obj: Accident) -> int:
        return obj.agency_id

    @staticmethod
    def resolve_agency_name(obj: Accident) -> str:
        return obj.agency.name


class RevisionOut(Schema):
    known_on: datetime.date = Field(..., description="获知日期")
    deaths: int
    missing: int
    serious_injuries: int
    direct_loss: str = Field(..., description="直接经济损失（元）")
    accident_class: str = Field(..., description="该组数字对应的事故等级代码")
    class_label: str
    reason: str = Field(..., description="变化原因（事故登记、补报或更正）")
    recorded_at: datetime.datetime = Field(..., description="记录时间（+08:00）")


class ConsequenceOut(Schema):
    act: str = Field(..., description="late 迟报 / omitted 漏报 / false_report 谎报 / "
                                      "concealed 瞒报")
    act_label: str
    subject: str = Field(..., description="principal 主要负责人 / unit 事故发生单位 / "
                                          "responsible_persons 直接责任人员")
    subject_label: str
    min_rate: str | None = Field(None, description="罚款下限：上一年年收入的比例（如 \"0.60\"）")
    max_rate: str | None = Field(None, description="罚款上限：上一年年收入的比例")
    min_amount: str | None = Field(None, description="罚款下限（元）")
    max_amount: str | None = Field(None, description="罚款上限（元）")
    version: str = Field(..., description="适用的法律文本版本")
    notes: list[str]
    citations: list[CitationOut]


class ReportingOut(Schema):
    head_informed_at: datetime.datetime | None = Field(None, description="单位负责人接到报告时间")
    unit_reported_at: datetime.datetime | None = Field(None, description="单位报告时间")
    unit_deadline: datetime.datetime | None = Field(
        None, description="单位报告时限（负责人接到报告后1小时，条例第九条）")
    unit_late: bool | None = Field(None, description="单位迟报（两个时间都有时才判断）")
    bureau_informed_at: datetime.datetime | None = Field(None, description="本局接到报告时间")
    reported_up_at: datetime.datetime | None = Field(None, description="向上级报告时间")
    upward_deadline: datetime.datetime | None = Field(
        None, description="向上级报告时限（每级不超过2小时，条例第十一条）")
    upward_late: bool | None = Field(None, description="本局向上级迟报")
    omitted: bool = Field(..., description="认定漏报")
    false_report: bool = Field(..., description="认定谎报")
    concealed: bool = Field(..., description="认定瞒报")
    finding: str = Field(..., description="报告情况认定理由")
    acts: list[str] = Field(..., description="事故单位的报告违法行为（迟报、漏报、谎报、瞒报）")
    consequences: list[ConsequenceOut] = Field(..., description="各行为的法律后果")
    notes: list[str]
    citations: list[CitationOut] = Field(..., description="时限的法律依据")


class TeamMemberOut(Schema):
    name: str
    unit: str
    role: str


class AccountabilityOut(Schema):
    id: int
    subject: str = Field(..., description="unit 事故责任单位 / principal 主要负责人 / "
                                          "person 其他责任人员")
    subject_label: str
    name: str
    enterprise: int | None = None
    responsibility: str = Field(..., description="责任认定")
    measures: str = Field(..., description="处理建议")
    case: int | None = Field(None, description="由此登记的行政处罚案件编号（可见时）")
    case_number: str | None = Field(None, description="立案编号（立案前为空）")


class ReviewOut(Schema):
    id: int
    requested_on: datetime.date
    requested_of: str = Field(..., description="司法行政部门")
    questions: str
    guidance_on: datetime.date | None = None
    guidance: str = Field(..., description="法律指导意见（尚未指导为空）")


class OpinionItemOut(Schema):
    number: int
    issue: str = Field(..., description="审查意见")
    response: str = Field(..., description="调查组回复")
    outcome: str = Field(..., description="pending / adopted / partly / not_adopted")
    outcome_label: str


class OpinionOut(Schema):
    id: int
    issued_on: datetime.date
    issued_by: str
    conclusion: str
    review: int | None = Field(None, description="对应的法律指导申请编号")
    items: list[OpinionItemOut]


class InvestigationOut(Schema):
    led_by: str = Field(..., description="负责调查的人民政府（部门）")
    lead_agency: str | None = Field(None, description="牵头部门")
    team: list[TeamMemberOut] = Field(..., description="调查组成员")
    started_on: datetime.date = Field(..., description="调查组成立日期")
    report_due_base: datetime.date = Field(
        ..., description="调查报告期限：事故发生之日起60日（另加技术鉴定天数，"
                         "条例第二十七、二十九条）")
    report_due: datetime.date = Field(..., description="现报告期限（含已批准的延长）")
    latest_with_extension: datetime.date = Field(..., description="最长延长60日后的最迟日期")
    appraisal_days: int
    extension_days: int = Field(..., description="已批准延长的天数")
    extension_reason: str
    extension_approved_by: str
    report_submitted_on: datetime.date | None = None
    report_late: bool = Field(..., description="报告在期限后提交")
    nature: str
    cause: str
    summary: str
    approval_due: datetime.date | None = Field(
        None, description="批复期限（收到报告之日起15日，特别重大事故30日，条例第三十二条）")
    approval_latest_with_extension: datetime.date | None = None
    approved_on: datetime.date | None = None
    approved_by: str
    approval_late: bool = Field(..., description="批复在期限后作出")
    citations: list[CitationOut]
    accountability: list[AccountabilityOut] = Field(..., description="责任追究")
    reviews: list[ReviewOut] | None = Field(
        None, description="法律指导；仅执法机关人员可见，企业用户和社会监督员为 null")
    opinions: list[OpinionOut] | None = Field(
        None, description="书面合法性审查意见；仅执法机关人员可见，企业用户和社会监督员为 null")


class AccidentDetailOut(AccidentFields):
    account: str = Field(..., description="事故简要经过")
    class_citations: list[CitationOut] = Field(..., description="定级依据")
    revisions: list[RevisionOut] = Field(..., description="每次数据变更及对应的事故等级，最早在前")
    reporting: ReportingOut
    investigation: InvestigationOut | None = Field(None, description="事故调查（未成立为 null）")


class TallyOut(Schema):
    count: int = Field(..., description="事故起数")
    deaths: int = Field(..., description="死亡人数")


class ChangeOut(Schema):
    current: int
    previous: int
    percent: str | None = Field(
        None, description="同比增减百分比（一位小数的字符串，如 \"-9.2\"；上年为零时为 null）")


class RowOut(Schema):
    key: str = Field(..., description="等级、行业代码，区划代码或月份")
    label: str
    count: int
    deaths: int


class StatsOut(Schema):
    year: int
    jurisdiction: str = Field(..., description="统计范围的区划代码")
    jurisdiction_name: str
    total: TallyOut
    highway: TallyOut = Field(..., description="其中高速公路")
    previous: TallyOut = Field(..., description="上年同期")
    count_change: ChangeOut = Field(..., description="事故起数同比")
    deaths_change: ChangeOut = Field(..., description="死亡人数同比")
    by_class: list[RowOut] = Field(..., description="按事故等级")
    by_industry: list[RowOut] = Field(..., description="按行业领域")
    by_county: list[RowOut] = Field(..., description="按下一级地区（含其下级），本级登记的另列")
    by_month: list[RowOut] = Field(..., description="按月（1—12月）")


# --- input ------------------------------------------------------------------------------

class AccidentFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, title="年度",
                             description="事故发生的年度（北京时间）")
    jurisdiction: str | None = Field(None, pattern=CODE, title="发生地",
                                     description="区划代码，含其下级")
    industry: Industry | None = Field(None, title="行业领域", description="行业领域代码")
    accident_class: AccidentClass | None = Field(None, title="事故等级",
                                                 description="事故等级代码")
    highway: bool | None = Field(None, title="高速公路",
                                 description="true：只列高速公路事故；false：只列其他")

    @field_validator("*", mode="before")
    @classmethod
    def _blank_means_absent(cls, value: Any) -> Any:
        # Forms and many clients send "?industry=" for "any": treat it as not given.
        return None if value == "" else value


def _count(title: str, default: Any = 0) -> Any:
    return Field(default, ge=0, le=MAX_PEOPLE, title=title)


class AccidentIn(Schema):
    jurisdiction: str = Field(..., pattern=CODE, title="发生地（jurisdiction）",
                              description="区划代码，须在您的辖区内")
    occurred_at: datetime.datetime = Field(
        ..., title="发生时间（occurred_at）",
        description="ISO 8601，须带时区，如 2024-03-01T09:30:00+08:00；不能晚于现在")
    place: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL,
                       title="发生地点（place）")
    industry: Industry = Field(..., title="行业领域（industry）", description="行业领域代码")
    on_highway: bool = Field(False, title="高速公路（on_highway）",
                             description="只有道路交通事故可以为 true")
    enterprise: int | None = Field(None, ge=1, le=MAX_ID, title="事故单位（enterprise）",
                                   description="单位编号，须在您的辖区内；无单位可不填")
    deaths: int = _count("死亡人数（deaths）")
    missing: int = _count("下落不明人数（missing）")
    serious_injuries: int = _count("重伤人数（serious_injuries）")
    direct_loss: Money = Field(0, title="直接经济损失（direct_loss）")
    account: str = Field(..., min_length=1, max_length=8000, pattern=NO_NUL,
                         title="事故简要经过（account）")
    known_on: datetime.date | None = Field(None, ge=EARLIEST, le=LATEST,
                                           title="获知日期（known_on）",
                                           description="获知上述数字的日期，不填为今天")


class FiguresIn(Schema):
    known_on: datetime.date = Field(..., ge=EARLIEST, le=LATEST, title="获知日期（known_on）")
    deaths: int = _count("死亡人数（deaths）", ...)
    missing: int = _count("下落不明人数（missing）", ...)
    serious_injuries: int = _count("重伤人数（serious_injuries）", ...)
    direct_loss: Money = Field(..., title="直接经济损失（direct_loss）")
    reason: str = Field(..., min_length=1, max_length=150, pattern=NO_NUL,
                        title="变化原因（reason）")


# --- the detail -------------------------------------------------------------------------

def _citations(items: Any) -> list[dict[str, str]]:
    found, seen = [], set()
    for c in items or ():
        c = c.as_dict() if hasattr(c, "as_dict") else c
        if not isinstance(c, dict):
            continue
        row = {k: str(c.get(k, "")) for k in ("law", "version", "article", "applies_to")}
        key = (row["law"], row["article"], row["applies_to"])
        if key not in seen:
            seen.add(key)
            found.append(row)
    return found


def _revision(r: AccidentRevision, shown: selectors.Privacy) -> dict[str, Any]:
    return {"known_on": r.known_on, "deaths": r.deaths, "missing": r.missing,
            "serious_injuries": r.serious_injuries, "direct_loss": yuan_fen(r.direct_loss),
            "accident_class": r.accident_class, "class_label": r.get_accident_class_display(),
            "reason": shown.text(r.reason), "recorded_at": local(r.recorded_at)}


def _reporting(accident: Accident, shown: selectors.Privacy) -> dict[str, Any]:
    status = selectors.accident_reporting(accident)
    unit, upward = status.unit_late, status.upward_late
    return {
        "head_informed_at": local(accident.head_informed_at),
        "unit_reported_at": local(accident.unit_reported_at),
        "unit_deadline": local(status.unit_deadline),
        "unit_late": None if unit is None else unit.late,
        "bureau_informed_at": local(accident.bureau_informed_at),
        "reported_up_at": local(accident.reported_up_at),
        "upward_deadline": local(status.upward_deadline),
        "upward_late": None if upward is None else upward.late,
        "omitted": status.omitted, "false_report": status.false_report,
        "concealed": status.concealed, "finding": shown.text(accident.report_finding),
        "acts": list(status.acts),
        "consequences": [{**c.as_dict(), "citations": _citations(c.citations)}
                         for c in status.consequences],
        "notes": list(status.notes),
        "citations": _citations([*(unit.citations if unit else ()),
                                 *(upward.citations if upward else ())]),
    }


def _investigation(user: User, accident: Accident, shown: selectors.Privacy
                   ) -> dict[str, Any] | None:
    inv: Investigation | None = getattr(accident, "investigation", None)
    if inv is None:
        return None
    day = services.occurred_on(accident)
    engine = law.investigation_report_due(day, accident.accident_class,
                                          appraisal_days=inv.appraisal_days)
    approval = (law.investigation_approval_due(inv.report_submitted_on, accident.accident_class)
                if inv.report_submitted_on else None)
    items = list(inv.accountability.all())
    visible = {c.pk: c for c in case_list(user=user).filter(
        pk__in=[a.case_id for a in items if a.case_id])}
    staff = user.is_staff_role
    return {
        "led_by": inv.led_by,
        "lead_agency": inv.lead_agency.name if inv.lead_agency_id else None,
        "team": [{"name": str(m.get("name", "")), "unit": str(m.get("unit", "")),
                  "role": str(m.get("role", ""))} for m in inv.team if isinstance(m, dict)],
        "started_on": inv.started_on,
        "report_due_base": engine.due,
        "report_due": inv.report_due,
        "latest_with_extension": engine.latest_with_extension,
        "appraisal_days": inv.appraisal_days,
        "extension_days": inv.extension_days,
        "extension_reason": shown.text(inv.extension_reason),
        "extension_approved_by": inv.extension_approved_by,
        "report_submitted_on": inv.report_submitted_on,
        "report_late": bool(inv.report_submitted_on and inv.report_submitted_on > inv.report_due),
        "nature": shown.text(inv.nature), "cause": shown.text(inv.cause),
        "summary": shown.text(inv.report_summary),
        "approval_due": approval.due if approval else None,
        "approval_latest_with_extension": approval.latest_with_extension if approval else None,
        "approved_on": inv.approved_on,
        "approved_by": inv.approved_by,
        "approval_late": bool(approval and inv.approved_on and approval.is_late(inv.approved_on)),
        "citations": _citations([*engine.citations, *(approval.citations if approval else ())]),
        "accountability": [{
            "id": a.pk, "subject": a.subject, "subject_label": a.get_subject_display(),
            "name": shown.text(a.name), "enterprise": a.enterprise_id,
            "responsibility": shown.text(a.responsibility), "measures": shown.text(a.measures),
            "case": a.case_id if a.case_id in visible else None,
            "case_number": visible[a.case_id].number if a.case_id in visible else None,
        } for a in items],
        # The legality review is the agencies' internal work (as a case's legal review).
        "reviews": [{"id": r.pk, "requested_on": r.requested_on, "requested_of": r.requested_of,
                     "questions": shown.text(r.questions), "guidance_on": r.guidance_on,
                     "guidance": shown.text(r.guidance)} for r in inv.reviews.all()]
        if staff else None,
        "opinions": [{"id": o.pk, "issued_on": o.issued_on, "issued_by": o.issued_by,
                      "conclusion": shown.text(o.conclusion), "review": o.review_id,
                      "items": [{"number": i.number, "issue": shown.text(i.issue),
                                 "response": shown.text(i.response), "outcome": i.outcome,
                                 "outcome_label": i.get_outcome_display()}
                                for i in o.items.all()]}
                     for o in inv.opinions.all()] if staff else None,
    }


def _detail(request: HttpRequest, accident: Accident) -> dict[str, Any]:
    user: User = request.auth
    shown = selectors.accident_privacy(user, accident)
    return {
        "id": accident.pk, "number": accident.number,
        "occurred_at": local(accident.occurred_at),
        "jurisdiction": accident.jurisdiction.code,
        "jurisdiction_name": accident.jurisdiction.name, "place": accident.place,
        "enterprise": accident.enterprise_id,
        "enterprise_name": accident.enterprise.name if accident.enterprise_id else None,
        "industry": accident.industry, "industry_label": accident.get_industry_display(),
        "on_highway": accident.on_highway, "deaths": accident.deaths,
        "missing": accident.missing, "serious_injuries": accident.serious_injuries,
        "direct_loss": yuan_fen(accident.direct_loss),
        "accident_class": accident.accident_class,
        "class_label": accident.get_accident_class_display(),
        "agency": accident.agency_id, "agency_name": accident.agency.name,
        "account": shown.text(accident.account),
        "class_citations": _citations(accident.class_citations),
        "revisions": [_revision(r, shown) for r in accident.revisions.all()],
        "reporting": _reporting(accident, shown),
        "investigation": _investigation(user, accident, shown),
    }


def _accident(request: HttpRequest, pk: int) -> Accident:
    accident = selectors.accident_get(user=request.auth, pk=pk)
    if accident is None:
        raise HttpError(404, NOT_FOUND)
    return accident


def _row(row: statistics.Row) -> dict[str, Any]:
    return {"key": row.key, "label": row.label, "count": row.count, "deaths": row.deaths}


def _change(change: statistics.Change) -> dict[str, Any]:
    return {"current": change.current, "previous": change.previous,
            "percent": None if change.percent is None else str(change.percent)}


def _tally(tally: statistics.Tally) -> dict[str, int]:
    return {"count": tally.count, "deaths": tally.deaths}


# --- operations -------------------------------------------------------------------------

@router.get("", response={200: list[AccidentOut], **ERRORS}, summary="事故列表",
            description="当前用户可见的事故（县级用户只见本县及其下级；企业用户只见本单位的事故；"
                        "社会监督员只见其监督辖区及其下级），按发生时间倒序。可按年度、发生地（区划代码，含下级）、"
                        "行业领域、事故等级和是否高速公路筛选；取值无效返回 422。")
@paginate(Paginated)
def accident_list(request: HttpRequest, filters: Query[AccidentFilters]) -> QuerySet[Accident]:
    accidents = selectors.accident_list(
        user=request.auth, year=filters.year, jurisdiction=filters.jurisdiction,
        industry=filters.industry.value if filters.industry else None,
        accident_class=filters.accident_class.value if filters.accident_class else None,
        highway=filters.highway)
    return accidents.order_by("-occurred_at", "-id")


@router.post("", response={201: AccidentDetailOut, **WRITE_ERRORS}, summary="登记事故",
             description="执法机关人员登记辖区内发生的事故；事故编号按登记机关和事故年度顺序编号，"
                         "事故等级由处罚引擎按《生产安全事故报告和调查处理条例》第三条计算，并记下"
                         "第一组数字。返回 201 及事故详情。发生地或单位不在您的辖区内、时间不带时区"
                         "或晚于现在、非道路交通事故标记为高速公路等返回 422；角色无权返回 403；"
                         "均不保存任何内容。")
def accident_create(request: HttpRequest, payload: AccidentIn) -> Any:
    actor: User = request.auth
    if not actor.is_staff_role:  # enterprise users and social supervisors read only
        raise HttpError(403, "您的角色无权登记事故。")
    jurisdiction: Jurisdiction | None = jurisdiction_get(user=actor, code=payload.jurisdiction)
    if jurisdiction is None:
        raise _fail("发生地（jurisdiction）：区划不存在或不在您的辖区内")
    enterprise = None
    if payload.enterprise is not None:
        enterprise = enterprise_get(user=actor, pk=payload.enterprise)
        if enterprise is None:
            raise _fail("事故单位（enterprise）：单位不存在或不在您的辖区内")
    occurred_at = _aware(payload.occurred_at, "发生时间（occurred_at）")
    loss = _money(payload.direct_loss, "直接经济损失（direct_loss）")
    with service_refusals():
        accident = services.accident_register(
            actor=actor, jurisdiction=jurisdiction, occurred_at=occurred_at,
            place=payload.place, industry=payload.industry.value,
            on_highway=payload.on_highway, enterprise=enterprise, deaths=payload.deaths,
            missing=payload.missing, serious_injuries=payload.serious_injuries,
            direct_loss=loss, account=payload.account, known_on=payload.known_on)
    return Status(201, _detail(request, _accident(request, accident.pk)))


@router.get("/stats", response={200: StatsOut, 403: ErrorOut, 404: ErrorOut, **ERRORS},
            summary="事故统计",
            description="一个年度（按事故发生时间的北京时间日期）和一个辖区（默认为当前用户的辖区，"
                        "可指定其下级）的事故起数和死亡人数：合计、高速公路、上年同期和同比（一位"
                        "小数），按事故等级、行业领域、下一级地区和月份的分布。区划不在您的辖区内"
                        "返回 404；执法机关人员和社会监督员（其监督辖区）可以查看，"
                        "其他角色返回 403。")
def accident_stats(
    request: HttpRequest,
    year: int = Query(..., ge=2000, le=2100, title="年度"),
    jurisdiction: str | None = Query(None, pattern=CODE, title="统计范围",
                                     description="区划代码；不填为当前用户的辖区"),
) -> dict[str, Any]:
    user: User = request.auth
    if not selectors.stats_reader(user) or user.jurisdiction is None:
        raise HttpError(403, "只有执法机关人员和社会监督员可以查看事故统计。")
    area = user.jurisdiction if not jurisdiction else jurisdiction_get(user=user,
                                                                        code=jurisdiction)
    if area is None:
        raise HttpError(404, NOT_FOUND)
    stats = statistics.accident_statistics(year=year, jurisdiction=area)
    return {
        "year": stats.year, "jurisdiction": area.code, "jurisdiction_name": area.name,
        "total": _tally(stats.total), "highway": _tally(stats.highway),
        "previous": _tally(stats.previous),
        "count_change": _change(stats.count_change),
        "deaths_change": _change(stats.deaths_change),
        **{name: [_row(r) for r in getattr(stats, name)]
           for name in ("by_class", "by_industry", "by_county", "by_month")},
    }


@router.get("/{id}", response={200: AccidentDetailOut, 404: ErrorOut, **ERRORS},
            summary="事故详情",
            description="事故的数字、等级及定级依据，每次数据变更及对应的等级，报告时间及迟报判断、"
                        "漏报/谎报/瞒报认定和法律后果，事故调查（负责调查、调查组、法定期限、延长、"
                        "报告、批复、责任追究及由此登记的案件；法律指导和书面审查意见仅执法机关人员"
                        "可见）。不存在或不可见均返回 404。")
def accident_detail(request: HttpRequest,
                    id: int = Path(..., ge=1, le=MAX_ID, title="事故编号")) -> dict[str, Any]:
    return _detail(request, _accident(request, id))


@router.post("/{id}/figures", response={200: AccidentDetailOut, **WRITE_ERRORS},
             summary="更新事故数字（补报或更正）",
             description="登记新的伤亡和损失数字（如伤者七日后死亡），处罚引擎重新计算事故等级，"
                         "变更及前后等级记入数据变更记录和事件记录。自事故发生之日起30日内（道路"
                         "交通、火灾事故7日内）为补报，超过的作为更正。数字没有变化、获知日期早于"
                         "事故发生日期或晚于今天等返回 422；无权返回 403；不存在或不可见返回 404。")
def accident_figures(request: HttpRequest, payload: FiguresIn,
                     id: int = Path(..., ge=1, le=MAX_ID, title="事故编号")) -> dict[str, Any]:
    accident = _accident(request, id)
    loss = _money(payload.direct_loss, "直接经济损失（direct_loss）")
    with service_refusals():
        services.accident_figures_update(
            actor=request.auth, accident=accident, known_on=payload.known_on,
            deaths=payload.deaths, missing=payload.missing,
            serious_injuries=payload.serious_injuries, direct_loss=loss,
            reason=payload.reason)
    return _detail(request, _accident(request, id))
