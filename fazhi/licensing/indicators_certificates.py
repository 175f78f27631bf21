"""Figures of certificates (资格证书), computed from the certificate records every time.

Scope "city": certificates whose 属地 (the holder's employer's area, `jurisdiction_path`)
lies in the jurisdiction or below it. A certificate counts in the period of its issue
date (`issued_on`, a Shanghai date): reviews (复审), extensions (延期复审/延期) and
revocations do not add to the count, and a certificate revoked later still counts in
the year it was issued.

certs.managers:    核发危化企业负责人和安管员证（张）: principal (主要负责人) and safety-
                   manager (安全生产管理人员) qualification certificates issued.
certs.special_ops: 核发特种作业人员操作证（张）: special-operation certificates issued,
                   every category and operation item (one certificate per item).
Both drill to the certificate list filtered by kind, issue dates and area: exactly
those records.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction
from fazhi.licensing.models_certificates import MANAGER_KINDS, Certificate, CertificateKind
from fazhi.licensing.selectors_certificates import MANAGERS
from fazhi.reports.registry import Drill, Period, list_url, register


def _issued(period: Period, jurisdiction: Jurisdiction, kinds: tuple[str, ...]) -> int:
    return Certificate.objects.filter(
        jurisdiction_path__startswith=jurisdiction.path, kind__in=kinds,
        issued_on__gte=period.start, issued_on__lte=period.end).count()


def _drill(kind: str) -> Drill:
    def drill(period: Period, jurisdiction: Jurisdiction) -> str:
        return list_url("licensing:certificate_list", kind=kind,
                        issued_from=period.start.isoformat(), issued_to=period.end.isoformat(),
                        jurisdiction=jurisdiction.code)
    return drill


@register("certs.managers", label=_("核发危化企业负责人和安管员证（张）"), unit=_("张"),
          kind="count", scope="city", drill=_drill(MANAGERS),
          definition=_("期内（按发证日期）核发的生产经营单位主要负责人和安全生产管理人员安全生产知识"
                       "和管理能力考核合格证张数，按持证人用人单位属地统计；复审、延期不另计，"
                       "事后撤销的仍计入发证当期。"))
def certs_managers(period: Period, jurisdiction: Jurisdiction) -> int:
    return _issued(period, jurisdiction, tuple(MANAGER_KINDS))


@register("certs.special_ops", label=_("核发特种作业人员操作证（张）"), unit=_("张"),
          kind="count", scope="city", drill=_drill(CertificateKind.SPECIAL_OPERATION),
          definition=_("期内（按发证日期）核发的特种作业操作证张数（每个操作项目一张），按持证人"
                       "用人单位属地统计；复审、延期复审不另计，事后撤销的仍计入发证当期。"))
def certs_special_ops(period: Period, jurisdiction: Jurisdiction) -> int:
    return _issued(period, jurisdiction, (CertificateKind.SPECIAL_OPERATION,))
