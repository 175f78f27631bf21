"""Writes of hazardous-chemicals permits: receipt of an application, the one-time
correction notice (补正告知), acceptance (受理, or 视为受理 when the 5 working days
passed), refusal to accept (不予受理), site verification (现场核查), periods not counted
(第四十五条), the head's extension (延长十日), the decision (准予 / 不予许可) with its
effect on the permit (核发 a new permit; 换证 a new one replacing the old; 变更 and 延期
in place), and suspension (暂扣) / revocation (吊销) on a penalty case, and restoring.

Each function checks the actor, validates everything, then runs in one transaction on
the locked row and writes its event (`licensing.application.<verb>` /
`licensing.permit.<verb>`). A refusal is a Chinese ValidationError / PermissionDenied
raised before anything is saved. Time limits: `fazhi.licensing.rules.permits`."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.cases.models import PenaltyCase
from fazhi.core import calendar
from fazhi.core.models import Role, User
from fazhi.core.rules.calendar import day_text
from fazhi.core.services.events import record_event
from fazhi.core.services.inputs import required_text
from fazhi.core.services.numbering import document_number_allocate
from fazhi.licensing.models_permits import (
    ApplicationKind,
    ApplicationPause,
    CorrectionNotice,
    Permit,
    PermitAction,
    PermitApplication,
    PermitType,
    SiteVerification,
)
from fazhi.licensing.rules import permits as law
from fazhi.subjects.models import Enterprise

STAFF_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.ADMIN})
DECIDERS = frozenset({Role.LEADER, Role.ADMIN})  # 行政许可决定 / 暂扣 / 吊销: the head
# The case has decided the penalty (暂扣 / 吊销 are penalties: 行政处罚法 第九条).
DECIDED_CASE_STATES = frozenset({"decided", "served", "closed", "archived"})
MATERIALS_FILE = Path(__file__).resolve().parent / "data" / "permit_materials.yaml"
# How a permit type's serial reads (the province's format is the issuing agency's
# choice; these follow the usual 浙 forms).
NUMBER_FORMATS = {
    PermitType.PRODUCTION: "（浙）WH安许证字〔{year}〕{serial:04d}",
    PermitType.USE: "浙嘉危化使字〔{year}〕{serial:06d}",
    PermitType.OPERATION: "浙嘉危化经字〔{year}〕{serial:06d}",
}
Status = PermitApplication.Status


# --- materials -------------------------------------------------------------------------

@functools.cache
def _materials() -> dict[str, list[dict[str, Any]]]:
    with MATERIALS_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def materials_for(permit_type: str, kind: str) -> list[dict[str, str]]:
    """The checklist [{code, label}] of a permit type and application kind."""
    return [{"code": m["code"], "label": m["label"]}
            for m in _materials().get(permit_type, []) if kind in m["kinds"]]


def missing_materials(application: PermitApplication) -> list[dict[str, str]]:
    have = set(application.materials)
    return [m for m in materials_for(application.permit_type, application.kind)
            if m["code"] not in have]


def _checked_materials(permit_type: str, kind: str, codes: Sequence[str]) -> list[str]:
    known = {m["code"] for m in materials_for(permit_type, kind)}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError({"materials": _("材料清单中没有：%(c)s") % {"c": "、".join(unknown)}})
    return sorted(set(codes))


# --- helpers ---------------------------------------------------------------------------

def _require(actor: User, path: str, roles: frozenset[str], what: str) -> None:
    if (not actor.is_authenticated or not actor.is_active or actor.role not in roles
            or actor.agency_id is None):
        raise PermissionDenied(_("您的角色无权%(what)s") % {"what": what})
    if not path.startswith(actor.agency.jurisdiction.path):
        raise PermissionDenied(_("该企业不在您所在机关的管辖范围内，您无权%(what)s") % {
            "what": what})


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


def _locked(actor: User, application: PermitApplication, roles: frozenset[str], what: str,
            states: Sequence[str]) -> PermitApplication:
    app = (PermitApplication.objects.select_for_update(of=("self",)).select_related("enterprise")
           .get(pk=application.pk))
    _require(actor, app.jurisdiction_path, roles, what)
    if app.status not in states:
        raise ValidationError(_("申请处于“%(s)s”状态，不能%(what)s") % {
            "s": app.get_status_display(), "what": what})
    return app


def _save(obj: Any) -> None:
    obj.full_clean()
    obj.save()


def _pauses(app: PermitApplication) -> list[tuple[datetime.date, datetime.date]]:
    return list(app.pauses.values_list("started_on", "ended_on"))


def decision_deadline(app: PermitApplication, schedule: calendar.Schedule | None = None
                      ) -> law.PermitDeadline | None:
    """The decision deadline of an accepted application from its records."""
    if app.accepted_on is None:
        return None
    schedule = schedule or calendar.load_schedule()
    excluded = law.excluded_working_days(schedule, _pauses(app))
    return law.decision_due(schedule, app.accepted_on, app.permit_type,
                            extended=app.extended, excluded_days=excluded)


# --- receipt ---------------------------------------------------------------------------

def permit_application_receive(
    *,
    actor: User,
    enterprise: Enterprise,
    permit_type: str,
    kind: str,
    received_on: datetime.date,
    materials: Sequence[str] = (),
    scope: str = "",
    change_note: str = "",
    permit: Permit | None = None,
) -> PermitApplication:
    """Record an application received (收件) with the materials handed in; the 5-working-
    day acceptance deadline starts (第三十二条)."""
    _require(actor, enterprise.jurisdiction_path, STAFF_ROLES, _("登记许可申请"))
    if permit_type not in PermitType.values:
        raise ValidationError({"permit_type": _("请选择许可证种类")})
    if kind not in ApplicationKind.values:
        raise ValidationError({"kind": _("请选择申请事项")})
    received_on = _day(received_on, "received_on", _("收件日期"))
    if kind == ApplicationKind.ISSUE:
        if permit is not None:
            raise ValidationError({"permit": _("核发申请不关联原许可证")})
        scope = required_text(scope, "scope", _("申请许可范围"))
        if Permit.objects.filter(enterprise=enterprise, permit_type=permit_type,
                                 status__in=[Permit.Status.VALID, Permit.Status.SUSPENDED],
                                 valid_until__gte=received_on).exists():
            raise ValidationError({"kind": _(
                "该企业已持有有效的同类许可证，请申请换证、变更或延期")})
    else:
        if permit is None:
            raise ValidationError({"permit": _("换证、变更、延期申请须选择原许可证")})
        if permit.enterprise_id != enterprise.pk or permit.permit_type != permit_type:
            raise ValidationError({"permit": _("原许可证不属于该企业或种类不符")})
        if permit.status in (Permit.Status.REVOKED, Permit.Status.SUPERSEDED):
            raise ValidationError({"permit": _("原许可证已%(s)s，不能申请%(k)s") % {
                "s": permit.get_status_display(), "k": ApplicationKind(kind).label}})
        if kind == ApplicationKind.CHANGE:
            change_note = required_text(change_note, "change_note", _("变更事项"))
        scope = (scope or "").strip() or permit.scope
    codes = _checked_materials(permit_type, kind, materials)
    schedule = calendar.load_schedule()
    due = law.acceptance_due(schedule, received_on)
    with transaction.atomic():
        app = PermitApplication(
            agency=actor.agency, enterprise=enterprise, permit_type=permit_type, kind=kind,
            permit=permit, scope=scope, change_note=(change_note or "").strip(),
            materials=codes, received_on=received_on, acceptance_due=due.date,
            created_by=actor)
        _save(app)
        record_event(actor=actor, obj=app, action="licensing.application.received", payload={
            "permit_type": permit_type, "kind": kind, "received_on": received_on,
            "acceptance_due": due.date, "materials": codes,
            "permit": permit.number if permit else None})
    return app


def permit_application_correction_notify(
    *, actor: User, application: PermitApplication, notified_on: datetime.date, note: str = "",
    materials: Sequence[str] = (),
) -> CorrectionNotice:
    """The one-time notice of every missing material (一次告知, 第三十二条), within 5
    working days of receipt; later, the application counts as accepted on receipt."""
    app = _locked_precheck(actor, application, _("告知补正"), (Status.RECEIVED,))
    notified_on = _day(notified_on, "notified_on", _("告知日期"), not_before=app.received_on,
                       before_label=_("收件日期"))
    if CorrectionNotice.objects.filter(application=app).exists():
        raise ValidationError(_("补正材料应一次性告知，本申请已告知过补正"))
    schedule = calendar.load_schedule()
    if not law.correction_notice_in_time(schedule, app.received_on, notified_on):
        raise ValidationError({"notified_on": _(
            "已超过收件后5个工作日（%(d)s），依法自收到申请材料之日起即为受理，不能再告知补正"
            "（《行政许可法》第三十二条）") % {"d": day_text(app.acceptance_due)}})
    codes = _checked_materials(app.permit_type, app.kind, [*app.materials, *materials])
    app.materials = codes
    missing = missing_materials(app)
    if not missing:
        raise ValidationError(_("申请材料已齐全，无需补正，请直接受理"))
    with transaction.atomic():
        app = _locked(actor, application, STAFF_ROLES, _("告知补正"), (Status.RECEIVED,))
        app.materials = codes
        notice = CorrectionNotice(application=app, notified_on=notified_on, missing=missing,
                                  note=(note or "").strip())
        _save(notice)
        app.status = Status.CORRECTION
        _save(app)
        record_event(actor=actor, obj=app, action="licensing.application.correction_notified",
                     payload={"notified_on": notified_on,
                              "missing": [m["label"] for m in missing]})
    return notice


def _locked_precheck(actor: User, application: PermitApplication, what: str,
                     states: Sequence[str]) -> PermitApplication:
    """The checks of `_locked` without a lock (validation before the transaction)."""
    app = PermitApplication.objects.select_related("enterprise", "permit").get(pk=application.pk)
    _require(actor, app.jurisdiction_path, STAFF_ROLES, what)
    if app.status not in states:
        raise ValidationError(_("申请处于“%(s)s”状态，不能%(what)s") % {
            "s": app.get_status_display(), "what": what})
    return app


def permit_application_accept(
    *, actor: User, application: PermitApplication, accepted_on: datetime.date,
    materials: Sequence[str] = (),
) -> PermitApplication:
    """Accept (受理) once every material is in. After a correction notice the day the
    materials were completed is the acceptance day; without one, acceptance after the 5
    working days counts from the day of receipt (视为受理, 第三十二条)."""
    app = _locked_precheck(actor, application, _("受理"), (Status.RECEIVED, Status.CORRECTION))
    accepted_on = _day(accepted_on, "accepted_on", _("受理日期"), not_before=app.received_on,
                       before_label=_("收件日期"))
    codes = _checked_materials(app.permit_type, app.kind, [*app.materials, *materials])
    app.materials = codes
    missing = missing_materials(app)
    correction = getattr(app, "correction", None) if app.status == Status.CORRECTION else None
    if missing and correction is None and accepted_on > app.acceptance_due:
        missing = []  # no notice in time: accepted on receipt whatever is missing
    if missing:
        raise ValidationError({"materials": _("材料不齐全，尚缺：%(m)s") % {
            "m": "、".join(m["label"] for m in missing)}})
    deemed = correction is None and accepted_on > app.acceptance_due
    if correction is not None and accepted_on < correction.notified_on:
        raise ValidationError({"accepted_on": _("补正齐全日期不能早于告知补正日期")})
    effective = app.received_on if deemed else accepted_on
    schedule = calendar.load_schedule()
    with transaction.atomic():
        app = _locked(actor, application, STAFF_ROLES, _("受理"),
                      (Status.RECEIVED, Status.CORRECTION))
        app.materials = codes
        app.status = Status.ACCEPTED
        app.accepted_on = effective
        app.deemed_accepted = deemed
        app.acceptance_number = document_number_allocate(
            actor=actor, agency=app.agency, doc_type="permit_acceptance",
            year=effective.year).text
        app.decision_due = law.decision_due(schedule, effective, app.permit_type).date
        _save(app)
        if correction is not None:
            CorrectionNotice.objects.filter(pk=correction.pk).update(completed_on=accepted_on)
        record_event(actor=actor, obj=app, action="licensing.application.accepted", payload={
            "accepted_on": effective, "deemed": deemed, "number": app.acceptance_number,
            "decision_due": app.decision_due})
    return app


def permit_application_not_accept(
    *, actor: User, application: PermitApplication, decided_on: datetime.date, reason: str,
) -> PermitApplication:
    """不予受理 (e.g. not this agency's matter; 第三十二条第一款第（一）（二）项), with reasons."""
    app = _locked_precheck(actor, application, _("不予受理"), (Status.RECEIVED, Status.CORRECTION))
    decided_on = _day(decided_on, "decided_on", _("决定日期"), not_before=app.received_on,
                      before_label=_("收件日期"))
    reason = required_text(reason, "reason", _("不予受理理由"))
    with transaction.atomic():
        app = _locked(actor, application, STAFF_ROLES, _("不予受理"),
                      (Status.RECEIVED, Status.CORRECTION))
        app.status = Status.NOT_ACCEPTED
        app.not_accepted_reason = reason
        app.decided_on = decided_on
        _save(app)
        record_event(actor=actor, obj=app, action="licensing.application.not_accepted",
                     payload={"decided_on": decided_on, "reason": reason})
    return app


# --- review ----------------------------------------------------------------------------

def site_verification_record(
    *, actor: User, application: PermitApplication, verified_on: datetime.date,
    verifiers: Sequence[User], findings: str, result: str,
) -> SiteVerification:
    """现场核查 by two or more staff of the agency (第三十四条第三款)."""
    app = _locked_precheck(actor, application, _("记录现场核查"), (Status.ACCEPTED,))
    verified_on = _day(verified_on, "verified_on", _("核查日期"), not_before=app.accepted_on,
                       before_label=_("受理日期"))
    people = {v.pk: v for v in verifiers}
    if len(people) < law.MIN_VERIFIERS:
        raise ValidationError({"verifiers": _(
            "现场核查应由两名以上工作人员进行（《行政许可法》第三十四条第三款）")})
    if any(v.agency_id != app.agency_id or v.role not in STAFF_ROLES for v in people.values()):
        raise ValidationError({"verifiers": _("核查人员应为受理机关的工作人员")})
    findings = required_text(findings, "findings", _("核查情况"))
    if result not in SiteVerification.Result.values:
        raise ValidationError({"result": _("请选择核查结论")})
    with transaction.atomic():
        app = _locked(actor, application, STAFF_ROLES, _("记录现场核查"), (Status.ACCEPTED,))
        verification = SiteVerification(application=app, verified_on=verified_on,
                                        findings=findings, result=result)
        _save(verification)
        verification.verifiers.set(list(people.values()))
        record_event(actor=actor, obj=app, action="licensing.application.verified", payload={
            "verified_on": verified_on, "result": result,
            "verifiers": [v.display_name for v in people.values()]})
    return verification


def application_pause_add(
    *, actor: User, application: PermitApplication, reason: str, started_on: datetime.date,
    ended_on: datetime.date, notified_on: datetime.date,
) -> ApplicationPause:
    """A period not counted (第四十五条: 专家评审、听证、检验检测、鉴定), told to the
    applicant in writing; the decision deadline moves by its working days."""
    app = _locked_precheck(actor, application, _("登记不计入期限的期间"), (Status.ACCEPTED,))
    if reason not in ApplicationPause.Reason.values:
        raise ValidationError({"reason": _("请选择事由")})
    if not isinstance(started_on, datetime.date) or not isinstance(ended_on, datetime.date):
        raise ValidationError(_("请填写开始和结束日期"))
    if started_on < app.accepted_on:
        raise ValidationError({"started_on": _("开始日期不能早于受理日期")})
    if ended_on < started_on:
        raise ValidationError({"ended_on": _("结束日期不能早于开始日期")})
    notified_on = _day(notified_on, "notified_on", _("书面告知日期"))
    schedule = calendar.load_schedule()
    with transaction.atomic():
        app = _locked(actor, application, STAFF_ROLES, _("登记不计入期限的期间"),
                      (Status.ACCEPTED,))
        pause = ApplicationPause(application=app, reason=reason, started_on=started_on,
                                 ended_on=ended_on, applicant_notified_on=notified_on)
        _save(pause)
        due = decision_deadline(app, schedule)
        before, app.decision_due = app.decision_due, due.date
        _save(app)
        record_event(actor=actor, obj=app, action="licensing.application.paused", payload={
            "reason": reason, "started_on": started_on, "ended_on": ended_on,
            "decision_due": {"from": before, "to": app.decision_due}})
    return pause


def permit_application_extend(
    *, actor: User, application: PermitApplication, approved_on: datetime.date, reason: str,
    approved_by: str,
) -> PermitApplication:
    """The head's extension by 10 working days (第四十二条), approved within the period,
    with the reason told to the applicant."""
    app = _locked_precheck(actor, application, _("延长审查期限"), (Status.ACCEPTED,))
    if refusal := law.extension_allowed(app.permit_type, already_extended=app.extended):
        raise ValidationError(refusal)
    approved_on = _day(approved_on, "approved_on", _("批准日期"), not_before=app.accepted_on,
                       before_label=_("受理日期"))
    if approved_on > app.decision_due:
        raise ValidationError({"approved_on": _(
            "审查期限已于%(d)s届满，不能再批准延长（《行政许可法》第四十二条：二十日内不能作出"
            "决定的，经负责人批准可以延长）") % {"d": day_text(app.decision_due)}})
    reason = required_text(reason, "reason", _("延长理由"))
    approved_by = required_text(approved_by, "approved_by", _("批准延长的负责人"))
    schedule = calendar.load_schedule()
    with transaction.atomic():
        app = _locked(actor, application, STAFF_ROLES, _("延长审查期限"), (Status.ACCEPTED,))
        app.extended = True
        app.extension_reason = reason
        app.extension_approved_by = approved_by
        before = app.decision_due
        app.decision_due = decision_deadline(app, schedule).date
        _save(app)
        record_event(actor=actor, obj=app, action="licensing.application.extended", payload={
            "approved_on": approved_on, "approved_by": approved_by, "reason": reason,
            "decision_due": {"from": before, "to": app.decision_due}})
    return app


# --- the decision ----------------------------------------------------------------------

def _permit_number(actor: User, app: PermitApplication, year: int) -> str:
    serial = document_number_allocate(actor=actor, agency=app.agency,
                                      doc_type=f"permit_{app.permit_type}", year=year).serial
    return NUMBER_FORMATS[app.permit_type].format(year=year, serial=serial)


def permit_application_decide(
    *, actor: User, application: PermitApplication, decided_on: datetime.date, approve: bool,
    reasons: str = "", scope: str = "",
) -> PermitApplication:
    """准予 or 不予许可 by the head of the agency. A refusal states its reasons (第三十八条);
    核发 and 换证 need a site verification that found the conditions met. The effect on
    the permit: 核发 a new one valid 3 years; 换证 a new one replacing the old; 变更 the
    scope in place; 延期 3 more years in place (安全生产许可证条例 第九条)."""
    app = _locked_precheck(actor, application, _("作出许可决定"), (Status.ACCEPTED,))
    _require(actor, app.jurisdiction_path, DECIDERS, _("作出许可决定"))
    decided_on = _day(decided_on, "decided_on", _("决定日期"), not_before=app.accepted_on,
                      before_label=_("受理日期"))
    reasons = (reasons or "").strip()
    if not approve and not reasons:
        raise ValidationError({"reasons": _(
            "不予许可应当说明理由，并告知申请人依法申请行政复议或者提起行政诉讼的权利"
            "（《行政许可法》第三十八条第二款）")})
    if approve and app.kind in (ApplicationKind.ISSUE, ApplicationKind.RENEW):
        latest = app.verifications.order_by("-verified_on", "-id").first()
        if latest is None:
            raise ValidationError(_("核发、换证须先经现场核查"))
        if latest.result != SiteVerification.Result.PASSED:
            raise ValidationError(_("最近一次现场核查结论为不符合条件，不能准予许可"))
    scope = (scope or "").strip() or app.scope
    schedule = calendar.load_schedule()
    due = decision_deadline(app, schedule)
    with transaction.atomic():
        app = _locked(actor, application, DECIDERS, _("作出许可决定"), (Status.ACCEPTED,))
        app.decided_on = decided_on
        app.decision_reasons = reasons
        app.decision_number = document_number_allocate(
            actor=actor, agency=app.agency, doc_type="permit_decision", year=decided_on.year).text
        late = due.is_late(decided_on)
        if not approve:
            app.status = Status.REFUSED
            _save(app)
            record_event(actor=actor, obj=app, action="licensing.application.refused", payload={
                "decided_on": decided_on, "number": app.decision_number, "reasons": reasons,
                "late": late})
            return app
        app.status = Status.APPROVED
        permit = _apply_to_permit(actor, app, decided_on, scope)
        app.issued_permit = permit
        _save(app)
        record_event(actor=actor, obj=app, action="licensing.application.approved", payload={
            "decided_on": decided_on, "number": app.decision_number, "permit": permit.number,
            "late": late})
    return app


def _apply_to_permit(actor: User, app: PermitApplication, decided_on: datetime.date,
                     scope: str) -> Permit:
    enterprise = app.enterprise
    if app.kind in (ApplicationKind.ISSUE, ApplicationKind.RENEW):
        old = None
        if app.kind == ApplicationKind.RENEW:
            old = Permit.objects.select_for_update().get(pk=app.permit_id)
            old.status = Permit.Status.SUPERSEDED
            _save(old)
            record_event(actor=actor, obj=old, action="licensing.permit.superseded",
                         payload={"by_application": app.pk})
        permit = Permit(
            number=_permit_number(actor, app, decided_on.year), permit_type=app.permit_type,
            enterprise=enterprise, holder_name=enterprise.name, agency=app.agency, scope=scope,
            issued_on=decided_on, valid_from=decided_on,
            valid_until=law.validity_end(app.permit_type, decided_on), previous=old)
        _save(permit)
        record_event(actor=actor, obj=permit, action="licensing.permit.issued", payload={
            "number": permit.number, "kind": app.kind, "valid_from": permit.valid_from,
            "valid_until": permit.valid_until, "previous": old.number if old else None})
        return permit
    permit = Permit.objects.select_for_update().get(pk=app.permit_id)
    if app.kind == ApplicationKind.CHANGE:
        before = {"scope": permit.scope, "holder_name": permit.holder_name}
        permit.scope, permit.holder_name = scope, enterprise.name
        _save(permit)
        record_event(actor=actor, obj=permit, action="licensing.permit.changed", payload={
            "from": before, "to": {"scope": permit.scope, "holder_name": permit.holder_name},
            "note": app.change_note})
        return permit
    before_until = permit.valid_until
    permit.valid_until = law.extended_validity_end(app.permit_type, before_until)
    _save(permit)
    record_event(actor=actor, obj=permit, action="licensing.permit.extended", payload={
        "valid_until": {"from": before_until, "to": permit.valid_until}})
    return permit


# --- suspension and revocation -----------------------------------------------------------

def _case_for(actor: User, permit: Permit, case: PenaltyCase | None) -> PenaltyCase:
    from fazhi.cases.selectors import case_list

    if case is None:
        raise ValidationError({"case": _(
            "暂扣、吊销许可证须依据行政处罚案件（《行政处罚法》第九条）")})
    if not case_list(user=actor).filter(pk=case.pk).exists():
        raise ValidationError({"case": _("未找到该案件")})
    if case.enterprise_id != permit.enterprise_id:
        raise ValidationError({"case": _("案件当事单位与持证单位不一致")})
    if case.status not in DECIDED_CASE_STATES:
        raise ValidationError({"case": _("该案件尚未作出行政处罚决定")})
    return case


def _locked_permit(actor: User, permit: Permit, what: str) -> Permit:
    locked = Permit.objects.select_for_update().get(pk=permit.pk)
    _require(actor, locked.jurisdiction_path, DECIDERS, what)
    return locked


def permit_suspend(
    *, actor: User, permit: Permit, case: PenaltyCase | None, decided_on: datetime.date,
    until: datetime.date, reason: str,
) -> PermitAction:
    """暂扣 a valid permit until a day, on the penalty decision of `case`."""
    _require(actor, permit.jurisdiction_path, DECIDERS, _("暂扣许可证"))
    case = _case_for(actor, permit, case)
    decided_on = _day(decided_on, "decided_on", _("决定日期"))
    if not isinstance(until, datetime.date) or until <= decided_on:
        raise ValidationError({"until": _("暂扣期限应晚于决定日期")})
    reason = required_text(reason, "reason", _("暂扣理由"))
    if permit.current_status(decided_on) != Permit.Status.VALID:
        raise ValidationError(_("只有有效的许可证可以暂扣（当前：%(s)s）") % {
            "s": permit.status_label})
    with transaction.atomic():
        permit = _locked_permit(actor, permit, _("暂扣许可证"))
        action = PermitAction(permit=permit, action=PermitAction.Action.SUSPEND, case=case,
                              decided_on=decided_on, until=until, reason=reason,
                              recorded_by=actor)
        _save(action)
        permit.status, permit.suspended_until = Permit.Status.SUSPENDED, until
        _save(permit)
        record_event(actor=actor, obj=permit, action="licensing.permit.suspended", payload={
            "case": case.number or case.pk, "decided_on": decided_on, "until": until,
            "reason": reason})
    return action


def permit_revoke(
    *, actor: User, permit: Permit, case: PenaltyCase | None, decided_on: datetime.date,
    reason: str,
) -> PermitAction:
    """吊销 a valid or suspended permit on the penalty decision of `case`."""
    _require(actor, permit.jurisdiction_path, DECIDERS, _("吊销许可证"))
    case = _case_for(actor, permit, case)
    decided_on = _day(decided_on, "decided_on", _("决定日期"))
    reason = required_text(reason, "reason", _("吊销理由"))
    if permit.status not in (Permit.Status.VALID, Permit.Status.SUSPENDED):
        raise ValidationError(_("该许可证已%(s)s，不能吊销") % {"s": permit.get_status_display()})
    with transaction.atomic():
        permit = _locked_permit(actor, permit, _("吊销许可证"))
        action = PermitAction(permit=permit, action=PermitAction.Action.REVOKE, case=case,
                              decided_on=decided_on, reason=reason, recorded_by=actor)
        _save(action)
        permit.status, permit.suspended_until = Permit.Status.REVOKED, None
        _save(permit)
        record_event(actor=actor, obj=permit, action="licensing.permit.revoked", payload={
            "case": case.number or case.pk, "decided_on": decided_on, "reason": reason})
    return action


def permit_restore(
    *, actor: User, permit: Permit, restored_on: datetime.date, reason: str,
) -> PermitAction:
    """Give a suspended permit back (发还) at the end of the suspension or earlier."""
    _require(actor, permit.jurisdiction_path, DECIDERS, _("发还许可证"))
    restored_on = _day(restored_on, "restored_on", _("发还日期"))
    reason = required_text(reason, "reason", _("发还理由"))
    if permit.status != Permit.Status.SUSPENDED:
        raise ValidationError(_("只有暂扣中的许可证可以发还"))
    with transaction.atomic():
        permit = _locked_permit(actor, permit, _("发还许可证"))
        action = PermitAction(permit=permit, action=PermitAction.Action.RESTORE,
                              decided_on=restored_on, reason=reason, recorded_by=actor)
        _save(action)
        permit.status, permit.suspended_until = Permit.Status.VALID, None
        _save(permit)
        record_event(actor=actor, obj=permit, action="licensing.permit.restored", payload={
            "restored_on": restored_on, "reason": reason})
    return action
