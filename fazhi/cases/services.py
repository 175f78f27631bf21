"""Writes of penalty cases. Each function checks the actor's right, runs in one
transaction and writes its event into the record; a refusal raises a Chinese
ValidationError / PermissionDenied before anything is saved.

Moves through the workflow go through `case_transition`, which asks the transition
table (`fazhi.cases.rules.workflow`) with the gate facts computed here from the records.
A gate whose records do not exist yet (investigation report, notice, decision ...) is
simply not met, so the case cannot skip it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.cases.models import (
    CaseParty,
    CaseSource,
    CaseStatus,
    EvidenceItem,
    EvidenceKind,
    InvestigationReport,
    PartyKind,
    PenaltyCase,
)
from fazhi.cases.rules import workflow
from fazhi.core import calendar
from fazhi.core.models import Role, User
from fazhi.core.permissions import eligible_officers
from fazhi.core.services.events import record_event
from fazhi.core.services.numbering import document_number_allocate
from fazhi.inspection.models import EvidenceFile, Finding
from fazhi.inspection.rules.access import can_inspect, path_contains
from fazhi.legal.models import EnforcementItem
from fazhi.legal.rules import deadlines, procedure
from fazhi.subjects.models import ResponsiblePerson


def case_lead_from_finding(
    *, actor: User, finding: Finding, item_codes: Sequence[str], facts: str = "",
) -> PenaltyCase:
    """Turn an inspection finding into a penalty-case lead (线索登记) that carries the
    finding's evidence and the catalogue items the finding suggests. The lead points
    to the finding and the finding lists its leads (`finding.case_leads`); the
    inspecting officers are its first handlers and the inspection day its discovery."""
    inspection = finding.inspection
    own = actor.jurisdiction
    if not can_inspect(actor) or not path_contains(own.path if own else None,
                                                   inspection.jurisdiction.path):
        raise PermissionDenied(_("您无权将该问题转为案件线索"))
    codes = list(dict.fromkeys(c.strip() for c in item_codes if c and c.strip()))
    if not codes:
        raise ValidationError({"items": _("请选择该问题涉及的执法事项")})
    items = list(EnforcementItem.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {item.code for item in items})
    if missing:
        raise ValidationError({"items": _("执法事项目录中没有：%(codes)s")
                               % {"codes": "、".join(missing)}})
    by_code = {item.code: item for item in items}
    unfit = [code for code in codes  # in the order the officer gave them
             if by_code[code].kind != EnforcementItem.Kind.PENALTY
             or not by_code[code].in_force_on(inspection.date)]
    if unfit:
        raise ValidationError({"items": _("以下事项不是%(day)s有效的行政处罚事项：%(codes)s")
                               % {"day": f"{inspection.date:%Y年%m月%d日}",
                                  "codes": "、".join(unfit)}})
    facts = (facts or "").strip() or finding.description
    with transaction.atomic():
        case = PenaltyCase(
            agency=inspection.agency, enterprise=inspection.enterprise,
            jurisdiction=inspection.jurisdiction, source=CaseSource.INSPECTION,
            finding=finding, facts=facts, discovered_on=inspection.date, created_by=actor,
        )
        case.save()
        case.items.set(items)
        handlers = list(inspection.officers.order_by("id"))
        case.handlers.set(handlers)
        evidence = list(finding.evidence.all())
        case.inspection_evidence.set(evidence)
        payload = {
            "source": CaseSource.INSPECTION, "finding": finding.pk,
            "inspection": inspection.pk, "enterprise": inspection.enterprise_id,
            "items": codes, "facts": facts, "discovered_on": inspection.date,
            "handlers": [o.pk for o in handlers],
            "evidence": [{"id": e.pk, "sha256": e.sha256} for e in evidence],
        }
        record_event(actor=actor, obj=case, action="case.lead_registered", payload=payload)
        record_event(actor=actor, obj=inspection, action="inspection.finding_to_case",
                     payload={"finding": finding.pk, "case": case.pk})
    return case


# --- the workflow ----------------------------------------------------------------------

def _handlers_certified(case: PenaltyCase, on: datetime.date) -> bool:
    """At least two handlers, all officers of the case's agency with a certificate
    valid `on` (《行政处罚法》第四十二条)."""
    handlers = case.handlers.all()
    count = handlers.count()
    return count >= 2 and eligible_officers(
        handlers.filter(agency=case.agency), on).count() == count


def _within_limitation(case: PenaltyCase) -> bool:
    if case.violation_date is None:
        return False
    return not procedure.limitation(violation_ended=case.violation_date,
                                    discovered=case.discovered_on).expired


def _gate_facts(case: PenaltyCase, on: datetime.date, reason: str) -> dict[str, bool]:
    """The facts the records establish today. Gates of later stages have no records
    yet and stay unmet (absent)."""
    checks: dict[str, Callable[[], bool]] = {
        "not_suspended": lambda: True,  # suspension (中止) comes with the investigation stage
        "two_certified_handlers": lambda: _handlers_certified(case, on),
        "items_named": lambda: case.items.exists(),
        "within_limitation": lambda: _within_limitation(case),
        "reason_given": lambda: bool(reason),
        "investigation_report": lambda: InvestigationReport.objects.filter(case=case).exists(),
        "evidence_list": lambda: case.evidence_items.exists(),
        "parties_named": lambda: case.parties.exists(),
    }
    return {gate: check() for gate, check in checks.items()}


def _effects_approve_filing(actor: User, case: PenaltyCase, on: datetime.date) -> dict:
    number = document_number_allocate(actor=actor, agency=case.agency, doc_type="filing",
                                      year=on.year)
    due = deadlines.decision_deadline(calendar.load_schedule(), on)
    case.number, case.filed_on, case.decision_due = number.text, on, due.date
    return {"number": number.text, "filed_on": on, "decision_due": due.date,
            "decision_due_period": due.period,
            "decision_due_citations": [c.as_dict() for c in due.citations],
            "notes": list(due.notes)}


def _locked_case(actor: User, case: PenaltyCase, version: int) -> PenaltyCase:
    """The case row locked for this transaction, once the actor may see it and saw its
    current version (optimistic locking: a stale page is told to reload)."""
    case = PenaltyCase.objects.select_for_update().get(pk=case.pk)
    own = actor.jurisdiction
    if not path_contains(own.path if own else None, case.jurisdiction_path):
        raise PermissionDenied(_("该案件不在您的辖区内"))
    if case.version != version:
        raise ValidationError(_("案件已被他人更新（当前版本%(now)s，您看到的是版本%(seen)s），"
                                "请刷新后重试") % {"now": case.version, "seen": version})
    return case


def _saved(case: PenaltyCase) -> PenaltyCase:
    case.version += 1
    case.save()
    return case


def case_transition(
    *,
    actor: User,
    case: PenaltyCase,
    action: str,
    version: int,
    reason: str = "",
    on: datetime.date | None = None,
) -> PenaltyCase:
    """Move the case by `action` of the workflow table. `version` is the version the
    actor saw: if someone moved the case meanwhile, the move is refused (reload and
    retry). Every refusal lists every unmet gate, with the article it rests on."""
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    with transaction.atomic():
        case = _locked_case(actor, case, version)
        actor_facts = workflow.Actor(
            role=actor.role, is_handler=case.handlers.filter(pk=actor.pk).exists())
        problems = workflow.problems(action, case.status, actor_facts,
                                     _gate_facts(case, on, reason))
        if problems:
            raise ValidationError(problems)
        transition = workflow.BY_ACTION[action]
        payload: dict = {"from": case.status, "to": transition.target, "on": on}
        if reason:
            payload["reason"] = reason
        if action == "approve_filing":
            payload.update(_effects_approve_filing(actor, case, on))
        if transition.target in workflow.FINAL_STATES and reason:
            case.ended_reason = reason
        case.status = transition.target
        _saved(case)
        record_event(actor=actor, obj=case, action=f"case.{action}", payload=payload)
    return case


def case_details_set(
    *,
    actor: User,
    case: PenaltyCase,
    version: int,
    handlers: Sequence[User] | None = None,
    violation_date: datetime.date | None = None,
) -> PenaltyCase:
    """Name the handlers and the day the violation happened (or ended) while the case is
    a lead or awaiting filing approval."""
    if actor.role not in {Role.OFFICER, Role.LEADER} or not actor.is_active:
        raise PermissionDenied(_("您的角色无权修改案件线索"))
    with transaction.atomic():
        case = _locked_case(actor, case, version)
        if case.status not in {CaseStatus.LEAD, CaseStatus.FILING}:
            raise ValidationError(_("立案后不能在此修改承办人员和违法行为日期"))
        changes: dict = {}
        if violation_date is not None:
            if violation_date > case.discovered_on:
                raise ValidationError({"violation_date": _("违法行为日期不能晚于发现日期")})
            changes["violation_date"] = {"from": case.violation_date, "to": violation_date}
            case.violation_date = violation_date
        if handlers is not None:
            ids = sorted({o.pk for o in handlers})
            changes["handlers"] = {
                "from": sorted(case.handlers.values_list("pk", flat=True)), "to": ids}
            case.handlers.set(ids)
        _saved(case)
        record_event(actor=actor, obj=case, action="case.details_set",
                     payload={"changes": changes})
    return case


# --- investigation (调查取证) -------------------------------------------------------------

def _investigating(actor: User, case: PenaltyCase, version: int, what: str) -> PenaltyCase:
    """The case locked for an investigation record by one of its handlers."""
    case = _locked_case(actor, case, version)
    if case.status != CaseStatus.INVESTIGATION:
        raise ValidationError(_("案件处于“%(state)s”阶段，不能%(what)s")
                              % {"state": case.get_status_display(), "what": what})
    if actor.role != Role.OFFICER or not case.handlers.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("只有本案承办人员才能%(what)s") % {"what": what})
    return case


def case_party_add(
    *, actor: User, case: PenaltyCase, version: int, kind: str,
    person: ResponsiblePerson | None = None,
) -> CaseParty:
    """Name a party: the unit itself, or one of its people (一案双罚: the unit and its
    principal or other responsible persons are separate parties)."""
    if kind not in PartyKind.values:
        raise ValidationError({"kind": _("当事人类别不正确")})
    if (kind == PartyKind.UNIT) != (person is None):
        raise ValidationError({"person": _("单位当事人不选人员；个人当事人须选择该单位的责任人员")})
    with transaction.atomic():
        case = _investigating(actor, case, version, _("列明当事人"))
        if person is not None and person.enterprise_id != case.enterprise_id:
            raise ValidationError({"person": _("%(name)s不是%(unit)s的人员")
                                   % {"name": person.name, "unit": case.enterprise.name}})
        if CaseParty.objects.filter(case=case, kind=PartyKind.UNIT).exists() and (
                kind == PartyKind.UNIT):
            raise ValidationError({"kind": _("本案已列明单位当事人")})
        if person is not None and CaseParty.objects.filter(case=case, person=person).exists():
            raise ValidationError({"person": _("%(name)s已列为本案当事人") % {"name": person.name}})
        party = CaseParty.objects.create(
            case=case, kind=kind, person=person,
            name=person.name if person else case.enterprise.name)
        _saved(case)
        record_event(actor=actor, obj=case, action="case.party_added", payload={
            "party": party.pk, "kind": kind, "name": party.name,
            "person": person.pk if person else None})
    return party


def evidence_item_add(
    *,
    actor: User,
    case: PenaltyCase,
    version: int,
    kind: str,
    name: str,
    source: str,
    proves: str,
    collected_on: datetime.date,
    file: EvidenceFile | None = None,
) -> EvidenceItem:
    """Add a line to the evidence list (证据清单), numbered in order; a file must be one
    the case carries from its inspection."""
    values = {"name": (name or "").strip(), "source": (source or "").strip(),
              "proves": (proves or "").strip()}
    missing = [label for key, label in (("name", _("证据名称")), ("source", _("来源")),
                                        ("proves", _("证明对象"))) if not values[key]]
    if missing:
        raise ValidationError(_("请填写：%(fields)s") % {"fields": "、".join(missing)})
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("证据种类应为《行政诉讼法》第三十三条所列种类")})
    with transaction.atomic():
        case = _investigating(actor, case, version, _("登记证据"))
        if file is not None and not case.inspection_evidence.filter(pk=file.pk).exists():
            raise ValidationError({"file": _("该文件不是本案的检查证据")})
        if collected_on > timezone.localdate():
            raise ValidationError({"collected_on": _("收集日期不能晚于今天")})
        number = (case.evidence_items.order_by("-number").values_list("number", flat=True)
                  .first() or 0) + 1
        item = EvidenceItem.objects.create(case=case, number=number, kind=kind, file=file,
                                           collected_on=collected_on, created_by=actor,
                                           **values)
        _saved(case)
        record_event(actor=actor, obj=case, action="case.evidence_added", payload={
            "item": item.pk, "number": number, "kind": kind, **values,
            "collected_on": collected_on,
            "file": {"id": file.pk, "sha256": file.sha256} if file else None})
    return item


def investigation_report_save(
    *, actor: User, case: PenaltyCase, version: int, date: datetime.date, facts: str,
    proposal: str,
) -> InvestigationReport:
    """Write (or rewrite, while still investigating) the investigation report."""
    facts, proposal = (facts or "").strip(), (proposal or "").strip()
    if not facts or not proposal:
        raise ValidationError(_("调查终结报告应写明违法事实和处理意见"))
    with transaction.atomic():
        case = _investigating(actor, case, version, _("制作调查终结报告"))
        if case.filed_on and date < case.filed_on:
            raise ValidationError({"date": _("报告日期不能早于立案日期")})
        report, created = InvestigationReport.objects.update_or_create(
            case=case, defaults={"date": date, "facts": facts, "proposal": proposal,
                                 "created_by": actor})
        _saved(case)
        record_event(actor=actor, obj=case, action="case.investigation_reported", payload={
            "date": date, "facts": facts, "proposal": proposal, "rewritten": not created})
    return report
