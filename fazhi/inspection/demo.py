"""The inspection slice of the demo city: the checklist items (检查事项) of the
major-hazard criteria, and Jiaxing's enforcement year 2024 built from records.

At the default demo size the records reproduce the report figures (report_2024.yaml):
exactly 2,433 finished inspections (家次), 1,326 major hazards listed for supervision
(挂牌督办) and closed after a passed re-inspection within 2024 ("1300余项"), 65
hazardous-chemicals enterprises with expert visits, 1,554 industry-and-trade enterprises
on the 2024 key-assistance list. A smaller demo (`--enterprises`) scales every figure.

Every inspection record goes through `fazhi.inspection.services` (two officers of the
inspecting agency with certificates valid on the day, numbered orders and
re-inspection opinions, events), in date order so document numbers follow the dates.
Each agency gets an annual plan and, when it has enough planned work, two half-yearly
double-random draws (双随机) whose picks it then inspects. Major hazards are listed for
supervision within days and closed after their re-inspection; some general hazards are
rectified on the spot, the others ordered, reported and re-inspected; a few hazards
are honestly late (reported or re-inspected after the due day) or still open at the
end of 2024 with their deadline passed; majors found late in 2024 close in 2025.

The counties have one or two officers each in the core slice, too few for a year of
pairs: the teams are completed here (users and certificates, on the record like the
core slice's staff: there is no staff service). Idempotent: an agency whose 2024 plan
exists is left alone, users, certificates, visits and key-assistance rows are matched
on natural keys; a second run creates nothing and writes no event. Deterministic: all
randomness from `ctx.random`, all record dates from constants.
"""

from __future__ import annotations

import bisect
import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.db.models import Q

from fazhi.core import calendar
from fazhi.core.demo import (
    CERT_VALID,
    COUNTY_BUREAUS,
    DEFAULT_ENTERPRISES,
    TOWN_STATIONS,
    DemoContext,
    bulk_create_missing,
)
from fazhi.core.models import Agency, Department, EnforcementCertificate, Event, Role, User
from fazhi.inspection.models import (
    AssistanceVisit,
    ChecklistItem,
    DrawPick,
    Hazard,
    HazardLevel,
    InspectionCategory,
    InspectionPlan,
    InspectionResult,
    KeyAssistedEnterprise,
    SupervisionLevel,
)
from fazhi.inspection.rules.hazards import REINSPECTION
from fazhi.inspection.services import (
    assistance_visit_record,
    checklist_load,
    draw_publish,
    draw_run,
    finding_add,
    hazard_register,
    inspection_create,
    inspection_finish,
    inspection_record_results,
    key_assisted_add,
    plan_create,
    rectification_report,
    recusal_declare,
    reinspection_record,
    supervision_list,
)
from fazhi.subjects.demo import COUNTY_WEIGHTS, person_name
from fazhi.subjects.models import Enterprise, ResponsiblePerson, SupervisionCategory

ORDER = 40
YEAR = 2024
D = datetime.date
YEAR_START, YEAR_END = D(YEAR, 1, 1), D(YEAR, 12, 31)


# ---------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Targets:
    inspections: int = 2433        # report: 执法检查 2,433 家次
    majors_closed: int = 1326      # report: 督改重大事故隐患 1300余项
    majors_next_year: int = 41     # found late in 2024, closed in 2025
    majors_overdue: int = 7        # deadline passed in 2024, still open
    # General hazards are not a report figure; each costs 20-45 ms of service calls,
    # so the demo keeps them to about one in three inspections.
    generals: int = 880
    generals_overdue: int = 9
    expert_guided: int = 65        # report: 危化企业专家服务指导 65 家
    key_assisted: int = 1554       # report: 工贸领域重点帮扶企业 1,554 家
    industry_visits: int = 150     # expert visits to key-assisted industry enterprises


FULL = Targets()


def targets_for(enterprises: int) -> Targets:
    """The report's figures at the default demo size; proportionally fewer (at least
    one of each) for a smaller demo."""
    if enterprises >= DEFAULT_ENTERPRISES:
        return FULL
    share = enterprises / DEFAULT_ENTERPRISES
    return Targets(*(max(1, round(value * share)) for value in astuple(FULL)))


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Largest-remainder split of `total` by `weights` (a zero weight gets nothing)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


# ---------------------------------------------------------------------------------------
# Reference tables (demo choices, not legal facts)
# ---------------------------------------------------------------------------------------

CITY = "330400"
AGENCY_CODES: list[str] = [CITY, *COUNTY_BUREAUS, *TOWN_STATIONS]
SLUGS: dict[str, str] = {
    "330400": "city", "330402": "nanhu", "330411": "xiuzhou", "330421": "jiashan",
    "330424": "haiyan", "330481": "haining", "330482": "pinghu", "330483": "tongxiang",
    "330471": "jkq", "330472": "gangqu", "330402105": "daqiao", "330421103": "xitang",
    "330481103": "changan", "330482108": "dushangang", "330483101": "puyuan",
}
TEAM_SIZE = {Agency.Kind.CITY_BUREAU: 6, Agency.Kind.COUNTY_BUREAU: 6,
             Agency.Kind.TOWN_STATION: 3}
TEAM_DEPARTMENT = {Agency.Kind.CITY_BUREAU: "执法支队", Agency.Kind.COUNTY_BUREAU: "执法大队",
                   Agency.Kind.TOWN_STATION: "综合执法组"}
# Share of the year's inspections: the city bureau 10 %, each delegated station 2 %, the
# county bureaus the rest by their share of enterprises.
AGENCY_WEIGHTS: dict[str, int] = {
    CITY: 100, **{code: 8 * COUNTY_WEIGHTS[code] for code in COUNTY_BUREAUS},
    **{code: 20 for code in TOWN_STATIONS},
}
RECUSAL_AGENCIES = ("330402", "330411", "330481")

DRAW_ROUNDS: list[tuple[D, D]] = [  # (draw on or after, last inspection day)
    (D(YEAR, 1, 8), D(YEAR, 6, 28)), (D(YEAR, 7, 1), D(YEAR, 12, 27)),
]
DRAW_SHARE = 0.35  # of an agency's inspections drawn at random (一般检查)
WINDOW_CLOSED = (D(YEAR, 1, 2), D(YEAR, 10, 18))       # majors closed within the year
WINDOW_OVERDUE = (D(YEAR, 10, 8), D(YEAR, 11, 22))     # still open at the year's end
WINDOW_NEXT_YEAR = (D(YEAR, 11, 18), D(YEAR, 12, 27))  # closed the next year

RISK_WEIGHT = {"major": 8, "large": 5, "general": 3, "low": 1}
CATEGORY_WEIGHT = {
    SupervisionCategory.HAZCHEM_PRODUCTION: 3.0, SupervisionCategory.HAZCHEM_OPERATION: 2.0,
    SupervisionCategory.HAZCHEM_USE: 1.5,
}
HAZCHEM = (SupervisionCategory.HAZCHEM_PRODUCTION, SupervisionCategory.HAZCHEM_OPERATION,
           SupervisionCategory.HAZCHEM_USE)

# Which major-hazard criteria an enterprise can meet, by category and industry.
CHEM_ALL = [f"HC2017-{n:02d}" for n in range(1, 21)]
CHEM_OPERATION = ["HC2017-01", "HC2017-02", "HC2017-12", "HC2017-15", "HC2017-16",
                  "HC2017-17", "HC2017-18", "HC2017-20"]
TRADE_COMMON = ["GM2023-GEN-01", "GM2023-GEN-02", "GM2023-CONF-01", "GM2023-CONF-02"]
DUST_COMMON = [f"GM2023-DUST-{n:02d}" for n in (1, 2, 3, 5, 7, 8, 10)]
WOOD_INDUSTRIES = {"C2021", "C2110"}
DUST_INDUSTRIES = WOOD_INDUSTRIES | {"C1711", "C1311"}
AMMONIA_INDUSTRIES = {"C1371", "G5930"}
SPOTS: dict[str, list[str]] = {
    "chem": ["生产装置区", "储罐区", "甲类仓库", "装卸区"],
    "dust": ["除尘系统", "打磨工段", "粉碎工段"],
    "wood": ["砂光车间", "木工车间", "除尘系统"],
    "confined": ["污水处理池", "地下污水井", "循环水池"],
    "ammonia": ["速冻车间", "包装车间"],
}
GENERAL_HAZARDS = [
    "安全出口、疏散通道堆放杂物", "部分灭火器压力不足或超期未检", "车间配电箱未上锁、箱内积尘",
    "临时用电线路私拉乱接", "作业人员未按规定佩戴劳动防护用品", "安全警示标志缺失或设置不规范",
    "机械设备传动部位防护罩缺失", "安全生产教育培训记录不完整", "应急预案未按计划组织演练",
    "隐患排查治理台账记录不全", "动火作业票填写不规范", "应急物资配备不足",
    "车间内物料堆放超高", "消防水带、水枪缺失", "叉车作业区域未划线隔离",
]
CHEM_GENERAL_HAZARDS = [
    "危险化学品储存场所未张贴安全周知卡", "可燃气体检测报警器超期未检定",
    "危险化学品出入库台账登记不全", "储罐区防火堤内积存杂物",
]
JOINT_DEPARTMENTS = ["市场监管部门", "消防救援机构", "生态环境部门", "综合行政执法部门"]
NON_SITE = [("monitoring", "在线监测数据"), ("video", "视频监控"), ("documents", "书面材料")]
EXPERT_FIELDS_CHEM = ["化工工艺", "电气仪表", "设备设施", "安全管理", "储运"]
EXPERT_FIELDS_TRADE = ["粉尘防爆", "有限空间", "机械安全", "安全管理"]
CHEM_PROBLEMS = [
    ("可燃气体检测报警器未定期标定", "按规定周期标定并建立台账"),
    ("部分操作规程与现行工艺不一致", "结合工艺变更修订操作规程并组织培训"),
    ("特殊作业票证审批不规范", "规范动火、受限空间等特殊作业审批流程"),
    ("重大危险源包保责任人履职记录不全", "完善包保责任人履职记录"),
    ("储罐区安全附件检查记录不全", "建立安全阀、呼吸阀等安全附件检查台账"),
]
TRADE_PROBLEMS = [
    ("除尘系统清灰记录不全", "落实粉尘清理制度并如实记录"),
    ("有限空间辨识台账不完整", "全面辨识有限空间并设置警示标志"),
    ("设备防护装置缺失", "补齐传动部位防护装置"),
    ("安全培训档案不完整", "完善三级安全教育培训档案"),
]
KEY_REASONS_DUST = "粉尘涉爆企业"
KEY_REASONS = ["涉有限空间作业企业", "劳动密集型企业", "安全管理基础薄弱企业"]
ON_SITE_SHARE = 0.68
FAIL_SHARE, LATE_REPORT_SHARE, LATE_REINSPECTION_SHARE = 0.05, 0.07, 0.05


# ---------------------------------------------------------------------------------------
# Working days
# ---------------------------------------------------------------------------------------

class WorkingDays:
    """The working days of the demo years from the loaded calendar, for planning."""

    def __init__(self, schedule: calendar.Schedule, first: D, last: D) -> None:
        days, day = [], first
        while day <= last:
            if schedule.working(day):
                days.append(day)
            day += datetime.timedelta(days=1)
        self.days = days

    def between(self, first: D, last: D) -> list[D]:
        lo = bisect.bisect_left(self.days, first)
        hi = bisect.bisect_right(self.days, last)
        return self.days[lo:hi]

    def on_or_after(self, day: D) -> D:
        return self.days[min(bisect.bisect_left(self.days, day), len(self.days) - 1)]

    def pick(self, rng: random.Random, first: D, last: D) -> D:
        days = self.between(first, last)
        return rng.choice(days) if days else self.on_or_after(first)


def _plus(day: D, n: int) -> D:
    return day + datetime.timedelta(days=n)


# ---------------------------------------------------------------------------------------
# Planned records (pure)
# ---------------------------------------------------------------------------------------

@dataclass
class Round:
    """One rectification order: its deadline, the enterprise's report, the re-inspection."""

    deadline: D
    report: D | None = None
    reinspection: D | None = None
    passed: bool = True


@dataclass
class HazardSpec:
    level: str
    description: str
    criterion: str | None = None
    on_site: bool = False
    rounds: list[Round] = field(default_factory=list)
    listed_on: D | None = None
    supervision: tuple[str, str] | None = None  # (level, supervising agency code)


@dataclass
class InspectionSpec:
    agency: str
    enterprise: int
    date: D
    category: str
    officers: tuple[int, int]
    pick: int | None = None
    non_site: str = ""
    joint: tuple[str, ...] = ()
    checked: list[tuple[str, str]] = field(default_factory=list)
    hazards: list[HazardSpec] = field(default_factory=list)
    signed_by: str = ""
    refusal: str = ""


@dataclass(frozen=True)
class Company:
    id: int
    path: str
    category: str
    risk: str
    industry: str


def applicable_criteria(company: Company) -> list[str]:
    if company.category == SupervisionCategory.HAZCHEM_PRODUCTION:
        return CHEM_ALL
    if company.category == SupervisionCategory.HAZCHEM_OPERATION:
        return CHEM_OPERATION
    codes = list(TRADE_COMMON)
    if company.industry in DUST_INDUSTRIES:
        codes += DUST_COMMON + (["GM2023-DUST-06"] if company.industry in WOOD_INDUSTRIES else [])
    if company.industry in AMMONIA_INDUSTRIES:
        codes += ["GM2023-NH3-01", "GM2023-NH3-02"]
    return codes


def _spot(code: str, company: Company, rng: random.Random) -> str:
    if code.startswith("HC2017-"):
        spots = [] if int(code[-2:]) in (1, 2, 16, 17, 18, 19) else SPOTS["chem"]
    elif "-DUST-" in code:
        spots = SPOTS["wood" if company.industry in WOOD_INDUSTRIES else "dust"]
    elif "-CONF-" in code:
        spots = SPOTS["confined"]
    elif "-NH3-" in code:
        spots = SPOTS["ammonia"]
    else:
        spots = []
    return rng.choice(spots) if spots else ""


def weighted_order(rng: random.Random, companies: Sequence[Company]) -> list[Company]:
    """The companies in a random order where riskier ones tend to come first."""
    keyed = [(rng.random() ** (1.0 / (RISK_WEIGHT.get(c.risk, 1)
                                      * CATEGORY_WEIGHT.get(c.category, 1.0))), c)
             for c in companies]
    keyed.sort(key=lambda row: (-row[0], row[1].id))
    return [c for _, c in keyed]


def _groups(rng: random.Random, total: int, capacity: int) -> list[int]:
    """`total` majors split into per-inspection groups of 1–3, at most `capacity` groups."""
    sizes: list[int] = []
    while sum(sizes) < total:
        sizes.append(min(rng.choice((1, 1, 1, 1, 1, 1, 1, 2, 2, 3)), total - sum(sizes)))
    while len(sizes) > max(capacity, 1):
        sizes.sort()
        sizes[1] += sizes.pop(0)
    return sizes


def _report_and_reinspect(rng: random.Random, days: WorkingDays, issued: D, deadline: D,
                          *, late_ok: bool = True) -> tuple[D, D]:
    """A report (usually before the deadline, sometimes late) and the re-inspection
    (usually within the due days, sometimes late)."""
    if late_ok and rng.random() < LATE_REPORT_SHARE:
        report = days.pick(rng, _plus(deadline, 1), _plus(deadline, 6))
    else:
        report = days.pick(rng, _plus(issued, min(3, (deadline - issued).days)), deadline)
    # The services' own rule (calendar days, unconfirmed; see rules.hazards).
    due = _plus(min(deadline, report), REINSPECTION.days)
    if late_ok and rng.random() < LATE_REINSPECTION_SHARE:
        reinspection = days.pick(rng, _plus(due, 1), _plus(due, 12))
    else:
        reinspection = days.pick(rng, _plus(report, 1), due)
    if reinspection <= report:  # no working day in the window: the first one after
        reinspection = days.on_or_after(_plus(report, 1))
    return report, reinspection


def plan_rounds(rng: random.Random, days: WorkingDays, found: D, *, span: tuple[int, int],
                close_from: D | None = None, close_by: D | None = None,
                fail_share: float = FAIL_SHARE) -> list[Round]:
    """Orders until a passed re-inspection, closing between `close_from` and `close_by`
    (tries random lifecycles, then falls back to a short, punctual one)."""
    for attempt in range(40):
        late_ok = attempt < 20
        deadline = days.on_or_after(_plus(found, rng.randint(*span)))
        if close_from and deadline < close_from:
            deadline = days.on_or_after(_plus(close_from, rng.randint(0, 20)))
        report, reinspection = _report_and_reinspect(rng, days, found, deadline,
                                                     late_ok=late_ok)
        rounds = [Round(deadline, report, reinspection)]
        if late_ok and rng.random() < fail_share:
            rounds[0].passed = False
            second = days.on_or_after(_plus(reinspection, rng.randint(10, 25)))
            report, reinspection = _report_and_reinspect(rng, days, reinspection, second,
                                                         late_ok=False)
            rounds.append(Round(second, report, reinspection))
        closed = rounds[-1].reinspection
        if (close_from is None or closed >= close_from) and (close_by is None
                                                             or closed <= close_by):
            return rounds
    deadline = days.on_or_after(max(_plus(found, span[0]), close_from or found))
    report = days.pick(rng, max(_plus(found, 1), close_from or found), deadline)
    return [Round(deadline, report, days.on_or_after(_plus(report, 1)))]


@dataclass
class AgencyQuota:
    inspections: int = 0
    majors_closed: int = 0
    majors_next_year: int = 0
    majors_overdue: int = 0
    generals: int = 0
    generals_overdue: int = 0

    @property
    def drawn(self) -> int:
        """Inspections from the agency's random draws (none for a tiny workload)."""
        return round(self.inspections * DRAW_SHARE) if self.inspections >= 4 else 0

    def draw_sizes(self) -> list[int]:
        return apportion(self.drawn, [1] * len(DRAW_ROUNDS))


def quotas(targets: Targets, available: dict[str, bool]) -> dict[str, AgencyQuota]:
    """Split the targets between the agencies (none for an agency with nothing to
    inspect); majors go with the inspections an agency chooses itself."""
    codes = AGENCY_CODES
    result = {code: AgencyQuota() for code in codes}
    weights = [AGENCY_WEIGHTS[c] if available.get(c) else 0 for c in codes]
    for code, n in zip(codes, apportion(targets.inspections, weights), strict=True):
        result[code].inspections = n
    own = [result[c].inspections - result[c].drawn for c in codes]
    everyone = [result[c].inspections for c in codes]
    for name, basis in [("majors_closed", own), ("majors_next_year", own),
                        ("majors_overdue", own), ("generals", everyone),
                        ("generals_overdue", everyone)]:
        for code, n in zip(codes, apportion(getattr(targets, name), basis), strict=True):
            setattr(result[code], name, n)
    return result


@dataclass(frozen=True)
class DrawnPick:
    pick: int
    enterprise: int
    officers: tuple[int, int]
    first: D
    last: D


@dataclass
class AgencyWorld:
    code: str
    supervisor_of: Callable[[Company], tuple[str, str]]
    pool: list[Company]
    team: list[int]
    recused: set[tuple[int, int]]
    people: dict[int, tuple[str, str]]


def _pair(rng: random.Random, world: AgencyWorld, enterprise: int) -> tuple[int, int]:
    for _ in range(50):
        pair = tuple(sorted(rng.sample(world.team, 2)))
        if not any((o, enterprise) in world.recused for o in pair):
            return pair  # type: ignore[return-value]
    raise RuntimeError(f"no officer pair for enterprise {enterprise}")


def plan_inspections(rng: random.Random, days: WorkingDays, world: AgencyWorld,
                     quota: AgencyQuota, picks: Sequence[DrawnPick],
                     demo_enterprise: int | None = None) -> list[InspectionSpec]:
    """The agency's inspections of the year with their hazards' lifecycles (pure)."""
    by_id = {c.id: c for c in world.pool}
    specs = [InspectionSpec(agency=world.code, enterprise=p.enterprise,
                            date=days.pick(rng, p.first, p.last),
                            category=InspectionCategory.GENERAL, officers=p.officers,
                            pick=p.pick) for p in picks]
    own = quota.inspections - len(specs)
    order = weighted_order(rng, world.pool)
    if demo_enterprise in by_id:  # the demo enterprise user sees its own hazards
        order.remove(by_id[demo_enterprise])
        order.insert(0, by_id[demo_enterprise])
    kinds = [("closed", WINDOW_CLOSED, quota.majors_closed),
             ("overdue", WINDOW_OVERDUE, quota.majors_overdue),
             ("next", WINDOW_NEXT_YEAR, quota.majors_next_year)]
    carriers: list[tuple[str, tuple[D, D], int]] = []
    for kind, window, total in kinds:
        # The report's figure (closed) comes first; in a tiny demo the others may not fit.
        room = own - len(carriers)
        if total and room > 0:
            carriers += [(kind, window, size) for size in _groups(rng, total, room)]
    for n in range(own):
        company = order[n % len(order)]
        carrier = carriers[n] if n < len(carriers) else None
        window = carrier[1] if carrier else (YEAR_START, D(YEAR, 12, 27))
        category = rng.choices(
            [InspectionCategory.KEY, InspectionCategory.SPECIAL, InspectionCategory.JOINT],
            weights=[50, 38, 12])[0]
        spec = InspectionSpec(agency=world.code, enterprise=company.id,
                              date=days.pick(rng, *window), category=category,
                              officers=_pair(rng, world, company.id))
        if category == InspectionCategory.JOINT:
            spec.joint = tuple(rng.sample(JOINT_DEPARTMENTS, rng.randint(1, 2)))
        elif carrier is None and rng.random() < 0.04:
            spec.non_site = rng.choice(NON_SITE)[0]
        if carrier:
            _add_majors(rng, days, world, spec, company, kind=carrier[0], count=carrier[2])
        specs.append(spec)
    _add_generals(rng, days, world, specs, by_id, quota)
    for spec in specs:
        _add_checks_and_signature(rng, world, spec, by_id[spec.enterprise])
    return specs


def _add_majors(rng: random.Random, days: WorkingDays, world: AgencyWorld,
                spec: InspectionSpec, company: Company, *, kind: str, count: int) -> None:
    criteria = applicable_criteria(company)
    for code in rng.sample(criteria, min(count, len(criteria))) + (
            rng.choices(criteria, k=count - len(criteria)) if count > len(criteria) else []):
        spot = _spot(code, company, rng)
        hazard = HazardSpec(level=HazardLevel.MAJOR, criterion=code, description=spot)
        if kind == "closed":
            hazard.rounds = plan_rounds(rng, days, spec.date, span=(15, 45),
                                        close_by=D(YEAR, 12, 31))
        elif kind == "next":
            hazard.rounds = plan_rounds(rng, days, spec.date, span=(30, 60),
                                        close_from=D(YEAR + 1, 1, 2),
                                        close_by=D(YEAR + 1, 3, 31), fail_share=0)
        else:  # overdue: the deadline passes in 2024 with no report
            deadline = days.pick(rng, _plus(spec.date, 15), D(YEAR, 12, 20))
            hazard.rounds = [Round(deadline)]
        first_reinspection = hazard.rounds[0].reinspection or D(YEAR, 12, 31)
        hazard.listed_on = min(days.pick(rng, spec.date, _plus(spec.date, 6)),
                               _plus(first_reinspection, -1))
        hazard.listed_on = max(hazard.listed_on, spec.date)
        hazard.supervision = world.supervisor_of(company)
        spec.hazards.append(hazard)


def _add_generals(rng: random.Random, days: WorkingDays, world: AgencyWorld,
                  specs: list[InspectionSpec], by_id: dict[int, Company],
                  quota: AgencyQuota) -> None:
    if not specs:
        return
    late = [s for s in specs if WINDOW_OVERDUE[0] <= s.date <= WINDOW_OVERDUE[1]]
    for n in range(quota.generals):
        overdue = n < quota.generals_overdue
        spec = rng.choice(late if overdue and late else specs)
        company = by_id[spec.enterprise]
        texts = GENERAL_HAZARDS + (CHEM_GENERAL_HAZARDS if company.category in HAZCHEM else [])
        hazard = HazardSpec(level=HazardLevel.GENERAL, description=rng.choice(texts))
        if overdue:
            hazard.rounds = [Round(days.pick(rng, _plus(spec.date, 7),
                                             max(_plus(spec.date, 7), D(YEAR, 12, 20))))]
        elif not spec.non_site and rng.random() < ON_SITE_SHARE:
            hazard.on_site = True
        else:
            hazard.rounds = plan_rounds(rng, days, spec.date, span=(7, 30))
        spec.hazards.append(hazard)


def _add_checks_and_signature(rng: random.Random, world: AgencyWorld, spec: InspectionSpec,
                              company: Company) -> None:
    found = {h.criterion for h in spec.hazards if h.criterion}
    others = [c for c in applicable_criteria(company) if c not in found]
    checked = sorted(found) + rng.sample(others, min(len(others), rng.randint(1, 2)))
    spec.checked = [(code, InspectionResult.Outcome.FINDING if code in found
                     else InspectionResult.Outcome.OK) for code in checked]
    principal, manager = world.people.get(company.id, ("", ""))
    if rng.random() < 0.005 and not spec.non_site:
        spec.refusal = "被检查单位现场负责人拒绝签字，执法人员已在记录中注明并全程录像"
    else:
        spec.signed_by = (manager if manager and rng.random() < 0.3 else principal) or "现场负责人"


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------

@dataclass
class World:
    agencies: dict[str, Agency]
    teams: dict[str, list[User]]
    users: dict[int, User]
    companies: list[Company]
    enterprises: dict[int, Enterprise]
    people: dict[int, tuple[str, str]]
    items: dict[str, ChecklistItem]
    days: WorkingDays
    enterprise_user: User | None
    county_of: Callable[[str], str]


def _certified_for_the_year() -> Q:
    return Q(certificates__revoked_at__isnull=True,
             certificates__valid_from__lte=YEAR_START,
             certificates__valid_to__gte=D(YEAR + 1, 6, 30))


def _load_teams(ctx: DemoContext, agencies: dict[str, Agency]) -> dict[str, list[User]]:
    """Each agency's officers certified for 2024–25, completed to TEAM_SIZE."""
    rng = ctx.random("inspection.staff")
    officers = (User.objects.filter(role=Role.OFFICER, is_active=True, agency__in=agencies.values())
                .filter(_certified_for_the_year()).distinct())
    have: dict[int, int] = {}
    for _pk, agency_id in officers.values_list("id", "agency_id"):
        have[agency_id] = have.get(agency_id, 0) + 1
    usernames = set(User.objects.values_list("username", flat=True))
    names = set(User.objects.exclude(full_name="").values_list("full_name", flat=True))
    departments = {(d.agency_id, d.name): d for d in Department.objects.all()}
    numbers = set(EnforcementCertificate.objects.values_list("number", flat=True))
    new_users: list[User] = []
    new_areas: list[str] = []
    for code in AGENCY_CODES:
        agency = agencies[code]
        for _ in range(TEAM_SIZE[agency.kind] - have.get(agency.pk, 0)):
            serial = 2
            while f"{SLUGS[code]}_officer{serial}" in usernames:
                serial += 1
            username = f"{SLUGS[code]}_officer{serial}"
            full_name = person_name(rng)
            while full_name in names:
                full_name = person_name(rng)
            usernames.add(username)
            names.add(full_name)
            user = User(username=username, full_name=full_name, role=Role.OFFICER,
                        agency=agency,
                        department=departments.get((agency.pk, TEAM_DEPARTMENT[agency.kind])))
            user.set_unusable_password()  # `demo_accounts` gives passwords to named ones only
            user.full_clean(exclude=["password"], validate_unique=False)
            new_users.append(user)
            new_areas.append(agency.jurisdiction.code[:6])
    created = bulk_create_missing(User, new_users, key="username")
    certificates = []
    for user, area in zip(new_users, new_areas, strict=True):
        number = f"{area}{rng.randrange(10000, 100000)}"
        while number in numbers:
            number = f"{area}{rng.randrange(10000, 100000)}"
        numbers.add(number)
        certificate = EnforcementCertificate(holder=user, number=number,
                                             valid_from=CERT_VALID[0], valid_to=CERT_VALID[1])
        certificate.full_clean(validate_unique=False)
        certificates.append(certificate)
    new_certificates = bulk_create_missing(EnforcementCertificate, certificates, key="number")
    ctx.count("用户", len(created))
    ctx.count("执法证", len(new_certificates))
    ctx.record(
        [(u, "user.created", {"source": "demo", "username": u.username, "role": u.role,
                              "agency": u.agency.name}) for u in created]
        + [(c, "certificate.created", {"source": "demo", "number": c.number,
                                       "holder": c.holder.username, "valid_to": c.valid_to})
           for c in new_certificates])
    teams: dict[str, list[User]] = {code: [] for code in AGENCY_CODES}
    by_agency = {a.pk: code for code, a in agencies.items()}
    for user in (User.objects.filter(role=Role.OFFICER, is_active=True,
                                     agency__in=agencies.values())
                 .filter(_certified_for_the_year()).distinct()
                 .select_related("agency__jurisdiction").order_by("id")):
        teams[by_agency[user.agency_id]].append(user)
    return teams


def _world(ctx: DemoContext) -> World:
    agencies = {a.jurisdiction.code: a for a in Agency.objects.select_related("jurisdiction")}
    missing = [code for code in AGENCY_CODES if code not in agencies]
    if missing:
        raise RuntimeError(f"演示执法机关缺失：{', '.join(missing)}（应先载入核心演示数据）")
    teams = _load_teams(ctx, agencies)
    enterprises = {e.pk: e for e in Enterprise.objects.select_related("jurisdiction")}
    companies = sorted((Company(e.pk, e.jurisdiction_path, e.supervision_category,
                                e.risk_level, e.industry_code) for e in enterprises.values()),
                       key=lambda c: c.id)
    people: dict[int, tuple[str, str]] = {}
    for enterprise_id, kind, name in (ResponsiblePerson.objects.order_by("id")
                                      .values_list("enterprise_id", "kind", "name")):
        principal, manager = people.get(enterprise_id, ("", ""))
        if kind == ResponsiblePerson.Kind.PRINCIPAL and not principal:
            principal = name
        elif kind == ResponsiblePerson.Kind.SAFETY_MANAGER and not manager:
            manager = name
        people[enterprise_id] = (principal, manager)
    county_paths = {agencies[code].jurisdiction.path: code for code in COUNTY_BUREAUS}

    def county_of(path: str) -> str:
        return next(code for prefix, code in county_paths.items() if path.startswith(prefix))

    return World(
        agencies=agencies, teams=teams,
        users={u.pk: u for team in teams.values() for u in team},
        companies=companies, enterprises=enterprises, people=people,
        items={i.code: i for i in ChecklistItem.objects.all()},
        days=WorkingDays(calendar.load_schedule(), YEAR_START, D(YEAR + 1, 6, 30)),
        enterprise_user=User.objects.filter(username="enterprise", role=Role.ENTERPRISE)
        .select_related("enterprise__jurisdiction").first(),
        county_of=county_of,
    )


def _pool(world: World, code: str) -> list[Company]:
    if code == CITY:  # the city bureau takes the chemical enterprises and the riskiest
        return [c for c in world.companies if c.category in HAZCHEM[:2]
                or c.risk in ("major", "large")]
    path = world.agencies[code].jurisdiction.path
    return [c for c in world.companies if c.path.startswith(path)]


def _supervisor(world: World, code: str, salt: random.Random,
                ) -> Callable[[Company], tuple[str, str]]:
    """Who lists a major hazard found by agency `code` (挂牌督办): the city bureau for
    its own findings and, at city level, for half of the chemical producers' ones; the
    county bureau otherwise."""
    cache: dict[int, tuple[str, str]] = {}

    def supervisor(company: Company) -> tuple[str, str]:
        if company.id not in cache:
            if code == CITY or (company.category == SupervisionCategory.HAZCHEM_PRODUCTION
                                and salt.random() < 0.5):
                cache[company.id] = (SupervisionLevel.CITY, CITY)
            else:
                cache[company.id] = (SupervisionLevel.COUNTY, world.county_of(company.path))
        return cache[company.id]

    return supervisor


def _planned(n: int) -> int:
    """A planned count a little above what was done, in fives."""
    return -(-round(n * 1.08) // 5) * 5 if n else 0


def _prepare_agency(ctx: DemoContext, world: World, code: str, quota: AgencyQuota,
                    ) -> tuple[list[InspectionSpec], InspectionPlan]:
    """The agency's plan, recusals and draws (written now), and its planned inspections."""
    rng = ctx.random(f"inspection.agency.{code}")
    agency, team = world.agencies[code], world.teams[code]
    lead = team[0]
    pool = _pool(world, code)
    # Recusals first, so the draws and the pairs honour them (《行政处罚法》第四十三条).
    recused: set[tuple[int, int]] = set()
    if code in RECUSAL_AGENCIES and pool and len(team) > 2:
        officer, company = team[-1], rng.choice(pool)
        recusal_declare(actor=officer, officer=officer,
                        enterprise=world.enterprises[company.id],
                        reason="近亲属在该单位担任管理人员", valid_from=YEAR_START)
        recused.add((officer.pk, company.id))
    sizes = quota.draw_sizes()
    own = quota.inspections - sum(sizes)
    key = round(own * 0.5)
    plan = plan_create(actor=lead, agency=agency, year=YEAR, planned={
        "key": _planned(key), "general": _planned(sum(sizes)),
        "special": _planned(round(own * 0.38)), "joint": _planned(own - key - round(own * 0.38)),
    })
    picks: list[DrawnPick] = []
    draw_pool = ([c for c in pool if c.category == SupervisionCategory.HAZCHEM_PRODUCTION]
                 if code == CITY else pool)
    filters = {"category": SupervisionCategory.HAZCHEM_PRODUCTION} if code == CITY else {}
    for (start, last), size in zip(DRAW_ROUNDS, sizes, strict=True):
        if not size or not draw_pool:
            continue
        ratio = (Decimal(size) / len(draw_pool)).quantize(Decimal("0.0001"), ROUND_DOWN)
        on = world.days.on_or_after(start)
        draw = draw_run(actor=lead, plan=plan, category=InspectionCategory.GENERAL,
                        sampling_ratio=max(ratio, Decimal("0.0001")), on=on, filters=filters,
                        seed=rng.getrandbits(62))
        draw_publish(actor=lead, draw=draw)
        for row in DrawPick.objects.filter(draw=draw).prefetch_related("officers"):
            officers = tuple(sorted(o.pk for o in row.officers.all()))
            picks.append(DrawnPick(row.pk, row.enterprise_id, officers,  # type: ignore[arg-type]
                                   _plus(on, 1), last))
    ctx.count("双随机抽取", sum(1 for s in sizes if s and draw_pool))
    world_agency = AgencyWorld(
        code=code, supervisor_of=_supervisor(world, code,
                                             ctx.random(f"inspection.supervisor.{code}")),
        pool=pool,
        team=[u.pk for u in team], recused=recused, people=world.people)
    demo_enterprise = world.enterprise_user.enterprise_id if world.enterprise_user else None
    specs = plan_inspections(rng, world.days, world_agency, quota, picks,
                             demo_enterprise=demo_enterprise if code != CITY else None)
    return specs, plan


@dataclass
class _Done:
    inspections: int = 0
    hazards: int = 0
    supervisions: int = 0
    reinspections: int = 0


def _execute(world: World, specs: list[InspectionSpec], plans: dict[str, InspectionPlan],
             done: _Done) -> None:
    """Write the planned records in date order through the services."""
    actions: list[tuple[D, int, int, str, InspectionSpec, HazardSpec | None, int]] = []
    serial = 0
    for spec in specs:
        serial += 1
        actions.append((spec.date, 0, serial, "inspect", spec, None, 0))
        for hazard in spec.hazards:
            if hazard.listed_on:
                serial += 1
                actions.append((hazard.listed_on, 1, serial, "list", spec, hazard, 0))
            for index, rnd in enumerate(hazard.rounds):
                if rnd.report:
                    serial += 1
                    actions.append((rnd.report, 2, serial, "report", spec, hazard, index))
                if rnd.reinspection:
                    serial += 1
                    actions.append((rnd.reinspection, 3, serial, "reinspect", spec, hazard,
                                    index))
    actions.sort(key=lambda a: a[:3])
    saved: dict[int, Hazard] = {}
    picks = {p.pk: p for p in DrawPick.objects.filter(
        pk__in=[s.pick for s in specs if s.pick]).select_related("draw")}
    reporter = world.enterprise_user
    for day, _phase, _serial, what, spec, hazard, index in actions:
        officers = [world.users[o] for o in spec.officers]
        actor = officers[0]
        if what == "inspect":
            _inspect(world, spec, plans[spec.agency], picks, saved)
            done.inspections += 1
            done.hazards += len(spec.hazards)
        elif what == "list":
            level, supervising = hazard.supervision  # type: ignore[union-attr, misc]
            supervision_list(actor=world.teams[supervising][0], hazard=saved[id(hazard)],
                             level=level, agency=world.agencies[supervising], listed_on=day,
                             note="责令企业落实整改措施、责任、资金、时限和预案，整改期间采取防范措施")
            done.supervisions += 1
        elif what == "report":
            row = saved[id(hazard)]
            major = hazard.level == HazardLevel.MAJOR  # type: ignore[union-attr]
            rectification_report(
                actor=reporter if reporter and reporter.enterprise_id == row.enterprise_id
                else actor, hazard=row, report_date=day,
                text=("已制定重大事故隐患治理方案，落实整改措施、责任、资金、时限和预案，"
                      "整改完成并组织验收" if major else "已按整改要求完成整改，附整改前后照片"))
        else:
            rounds = hazard.rounds  # type: ignore[union-attr]
            passed = rounds[index].passed
            reinspection_record(
                actor=actor, hazard=saved[id(hazard)], date=day, officers=officers,
                passed=passed,
                opinion=("经复查，该隐患已按要求整改到位，同意销号" if passed
                         else "经复查，整改措施尚未全部落实到位，责令继续整改"),
                new_deadline=None if passed else rounds[index + 1].deadline)
            done.reinspections += 1


def _inspect(world: World, spec: InspectionSpec, plan: InspectionPlan,
             picks: dict[int, DrawPick], saved: dict[int, Hazard]) -> None:
    officers = [world.users[o] for o in spec.officers]
    actor = officers[0]
    enterprise = world.enterprises[spec.enterprise]
    source = dict(NON_SITE).get(spec.non_site, "")
    inspection = inspection_create(
        actor=actor, enterprise=enterprise, date=spec.date,
        place=f"非现场检查（{source}）" if spec.non_site else enterprise.address,
        category=spec.category, officers=officers, agency=world.agencies[spec.agency],
        plan=plan, pick=picks.get(spec.pick) if spec.pick else None,
        non_site=bool(spec.non_site), non_site_source=spec.non_site,
        joint_departments=spec.joint)
    inspection_record_results(actor=actor, inspection=inspection, results=[
        (world.items[code], outcome, "详见检查发现的问题" if outcome == "finding" else "")
        for code, outcome in spec.checked])
    for hazard in spec.hazards:
        item = world.items[hazard.criterion] if hazard.criterion else None
        text = item.text if item else hazard.description
        if item and hazard.description:
            text = f"{hazard.description}：{text}"
        finding = finding_add(actor=actor, inspection=inspection, description=text, item=item)
        finding.inspection = inspection  # the same row, with its places already loaded
        saved[id(hazard)] = hazard_register(
            actor=actor, finding=finding, level=hazard.level, criterion=item,
            rectified_on_site=hazard.on_site,
            deadline=hazard.rounds[0].deadline if hazard.rounds else None)
    inspection_finish(actor=actor, inspection=inspection, signed_by=spec.signed_by,
                      refusal_reason=spec.refusal)


def _load_inspections(ctx: DemoContext, world: World, targets: Targets) -> None:
    planned = set(InspectionPlan.objects.filter(year=YEAR).values_list("agency_id", flat=True))
    available = {code: bool(_pool(world, code)) and len(world.teams[code]) >= 2
                 for code in AGENCY_CODES}
    shares = quotas(targets, available)
    specs: list[InspectionSpec] = []
    plans: dict[str, InspectionPlan] = {}
    for code in AGENCY_CODES:
        if world.agencies[code].pk in planned or not available[code]:
            continue  # loaded before (or nothing to inspect): leave the agency alone
        agency_specs, plans[code] = _prepare_agency(ctx, world, code, shares[code])
        specs += agency_specs
    done = _Done()
    _execute(world, specs, plans, done)
    ctx.count("执法检查计划", len(plans))
    ctx.count("执法检查", done.inspections)
    ctx.count("事故隐患", done.hazards)
    ctx.count("挂牌督办", done.supervisions)
    ctx.count("整改复查", done.reinspections)
    ctx.log(f"  执法检查：{done.inspections}家次，事故隐患{done.hazards}项")


def _load_assistance(ctx: DemoContext, world: World, targets: Targets) -> None:
    """Expert visits to hazardous-chemicals enterprises (and to some key-assisted
    industry ones), and the 2024 key-assistance list, matched on natural keys."""
    rng = ctx.random("inspection.assistance")
    chemicals = [c for c in world.companies if c.category in HAZCHEM]
    chosen = sorted(weighted_order(rng, chemicals)[:targets.expert_guided], key=lambda c: c.id)
    trade = [c for c in world.companies if c.category == SupervisionCategory.INDUSTRY_TRADE]
    listed = sorted(weighted_order(rng, trade)[:targets.key_assisted], key=lambda c: c.id)
    visited_trade = rng.sample(listed, min(len(listed), targets.industry_visits))

    visits: list[tuple[Company, D, str, str, tuple[str, str]]] = []
    for company in chosen:
        for _ in range(1 + (rng.random() < 0.25)):
            visits.append((company, world.days.pick(rng, D(YEAR, 3, 1), D(YEAR, 11, 29)),
                           person_name(rng), rng.choice(EXPERT_FIELDS_CHEM),
                           rng.choice(CHEM_PROBLEMS)))
    for company in sorted(visited_trade, key=lambda c: c.id):
        visits.append((company, world.days.pick(rng, D(YEAR, 3, 1), D(YEAR, 11, 29)),
                       person_name(rng), rng.choice(EXPERT_FIELDS_TRADE),
                       rng.choice(TRADE_PROBLEMS)))
    existing = set(AssistanceVisit.objects.filter(
        enterprise_id__in=[v[0].id for v in visits]).values_list("enterprise_id", "date", "expert"))
    new_visits = 0
    for company, day, expert, expert_field, (problems, advice) in visits:
        if (company.id, day, expert) in existing:
            continue
        code = (CITY if company.category == SupervisionCategory.HAZCHEM_PRODUCTION
                else world.county_of(company.path))
        assistance_visit_record(actor=world.teams[code][0],
                                enterprise=world.enterprises[company.id], date=day,
                                expert=expert, expert_field=expert_field, problems=problems,
                                advice=advice, agency=world.agencies[code])
        existing.add((company.id, day, expert))
        new_visits += 1

    already = set(KeyAssistedEnterprise.objects.filter(
        year=YEAR, enterprise_id__in=[c.id for c in listed]).values_list("enterprise_id",
                                                                           flat=True))
    new_listed = 0
    for company in listed:
        if company.id in already:
            continue
        code = world.county_of(company.path)
        reason = (KEY_REASONS_DUST if company.industry in DUST_INDUSTRIES
                  else rng.choice(KEY_REASONS))
        key_assisted_add(actor=world.teams[code][0], enterprise=world.enterprises[company.id],
                         year=YEAR, reason=reason, agency=world.agencies[code])
        new_listed += 1
    ctx.count("帮扶指导", new_visits)
    ctx.count("重点帮扶企业", new_listed)


def load(ctx: DemoContext) -> None:
    result = checklist_load(actor=None)
    ctx.count("检查事项", result.created)
    ctx.events += result.created + result.updated  # written by checklist_load itself
    ctx.log(f"  检查事项：新建{result.created}项")

    world = _world(ctx)
    before = Event.objects.count()
    targets = targets_for(ctx.enterprises)
    _load_inspections(ctx, world, targets)
    _load_assistance(ctx, world, targets)
    ctx.events += Event.objects.count() - before  # written by the services themselves

