"""The core pages through the HTTP client: login, lockout, logout, the role home pages,
the error pages."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path, reverse
from django.utils import timezone
from django.views import defaults

from fazhi.core.home import CERTIFICATE_WARNING_DAYS
from fazhi.core.models import CalendarYear, EnforcementCertificate, Role
from fazhi.core.tests.factories import TEST_PASSWORD
from fazhi.subjects.models import ChemicalPark, SupervisionCategory

LOGIN = "/login/"


def _login(client: Client, username: str, password: str = TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _page(client: Client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _enterprise_count(html: str) -> int:
    match = re.search(r'data-testid="enterprise-count">(\d+)<', html)
    assert match, "enterprise count missing"
    return int(match.group(1))


def _certificate(user, *, valid_to: datetime.date, number: str, **kw) -> EnforcementCertificate:
    return EnforcementCertificate.objects.create(
        holder=user, number=number, valid_from=valid_to - datetime.timedelta(days=5 * 365),
        valid_to=valid_to, **kw,
    )


def _stub(request, pk: int | None = None) -> HttpResponse:
    return HttpResponse("stub")


# Pages other apps are building, stubbed so the links to them can be tested now.
urlpatterns = [
    path("enterprises/", include(([
        path("", _stub, name="enterprise_list"),
        path("<int:pk>/", _stub, name="enterprise_detail"),
    ], "subjects"))),
    path("admin/", admin.site.urls),
    path("", include("fazhi.core.urls")),
]


# --- login, lockout, logout ---------------------------------------------------------


def test_login_page_is_chinese_with_a_csrf_token(client, db):
    html = _page(client, LOGIN)
    assert '<html lang="zh-hans">' in html
    assert "用户名" in html and "密码" in html and "登录" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_good_login_goes_home_and_the_session_cookie_stays_strict(client, users):
    response = _login(client, users["officer"].username)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]  # ends with the browser
    assert client.get("/").status_code == 200


def test_bad_login_shows_the_chinese_error_and_logs_nobody_in(client, users):
    response = _login(client, users["officer"].username, "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client, db):
    response = _login(client, "nobody", "whatever")
    assert "用户名或密码错误" in response.content.decode()


def test_inactive_user_cannot_log_in(client, make_user):
    user = make_user(Role.OFFICER, is_active=False)
    _login(client, user.username)
    assert "_auth_user_id" not in client.session


def test_login_does_not_redirect_to_another_host(client, users):
    response = _login(client, users["officer"].username, next="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_follows_a_local_next(client, users):
    response = _login(client, users["officer"].username, next="/admin/")
    assert response["Location"] == "/admin/"


def test_logged_in_user_visiting_login_goes_home(client, users):
    client.force_login(users["leader"])
    assert client.get(LOGIN)["Location"] == reverse("home")


def test_lockout_after_the_failure_limit_refuses_even_the_right_password(client, users):
    username = users["officer"].username
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _login(client, username, "wrong").status_code == 200
    locked = _login(client, username, "wrong")
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    assert "30 分钟后再试" in locked.content.decode()  # AXES_COOLOFF_TIME = 0.5 h

    again = _login(client, username)  # the right password
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, users["officer"].username, "wrong")
    assert _login(client, users["leader"].username).status_code == 302


def test_logout_requires_post(client, users):
    client.force_login(users["officer"])
    assert client.get("/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_login_form_enforces_csrf(users):
    csrf_client = Client(enforce_csrf_checks=True)
    refused = csrf_client.post(
        LOGIN, {"username": users["officer"].username, "password": TEST_PASSWORD}
    )
    assert refused.status_code == 403
    assert "页面已过期" in refused.content.decode()
    assert "_auth_user_id" not in csrf_client.session

    csrf_client.get(LOGIN)
    token = csrf_client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = csrf_client.post(LOGIN, {
        "username": users["officer"].username, "password": TEST_PASSWORD,
        "csrfmiddlewaretoken": token,
    })
    assert accepted.status_code == 302


def test_logout_enforces_csrf(users):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(users["officer"])
    assert csrf_client.post("/logout/").status_code == 403
    assert "_auth_user_id" in csrf_client.session


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


# --- role home pages -----------------------------------------------------------------


# The panels each kind of home shows; every other panel must be absent.
_PANELS = {"我的执法证", "系统管理", "统一社会信用代码", "社会监督员", "辖区生产经营单位"}
_ROLE_PANELS = {
    "officer": {"我的执法证", "辖区生产经营单位"},
    "leader": {"辖区生产经营单位"},
    "reviewer": {"辖区生产经营单位"},
    "admin": {"系统管理", "辖区生产经营单位"},
    "enterprise": {"统一社会信用代码"},
    "supervisor": {"社会监督员", "辖区生产经营单位"},
}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_has_its_own_home(client, users, role):
    client.force_login(users[role])
    response = client.get("/")
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == f"core/home_{role}.html"
    html = response.content.decode()
    assert {panel for panel in _PANELS if panel in html} == _ROLE_PANELS[role]


def test_staff_home_counts_only_enterprises_in_the_users_jurisdiction(
    client, make_user, agencies, jurisdictions, make_enterprise
):
    make_enterprise(jurisdictions["nanhu"])
    make_enterprise(jurisdictions["nanhu_town"],
                    supervision_category=SupervisionCategory.INDUSTRY_TRADE)
    make_enterprise(jurisdictions["xiuzhou_town"])

    client.force_login(make_user(Role.LEADER, agency=agencies["nanhu"]))
    nanhu_html = _page(client)
    assert _enterprise_count(nanhu_html) == 2  # the 秀洲区 one is out of scope
    assert "南湖区" in nanhu_html

    client.force_login(make_user(Role.LEADER, agency=agencies["city"]))
    assert _enterprise_count(_page(client)) == 3  # the city sees both districts


def test_staff_home_chart_data_counts_by_supervision_category(
    client, make_user, jurisdictions, make_enterprise
):
    for category in [SupervisionCategory.INDUSTRY_TRADE, SupervisionCategory.HAZCHEM_USE,
                     SupervisionCategory.INDUSTRY_TRADE]:
        make_enterprise(jurisdictions["nanhu"], supervision_category=category)
    make_enterprise(jurisdictions["xiuzhou"], supervision_category=SupervisionCategory.MINING)

    client.force_login(make_user(Role.REVIEWER))
    html = _page(client)
    match = re.search(r'<script id="chart-by-category-data" type="application/json">(.*?)</script>',
                      html)
    assert match
    data = json.loads(match.group(1))
    assert dict(zip(data["labels"], data["counts"], strict=True)) == {
        str(SupervisionCategory.INDUSTRY_TRADE.label): 2,
        str(SupervisionCategory.HAZCHEM_USE.label): 1,
    }
    assert "vendor/echarts/echarts.min.js" in html


def test_staff_home_without_enterprises_loads_no_chart(client, make_user):
    client.force_login(make_user(Role.LEADER))
    html = _page(client)
    assert _enterprise_count(html) == 0
    assert "尚无登记的生产经营单位" in html
    assert "echarts" not in html


def test_staff_home_lists_parks_in_scope_with_risk_level(client, users, jurisdictions):
    ChemicalPark.objects.create(name="嘉兴南湖化工园区", jurisdiction=jurisdictions["nanhu"],
                                risk_level=ChemicalPark.RiskLevel.HIGHER)
    ChemicalPark.objects.create(name="秀洲测试化工园区", jurisdiction=jurisdictions["xiuzhou"],
                                risk_level=ChemicalPark.RiskLevel.LOWER)
    client.force_login(users["officer"])
    html = _page(client)
    assert "嘉兴南湖化工园区" in html and "风险：较高" in html
    assert "秀洲测试化工园区" not in html


def test_officer_with_expired_certificate_is_told_not_to_do_enforcement(client, users):
    today = timezone.localdate()
    officer = users["officer"]
    _certificate(officer, valid_to=today - datetime.timedelta(days=1), number="33040000001")
    client.force_login(officer)
    html = _page(client)
    assert "执法证已过期，不能承担执法工作" in html
    assert "33040000001" in html


def test_officer_with_valid_certificate_gets_no_warning(client, users, make_user):
    today = timezone.localdate()
    officer = users["officer"]
    _certificate(officer, valid_to=today - datetime.timedelta(days=400), number="33040000001")
    _certificate(officer, valid_to=today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS + 1),
                 number="33040000002")
    client.force_login(officer)
    html = _page(client)
    assert "执法证已过期，不能承担执法工作" not in html  # the renewed one counts
    assert 'data-testid="certificate-alert"' not in html
    assert "33040000002" in html


def test_officer_certificate_expiring_within_90_days_is_warned(client, users):
    today = timezone.localdate()
    valid_to = today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS)
    _certificate(users["officer"], valid_to=valid_to, number="33040000003")
    client.force_login(users["officer"])
    html = _page(client)
    assert f"还有 {CERTIFICATE_WARNING_DAYS} 天" in html
    assert f"{valid_to.year}年{valid_to.month}月{valid_to.day}日到期" in html
    assert "不能承担执法工作" not in html


def test_officer_with_revoked_or_no_certificate_is_told_so(client, users, make_user):
    client.force_login(users["officer"])
    assert "无有效执法证，不能承担执法工作" in _page(client)

    revoked = make_user(Role.OFFICER)
    _certificate(revoked, valid_to=timezone.localdate() + datetime.timedelta(days=900),
                 number="33040000004", revoked_at=timezone.now())
    client.force_login(revoked)
    html = _page(client)
    assert "无有效执法证，不能承担执法工作" in html and "已注销" in html


def test_certificate_panel_is_only_on_the_officer_home(client, users):
    client.force_login(users["leader"])
    assert "我的执法证" not in _page(client)


def test_admin_home_warns_when_next_years_holidays_are_missing(client, users):
    year = timezone.localdate().year
    CalendarYear.objects.get_or_create(year=year, defaults={"source": CalendarYear.Source.PACKAGE})
    CalendarYear.objects.filter(year=year + 1).delete()  # whatever the seed migration knows
    client.force_login(users["admin"])
    html = _page(client)
    assert f"尚未载入{year + 1}年节假日安排" in html
    assert str(year) in html
    assert "用户与执法证" in html  # the link into Django admin

    CalendarYear.objects.create(year=year + 1, source=CalendarYear.Source.ADMIN)
    assert "尚未载入" not in _page(client)


def test_enterprise_home_shows_only_its_own_enterprise(client, make_user, make_enterprise):
    own = make_enterprise(name="嘉兴本单位化工有限公司")
    other = make_enterprise(name="嘉兴别家化工有限公司")
    client.force_login(make_user(Role.ENTERPRISE, enterprise=own))
    html = _page(client)
    assert own.name in html and own.uscc in html
    assert other.name not in html
    assert "辖区生产经营单位" not in html  # no jurisdiction-wide figures for a company


@override_settings(ROOT_URLCONF=__name__)
def test_enterprise_home_links_to_its_detail_page(client, make_user, make_enterprise):
    own = make_enterprise()
    client.force_login(make_user(Role.ENTERPRISE, enterprise=own))
    html = _page(client)
    detail = reverse("subjects:enterprise_detail", kwargs={"pk": own.pk})
    assert html.count(f'href="{detail}"') == 2  # the card and the nav's 本单位


def test_supervisor_home_shows_the_supervised_jurisdiction(
    client, make_user, jurisdictions, make_enterprise
):
    make_enterprise(jurisdictions["xiuzhou_town"])
    make_enterprise(jurisdictions["nanhu"])
    supervisor = make_user(Role.SUPERVISOR, supervised_jurisdiction=jurisdictions["xiuzhou"])
    client.force_login(supervisor)
    html = _page(client)
    assert "监督辖区" in html and "秀洲区" in html
    assert _enterprise_count(html) == 1


def test_user_without_role_is_told_to_ask_the_administrator(client, db, django_user_model):
    user = django_user_model.objects.create_user(username="norole", password=TEST_PASSWORD)
    client.force_login(user)
    assert "尚未分配角色" in _page(client)


# --- navigation ----------------------------------------------------------------------


def test_nav_shows_admin_link_only_to_staff_accounts(client, users, make_user):
    client.force_login(users["officer"])
    assert "管理后台" not in _page(client)
    client.force_login(make_user(Role.ADMIN, is_staff=True))
    assert "管理后台" in _page(client)


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("role,sees", [
    ("officer", True), ("leader", True), ("reviewer", True), ("admin", True),
    ("supervisor", True), ("enterprise", False),
])
def test_nav_shows_the_enterprise_register_to_the_roles_that_read_it(client, users, role, sees):
    client.force_login(users[role])
    html = _page(client)
    assert (f'href="{reverse("subjects:enterprise_list")}"' in html) is sees


def test_nav_has_a_post_logout_form_with_csrf(client, users):
    client.force_login(users["reviewer"])
    html = _page(client)
    form = re.search(r'<form method="post" action="/logout/".*?</form>', html, re.S)
    assert form and "csrfmiddlewaretoken" in form.group(0)


# --- error pages ---------------------------------------------------------------------


def test_404_page_is_chinese(client, users):
    client.force_login(users["officer"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_403_and_500_pages_are_chinese(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    forbidden = defaults.permission_denied(request, PermissionError())
    assert forbidden.status_code == 403 and "无权访问" in forbidden.content.decode()
    error = defaults.server_error(request)
    assert error.status_code == 500 and "系统出现错误" in error.content.decode()


def test_home_query_count_does_not_grow_with_the_records(
    client, users, jurisdictions, make_enterprise, django_assert_max_num_queries
):
    for n in range(3):
        ChemicalPark.objects.create(name=f"园区{n}", jurisdiction=jurisdictions["nanhu"],
                                    risk_level=ChemicalPark.RiskLevel.GENERAL)
    for category in SupervisionCategory.values:
        make_enterprise(supervision_category=category)
    _certificate(users["officer"], valid_to=timezone.localdate(), number="33040000009")
    client.force_login(users["officer"])
    # constant: no query per row (the 10th: the overdue tasks of the officer's units;
    # the 11th: the overdue permit applications of the area)
    with django_assert_max_num_queries(11):
        _page(client)


def test_every_page_names_its_icon_and_favicon_ico_leads_to_it(client, db):
    login = client.get("/login/")
    assert 'rel="icon"' in login.content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("fazhi/favicon.svg")
