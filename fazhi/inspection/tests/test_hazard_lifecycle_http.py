"""The hazard lifecycle end to end over HTTP (the issue's Done-when): an officer opens an
inspection draft through the form with two certified officers, records a finding,
registers it as a major hazard with a deadline (the numbered order is shown), lists it
for supervision; the enterprise files its rectification report; officers record a
passed re-inspection: hazard closed, supervision closed. Every step is in the event
record and the record verifies. Also: overdue orders on the officer's home page, a
failed re-inspection issuing a new numbered order, the one-officer refusal, scoping."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.core.models import EnforcementCertificate, Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.events import verify_record
from fazhi.inspection.models import (
    ChecklistItem,
    Hazard,
    HazardSupervision,
    Inspection,
    RectificationOrder,
)
from fazhi.inspection.services import (
    checklist_load,
    finding_add,
    hazard_register,
    inspection_create,
)

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)
NEW = reverse("inspection:inspection_create")
HAZARDS = reverse("inspection:hazard_list")


def certify(officer):
    EnforcementCertificate.objects.create(
        holder=officer, number=f"HL{next(_numbers):08d}", valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2035, 12, 31))
    return officer


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def iso(day: datetime.date) -> str:
    return day.isoformat()


@pytest.fixture
def world(make_user, make_enterprise, jurisdictions, agencies):
    checklist_load(actor=None)
    enterprise = make_enterprise(jurisdictions["nanhu_town"], name="嘉兴禾丰化工有限公司")
    return {
        "officers": [certify(make_user(Role.OFFICER, full_name=name))
                     for name in ("张伟", "李娜", "王强")],
        "enterprise": enterprise,
        "enterprise_user": make_user(Role.ENTERPRISE, enterprise=enterprise),
        "criterion": ChecklistItem.objects.get(code="HC2017-02"),
        "agencies": agencies,
    }


def _draft_over_http(client: Client, world, day: datetime.date) -> Inspection:
    officers = world["officers"]
    response = client.post(NEW, {
        "enterprise_q": world["enterprise"].uscc, "date": iso(day), "place": "甲类仓库",
        "category": "general", "officers": [officers[0].pk, officers[1].pk],
    })
    assert response.status_code == 302, response.content.decode()
    inspection = Inspection.objects.get()
    assert response["Location"] == reverse("inspection:inspection_detail", args=[inspection.pk])
    return inspection


def _hazard_over_http(client: Client, world, inspection: Inspection,
                      deadline: datetime.date) -> Hazard:
    response = client.post(reverse("inspection:finding_create", args=[inspection.pk]), {
        "finding-description": "叉车司机未持特种作业操作证上岗",
        "finding-item": world["criterion"].pk,
    })
    assert response.status_code == 302
    finding = inspection.findings.get()
    response = client.post(reverse("inspection:hazard_create", args=[finding.pk]), {
        "level": "major", "criterion": world["criterion"].pk, "deadline": iso(deadline),
        "requirements": "立即停止无证人员作业，组织培训取证",
    }, follow=True)
    assert response.status_code == 200
    hazard = Hazard.objects.get(finding=finding)
    order = hazard.orders.get()
    html = response.content.decode()
    # The order number (文号 from core numbering) is shown, in the message and the list.
    assert re.fullmatch(r"南应急责改〔\d{4}〕1号", order.number)
    assert f"已下达责令限期整改指令书（{order.number}）" in html
    assert f'data-testid="order-number">{order.number}<' in html
    return hazard


def test_hazard_lifecycle_over_http_with_every_step_in_the_record(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer, second = world["officers"][:2]
    client = client_for(officer)
    day = datetime.date(2024, 5, 6)

    assert "新建检查记录" in client.get(NEW).content.decode()
    inspection = _draft_over_http(client, world, day)
    assert set(inspection.officers.all()) == {officer, second}

    # A checklist result and evidence on the draft.
    response = client.post(reverse("inspection:results_record", args=[inspection.pk]), {
        "result-item": world["criterion"].pk, "result-outcome": "finding",
        "result-note": "两名叉车司机无证",
    })
    assert response.status_code == 302
    hazard = _hazard_over_http(client, world, inspection,
                               deadline=day + datetime.timedelta(days=30))
    finding = hazard.finding
    photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff\xe0 jpeg bytes",
                               content_type="image/jpeg")
    response = client.post(reverse("inspection:evidence_upload", args=[finding.pk]),
                           {f"evidence-{finding.pk}-file": photo})
    assert response.status_code == 302
    assert finding.evidence.count() == 1

    # Supervision listing (挂牌督办) by the city bureau.
    city = world["agencies"]["city"]
    response = client.post(reverse("inspection:hazard_supervise", args=[hazard.pk]), {
        "supervision-level": "city", "supervision-agency": city.pk,
        "supervision-listed_on": iso(day + datetime.timedelta(days=1)),
        "supervision-note": "每周报告整改进度",
    })
    assert response.status_code == 302
    supervision = HazardSupervision.objects.get(hazard=hazard)
    assert supervision.agency == city and supervision.closed_on is None

    # The enterprise signs; the draft becomes a finished record.
    response = client.post(reverse("inspection:inspection_finish", args=[inspection.pk]),
                           {"finish-signed_by": "赵六"})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.FINISHED

    # The enterprise user files the rectification report on its own hazard.
    company = client_for(world["enterprise_user"])
    listing = company.get(HAZARDS).content.decode()
    assert reverse("inspection:hazard_detail", args=[hazard.pk]) in listing
    page = company.get(reverse("inspection:hazard_detail", args=[hazard.pk])).content.decode()
    assert "报告整改情况" in page and "记录复查" not in page
    response = company.post(reverse("inspection:hazard_report", args=[hazard.pk]), {
        "report-report_date": iso(day + datetime.timedelta(days=20)),
        "report-text": "两名司机已取得特种作业操作证，无证人员已调离岗位",
    })
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.REPORTED

    # Back as an officer: a passed re-inspection closes the hazard and its supervision.
    response = client.post(reverse("inspection:hazard_reinspect", args=[hazard.pk]), {
        "reinspection-date": iso(day + datetime.timedelta(days=25)),
        "reinspection-officers": [officer.pk, second.pk],
        "reinspection-passed": "yes", "reinspection-opinion": "经复查，整改到位，同意销号",
    }, follow=True)
    assert response.status_code == 200
    assert "复查合格，隐患已销号" in response.content.decode()
    hazard.refresh_from_db()
    supervision.refresh_from_db()
    assert hazard.status == Hazard.Status.CLOSED
    assert hazard.closed_on == day + datetime.timedelta(days=25)
    assert supervision.closed_on == day + datetime.timedelta(days=25)
    assert hazard.orders.get().reinspection.passed is True

    # Each step is in the event record, in order, and shown on the pages.
    hazard_actions = list(object_events(hazard).values_list("action", flat=True))
    assert hazard_actions == [
        "hazard.registered", "hazard.ordered", "hazard.supervision_listed",
        "hazard.reported", "hazard.reinspected", "hazard.closed",
        "hazard.supervision_closed",
    ]
    inspection_actions = list(object_events(inspection).values_list("action", flat=True))
    assert inspection_actions == [
        "inspection.created", "inspection.results_recorded", "inspection.finding_added",
        "inspection.evidence_attached", "inspection.finished",
    ]
    reported = object_events(hazard).get(action="hazard.reported")
    assert reported.actor == world["enterprise_user"]
    html = client.get(reverse("inspection:hazard_detail", args=[hazard.pk])).content.decode()
    for action in hazard_actions:
        assert f'data-action="{action}"' in html
    assert "已摘牌" in html and "已销号" in html
    assert verify_record() == []


def test_overdue_order_on_the_home_page_and_a_failed_reinspection_reorders(world):
    officer, second = world["officers"][:2]
    client = client_for(officer)
    today = timezone.localdate()
    day = today - datetime.timedelta(days=40)
    inspection = _draft_over_http(client, world, day)
    # Deadline 15 days ago: the order is late, and the re-inspection (due 10 days after
    # the deadline) too.
    hazard = _hazard_over_http(client, world, inspection,
                               deadline=today - datetime.timedelta(days=15))
    first = hazard.orders.get()

    home = client.get("/").content.decode()
    assert 'data-testid="overdue-hazards"' in home
    late_orders = home.split('data-testid="home-hazard-orders"')
    assert len(late_orders) == 2 and "叉车司机未持特种作业" in late_orders[1]
    assert f'text-danger fw-semibold">整改期限 {hazard.deadline:%Y-%m-%d}' in home
    assert 'data-testid="home-hazard-reinspections"' in home
    for overdue in ("orders", "reinspections"):
        listing = client.get(HAZARDS, {"overdue": overdue}).content.decode()
        assert 'data-testid="hazard-count">1<' in listing
    page = client.get(reverse("inspection:hazard_detail", args=[hazard.pk])).content.decode()
    assert 'data-testid="overdue-order"' in page and 'data-testid="overdue-reinspection"' in page

    # A failed re-inspection with a new deadline issues a new numbered order.
    new_deadline = today + datetime.timedelta(days=10)
    response = client.post(reverse("inspection:hazard_reinspect", args=[hazard.pk]), {
        "reinspection-date": iso(today), "reinspection-officers": [officer.pk, second.pk],
        "reinspection-passed": "no", "reinspection-opinion": "仍有一名司机无证作业",
        "reinspection-new_deadline": iso(new_deadline),
    }, follow=True)
    assert response.status_code == 200
    orders = list(RectificationOrder.objects.filter(hazard=hazard).order_by("id"))
    assert len(orders) == 2 and orders[0] == first
    assert orders[1].number != first.number
    assert re.fullmatch(r"南应急责改〔\d{4}〕\d+号", orders[1].number)
    assert orders[1].deadline == new_deadline
    html = response.content.decode()
    assert f"已重新下达责令限期整改指令书（{orders[1].number}）" in html
    assert f'data-testid="order-number">{orders[1].number}<' in html
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.ORDERED and hazard.deadline == new_deadline
    actions = list(object_events(hazard).values_list("action", flat=True))
    assert actions[-2:] == ["hazard.reinspected", "hazard.ordered"]
    # No longer late: the home page lists nothing overdue.
    home = client.get("/").content.decode()
    assert "没有逾期的整改指令和复查" in home
    assert verify_record() == []


def test_one_officer_inspection_is_refused_in_chinese_and_nothing_is_saved(world):
    officer = world["officers"][0]
    client = client_for(officer)
    events = Event.objects.count()
    response = client.post(NEW, {
        "enterprise_q": world["enterprise"].name, "date": "2024-05-06", "place": "生产车间",
        "category": "general", "officers": [officer.pk],
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "检查人员不得少于2人（《行政处罚法》第四十二条），当前1人" in html
    assert Inspection.objects.count() == 0
    assert Event.objects.count() == events


def test_an_expired_certificate_is_refused_on_the_form(world, make_user):
    officer = world["officers"][0]
    expired = make_user(Role.OFFICER, full_name="钱七")
    EnforcementCertificate.objects.create(holder=expired, number="HLX0000001",
                                          valid_from=datetime.date(2018, 1, 1),
                                          valid_to=datetime.date(2023, 12, 31))
    response = client_for(officer).post(NEW, {
        "enterprise_q": world["enterprise"].uscc, "date": "2024-05-06", "place": "生产车间",
        "category": "general", "officers": [officer.pk, expired.pk],
    })
    assert response.status_code == 400
    assert "钱七于2024年05月06日无有效执法证" in response.content.decode()
    assert Inspection.objects.count() == 0


def _hazard_by_service(officers, enterprise, deadline=datetime.date(2024, 6, 6)) -> Hazard:
    inspection = inspection_create(actor=officers[0], enterprise=enterprise,
                                   date=datetime.date(2024, 5, 6), place="车间",
                                   category="general", officers=officers[:2])
    finding = finding_add(actor=officers[0], inspection=inspection, description="消防通道堵塞")
    return hazard_register(actor=officers[0], finding=finding, level="general",
                           deadline=deadline)


def test_another_countys_user_gets_404(world, make_user, agencies):
    hazard = _hazard_by_service(world["officers"], world["enterprise"])
    outsider = client_for(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    assert outsider.get(reverse("inspection:hazard_detail", args=[hazard.pk])).status_code == 404
    assert outsider.get(reverse("inspection:inspection_detail",
                                args=[hazard.inspection_id])).status_code == 404
    response = outsider.post(reverse("inspection:hazard_report", args=[hazard.pk]),
                             {"report-report_date": "2024-06-01", "report-text": "已整改"})
    assert response.status_code == 404
    assert 'data-testid="hazard-count">0<' in outsider.get(HAZARDS).content.decode()
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.ORDERED


def test_the_enterprise_user_sees_only_its_own_hazards(world, make_enterprise, jurisdictions):
    own = _hazard_by_service(world["officers"], world["enterprise"])
    other_enterprise = make_enterprise(jurisdictions["nanhu"], name="嘉兴邻厂有限公司")
    other = _hazard_by_service(world["officers"], other_enterprise)
    company = client_for(world["enterprise_user"])
    listing = company.get(HAZARDS).content.decode()
    assert 'data-testid="hazard-count">1<' in listing
    assert reverse("inspection:hazard_detail", args=[own.pk]) in listing
    assert reverse("inspection:hazard_detail", args=[other.pk]) not in listing
    assert company.get(reverse("inspection:hazard_detail", args=[other.pk])).status_code == 404
    response = company.post(reverse("inspection:hazard_report", args=[other.pk]),
                            {"report-report_date": "2024-06-01", "report-text": "已整改"})
    assert response.status_code == 404
    # Its home page lists its own open hazard with the deadline.
    home = company.get("/").content.decode()
    assert 'data-testid="home-hazard-open"' in home and "2024-06-06" in home
    assert "嘉兴邻厂" not in home
    # And it may not record a re-inspection on its own hazard.
    response = company.post(reverse("inspection:hazard_reinspect", args=[own.pk]), {
        "reinspection-date": "2024-06-02", "reinspection-passed": "yes",
        "reinspection-opinion": "自查合格"})
    assert response.status_code == 403
