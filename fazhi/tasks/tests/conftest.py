"""A tasks world: the city bureau with two departments, the shared fixtures' districts,
owner units (a city department, the 南湖 bureau, a government department without users),
an action plan with a sub-plan, and users of each kind."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client

from fazhi.core.models import Agency, Department, Jurisdiction, User
from fazhi.core.services.tokens import token_issue
from fazhi.tasks import services
from fazhi.tasks.models import ActionPlan, OwnerUnit, Task

D = datetime.date


def client_for(user: User) -> Client:
    raw, _token = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@dataclass
class World:
    agencies: dict[str, Agency]
    jurisdictions: dict[str, Jurisdiction]
    users: dict[str, User]
    units: dict[str, OwnerUnit]
    plan: ActionPlan
    sub: ActionPlan

    def task(self, number: str, owners: list[str], *, plan: ActionPlan | None = None,
             due: D | None = None) -> Task:
        return services.task_create(actor=self.users["city_leader"], plan=plan or self.plan,
                                    number=number, title=f"任务{number}",
                                    due_on=due or D(2024, 12, 31),
                                    owners=[self.units[k] for k in owners])


@pytest.fixture
def world(agencies, jurisdictions, make_user) -> World:
    city = agencies["city"]
    enforcement = Department.objects.create(agency=city, name="执法支队")
    office = Department.objects.create(agency=city, name="办公室")
    users = {
        "city_leader": make_user("leader", agency=city),
        "city_officer": make_user("officer", agency=city, department=enforcement),
        "office_officer": make_user("officer", agency=city, department=office),
        "nanhu_officer": make_user("officer"),
        "xiuzhou_officer": make_user("officer", agency=agencies["xiuzhou"]),
        "nanhu_leader": make_user("leader"),
    }
    leader = users["city_leader"]
    units = {
        "enforcement": services.owner_unit_create(
            actor=leader, name="市应急管理局执法支队", kind=OwnerUnit.Kind.EMERGENCY,
            jurisdiction=jurisdictions["city"], department=enforcement),
        "nanhu": services.owner_unit_create(
            actor=leader, name="南湖区应急管理局", kind=OwnerUnit.Kind.EMERGENCY,
            jurisdiction=jurisdictions["nanhu"], agency=agencies["nanhu"]),
        "housing": services.owner_unit_create(
            actor=leader, name="嘉兴市住房和城乡建设局", kind=OwnerUnit.Kind.GOVERNMENT,
            jurisdiction=jurisdictions["city"]),
    }
    plan = services.plan_create(actor=leader, agency=city, title="治本攻坚三年行动方案",
                                category=ActionPlan.Category.ROOT_CAUSE,
                                issued_on=D(2024, 3, 15), start_year=2024, end_year=2026)
    sub = services.plan_create(actor=leader, agency=city, title="危化品子方案",
                               category=ActionPlan.Category.ROOT_CAUSE, parent=plan,
                               issued_on=D(2024, 4, 1), start_year=2024, end_year=2026)
    return World(agencies, jurisdictions, users, units, plan, sub)
