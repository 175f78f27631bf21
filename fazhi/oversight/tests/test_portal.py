"""The public portal over HTTP: no login, cached read pages, a penalty decision that
appears once published (masked) and disappears when its credit is repaired, scheduled
posts, search, the column staleness alert for staff, a post withdrawn by staff (with a
reason) leaving the portal; and the demo: every public page
renders and none carries an unmasked ID number, a mobile number or a tipster's data; the
demo's figures (1,250 posts, 24 supervisors, rewards equal to the rule on the fines of the
cases the tips led to)."""

from __future__ import annotations

import contextlib
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from fazhi.cases.models import PartyDecision, PartyKind, Payment, Publicity
from fazhi.cases.services import case_transition, payment_record
from fazhi.cases.services.publicity import (
    credit_repair_apply,
    credit_repair_decide,
    publicity_publish,
)
from fazhi.cases.tests.test_execution import decided_world, serve_all
from fazhi.cases.tests.worlds import fresh
from fazhi.core.models import Event, Jurisdiction, Role
from fazhi.oversight import selectors, services
from fazhi.oversight.crypto import decrypt_identity
from fazhi.oversight.models import Post, PostColumn, Supervisor, Tip, TipReward
from fazhi.oversight.rules import rewards
from fazhi.oversight.tests.conftest import TEST_TIP_KEY
from fazhi.reports.registry import Period, get_indicator
from fazhi.subjects.rules.identifiers import IdentifierError, normalize_id_number

pytestmark = pytest.mark.django_db
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def unmasked_ids(text: str) -> list[str]:
    found = []
    for candidate in ID_LIKE.findall(text):
        # a number that is not a valid resident ID (e.g. an all-digit code) is skipped
        with contextlib.suppress(IdentifierError):
            found.append(normalize_id_number(candidate))
    return found


# --- publicity of one decision ----------------------------------------------------------------

def test_a_decision_appears_masked_once_published_and_leaves_when_repaired(
        make_user, make_enterprise, jurisdictions, users, monkeypatch,
        django_capture_on_commit_callbacks):
    officers, case = decided_world(make_user, make_enterprise, jurisdictions, users)
    case = serve_all(officers[0], case)
    decision = PartyDecision.objects.get(party__case=case, party__kind=PartyKind.UNIT)
    monkeypatch.setattr(selectors, "portal_today", lambda: decision.publicity.due)
    client = Client()
    listing = reverse("public:decision_list")
    assert decision.number not in client.get(listing).content.decode()  # not published yet
    # the list page is cached, but publishing empties the portal's cache on commit
    with django_capture_on_commit_callbacks(execute=True):
        publicity = publicity_publish(actor=officers[0], publicity=decision.publicity,
                                      on=decision.publicity.due)
    page = client.get(listing).content.decode()
    assert decision.number in page
    detail = client.get(reverse("public:decision_detail", args=[publicity.pk]))
    body = detail.content.decode()
    assert detail.status_code == 200 and case.enterprise.name in body
    assert not unmasked_ids(body) and not MOBILE.search(body)
    # the enterprise pays and applies; the repair takes it off the portal
    payment_record(actor=officers[0], case=case, version=case.version, decision=decision,
                   kind=Payment.Kind.PRINCIPAL, amount=decision.amount_due,
                   paid_on=decision.payment_due)
    case_transition(actor=users[Role.LEADER], case=fresh(case), action="close",
                    version=fresh(case).version, on=decision.payment_due)
    owner = make_user(Role.ENTERPRISE, enterprise=case.enterprise)
    earliest = decision.credit.earliest_repair
    application = credit_repair_apply(actor=owner, credit=decision.credit, on=earliest,
                                      statement="已缴清罚款并完成整改")
    monkeypatch.setattr(selectors, "portal_today", lambda: earliest)
    assert decision.number in client.get(listing).content.decode()  # cached, still shown
    with django_capture_on_commit_callbacks(execute=True):
        credit_repair_decide(actor=users[Role.LEADER], application=application,
                             approve=True, reason="符合修复条件", on=earliest)
    assert decision.number not in client.get(listing).content.decode()
    assert client.get(reverse("public:decision_detail", args=[publicity.pk])).status_code \
        == 404


def test_read_pages_are_cached_and_need_no_login(agencies, users,
                                                django_capture_on_commit_callbacks):
    post = services.post_publish(actor=users[Role.OFFICER], column=PostColumn.NEWS,
                                 title="开展安全生产月活动", body="正文")
    client = Client()
    first = client.get(reverse("public:post_list"))
    assert first.status_code == 200 and post.title in first.content.decode()
    assert "max-age=60" in first["Cache-Control"]
    assert "Cookie" not in first.get("Vary", "")  # the same page for everyone
    # served from the cache: a change behind the services' back is not seen
    Post.objects.filter(pk=post.pk).update(title="改过的标题")
    assert post.title in client.get(reverse("public:post_list")).content.decode()
    # a post published through the service empties the portal's cache on commit
    with django_capture_on_commit_callbacks(execute=True):
        later = services.post_publish(actor=users[Role.OFFICER], column=PostColumn.NEWS,
                                      title="第二条信息", body="正文")
    page = client.get(reverse("public:post_list")).content.decode()
    assert later.title in page and "改过的标题" in page


def test_scheduled_posts_wait_and_search_finds_published_ones(agencies, users):
    officer = users[Role.OFFICER]
    services.post_publish(actor=officer, column=PostColumn.NOTICE, title="关于汛期安全的通知",
                          body="请各单位做好防汛准备")
    future = timezone.now() + datetime.timedelta(days=3)
    scheduled = services.post_publish(actor=officer, column=PostColumn.NOTICE,
                                      title="关于节日安全的通知", body="节日", publish_at=future)
    client = Client()
    found = client.get(reverse("public:search"), {"q": "通知"}).content.decode()
    assert "关于汛期安全的通知" in found and scheduled.title not in found
    assert client.get(reverse("public:post_detail", args=[scheduled.pk])).status_code == 404


def test_staff_see_the_half_monthly_staleness_alert(agencies, users):
    officer = users[Role.OFFICER]
    services.post_publish(actor=officer, column=PostColumn.NEWS, title="近期动态", body="正文")
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("oversight:overview")).content.decode()
    assert "超过半个月未更新" in page
    alert = page.split('data-testid="stale-columns"')[1].split("</div>")[0]
    assert "工作动态" not in alert and "通知公告" in alert


def test_staff_withdraw_a_post_with_a_reason_and_it_leaves_the_portal(
        agencies, users, make_user, django_capture_on_commit_callbacks):
    officer = users[Role.OFFICER]
    post = services.post_publish(actor=officer, column=PostColumn.NOTICE,
                                 title="错发的一条通知", body="正文")
    portal = Client()
    detail = reverse("public:post_detail", args=[post.pk])
    assert portal.get(detail).status_code == 200
    assert post.title in portal.get(reverse("public:post_list")).content.decode()
    withdraw = reverse("oversight:post_withdraw", args=[post.pk])
    staff = Client()
    staff.force_login(officer)
    listing = staff.get(reverse("oversight:post_list")).content.decode()
    assert f'data-testid="withdraw-{post.pk}"' in listing and withdraw in listing
    # POST only; another county's officer does not find it; a reviewer may not withdraw
    assert staff.get(withdraw).status_code == 405
    neighbour = Client()
    neighbour.force_login(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    assert neighbour.post(withdraw, {"reason": "不是我们的"}).status_code == 404
    reviewer = Client()
    reviewer.force_login(users[Role.REVIEWER])
    assert f'data-testid="withdraw-{post.pk}"' not in reviewer.get(
        reverse("oversight:post_list")).content.decode()
    refused = reviewer.post(withdraw, {"reason": "审核发现问题"}, follow=True)
    assert "无权撤下网站信息" in refused.content.decode()
    # an empty reason: a Chinese error, nothing changed
    empty = staff.post(withdraw, {"reason": "  "}, follow=True)
    assert "请填写撤下原因" in empty.content.decode()
    post.refresh_from_db()
    assert post.withdrawn_at is None
    assert not Event.objects.filter(action="oversight.post.withdrawn").exists()
    # withdrawn, recorded with its reason, marked on the staff list
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(withdraw, {"reason": "信息有误"}, follow=True)
    assert done.status_code == 200 and "已撤下" in done.content.decode()
    post.refresh_from_db()
    assert post.withdrawn_at is not None
    event = Event.objects.get(action="oversight.post.withdrawn")
    assert event.actor == officer and event.payload == {"reason": "信息有误"}
    assert f'data-testid="withdraw-{post.pk}"' not in done.content.decode()
    again = staff.post(withdraw, {"reason": "再撤一次"}, follow=True)
    assert "该信息已撤下" in again.content.decode()
    # the portal's pages are cached, but the withdrawal emptied them: gone at once
    assert portal.get(detail).status_code == 404
    assert post.title not in portal.get(reverse("public:post_list")).content.decode()
    assert post.title not in portal.get(reverse("public:index")).content.decode()


# --- the demo -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A 200-enterprise demo, loaded once in a transaction rolled back after the module."""
    with django_db_blocker.unblock(), override_settings(FAZHI_TIP_KEY=TEST_TIP_KEY):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", enterprises=200, stdout=io.StringIO())
            yield Jurisdiction.objects.get(code="330400")
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _public_urls() -> list[str]:
    urls = [reverse(f"public:{name}") for name in (
        "index", "post_list", "search", "before", "items", "officers", "decision_list",
        "permits", "normdoc_list", "supervisors", "disclosure", "tip_new", "tip_track")]
    urls += [f"{reverse('public:post_list')}?column={c}" for c in PostColumn.values]
    urls += [f"{reverse('public:search')}?q=安全", f"{reverse('public:items')}?q=安全生产法"]
    urls += [reverse("public:post_detail", args=[p.pk])
             for p in selectors.public_posts()[:20]]
    urls += [reverse("public:decision_detail", args=[p.pk])
             for p in selectors.public_decisions()]
    for name in ("decision_list", "officers", "items", "post_list", "permits"):
        urls += [f"{reverse(f'public:{name}')}?page={n}" for n in (2, 3)]
    try:
        from fazhi.policy.selectors_normdocs import public_normative_documents
        urls += [doc.get_absolute_public_url() for doc in public_normative_documents()]
    except ImportError:
        pass
    return urls


def test_every_public_page_of_the_demo_is_free_of_private_data(demo, monkeypatch):
    # the portal as it stood at the end of the demo year (its decisions in publicity)
    monkeypatch.setattr(selectors, "portal_today", lambda: datetime.date(2024, 12, 31))
    assert selectors.public_decisions().count() >= 10
    tipsters = [decrypt_identity(t.identity_token) for t in Tip.objects.exclude(
        identity_token="")]
    assert tipsters and all(t.phone and t.id_number for t in tipsters)
    secrets = {value for t in tipsters for value in (t.name, t.phone, t.id_number)}
    client = Client()
    urls = _public_urls()
    assert len(urls) > 40
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not unmasked_ids(body), url
        assert not MOBILE.search(body), (url, MOBILE.search(body))
        leaked = [s for s in secrets if s in body]
        assert not leaked, (url, leaked)


def test_the_demo_figures_come_from_the_records(demo):
    year = Period.for_year(2024)
    assert get_indicator("portal.posts").evaluate(year, demo) >= 1200
    assert get_indicator("oversight.supervisors").evaluate(year, demo) == 24
    assert Supervisor.objects.count() == 24
    assert Post.objects.filter(agency__jurisdiction=demo, publish_at__year=2024).count() == 1250
    # each paid reward is the rule applied to the fines of the case its tip led to
    paid = TipReward.objects.filter(status=TipReward.Status.PAID).select_related("tip__case")
    assert paid.exists()
    for reward in paid:
        fines = services.case_penalty_amount(reward.tip.case)
        assert reward.penalty_amount == fines
        assert reward.amount == rewards.tip_reward(tip_type=reward.tip_type,
                                                   penalty_amount=fines).amount
    assert get_indicator("oversight.rewards.paid").evaluate(year, demo) == sum(
        r.amount for r in paid if r.paid_on.year == 2024)
    # every tip-sourced case has the tip that led to it
    from fazhi.cases.models import CaseSource, PenaltyCase
    assert set(Tip.objects.exclude(case=None).values_list("case_id", flat=True)) == set(
        PenaltyCase.objects.filter(source=CaseSource.TIP).values_list("pk", flat=True))
    assert Publicity.objects.filter(published_on__isnull=False).exists()
