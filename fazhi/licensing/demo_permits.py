"""The permits slice of the demo city: hazardous-chemicals permit applications and
permits, construction projects with their 三同时 reviews, the restriction list,
consultations on new projects and upgrade projects, reproducing the licensing figures
of the bureau's 2024 report (report_2024.yaml) from the records:

  permits.three_simultaneities 65, permits.production_use 64, permits.operation 27,
  projects.consulted 6, projects.rejected 1, upgrades.projects 8, upgrades.equipment 151.

Volumes are small, so the figures are the same at every demo size. Every record is made
through the services (`services_permits`, `services_projects`), in date order, by the
city bureau's 危险化学品安全监督管理处 (the city bureau issues these permits in the demo):
officers `city_officer3` and `city_officer2` receive, accept and verify, `leader` decides.

Demo choices (no report figure): permits issued in 2021 are renewed (换证) or extended
(延期) in 2024, permits issued in 2023 are changed (变更) in 2024; a few applications
need a correction notice (补正), one is extended by the head (延长十日), one pauses for
expert review (专家评审), three are refused and one is not accepted — none of those is
counted. 2023 has 18 production/use and 8 operation permits issued, 30 三同时 reviews,
4 consultations (1 vetoed) and 5 upgrade projects (62 pieces of equipment). Two design
reviews applied for in December 2024 are still open. The restriction list rows are
demo data (the city's real list is kept by its administrators).

Deterministic (`ctx.random("licensing.permits")`) and idempotent: each part is loaded
only when its table is empty, so a second run creates nothing and writes no event.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from fazhi.core import calendar
from fazhi.core.demo import DemoContext
from fazhi.core.models import User
from fazhi.licensing import services_permits as sp
from fazhi.licensing import services_projects as sj
from fazhi.licensing.models_permits import Permit, PermitApplication
from fazhi.licensing.models_projects import (
    ConstructionProject,
    ConsultationRequest,
    RestrictedChemical,
    UpgradeProject,
)
from fazhi.subjects.models import Enterprise, SupervisionCategory

D = datetime.date
HOLDERS = {"production": SupervisionCategory.HAZCHEM_PRODUCTION,
           "use": SupervisionCategory.HAZCHEM_USE,
           "operation": SupervisionCategory.HAZCHEM_OPERATION}
SCOPES = {
    "production": ["液氯、氢氧化钠溶液、盐酸", "甲醇、甲醛溶液", "丙烯酸、丙烯酸甲酯",
                   "过氧化氢溶液[含量>8%]", "环氧乙烷、乙二醇"],
    "use": ["使用：液氨（制冷）", "使用：液氯", "使用：天然气、氢气", "使用：甲苯、二甲苯",
            "使用：硝酸、硫酸"],
    "operation": ["批发（无仓储）：甲醇、乙醇、丙酮", "批发（带储存）：液化石油气",
                  "零售：汽油、柴油", "批发（无仓储）：硫酸、盐酸、氢氧化钠"],
}

# (year, permit type, kind): how many approved applications; the 2024 rows give the
# report's 64 (production 20 + use 44) and 27 (operation).
APPROVED: list[tuple[int, str, str, int]] = [
    (2021, "production", "issue", 13), (2021, "use", "issue", 20),
    (2021, "operation", "issue", 12),
    (2023, "production", "issue", 6), (2023, "use", "issue", 12),
    (2023, "operation", "issue", 8),
    (2024, "production", "issue", 6), (2024, "production", "renew", 10),
    (2024, "production", "change", 4), (2024, "production", "extend", 3),
    (2024, "use", "issue", 14), (2024, "use", "renew", 20), (2024, "use", "change", 10),
    (2024, "operation", "issue", 10), (2024, "operation", "renew", 12),
    (2024, "operation", "change", 5),
]
REFUSED_2024 = [("use", 2), ("operation", 1)]  # 不予许可 (not counted)


@dataclass
class Staff:
    officer: User
    second: User
    leader: User
    admin: User


def _staff() -> Staff | None:
    found = {u.username: u for u in User.objects.filter(
        username__in=["city_officer3", "city_officer2", "leader", "admin"])}
    if len(found) < 4:
        return None
    return Staff(found["city_officer3"], found["city_officer2"], found["leader"],
                 found["admin"])


class Days:
    """Working days of the calendar table, drawn in order within a year."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.schedule = calendar.load_schedule()

    def working(self, day: D) -> D:
        return calendar.next_working_day_on_or_after(day, schedule=self.schedule).date

    def after(self, day: D, n: int) -> D:
        return calendar.add_working_days(day, n, schedule=self.schedule).date

    def spread(self, year: int, n: int, first: D | None = None, last: D | None = None
               ) -> list[D]:
        """n working days spread over the year (sorted)."""
        first = first or D(year, 1, 4)
        last = last or D(year, 10, 31)
        span = (last - first).days
        return sorted(self.working(first + datetime.timedelta(days=self.rng.randrange(span)))
                      for _ in range(n))


def _pool(kind: str) -> Iterator[Enterprise]:
    """Enterprises for a permit type: those supervised as that category first, then the
    other hazardous-chemicals ones, then any (a small demo has few)."""
    first = list(Enterprise.objects.filter(supervision_category=HOLDERS[kind]).order_by("id"))
    seen = {e.pk for e in first}
    demo_user = User.objects.filter(username="enterprise").select_related("enterprise").first()
    if kind == "use" and demo_user and demo_user.enterprise and demo_user.enterprise_id:
        first = [demo_user.enterprise, *[e for e in first if e.pk != demo_user.enterprise_id]]
        seen.add(demo_user.enterprise_id)
    rest = Enterprise.objects.exclude(pk__in=seen).order_by("supervision_category", "id")
    yield from first
    yield from rest.iterator()


# --- permits -----------------------------------------------------------------------------

def _approve(staff: Staff, days: Days, rng: random.Random, enterprise: Enterprise,
             permit_type: str, kind: str, received: D, permit: Permit | None = None,
             *, correction: bool = False, extension: bool = False, pause: bool = False
             ) -> PermitApplication:
    codes = [m["code"] for m in sp.materials_for(permit_type, kind)]
    handed = codes[:-1] if correction else codes
    app = sp.permit_application_receive(
        actor=staff.officer, enterprise=enterprise, permit_type=permit_type, kind=kind,
        received_on=received, materials=handed, scope=rng.choice(SCOPES[permit_type]),
        change_note="增加许可品种" if kind == "change" else "", permit=permit)
    accepted = days.after(received, 1)
    if correction:
        sp.permit_application_correction_notify(actor=staff.officer, application=app,
                                                notified_on=days.after(received, 2))
        accepted = days.after(received, 6)
    app = sp.permit_application_accept(actor=staff.officer, application=app,
                                       accepted_on=accepted, materials=codes)
    step = accepted
    if kind in ("issue", "renew"):
        step = days.after(accepted, rng.randint(3, 8))
        sp.site_verification_record(actor=staff.officer, application=app, verified_on=step,
                                    verifiers=[staff.officer, staff.second],
                                    findings="现场与申请材料一致，安全设施运行正常",
                                    result="passed")
    if pause:
        start = days.after(step, 1)
        sp.application_pause_add(actor=staff.officer, application=app, reason="expert_review",
                                 started_on=start, ended_on=days.after(start, 4),
                                 notified_on=start)
        step = days.after(start, 5)
    if extension:
        sp.permit_application_extend(actor=staff.officer, application=app,
                                     approved_on=days.after(accepted, 18),
                                     reason="涉及重大危险源，需补充论证", approved_by="陈志强")
        step = days.after(accepted, 22)
    decided = days.after(step, rng.randint(2, 8))
    return sp.permit_application_decide(actor=staff.leader, application=app, decided_on=decided,
                                        approve=True)


def _load_permits(ctx: DemoContext, staff: Staff, rng: random.Random, days: Days) -> None:
    pools = {kind: _pool(kind) for kind in HOLDERS}
    held: dict[tuple[int, str], list[Permit]] = {}  # (year issued, type) → permits
    made = 0
    for year, permit_type, kind, count in APPROVED:
        dates = days.spread(year, count)
        for i, received in enumerate(dates):
            permit = None
            if kind == "issue":
                enterprise = next(pools[permit_type])
            else:
                base_year = 2021 if kind in ("renew", "extend") else 2023
                permit = held[(base_year, permit_type)].pop(0)
                enterprise = permit.enterprise
            app = _approve(staff, days, rng, enterprise, permit_type, kind, received, permit,
                           correction=(i % 7 == 3), extension=(year == 2024 and i == 1
                                                               and kind == "issue"
                                                               and permit_type != "production"),
                           pause=(year == 2024 and i == 2 and kind == "renew"))
            made += 1
            if kind == "issue":
                held.setdefault((year, permit_type), []).append(app.issued_permit)
    for permit_type, count in REFUSED_2024:
        for received in days.spread(2024, count, D(2024, 4, 1), D(2024, 10, 31)):
            app = sp.permit_application_receive(
                actor=staff.officer, enterprise=next(pools[permit_type]),
                permit_type=permit_type, kind="issue", received_on=received,
                materials=[m["code"] for m in sp.materials_for(permit_type, "issue")],
                scope=SCOPES[permit_type][0])
            app = sp.permit_application_accept(actor=staff.officer, application=app,
                                               accepted_on=days.after(received, 1))
            sp.site_verification_record(
                actor=staff.officer, application=app, verified_on=days.after(received, 4),
                verifiers=[staff.officer, staff.second], result="failed",
                findings="储存场所与周边重要设施的安全距离不符合国家标准")
            sp.permit_application_decide(
                actor=staff.leader, application=app, decided_on=days.after(received, 9),
                approve=False, reasons="现场核查不符合《危险化学品安全管理条例》规定的安全条件；"
                                       "申请人可依法申请行政复议或者提起行政诉讼")
            made += 1
    received = days.working(D(2024, 6, 12))
    app = sp.permit_application_receive(
        actor=staff.officer, enterprise=next(pools["operation"]), permit_type="operation",
        kind="issue", received_on=received, scope=SCOPES["operation"][0])
    sp.permit_application_not_accept(actor=staff.officer, application=app,
                                     decided_on=days.after(received, 2),
                                     reason="申请事项属县级发证机关职权范围，"
                                            "已告知向所在地县级应急管理部门申请")
    ctx.count("危险化学品许可申请", made + 1)


# --- 三同时 reviews --------------------------------------------------------------------------

def _review(staff: Staff, days: Days, project: ConstructionProject, stage: str, applied: D,
            outcome: str = "passed") -> D:
    review = sj.safety_review_apply(actor=staff.officer, project=project, stage=stage,
                                    applied_on=applied, experts="省化工安全专家库专家3名")
    concluded = days.after(applied, 15)
    opinion = ("同意通过，按专家意见完善后实施" if outcome == "passed"
               else "外部安全防护距离论证不充分，不予通过")
    sj.safety_review_conclude(actor=staff.officer, review=review, concluded_on=concluded,
                              outcome=outcome, opinion=opinion)
    return concluded


PRODUCTS = ["精细化学品", "树脂", "溶剂", "助剂", "中间体"]


def _load_reviews(ctx: DemoContext, staff: Staff, rng: random.Random, days: Days) -> None:
    pool = _pool("production")
    natures = ["new", "expand", "rebuild"]
    groups = [  # (projects, stages per year, failed first conditions review in 2024)
        ("A", 12, {2023: ["conditions"], 2024: ["design", "acceptance"]}, 0),
        ("B", 14, {2024: ["conditions", "design"]}, 0),
        ("C", 8, {2024: ["conditions"]}, 3),
        ("D", 6, {2023: ["conditions", "design", "acceptance"]}, 0),
        ("E", 2, {2024: ["conditions", "design-open"]}, 0),
    ]
    n = 0
    for label, count, plan, failed in groups:
        for i in range(count):
            n += 1
            project = sj.construction_project_register(
                actor=staff.officer, enterprise=next(pool), nature=natures[n % 3],
                name=f"{rng.choice(['年产', '新增', '技改'])}{rng.randint(1, 20)}万吨"
                     f"{rng.choice(PRODUCTS)}项目（{label}{i + 1}）")
            for year, stages in sorted(plan.items()):
                day = days.working(D(year, 1, 8) + datetime.timedelta(days=rng.randrange(40)))
                if year == 2024 and label == "E":
                    day = days.working(D(2024, 9, 2))
                for stage in stages:
                    if stage == "design-open":
                        sj.safety_review_apply(actor=staff.officer, project=project,
                                               stage="design", applied_on=D(2024, 12, 16))
                        continue
                    if stage == "conditions" and i < failed:
                        day = days.after(_review(staff, days, project, stage, day, "failed"),
                                         10)
                    day = days.after(_review(staff, days, project, stage, day),
                                     rng.randint(20, 60))
    ctx.count("危险化学品建设项目", n)


# --- the restriction list and consultations --------------------------------------------------

RESTRICTED = [  # (name, CAS, restriction); demo rows, numbered as the list would be
    ("光气", "75-44-5", "prohibited"), ("氰化氢", "74-90-8", "prohibited"),
    ("氯乙烯", "75-01-4", "prohibited"), ("氯气", "7782-50-5", "restricted"),
    ("氨", "7664-41-7", "restricted"), ("硫化氢", "7783-06-4", "restricted"),
    ("环氧乙烷", "75-21-8", "restricted"), ("丙烯腈", "107-13-1", "restricted"),
    ("苯", "71-43-2", "restricted"), ("二硫化碳", "75-15-0", "restricted"),
    ("一氧化碳", "630-08-0", "restricted"), ("甲醛", "50-00-0", "restricted"),
]
CONSULTATIONS = [  # (year, project, chemicals, outcome)
    (2023, "年产3万吨高端涂料项目", "二甲苯 1330-20-7\n乙酸丁酯 123-86-4", "approved"),
    (2023, "年产1万吨电子级化学品项目", "氢氟酸 7664-39-3\n过氧化氢 7722-84-1", "approved"),
    (2023, "年产8万吨PVC项目", "氯乙烯 75-01-4\n氯化氢 7647-01-0", "vetoed"),
    (2023, "年产2万吨水性树脂项目", "丙烯酸 79-10-7\n丙烯酸丁酯 141-32-2", "approved"),
    (2024, "年产5万吨聚碳酸酯项目", "光气 75-44-5\n双酚A 80-05-7", "vetoed"),
    (2024, "年产10万吨锂电池电解液项目", "碳酸二甲酯 616-38-6\n六氟磷酸锂 21324-40-3",
     "approved"),
    (2024, "年产2万吨医药中间体项目", "甲苯 108-88-3\n甲醇 67-56-1", "approved"),
    (2024, "年产6万吨环氧乙烷衍生物项目", "环氧乙烷 75-21-8\n乙醇 64-17-5", "approved"),
    (2024, "年产3万吨特种溶剂项目", "乙酸乙酯 141-78-6\n丙酮 67-64-1", "approved"),
    (2024, "年产1.5万吨氨基树脂项目", "甲醛 50-00-0\n三聚氰胺 108-78-1", "approved"),
]
COUNTIES = ["330482", "330424", "330421", "330483", "330481", "330472", "330402", "330411"]


def _load_consultations(ctx: DemoContext, staff: Staff, rng: random.Random, days: Days) -> None:
    from fazhi.core.models import Jurisdiction

    for number, (name, cas, restriction) in enumerate(RESTRICTED, start=1):
        kind = "禁止类" if restriction == "prohibited" else "限制类"
        sj.restricted_chemical_save(
            actor=staff.admin, name=name, cas=cas, restriction=restriction,
            basis=f"嘉兴市危险化学品“禁限控”目录（演示数据）{kind}第{number}项")
    places = {j.code: j for j in Jurisdiction.objects.filter(code__in=COUNTIES)}
    for i, (year, project, chemicals, outcome) in enumerate(CONSULTATIONS):
        received = days.working(D(year, 2, 1) + datetime.timedelta(days=30 * (i % 5) + 7))
        place = places.get(COUNTIES[i % len(COUNTIES)]) or next(iter(places.values()))
        row = sj.consultation_register(
            actor=staff.officer, project_name=project, applicant=f"{project[:-2]}投资方",
            jurisdiction=place, description=f"拟建{project}，位于化工园区内",
            chemicals=chemicals, received_on=received)
        vetoed = outcome == "vetoed"
        sj.consultation_conclude(
            actor=staff.officer, consultation=row, concluded_on=days.after(received, 12),
            outcome=outcome, experts="市危化品安全专家组5人",
            opinion=("项目工艺本质安全水平低，涉及禁止类化学品" if vetoed
                     else "原则同意，按专家意见落实安全设施“三同时”"),
            reasons="涉及《嘉兴市危险化学品“禁限控”目录》禁止类化学品，否决" if vetoed else "")
    ctx.count("新建项目会商咨询", len(CONSULTATIONS))


# --- upgrade projects ---------------------------------------------------------------------

UPGRADES = {  # year completed → equipment per project (the 2024 total is 151)
    2023: [14, 9, 17, 12, 10],
    2024: [23, 17, 31, 12, 19, 15, 20, 14],
}
EQUIPMENT = [("搪瓷反应釜", "eliminated", "unit"), ("老旧离心机", "eliminated", "unit"),
             ("DCS控制系统", "replaced", "set"), ("SIS安全仪表系统", "replaced", "set"),
             ("可燃气体检测报警器", "replaced", "unit"), ("老旧输送泵", "eliminated", "unit")]


def _split(total: int, rng: random.Random) -> list[int]:
    parts = rng.randint(2, 3)
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _load_upgrades(ctx: DemoContext, staff: Staff, rng: random.Random, days: Days) -> None:
    pool = _pool("use")
    n = 0
    for year, totals in UPGRADES.items():
        for i, total in enumerate(totals):
            n += 1
            started = days.working(D(year - 1, 9, 1) + datetime.timedelta(days=20 * i))
            project = sj.upgrade_project_register(
                actor=staff.officer, enterprise=next(pool), started_on=started,
                name=f"老旧装置改造提升项目{year}-{i + 1}",
                description="淘汰落后工艺设备，提升自动化控制水平")
            items = []
            for k, quantity in enumerate(_split(total, rng)):
                name, action, unit = EQUIPMENT[(i + k) % len(EQUIPMENT)]
                items.append((name, action, quantity, unit))
            sj.upgrade_equipment_add(actor=staff.officer, project=project, items=items)
            sj.upgrade_project_complete(
                actor=staff.officer, project=project,
                completed_on=days.working(D(year, 3, 1) + datetime.timedelta(days=30 * i)))
    open_project = sj.upgrade_project_register(
        actor=staff.officer, enterprise=next(pool), started_on=D(2024, 10, 8),
        name="老旧装置改造提升项目2025-1", description="在建")
    sj.upgrade_equipment_add(actor=staff.officer, project=open_project,
                             items=[("搪瓷反应釜", "eliminated", 4, "unit")])
    ctx.count("改造提升项目", n + 1)


def load(ctx: DemoContext) -> None:
    staff = _staff()
    if staff is None:
        ctx.log("  licensing permits: the city bureau's demo staff are missing; skipped")
        return
    rng = ctx.random("licensing.permits")
    days = Days(rng)
    if not PermitApplication.objects.exists():
        _load_permits(ctx, staff, rng, days)
    if not ConstructionProject.objects.exists():
        _load_reviews(ctx, staff, ctx.random("licensing.reviews"), days)
    if not RestrictedChemical.objects.exists() and not ConsultationRequest.objects.exists():
        _load_consultations(ctx, staff, ctx.random("licensing.consultations"), days)
    if not UpgradeProject.objects.exists():
        _load_upgrades(ctx, staff, ctx.random("licensing.upgrades"), days)
