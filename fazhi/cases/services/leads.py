"""Leads (线索登记): a finding of an inspection becomes a case lead; the lead's handlers
and the violation date are named before filing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.cases.models import CaseSource, CaseStatus, PenaltyCase
from fazhi.cases.services.common import locked_case, saved
from fazhi.core.models import Role, User
from fazhi.core.services.events import record_event
from fazhi.inspection.models import Finding
from fazhi.inspection.rules.access import can_inspect, path_contains
from fazhi.legal.models import EnforcementItem
from fazhi.subjects.models import Enterprise


def _penalty_items(item_codes: Sequence[str], on: datetime.date
                   ) -> tuple[list[EnforcementItem], list[str]]:
    """The catalogue's penalty items named by `item_codes`, in force on `on`, in the
    order given; refuses an unknown, non-penalty or out-of-force item."""
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
             or not by_code[code].in_force_on(on)]
    if unfit:
        raise ValidationError({"items": _("以下事项不是%(day)s有效的行政处罚事项：%(codes)s")
                               % {"day": f"{on:%Y年%m月%d日}", "codes": "、".join(unfit)}})
    return [by_code[code] for code in codes], codes


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
    items, codes = _penalty_items(item_codes, inspection.date)
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


def case_lead_register(
    *,
    actor: User,
    enterprise: Enterprise,
    source: str,
    facts: str,
    discovered_on: datetime.date,
    item_codes: Sequence[str],
    handlers: Sequence[User] = (),
) -> PenaltyCase:
    """Register a lead from any source other than an inspection finding (a tip, an
    accident investigation, a referral, non-site monitoring 非现场监管, other): the
    actor's agency must cover the enterprise; the actor is a first handler."""
    if source not in CaseSource.values or source == CaseSource.INSPECTION:
        raise ValidationError({"source": _("检查发现的问题请从检查记录转为案件线索")})
    agency = actor.agency
    if (not can_inspect(actor) or agency is None
            or not path_contains(agency.jurisdiction.path, enterprise.jurisdiction.path)):
        raise PermissionDenied(_("该企业不在您所在机关的管辖范围内"))
    facts = (facts or "").strip()
    if not facts:
        raise ValidationError({"facts": _("请写明线索情况")})
    if discovered_on > timezone.localdate():
        raise ValidationError({"discovered_on": _("发现日期不能晚于今天")})
    items, codes = _penalty_items(item_codes, discovered_on)
    team = sorted({actor.pk, *(o.pk for o in handlers)})
    with transaction.atomic():
        case = PenaltyCase(agency=agency, enterprise=enterprise,
                           jurisdiction=enterprise.jurisdiction, source=source, facts=facts,
                           discovered_on=discovered_on, created_by=actor)
        case.save()
        case.items.set(items)
        case.handlers.set(team)
        record_event(actor=actor, obj=case, action="case.lead_registered", payload={
            "source": source, "enterprise": enterprise.pk, "items": codes, "facts": facts,
            "discovered_on": discovered_on, "handlers": team})
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
        case = locked_case(actor, case, version)
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
        saved(case)
        record_event(actor=actor, obj=case, action="case.details_set",
                     payload={"changes": changes})
    return case


