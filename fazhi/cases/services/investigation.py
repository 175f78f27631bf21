"""The investigation stage (调查取证): parties (一案双罚: the unit and its persons
separately), the evidence list (证据清单) and the investigation report (调查终结报告)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.cases.models import (
    CaseParty,
    CaseStatus,
    EvidenceItem,
    EvidenceKind,
    InvestigationReport,
    PartyKind,
    PenaltyCase,
)
from fazhi.cases.rules import workflow
from fazhi.cases.services.common import saved, staged_case
from fazhi.core.models import User
from fazhi.core.services.events import record_event
from fazhi.inspection.models import EvidenceFile
from fazhi.subjects.models import ResponsiblePerson


def _investigating(actor: User, case: PenaltyCase, version: int, what: str) -> PenaltyCase:
    """The case locked for an investigation record by one of its handlers."""
    return staged_case(actor, case, version, states={CaseStatus.INVESTIGATION},
                       roles={workflow.OFFICER}, handler_only=True, what=what)


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
        saved(case)
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
        saved(case)
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
        saved(case)
        record_event(actor=actor, obj=case, action="case.investigation_reported", payload={
            "date": date, "facts": facts, "proposal": proposal, "rewritten": not created})
    return report
