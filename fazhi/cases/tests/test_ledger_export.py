"""The case ledger download (案件台账.xlsx): staff get the cases they may see, narrowed
by the list page's filters, as a workbook openpyxl opens, named with today's date
(RFC 5987); an enterprise user is refused, an anonymous one sent to log in."""

from __future__ import annotations

import datetime
import io
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.cases.ledger import HEADERS
from fazhi.cases.models import (
    CaseParty,
    CaseSource,
    CaseStatus,
    Outcome,
    PartyDecision,
    PenaltyCase,
)
from fazhi.core.models import Role
from fazhi.core.xlsx import XLSX

pytestmark = pytest.mark.django_db
NUMBER = HEADERS.index("立案编号")


def _row(officer, enterprise, **fields) -> PenaltyCase:
    values = {"agency": officer.agency, "enterprise": enterprise,
              "jurisdiction": enterprise.jurisdiction, "source": CaseSource.INSPECTION,
              "facts": "测试案件", "discovered_on": datetime.date(2024, 3, 1),
              "created_by": officer}
    values.update(fields)
    return PenaltyCase.objects.create(**values)


@pytest.fixture
def world(make_user, make_enterprise, jurisdictions, agencies):
    officer = make_user(Role.OFFICER)
    outsider = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    here = make_enterprise(jurisdictions["nanhu_town"])
    _row(officer, here, source=CaseSource.TIP)  # a lead: no number yet
    _row(officer, here, status=CaseStatus.INVESTIGATION, number="南应急立〔2024〕7号",
         filed_on=datetime.date(2024, 3, 4), decision_due=datetime.date(2024, 4, 3))
    decided = _row(officer, here, status=CaseStatus.SERVED, number="南应急立〔2023〕2号",
                   filed_on=datetime.date(2023, 2, 1), decision_due=datetime.date(2023, 3, 3))
    party = CaseParty.objects.create(case=decided, kind="unit", name=here.name)
    PartyDecision.objects.create(party=party, outcome=Outcome.NO_PENALTY, exempt_ground="first",
                                 number="南应急不罚〔2023〕1号",
                                 decided_on=datetime.date(2023, 2, 20),
                                 served_on=datetime.date(2023, 2, 21))
    _row(outsider, make_enterprise(jurisdictions["xiuzhou_town"]),
         status=CaseStatus.INVESTIGATION, number="秀应急立〔2024〕3号",
         filed_on=datetime.date(2024, 3, 4), decision_due=datetime.date(2024, 4, 3))
    return officer, outsider, here


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _numbers(response) -> list:
    assert response.status_code == 200, response.content[:300]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    return sorted(r[NUMBER] or "" for r in rows[1:])


def test_an_officer_downloads_the_cases_of_the_county(world):
    officer, outsider, _here = world
    url = reverse("cases:case_ledger_xlsx")
    response = _client(officer).get(url)
    assert response["Content-Type"] == XLSX
    name = f"案件台账_{timezone.localdate().isoformat()}.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert _numbers(response) == ["", "南应急立〔2023〕2号", "南应急立〔2024〕7号"]
    assert _numbers(_client(outsider).get(url)) == ["秀应急立〔2024〕3号"]


def test_the_list_filters_narrow_the_ledger(world):
    officer = _client(world[0])
    url = reverse("cases:case_ledger_xlsx")
    assert _numbers(officer.get(url, {"status": "investigation"})) == ["南应急立〔2024〕7号"]
    assert _numbers(officer.get(url, {"year": "2023"})) == ["南应急立〔2023〕2号"]
    assert _numbers(officer.get(url, {"source": "tip"})) == [""]
    assert _numbers(officer.get(url, {"q": "〔2024〕"})) == ["南应急立〔2024〕7号"]
    # past its decision period, nothing decided
    assert _numbers(officer.get(url, {"overdue": "1"})) == ["南应急立〔2024〕7号"]
    # a value the list page would drop is dropped here too: the whole ledger
    assert len(_numbers(officer.get(url, {"status": "nonsense", "year": "20x4"}))) == 3


@pytest.mark.parametrize("role", [Role.LEADER, Role.REVIEWER, Role.ADMIN])
def test_other_staff_roles_may_download(world, make_user, role):
    assert len(_numbers(_client(make_user(role)).get(reverse("cases:case_ledger_xlsx")))) == 3


def test_an_enterprise_user_is_refused_and_a_visitor_must_log_in(world, make_user):
    _officer, _outsider, here = world
    url = reverse("cases:case_ledger_xlsx")
    owner = make_user(Role.ENTERPRISE, enterprise=here)
    assert _client(owner).get(url).status_code == 403
    response = Client().get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert _client(world[0]).post(url).status_code == 405
