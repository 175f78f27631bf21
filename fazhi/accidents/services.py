"""Writes of the accidents app: the registry (事故登记) and changes of its figures
(补报 / 更正), reporting times and findings (迟报 / 漏报 / 谎报 / 瞒报), the investigation
(事故调查: team, extension, report, approval 批复), the accountability it proposes and the
penalty cases opened from it, and the legality review of reports (法律指导 / 书面合法性
审查意见).

Every function checks the actor first, then runs in one transaction on the accident
row locked with `select_for_update`, and writes its event on the accident
(`accident.<verb>`). A refusal raises a Chinese ValidationError / PermissionDenied
before anything is saved. The law comes from `fazhi.legal.rules.accidents`."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.accidents.models import (
    Accident,
    AccidentRevision,
    Accountability,
    Industry,
    Investigation,
    LegalityOpinion,
    OpinionItem,
    ReportReview,
)
from fazhi.accidents.selectors import accident_reporting
from fazhi.cases.models import CaseSource, PenaltyCase
from fazhi.cases.services import case_lead_register
from fazhi.core.models import Agency, Jurisdiction, Role, User
from fazhi.core.rules.calendar import add_calendar_days, day_text
from fazhi.core.rules.money import parse_yuan
from fazhi.core.services.events import record_event
from fazhi.core.services.inputs import required_text
from fazhi.core.services.numbering import document_number_allocate
from fazhi.inspection.rules.access import path_contains
from fazhi.legal.rules import accidents as law
from fazhi.legal.rules.citations import ACCIDENT_REG, WSL, Citation, cite
from fazhi.subjects.models import Enterprise, ResponsiblePerson

STAFF_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.REVIEWER, Role.ADMIN})
ROAD_OR_FIRE = frozenset({Industry.ROAD, Industry.FIRE})  # 条例 第十三条: 7-day window
FIGURES = ("deaths", "missing", "serious_injuries", "direct_loss")
CASUALTIES = ("deaths", "missing", "serious_injuries")
REPORTING_TIMES = ("head_informed_at", "unit_reported_at", "bureau_informed_at",
                   "reported_up_at")
# The catalogue items of an accident-based case, by class (安全生产法(2021) 第一百一十四条
# 第一款 for the unit, 第九十五条 for the principal; items 01..04 = 一般..特别重大).
_ITEM_NO = {law.ORDINARY: "01", law.LARGE: "02", law.MAJOR: "03", law.EXTRAORDINARY: "04"}
CASE_ITEM_PREFIX = {Accountability.Subject.UNIT: "WSL2021-114-",
                    Accountability.Subject.PRINCIPAL: "WSL2021-095-"}


# --- helpers -------------------------------------------------------------------------

def _require_staff(actor: User, jurisdiction_path: str, what: str) -> None:
    """Staff of an agency whose jurisdiction contains the accident's (安全生产法 第十条:
    属地监管)."""
    if (not actor.is_authenticated or not actor.is_active or actor.role not in STAFF_ROLES
            or actor.agency_id is None):
        raise PermissionDenied(_("您的角色无权%(what)s") % {"what": what})
    if not path_contains(actor.agency.jurisdiction.path, jurisdiction_path):
        raise PermissionDenied(_("该事故不在您的辖区内，您无权%(what)s") % {"what": what})


def _locked(actor: User, accident_id: int, what: str) -> Accident:
    """The accident row locked for this transaction, once the actor may write it."""
    accident = (Accident.objects.select_for_update().select_related("jurisdiction")
                .get(pk=accident_id))
    _require_staff(actor, accident.jurisdiction_path, what)
    return accident


def _locked_investigation(actor: User, investigation: Investigation, what: str
                          ) -> tuple[Accident, Investigation]:
    accident = _locked(actor, investigation.accident_id, what)
    return accident, Investigation.objects.select_for_update().get(pk=investigation.pk)


def _count(value: object, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: _("%(label)s应为整数") % {"label": label}})
    if value < 0:
        raise ValidationError({field: _("%(label)s不能为负数") % {"label": label}})
    return value


def _loss(value: object) -> Decimal:
    try:
        return parse_yuan(value, _("直接经济损失"), whole_cents=True)
    except ValueError as exc:
        raise ValidationError({"direct_loss": str(exc)}) from None


def _moment(value: object, field: str, label: str) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        raise ValidationError({field: _("%(label)s应为日期时间") % {"label": label}})
    if timezone.is_naive(value):
        raise ValidationError({field: _("%(label)s须带时区") % {"label": label}})
    if value > timezone.now():
        raise ValidationError({field: _("%(label)s不能晚于现在") % {"label": label}})
    return value


def _day(value: object, field: str, label: str, *, not_before: datetime.date | None = None,
         before_label: str = "") -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError({field: _("%(label)s应为日期") % {"label": label}})
    if value > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})
    if not_before is not None and value < not_before:
        raise ValidationError({field: _("%(label)s不能早于%(other)s（%(day)s）") % {
            "label": label, "other": before_label, "day": day_text(not_before)}})
    return value


def occurred_on(accident: Accident) -> datetime.date:
    """The accident day in Asia/Shanghai."""
    return timezone.localtime(accident.occurred_at).date()


def _citations(citations: Sequence[Citation]) -> list[dict[str, str]]:
    return [c.as_dict() for c in citations]


def _figures(source: Any) -> dict[str, Any]:
    return {name: getattr(source, name) for name in FIGURES}


def _classify(deaths: int, serious_injuries: int, direct_loss: Decimal) -> law.AccidentClass:
    try:
        return law.accident_class(deaths, serious_injuries, direct_loss)
    except ValueError as exc:  # the inputs were checked: this is a programming error
        raise ValidationError(str(exc)) from None


def _checked_figures(deaths: object, missing: object, serious_injuries: object,
                     direct_loss: object) -> dict[str, Any]:
    return {"deaths": _count(deaths, "deaths", _("死亡人数")),
            "missing": _count(missing, "missing", _("下落不明人数")),
            "serious_injuries": _count(serious_injuries, "serious_injuries", _("重伤人数")),
            "direct_loss": _loss(direct_loss)}


def _base_report_due(accident: Accident, appraisal_days: int) -> law.InvestigationDeadline:
    return law.investigation_report_due(occurred_on(accident), accident.accident_class,
                                        appraisal_days=appraisal_days)


# --- the registry ----------------------------------------------------------------------

def accident_register(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    occurred_at: datetime.datetime,
    place: str,
    industry: str,
    account: str,
    deaths: int = 0,
    missing: int = 0,
    serious_injuries: int = 0,
    direct_loss: Decimal | int | str = 0,
    enterprise: Enterprise | None = None,
    on_highway: bool = False,
    known_on: datetime.date | None = None,
) -> Accident:
    """Register an accident (事故登记): its number from the agency's 事故 series for the
    year it happened, the class from the engine (条例 第三条) and the first revision of
    its figures."""
    _require_staff(actor, jurisdiction.path, _("登记该事故"))
    occurred_at = _moment(occurred_at, "occurred_at", _("事故发生时间"))
    day = timezone.localtime(occurred_at).date()
    known_on = _day(known_on or timezone.localdate(), "known_on", _("获知日期"),
                    not_before=day, before_label=_("事故发生日期"))
    place = required_text(place, "place", _("发生地点"), 200)
    account = required_text(account, "account", _("事故简要经过"))
    if industry not in Industry.values:
        raise ValidationError({"industry": _("请选择事故的行业领域")})
    if on_highway and industry != Industry.ROAD:
        raise ValidationError({"on_highway": _("只有道路交通事故可以标记为高速公路事故")})
    figures = _checked_figures(deaths, missing, serious_injuries, direct_loss)
    klass = _classify(figures["deaths"], figures["serious_injuries"], figures["direct_loss"])
    with transaction.atomic():
        number = document_number_allocate(actor=actor, agency=actor.agency,
                                          doc_type="accident", year=day.year)
        accident = Accident.objects.create(
            number=number.text, agency=actor.agency, jurisdiction=jurisdiction,
            occurred_at=occurred_at, place=place, enterprise=enterprise, industry=industry,
            on_highway=bool(on_highway), account=account, accident_class=klass.code,
            class_citations=_citations(klass.citations), created_by=actor, **figures)
        AccidentRevision.objects.create(
            accident=accident, known_on=known_on, accident_class=klass.code,
            reason=_("事故登记"), recorded_by=actor, **figures)
        record_event(actor=actor, obj=accident, action="accident.registered", payload={
            "number": accident.number, "jurisdiction": jurisdiction.code,
            "occurred_at": occurred_at, "place": place, "industry": industry,
            "on_highway": accident.on_highway, "enterprise": getattr(enterprise, "pk", None),
            "known_on": known_on, **figures, "class": klass.code,
            "class_citations": accident.class_citations})
    return accident


def accident_figures_update(
    *,
    actor: User,
    accident: Accident,
    known_on: datetime.date,
    deaths: int,
    missing: int,
    serious_injuries: int,
    direct_loss: Decimal | int | str,
    reason: str,
) -> AccidentRevision:
    """New figures for an accident (e.g. a death seven days later): a revision, the
    class recomputed by the engine. Within 30 days of the accident (7 for road traffic
    and fire) the change is a 补报 (条例 第十三条); later it is recorded as a correction
    (更正) and says so."""
    figures = _checked_figures(deaths, missing, serious_injuries, direct_loss)
    reason = required_text(reason, "reason", _("变化原因"))
    with transaction.atomic():
        accident = _locked(actor, accident.pk, _("更新事故数据"))
        day = occurred_on(accident)
        known_on = _day(known_on, "known_on", _("获知日期"), not_before=day,
                        before_label=_("事故发生日期"))
        before = _figures(accident)
        if before == figures:
            raise ValidationError(_("事故数据没有变化"))
        window = law.supplementary_report_window(
            day, road_or_fire=accident.industry in ROAD_OR_FIRE)
        supplementary = window.covers(known_on)
        if not supplementary:
            reason = _("%(reason)s（自事故发生之日起超过%(days)s日，不属补报，作为更正记录）") % {
                "reason": reason, "days": window.days}
        if len(reason) > AccidentRevision._meta.get_field("reason").max_length:
            raise ValidationError({"reason": _("变化原因过长")})
        old_class = accident.accident_class
        klass = _classify(figures["deaths"], figures["serious_injuries"], figures["direct_loss"])
        higher = law.higher_government_may_investigate(
            window, known_on, old_class, klass.code,
            casualties_changed=any(before[f] != figures[f] for f in CASUALTIES))
        for name, value in figures.items():
            setattr(accident, name, value)
        accident.accident_class = klass.code
        accident.class_citations = _citations(klass.citations)
        accident.save()
        revision = AccidentRevision.objects.create(
            accident=accident, known_on=known_on, accident_class=klass.code, reason=reason,
            recorded_by=actor, **figures)
        citations = list(window.citations)
        if higher:
            citations.append(cite(ACCIDENT_REG, "第二十条第二款",
                                      "accident.higher_government_may_investigate"))
        record_event(actor=actor, obj=accident, action="accident.figures_updated", payload={
            "revision": revision.pk, "known_on": known_on, "reason": reason,
            "from": {**before, "class": old_class}, "to": {**figures, "class": klass.code},
            "class_changed": old_class != klass.code,
            "class_citations": accident.class_citations,
            "supplementary": supplementary, "supplement_days": window.days,
            "supplement_last_day": window.last_day,
            "higher_government_may_investigate": higher,
            "citations": _citations(citations)})
    return revision


# --- reporting -------------------------------------------------------------------------

def accident_reporting_set(
    *,
    actor: User,
    accident: Accident,
    head_informed_at: datetime.datetime | None = None,
    unit_reported_at: datetime.datetime | None = None,
    bureau_informed_at: datetime.datetime | None = None,
    reported_up_at: datetime.datetime | None = None,
) -> Accident:
    """Record the reporting times (a None leaves a time as it is). 迟报 is computed:
    the unit within 1 hour of its head being informed (条例 第九条), this bureau upward
    within 2 hours (第十一条)."""
    given = {"head_informed_at": head_informed_at, "unit_reported_at": unit_reported_at,
             "bureau_informed_at": bureau_informed_at, "reported_up_at": reported_up_at}
    labels = {"head_informed_at": _("单位负责人接到报告时间"),
              "unit_reported_at": _("单位报告时间"),
              "bureau_informed_at": _("本局接到报告时间"), "reported_up_at": _("向上级报告时间")}
    given = {k: _moment(v, k, labels[k]) for k, v in given.items() if v is not None}
    if not given:
        raise ValidationError(_("请至少填写一个报告时间"))
    with transaction.atomic():
        accident = _locked(actor, accident.pk, _("记录事故报告情况"))
        changes = {k: {"from": getattr(accident, k), "to": v} for k, v in given.items()
                   if getattr(accident, k) != v}
        for name, value in given.items():
            setattr(accident, name, value)
        for name in REPORTING_TIMES:
            value = getattr(accident, name)
            if value is not None and value < accident.occurred_at:
                raise ValidationError({name: _("%(label)s不能早于事故发生时间") % {
                    "label": labels[name]}})
        if accident.reported_up_at is not None:
            if accident.bureau_informed_at is None:
                raise ValidationError({"reported_up_at": _("请先填写本局接到报告时间")})
            if accident.reported_up_at < accident.bureau_informed_at:
                raise ValidationError({"reported_up_at": _(
                    "向上级报告时间不能早于本局接到报告时间")})
        if not changes:
            raise ValidationError(_("报告时间没有变化"))
        accident.save()
        status = accident_reporting(accident)
        late = {"unit": status.unit_late, "upward": status.upward_late}
        record_event(actor=actor, obj=accident, action="accident.reporting_set", payload={
            "changes": changes, "unit_deadline": status.unit_deadline,
            "upward_deadline": status.upward_deadline,
            **{f"{who}_late": None if r is None else r.late for who, r in late.items()},
            "citations": _citations([c for r in late.values() if r for c in r.citations])})
    return accident


def accident_report_finding(
    *,
    actor: User,
    accident: Accident,
    omitted: bool = False,
    false_report: bool = False,
    concealed: bool = False,
    finding: str,
) -> Accident:
    """Record the finding on how the accident was reported: 漏报 / 谎报 / 瞒报 are facts
    found with reasons (条例 第三十五、三十六条; definitions from 生产安全事故罚款处罚规定).
    All three False clears them (the finding says why). The event lists the
    consequences with their citations."""
    finding = required_text(finding, "finding", _("报告情况认定理由"))
    with transaction.atomic():
        accident = _locked(actor, accident.pk, _("认定事故报告情况"))
        before = {"omitted": accident.omitted_report, "false_report": accident.false_report,
                  "concealed": accident.concealed}
        accident.omitted_report = bool(omitted)
        accident.false_report = bool(false_report)
        accident.concealed = bool(concealed)
        accident.report_finding = finding
        accident.save()
        status = accident_reporting(accident)
        record_event(actor=actor, obj=accident, action="accident.report_finding", payload={
            "from": before, "to": {"omitted": accident.omitted_report,
                                   "false_report": accident.false_report,
                                   "concealed": accident.concealed},
            "finding": finding, "acts": list(status.acts),
            "consequences": [c.as_dict() for c in status.consequences],
            "notes": list(status.notes)})
    return accident


# --- the investigation -----------------------------------------------------------------

def _team(team: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    members = []
    for member in team or ():
        name = str(member.get("name", "")).strip() if isinstance(member, Mapping) else ""
        if not name:
            raise ValidationError({"team": _("调查组成员须写明姓名")})
        members.append({"name": name, "unit": str(member.get("unit", "")).strip(),
                        "role": str(member.get("role", "")).strip()})
    if not members:
        raise ValidationError({"team": _("请填写调查组成员")})
    return members


def investigation_open(
    *,
    actor: User,
    accident: Accident,
    started_on: datetime.date,
    team: Sequence[Mapping[str, str]],
    led_by: str | None = None,
    lead_agency: Agency | None = None,
) -> Investigation:
    """Set up the investigation (事故调查): who leads defaults to the engine's
    INVESTIGATED_BY for the class (条例 第十九条); the report is due 60 days after the
    accident (第二十九条)."""
    members = _team(team)
    with transaction.atomic():
        accident = _locked(actor, accident.pk, _("组织事故调查"))
        if Investigation.objects.filter(accident=accident).exists():
            raise ValidationError(_("该事故已成立调查组"))
        day = occurred_on(accident)
        started_on = _day(started_on, "started_on", _("调查组成立日期"), not_before=day,
                          before_label=_("事故发生日期"))
        led_by = (led_by or "").strip() or law.INVESTIGATED_BY[accident.accident_class]
        if len(led_by) > Investigation._meta.get_field("led_by").max_length:
            raise ValidationError({"led_by": _("负责调查的人民政府（部门）名称过长")})
        deadline = _base_report_due(accident, 0)
        investigation = Investigation.objects.create(
            accident=accident, led_by=led_by, lead_agency=lead_agency, team=members,
            started_on=started_on, report_due=deadline.due,
            citations=_citations(deadline.citations))
        record_event(actor=actor, obj=accident, action="accident.investigation_opened",
                     payload={"investigation": investigation.pk, "led_by": led_by,
                              "lead_agency": getattr(lead_agency, "pk", None),
                              "team": members, "started_on": started_on,
                              "report_due": deadline.due,
                              "latest_with_extension": deadline.latest_with_extension,
                              "citations": investigation.citations})
    return investigation


def investigation_extend(
    *, actor: User, investigation: Investigation, days: int, reason: str, approved_by: str,
) -> Investigation:
    """Extend the report's deadline with the approval of the government that
    investigates (条例 第二十九条): at most 60 days in all."""
    days = _count(days, "days", _("延长天数"))
    if days == 0:
        raise ValidationError({"days": _("延长天数应大于0")})
    reason = required_text(reason, "reason", _("延长理由"))
    approved_by = required_text(approved_by, "approved_by", _("延长批准机关"), 100)
    with transaction.atomic():
        accident, investigation = _locked_investigation(actor, investigation,
                                                        _("延长调查期限"))
        if investigation.report_submitted_on is not None:
            raise ValidationError(_("调查报告已提交，不能再延长调查期限"))
        total = investigation.extension_days + days
        if total > law.MAX_EXTENSION_DAYS:
            raise ValidationError({"days": _(
                "延长期限最长不超过%(max)s日（《生产安全事故报告和调查处理条例》第二十九条），"
                "已延长%(done)s日") % {"max": law.MAX_EXTENSION_DAYS,
                                      "done": investigation.extension_days}})
        before = investigation.report_due
        investigation.extension_days = total
        investigation.extension_reason = "\n".join(
            r for r in (investigation.extension_reason, reason) if r)
        investigation.extension_approved_by = approved_by
        base = _base_report_due(accident, investigation.appraisal_days)
        investigation.report_due = add_calendar_days(base.due, total).date
        investigation.save()
        record_event(actor=actor, obj=accident, action="accident.investigation_extended",
                     payload={"investigation": investigation.pk, "days": days,
                              "extension_days": total, "reason": reason,
                              "approved_by": approved_by,
                              "report_due": {"from": before, "to": investigation.report_due},
                              "citations": [cite(ACCIDENT_REG, "第二十九条",
                                                     "accident.investigation_extension"
                                                     ).as_dict()]})
    return investigation


def investigation_report_submit(
    *,
    actor: User,
    investigation: Investigation,
    submitted_on: datetime.date,
    cause: str,
    nature: str,
    summary: str,
    appraisal_days: int = 0,
) -> Investigation:
    """Record the investigation report (事故调查报告). The due date counts no technical
    appraisal days (第二十七条); the approval (批复) is due 15 days after it is received,
    30 for 特别重大 (第三十二条) — the submission day is taken as the day received."""
    appraisal_days = _count(appraisal_days, "appraisal_days", _("技术鉴定天数"))
    cause = required_text(cause, "cause", _("事故原因"))
    nature = required_text(nature, "nature", _("事故性质"), 20)
    summary = required_text(summary, "summary", _("调查报告摘要"))
    with transaction.atomic():
        accident, investigation = _locked_investigation(actor, investigation,
                                                        _("提交事故调查报告"))
        if investigation.approved_on is not None:
            raise ValidationError(_("调查报告已批复，不能再修改"))
        submitted_on = _day(submitted_on, "submitted_on", _("报告提交日期"),
                            not_before=investigation.started_on,
                            before_label=_("调查组成立日期"))
        resubmitted = investigation.report_submitted_on is not None
        base = _base_report_due(accident, appraisal_days)
        due = add_calendar_days(base.due, investigation.extension_days).date
        approval = law.investigation_approval_due(submitted_on, accident.accident_class)
        investigation.appraisal_days = appraisal_days
        investigation.report_due = due
        investigation.report_submitted_on = submitted_on
        investigation.cause, investigation.nature = cause, nature
        investigation.report_summary = summary
        investigation.reply_due = approval.due
        investigation.citations = _citations([*base.citations, *approval.citations])
        investigation.save()
        record_event(actor=actor, obj=accident, action="accident.investigation_reported",
                     payload={"investigation": investigation.pk, "submitted_on": submitted_on,
                              "resubmitted": resubmitted, "cause": cause, "nature": nature,
                              "summary": summary, "appraisal_days": appraisal_days,
                              "report_due": due, "late": submitted_on > due,
                              "reply_due": approval.due,
                              "reply_latest_with_extension": approval.latest_with_extension,
                              "citations": investigation.citations})
    return investigation


def investigation_approve(
    *, actor: User, investigation: Investigation, approved_on: datetime.date, approved_by: str,
) -> Investigation:
    """Record the approval of the report (批复, 条例 第三十二条): never before the report;
    an approval after the period is recorded and flagged late."""
    approved_by = required_text(approved_by, "approved_by", _("批复机关"), 100)
    with transaction.atomic():
        accident, investigation = _locked_investigation(actor, investigation,
                                                        _("记录调查报告批复"))
        if investigation.report_submitted_on is None:
            raise ValidationError(_("调查报告尚未提交，不能记录批复"))
        if investigation.approved_on is not None:
            raise ValidationError(_("调查报告已批复"))
        approved_on = _day(approved_on, "approved_on", _("批复日期"),
                           not_before=investigation.report_submitted_on,
                           before_label=_("调查报告提交日期"))
        approval = law.investigation_approval_due(investigation.report_submitted_on,
                                                  accident.accident_class)
        investigation.approved_on, investigation.approved_by = approved_on, approved_by
        investigation.reply_due = approval.due
        investigation.save()
        record_event(actor=actor, obj=accident, action="accident.investigation_approved",
                     payload={"investigation": investigation.pk, "approved_on": approved_on,
                              "approved_by": approved_by, "reply_due": approval.due,
                              "late": approval.is_late(approved_on),
                              "late_even_with_extension": approval.is_late(approved_on,
                                                                           extended=True),
                              "citations": _citations(approval.citations)})
    return investigation


# --- accountability and the penalty cases ------------------------------------------------

def accountability_add(
    *,
    actor: User,
    investigation: Investigation,
    subject: str,
    name: str,
    responsibility: str,
    measures: str,
    enterprise: Enterprise | None = None,
    person: ResponsiblePerson | None = None,
) -> Accountability:
    """A unit or person the report holds responsible (责任追究), with the measures
    proposed."""
    if subject not in Accountability.Subject.values:
        raise ValidationError({"subject": _("请选择责任主体")})
    name = required_text(name, "name", _("名称或姓名"), 200)
    responsibility = required_text(responsibility, "responsibility", _("责任认定"))
    measures = required_text(measures, "measures", _("处理建议"))
    if person is not None:
        if enterprise is not None and person.enterprise_id != enterprise.pk:
            raise ValidationError({"person": _("该人员不属于所选单位")})
        enterprise = enterprise or person.enterprise
    with transaction.atomic():
        accident, investigation = _locked_investigation(actor, investigation,
                                                        _("登记责任追究"))
        item = Accountability.objects.create(
            investigation=investigation, subject=subject, name=name, enterprise=enterprise,
            person=person, responsibility=responsibility, measures=measures)
        record_event(actor=actor, obj=accident, action="accident.accountability_added",
                     payload={"accountability": item.pk, "subject": subject, "name": name,
                              "enterprise": getattr(enterprise, "pk", None),
                              "person": getattr(person, "pk", None),
                              "responsibility": responsibility, "measures": measures})
    return item


def _engine_ranges(subject: str, klass: str, day: datetime.date) -> dict[str, Any]:
    """The engine's range for the case (安全生产法 第一百一十四条 / 第九十五条)."""
    if subject == Accountability.Subject.UNIT:
        fine = law.unit_fine_for_accident(klass, occurred_on=day)
        return {"unit_fine": fine.as_dict(), "citations": _citations(fine.citations)}
    principal = law.principal_fine(klass, occurred_on=day)
    return {"principal_fine": principal.as_dict(), "citations": _citations(principal.citations)}


def accident_case_open(
    *,
    actor: User,
    accountability: Accountability,
    handlers: Sequence[User] = (),
    on: datetime.date | None = None,
) -> PenaltyCase:
    """Open the penalty case the approved report leads to: a lead with source accident
    (`fazhi.cases.services.case_lead_register`), the item by class — 安全生产法(2021)
    第一百一十四条 for the unit, 第九十五条 for the principal — discovered on the day of
    the approval (or `on`, not before it)."""
    with transaction.atomic():
        investigation = Investigation.objects.get(pk=accountability.investigation_id)
        accident, investigation = _locked_investigation(actor, investigation,
                                                        _("依事故调查报告立案"))
        item = Accountability.objects.select_for_update().get(pk=accountability.pk)
        if investigation.approved_on is None:
            raise ValidationError(_("事故调查报告尚未批复，不能据此登记案件线索"))
        if item.case_id is not None:
            raise ValidationError(_("该责任主体已登记案件（%(case)s）") % {
                "case": item.case.number or item.case_id})
        if item.subject not in CASE_ITEM_PREFIX:
            raise ValidationError({"subject": _(
                "只能对事故责任单位或其主要负责人依本功能登记案件线索，其他责任人员请另行登记")})
        day = occurred_on(accident)
        if not WSL.in_force_on(day):
            # 行政处罚法 第三十七条: the text in force when it happened (the 2021 ranges
            # are not lighter); the catalogue holds only the 2021 items.
            raise ValidationError(_(
                "事故发生于%(day)s，适用安全生产法(2014)，执法事项目录中没有相应事项，"
                "请手工登记案件线索") % {"day": day_text(day)})
        enterprise = item.enterprise or accident.enterprise
        if enterprise is None:
            raise ValidationError({"enterprise": _("请先确定事故责任单位")})
        discovered_on = _day(on or investigation.approved_on, "on", _("发现日期"),
                             not_before=investigation.approved_on,
                             before_label=_("调查报告批复日期"))
        code = CASE_ITEM_PREFIX[item.subject] + _ITEM_NO[accident.accident_class]
        facts = _(
            "%(number)s：%(day)s在%(place)s发生%(klass)s（死亡%(deaths)s人，重伤%(injuries)s人，"
            "直接经济损失%(loss)s元）。经事故调查报告（%(by)s于%(approved)s批复）认定，"
            "%(name)s：%(responsibility)s") % {
            "number": accident.number, "day": day_text(day), "place": accident.place,
            "klass": accident.get_accident_class_display(), "deaths": accident.deaths,
            "injuries": accident.serious_injuries, "loss": accident.direct_loss,
            "by": investigation.approved_by, "approved": day_text(investigation.approved_on),
            "name": item.name, "responsibility": item.responsibility}
        case = case_lead_register(actor=actor, enterprise=enterprise,
                                  source=CaseSource.ACCIDENT, facts=facts,
                                  discovered_on=discovered_on, item_codes=[code],
                                  handlers=handlers)
        item.case = case
        item.save(update_fields=["case"])
        record_event(actor=actor, obj=accident, action="accident.case_opened", payload={
            "accountability": item.pk, "subject": item.subject, "case": case.pk,
            "enterprise": enterprise.pk, "item": code, "class": accident.accident_class,
            "discovered_on": discovered_on,
            **_engine_ranges(item.subject, accident.accident_class, day)})
    return case


# --- legality review of reports ------------------------------------------------------------

def report_review_request(
    *,
    actor: User,
    investigation: Investigation,
    requested_on: datetime.date,
    requested_of: str,
    questions: str,
) -> ReportReview:
    """Ask the judicial bureau (司法行政部门) for legal guidance on a complex report."""
    requested_of = required_text(requested_of, "requested_of", _("司法行政部门"), 100)
    questions = required_text(questions, "questions", _("请求指导的问题"))
    with transaction.atomic():
        accident, investigation = _locked_investigation(actor, investigation,
                                                        _("申请法律指导"))
        requested_on = _day(requested_on, "requested_on", _("申请日期"),
                            not_before=investigation.started_on,
                            before_label=_("调查组成立日期"))
        review = ReportReview.objects.create(
            investigation=investigation, requested_on=requested_on, requested_of=requested_of,
            questions=questions, created_by=actor)
        record_event(actor=actor, obj=accident, action="accident.review_requested", payload={
            "review": review.pk, "requested_on": requested_on, "requested_of": requested_of,
            "questions": questions})
    return review


def report_review_guidance(
    *, actor: User, review: ReportReview, guidance_on: datetime.date, guidance: str,
) -> ReportReview:
    """Record the legal guidance given (法律指导意见)."""
    guidance = required_text(guidance, "guidance", _("法律指导意见"))
    with transaction.atomic():
        accident, _investigation = _locked_investigation(
            actor, Investigation.objects.get(pk=review.investigation_id), _("记录法律指导意见"))
        review = ReportReview.objects.select_for_update().get(pk=review.pk)
        if review.guidance_on is not None:
            raise ValidationError(_("该申请已记录法律指导意见"))
        guidance_on = _day(guidance_on, "guidance_on", _("指导日期"),
                           not_before=review.requested_on, before_label=_("申请日期"))
        review.guidance_on, review.guidance = guidance_on, guidance
        review.save()
        record_event(actor=actor, obj=accident, action="accident.review_guided", payload={
            "review": review.pk, "guidance_on": guidance_on, "guidance": guidance})
    return review


def legality_opinion_add(
    *,
    actor: User,
    investigation: Investigation,
    issued_on: datetime.date,
    issued_by: str,
    conclusion: str,
    items: list[str],
    review: ReportReview | None = None,
) -> LegalityOpinion:
    """A written legality opinion (书面合法性审查意见) with its items numbered 1, 2, ..."""
    issued_by = required_text(issued_by, "issued_by", _("出具单位"), 100)
    conclusion = required_text(conclusion, "conclusion", _("审查结论"))
    issues = [str(text).strip() for text in items or ()]
    if not issues or not all(issues):
        raise ValidationError({"items": _("请逐条填写审查意见，不能有空条目")})
    if review is not None and review.investigation_id != investigation.pk:
        raise ValidationError({"review": _("该法律指导申请不属于本事故调查")})
    with transaction.atomic():
        accident, investigation = _locked_investigation(actor, investigation,
                                                        _("登记合法性审查意见"))
        floor, label = ((review.requested_on, _("申请法律指导日期")) if review
                        else (investigation.started_on, _("调查组成立日期")))
        issued_on = _day(issued_on, "issued_on", _("出具日期"), not_before=floor,
                         before_label=label)
        opinion = LegalityOpinion.objects.create(
            investigation=investigation, review=review, issued_on=issued_on,
            issued_by=issued_by, conclusion=conclusion, created_by=actor)
        OpinionItem.objects.bulk_create(
            [OpinionItem(opinion=opinion, number=n, issue=text)
             for n, text in enumerate(issues, start=1)])
        record_event(actor=actor, obj=accident, action="accident.opinion_added", payload={
            "opinion": opinion.pk, "review": getattr(review, "pk", None),
            "issued_on": issued_on, "issued_by": issued_by, "conclusion": conclusion,
            "items": [{"number": n, "issue": t} for n, t in enumerate(issues, start=1)]})
    return opinion


def opinion_item_respond(
    *, actor: User, item: OpinionItem, response: str, outcome: str,
) -> OpinionItem:
    """The investigation team's response to one opinion item and its outcome (adopted,
    partly, or not adopted with the reasons)."""
    response = required_text(response, "response", _("调查组回复"))
    if outcome not in OpinionItem.Outcome.values or outcome == OpinionItem.Outcome.PENDING:
        raise ValidationError({"outcome": _("请选择处理结果")})
    with transaction.atomic():
        opinion = LegalityOpinion.objects.get(pk=item.opinion_id)
        accident, _investigation = _locked_investigation(
            actor, Investigation.objects.get(pk=opinion.investigation_id),
            _("回复合法性审查意见"))
        item = OpinionItem.objects.select_for_update().get(pk=item.pk)
        before = {"response": item.response, "outcome": item.outcome}
        item.response, item.outcome = response, outcome
        item.save()
        record_event(actor=actor, obj=accident, action="accident.opinion_item_responded",
                     payload={"opinion": opinion.pk, "item": item.pk, "number": item.number,
                              "from": before, "to": {"response": response,
                                                     "outcome": outcome}})
    return item
