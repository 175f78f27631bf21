"""API authentication over HTTP: token issue, use, expiry, revocation, bad passwords,
lockout (django-axes), and the JSON error contract of /api/v1/."""

from __future__ import annotations

import datetime
import hashlib
import re
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import OperationalError
from django.http.multipartparser import MultiPartParserError
from django.test import Client
from django.utils import timezone

from fazhi.core.models import ApiToken, Event, Role
from fazhi.core.services.events import verify_record
from fazhi.core.services.tokens import token_authenticate
from fazhi.core.tests.api_world import API_PASSWORD, build_api_world, token_client, token_for
from fazhi.core.tests.test_static_assets import external_references

TOKEN_URL = "/api/v1/auth/token"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def world(db):
    return build_api_world()


def _login(client: Client, username: str, password: str):
    return client.post(TOKEN_URL, {"username": username, "password": password},
                       content_type="application/json")


def _later(delta: datetime.timedelta):
    """Move the clock forward by `delta` for the code under test."""
    moved = timezone.now() + delta
    return mock.patch("django.utils.timezone.now", return_value=moved)


# --- issue and use ----------------------------------------------------------------


def test_token_issue_returns_the_user_and_stores_only_a_hash(world):
    user = world.users["nanhu_officer"]
    before = timezone.now()
    response = _login(Client(), user.username, API_PASSWORD)

    assert response.status_code == 200
    body = response.json()
    raw = body["token"]
    assert len(raw) >= 40
    assert body["user"] == {
        "username": "nanhu_officer", "role": "officer", "role_label": "执法人员",
        "full_name": "nanhu_officer", "jurisdiction": "330402", "enterprise": None,
    }
    stored = ApiToken.objects.get(user=user)
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.key_hash, str(stored.pk)}
    # Lifetime from the setting, expressed in Beijing time.
    expires_at = datetime.datetime.fromisoformat(body["expires_at"])
    assert expires_at.utcoffset() == datetime.timedelta(hours=8)
    lifetime = expires_at - before
    days = datetime.timedelta(days=settings.FAZHI_API_TOKEN_DAYS)
    assert days <= lifetime < days + datetime.timedelta(minutes=1)
    # The issue is in the event record, and the record is intact.
    assert Event.objects.filter(object_type="core.apitoken", object_id=str(stored.pk),
                                action="api_token.issued", actor=user).exists()
    assert verify_record() == []


def test_enterprise_user_gets_its_enterprise_and_no_jurisdiction(world):
    body = _login(Client(), "nanhu_enterprise", API_PASSWORD).json()
    assert body["user"]["role"] == Role.ENTERPRISE
    assert body["user"]["enterprise"] == world.enterprises["nanhu"].pk
    assert body["user"]["jurisdiction"] is None


def test_each_login_gets_its_own_token(world):
    user = world.users["nanhu_officer"]
    first, second = token_for(user), token_for(user)
    assert first != second
    assert ApiToken.objects.filter(user=user).count() == 2


def test_the_token_authenticates_requests(world):
    client = token_client(world.users["nanhu_officer"])
    response = client.get("/api/v1/jurisdictions")
    assert response.status_code == 200
    assert {item["code"] for item in response.json()["items"]} == {"330402", "330402001"}


@pytest.mark.parametrize("header", [
    None,                          # no header at all
    "Bearer ",                     # empty token
    "Bearer not-a-real-token",     # unknown token
    "Token {token}",               # wrong scheme
    "{token}",                     # scheme missing
])
def test_requests_without_a_valid_token_get_401(world, header):
    token = token_for(world.users["nanhu_officer"])
    client = Client(HTTP_AUTHORIZATION=header.format(token=token)) if header else Client()
    for url in ["/api/v1/jurisdictions", "/api/v1/jurisdictions/330402",
                "/api/v1/enterprises", f"/api/v1/enterprises/{world.enterprises['nanhu'].pk}"]:
        response = client.get(url)
        assert response.status_code == 401, (header, url)
        assert response["Content-Type"].startswith("application/json")
        assert CHINESE.search(response.json()["detail"])
        assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_expires_after_its_lifetime(world):
    token = token_for(world.users["nanhu_officer"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    lifetime = datetime.timedelta(days=settings.FAZHI_API_TOKEN_DAYS)
    with _later(lifetime - datetime.timedelta(minutes=5)):
        assert client.get("/api/v1/jurisdictions").status_code == 200
    with _later(lifetime + datetime.timedelta(minutes=5)):
        assert client.get("/api/v1/jurisdictions").status_code == 401


def test_a_deactivated_user_token_stops_working(world):
    user = world.users["nanhu_officer"]
    client = token_client(user)
    assert client.get("/api/v1/jurisdictions").status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("/api/v1/jurisdictions").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(world):
    raw = token_for(world.users["nanhu_officer"])
    assert ApiToken.objects.get().last_used_at is None
    assert token_authenticate(raw) is not None
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with _later(datetime.timedelta(seconds=30)):
        token_authenticate(raw)
    assert ApiToken.objects.get().last_used_at == first
    with _later(datetime.timedelta(seconds=90)):
        token_authenticate(raw)
    assert ApiToken.objects.get().last_used_at > first


# --- revoke -----------------------------------------------------------------------


def test_delete_revokes_only_the_current_token(world):
    user = world.users["nanhu_officer"]
    revoked = token_client(user)
    other = token_client(user)
    token_pks = set(ApiToken.objects.values_list("pk", flat=True))

    response = revoked.delete(TOKEN_URL)

    assert response.status_code == 204
    assert revoked.get("/api/v1/jurisdictions").status_code == 401
    assert revoked.delete(TOKEN_URL).status_code == 401
    assert other.get("/api/v1/jurisdictions").status_code == 200
    gone = token_pks - set(ApiToken.objects.values_list("pk", flat=True))
    assert len(gone) == 1
    assert Event.objects.filter(object_type="core.apitoken", object_id=str(gone.pop()),
                                action="api_token.revoked", actor=user).exists()
    assert verify_record() == []


def test_delete_needs_a_token(world):
    assert Client().delete(TOKEN_URL).status_code == 401


# --- bad credentials and lockout ---------------------------------------------------


@pytest.mark.parametrize("username, password", [
    ("nanhu_officer", "wrong-password"),
    ("nobody", API_PASSWORD),
    ("NANHU_OFFICER", API_PASSWORD),  # usernames are case-sensitive
])
def test_bad_credentials_get_401_and_no_token(world, username, password):
    response = _login(Client(), username, password)
    assert response.status_code == 401
    assert response.json()["detail"] == "用户名或密码错误（区分大小写）。"
    assert not ApiToken.objects.exists()


def test_inactive_user_cannot_get_a_token(world):
    user = world.users["nanhu_officer"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert _login(Client(), user.username, API_PASSWORD).status_code == 401
    assert not ApiToken.objects.exists()


def test_lockout_after_the_failure_limit(world):
    limit = settings.AXES_FAILURE_LIMIT
    client = Client()
    statuses = [_login(client, "nanhu_officer", "wrong").status_code for _ in range(limit)]
    # The failure that reaches the limit is already answered as a lockout.
    assert statuses == [401] * (limit - 1) + [429]

    locked = _login(client, "nanhu_officer", API_PASSWORD)  # even the right password
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("application/json")
    assert "锁定" in locked.json()["detail"]
    assert int(locked["Retry-After"]) > 0
    assert not ApiToken.objects.exists()
    # Another account from the same address is not locked.
    assert _login(client, "city_officer", API_PASSWORD).status_code == 200


def test_a_successful_login_resets_the_failure_count(world):
    limit = settings.AXES_FAILURE_LIMIT
    client = Client()
    for _ in range(limit - 1):
        assert _login(client, "nanhu_officer", "wrong").status_code == 401
    assert _login(client, "nanhu_officer", API_PASSWORD).status_code == 200
    for _ in range(limit - 1):
        assert _login(client, "nanhu_officer", "wrong").status_code == 401


def test_a_token_login_sets_last_login(world):
    user = world.users["nanhu_officer"]
    assert user.last_login is None
    token_for(user)
    user.refresh_from_db()
    assert user.last_login is not None


# --- the JSON error contract -------------------------------------------------------


@pytest.mark.parametrize("body, content_type, field_label", [
    ("{not json", "application/json", None),
    ("[]", "application/json", "用户名"),
    ('{"username": "x"}', "application/json", "密码"),
    ('{"password": "x"}', "application/json", "用户名"),
    ('{"username": "", "password": "x"}', "application/json", "用户名"),
    ('{"username": 12, "password": "x"}', "application/json", "用户名"),
    ('{"username": "a\\u0000b", "password": "x"}', "application/json", "用户名"),
    ('{"username": "x", "password": "a\\u0000b"}', "application/json", "密码"),
    ('{"username": "x", "password": "' + "p" * 2000 + '"}', "application/json", "密码"),
    ("", "application/json", "请求体"),
])
def test_bad_token_requests_get_a_chinese_4xx(world, body, content_type, field_label):
    response = Client().post(TOKEN_URL, body, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert CHINESE.search(detail)
    if field_label:
        assert response.status_code == 422
        assert field_label in detail


@pytest.mark.parametrize("url, field_label", [
    ("/api/v1/jurisdictions?page=0", "页码"),
    ("/api/v1/jurisdictions?page=abc", "页码"),
    ("/api/v1/jurisdictions?page=100000000000000000000000", "页码"),
    ("/api/v1/jurisdictions?page_size=0", "每页条数"),
    ("/api/v1/jurisdictions?page_size=-5", "每页条数"),
    ("/api/v1/jurisdictions/" + "3" * 40, "区划代码"),
    ("/api/v1/jurisdictions/33%00", "区划代码"),
    ("/api/v1/jurisdictions/abc", "区划代码"),
])
def test_bad_query_parameters_name_the_field_in_chinese(world, url, field_label):
    response = token_client(world.users["city_officer"]).get(url)
    assert response.status_code == 422
    body = response.json()
    assert field_label in body["detail"]
    assert field_label in {error["label"] for error in body["errors"]}


def test_unknown_paths_and_methods_answer_in_json(world):
    client = token_client(world.users["city_officer"])
    for url in ["/api/v1/no-such-thing", "/api/v1/jurisdictions/330402/extra", "/api/v1/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "未找到"}
    response = client.put("/api/v1/jurisdictions")
    assert response.status_code == 405
    assert CHINESE.search(response.json()["detail"])
    assert "GET" in response["Allow"]


def test_an_unexpected_error_is_a_json_500_not_a_page(world):
    client = token_client(world.users["city_officer"])
    with mock.patch("fazhi.core.api.jurisdiction_list", side_effect=RuntimeError("bug")):
        response = client.get("/api/v1/jurisdictions")
    assert response.status_code == 500
    assert CHINESE.search(response.json()["detail"])
    assert "bug" not in response.content.decode()  # no internals leak to the client


# --- health check and documentation ------------------------------------------------


def test_healthz_answers_without_auth(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_reports_a_dead_database_with_503(db):
    broken = mock.Mock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch("fazhi.core.views.connection", broken):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] != "ok"


ASSET = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)


def test_docs_load_every_asset_from_this_server(db):
    # ninja's own template and static files (Swagger UI) are found only through its app.
    assert "ninja" in settings.INSTALLED_APPS, "add \"ninja\" to INSTALLED_APPS"
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = ASSET.findall(html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert asset.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/")
                                else "/" + settings.STATIC_URL), asset
        assert finders.find(asset.split("/static/", 1)[1]), f"not served locally: {asset}"
    assert not external_references(html), "the docs page loads something from another host"


# Everything but these needs the bearer token: getting a token, and the public
# certificate verification (anyone holding a certificate may check it).
PUBLIC_OPERATIONS = {
    ("/api/v1/auth/token", "post"),
    ("/api/v1/licensing/verify", "get"), ("/api/v1/licensing/verify", "post"),
    ("/api/v1/licensing/verify/public-key", "get"),
}


def test_openapi_lists_every_endpoint_with_chinese_summaries(db):
    schema = Client().get("/api/v1/openapi.json").json()
    operations = {
        (path, method): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert set(operations) >= {
        ("/api/v1/auth/token", "post"), ("/api/v1/auth/token", "delete"),
        ("/api/v1/jurisdictions", "get"), ("/api/v1/jurisdictions/{code}", "get"),
        ("/api/v1/enterprises", "get"), ("/api/v1/enterprises/{id}", "get"),
    }
    for key, operation in operations.items():
        assert CHINESE.search(operation.get("summary", "")), key
        assert CHINESE.search(operation.get("description", "")), key
        needs_token = key not in PUBLIC_OPERATIONS
        assert bool(operation.get("security")) == needs_token, key
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"


def test_malformed_multipart_body_is_a_400_in_chinese(db, monkeypatch):
    """Found by a schemathesis run against a live server: a multipart body without a
    boundary made django-axes' read of request.POST raise, and the API answered 500."""

    def unparseable(*args, **kwargs):
        raise MultiPartParserError("Invalid boundary in multipart: None")

    monkeypatch.setattr("fazhi.core.api.authenticate", unparseable)
    response = Client().post("/api/v1/auth/token", {"username": "a", "password": "b"},
                             content_type="application/json")
    assert response.status_code == 400
    assert "请求体格式有误" in response.json()["detail"]

