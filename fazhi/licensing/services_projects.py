"""Writes of construction projects and their 三同时 reviews, the restriction list
(administrators), consultations on new projects, and upgrade projects.

三同时 order: 安全设施设计审查 needs a passed 安全条件审查, 竣工验收 a passed design
review (《安全生产法》(2021) 第三十二条、第三十三条、第三十四条: safety facilities designed,
built and put into use with the main works; the review and acceptance of hazardous-
chemicals projects). A failed review may be applied for again.

A consultation is checked against the restriction list when registered and again when
concluded (the list may change meanwhile); a project using a prohibited (禁止) chemical
cannot be approved. Each function checks the actor, validates, then writes in one
transaction with its event (`licensing.project.*`, `licensing.consultation.*`,
`licensing.upgrade.*`, `licensing.restriction.*`)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.core.models import Jurisdiction, Role, User
from fazhi.core.services.events import record_event
from fazhi.core.services.inputs import required_text
from fazhi.core.services.numbering import document_number_allocate
from fazhi.licensing.models_projects import (
    STAGE_ORDER,
    ConstructionProject,
    ConsultationRequest,
    RestrictedChemical,
    ReviewStage,
    ThreeSimultaneityReview,
    UpgradeEquipment,
    UpgradeProject,
)
from fazhi.licensing.rules import permits as law
from fazhi.licensing.selectors_projects import restriction_check
from fazhi.licensing.services_permits import STAFF_ROLES, _day, _require, _save
from fazhi.subjects.models import Enterprise

Outcome = ThreeSimultaneityReview.Outcome


# --- construction projects and 三同时 ------------------------------------------------------

def construction_project_register(
    *, actor: User, enterprise: Enterprise, name: str, nature: str, description: str = "",
) -> ConstructionProject:
    _require(actor, enterprise.jurisdiction_path, STAFF_ROLES, _("登记建设项目"))
    name = required_text(name, "name", _("项目名称"))
    if nature not in ConstructionProject.Nature.values:
        raise ValidationError({"nature": _("请选择建设性质")})
    if ConstructionProject.objects.filter(enterprise=enterprise, name=name).exists():
        raise ValidationError({"name": _("该企业已登记同名建设项目")})
    with transaction.atomic():
        project = ConstructionProject(name=name, enterprise=enterprise, agency=actor.agency,
                                      nature=nature, description=(description or "").strip(),
                                      created_by=actor)
        _save(project)
        record_event(actor=actor, obj=project, action="licensing.project.registered",
                     payload={"name": name, "nature": nature})
    return project


def _stage_blocker(project: ConstructionProject, stage: str) -> str | None:
    reviews = list(project.reviews.all())
    if any(r.stage == stage and not r.concluded_on for r in reviews):
        return _("该环节已有尚未办结的审查")
    if any(r.stage == stage and r.outcome == Outcome.PASSED for r in reviews):
        return _("该环节已审查通过")
    index = STAGE_ORDER.index(stage)
    if index:
        previous = STAGE_ORDER[index - 1]
        if not any(r.stage == previous and r.outcome == Outcome.PASSED for r in reviews):
            return _("须先通过%(p)s") % {"p": ReviewStage(previous).label}
    return None


def safety_review_apply(
    *, actor: User, project: ConstructionProject, stage: str, applied_on: datetime.date,
    experts: str = "",
) -> ThreeSimultaneityReview:
    """Register an application for one of the three reviews, in order."""
    _require(actor, project.jurisdiction_path, STAFF_ROLES, _("登记“三同时”审查"))
    if stage not in ReviewStage.values:
        raise ValidationError({"stage": _("请选择审查环节")})
    applied_on = _day(applied_on, "applied_on", _("申请日期"))
    if blocker := _stage_blocker(project, stage):
        raise ValidationError({"stage": blocker})
    with transaction.atomic():
        ConstructionProject.objects.select_for_update().get(pk=project.pk)
        review = ThreeSimultaneityReview(project=project, stage=stage, applied_on=applied_on,
                                         experts=(experts or "").strip())
        _save(review)
        record_event(actor=actor, obj=project, action="licensing.project.review_applied",
                     payload={"review": review.pk, "stage": stage, "applied_on": applied_on})
    return review


def safety_review_conclude(
    *, actor: User, review: ThreeSimultaneityReview, concluded_on: datetime.date, outcome: str,
    opinion: str, experts: str | None = None,
) -> ThreeSimultaneityReview:
    """Conclude a review with its written opinion (审查意见书, numbered) and outcome."""
    project = review.project
    _require(actor, project.jurisdiction_path, STAFF_ROLES, _("办结“三同时”审查"))
    if review.concluded_on:
        raise ValidationError(_("该审查已办结"))
    concluded_on = _day(concluded_on, "concluded_on", _("审查完成日期"),
                        not_before=review.applied_on, before_label=_("申请日期"))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择审查结论")})
    opinion = required_text(opinion, "opinion", _("审查意见"))
    with transaction.atomic():
        locked = ThreeSimultaneityReview.objects.select_for_update().get(pk=review.pk)
        if locked.concluded_on:
            raise ValidationError(_("该审查已办结"))
        locked.concluded_on, locked.outcome, locked.opinion = concluded_on, outcome, opinion
        if experts is not None:
            locked.experts = experts.strip()
        locked.opinion_number = document_number_allocate(
            actor=actor, agency=project.agency, doc_type="safety_review",
            year=concluded_on.year).text
        _save(locked)
        record_event(actor=actor, obj=project, action="licensing.project.review_concluded",
                     payload={"review": locked.pk, "stage": locked.stage, "outcome": outcome,
                              "concluded_on": concluded_on, "number": locked.opinion_number})
    return locked


# --- the restriction list --------------------------------------------------------------------

def restricted_chemical_save(
    *, actor: User, name: str, cas: str, restriction: str, basis: str, active: bool = True,
    entry: RestrictedChemical | None = None,
) -> RestrictedChemical:
    """Add or change a row of the city's restriction list (administrators only)."""
    if not actor.is_authenticated or actor.role != Role.ADMIN:
        raise PermissionDenied(_("只有管理员可以维护危险化学品禁限控目录"))
    name = required_text(name, "name", _("化学品名称"))
    cas_text = (cas or "").strip()
    canonical = ""
    if cas_text:
        canonical = law.normalise_cas(cas_text) or ""
        if not canonical:
            raise ValidationError({"cas": _("CAS号“%(c)s”无效（格式或校验位不符）") % {
                "c": cas_text}})
    if restriction not in RestrictedChemical.Restriction.values:
        raise ValidationError({"restriction": _("请选择管控类别")})
    basis = required_text(basis, "basis", _("依据"))
    clash = RestrictedChemical.objects.filter(name=name)
    if entry is not None:
        clash = clash.exclude(pk=entry.pk)
    if clash.exists():
        raise ValidationError({"name": _("目录中已有该化学品")})
    with transaction.atomic():
        row = entry or RestrictedChemical()
        before = {"name": row.name, "cas": row.cas, "restriction": row.restriction,
                  "active": row.active} if entry else None
        row.name, row.cas, row.restriction, row.basis, row.active = (
            name, canonical, restriction, basis, bool(active))
        _save(row)
        record_event(actor=actor, obj=row, action="licensing.restriction.saved", payload={
            "from": before, "to": {"name": name, "cas": canonical, "restriction": restriction,
                                   "active": bool(active)}})
    return row


# --- consultations ---------------------------------------------------------------------------

def _checked_matches(chemicals: str) -> list[dict]:
    matches, problems = restriction_check(chemicals)
    if problems:
        raise ValidationError({"chemicals": problems})
    return matches


def consultation_register(
    *, actor: User, project_name: str, applicant: str, jurisdiction: Jurisdiction,
    description: str, chemicals: str, received_on: datetime.date,
    enterprise: Enterprise | None = None,
) -> ConsultationRequest:
    """Register a request and check its chemicals against the restriction list."""
    _require(actor, jurisdiction.path, STAFF_ROLES, _("登记会商咨询"))
    project_name = required_text(project_name, "project_name", _("项目名称"))
    applicant = required_text(applicant, "applicant", _("项目单位"))
    description = required_text(description, "description", _("项目概况"))
    chemicals = required_text(chemicals, "chemicals", _("涉及化学品"))
    received_on = _day(received_on, "received_on", _("收到日期"))
    if enterprise is not None and not enterprise.jurisdiction_path.startswith(jurisdiction.path):
        raise ValidationError({"enterprise": _("企业不在拟建地辖区内")})
    matches = _checked_matches(chemicals)
    with transaction.atomic():
        request = ConsultationRequest(
            project_name=project_name, applicant=applicant, enterprise=enterprise,
            jurisdiction=jurisdiction, agency=actor.agency, description=description,
            chemicals=chemicals, matches=matches, received_on=received_on, created_by=actor)
        _save(request)
        record_event(actor=actor, obj=request, action="licensing.consultation.registered",
                     payload={"project": project_name, "received_on": received_on,
                              "matches": [m["name"] for m in matches]})
    return request


def consultation_conclude(
    *, actor: User, consultation: ConsultationRequest, concluded_on: datetime.date,
    outcome: str, opinion: str, experts: str, reasons: str = "",
) -> ConsultationRequest:
    """The consultation's opinion: 同意, or 否决 with reasons. The chemicals are checked
    against the list again; a prohibited (禁止) match cannot be approved."""
    _require(actor, consultation.jurisdiction_path, STAFF_ROLES, _("办结会商咨询"))
    if consultation.concluded_on:
        raise ValidationError(_("该会商已办结"))
    concluded_on = _day(concluded_on, "concluded_on", _("会商完成日期"),
                        not_before=consultation.received_on, before_label=_("收到日期"))
    if outcome not in ConsultationRequest.Outcome.values:
        raise ValidationError({"outcome": _("请选择会商结论")})
    opinion = required_text(opinion, "opinion", _("会商意见"))
    experts = required_text(experts, "experts", _("会商专家"))
    reasons = (reasons or "").strip()
    matches = _checked_matches(consultation.chemicals)
    prohibited = [m for m in matches
                  if m["restriction"] == RestrictedChemical.Restriction.PROHIBITED]
    if outcome == ConsultationRequest.Outcome.VETOED and not reasons:
        raise ValidationError({"reasons": _("否决项目应写明理由")})
    if outcome == ConsultationRequest.Outcome.APPROVED and prohibited:
        raise ValidationError({"outcome": _("项目涉及禁止类化学品（%(n)s），不能同意") % {
            "n": "、".join(m["name"] for m in prohibited)}})
    with transaction.atomic():
        locked = ConsultationRequest.objects.select_for_update().get(pk=consultation.pk)
        if locked.concluded_on:
            raise ValidationError(_("该会商已办结"))
        locked.concluded_on, locked.outcome, locked.opinion = concluded_on, outcome, opinion
        locked.experts, locked.reasons, locked.matches = experts, reasons, matches
        _save(locked)
        record_event(actor=actor, obj=locked, action="licensing.consultation.concluded",
                     payload={"outcome": outcome, "concluded_on": concluded_on,
                              "reasons": reasons, "matches": [m["name"] for m in matches]})
    return locked


# --- upgrade projects -----------------------------------------------------------------------

def upgrade_project_register(
    *, actor: User, enterprise: Enterprise, name: str, started_on: datetime.date,
    description: str = "",
) -> UpgradeProject:
    _require(actor, enterprise.jurisdiction_path, STAFF_ROLES, _("登记改造提升项目"))
    name = required_text(name, "name", _("项目名称"))
    started_on = _day(started_on, "started_on", _("开工日期"))
    if UpgradeProject.objects.filter(enterprise=enterprise, name=name).exists():
        raise ValidationError({"name": _("该企业已登记同名改造提升项目")})
    with transaction.atomic():
        project = UpgradeProject(name=name, enterprise=enterprise, agency=actor.agency,
                                 description=(description or "").strip(),
                                 started_on=started_on, created_by=actor)
        _save(project)
        record_event(actor=actor, obj=project, action="licensing.upgrade.registered",
                     payload={"name": name, "started_on": started_on})
    return project


def upgrade_equipment_add(
    *, actor: User, project: UpgradeProject, items: Sequence[tuple[str, str, int, str]],
) -> list[UpgradeEquipment]:
    """Equipment eliminated or replaced: (name, action, quantity, unit) each."""
    _require(actor, project.jurisdiction_path, STAFF_ROLES, _("登记淘汰更新设备"))
    if project.completed_on:
        raise ValidationError(_("项目已完成，不能再登记设备"))
    rows = []
    for name, action, quantity, unit in items:
        name = required_text(name, "name", _("设备名称"))
        if action not in UpgradeEquipment.Action.values:
            raise ValidationError({"action": _("请选择处理方式")})
        if unit not in UpgradeEquipment.Unit.values:
            raise ValidationError({"unit": _("请选择单位（套/台）")})
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise ValidationError({"quantity": _("数量应为正整数")})
        rows.append(UpgradeEquipment(project=project, name=name, action=action,
                                     quantity=quantity, unit=unit))
    if not rows:
        raise ValidationError(_("请至少登记一项设备"))
    with transaction.atomic():
        for row in rows:
            _save(row)
        record_event(actor=actor, obj=project, action="licensing.upgrade.equipment_added",
                     payload={"items": [f"{r.name} {r.quantity}{r.get_unit_display()}"
                                        for r in rows],
                              "total": sum(r.quantity for r in rows)})
    return rows


def upgrade_project_complete(
    *, actor: User, project: UpgradeProject, completed_on: datetime.date,
) -> UpgradeProject:
    _require(actor, project.jurisdiction_path, STAFF_ROLES, _("确认改造提升完成"))
    if project.completed_on:
        raise ValidationError(_("项目已完成"))
    completed_on = _day(completed_on, "completed_on", _("完成日期"),
                        not_before=project.started_on, before_label=_("开工日期"))
    with transaction.atomic():
        locked = UpgradeProject.objects.select_for_update().get(pk=project.pk)
        locked.completed_on = completed_on
        _save(locked)
        record_event(actor=actor, obj=locked, action="licensing.upgrade.completed", payload={
            "completed_on": completed_on,
            "equipment": sum(e.quantity for e in locked.equipment.all())})
    return locked
