"""Issuing a document of a case (文书制作): who may have it, and the record of it.

Every document issued is written into the case's event record with the sha256 of its
bytes (《行政处罚法》第四十七条: 执法全过程记录), so a copy shown later can be checked
against what was issued. Numbers are not allocated here: the records already carry
those their services gave them.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from fazhi.cases import documents
from fazhi.cases.models import PenaltyCase
from fazhi.core.models import Role, User
from fazhi.core.services.events import record_event
from fazhi.inspection.rules.access import path_contains

DOCUMENT_ISSUED = "case.document_issued"


def _may_have(actor: User, case: PenaltyCase, spec: documents.DocumentSpec,
              obj: Model | None) -> None:
    """Staff of the case's jurisdiction (or above) may have every document; an enterprise
    user only the decisions and service receipts of its own case, once decided; nobody
    else (a social supervisor reads the case page: the documents carry whole ID numbers,
    and issuing one is an act of the agency written into the case's event record)."""
    if not actor.is_active:
        raise PermissionDenied(_("账号已停用"))
    if actor.role == Role.ENTERPRISE:
        if actor.enterprise_id != case.enterprise_id:
            raise PermissionDenied(_("该案件不是本企业的案件"))
        if not spec.enterprise_download:
            raise PermissionDenied(_("%(title)s是执法机关内部文书，企业不能下载")
                                   % {"title": spec.title})
        if getattr(obj, "decided_on", None) is None:
            raise PermissionDenied(_("尚未作出决定，企业不能下载%(title)s") % {"title": spec.title})
        return
    if not actor.is_staff_role:
        raise PermissionDenied(_("案件文书由执法机关制作和送达，您的角色不能下载"))
    own = actor.jurisdiction
    if not path_contains(own.path if own else None, case.jurisdiction_path):
        raise PermissionDenied(_("该案件不在您的辖区内"))


def case_document_issue(*, actor: User, case: PenaltyCase, kind: str,
                        obj: Model | None = None) -> tuple[str, bytes]:
    """Document `kind` of `case` (from `obj` where it needs a record) as (file name,
    .docx bytes), recorded as `case.document_issued` with the sha256 of the bytes.
    PermissionDenied for a user who may not have it; ValidationError (Chinese) when it
    cannot be made yet (`documents.document_available`)."""
    spec = documents.DOCUMENTS.get(kind)
    if spec is None:
        raise ValidationError(_("未知的文书种类：%(kind)s") % {"kind": kind})
    with transaction.atomic():
        case = PenaltyCase.objects.select_related("agency", "enterprise").get(pk=case.pk)
        # Before anything is rendered: a refused user learns nothing of the case.
        _may_have(actor, case, spec, obj)
        name, data = documents.render(kind, case, obj)
        record_event(actor=actor, obj=case, action=DOCUMENT_ISSUED, payload={
            "kind": kind, "title": str(spec.title),
            "object": obj.pk if obj is not None else None, "file_name": name,
            "sha256": hashlib.sha256(data).hexdigest()})
    return name, data
