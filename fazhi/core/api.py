"""Core API: bearer-token authentication and jurisdictions (行政区划).

Also the pieces every app's router shares: `ApiTokenAuth` (the API's default auth),
`Paginated` (page-number pagination) and `ErrorOut` (every error body).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer

from fazhi.core.jobs import job_get, job_progress
from fazhi.core.models import ApiToken, Jurisdiction, User
from fazhi.core.selectors import jurisdiction_get, jurisdiction_list
from fazhi.core.services.tokens import token_authenticate, token_hash, token_issue, token_revoke

router = Router(tags=["core"])

NOT_FOUND = "未找到"


# --- shared by every router -------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(..., description="错误说明（中文）")


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
"""Error responses every authenticated operation can give, for the OpenAPI document."""

# PostgreSQL refuses NUL in text: such input must be a 422, not a database error.
NO_NUL = r"^[^\x00]*$"


@contextmanager
def service_refusals() -> Iterator[None]:
    """A service's Chinese refusal as the API's error: ValidationError → 422,
    PermissionDenied → 403 (the services save nothing when they refuse)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise HttpError(422, "；".join(str(m) for m in exc.messages) or "输入有误。") from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "无权执行此操作。") from None


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, the token from `POST /api/v1/auth/token`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is None:
            return None
        # Code shared with the pages reads request.user; the hash lets
        # `DELETE /auth/token` find the token this request came with.
        request.user = user
        request.api_token_hash = token_hash(token)  # type: ignore[attr-defined]
        return user


class Paginated(PageNumberPagination):
    """?page=&page_size= (default 20, at most 100; a larger size is capped to 100).
    Answers {"items", "count", "page", "page_size"}."""

    max_page_size = 100

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000, title="页码", description="页码，从 1 开始")
        page_size: int = Field(20, ge=1, title="每页条数",
                               description="每页条数，默认 20，最多 100")

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="符合条件的总条数")
        page: int = Field(..., description="当前页码")
        page_size: int = Field(..., description="实际每页条数")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=20, max_page_size=self.max_page_size, **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = min(pagination.page_size, self.max_page_size)
        offset = (pagination.page - 1) * size
        return {
            "items": list(queryset[offset:offset + size]),
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": size,
        }


# --- authentication ---------------------------------------------------------------


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150, pattern=NO_NUL, title="用户名")
    # Bounded so a megabyte "password" cannot make the hasher burn CPU.
    password: str = Field(..., min_length=1, max_length=1024, pattern=NO_NUL, title="密码")


class UserOut(Schema):
    username: str
    role: str = Field(..., description="角色：officer / leader / reviewer / admin / "
                                       "enterprise / supervisor")
    role_label: str = Field(..., description="角色名称")
    full_name: str
    jurisdiction: str | None = Field(None, description="可见辖区的区划代码；企业用户为 null")
    enterprise: int | None = Field(None, description="企业用户所属企业的编号，其他角色为 null")


class TokenOut(Schema):
    token: str = Field(..., description="访问令牌，仅此一次返回；请求时放在 "
                                        "`Authorization: Bearer <token>` 中")
    expires_at: datetime = Field(..., description="过期时间（北京时间）")
    user: UserOut


def _user_out(user: User) -> dict[str, Any]:
    jurisdiction = user.jurisdiction
    return {
        "username": user.username,
        "role": user.role,
        "role_label": user.get_role_display(),
        "full_name": user.full_name,
        "jurisdiction": jurisdiction.code if jurisdiction else None,
        "enterprise": user.enterprise_id,
    }


def _lockout_response(request: HttpRequest) -> JsonResponse:
    # AxesMiddleware swaps any response of a request flagged as locked out for its
    # HTML lockout page; we answer in JSON ourselves, so take the flag off.
    request.axes_locked_out = False  # type: ignore[attr-defined]
    cool_off = get_cool_off(request)
    if cool_off:
        minutes = max(1, math.ceil(cool_off.total_seconds() / 60))
        detail = (f"登录失败次数过多，该账号已被暂时锁定，"
                  f"请 {minutes} 分钟后再试，或联系管理员解锁。")
    else:
        detail = "登录失败次数过多，该账号已被锁定，请联系管理员解锁。"
    response = JsonResponse({"detail": detail}, status=429,
                            json_dumps_params={"ensure_ascii": False})
    if cool_off:
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    tags=["认证"],
    summary="获取访问令牌",
    description=(
        "以用户名和密码换取访问令牌（有效期见 `expires_at`）。用户名或密码错误返回 401；"
        "连续失败达到上限后账号被暂时锁定，返回 429。"
    ),
)
def token_create(request: HttpRequest, payload: TokenIn) -> Any:
    # Through django.contrib.auth so django-axes counts failures and refuses locked
    # accounts exactly as on the login page.
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            return _lockout_response(request)
        # Never say which of the two was wrong: that would reveal which usernames exist.
        raise HttpError(401, "用户名或密码错误（区分大小写）。")
    # A successful sign-in: axes resets the failure count, Django sets last_login.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    raw, token = token_issue(user=user)
    return {
        "token": raw,
        "expires_at": timezone.localtime(token.expires_at),
        "user": _user_out(user),
    }


@router.delete(
    "/auth/token",
    response={204: None, **ERRORS},
    tags=["认证"],
    summary="注销当前令牌",
    description="使本次请求所用的访问令牌立即失效。",
)
def token_delete(request: HttpRequest) -> Any:
    token = ApiToken.objects.filter(key_hash=request.api_token_hash).first()
    if token is not None:
        token_revoke(token=token, actor=request.auth)
    return Status(204, None)


# --- jurisdictions ----------------------------------------------------------------


class JurisdictionOut(Schema):
    code: str = Field(..., description="区划代码（GB/T 2260；镇街为 9 位统计用代码）")
    name: str
    level: str = Field(..., description="层级：province / city / county / zone / town")
    level_label: str = Field(..., description="层级名称")
    parent: str | None = Field(None, description="上级区划代码")

    @staticmethod
    def resolve_level_label(obj: Jurisdiction) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_parent(obj: Jurisdiction) -> str | None:
        return obj.parent.code if obj.parent_id else None


@router.get(
    "/jurisdictions",
    response={200: list[JurisdictionOut], **ERRORS},
    tags=["行政区划"],
    summary="行政区划列表",
    description="当前用户可见的行政区划：本辖区及其下级，按区划代码排序。企业用户只见其所在区划。",
)
@paginate(Paginated)
def jurisdictions(request: HttpRequest) -> QuerySet[Jurisdiction]:
    return jurisdiction_list(user=request.auth).select_related("parent").order_by("code")


@router.get(
    "/jurisdictions/{code}",
    response={200: JurisdictionOut, 404: ErrorOut, **ERRORS},
    tags=["行政区划"],
    summary="行政区划详情",
    description="按区划代码取一个行政区划；不存在或不在当前用户辖区内均返回 404。",
)
def jurisdiction_detail(
    request: HttpRequest,
    code: str = Path(..., max_length=12, pattern=r"^\d+$", title="区划代码"),
) -> Jurisdiction:
    jurisdiction = jurisdiction_get(user=request.auth, code=code)
    if jurisdiction is None:
        raise HttpError(404, NOT_FOUND)
    return jurisdiction


# --- background jobs ---------------------------------------------------------------


class JobOut(Schema):
    id: str
    kind: str
    label: str
    status: str = Field(
        ..., description="queued 排队中 / running 进行中 / done 已完成 / failed 失败")
    total: int
    done: int
    percent: int
    message: str
    stalled: bool = Field(..., description="长时间没有进展（服务重启而中断）")
    result: dict[str, Any]
    error: str


@router.get(
    "/jobs/{job_id}",
    response={200: JobOut, 404: ErrorOut, **ERRORS},
    tags=["后台任务"],
    summary="后台任务进度",
    description="提交者（或管理员）查看后台任务（批量导入、批量筛查等）的进度与结果。",
)
def job_detail(request: HttpRequest, job_id: str = Path(..., title="任务编号")) -> dict:
    job = job_get(user=request.auth, job_id=job_id)
    if job is None:
        raise HttpError(404, NOT_FOUND)
    progress = job_progress(job)
    return {"id": str(job.pk), "kind": job.kind, "label": job.label, "status": job.status,
            "total": progress["total"], "done": progress["done"],
            "percent": progress["percent"], "message": progress["message"],
            "stalled": progress["stalled"], "result": job.result, "error": job.error}
