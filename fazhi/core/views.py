"""Core pages: login and logout, the role home pages, and the health check."""

from __future__ import annotations

import logging

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from fazhi.core.home import home_context
from fazhi.core.jobs import job_get, job_progress
from fazhi.core.models import Role

logger = logging.getLogger(__name__)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Pages name their icon in base.html; browsers and tools ask for /favicon.ico anyway."""
    return redirect(static("fazhi/favicon.svg"), permanent=True)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # Logged for operators; the answer names no internals to an anonymous caller.
        logger.exception("health check: database unavailable")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class LoginForm(AuthenticationForm):
    """Django's login form with Chinese labels and messages."""

    username = forms.CharField(
        label=_("用户名"), max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username",
                                      "class": "form-control"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                          "class": "form-control"}),
    )

    error_messages = {
        # Never say which of the two was wrong: that would tell an attacker which
        # usernames exist.
        "invalid_login": _("用户名或密码错误，请重新输入（区分大小写）。"),
        "inactive": _("该账号已停用，请联系管理员。"),
    }


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET with 405), so a link or image cannot log a user out."""

    http_method_names = ["post", "options"]


# Each role has its own home template; the view only picks it.
HOME_TEMPLATES: dict[str, str] = {role.value: f"core/home_{role.value}.html" for role in Role}


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    template = HOME_TEMPLATES.get(user.role, "core/home_none.html")
    return render(request, template, home_context(user))


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    """A background job's page: its progress bar, then its result (后台任务)."""
    job = job_get(user=request.user, job_id=job_id)
    if job is None:
        raise Http404
    template = "core/partials/job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job, "progress": job_progress(job)})
