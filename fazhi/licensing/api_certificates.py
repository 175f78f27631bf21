"""Certificates (资格证书) in the JSON API, under /api/v1/licensing/:

- `POST /certificate-dates`: review and expiry dates from the rules, with citations;
- `GET /certificates` (filters as the list page), `GET /certificates/{id}`,
  `GET /certificates/reminders` (review or expiry within N days, or expired),
  `GET /certificates/suspected-fakes`: scoped like the pages (out of scope: 404);
- `GET|POST /verify` and `GET /verify/public-key`: public, no token (auth=None);
  the lookup is rate-limited per client address (429 in Chinese).

ID numbers are masked unless the caller's role needs them (`subjects.rules.masking`)."""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from fazhi.core.api import ERRORS, NO_NUL, NOT_FOUND, ErrorOut, Paginated
from fazhi.core.ratelimit import client_address
from fazhi.licensing import selectors_certificates as sel
from fazhi.licensing import signing
from fazhi.licensing.models_certificates import Certificate, SuspectedFake
from fazhi.licensing.rules import certificates as rules
from fazhi.licensing.rules.certificates import mask_certificate_number
from fazhi.licensing.services_certificates import RateLimited, public_verify
from fazhi.subjects.rules.masking import shown_id_number

router = Router(tags=["资格证书"])

EARLIEST, LATEST = rules.EARLIEST_ISSUE, rules.LATEST_ISSUE



# --- certificate dates ----------------------------------------------------------------------

class CitationOut(Schema):
    law: str = Field(..., description="法律法规名称")
    version: str = Field("", description="版本")
    article: str = Field(..., description="条款")
    applies_to: str = Field("", description="所支持的结论要素")


class DatesIn(Schema):
    kind: Literal["special_operation", "principal_safety_qualification"] = Field(
        ..., title="证书类别",
        description="special_operation 特种作业操作证；principal_safety_qualification "
                    "主要负责人和安全生产管理人员安全合格证")
    issued: datetime.date = Field(..., title="发证日期", description="发证日期（YYYY-MM-DD）")
    continuous_years_in_trade: int = Field(
        0, ge=0, le=rules.MAX_YEARS_IN_TRADE, title="连续从事本工种年限",
        description="有效期内连续从事本工种的年数（仅特种作业操作证）")
    compliant: bool = Field(True, title="严格遵守安全生产法律法规",
                            description="仅特种作业操作证：复审延长的条件之一")
    extension_approved: bool = Field(
        False, title="发证机关同意延长复审时间",
        description="仅特种作业操作证：经原考核发证机关或从业所在地考核发证机关同意，复审时间"
                    "延长至每6年1次（第二十一条）；安全合格证为 true 时返回 422")


class DatesOut(Schema):
    review_due: datetime.date | None = Field(None, description="应复审日期（特种作业操作证）")
    review_application_opens: datetime.date | None = Field(
        None, description="可申请复审的起始日（期满前60日，特种作业操作证）")
    expires: datetime.date = Field(..., description="有效期届满日")
    review_interval_years: int | None = Field(None, description="复审周期（年，特种作业操作证）")
    latest_extension_application: datetime.date | None = Field(
        None, description="申请延期的最迟日期（有效期届满30日前，安全合格证）")
    citations: list[CitationOut]
    notes: list[str] = Field(default_factory=list, description="计算口径与待核实事项")


@router.post(
    "/certificate-dates",
    response={200: DatesOut, **ERRORS},
    exclude_none=True,
    summary="证书复审与有效期计算",
    description=(
        "按《特种作业人员安全技术培训考核管理规定》第十九、二十一、二十二条和《安全生产培训管理办法》"
        "第二十五条计算：特种作业操作证返回 review_due、review_application_opens、expires、"
        "review_interval_years；安全合格证返回 expires、latest_extension_application。"
        "只返回适用的字段，每项结论附条款引用。输入有误返回 422（中文说明）。"),
)
def certificate_dates(request: HttpRequest, payload: DatesIn) -> Any:
    if not EARLIEST <= payload.issued <= LATEST:
        raise HttpError(422, f"输入有误。发证日期应在{EARLIEST.isoformat()}至"
                             f"{LATEST.isoformat()}之间")
    try:
        dates = rules.certificate_dates(
            payload.kind, payload.issued,
            continuous_years_in_trade=payload.continuous_years_in_trade,
            compliant=payload.compliant, extension_approved=payload.extension_approved)
    except rules.CertificateRuleError as exc:
        raise HttpError(422, f"输入有误。{exc}") from None
    return dates.as_dict()


# --- certificates ---------------------------------------------------------------------------

class ReviewOut(Schema):
    kind: str
    kind_label: str
    reviewed_on: datetime.date
    passed: bool
    review_due_after: datetime.date | None
    expires_after: datetime.date


class CertificateOut(Schema):
    id: int
    kind: str = Field(..., description="special_operation / principal / safety_manager")
    kind_label: str
    number: str = Field(..., description="证书编号（含身份证号的按角色脱敏）")
    category: str = Field("", description="作业类别代码（特种作业）")
    category_label: str = ""
    operation: str = Field(..., description="操作项目（特种作业）或行业类别（安全合格证）")
    holder_name: str
    id_number: str = Field(..., description="身份证号（按角色脱敏）")
    employer_name: str
    enterprise: int | None
    jurisdiction: str = Field(..., description="属地区划代码")
    agency_name: str = Field(..., description="考核发证机关")
    issued_on: datetime.date
    review_due: datetime.date | None
    expires_on: datetime.date
    review_interval_years: int | None
    status: str = Field(..., description="今日状态：valid 有效 / expired 已过期 / revoked 已撤销")
    status_label: str
    status_reason: str


class CertificateDetailOut(CertificateOut):
    revoked_on: datetime.date | None
    revocation_ground: str
    revocation_reason: str
    reviews: list[ReviewOut]
    qr_payload: str = Field(..., description="二维码内容（带 Ed25519 签名，可离线核验）")


def _out(cert: Certificate, user: Any, today: datetime.date) -> dict[str, Any]:
    status = cert.status_on(today)
    whole = shown_id_number(user, cert.holder.id_number) == cert.holder.id_number
    return {
        "id": cert.pk, "kind": cert.kind, "kind_label": cert.get_kind_display(),
        "number": cert.number if whole else mask_certificate_number(cert.number),
        "category": cert.category, "category_label": cert.category_label,
        "operation": cert.operation, "holder_name": cert.holder_name,
        "id_number": shown_id_number(user, cert.holder.id_number),
        "employer_name": cert.employer_name, "enterprise": cert.enterprise_id,
        "jurisdiction": cert.jurisdiction.code, "agency_name": cert.agency.name,
        "issued_on": cert.issued_on, "review_due": cert.review_due,
        "expires_on": cert.expires_on, "review_interval_years": cert.review_interval_years,
        "status": status.code, "status_label": status.label, "status_reason": status.reason,
    }


class ListFilters(Schema):
    kind: Literal["special_operation", "principal", "safety_manager", "managers"] | None = Field(
        None, title="证书类别", description="managers：主要负责人和安全生产管理人员合格证")
    status: Literal["valid", "expired", "revoked"] | None = Field(None, title="状态")
    year: int | None = Field(None, ge=1990, le=2100, title="发证年度")
    issued_from: datetime.date | None = Field(None, title="发证日期起")
    issued_to: datetime.date | None = Field(None, title="发证日期止")
    jurisdiction: str | None = Field(None, pattern=r"^\d{6,12}$", title="属地区划代码")
    category: str | None = Field(None, max_length=30, pattern=NO_NUL, title="作业类别")
    q: str | None = Field(None, max_length=50, pattern=NO_NUL, title="关键词",
                          description="证书编号、姓名或用人单位")


@router.get("/certificates", response={200: list[CertificateOut], **ERRORS},
            summary="资格证书列表",
            description="当前用户辖区内的证书（企业用户：本单位人员的证书），按发证日期倒序。")
@paginate(Paginated)
def certificate_list(request: HttpRequest, filters: Query[ListFilters]) -> list[dict[str, Any]]:
    qs = sel.certificate_list(user=request.auth, **filters.dict()).order_by("-issued_on", "-id")
    return _LazyOut(qs, request.auth)  # type: ignore[return-value]


class _LazyOut:
    """A queryset seen through `_out`, sliced by the paginator before rendering."""

    def __init__(self, qs: QuerySet[Certificate], user: Any) -> None:
        self.qs, self.user, self.today = qs, user, timezone.localdate()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [_out(c, self.user, self.today) for c in self.qs[item]]

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()


class ReminderFilters(Schema):
    what: Literal["due", "expired"] = Field("due", title="提醒类型",
                                            description="due：N 日内应复审或届满；expired：已过期")
    within_days: int = Field(60, ge=1, le=366, title="天数")


@router.get("/certificates/reminders", response={200: list[CertificateOut], **ERRORS},
            summary="复审与到期提醒",
            description="N 日内应复审（含延期复审）或有效期届满的有效证书，"
                        "或已过期（含未按期复审失效）的证书。")
@paginate(Paginated)
def certificate_reminders(request: HttpRequest, filters: Query[ReminderFilters]) -> Any:
    if filters.what == "expired":
        qs = sel.certificates_expired(user=request.auth)
    else:
        qs = sel.certificates_due(user=request.auth, within_days=filters.within_days)
    return _LazyOut(qs, request.auth)


class FakeOut(Schema):
    number: str
    reason: str
    reason_label: str
    name_masked: str
    lookups: int
    first_at: datetime.datetime
    last_at: datetime.datetime

    @staticmethod
    def resolve_reason_label(obj: SuspectedFake) -> str:
        return obj.get_reason_display()


@router.get("/certificates/suspected-fakes", response={200: list[FakeOut], **ERRORS},
            summary="疑似假证查询记录",
            description="公众核验时被多次查询但查无此证（或证号与姓名不符）的证号，供执法人员排查。")
@paginate(Paginated)
def suspected_fakes(request: HttpRequest) -> QuerySet[SuspectedFake]:
    return sel.suspected_fakes(user=request.auth)


@router.get("/certificates/{int:pk}", response={200: CertificateDetailOut, 404: ErrorOut,
                                                 **ERRORS},
            summary="资格证书详情",
            description=("当前用户辖区内（企业用户：本单位人员）的证书详情，含复审记录、"
                         "撤销信息和带签名的二维码内容；身份证号按角色脱敏。"
                         "不存在或不在范围内返回 404。"))
def certificate_detail(request: HttpRequest, pk: int) -> Any:
    cert = sel.certificate_get(user=request.auth, pk=pk)
    if cert is None:
        raise HttpError(404, NOT_FOUND)
    out = _out(cert, request.auth, timezone.localdate())
    out.update({
        "revoked_on": cert.revoked_on, "revocation_ground": cert.revocation_ground,
        "revocation_reason": cert.revocation_reason,
        "reviews": [{"kind": r.kind, "kind_label": r.get_kind_display(),
                     "reviewed_on": r.reviewed_on, "passed": r.passed,
                     "review_due_after": r.review_due_after, "expires_after": r.expires_after}
                    for r in cert.reviews.all()],
        "qr_payload": signing.certificate_payload(cert),
    })
    return out


# --- public verification -----------------------------------------------------------------------

class VerifyIn(Schema):
    number: str = Field(..., min_length=1, max_length=40, pattern=NO_NUL, title="证书编号")
    name: str = Field(..., min_length=1, max_length=50, pattern=NO_NUL, title="持证人姓名")


class VerifiedOut(Schema):
    number: str = Field(..., description="证书编号（含身份证号的已脱敏）")
    kind: str
    kind_label: str
    operation: str
    holder_name: str = Field(..., description="姓名（脱敏）")
    id_number: str = Field(..., description="身份证号（脱敏）")
    agency: str
    issued_on: datetime.date
    review_due: datetime.date | None
    expires_on: datetime.date
    status: str
    status_label: str
    status_reason: str


class VerifyOut(Schema):
    status: Literal["valid", "expired", "revoked", "not_found"] = Field(
        ..., description="valid 有效 / expired 已过期 / revoked 已撤销 / not_found 未查到")
    status_label: str
    certificates: list[VerifiedOut]


def _verify(request: HttpRequest, number: str, name: str) -> Any:
    try:
        return public_verify(number=number, name=name, client=client_address(request)
                             ).as_dict()
    except RateLimited as exc:
        raise HttpError(429, str(exc)) from None
    except DjangoValidationError as exc:
        raise HttpError(422, "输入有误。" + "；".join(exc.messages)) from None


_VERIFY_DOC = ("公开接口，无需令牌。输入证书编号和持证人姓名，返回证书状态"
               "（有效、已过期、已撤销、未查到），持证人信息脱敏。"
               "同一网络地址查询过于频繁返回 429。")


@router.get("/verify", auth=None, response={200: VerifyOut, 422: ErrorOut, 429: ErrorOut},
            tags=["证书公开核验"], summary="证书真伪核验（公开）", description=_VERIFY_DOC)
def verify_get(request: HttpRequest, query: Query[VerifyIn]) -> Any:
    return _verify(request, query.number, query.name)


@router.post("/verify", auth=None, response={200: VerifyOut, 422: ErrorOut, 429: ErrorOut},
             tags=["证书公开核验"], summary="证书真伪核验（公开）", description=_VERIFY_DOC)
def verify_post(request: HttpRequest, payload: VerifyIn) -> Any:
    return _verify(request, payload.number, payload.name)


class PublicKeyOut(Schema):
    algorithm: str
    key_id: str = Field(..., description="密钥标识（二维码第二段）")
    pem: str = Field(..., description="公钥（PEM，SubjectPublicKeyInfo）")
    raw_base64: str = Field(..., description="公钥原始 32 字节的 base64")
    payload_format: str


@router.get("/verify/public-key", auth=None, response={200: PublicKeyOut},
            tags=["证书公开核验"], summary="证书二维码签名公钥（公开）",
            description="用于离线核验证书二维码的 Ed25519 公钥。")
def verify_public_key(request: HttpRequest) -> Any:
    return {"algorithm": "Ed25519", "key_id": signing.current_key_id(),
            "pem": signing.public_key_pem(), "raw_base64": signing.public_key_raw_b64(),
            "payload_format": "FZC1|密钥标识|类别(S/P/M)|证号|操作项目|姓名|身份证号(脱敏)|"
                              "发证日期YYYYMMDD|有效期至YYYYMMDD|签名(base64url)"}
