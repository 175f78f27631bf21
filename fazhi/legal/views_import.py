"""Pages of the catalogue workbook (执法事项目录与裁量基准 Excel): download the whole
catalogue (any staff user), download the empty template, and import a filled one
(administrators: every bad row listed, or the counts of what changed).
The work is done by fazhi.legal.imports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.xlsx import XLSX, xlsx_response
from fazhi.legal import imports
from fazhi.legal.services import can_write_legal

# An import with thousands of bad rows still shows a readable page.
MAX_ERRORS_SHOWN = 1000


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control",
                                               "accept": f".xlsx,{XLSX}"}),
    )


def _require_staff(user: Any) -> None:
    if not getattr(user, "is_staff_role", False):
        raise PermissionDenied(_("只有执法人员、法制审核员、负责人和管理员可以下载执法事项目录"))


def _require_admin(user: Any) -> None:
    if not can_write_legal(user):
        raise PermissionDenied(_("只有管理员可以导入执法事项目录和裁量基准"))


@require_GET
@login_required
def catalogue_export_view(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    today = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(imports.catalogue_export(), f"执法事项目录与裁量基准_{today}.xlsx")


@require_GET
@login_required
def catalogue_template_view(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    return xlsx_response(imports.catalogue_template(), "执法事项目录与裁量基准导入模板.xlsx")


@require_http_methods(["GET", "POST"])
@login_required
def catalogue_import_view(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    result: imports.CatalogueImportResult | None = None
    errors: list[str] = []
    rejected = ""
    if request.method == "POST":
        form = CatalogueImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = imports.catalogue_import(actor=request.user,
                                                  file=form.cleaned_data["file"])
            except imports.ImportRejected as exc:
                rejected = " ".join(exc.messages)
            except ValidationError as exc:
                errors = exc.messages
    else:
        form = CatalogueImportForm()
    # A refused file or a bad row is not a success: say so in the status code too.
    status = 400 if rejected or form.errors else 422 if errors else 200
    return render(request, "legal/catalogue_import.html", {
        "form": form,
        "result": result,
        "rejected": rejected,
        "errors": errors,
        "errors_shown": errors[:MAX_ERRORS_SHOWN],
        "sheets": [sheet.title for sheet in imports.SHEETS],
        "max_rows": imports.MAX_ROWS,
    }, status=status)
