"""Downloads of the inspection documents (.docx): 现场检查记录, 责令限期整改指令书 and
整改复查意见书.

Login required. Each object is read through the scoped selectors (`inspection_get`,
`hazard_list`), so one outside the user's jurisdiction, or of another enterprise for
an enterprise user, answers 404 and its existence is not revealed. An enterprise user
may download all three for its own enterprise: the record is the one it signed. A social
supervisor reads the records on the pages but is refused the documents (403, see
`rules.access`); the pages show it no link."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fazhi.inspection import documents
from fazhi.inspection import services as inspection_services
from fazhi.inspection.models import Inspection, RectificationOrder, Reinspection
from fazhi.inspection.rules.access import can_download_files
from fazhi.inspection.selectors import hazard_list, inspection_get


def docx_response(data: bytes, filename: str, ascii_name: str) -> HttpResponse:
    """An attachment with a Chinese file name (RFC 5987 `filename*`) and a plain ASCII
    `filename` for clients that do not read the former (RFC 6266 section 4.3)."""
    response = HttpResponse(data, content_type=documents.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(filename, safe="")}')
    response["Content-Length"] = str(len(data))
    return response


def _may_download(request: HttpRequest) -> None:
    if not can_download_files(request.user):
        raise PermissionDenied(_("您的角色无权下载执法文书"))


@require_GET
@never_cache
@login_required
def inspection_record_docx(request: HttpRequest, pk: int) -> HttpResponse:
    _may_download(request)
    inspection = inspection_get(user=request.user, pk=pk)
    if inspection is None:
        raise Http404
    if inspection.status == Inspection.Status.FINISHED:
        number = inspection_services.inspection_record_number(actor=request.user,
                                                              inspection=inspection)
        filename = f"现场检查记录{number}.docx"
    else:
        filename = f"现场检查记录（草稿）{inspection.enterprise.name}.docx"
    data = documents.inspection_record_docx(actor=request.user, inspection=inspection)
    return docx_response(data, filename, f"inspection-record-{inspection.pk}.docx")


@require_GET
@never_cache
@login_required
def order_docx(request: HttpRequest, pk: int) -> HttpResponse:
    _may_download(request)
    order = (RectificationOrder.objects
             .select_related("hazard__enterprise", "hazard__agency", "hazard__inspection",
                             "hazard__criterion")
             .filter(pk=pk, hazard__in=hazard_list(user=request.user)).first())
    if order is None:
        raise Http404
    return docx_response(documents.order_docx(order), f"责令限期整改指令书{order.number}.docx",
                         f"rectification-order-{order.pk}.docx")


@require_GET
@never_cache
@login_required
def reinspection_docx(request: HttpRequest, pk: int) -> HttpResponse:
    _may_download(request)
    reinspection = (Reinspection.objects
                    .select_related("order__hazard__enterprise", "order__hazard__agency",
                                    "order__hazard__criterion")
                    .filter(pk=pk, order__hazard__in=hazard_list(user=request.user)).first())
    if reinspection is None:
        raise Http404
    return docx_response(documents.reinspection_docx(reinspection),
                         f"整改复查意见书{reinspection.number}.docx",
                         f"reinspection-opinion-{reinspection.pk}.docx")
