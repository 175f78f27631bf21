"""The legal engine over HTTP: `POST /api/v1/legal/assess`
(../shared/specs/assess_api.md).

Input is checked in two steps, both answering 422 with a Chinese message naming the
field: the schema (types, enum values, date formats, unknown keys) through the API's
validation handler, then the values the schema cannot express (amounts as integers or
decimal strings — JSON floats are refused —, aware times, dates within 1990–2100, item
references, the jurisdiction) here, and finally the rule modules' own checks (a decision
before the filing date, ...), whose ValueErrors carry Chinese messages.

`jurisdiction`: a code the user may see (its own area and below; an enterprise user its
enterprise's area). Any other code — unknown or outside the user's area — is a 422 on
that field with one message for both, so the answer does not reveal which codes exist.
Every jurisdiction uses the national default 较大数额罚款 threshold for now
(procedure.DEFAULT_LARGE_FINE_THRESHOLD); `config.large_fine_threshold` overrides it for
a what-if."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import BaseModel, ConfigDict, StringConstraints, WithJsonSchema

from fazhi.core.api import ERRORS, NO_NUL, ErrorOut
from fazhi.core.calendar import load_schedule
from fazhi.core.rules.money import parse_yuan
from fazhi.core.selectors import jurisdiction_get
from fazhi.legal import engine
from fazhi.legal.rules.procedure import DEFAULT_LARGE_FINE_THRESHOLD, LargeFineThreshold
from fazhi.legal.selectors import resolve_items

router = Router(tags=["法律适用"])

EARLIEST = datetime.date(1990, 1, 1)
LATEST = datetime.date(2100, 12, 31)
MAX_ITEMS = 20

# An amount in yuan: an integer or a decimal string; JSON floats are refused in the view
# with a Chinese message (a float cannot hold 0.1 exactly).
Money = Annotated[Any, WithJsonSchema({
    "anyOf": [{"type": "integer", "minimum": 0},
              {"type": "string", "pattern": r"^\d{1,13}(\.\d{1,2})?$"},
              {"type": "null"}],
    "description": "金额（元）：整数或小数字符串（如 50000 或 \"1234.50\"），不接受浮点数",
})]
Measure = Literal["warning", "fine", "confiscate_gains", "confiscate_property",
                  "order_correct_within_deadline", "suspend_business", "revoke_permit",
                  "close", "restrict_practice"]
ItemRef = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]


class _In(BaseModel):
    # A misspelt fact must not be silently ignored: it would change the legal answer.
    # Unknown keys are kept here and refused in the view (`_unknown_keys`), which can
    # name them in the message; the schema documents them as not allowed.
    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": False})


class ProposedIn(_In):
    fine: Money = Field(None, title="拟罚款数额（proposed.fine）")
    confiscation: Money = Field(None, title="拟没收数额（proposed.confiscation）")
    measures: list[Measure] = Field(default_factory=list, max_length=20,
                                    title="拟作出的处罚种类（proposed.measures）")


def _fact(label: str) -> Any:
    return Field(None, title=label, description=label)


class FactsIn(_In):
    facts_conclusive: bool | None = _fact("违法事实确凿并有法定依据")
    first_violation: bool | None = _fact("初次违法")
    minor: bool | None = _fact("违法行为轻微")
    harm_minor: bool | None = _fact("危害后果轻微")
    corrected_in_time: bool | None = _fact("及时改正")
    harmful_consequence: bool | None = _fact("造成危害后果")
    no_fault_proven: bool | None = _fact("有证据足以证明没有主观过错")
    actively_eliminated_harm: bool | None = _fact("主动消除或者减轻违法行为危害后果")
    coerced_or_induced: bool | None = _fact("受他人胁迫或者诱骗实施违法行为")
    confessed_unknown_violation: bool | None = _fact("主动供述行政机关尚未掌握的违法行为")
    meritorious_cooperation: bool | None = _fact("配合行政机关查处违法行为有立功表现")
    other_statutory_lighter: bool | None = _fact("其他依法应当从轻或者减轻的情形")
    aged_14_to_17: bool | None = _fact("已满十四周岁不满十八周岁")
    involves_life_health_or_financial_safety: bool | None = _fact("涉及公民生命健康安全、金融安全")
    complex: bool | None = _fact("案件情况疑难复杂")
    multiple_legal_relations: bool | None = _fact("涉及多个法律关系")
    major_public_interest: bool | None = _fact("涉及重大公共利益")
    major_rights: bool | None = _fact("直接关系当事人或者第三人重大权益")
    hearing_held: bool | None = _fact("经过听证程序")
    especially_serious_and_egregious: bool | None = _fact("情节特别严重、影响特别恶劣")
    late_report: bool | None = _fact("事故迟报")
    party_present_at_announcement: bool | None = _fact("宣告时当事人在场")
    rights_not_informed: bool | None = _fact("决定书未告知复议、诉讼权利或者期限")
    illegal_gains: Money = Field(None, title="违法所得（facts.illegal_gains）")
    principal_income_prev_year: Money = Field(
        None, title="主要负责人上一年年收入（facts.principal_income_prev_year）")
    credit_severity: Literal["general", "serious"] | None = Field(
        None, title="失信严重程度（facts.credit_severity）",
        description="general（一般失信）或 serious（严重失信）")


class AccidentIn(_In):
    deaths: int | None = Field(None, ge=0, le=100_000, title="死亡人数（accident.deaths）")
    serious_injuries: int | None = Field(None, ge=0, le=100_000,
                                         title="重伤人数（含急性工业中毒）")
    direct_loss: Money = Field(None, title="直接经济损失（accident.direct_loss）")
    occurred_at: datetime.datetime | None = Field(
        None, title="事故发生时间（accident.occurred_at）", description="ISO 8601，须带时区")
    head_informed_at: datetime.datetime | None = Field(
        None, title="单位负责人接到报告的时间（accident.head_informed_at）",
        description="ISO 8601，须带时区")
    reported_at: datetime.datetime | None = Field(
        None, title="单位报告时间（accident.reported_at）", description="ISO 8601，须带时区")


def _date(label: str) -> Any:
    return Field(None, title=label, description=f"{label}，YYYY-MM-DD")


class DatesIn(_In):
    violation_ended: datetime.date | None = _date("违法行为终了日期")
    discovered: datetime.date | None = _date("发现日期")
    filed: datetime.date | None = _date("立案日期")
    noticed: datetime.date | None = _date("告知日期")
    hearing_notice_sent: datetime.date | None = _date("听证通知发出日期")
    hearing_date: datetime.date | None = _date("听证日期")
    decided: datetime.date | None = _date("决定日期")
    served: datetime.date | None = _date("送达日期")
    content_known: datetime.date | None = _date("知道决定内容的日期")
    as_of: datetime.date | None = _date("计算日期")
    surcharge_suspended: list[tuple[datetime.date, datetime.date]] = Field(
        default_factory=list, max_length=50, title="加处罚款暂停计算期间",
        description="复议、诉讼期间：[[开始日期, 结束日期], ...]，首尾两日均计入")


class ThresholdIn(_In):
    individual_min: Money = Field(..., title="个人较大数额罚款标准（individual_min）")
    unit_min: Money = Field(..., title="单位较大数额罚款标准（unit_min）")


class ConfigIn(_In):
    large_fine_threshold: ThresholdIn | None = Field(
        None, title="较大数额罚款标准（config.large_fine_threshold）",
        description="假设分析：覆盖本辖区的较大数额罚款标准")


class AssessIn(_In):
    party_type: Literal["unit", "individual"] | None = Field(
        None, title="当事人类型（party_type）", description="unit（单位）或 individual（个人）")
    role: Literal["principal", "responsible_person"] | None = Field(
        None, title="个人身份（role）",
        description="个人当事人：principal（主要负责人）或 responsible_person（直接责任人员）")
    jurisdiction: str | None = Field(None, pattern=r"^\d{6,12}$", title="辖区代码（jurisdiction）",
                                     description="选择本地配置；须为当前用户可见的区划")
    item: ItemRef | None = Field(
        None, title="执法事项（item）",
        description="事项编码（如 WSL2021-097-01）或处罚依据"
                    "（如“安全生产法 第九十七条第（一）项”）")
    items: list[ItemRef] = Field(default_factory=list, max_length=MAX_ITEMS,
                                 title="执法事项（items）",
                                 description="同一违法行为违反的多个规定（一事不再罚）")
    stage: Literal["first", "overdue"] | None = Field(
        None, title="违法阶段（stage）", description="first（首次发现）或 overdue（逾期未改正）")
    tier: Literal["minor", "general", "serious", "severe"] | None = Field(
        None, title="裁量阶次（tier）", description="minor 轻微 / general 一般 / serious 较重 / "
                                                     "severe 严重")
    proposed: ProposedIn | None = Field(None, title="拟作出的处罚（proposed）")
    facts: FactsIn | None = Field(None, title="案件事实（facts）")
    accident: AccidentIn | None = Field(None, title="事故情况（accident）")
    dates: DatesIn | None = Field(None, title="日期（dates）")
    config: ConfigIn | None = Field(None, title="假设分析配置（config）")


# --- response (documentation: the engine's dict is returned as it is) ---------------


class RangeOut(Schema):
    min: str
    max: str
    suggested: str | None = Field(None, description="建议罚款数额（在裁量阶次或法定幅度内）")


class RecommendationOut(Schema):
    measures: list[str] = Field(..., description="该阶段法定的处罚种类（代码同 proposed.measures）")
    fine: dict[str, RangeOut] | None = Field(
        None, description="罚款幅度（元）：unit 单位、responsible_persons 直接责任人员、"
                          "individual 个人当事人")
    dual_penalty: bool = Field(..., description="一案双罚：本阶段对单位和个人均处罚款")


class PrincipalFineOut(Schema):
    min_rate: str
    max_rate: str
    amount_min: str | None = None
    amount_max: str | None = None


class AccidentOut(Schema):
    class_: str | None = Field(None, alias="class",
                               description="ordinary 一般 / large 较大 / major 重大 / "
                                           "extraordinary 特别重大")
    unit_fine: RangeOut | None = None
    principal_fine: PrincipalFineOut | None = None
    report_deadline: datetime.datetime | None = None
    late_report: bool | None = None
    investigation_report_due: datetime.date | None = None
    investigation_report_latest_with_extension: datetime.date | None = None


class LimitationOut(Schema):
    years: int
    expired: bool


class CriminalTransferOut(Schema):
    threshold_met: bool
    required: bool


class CreditOut(Schema):
    earliest_repair: datetime.date | None = None
    publicity_ends_at_latest: datetime.date


class CitationOut(Schema):
    law: str
    version: str
    article: str
    applies_to: str = Field(..., description="所支持的答复项，如 hearing_rights、deadlines.payment")


class ThresholdOut(Schema):
    individual_min: int | str
    unit_min: int | str


class AssessOut(Schema):
    """Every element is present only when the facts given allow it to be answered."""

    summary_procedure_allowed: bool | None = None
    hearing_rights: bool | None = None
    threshold_used: ThresholdOut | None = None
    hearing_notice_compliant: bool | None = None
    legal_review_required: bool | None = None
    collective_discussion_required: bool | None = None
    exemption: Literal["mandatory", "discretionary", "none"] | None = None
    lighter_or_mitigated_required: bool | None = None
    limitation: LimitationOut | None = None
    deadlines: dict[str, datetime.date] | None = Field(
        None, description="decision / statement / hearing_request / service / payment / "
                          "publicity / reconsideration / litigation：各期限的最后一日")
    reconsideration_outer_limit: datetime.date | None = None
    overdue_days: int | None = None
    late_payment_surcharge: str | None = None
    recommendation: RecommendationOut | None = None
    provision_applied: str | None = None
    accident: AccidentOut | None = None
    criminal_transfer: CriminalTransferOut | None = None
    credit: CreditOut | None = None
    calendar_assumed_years: list[int] | None = Field(
        None, description="计算所及但未载入节假日安排的年份（仅按周末计算），仅在非空时出现")
    citations: list[CitationOut]


# --- turning the request into the engine's input -------------------------------------


def _unknown_keys(model: BaseModel, path: str = "") -> None:
    extra = sorted(model.model_extra or {})
    if extra:
        names = "、".join(f"{path}{key}" for key in extra)
        raise _fail(f"不支持的字段：{names}（请检查拼写）")
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, _In):
            _unknown_keys(value, f"{path}{name}.")


def _fail(message: str) -> HttpError:
    return HttpError(422, f"输入有误。{message}")


def _money(value: Any, label: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_yuan(value, label, whole_cents=True)
    except ValueError as exc:
        raise _fail(str(exc)) from None


def _day(value: datetime.date | None, label: str) -> datetime.date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise _fail(f"{label}应在{EARLIEST.isoformat()}至{LATEST.isoformat()}之间")
    return value


def _moment(value: datetime.datetime | None, label: str) -> datetime.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise _fail(f"{label}须带时区（如 2026-03-02T09:00:00+08:00）")
    _day(value.date(), label)
    return value


def _facts(f: FactsIn | None) -> engine.Facts:
    if f is None:
        return engine.Facts()
    values = f.model_dump(exclude={"illegal_gains", "principal_income_prev_year"})
    return engine.Facts(
        **values,
        illegal_gains=_money(f.illegal_gains, "违法所得（facts.illegal_gains）"),
        principal_income_prev_year=_money(
            f.principal_income_prev_year,
            "主要负责人上一年年收入（facts.principal_income_prev_year）"))


def _dates(d: DatesIn | None) -> engine.Dates:
    if d is None:
        return engine.Dates()
    values = {}
    for name, spec in DatesIn.model_fields.items():
        if name != "surcharge_suspended":
            values[name] = _day(getattr(d, name), f"{spec.title}（dates.{name}）")
    spans = []
    for i, (first, last) in enumerate(d.surcharge_suspended):
        label = f"加处罚款暂停计算期间（dates.surcharge_suspended[{i}]）"
        _day(first, label)
        _day(last, label)
        if last < first:
            raise _fail(f"{label}的开始日期不能晚于结束日期")
        spans.append((first, last))
    return engine.Dates(**values, surcharge_suspended=tuple(spans))


def _accident(acc: AccidentIn | None) -> engine.AccidentFacts | None:
    if acc is None:
        return None
    return engine.AccidentFacts(
        deaths=acc.deaths, serious_injuries=acc.serious_injuries,
        direct_loss=_money(acc.direct_loss, "直接经济损失（accident.direct_loss）"),
        occurred_at=_moment(acc.occurred_at, "事故发生时间（accident.occurred_at）"),
        head_informed_at=_moment(acc.head_informed_at,
                                 "单位负责人接到报告的时间（accident.head_informed_at）"),
        reported_at=_moment(acc.reported_at, "单位报告时间（accident.reported_at）"))


def _threshold(config: ConfigIn | None) -> LargeFineThreshold:
    if config is None or config.large_fine_threshold is None:
        return DEFAULT_LARGE_FINE_THRESHOLD
    given = config.large_fine_threshold
    individual = _money(given.individual_min,
                        "个人较大数额罚款标准（config.large_fine_threshold.individual_min）")
    unit = _money(given.unit_min, "单位较大数额罚款标准（config.large_fine_threshold.unit_min）")
    if individual is None or unit is None or not individual or not unit:
        raise _fail("较大数额罚款标准（config.large_fine_threshold）的 individual_min 和 "
                    "unit_min 均应为正数")
    return LargeFineThreshold(individual_min=individual, unit_min=unit)


@router.post(
    "/assess",
    response={200: AssessOut, 400: ErrorOut, **ERRORS, 422: ErrorOut},
    summary="法律适用评估",
    description=(
        "根据案件事实，给出法律对程序和处罚的要求与允许范围：简易程序、听证权利、法制审核、"
        "集体讨论、不予处罚、从轻减轻、追责时效、各类期限、加处罚款、裁量建议（一事不再罚）、"
        "事故等级与罚款、移送司法机关、信用修复。只回答所给事实足以回答的项目（例如只有给出"
        "起算日期才计算相应期限），每一项均附法律依据（citations 的 applies_to 指明所支持的项目）。"
        "金额为整数或小数字符串（元），不接受浮点数；日期为 YYYY-MM-DD；时间为带时区的 ISO 8601；"
        "均按北京时间。jurisdiction 须为当前用户可见的区划代码，否则返回 422。"
        "calendar_assumed_years 列出计算所及但未载入节假日安排的年份。"
        "输入有误时返回 422 及中文说明。"
    ),
)
def assess(request: HttpRequest, payload: AssessIn) -> HttpResponse:
    answer = assess_payload(payload, user=request.auth)  # type: ignore[attr-defined]
    # The engine's dict holds only strings, numbers, booleans and lists: returned as it is.
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})


def assess_payload(payload: AssessIn, *, user: Any) -> dict[str, Any]:
    """The engine's answer to a schema-valid request, for `user` (who must be able to see
    `payload.jurisdiction`). Shared by the API and the calculator page
    (fazhi.legal.views), so both check and build the request the same way. Raises
    `HttpError(422, message)` with a Chinese message naming the field."""
    _unknown_keys(payload)
    if payload.jurisdiction is not None and jurisdiction_get(
            user=user, code=payload.jurisdiction) is None:
        raise _fail(f"辖区代码（jurisdiction）“{payload.jurisdiction}”不存在或不在您可见的范围内")
    try:
        today = timezone.localdate()
        dates = _dates(payload.dates)
        lookup = {"on": dates.violation_ended or dates.decided or today,
                  "decided": dates.decided or today, "stage": payload.stage,
                  "jurisdiction": payload.jurisdiction}
        items = (resolve_items([payload.item], field="item", **lookup)
                 if payload.item is not None else [])
        codes = {i.code for i in items}
        items += [i for i in resolve_items(payload.items, **lookup) if i.code not in codes]
        proposed = None
        if payload.proposed is not None:
            proposed = engine.Proposed(
                fine=_money(payload.proposed.fine, "拟罚款数额（proposed.fine）"),
                confiscation=_money(payload.proposed.confiscation,
                                    "拟没收数额（proposed.confiscation）"),
                measures=tuple(dict.fromkeys(payload.proposed.measures)))
        data = engine.AssessRequest(
            party_type=payload.party_type, role=payload.role,
            jurisdiction=payload.jurisdiction, item=payload.item, items=tuple(payload.items),
            stage=payload.stage, tier=payload.tier, proposed=proposed,
            facts=_facts(payload.facts), accident=_accident(payload.accident),
            dates=dates)
        return engine.assess(data, schedule=load_schedule(), items=items,
                             threshold=_threshold(payload.config), today=today)
    except ValueError as exc:  # the item lookup's and the rules' own checks, in Chinese
        raise _fail(str(exc)) from None
