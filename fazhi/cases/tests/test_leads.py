"""Leads from sources other than an inspection (a tip, non-site monitoring ...): the
agency must cover the enterprise; the items must be penalty items in force."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.cases.models import CaseSource, CaseStatus
from fazhi.cases.services import case_lead_register
from fazhi.cases.tests.worlds import TRAINING_ITEM, load_work_safety_catalogue
from fazhi.core.models import Event, Role

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 4)


def test_a_non_site_lead_is_registered_with_its_items(make_user, make_enterprise,
                                                       jurisdictions):
    load_work_safety_catalogue()
    officer = make_user(Role.OFFICER)
    enterprise = make_enterprise(jurisdictions["nanhu_town"])
    case = case_lead_register(actor=officer, enterprise=enterprise, source=CaseSource.NON_SITE,
                              facts="在线监测显示可燃气体报警装置长期关闭",
                              discovered_on=DAY, item_codes=[TRAINING_ITEM])
    assert case.status == CaseStatus.LEAD and case.source == CaseSource.NON_SITE
    assert list(case.handlers.all()) == [officer]
    assert case.jurisdiction == enterprise.jurisdiction and case.agency == officer.agency
    assert Event.objects.filter(action="case.lead_registered", object_id=str(case.pk)).exists()


def test_a_lead_outside_the_agency_or_without_items_is_refused(make_user, make_enterprise,
                                                              jurisdictions):
    load_work_safety_catalogue()
    officer = make_user(Role.OFFICER)
    home = make_enterprise(jurisdictions["nanhu_town"])
    elsewhere = next(j for j in jurisdictions.values()
                     if not j.path.startswith(officer.agency.jurisdiction.path))
    away = make_enterprise(elsewhere)
    events = Event.objects.count()
    with pytest.raises(PermissionDenied):
        case_lead_register(actor=officer, enterprise=away, source=CaseSource.TIP, facts="举报",
                           discovered_on=DAY, item_codes=[TRAINING_ITEM])
    with pytest.raises(ValidationError, match="执法事项"):
        case_lead_register(actor=officer, enterprise=home, source=CaseSource.TIP, facts="举报",
                           discovered_on=DAY, item_codes=[])
    with pytest.raises(ValidationError, match="检查记录"):
        case_lead_register(actor=officer, enterprise=home, source=CaseSource.INSPECTION,
                           facts="举报", discovered_on=DAY, item_codes=[TRAINING_ITEM])
    assert Event.objects.count() == events
