"""The JSON API at /api/v1/ (django-ninja); OpenAPI at /api/v1/openapi.json, Swagger UI
at /api/v1/docs.

Every error answers JSON {"detail": "<中文说明>"}: bad input is a 4xx naming the field
in Chinese, never a 500; unknown paths under /api/v1/ answer 404 in JSON too.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Sequence
from typing import Any

import pydantic
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError, ValidationErrorContext
from ninja.openapi.docs import Swagger

from fazhi.accidents.api import router as accidents_router
from fazhi.capacity.api import router as capacity_router
from fazhi.cases.api import router as cases_router
from fazhi.core.api import NOT_FOUND, ApiTokenAuth
from fazhi.core.api import router as core_router
from fazhi.inspection.api import router as inspection_router
from fazhi.legal.api import router as legal_router
from fazhi.licensing.api import router as licensing_router
from fazhi.oversight.api import router as oversight_router
from fazhi.policy.api import router as policy_router
from fazhi.subjects.api import router as subjects_router
from fazhi.tasks.api import router as tasks_router

logger = logging.getLogger("fazhi.api")

# Chinese for ninja's and Django's own (English) error messages, by status.
STATUS_DETAIL: dict[int, str] = {
    400: "请求格式错误：请求体须为有效的 JSON。",
    401: "未登录或访问令牌无效、已过期，请先获取访问令牌。",
    403: "无权执行此操作。",
    404: NOT_FOUND,
    405: "不支持该请求方法。",
    429: "请求过于频繁，请稍后再试。",
}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- validation errors in Chinese -------------------------------------------------


def _error_message(error: dict[str, Any]) -> str:
    """A Chinese sentence for one pydantic error (without the field name)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    expected = str(ctx.get("expected", "")).replace(" or ", "、").replace(", ", "、")
    messages = {
        "missing": "为必填项",
        "int_parsing": "须为整数",
        "int_type": "须为整数",
        "int_from_float": "须为整数",
        "float_parsing": "须为数字",
        "bool_parsing": "须为 true 或 false",
        "string_type": "须为文本",
        "string_too_short": f"至少 {ctx.get('min_length')} 个字符",
        "string_too_long": f"最多 {ctx.get('max_length')} 个字符",
        "string_pattern_mismatch": "格式不正确",
        "greater_than_equal": f"不得小于 {ctx.get('ge')}",
        "greater_than": f"须大于 {ctx.get('gt')}",
        "less_than_equal": f"不得大于 {ctx.get('le')}",
        "less_than": f"须小于 {ctx.get('lt')}",
        "enum": f"取值无效，可选值：{expected}",
        "literal_error": f"取值无效，可选值：{expected}",
        "json_invalid": "不是有效的 JSON",
        "model_type": "须为 JSON 对象",
        "model_attributes_type": "须为 JSON 对象",
        "dict_type": "须为 JSON 对象",
        "list_type": "须为列表",
        "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
        "date_parsing": "须为日期（YYYY-MM-DD）",
        "datetime_parsing": "须为日期时间（ISO 8601）",
        "decimal_parsing": "须为数字",
    }
    return messages.get(kind, "取值无效")


def _field_title(model: type[pydantic.BaseModel], loc: Sequence[Any]) -> str | None:
    """The `title` of the field at `loc` inside `model` (walking nested schemas)."""
    title: str | None = None
    current: Any = model
    for part in loc:
        fields = getattr(current, "model_fields", None)
        if not isinstance(part, str) or not fields or part not in fields:
            break
        field = fields[part]
        title = field.title or title
        current = field.annotation
        # Unwrap `X | None` to reach a nested schema.
        for arg in getattr(current, "__args__", ()):
            if isinstance(arg, type) and issubclass(arg, pydantic.BaseModel):
                current = arg
    return title


def _is_whole_body(model: type[pydantic.BaseModel], loc: Sequence[Any]) -> bool:
    """True when `loc` names a whole JSON body parameter (e.g. the body is missing)."""
    if len(loc) != 1 or loc[0] not in model.model_fields:
        return False
    annotation = model.model_fields[loc[0]].annotation
    return isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)


class FazhiAPI(NinjaAPI):
    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext]
    ) -> ValidationError:
        """Ninja's errors, each with the field's Chinese title ("label") and message."""
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            for raw in context.pydantic_validation_error.errors(include_url=False):
                own_loc = raw["loc"]
                flat = model.__ninja_flatten_map_reverse__.get(own_loc, own_loc)
                loc = (model.__ninja_param_source__, *flat)
                names = [p for p in loc[1:] if isinstance(p, str)]
                source = loc[0]
                fallback = names[-1] if names else ("请求体" if source == "body" else source)
                if source == "body" and _is_whole_body(model, own_loc):
                    label = "请求体"
                else:
                    label = _field_title(model, own_loc) or fallback
                errors.append({
                    "loc": list(loc),
                    "field": names[-1] if names else None,
                    "label": label,
                    "message": _error_message(raw),
                    "type": raw.get("type"),
                })
        return ValidationError(errors)

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = [_with_json_405(pattern) for pattern in super()._get_urls()]
        for pattern in urls:
            # Ninja's root view raises an HTML 404 (it exists only to be reversed).
            if isinstance(pattern, URLPattern) and pattern.name == "api-root":
                pattern.callback = _not_found
        # Anything else under /api/v1/ is a JSON 404, not the HTML page.
        urls.append(re_path(r"^.*$", _not_found, name="not-found"))
        return urls


def _with_json_405(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    """Ninja answers a wrong method with a plain-text 405: make it JSON."""
    if not isinstance(pattern, URLPattern):
        return pattern
    view = pattern.callback

    @functools.wraps(view)  # keeps csrf_exempt and the ninja markers
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            json_response = _json_error(405, STATUS_DETAIL[405])
            if "Allow" in response:
                json_response["Allow"] = response["Allow"]
            return json_response
        return response

    pattern.callback = wrapped
    return pattern


def _json_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    return _json_error(404, NOT_FOUND)


_not_found.csrf_exempt = True  # type: ignore[attr-defined]


class LocalSwagger(Swagger):
    """Swagger UI from django-ninja's bundled static files.

    Stock ninja falls back to a CDN page when "ninja" is not in INSTALLED_APPS;
    bureaus run on intranets, so this never does: the page is always the local one
    (which needs "ninja" in INSTALLED_APPS for its template and static files)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        if "ninja" not in settings.INSTALLED_APPS:
            raise ImproperlyConfigured(
                '"ninja" must be in INSTALLED_APPS so /api/v1/docs serves Swagger UI '
                "from local static files, not from a CDN."
            )
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": False,  # bearer tokens, no cookies: nothing to protect from CSRF
        }
        return render(request, self.template, context)


api = FazhiAPI(
    title="Fazhi 法治 API",
    version="1",
    description=(
        "应急管理行政执法平台接口。先以 `POST /api/v1/auth/token` 获取访问令牌，"
        "其余接口均需在请求头中携带 `Authorization: Bearer <token>`。"
        "列表接口按页返回（`page`、`page_size`，每页默认 20 条、最多 100 条），"
        "数据范围与页面一致：只含当前用户辖区内的记录。"
        "出错时返回 JSON `{\"detail\": \"中文说明\"}`。"
    ),
    urls_namespace="api",
    auth=ApiTokenAuth(),
    docs=LocalSwagger(),
)
api.add_router("", core_router)
api.add_router("/enterprises", subjects_router)
api.add_router("/legal", legal_router)
api.add_router("/cases", cases_router)
api.add_router("/inspection", inspection_router)
api.add_router("/accidents", accidents_router)
api.add_router("/licensing", licensing_router)
api.add_router("/policy", policy_router)
api.add_router("/capacity", capacity_router)
api.add_router("/tasks", tasks_router)
api.add_router("/oversight", oversight_router)


# --- exception handlers -----------------------------------------------------------


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = "；".join(f"{e['label']}：{e['message']}" for e in exc.errors)
    errors = [{k: e[k] for k in ("field", "label", "message")} for e in exc.errors]
    return api.create_response(
        request, {"detail": f"输入有误。{detail}", "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": STATUS_DETAIL[401]}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if not _has_chinese(message):
        message = STATUS_DETAIL.get(exc.status_code, "请求无法处理。")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(Http404)
def _http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(MultiPartParserError)
def _malformed_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # e.g. multipart/form-data without a boundary: the client's mistake, not ours.
    return api.create_response(request, {"detail": "请求体格式有误，请以 JSON 提交。"},
                               status=400)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug, not bad input: log it with the traceback and still answer in JSON.
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(
        request, {"detail": "服务器内部错误，请稍后再试或联系管理员。"}, status=500
    )

