"""The inspection documents as .docx, filled from the records with docxtpl:
现场检查记录 (inspection record), 责令限期整改指令书 (rectification order) and
整改复查意见书 (re-inspection opinion).

The templates are in `templates_docx/`, built by scripts/make_inspection_docx_templates.py.
Orders and re-inspections carry the number their service allocated; the inspection
record is numbered the first time it is rendered (`services.inspection_record_number`), and the
number is kept in the inspection's event record, so every later copy shows the same one.

Callers check that the user may see the object (views go through the scoped selectors).
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate

from fazhi.core.models import EnforcementCertificate, User
from fazhi.inspection.models import (
    Finding,
    Hazard,
    Inspection,
    RectificationOrder,
    Reinspection,
)
from fazhi.inspection.services import inspection_record_number
from fazhi.legal.rules.citations import ALL, ALL_2014, ARL, ARL_2017, WSL

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates_docx"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Characters XML 1.0 forbids, plus \a and \f which docxtpl turns into paragraph and page
# breaks; \t and \n are kept (docxtpl renders them as a tab and a line break).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def cn_date(day: datetime.date) -> str:
    """2024年5月6日: the date as written in documents (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def clean(value: Any) -> Any:
    if isinstance(value, str):
        return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    return value


def _render(template: str, context: dict[str, Any]) -> bytes:
    document = DocxTemplate(TEMPLATE_DIR / template)
    # autoescape: record text such as "A&B<C" must not break the document's XML.
    document.render(clean(context), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- shared parts -------------------------------------------------------------------------

def _certificate_on(certificates: Iterable[EnforcementCertificate],
                    day: datetime.date) -> EnforcementCertificate | None:
    """The certificate valid on `day`. A certificate revoked after `day` was still valid
    that day: the document states the facts of the inspection date."""
    valid = [
        c for c in certificates
        if c.valid_from <= day <= c.valid_to
        and (c.revoked_at is None or timezone.localdate(c.revoked_at) > day)
    ]
    return max(valid, key=lambda c: (c.valid_from, c.pk), default=None)


def officer_rows(officers: Iterable[User], day: datetime.date) -> list[dict[str, str]]:
    rows = []
    for officer in sorted(officers, key=lambda o: o.pk):
        certificate = _certificate_on(officer.certificates.all(), day)
        rows.append({
            "name": officer.display_name,
            "certificate": certificate.number if certificate else _("（当日无有效执法证）"),
            "issuer": certificate.issuer if certificate else "",
        })
    return rows


def _criterion_text(hazard: Hazard) -> str:
    criterion = hazard.criterion
    if criterion is None:
        return ""
    return _("；判定依据：%(standard)s——%(text)s") % {
        "standard": criterion.get_standard_display(), "text": criterion.text}


def _hazard_text(hazard: Hazard) -> str:
    return f"{hazard.description}（{hazard.get_level_display()}{_criterion_text(hazard)}）"


def order_basis(day: datetime.date) -> str:
    """The legal basis of a rectification order issued on `day`: 《安全生产法》(2021)
    第六十五条第一款 (see rules/hazards.py). The article numbers of earlier texts are
    not encoded, so an older order names the law only."""
    if WSL.in_force_on(day):
        return f"《{WSL.name}》第六十五条第一款"
    return _("《%(law)s》有关规定") % {"law": WSL.name}


def remedies_sentence(day: datetime.date) -> str:
    """The party's reconsideration and litigation rights for a document served on `day`:
    60 days (行政复议法(2023) 第二十条第一款; 2017 text 第九条第一款) and 6 months
    (行政诉讼法 第四十六条第一款), as fazhi.legal.rules.deadlines and
    ../shared/reference/procedure.yaml (remedies) state them, counted from service."""
    if ARL.in_force_on(day):
        reconsideration = f"《{ARL.name}》第二十条第一款"
    elif ARL_2017.in_force_on(day):
        reconsideration = f"《{ARL_2017.name}》第九条第一款"
    else:
        reconsideration = f"《{ARL.name}》"
    if ALL.in_force_on(day) or ALL_2014.in_force_on(day):
        litigation = f"《{ALL.name}》第四十六条第一款"
    else:  # the 3-month period before 2015-05-01 is not encoded: name no period
        return _("如不服本指令，可以依法申请行政复议或者提起行政诉讼。")
    sentence = _("如不服本指令，可以自收到本指令书之日起六十日内依法申请行政复议，或者自收到"
                 "本指令书之日起六个月内依法向人民法院提起行政诉讼（%(reconsideration)s、"
                 "%(litigation)s）。")
    return sentence % {"reconsideration": reconsideration, "litigation": litigation}


# --- 现场检查记录 ---------------------------------------------------------------------------

def _finding_text(finding: Finding) -> str:
    text = finding.description
    if finding.item is not None:
        text += _("（对应检查事项：%(item)s）") % {"item": finding.item.text}
    try:
        hazard = finding.hazard
    except Hazard.DoesNotExist:
        return text
    if hazard.rectified_on_site:
        handling = _("已当场整改")
    else:
        first = hazard.orders.order_by("issued_on", "id").first()
        handling = (_("已责令限期整改，指令书编号%(number)s") % {"number": first.number}
                    if first else _("已责令限期整改"))
    return text + _("（已登记为%(level)s，%(handling)s）") % {
        "level": hazard.get_level_display(), "handling": handling}


def inspection_record_context(inspection: Inspection, number: str | None) -> dict[str, Any]:
    enterprise = inspection.enterprise
    if inspection.non_site:
        mode = _("非现场执法（证据来源：%(source)s）") % {
            "source": inspection.get_non_site_source_display()}
    else:
        mode = _("现场检查")
    if inspection.signed_by:
        signature = _("被检查单位签字人：%(name)s") % {"name": inspection.signed_by}
    elif inspection.refusal_reason:
        signature = _("被检查单位拒绝签字。情况：%(reason)s") % {
            "reason": inspection.refusal_reason}
    else:
        signature = _("（检查记录尚未完成）")
    results = (inspection.results.select_related("item")
               .order_by("item__standard", "item__group", "item__number", "item_id"))
    findings = (inspection.findings.select_related("item", "hazard").order_by("id"))
    return {
        "agency": inspection.agency.name,
        "number": number or _("（草稿，未编号）"),
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "address": enterprise.address,
        "place": inspection.place,
        "date": cn_date(inspection.date),
        "category": inspection.get_category_display(),
        "mode": mode,
        "joint_departments": "、".join(inspection.joint_departments) or _("无"),
        "officers": officer_rows(inspection.officers.prefetch_related("certificates"),
                                  inspection.date),
        "results": [{"item": r.item.text, "outcome": r.get_outcome_display(), "note": r.note}
                    for r in results],
        "findings": [{"text": _finding_text(f)} for f in findings],
        "signature": signature,
        "doc_date": cn_date(inspection.date),
    }


def inspection_record_docx(*, actor: User, inspection: Inspection) -> bytes:
    """现场检查记录. A finished record gets its number (allocated on first use); a
    draft is printed marked as an unnumbered draft."""
    number = None
    if inspection.status == Inspection.Status.FINISHED:
        number = inspection_record_number(actor=actor, inspection=inspection)
    return _render("inspection_record.docx", inspection_record_context(inspection, number))


# --- 责令限期整改指令书 -----------------------------------------------------------------------

def order_context(order: RectificationOrder) -> dict[str, Any]:
    hazard = order.hazard
    enterprise = hazard.enterprise
    previous = hazard.orders.filter(id__lt=order.pk).order_by("-id").first()
    if previous is None:
        intro = _("本机关于%(date)s对你单位进行%(category)s时，发现你单位存在下列事故隐患：") % {
            "date": cn_date(hazard.found_on),
            "category": hazard.inspection.get_category_display()}
    else:
        intro = _("本机关于%(date)s对你单位《责令限期整改指令书》（%(number)s）所列事故隐患的"
                  "整改情况进行复查，整改不合格。你单位仍存在下列事故隐患：") % {
            "date": cn_date(order.issued_on), "number": previous.number}
    command = _("依据%(basis)s的规定，现责令你单位于%(deadline)s前整改完毕，"
                "达到有关法律、法规、规章和国家标准或者行业标准规定的要求。") % {
        "basis": order_basis(order.issued_on), "deadline": cn_date(order.deadline)}
    return {
        "agency": hazard.agency.name,
        "number": order.number,
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "address": enterprise.address,
        "intro": intro,
        "hazards": [_hazard_text(hazard)],
        "command": command,
        "requirements": order.requirements,
        "deadline": cn_date(order.deadline),
        "rights": remedies_sentence(order.issued_on),
        "doc_date": cn_date(order.issued_on),
    }


def order_docx(order: RectificationOrder) -> bytes:
    """责令限期整改指令书 of one order, with the number its service allocated."""
    return _render("rectification_order.docx", order_context(order))


# --- 整改复查意见书 ---------------------------------------------------------------------------

def reinspection_context(reinspection: Reinspection) -> dict[str, Any]:
    order = reinspection.order
    hazard = order.hazard
    intro = _("本机关于%(issued)s作出《责令限期整改指令书》（%(number)s），责令你单位于"
              "%(deadline)s前对下列事故隐患整改完毕：%(hazard)s。") % {
        "issued": cn_date(order.issued_on), "number": order.number,
        "deadline": cn_date(order.deadline), "hazard": _hazard_text(hazard)}
    if order.report_date:
        report = _("你单位于%(date)s报告整改情况：%(text)s") % {
            "date": cn_date(order.report_date), "text": order.report_text}
    else:
        report = _("你单位未报告整改情况。")
    follow_up = ""
    if reinspection.passed:
        conclusion = _("整改合格，该事故隐患予以销号。")
    else:
        conclusion = _("整改不合格。")
        new_order = hazard.orders.filter(id__gt=order.pk).order_by("id").first()
        if new_order is not None:
            follow_up = _("现重新责令你单位于%(deadline)s前整改完毕（《责令限期整改指令书》"
                          "%(number)s）。") % {"deadline": cn_date(new_order.deadline),
                                             "number": new_order.number}
        elif hazard.status == Hazard.Status.ESCALATED:
            follow_up = _("该事故隐患已移交立案查处。")
    return {
        "agency": hazard.agency.name,
        "number": reinspection.number,
        "enterprise_name": hazard.enterprise.name,
        "intro": intro,
        "report": report,
        "visit": _("本机关于%(date)s对你单位的整改情况进行了复查。") % {
            "date": cn_date(reinspection.date)},
        "officers": officer_rows(reinspection.officers.prefetch_related("certificates"),
                                  reinspection.date),
        "opinion": reinspection.opinion,
        "conclusion": conclusion,
        "follow_up": follow_up,
        "doc_date": cn_date(reinspection.date),
    }


def reinspection_docx(reinspection: Reinspection) -> bytes:
    """整改复查意见书 of one re-inspection, with the number its service allocated."""
    return _render("reinspection.docx", reinspection_context(reinspection))
