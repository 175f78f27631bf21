"""Writes of the reports app: saving the annual report's template (年度报告模板) and the
record of each report file downloaded.

Who may edit a template: the leaders (负责人) and the legal reviewers (法制审核员) of the
bureau whose report it is (the user's own jurisdiction). The report is the bureau's
account of its rule-of-law work: its legal unit (法制机构, whose staff are the reviewers)
drafts it and its leaders answer for it (第一责任人). Officers and administrators (a
technical role) read it and download it; a city leader does not rewrite a county
bureau's report.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.core.models import Jurisdiction, Role, User
from fazhi.core.services.events import record_event
from fazhi.reports import prose
from fazhi.reports.models import AnnualReportTemplate

EDITOR_ROLES = frozenset({Role.LEADER, Role.REVIEWER})
TEMPLATE_SAVED = "reports.annual_template.saved"
REPORT_DOWNLOADED = "reports.annual_report.downloaded"
FORMATS = {"docx": ".docx", "xlsx": ".xlsx"}


def may_edit_template(user: User, jurisdiction: Jurisdiction) -> bool:
    return (user.is_authenticated and user.is_active and user.role in EDITOR_ROLES
            and user.jurisdiction is not None and user.jurisdiction.pk == jurisdiction.pk)


def annual_template_save(*, actor: User, year: int, jurisdiction: Jurisdiction, title: str,
                         body: str) -> AnnualReportTemplate:
    """Store the year's template for the jurisdiction (create or replace). Refused, with
    nothing saved: a user who may not edit it (PermissionDenied), a bad placeholder or an
    empty text (ValidationError listing every problem in Chinese)."""
    if not may_edit_template(actor, jurisdiction):
        raise PermissionDenied(_("只有本级负责人或法制审核员可以编辑本级年度报告模板"))
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    title = title.strip()
    found = prose.problems(title, body)
    if found:
        raise ValidationError(found)
    with transaction.atomic():
        row = (AnnualReportTemplate.objects.select_for_update()
               .filter(year=year, jurisdiction=jurisdiction).first())
        created = row is None
        if row is None:
            row = AnnualReportTemplate(year=year, jurisdiction=jurisdiction)
        row.title, row.body, row.updated_by = title, body, actor
        row.full_clean()
        row.save()
        record_event(actor=actor, obj=row, action=TEMPLATE_SAVED, payload={
            "year": year, "jurisdiction": jurisdiction.code, "created": created,
            "title": title, "body_sha256": hashlib.sha256(body.encode()).hexdigest(),
            "body_chars": len(body)})
    return row


def annual_report_download(*, actor: User, year: int, jurisdiction: Jurisdiction,
                           fmt: str) -> tuple[str, bytes]:
    """The year's report (.docx) or its figures (.xlsx) as (file name, bytes), written into
    the record with the file's SHA-256 so a copy shown later can be checked against what
    was handed out. The caller has checked that the user may see the jurisdiction."""
    from fazhi.reports.annual import figures_xlsx, render_docx
    from fazhi.reports.selectors import annual_template_for

    if fmt not in FORMATS:
        raise ValidationError(_("未知的文件格式：%(f)s") % {"f": fmt})
    if not (actor.is_active and actor.is_staff_role):
        raise PermissionDenied(_("只有执法机关人员可以下载年度报告"))
    template, stored = annual_template_for(year, jurisdiction)
    if fmt == "docx":
        data = render_docx(year, jurisdiction, template)
        name = f"{jurisdiction.code}-{year}年度法治政府建设工作报告.docx"
    else:
        data = figures_xlsx(year, jurisdiction)
        name = f"{jurisdiction.code}-{year}年度统计指标.xlsx"
    with transaction.atomic():
        record_event(actor=actor, obj=("reports.annualreport", f"{jurisdiction.code}/{year}"),
                     action=REPORT_DOWNLOADED, payload={
                         "year": year, "jurisdiction": jurisdiction.code, "format": fmt,
                         "file_name": name, "sha256": hashlib.sha256(data).hexdigest(),
                         "template": stored.pk if stored else "default"})
    return name, data
