"""A capacity world: the shared fixtures' city and two districts, plus a functional zone
whose bureau is flagged exempt from public-lawyer coverage, and a legal unit in each of
the city and county bureaus."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client

from fazhi.capacity.models import AgencyProfile, LegalUnit
from fazhi.core.models import Agency, Jurisdiction, User
from fazhi.core.services.tokens import token_issue

D = datetime.date


def client_for(user: User) -> Client:
    raw, _token = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@dataclass
class World:
    agencies: dict[str, Agency]
    jurisdictions: dict[str, Jurisdiction]
    users: dict[str, User]


@pytest.fixture
def world(agencies, jurisdictions, make_user) -> World:
    zone = Jurisdiction.objects.create(code="330471", name="嘉兴经济技术开发区", level="zone",
                                       parent=jurisdictions["city"])
    zone_bureau = Agency.objects.create(name="嘉兴经济技术开发区应急管理局",
                                        kind=Agency.Kind.COUNTY_BUREAU, jurisdiction=zone,
                                        doc_prefix="嘉开应急", parent=agencies["city"])
    AgencyProfile.objects.create(agency=zone_bureau, lawyer_coverage_exempt=True)
    all_agencies = {**agencies, "zone": zone_bureau}
    for key in ("city", "nanhu", "xiuzhou", "zone"):
        LegalUnit.objects.create(agency=all_agencies[key], name="政策法规科",
                                 form=LegalUnit.Form.DESIGNATED, established_on=D(2019, 1, 1))
    users = {
        "city_reviewer": make_user("reviewer", agency=agencies["city"]),
        "city_leader": make_user("leader", agency=agencies["city"]),
        "nanhu_leader": make_user("leader"),
        "nanhu_officer": make_user("officer"),
        "xiuzhou_officer": make_user("officer", agency=agencies["xiuzhou"]),
        "supervisor": make_user("supervisor"),
    }
    return World(all_agencies, {**jurisdictions, "zone": zone}, users)
