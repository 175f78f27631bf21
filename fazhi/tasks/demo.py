"""The tasks slice of the demo city: the owner units (the city bureau's departments, the
county bureaus, and the city government's other departments), the 安全生产治本攻坚三年行动
(2024—2026) master plan with 68 tasks (30 confirmed done by 2024-12-31, 8 more in 2025)
and its 12 sub-plans with 1,021 tasks (682 done by 2024-12-31, more in 2025), the
重大事故隐患判定标准 task list handed to 15 units, and a 2023 plan finished that year.

The indicators computed for 嘉兴市 and 2024 give the report's figures: 68 / 30 / 44.1 %,
1,021 / 682 / 66.8 %, 15 departments. Deterministic (ctx.random) and idempotent
(owner units by name, plans by agency + title, tasks by plan + number)."""

from __future__ import annotations

import datetime

from fazhi.core.demo import DemoContext
from fazhi.core.models import Agency, Department, Jurisdiction, Role, User
from fazhi.tasks.models import ActionPlan, OwnerUnit, Task

ORDER = 76
D = datetime.date
CITY = "330400"
CITY_PREFIX = "市应急管理局"

# The city bureau's departments that own tasks (core demo CITY_DEPARTMENTS).
HAZCHEM, INDUSTRY, COORDINATION, LAW, ENFORCEMENT, OFFICE = (
    "危险化学品安全监督管理处", "工贸行业安全监督管理处", "安全生产综合协调处", "政策法规处",
    "执法支队", "办公室")
GOVERNMENT = [
    "嘉兴市住房和城乡建设局", "嘉兴市交通运输局", "嘉兴市经济和信息化局",
    "嘉兴市市场监督管理局", "嘉兴市消防救援支队", "嘉兴市公安局", "嘉兴市教育局",
    "嘉兴市商务局", "嘉兴市农业农村局", "嘉兴市水利局", "嘉兴市文化广电旅游局",
    "嘉兴市卫生健康委员会", "嘉兴市综合行政执法局",
]
# The 重大事故隐患判定标准 list: two bureau departments and the 13 other departments.
CRITERIA_UNITS = [HAZCHEM, INDUSTRY, *GOVERNMENT]

MASTER = "嘉兴市安全生产治本攻坚三年行动方案（2024—2026年）"
MASTER_ISSUED = D(2024, 3, 15)
MASTER_TASKS, MASTER_DONE_2024, MASTER_DONE_2025 = 68, 30, 8
# (sub-plan, lead unit, tasks, done by 2024-12-31)
SUBPLANS: list[tuple[str, str, int, int]] = [
    ("危险化学品安全治本攻坚子方案", HAZCHEM, 128, 92),
    ("工贸行业安全治本攻坚子方案", INDUSTRY, 110, 78),
    ("消防安全治本攻坚子方案", "嘉兴市消防救援支队", 96, 61),
    ("道路交通安全治本攻坚子方案", "嘉兴市公安局", 92, 58),
    ("建筑施工安全治本攻坚子方案", "嘉兴市住房和城乡建设局", 88, 60),
    ("城镇燃气安全治本攻坚子方案", "嘉兴市综合行政执法局", 84, 59),
    ("水上交通和渔业船舶安全治本攻坚子方案", "嘉兴市交通运输局", 70, 44),
    ("特种设备安全治本攻坚子方案", "嘉兴市市场监督管理局", 72, 49),
    ("重大事故隐患动态清零子方案", COORDINATION, 95, 63),
    ("安全生产责任体系建设子方案", COORDINATION, 68, 42),
    ("安全生产执法和治理能力提升子方案", ENFORCEMENT, 62, 41),
    ("全员安全素质提升子方案", LAW, 56, 35),
]
CRITERIA = "嘉兴市重大事故隐患判定标准贯彻落实任务清单"
CRITERIA_ISSUED = D(2024, 4, 10)
PLAN_2023 = "2023年嘉兴市安全生产隐患大排查大整治行动方案"

VERBS = ["全面排查", "建立健全", "推动落实", "深化整治", "完善", "开展专项检查", "督促企业落实",
         "强化"]
OBJECTS = ["重大事故隐患判定标准", "安全生产责任清单", "企业主要负责人安全生产职责",
           "安全风险分级管控和隐患排查治理双重预防机制", "安全生产标准化建设", "执法检查计划",
           "安全培训考核", "应急预案和演练", "第三方服务机构监管", "重点场所安全管理"]


def _units(ctx: DemoContext, agencies: dict[str, Agency]) -> dict[str, OwnerUnit]:
    """Owner units keyed by short name (department name, agency code, government name)."""
    places = {j.code: j for j in Jurisdiction.objects.filter(code=CITY)}
    city = agencies[CITY]
    departments = {d.name: d for d in Department.objects.filter(agency=city)}
    wanted: dict[str, OwnerUnit] = {}
    for name in (HAZCHEM, INDUSTRY, COORDINATION, LAW, ENFORCEMENT, OFFICE):
        if name in departments:
            wanted[name] = OwnerUnit(name=f"{CITY_PREFIX}{name}", kind=OwnerUnit.Kind.EMERGENCY,
                                     jurisdiction=places[CITY], agency=city,
                                     department=departments[name])
    for code, agency in agencies.items():
        if agency.kind == Agency.Kind.COUNTY_BUREAU:
            wanted[code] = OwnerUnit(name=agency.name, kind=OwnerUnit.Kind.EMERGENCY,
                                     jurisdiction=agency.jurisdiction, agency=agency)
    for name in GOVERNMENT:
        wanted[name] = OwnerUnit(name=name, kind=OwnerUnit.Kind.GOVERNMENT,
                                 jurisdiction=places[CITY])
    have = {u.name: u for u in OwnerUnit.objects.filter(
        name__in=[u.name for u in wanted.values()])}
    new = [u for u in wanted.values() if u.name not in have]
    for unit in new:
        unit.jurisdiction_path = unit.jurisdiction.path
    OwnerUnit.objects.bulk_create(new)
    ctx.count("责任单位", len(new))
    ctx.record([(u, "tasks.unit.created", {"source": "demo", "name": u.name, "kind": u.kind})
                for u in new])
    return {key: have.get(u.name, u) for key, u in wanted.items()}


def _plan(ctx: DemoContext, city: Agency, title: str, category: str, issued: D,
          years: tuple[int, int], parent: ActionPlan | None = None,
          lead: OwnerUnit | None = None, number: str = "") -> tuple[ActionPlan, bool]:
    existing = ActionPlan.objects.filter(agency=city, title=title).first()
    if existing:
        return existing, False
    plan = ActionPlan(agency=city, title=title, category=category, issued_on=issued,
                      start_year=years[0], end_year=years[1], parent=parent, lead_unit=lead,
                      document_number=number)
    plan.full_clean()
    plan.save()
    ctx.record([(plan, "tasks.plan.created", {"source": "demo", "title": title})])
    return plan, True


def _title(rng, n: int) -> str:
    return f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}（第{n}项）"


def _day_between(rng, start: D, end: D) -> D:
    return start + datetime.timedelta(days=rng.randrange(0, (end - start).days + 1))


def _tasks(ctx: DemoContext, plan: ActionPlan, specs: list[dict]) -> int:
    """Create the plan's tasks (once: skipped when the plan already has tasks)."""
    if Task.objects.filter(plan=plan).exists():
        return 0
    tasks = [Task(plan=plan, number=str(n), title=s["title"], assigned_on=plan.issued_on,
                  due_on=s["due"], completed_on=s.get("done"),
                  confirmed_by=s.get("by") if s.get("done") else None,
                  confirmed_at=datetime.datetime.combine(
                      s["done"], datetime.time(17), tzinfo=datetime.UTC)
                  if s.get("done") else None,
                  jurisdiction_path=plan.jurisdiction_path)
             for n, s in enumerate(specs, start=1)]
    Task.objects.bulk_create(tasks, batch_size=500)
    if tasks and tasks[0].pk is None:
        ids = dict(Task.objects.filter(plan=plan).values_list("number", "pk"))
        for task in tasks:
            task.pk = ids[task.number]
    Through = Task.owners.through
    Through.objects.bulk_create(
        [Through(task_id=t.pk, ownerunit_id=u.pk)
         for t, s in zip(tasks, specs, strict=True) for u in s["owners"]], batch_size=1000)
    ctx.record([(t, "tasks.task.created", {"source": "demo", "plan": plan.pk,
                                           "number": t.number, "due_on": t.due_on,
                                           "completed_on": t.completed_on}) for t in tasks])
    return len(tasks)


def load(ctx: DemoContext) -> None:
    agencies = {a.jurisdiction.code: a for a in Agency.objects.select_related("jurisdiction")}
    if CITY not in agencies:
        return
    rng = ctx.random("tasks")
    city = agencies[CITY]
    confirmer = (User.objects.filter(username="leader").first()
                 or User.objects.filter(agency=city, role__in=[Role.LEADER, Role.ADMIN]).first())
    if confirmer is None:
        return
    units = _units(ctx, agencies)
    counties = [units[c] for c in sorted(agencies) if c in units and c != CITY]
    city_units = [units[n] for n in (HAZCHEM, INDUSTRY, COORDINATION, LAW, ENFORCEMENT)
                  if n in units] + [units[n] for n in GOVERNMENT]
    created = 0

    # 2023: a plan started and finished that year.
    plan, _ = _plan(ctx, city, PLAN_2023, ActionPlan.Category.GENERAL, D(2023, 3, 1),
                    (2023, 2023), lead=units.get(COORDINATION))
    created += _tasks(ctx, plan, [
        {"title": _title(rng, n), "due": D(2023, 11, 30),
         "owners": [rng.choice(city_units), rng.choice(counties)],
         "done": _day_between(rng, D(2023, 5, 1), D(2023, 12, 20)), "by": confirmer}
        for n in range(1, 25)])

    # The master plan: 30 done in 2024, 8 in 2025, the rest open.
    master, _ = _plan(ctx, city, MASTER, ActionPlan.Category.ROOT_CAUSE, MASTER_ISSUED,
                      (2024, 2026), lead=units.get(COORDINATION), number="嘉安委〔2024〕3号")
    specs = []
    for n in range(1, MASTER_TASKS + 1):
        owners = rng.sample(city_units, rng.randrange(1, 4))
        if n <= MASTER_DONE_2024:
            due = rng.choice([D(2024, 6, 30), D(2024, 12, 31)])
            done = _day_between(rng, D(2024, 5, 1), D(2024, 12, 31))
        elif n <= MASTER_DONE_2024 + MASTER_DONE_2025:
            due, done = D(2025, 6, 30), _day_between(rng, D(2025, 1, 6), D(2025, 11, 28))
        else:
            due, done = rng.choice([D(2024, 12, 31), D(2025, 12, 31), D(2026, 12, 31)]), None
        specs.append({"title": _title(rng, n), "due": due, "owners": owners, "done": done,
                      "by": confirmer})
    created += _tasks(ctx, master, specs)

    # The sub-plans.
    for index, (title, lead, total, done_2024) in enumerate(SUBPLANS, start=1):
        issued = D(2024, 4, 1) + datetime.timedelta(days=7 * index)
        lead_unit = units.get(lead) or city_units[0]
        sub, _ = _plan(ctx, city, title, ActionPlan.Category.ROOT_CAUSE, issued, (2024, 2026),
                       parent=master, lead=lead_unit)
        later = total // 10  # done in 2025
        specs = []
        for n in range(1, total + 1):
            owners = [lead_unit, *rng.sample(counties, rng.randrange(0, 3))]
            if n <= done_2024:
                due = rng.choice([D(2024, 9, 30), D(2024, 12, 31), D(2025, 6, 30)])
                done = _day_between(rng, issued + datetime.timedelta(days=14), D(2024, 12, 31))
            elif n <= done_2024 + later:
                due, done = D(2025, 6, 30), _day_between(rng, D(2025, 1, 2), D(2025, 12, 15))
            else:
                due = rng.choice([D(2025, 6, 30), D(2025, 12, 31), D(2026, 6, 30),
                                  D(2026, 12, 31)])
                done = None
            specs.append({"title": _title(rng, n), "due": due, "owners": owners, "done": done,
                          "by": confirmer})
        created += _tasks(ctx, sub, specs)

    # The 重大事故隐患判定标准 list handed to 15 units (two tasks each, one shared).
    criteria, _ = _plan(ctx, city, CRITERIA, ActionPlan.Category.MAJOR_HAZARD_CRITERIA,
                        CRITERIA_ISSUED, (2024, 2025), lead=units.get(COORDINATION))
    handed = [units[name] for name in CRITERIA_UNITS if name in units]
    specs = []
    for n, unit in enumerate(handed * 2, start=1):
        owners = [unit] if n <= len(handed) else [unit, handed[(n + 3) % len(handed)]]
        done = (_day_between(rng, D(2024, 6, 1), D(2024, 12, 31)) if n <= 18 else None)
        specs.append({"title": f"{unit.name}落实重大事故隐患判定标准（第{n}项）",
                      "due": D(2024, 12, 31) if n <= len(handed) else D(2025, 6, 30),
                      "owners": owners, "done": done, "by": confirmer})
    created += _tasks(ctx, criteria, specs)
    ctx.count("任务", created)
