"""The public portal (/public/, no login, 简体中文, phone-friendly): enforcement publicity
before (事前: enforcement items, procedures, officers with valid certificates, inspection
plans and published random draws) and after (事后: penalty decisions in their publicity
period, masked), permits, normative documents and cleanup lists, news posts by column,
search, social supervisors, the tip form and tip tracking, the disclosure guide, and a
link to certificate verification (/licensing/verify/).

Read pages are the same for everyone, so they are cached whole for a short time
(`core.pagecache.cache_public_page`, PAGE_SECONDS; a take-down empties the cache at once
through `pages_changed(PUBLIC_PAGES)`) and never touch the session or the CSRF token (which would
make them per-user). The tip form and tracking are never cached: the form carries a CSRF
token and the answers belong to one tipster."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.models import Jurisdiction
from fazhi.core.pagecache import PUBLIC_PAGES, cache_public_page
from fazhi.core.ratelimit import allow, client_address
from fazhi.inspection.forms import add_service_errors
from fazhi.legal.selectors import item_list
from fazhi.licensing.selectors_permits import public_permits
from fazhi.oversight import ratelimit, selectors, services
from fazhi.oversight.crypto import Identity
from fazhi.oversight.forms import TipForm, TrackForm
from fazhi.oversight.models import PostColumn, Tip
from fazhi.policy.selectors_normdocs import (
    public_cleanup_results,
    public_normative_document,
    public_normative_documents,
)

logger = logging.getLogger("fazhi.oversight")
PAGE_SECONDS = 60
PER_PAGE = 20


def _page(request: HttpRequest, items: Any) -> Any:
    number = request.GET.get("page") or 1
    return Paginator(items, PER_PAGE).get_page(number)



def _render(request: HttpRequest, template: str, context: dict | None = None,
            status: int = 200) -> HttpResponse:
    context = {"columns": PostColumn.choices, **(context or {})}
    return render(request, f"public/{template}", context, status=status)


cached = cache_public_page(PAGE_SECONDS, PUBLIC_PAGES)


@require_GET
@cached
def index(request: HttpRequest) -> HttpResponse:
    latest = {value: list(selectors.public_posts(column=value)[:5])
              for value, _label in PostColumn.choices}
    return _render(request, "index.html", {
        "latest": [(value, label, latest[value]) for value, label in PostColumn.choices],
        "decisions": selectors.public_decisions()[:5],
    })


@require_GET
@cached
def post_list(request: HttpRequest) -> HttpResponse:
    column = request.GET.get("column") or ""
    if column not in PostColumn.values:
        column = ""
    page = _page(request, selectors.public_posts(column=column or None))
    return _render(request, "post_list.html", {"page": page, "column": column,
                                               "column_label": dict(PostColumn.choices).get(
                                                   column, "")})


@require_GET
@cached
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.public_post_get(pk)
    if post is None:
        raise Http404("未找到该信息")
    return _render(request, "post_detail.html", {"post": post})


@require_GET
@cached
def search(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:50]
    posts = decisions = None
    if q:
        posts = selectors.public_posts(q=q)[:20]
        decisions = selectors.public_decisions(q=q)[:20]
    return _render(request, "search.html", {"q": q, "posts": posts, "decisions": decisions})


@require_GET
@cached
def decision_list(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:50]
    area = request.GET.get("area") or ""
    jurisdiction = Jurisdiction.objects.filter(code=area).first() if area else None
    page = _page(request, selectors.public_decisions(q=q, jurisdiction=jurisdiction))
    areas = Jurisdiction.objects.filter(level__in=["city", "county", "zone"]).order_by("code")
    return _render(request, "decision_list.html", {"page": page, "q": q, "area": area,
                                                   "areas": areas})


@require_GET
@cached
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = selectors.public_decision_get(pk)
    if publicity is None:
        raise Http404("未找到该公示信息，或公示期已满、已撤下")
    return _render(request, "decision_detail.html", {"publicity": publicity})


@require_GET
@cached
def before(request: HttpRequest) -> HttpResponse:
    """事前公开: procedures, plans, published draws, the counts of items and officers."""
    return _render(request, "before.html", {
        "plans": selectors.public_plans()[:30],
        "draws": selectors.public_draws()[:20],
    })


@require_GET
@cached
def items(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:50]
    page = _page(request, item_list(q=q, on=timezone.localdate()))
    return _render(request, "items.html", {"page": page, "q": q})


@require_GET
@cached
def officers(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.public_officers())
    return _render(request, "officers.html", {"page": page})


@require_GET
@cached
def permits(request: HttpRequest) -> HttpResponse:
    return _render(request, "permits.html", {"page": _page(request, public_permits())})


@require_GET
@cached
def normdoc_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "normdoc_list.html", {
        "page": _page(request, public_normative_documents()),
        "campaigns": public_cleanup_results()[:10]})


@require_GET
@cached
def normdoc_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = public_normative_document(pk)
    if doc is None:
        raise Http404("未找到该规范性文件")
    return _render(request, "normdoc_detail.html", {"doc": doc})


@require_GET
@cached
def supervisors(request: HttpRequest) -> HttpResponse:
    return _render(request, "supervisors.html",
                   {"supervisors": selectors.public_supervisors()})


@require_GET
@cached
def disclosure_guide(request: HttpRequest) -> HttpResponse:
    return _render(request, "disclosure.html")


# --- tips: never cached ------------------------------------------------------------------

def _busy(request: HttpRequest, message: str) -> HttpResponse:
    response = _render(request, "busy.html", {"message": message}, status=429)
    response["Retry-After"] = "600"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def tip_new(request: HttpRequest) -> HttpResponse:
    """举报 from the portal: size limit, honeypot, rate limits per address and in total;
    the tracking code and secret are shown once, on the answer to the POST."""
    if request.method == "GET":
        return _render(request, "tip_form.html", {"form": TipForm()})
    if ratelimit.body_too_large(request):
        return _render(request, "busy.html", {"message": "提交的内容过长，请精简后重新提交"},
                       status=413)
    address = client_address(request)
    if not allow("tips:all", *ratelimit.TIP_TOTAL):
        return _busy(request, "当前提交人数较多，请稍后再试，或拨打12350举报电话")
    if not allow(f"tips:{address}", *ratelimit.TIP_PER_ADDRESS):
        return _busy(request, "提交过于频繁，请稍后再试，或拨打12350举报电话")
    form = TipForm(request.POST)
    if form.is_valid() and form.cleaned_data["website"]:
        logger.info("portal tip dropped by the honeypot")
        return _render(request, "tip_thanks.html", {"tip": None})
    if form.is_valid():
        data = form.cleaned_data
        jurisdiction = Jurisdiction.objects.filter(code=data["area"]).first()
        try:
            if jurisdiction is None:
                raise ValidationError({"area": "请选择所在地区"})
            tip, secret = services.tip_submit(
                actor=None, kind=data["kind"], channel=Tip.Channel.PORTAL,
                subject_name=data["subject_name"], content=data["content"],
                jurisdiction=jurisdiction, place=data["place"], anonymous=data["anonymous"],
                identity=Identity(name=data["name"], phone=data["phone"],
                                  id_number=data["id_number"], contact=data["contact"]))
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return _render(request, "tip_thanks.html", {"tip": tip, "secret": secret})
    return _render(request, "tip_form.html", {"form": form}, status=422)


@never_cache
@require_http_methods(["GET", "POST"])
def tip_track(request: HttpRequest) -> HttpResponse:
    """进度查询 with the tracking code and secret (POST, so they stay out of URLs and logs)."""
    if request.method == "GET":
        return _render(request, "tip_track.html", {"form": TrackForm()})
    if not allow(f"track:{client_address(request)}",
                           *ratelimit.TRACK_PER_ADDRESS):
        return _busy(request, "查询过于频繁，请稍后再试")
    form = TrackForm(request.POST)
    tip = None
    if form.is_valid():
        found = selectors.tip_by_code(form.cleaned_data["code"])
        if found is not None and services.tip_secret_matches(found, form.cleaned_data["secret"]):
            tip = found
        else:
            form.add_error(None, "查询码或查询密码不正确")
    return _render(request, "tip_track.html", {"form": form, "tip": tip},
                   status=200 if tip or not form.is_bound else 422)
