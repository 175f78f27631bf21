"""Tasks over HTTP: completion as of a past day (a task completed later is not counted),
the report figures moving when a task changes through the API, owners reporting
progress, scoping and refusals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fazhi.core.models import Event
from fazhi.reports.registry import Period, get_indicator
from fazhi.tasks import services
from fazhi.tasks.models import ActionPlan, Task
from fazhi.tasks.tests.conftest import client_for

pytestmark = pytest.mark.django_db
API = "/api/v1/tasks"
D = datetime.date


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def figure(indicator_id: str, world, year: int = 2024):
    return get_indicator(indicator_id).evaluate(Period.for_year(year), world.jurisdictions["city"])


def test_completion_as_of_a_day_leaves_out_tasks_completed_later(world):
    first, second = world.task("1", ["enforcement"]), world.task("2", ["housing"])
    world.task("3", ["nanhu"])
    leader = client_for(world.users["city_leader"])
    assert post(leader, f"{API}/tasks/{first.pk}/complete",
                {"completed_on": "2024-12-31"}).status_code == 200
    assert post(leader, f"{API}/tasks/{second.pk}/complete",
                {"completed_on": "2025-01-01"}).status_code == 200
    body = leader.get(f"{API}/plans/{world.plan.pk}", {"day": "2024-12-31"}).json()
    assert body["own"] == {"total": 3, "done": 1, "rate": "33.3"}
    assert leader.get(f"{API}/plans/{world.plan.pk}",
                      {"day": "2025-01-01"}).json()["own"]["done"] == 2
    assert (figure("plan.tasks.done", world), figure("plan.tasks.done", world, 2025)) == (1, 2)
    units = {row["unit"]["name"]: row for row in body["by_unit"]}
    assert units["嘉兴市住房和城乡建设局"]["completion"]["done"] == 0
    assert units["嘉兴市住房和城乡建设局"]["overdue"] == 0  # due 12-31: not late on 12-31


def test_report_figures_move_when_a_task_changes_through_the_api(world):
    task = world.task("1", ["enforcement"])
    world.task("2", ["enforcement"])
    subtask = world.task("1", ["nanhu"], plan=world.sub)
    assert figure("plan.tasks.rate", world) == Decimal("0.0")
    leader = client_for(world.users["city_leader"])
    response = post(leader, f"{API}/tasks/{task.pk}/complete", {"completed_on": "2024-10-08"})
    assert response.status_code == 200, response.content
    assert response.json()["confirmed_by"] == world.users["city_leader"].display_name
    assert figure("plan.tasks.rate", world) == Decimal("50.0")
    assert figure("plan.subtasks.total", world) == 1
    post(leader, f"{API}/tasks/{subtask.pk}/complete", {"completed_on": "2024-11-01"})
    assert figure("plan.subtasks.rate", world) == Decimal("100.0")
    response = post(leader, f"{API}/tasks/{task.pk}/reopen", {"reason": "佐证材料不全"})
    assert response.status_code == 200 and response.json()["completed_on"] is None
    assert figure("plan.tasks.done", world) == 0
    response = post(leader, f"{API}/tasks", {"plan": world.plan.pk, "number": "3",
                                             "title": "新增任务", "due_on": "2025-06-30",
                                             "owners": [world.units["housing"].pk],
                                             "assigned_on": "2024-09-01"})
    assert response.status_code == 201, response.content
    assert figure("plan.tasks.total", world) == 3
    assert figure("plan.tasks.total", world, 2023) == 0  # the plan came in 2024


def test_owners_report_progress_others_may_not(world):
    task = world.task("1", ["nanhu", "housing"])
    owner = client_for(world.users["nanhu_officer"])
    response = post(owner, f"{API}/tasks/{task.pk}/progress",
                    {"text": "已完成辖区排查", "reported_on": "2024-06-01",
                     "claims_done": True})
    assert response.status_code == 201, response.content
    progress = response.json()["progress"]
    assert progress[0]["unit"] == "南湖区应急管理局" and progress[0]["claims_done"]
    # A city officer sees the task (his area) but his department does not own it.
    other = client_for(world.users["office_officer"])
    response = post(other, f"{API}/tasks/{task.pk}/progress",
                    {"text": "越权", "reported_on": "2024-06-01"})
    assert response.status_code == 403 and "责任单位" in response.json()["detail"]
    # Completion is the managers' (销号), not the owner's.
    response = post(owner, f"{API}/tasks/{task.pk}/complete", {"completed_on": "2024-06-02"})
    assert response.status_code == 403
    assert Task.objects.get(pk=task.pk).completed_on is None
    assert Event.objects.filter(action="tasks.task.reported").count() == 1


def test_county_user_sees_the_tasks_its_units_own_only(world):
    own = world.task("1", ["nanhu"])
    other = world.task("2", ["enforcement"])
    nanhu = client_for(world.users["nanhu_officer"])
    ids = [t["id"] for t in nanhu.get(f"{API}/tasks").json()["items"]]
    assert ids == [own.pk]
    assert nanhu.get(f"{API}/tasks/{other.pk}").status_code == 404
    xiuzhou = client_for(world.users["xiuzhou_officer"])
    assert xiuzhou.get(f"{API}/tasks/{own.pk}").status_code == 404
    assert xiuzhou.get(f"{API}/plans/{world.plan.pk}").status_code == 404
    assert xiuzhou.get(f"{API}/plans").json()["count"] == 0


def test_refusals_change_nothing(world):
    task = world.task("1", ["enforcement"])
    leader = client_for(world.users["city_leader"])
    future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = post(leader, f"{API}/tasks/{task.pk}/complete", {"completed_on": future})
    assert response.status_code == 422 and "晚于今天" in response.json()["detail"]
    response = post(leader, f"{API}/tasks/{task.pk}/complete", {"completed_on": "2024-01-01"})
    assert response.status_code == 422 and "早于下达日期" in response.json()["detail"]
    response = post(leader, f"{API}/tasks", {"plan": world.plan.pk, "number": "1",
                                             "title": "重号", "due_on": "2025-01-01",
                                             "owners": [world.units["housing"].pk]})
    assert response.status_code == 422
    county_leader = client_for(world.users["nanhu_leader"])
    response = post(county_leader, f"{API}/tasks/{task.pk}/complete",
                    {"completed_on": "2024-05-01"})
    assert response.status_code == 404  # the city's task, not owned by 南湖: not visible
    assert Task.objects.get(pk=task.pk).completed_on is None
    assert Task.objects.count() == 1


def test_major_hazard_criteria_departments_count_distinct_units(world):
    leader = world.users["city_leader"]
    criteria = services.plan_create(
        actor=leader, agency=world.agencies["city"], title="重大事故隐患判定标准任务清单",
        category=ActionPlan.Category.MAJOR_HAZARD_CRITERIA, issued_on=D(2024, 4, 10),
        start_year=2024, end_year=2025)
    world.task("1", ["housing", "enforcement"], plan=criteria)
    world.task("2", ["housing"], plan=criteria)
    world.task("9", ["nanhu"])  # a task of another plan does not count
    assert figure("hazards.major.task_departments", world) == 2
    assert figure("hazards.major.task_departments", world, 2023) == 0
