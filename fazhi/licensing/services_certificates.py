"""Writes of certificates (资格证书): issue, review (复审 / 延期复审 / 延期), revocation, and
the public verification's log of suspected fakes. Each runs in one transaction with its
event; refusals are Chinese ValidationError / PermissionDenied before anything is saved.

Who: officers and administrators of the issuing side (考核发证机关), inside their own
jurisdiction (属地: 安全生产法 第十条); the date rules are `rules.certificates`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.models import Agency, Jurisdiction, Role, User
from fazhi.core.rules.calendar import day_text
from fazhi.core.services.events import record_event
from fazhi.licensing import signing
from fazhi.licensing.models_certificates import (
    Certificate,
    CertificateHolder,
    CertificateKind,
    CertificateReview,
    CertificateStatus,
    SuspectedFake,
    rule_kind,
)
from fazhi.licensing.rules import certificates as rules
from fazhi.licensing.rules.certificates import mask_certificate_number
from fazhi.subjects.models import Enterprise
from fazhi.subjects.rules.access import path_contains
from fazhi.subjects.rules.identifiers import IdentifierError, normalize_id_number
from fazhi.subjects.rules.masking import mask_person_name

WRITER_ROLES = frozenset({Role.OFFICER, Role.ADMIN})
MANAGER_MARKS = {CertificateKind.PRINCIPAL: "Z", CertificateKind.SAFETY_MANAGER: "A"}


def can_write_certificates(user: Any) -> bool:
    return (user is not None and getattr(user, "is_authenticated", False)
            and getattr(user, "is_active", False)
            and getattr(user, "role", None) in WRITER_ROLES
            and getattr(user, "agency_id", None) is not None)


def _require_writer(actor: User, jurisdiction_path: str | None = None) -> Agency:
    if not can_write_certificates(actor):
        raise PermissionDenied(_("只有考核发证机关的执法人员和管理员可以办理证书"))
    if jurisdiction_path is not None and not path_contains(actor.agency.jurisdiction.path,
                                                           jurisdiction_path):
        raise PermissionDenied(_("该证书不在您的辖区内"))
    return actor.agency


def special_number(id_number: str) -> str:
    """特种作业操作证 number: "T" + the 18-character 身份证号 (yaml: medium)."""
    return f"T{id_number}"


def manager_number_prefix(agency: Agency, kind: str, year: int) -> str:
    """The bureau's own numbering of 安全合格证 (the national format was not confirmed):
    6-digit area of the issuing agency, Z principal / A safety manager, the year."""
    return f"{agency.jurisdiction.code[:6]}{MANAGER_MARKS[kind]}{year}"


def next_manager_serial(prefix: str) -> int:
    last = (Certificate.objects.filter(number__startswith=prefix)
            .order_by("-number").values_list("number", flat=True).first())
    return int(last[len(prefix):]) + 1 if last else 1


def certificate_payload(cert: Certificate) -> dict[str, Any]:
    """The event payload: no whole ID number, ever."""
    return {"kind": cert.kind, "number": mask_certificate_number(cert.number),
            "operation": cert.operation, "holder": mask_person_name(cert.holder_name),
        "issued_on": cert.issued_on, "review_due": cert.review_due,
        "expires_on": cert.expires_on, "agency": cert.agency_id}


def holder_for(name: str, id_number: str) -> CertificateHolder:
    holder, created = CertificateHolder.objects.get_or_create(
        id_number=id_number, defaults={"name": name})
    if not created and holder.name != name:
        holder.name = name  # the name on the newest certificate
        holder.save(update_fields=["name"])
    return holder


@transaction.atomic
def certificate_issue(
    *,
    actor: User,
    kind: str,
    holder_name: str,
    id_number: str,
    operation: str,
    jurisdiction: Jurisdiction,
    issued_on: datetime.date,
    category: str = "",
    enterprise: Enterprise | None = None,
    employer_name: str = "",
    exam_theory: int | None = None,
    exam_practical: int | None = None,
) -> Certificate:
    """Issue one certificate from a passed exam: the dates from the rules, the number,
    the signature, the event."""
    agency = _require_writer(actor, jurisdiction.path)
    if kind not in CertificateKind.values:
        raise ValidationError(_("证书类别无效"))
    try:
        id_number = normalize_id_number(id_number)
    except IdentifierError as exc:
        raise ValidationError(str(exc)) from None
    if kind == CertificateKind.SPECIAL_OPERATION and category not in rules.OPERATION_CATEGORIES:
        raise ValidationError(_("特种作业须选择作业类别"))
    if (exam_theory is not None or exam_practical is not None) and not rules.exam_passed(
            exam_theory, exam_practical):
        raise ValidationError(_("理论考试和实际操作考试均须达到%(n)s分方可发证")
                              % {"n": rules.PASS_SCORE})
    try:
        dates = rules.certificate_dates(rule_kind(kind), issued_on)
    except rules.CertificateRuleError as exc:
        raise ValidationError(str(exc)) from None
    if kind == CertificateKind.SPECIAL_OPERATION:
        number = special_number(id_number)
    else:
        prefix = manager_number_prefix(agency, kind, issued_on.year)
        number = f"{prefix}{next_manager_serial(prefix):06d}"
    holder = holder_for(holder_name.strip(), id_number)
    cert = Certificate(
        kind=kind, number=number, category=category if kind == CertificateKind.SPECIAL_OPERATION
        else "", operation=operation.strip(), holder=holder, holder_name=holder.name,
        enterprise=enterprise, employer_name=employer_name or (enterprise.name if enterprise
                                                               else ""),
        jurisdiction=jurisdiction, agency=agency, issued_on=issued_on,
        review_due=dates.review_due, expires_on=dates.expires,
        review_interval_years=dates.review_interval_years, exam_theory=exam_theory,
        exam_practical=exam_practical)
    signing.sign_certificate(cert)
    cert.jurisdiction_path = jurisdiction.path
    cert.full_clean()
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        raise ValidationError(_("该持证人已持有同一操作项目的证书（%(n)s），不能重复发证")
                              % {"n": number}) from None
    record_event(actor=actor, obj=cert, action="certificate.issued",
                 payload=certificate_payload(cert))
    return cert


def _locked(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().select_related("holder").get(
        pk=certificate.pk)


@transaction.atomic
def certificate_review(
    *,
    actor: User,
    certificate: Certificate,
    reviewed_on: datetime.date,
    passed: bool,
    renewal: bool = False,
    training_hours: int | None = None,
    continuous_years_in_trade: int = 0,
    compliant: bool = True,
    extension_approved: bool = False,
    note: str = "",
) -> CertificateReview:
    """Record a review. Periodic (复审, special operations only): passed moves the
    review day on (3 or 6 years, 第二十一条). Renewal (延期复审 at expiry, or 延期 of a
    qualification certificate): passed gives a new validity and a new signature. A failed
    review changes no date (the certificate lapses when its day passes, 第二十六条)."""
    _require_writer(actor, certificate.jurisdiction_path)
    cert = _locked(certificate)
    if cert.status == CertificateStatus.REVOKED:
        raise ValidationError(_("证书已撤销，不能复审"))
    if reviewed_on > timezone.localdate():
        raise ValidationError(_("复审日期不能晚于今天"))
    if reviewed_on < cert.issued_on:
        raise ValidationError(_("复审日期不能早于发证日期"))
    if reviewed_on > cert.expires_on:
        raise ValidationError(_("证书已于%(d)s届满，应重新培训考试取证，不能再复审")
                              % {"d": day_text(cert.expires_on)})
    if not renewal and cert.kind != CertificateKind.SPECIAL_OPERATION:
        raise ValidationError(_("安全合格证不实行定期复审；有效期届满需要延期的，请登记延期"))
    if not renewal and cert.review_due is not None and reviewed_on > cert.review_due:
        raise ValidationError(_("已超过应复审日期（%(d)s），证书已失效（第二十六条），不能补办复审")
                              % {"d": day_text(cert.review_due)})
    if training_hours is not None and training_hours < 0:
        raise ValidationError(_("培训学时不能为负数"))
    interval = cert.review_interval_years or rules.REVIEW_INTERVAL_YEARS
    if cert.kind == CertificateKind.SPECIAL_OPERATION:
        try:
            interval = rules.review_interval(
                continuous_years_in_trade=continuous_years_in_trade, compliant=compliant,
                extension_approved=extension_approved)
        except rules.CertificateRuleError as exc:
            raise ValidationError(str(exc)) from None
    review = CertificateReview(
        certificate=cert, kind=(CertificateReview.Kind.RENEWAL if renewal
                                else CertificateReview.Kind.PERIODIC),
        reviewed_on=reviewed_on, passed=passed, training_hours=training_hours, note=note,
        review_due_before=cert.review_due, expires_before=cert.expires_on,
        review_due_after=cert.review_due, expires_after=cert.expires_on, recorded_by=actor)
    if passed:
        if renewal:
            review.expires_after, review.review_due_after = rules.renewal_dates(
                cert.expires_on, kind=cert.rule_kind, interval_years=interval)
        elif cert.review_due is not None:
            review.review_due_after = rules.next_review_due(cert.review_due, cert.expires_on,
                                                            interval)
        cert.review_due, cert.expires_on = review.review_due_after, review.expires_after
        if cert.kind == CertificateKind.SPECIAL_OPERATION:
            cert.review_interval_years = interval
        signing.sign_certificate(cert)  # expiry is a signed field
        cert.full_clean()
        cert.save()
    review.full_clean()
    review.save()
    record_event(actor=actor, obj=cert, action="certificate.reviewed", payload={
        "kind": review.kind, "reviewed_on": reviewed_on, "passed": passed,
        "review_due": {"from": review.review_due_before, "to": review.review_due_after},
        "expires_on": {"from": review.expires_before, "to": review.expires_after}})
    return review


@transaction.atomic
def certificate_revoke(
    *,
    actor: User,
    certificate: Certificate,
    ground: str,
    reason: str,
    revoked_on: datetime.date | None = None,
) -> Certificate:
    """Revoke (撤销) with its ground (第三十条 for special operations) and reason."""
    _require_writer(actor, certificate.jurisdiction_path)
    cert = _locked(certificate)
    if cert.status == CertificateStatus.REVOKED:
        raise ValidationError(_("证书已撤销"))
    if ground not in rules.REVOCATION_GROUNDS:
        raise ValidationError(_("请选择撤销情形"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写撤销理由"))
    revoked_on = revoked_on or timezone.localdate()
    if revoked_on < cert.issued_on or revoked_on > timezone.localdate():
        raise ValidationError(_("撤销日期应在发证日期与今天之间"))
    cert.status, cert.revoked_on = CertificateStatus.REVOKED, revoked_on
    cert.revocation_ground, cert.revocation_reason = ground, reason
    cert.full_clean()
    cert.save(update_fields=["status", "revoked_on", "revocation_ground", "revocation_reason"])
    citation = rules.revocation_citation(cert.rule_kind)
    record_event(actor=actor, obj=cert, action="certificate.revoked", payload={
        "ground": ground, "reason": reason, "revoked_on": revoked_on,
        "citation": citation.as_dict() if citation else None})
    return cert


def suspected_fake_log(*, number: str, name: str, reason: str) -> None:
    """Count a public lookup that found no certificate for the number (or not under this
    name): one row per number, counting. A log of the public's lookups, not a change of
    an enforcement record, so no event: the public must not be able to flood the event
    record (or contend for its lock) by typing numbers."""
    now = timezone.now()
    number = number[:40]
    masked = mask_person_name(name)[:50]
    updated = SuspectedFake.objects.filter(number=number).update(
        lookups=F("lookups") + 1, last_at=now, reason=reason, name_masked=masked)
    if updated:
        return
    try:
        with transaction.atomic():
            SuspectedFake.objects.create(number=number, reason=reason, name_masked=masked,
                                         first_at=now, last_at=now)
    except IntegrityError:  # a concurrent first lookup of the same number
        SuspectedFake.objects.filter(number=number).update(lookups=F("lookups") + 1,
                                                           last_at=now)


# --- public verification -------------------------------------------------------------------

RATE_LIMIT = 30  # lookups per client address per window
RATE_WINDOW = 60  # seconds


class RateLimited(Exception):
    """Too many lookups from one address; `str()` is the Chinese message."""


def _rate_check(client: str) -> None:
    from django.conf import settings

    from fazhi.core.ratelimit import allow

    limit = getattr(settings, "FAZHI_VERIFY_RATE_LIMIT", RATE_LIMIT)
    window = getattr(settings, "FAZHI_VERIFY_RATE_WINDOW", RATE_WINDOW)
    if not allow(f"verify:{client}", limit, window):
        raise RateLimited(_("查询过于频繁：同一网络地址每%(w)s秒最多查询%(n)s次，请稍后再试。")
                          % {"w": window, "n": limit})


def public_verify(*, number: str, name: str, client: str) -> Any:
    """The public lookup (no login): rate-limited per client address, misses logged as
    suspected fakes. Returns `selectors_certificates.Verification`."""
    from fazhi.licensing.selectors_certificates import (
        normalize_name,
        normalize_number,
        verification_lookup,
    )

    number, name = normalize_number(number), normalize_name(name)
    if not number:
        raise ValidationError(_("请输入证书编号"))
    if not name:
        raise ValidationError(_("请输入持证人姓名"))
    _rate_check(client or "unknown")
    result = verification_lookup(number, name)
    if result.miss:
        suspected_fake_log(number=number, name=name, reason=result.miss)
    return result
