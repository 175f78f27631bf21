"""The accidents slice of the demo city (生产安全事故): Jiaxing's accidents of 2023 and
2024, which reproduce the accident figures of the bureau's 2024 report
(report_2024.yaml, module accidents).

At the default demo size the records give exactly: 69 accidents and 47 deaths in 2024,
4 of them and 4 deaths on highways (高速公路), against 76 accidents and 51 deaths in
2023 (−9.2 % and −7.8 %); 10 investigation reports with legal guidance (法律指导) given
in 2024 and 8 written legality opinions (书面合法性审查意见) issued in 2024. A smaller
demo (`--enterprises`) scales the figures (`targets_for`), keeping one of each path.

Demo choices (no report figure): most accidents are road traffic (道路交通) and
industry-and-trade (工矿商贸), a few fires and construction accidents; each year has one
较大事故 (three deaths; in 2024 the third death is added after the fact, so the engine
re-classifies it), a few ordinary accidents have a death added within the 补报 window
(条例 第十三条: 7 days for road traffic and fire, 30 otherwise), a couple of units
report late (迟报, computed from the times: 条例 第九条). Every class is the engine's
(`fazhi.legal.rules.accidents.accident_class`), never typed in.

Investigations (事故调查) are opened for the industry-and-trade and construction
accidents with deaths (road traffic accidents are investigated by the traffic police,
fires by the fire and rescue service: they are registered here, not investigated); the
report is submitted within the 60 days (one a year with an approved extension), and
approved (批复) within 15 days. Some reports name the unit and its principal
(责任追究); a handful of penalty-case leads are opened from them
(`accident_case_open`, 安全生产法 第一百一十四条 / 第九十五条 by class) and left as leads
(线索登记): they are never filed, so no cases figure moves. The guided reports are the
complex ones (the 较大事故 first): the team asks the judicial bureau, the guidance is
given, the written opinion's items are answered, then the report goes for approval.
The investigating government and the judicial bureau of a functional zone are the
city's (a demo choice, like the cases demo's `GOVERNMENTS`).

Every record is made through `fazhi.accidents.services`, in date order (accident
numbers follow the dates), by officers of the bureau of the accident's county (the
city bureau's for the 较大事故). The plan is pure (`plan_year`, from
`ctx.random("accidents")` and date constants). Idempotent: a year that already has
accidents is left alone; a second run creates nothing and writes no event.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from fazhi.accidents.models import Accident, Accountability, Industry, OpinionItem
from fazhi.accidents.services import (
    accident_case_open,
    accident_figures_update,
    accident_register,
    accident_reporting_set,
    accountability_add,
    investigation_approve,
    investigation_extend,
    investigation_open,
    investigation_report_submit,
    legality_opinion_add,
    opinion_item_respond,
    report_review_guidance,
    report_review_request,
)
from fazhi.cases.demo import GOVERNMENTS, POLICE, Days
from fazhi.core import calendar
from fazhi.core.demo import COUNTY_BUREAUS, DEFAULT_ENTERPRISES, DemoContext
from fazhi.core.models import Agency, Event, Jurisdiction, Role, User
from fazhi.inspection.demo import apportion
from fazhi.reports.registry import TZ, Period, change_percent
from fazhi.subjects.demo import COUNTY_WEIGHTS, ROADS, person_name
from fazhi.subjects.models import Enterprise, ResponsiblePerson, SupervisionCategory

ORDER = 60
D = datetime.date
DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)
UNSET = D(1, 1, 1)  # a planned date not drawn yet
YEARS = (2023, 2024)
CITY = "330400"
COUNTIES: list[str] = list(COUNTY_BUREAUS)
INVESTIGATED = (Industry.INDUSTRY_TRADE, Industry.CONSTRUCTION)  # by this bureau's side
WITH_UNIT = (Industry.INDUSTRY_TRADE,)  # a registered enterprise is the accident's unit


# ---------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Targets:
    # The report's figures (report_2024.yaml, module accidents; 2023 from its notes).
    accidents: int
    deaths: int
    highway_accidents: int
    highway_deaths: int
    guided: int                # reports with legal guidance given in the year
    opinions: int              # written legality opinions issued in the year
    # Demo choices.
    large: int = 1             # 较大事故, three deaths each
    reclassified: int = 0      # of them, the third death added later (补报)
    late_deaths: int = 0       # ordinary accidents with a death added later
    late_reports: int = 0      # units reporting after the hour (迟报)
    extensions: int = 0        # investigations with an approved extension
    accountable: int = 0       # reports naming the unit and its principal
    cases: int = 0             # case leads opened from them (never filed)

    def figures(self, previous: Targets) -> dict[str, int | float]:
        """The report indicators (id → value, as `indicators --format json` prints them)
        these targets reproduce, the year-on-year ones against `previous`."""
        return {
            "accidents.count": self.accidents, "accidents.deaths": self.deaths,
            "accidents.highway.count": self.highway_accidents,
            "accidents.highway.deaths": self.highway_deaths,
            "accidents.count.yoy": float(change_percent(self.accidents, previous.accidents)),
            "accidents.deaths.yoy": float(change_percent(self.deaths, previous.deaths)),
            "accidents.report_review.guided": self.guided,
            "accidents.report_review.opinions": self.opinions,
        }


FULL: dict[int, Targets] = {
    2023: Targets(accidents=76, deaths=51, highway_accidents=5, highway_deaths=6, guided=6,
                  opinions=4, large=1, reclassified=0, late_deaths=2, late_reports=1,
                  extensions=1, accountable=6, cases=2),
    2024: Targets(accidents=69, deaths=47, highway_accidents=4, highway_deaths=4, guided=10,
                  opinions=8, large=1, reclassified=1, late_deaths=3, late_reports=2,
                  extensions=1, accountable=8, cases=3),
}
# The smallest demo that still walks every path (a smaller demo is never below these).
MINIMUM: dict[int, Targets] = {
    2023: Targets(accidents=6, deaths=6, highway_accidents=1, highway_deaths=1, guided=1,
                  opinions=1, large=1, reclassified=0, late_deaths=1, late_reports=1,
                  extensions=0, accountable=1, cases=1),
    2024: Targets(accidents=5, deaths=5, highway_accidents=1, highway_deaths=1, guided=1,
                  opinions=1, large=1, reclassified=1, late_deaths=1, late_reports=1,
                  extensions=0, accountable=1, cases=1),
}


def targets_for(enterprises: int, year: int = 2024) -> Targets:
    """The year's figures at the default demo size; proportionally fewer for a smaller
    demo, never below `MINIMUM`."""
    full = FULL[year]
    if enterprises >= DEFAULT_ENTERPRISES:
        return full
    share = enterprises / DEFAULT_ENTERPRISES
    floor = MINIMUM[year]
    return Targets(**{f.name: max(getattr(floor, f.name), round(getattr(full, f.name) * share))
                      for f in fields(Targets)})


# ---------------------------------------------------------------------------------------
# Reference tables (demo choices, not legal determinations)
# ---------------------------------------------------------------------------------------

INDUSTRY_WEIGHTS: dict[str, int] = {
    Industry.ROAD: 58, Industry.INDUSTRY_TRADE: 28, Industry.CONSTRUCTION: 7, Industry.FIRE: 7,
}
MONTH_WEIGHTS = (7, 6, 8, 8, 9, 9, 10, 10, 9, 8, 8, 8)
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 8, 6, 4, 6, 8, 8, 8, 7, 6, 5, 4, 3, 2, 1)
GUIDED_BY_MONTH = 10  # a guided report's accident happens by October: guidance that year
LOSS_RANGES: dict[str, tuple[int, int]] = {  # yuan, in thousands: ordinary accidents only
    Industry.ROAD: (30, 600), Industry.INDUSTRY_TRADE: (200, 1800),
    Industry.CONSTRUCTION: (300, 2000), Industry.FIRE: (150, 3000),
}
FIRE_WITH_UNIT = 0.5  # share of fires at a registered enterprise's premises
JUDICIAL: dict[str, str] = {
    "330400": "嘉兴市司法局", "330402": "嘉兴市南湖区司法局", "330411": "嘉兴市秀洲区司法局",
    "330421": "嘉善县司法局", "330424": "海盐县司法局", "330481": "海宁市司法局",
    "330482": "平湖市司法局", "330483": "桐乡市司法局", "330471": "嘉兴市司法局",
    "330472": "嘉兴市司法局",
}
HIGHWAYS = ["沪昆高速公路嘉兴段", "申嘉湖高速公路嘉兴段", "乍嘉苏高速公路", "杭浦高速公路",
            "嘉绍高速公路", "常台高速公路嘉兴段"]
ROAD_ACCOUNTS = [
    "一辆重型半挂牵引车在{place}右转弯时与同向行驶的电动自行车发生碰撞",
    "一辆小型普通客车在{place}与横过道路的行人发生碰撞",
    "一辆轻型厢式货车在{place}与一辆二轮摩托车发生碰撞",
    "一辆电动自行车在{place}与一辆重型自卸货车发生刮擦",
]
HIGHWAY_ACCOUNTS = [
    "一辆小型普通客车在{place}行驶中追尾前方正常行驶的重型厢式货车",
    "一辆重型半挂牵引车在{place}因爆胎失控撞击中央隔离护栏",
    "一辆小型轿车在{place}因故障停车后被后方驶来的货车追尾",
]
INDUSTRY_ACCOUNTS = [
    "该单位一名员工在生产车间清理设备时，设备意外启动，被卷入设备内",
    "该单位两名员工进入污水池进行清理作业，发生中毒窒息",
    "该单位一名员工在仓库登高作业时从货架坠落",
    "该单位一名员工在检修冲压设备时未切断电源，被冲压模具挤压",
    "该单位一名叉车司机倒车时撞击正在装卸货物的员工",
]
CONSTRUCTION_ACCOUNTS = [
    "一在建工地作业人员在脚手架上作业时坠落",
    "一在建工地塔式起重机吊运钢管时吊物坠落，击中下方作业人员",
    "一在建工地基坑边坡局部坍塌，掩埋坑内作业人员",
]
FIRE_ACCOUNTS = [
    "{place}一处厂房发生火灾，过火面积约三百平方米",
    "{place}一处出租房发生火灾",
    "{place}一处仓库堆放的物料起火",
]
PROJECTS = ["安置房", "厂房扩建", "道路改造", "商业综合体", "学校新建"]
CAUSES = {
    Industry.INDUSTRY_TRADE: [
        "作业人员违章操作，设备安全防护装置缺失，企业安全生产责任制落实不到位",
        "有限空间作业未执行先通风、再检测、后作业的要求，未配备防护用品，现场无人监护",
        "设备检修未执行停电挂牌上锁制度，企业安全教育培训不到位",
        "高处作业未采取防坠落措施，企业隐患排查治理不到位",
    ],
    Industry.CONSTRUCTION: [
        "施工现场临边防护缺失，作业人员未系挂安全带，施工单位安全管理不到位",
        "起重吊装作业未设置警戒区域，司索信号人员未持证上岗，监理单位履职不到位",
    ],
}
NATURE = "生产安全责任事故"
QUESTIONS = [
    "事故责任单位及其主要负责人的违法行为认定和处理建议的法律适用",
    "多家单位对事故发生均负有责任时，责任划分和处罚依据的适用",
    "事故直接经济损失的认定依据和事故等级认定",
    "对有关责任人员移送司法机关追究刑事责任的建议是否妥当",
]
GUIDANCE = [
    "建议对照事故调查查明的事实，逐项写明责任单位违反的法律条款和处理建议的依据",
    "建议分别认定各责任单位的责任，处理建议与其责任相适应",
    "建议在报告中说明直接经济损失的统计依据，并据此认定事故等级",
    "建议对涉嫌犯罪人员的移送建议补充说明事实和证据",
]
CONCLUSIONS = [
    "调查报告事实清楚，责任认定基本准确，处理建议总体合法，建议按审查意见修改完善后报批",
    "调查报告程序合法，建议对责任认定和处理建议部分按审查意见修改后报批",
]
OPINION_ITEMS = [
    "事故责任单位的违法事实与所引用的法律条款对应不够准确，建议逐项对应",
    "对主要负责人的责任认定未区分其未履行安全生产管理职责的具体情形",
    "直接经济损失的统计依据未在报告中说明",
    "处理建议中的行政处罚部分未区分单位和个人，建议分别提出",
    "事故性质认定的表述与调查查明的事实不完全一致",
    "证据材料目录中部分询问笔录缺少被询问人签名",
]
RESPONSES: dict[str, str] = {
    OpinionItem.Outcome.ADOPTED: "已采纳，报告相应部分已修改",
    OpinionItem.Outcome.PARTLY: "部分采纳，已补充说明，其余内容经调查组研究维持原表述",
    OpinionItem.Outcome.NOT_ADOPTED: "未采纳：经调查组复核，原表述与查明的事实一致，已书面说明理由",
}
OUTCOME_WEIGHTS = [(OpinionItem.Outcome.ADOPTED, 70), (OpinionItem.Outcome.PARTLY, 20),
                   (OpinionItem.Outcome.NOT_ADOPTED, 10)]
EXTENSION_REASON = "事故技术原因需委托专业机构分析论证，调查报告无法在规定期限内提交"
UNIT_RESPONSIBILITY = ("未落实安全生产主体责任，安全管理制度和操作规程执行不到位，"
                       "对事故发生负有责任")
UNIT_MEASURES = ("建议由应急管理部门依据《中华人民共和国安全生产法》第一百一十四条"
                 "对该单位予以行政处罚")
PRINCIPAL_RESPONSIBILITY = ("未履行安全生产管理职责，督促检查本单位安全生产工作不力，"
                            "对事故发生负有责任")
PRINCIPAL_MEASURES = ("建议由应急管理部门依据《中华人民共和国安全生产法》第九十五条"
                      "对其予以行政处罚")
PERSON_RESPONSIBILITY = "作为现场负责人，未及时发现和制止违章作业，对事故发生负有责任"
PERSON_MEASURES = "建议由事故发生单位按照内部管理规定予以处理"


# ---------------------------------------------------------------------------------------
# The world the plan draws from (read once; plain data so the plan stays pure)
# ---------------------------------------------------------------------------------------

@dataclass
class World:
    names: dict[str, str]                    # jurisdiction code → name
    towns: dict[str, list[str]]              # county code → its towns' codes
    enterprises: dict[str, list[int]]        # county code → candidate units (ids)
    enterprise_place: dict[int, str]         # enterprise id → its jurisdiction code
    principals: set[int]                     # enterprises with a principal on file
    days: Days


def read_world() -> World:
    places = {j.code: j for j in Jurisdiction.objects.select_related("parent")}
    names = {code: j.name for code, j in places.items()}
    towns: dict[str, list[str]] = {code: [] for code in COUNTIES}
    for code, j in sorted(places.items()):
        if j.parent_id and j.parent.code in towns and j.level == Jurisdiction.Level.TOWN:
            towns[j.parent.code].append(code)
    enterprises: dict[str, list[int]] = {code: [] for code in COUNTIES}
    enterprise_place: dict[int, str] = {}
    by_path = {places[code].path: code for code in COUNTIES if code in places}
    rows = (Enterprise.objects.filter(supervision_category__in=(
        SupervisionCategory.INDUSTRY_TRADE, SupervisionCategory.HAZCHEM_USE))
        .order_by("pk").values_list("pk", "jurisdiction__code", "jurisdiction_path"))
    for pk, code, path in rows:
        county = next((c for p, c in by_path.items() if path.startswith(p)), None)
        if county is not None:
            enterprises[county].append(pk)
            enterprise_place[pk] = code
    principals = set(ResponsiblePerson.objects.filter(
        kind=ResponsiblePerson.Kind.PRINCIPAL).values_list("enterprise_id", flat=True))
    days = Days(calendar.load_schedule(), D(YEARS[0], 1, 1), D(YEARS[-1] + 1, 12, 31))
    return World(names, towns, enterprises, enterprise_place, principals, days)


# ---------------------------------------------------------------------------------------
# The plan (pure)
# ---------------------------------------------------------------------------------------

@dataclass
class InvestigationSpec:
    started_on: D
    led_by_city: bool
    submitted_on: D = UNSET
    approved_on: D = UNSET
    extension_on: D | None = None
    # legal guidance: (requested_on, guidance_on); the opinion: (issued_on, responded_on)
    review: tuple[D, D] | None = None
    opinion: tuple[D, D] | None = None
    questions: str = ""
    guidance: str = ""
    items: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    conclusion: str = ""
    cause: str = ""
    team: list[dict[str, str]] = field(default_factory=list)
    accountable: bool = False
    other_person: str = ""                   # a third responsible person (no case)
    cases: list[str] = field(default_factory=list)  # Accountability subjects to open
    case_on: D | None = None


@dataclass
class AccidentSpec:
    year: int
    serial: int
    industry: str
    on_highway: bool = False
    deaths: int = 0                          # the final figures (what the report counts)
    serious_injuries: int = 0
    direct_loss: int = 0
    large: bool = False
    first_deaths: int = 0                    # as registered (before the 补报)
    first_injuries: int = 0
    update_on: D | None = None
    county: str = ""
    place_code: str = ""
    enterprise: int | None = None
    occurred_at: datetime.datetime = datetime.datetime(1, 1, 1, tzinfo=TZ)
    place: str = ""
    account: str = ""
    late_report: bool = False
    times: dict[str, datetime.datetime] = field(default_factory=dict)
    investigation: InvestigationSpec | None = None

    @property
    def day(self) -> D:
        return self.occurred_at.date()

    @property
    def investigated(self) -> bool:
        return self.industry in INVESTIGATED and self.deaths > 0


def _moment(rng: random.Random, year: int, last_month: int = 12) -> datetime.datetime:
    month = rng.choices(range(1, last_month + 1), weights=MONTH_WEIGHTS[:last_month])[0]
    day = rng.randint(1, month_calendar.monthrange(year, month)[1])
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    return datetime.datetime(year, month, day, hour, rng.randrange(60), tzinfo=TZ)


def _deaths(rng: random.Random, specs: list[AccidentSpec], t: Targets) -> None:
    """Highway deaths over the highway accidents; three for each 较大事故 (an investigated
    industry first); one each for the rest, the investigated industries first, then
    road and fire (two for a few road accidents if deaths remain)."""
    highway = [s for s in specs if s.on_highway]
    for i, spec in enumerate(highway):
        spec.deaths = t.highway_deaths // len(highway) + (i < t.highway_deaths % len(highway))
    industrial = [s for s in specs if s.industry in INVESTIGATED]
    rng.shuffle(industrial)
    industrial.sort(key=lambda s: s.industry != Industry.INDUSTRY_TRADE)  # stable
    if len(industrial) < t.large:
        raise ValueError("较大事故需要工矿商贸或建筑施工事故")
    for spec in industrial[:t.large]:
        spec.large, spec.deaths = True, 3
    rest = t.deaths - t.highway_deaths - 3 * t.large
    others = [s for s in specs if s.industry not in INVESTIGATED and not s.on_highway]
    rng.shuffle(others)
    for spec in (industrial[t.large:] + others):
        if rest <= 0:
            break
        spec.deaths, rest = 1, rest - 1
    for spec in [s for s in others if s.industry == Industry.ROAD]:
        if rest <= 0:
            break
        spec.deaths, rest = spec.deaths + 1, rest - 1
    if rest:
        raise ValueError(f"{t.deaths}人死亡无法分配到{t.accidents}起一般事故")


def _county(rng: random.Random) -> str:
    return rng.choices(COUNTIES, weights=[COUNTY_WEIGHTS[c] for c in COUNTIES])[0]


def _place(rng: random.Random, spec: AccidentSpec, world: World) -> None:
    """The county, the jurisdiction registered, the unit when there is one, and the
    place and account texts."""
    wants_unit = spec.industry in WITH_UNIT or (
        spec.industry == Industry.FIRE and rng.random() < FIRE_WITH_UNIT)
    county = _county(rng)
    if wants_unit:
        if not any(world.enterprises.values()):
            raise ValueError("演示数据中没有工贸企业，无法生成事故单位")
        while not world.enterprises[county]:
            county = _county(rng)
        spec.enterprise = rng.choice(world.enterprises[county])
    spec.county = county
    towns = world.towns.get(county) or [county]
    if spec.on_highway:
        spec.place_code = county  # the expressway section of the county
        spec.place = f"{rng.choice(HIGHWAYS)}K{rng.randint(10, 180)}+{rng.randrange(0, 1000, 100)}"
        spec.account = rng.choice(HIGHWAY_ACCOUNTS).format(place=spec.place)
        spec.account += "，" + _outcome_text(spec)
        return
    if spec.enterprise is not None:
        spec.place_code = world.enterprise_place[spec.enterprise]
    else:
        spec.place_code = rng.choice(towns)
    town = world.names.get(spec.place_code, "")
    if spec.industry == Industry.ROAD:
        first, second = rng.sample(ROADS, 2)
        spec.place = f"{town}{first}与{second}交叉口"
        spec.account = rng.choice(ROAD_ACCOUNTS).format(place=spec.place)
    elif spec.industry == Industry.CONSTRUCTION:
        spec.place = f"{town}{rng.choice(PROJECTS)}项目工地"
        spec.account = rng.choice(CONSTRUCTION_ACCOUNTS)
    elif spec.industry == Industry.FIRE:
        spec.place = f"{town}{rng.choice(ROADS)}{rng.randint(1, 300)}号"
        spec.account = rng.choice(FIRE_ACCOUNTS).format(place=spec.place)
    else:
        spec.place = f"{town}（事故单位生产厂区）"
        spec.account = rng.choice(INDUSTRY_ACCOUNTS)
    spec.account += "，" + _outcome_text(spec)


def _outcome_text(spec: AccidentSpec) -> str:
    if spec.deaths:
        return f"造成{spec.deaths}人死亡。"
    return f"造成{spec.serious_injuries}人重伤。" if spec.serious_injuries else "未造成人员伤亡。"


def _figures(rng: random.Random, spec: AccidentSpec) -> None:
    low, high = LOSS_RANGES[spec.industry]
    spec.direct_loss = rng.randint(low, high) * 1000 + (1_000_000 if spec.large else 0)
    spec.serious_injuries = (rng.choice((0, 0, 0, 1, 1, 2)) if spec.deaths
                             else rng.randint(1, 3))
    spec.first_deaths, spec.first_injuries = spec.deaths, spec.serious_injuries


def _late_death(rng: random.Random, spec: AccidentSpec) -> None:
    """Registered with one death fewer and one more seriously injured, who dies within
    the 补报 window."""
    spec.first_deaths, spec.first_injuries = spec.deaths - 1, spec.serious_injuries + 1
    window = 6 if spec.industry in (Industry.ROAD, Industry.FIRE) else 25
    spec.update_on = spec.day + rng.randint(1, window) * DAY


def _reporting(rng: random.Random, spec: AccidentSpec) -> None:
    """The unit's head is told within minutes; the unit reports within the hour, or
    late; the bureau reports upward within its two hours. Without a unit the bureau is
    informed by the police or the fire service."""
    at = spec.occurred_at
    if spec.enterprise is not None:
        head = at + rng.randint(5, 25) * MINUTE
        unit = head + (rng.randint(75, 200) if spec.late_report else rng.randint(10, 55)) * MINUTE
        bureau = unit + rng.randint(0, 3) * MINUTE
        spec.times = {"head_informed_at": head, "unit_reported_at": unit}
    else:
        bureau = at + rng.randint(20, 90) * MINUTE
    spec.times |= {"bureau_informed_at": bureau,
                   "reported_up_at": bureau + rng.randint(15, 100) * MINUTE}


def _investigation(rng: random.Random, spec: AccidentSpec, world: World, *, guided: bool,
                   opinion: bool, extended: bool) -> InvestigationSpec:
    """Dates within the statute: the report within 60 days of the accident (90 with the
    extension), the approval within 15 days of the report (条例 第二十九、三十二条)."""
    work = world.days
    started = (spec.update_on or spec.day) + rng.randint(1, 2) * DAY
    inv = InvestigationSpec(started_on=started, led_by_city=spec.large,
                            cause=rng.choice(CAUSES[spec.industry]))
    last = spec.day + rng.randint(35, 50) * DAY
    if guided:
        requested = work.after(max(spec.day + rng.randint(25, 33) * DAY, started + 3 * DAY), 0)
        given = work.after(requested + rng.randint(4, 8) * DAY, 0)
        inv.review = (requested, given)
        inv.questions, inv.guidance = rng.choice(QUESTIONS), rng.choice(GUIDANCE)
        last = given
        if opinion:
            issued = work.after(given + rng.randint(0, 2) * DAY, 0)
            responded = work.after(issued + rng.randint(1, 3) * DAY, 0)
            inv.opinion = (issued, responded)
            inv.items = rng.sample(OPINION_ITEMS, rng.randint(2, 4))
            inv.outcomes = [rng.choices([o for o, _ in OUTCOME_WEIGHTS],
                                        weights=[w for _, w in OUTCOME_WEIGHTS])[0]
                            for _ in inv.items]
            inv.conclusion = rng.choice(CONCLUSIONS)
            last = responded
        last = last + rng.randint(1, 3) * DAY
    if extended:
        inv.extension_on = work.after(spec.day + rng.randint(45, 52) * DAY, 0)
        last = spec.day + rng.randint(70, 85) * DAY
    inv.submitted_on = work.after(last, 0)
    inv.approved_on = work.after(inv.submitted_on + rng.randint(3, 7) * DAY, 0)
    return inv


def plan_year(rng: random.Random, year: int, t: Targets, world: World) -> list[AccidentSpec]:
    """The year's accidents, their figures, reporting, investigations, reviews and
    case leads: exactly the targets, or ValueError when they cannot be met."""
    if t.highway_accidents > t.accidents or t.opinions > t.guided:
        raise ValueError("目标不一致")
    weights = list(INDUSTRY_WEIGHTS.values())
    industries = [ind for ind, n in zip(INDUSTRY_WEIGHTS, apportion(t.accidents, weights),
                                        strict=True) for _ in range(n)]
    rng.shuffle(industries)
    specs = [AccidentSpec(year, n, industry) for n, industry in enumerate(industries, 1)]
    roads = [s for s in specs if s.industry == Industry.ROAD]
    if len(roads) < t.highway_accidents:
        raise ValueError("道路交通事故少于高速公路事故")
    for spec in rng.sample(roads, t.highway_accidents):
        spec.on_highway = True
    _deaths(rng, specs, t)
    for spec in specs:
        _figures(rng, spec)

    investigated = [s for s in specs if s.investigated]
    if len(investigated) < max(t.guided, t.accountable):
        raise ValueError("需调查的事故不足")
    others = [s for s in investigated if not s.large]
    rng.shuffle(others)
    order = [s for s in investigated if s.large] + others  # the complex reports first
    guided = {s.serial for s in order[:t.guided]}
    with_opinion = {s.serial for s in order[:t.opinions]}
    rest = [s for s in order if s.serial not in guided]
    if len(rest) < t.extensions:
        raise ValueError("可延期的调查不足")
    extended = {s.serial for s in rest[:t.extensions]}

    for spec in specs:  # a guided report's accident happens early enough in the year
        spec.occurred_at = _moment(rng, year,
                                   GUIDED_BY_MONTH if spec.serial in guided else 12)
        _place(rng, spec, world)
    large = [s for s in specs if s.large]
    for spec in large[:t.reclassified]:
        # the third death within the window: the engine re-classifies it 一般 → 较大
        spec.first_deaths, spec.first_injuries = 2, spec.serious_injuries + 1
        spec.update_on = spec.day + rng.randint(4, 12) * DAY
    candidates = [s for s in specs if s.deaths == 1 and not s.large]
    if len(candidates) < t.late_deaths:
        raise ValueError("可补报死亡的事故不足")
    for spec in rng.sample(candidates, t.late_deaths):
        _late_death(rng, spec)
    with_unit = [s for s in specs if s.enterprise is not None]
    if len(with_unit) < t.late_reports:
        raise ValueError("有事故单位的事故不足")
    for spec in rng.sample(with_unit, t.late_reports):
        spec.late_report = True
    for spec in specs:
        _reporting(rng, spec)
        if spec.investigated:
            spec.investigation = _investigation(
                rng, spec, world, guided=spec.serial in guided,
                opinion=spec.serial in with_opinion, extended=spec.serial in extended)
            spec.investigation.team = _team(rng, spec)

    # accountability: the unit and its principal, the 较大事故 first; leads for a handful
    accountable = sorted((s for s in investigated if s.enterprise is not None),
                         key=lambda s: (not s.large, s.serial))
    if len(accountable) < t.accountable:
        raise ValueError("有事故单位的调查不足")
    cases = t.cases
    for spec in accountable[:t.accountable]:
        inv = spec.investigation
        assert inv is not None
        inv.accountable = True
        if rng.random() < 0.4:
            inv.other_person = person_name(rng)
        subjects = [Accountability.Subject.UNIT]
        if spec.enterprise in world.principals:
            subjects.append(Accountability.Subject.PRINCIPAL)
        inv.cases, cases = subjects[:cases], cases - len(subjects[:cases])
        if inv.cases:
            inv.case_on = world.days.after(inv.approved_on, rng.randint(1, 5))
    if cases:
        raise ValueError("可登记案件线索的责任主体不足")
    specs.sort(key=lambda s: s.occurred_at)
    return specs


def _team(rng: random.Random, spec: AccidentSpec) -> list[dict[str, str]]:
    """The team: the bureau's officers are named at execution (they are users); here
    the members from other units."""
    police = POLICE.get(spec.county, POLICE[CITY])
    return [{"name": person_name(rng), "unit": police, "role": "成员"},
            {"name": person_name(rng), "unit": "技术专家", "role": "技术组"}]


# ---------------------------------------------------------------------------------------
# Execution (through the services, in date order)
# ---------------------------------------------------------------------------------------

@dataclass
class _Live:
    accident: Any = None
    investigation: Any = None
    review: Any = None
    opinion: Any = None
    accountability: dict[str, Any] = field(default_factory=dict)


class Executor:
    def __init__(self, specs: list[AccidentSpec]) -> None:
        self.specs = specs
        self.live: dict[tuple[int, int], _Live] = {}
        self.jurisdictions = {j.code: j for j in Jurisdiction.objects.all()}
        self.agencies = {a.jurisdiction.code: a for a in Agency.objects.filter(
            kind__in=(Agency.Kind.CITY_BUREAU, Agency.Kind.COUNTY_BUREAU))
            .select_related("jurisdiction")}
        self.officers: dict[str, list[User]] = {}
        self.enterprises = {e.pk: e for e in Enterprise.objects.filter(
            pk__in={s.enterprise for s in specs if s.enterprise is not None})}
        self.counts: dict[str, int] = {}

    def officers_of(self, code: str) -> list[User]:
        """The bureau's officers holding a certificate (two: the actor and the second
        handler of a case lead)."""
        if code not in self.officers:
            found = list(User.objects.filter(
                agency=self.agencies[code], role=Role.OFFICER, is_active=True,
                certificates__valid_to__gte=D(YEARS[-1] + 1, 12, 31),
            ).distinct().order_by("username")[:2])
            if not found:
                raise ValueError(f"{self.agencies[code].name}没有执法人员")
            self.officers[code] = found
        return self.officers[code]

    def actor(self, spec: AccidentSpec, *, investigating: bool = False) -> User:
        code = CITY if investigating and spec.large else spec.county
        return self.officers_of(code)[0]

    def steps(self) -> list[tuple[tuple[Any, ...], Callable[[], None]]]:
        out: list[tuple[tuple[Any, ...], Callable[[], None]]] = []

        def add(day: D, phase: int, spec: AccidentSpec, call: Callable[[], None]) -> None:
            out.append(((day, phase, spec.year, spec.serial), call))

        for spec in self.specs:
            add(spec.day, 0, spec, lambda s=spec: self.register(s))
            add(spec.day, 1, spec, lambda s=spec: self.reporting(s))
            if spec.update_on:
                add(spec.update_on, 2, spec, lambda s=spec: self.update(s))
            inv = spec.investigation
            if inv is None:
                continue
            add(inv.started_on, 3, spec, lambda s=spec: self.open(s))
            if inv.extension_on:
                add(inv.extension_on, 4, spec, lambda s=spec: self.extend(s))
            if inv.review:
                add(inv.review[0], 5, spec, lambda s=spec: self.request(s))
                add(inv.review[1], 6, spec, lambda s=spec: self.guide(s))
            if inv.opinion:
                add(inv.opinion[0], 7, spec, lambda s=spec: self.opinion(s))
                add(inv.opinion[1], 8, spec, lambda s=spec: self.respond(s))
            add(inv.submitted_on, 9, spec, lambda s=spec: self.submit(s))
            add(inv.approved_on, 10, spec, lambda s=spec: self.approve(s))
            if inv.accountable:
                add(inv.approved_on, 11, spec, lambda s=spec: self.accountability(s))
            if inv.cases and inv.case_on:
                add(inv.case_on, 12, spec, lambda s=spec: self.cases(s))
        return sorted(out, key=lambda row: row[0])

    def run(self) -> None:
        for _key, call in self.steps():
            call()

    def _count(self, label: str, n: int = 1) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    def _live(self, spec: AccidentSpec) -> _Live:
        return self.live.setdefault((spec.year, spec.serial), _Live())

    # --- the registry ------------------------------------------------------------------

    def register(self, spec: AccidentSpec) -> None:
        enterprise = self.enterprises.get(spec.enterprise) if spec.enterprise else None
        self._live(spec).accident = accident_register(
            actor=self.actor(spec), jurisdiction=self.jurisdictions[spec.place_code],
            occurred_at=spec.occurred_at, place=spec.place, industry=spec.industry,
            account=spec.account if not spec.update_on else _first_account(spec),
            deaths=spec.first_deaths, serious_injuries=spec.first_injuries,
            direct_loss=Decimal(spec.direct_loss), enterprise=enterprise,
            on_highway=spec.on_highway, known_on=spec.day)
        self._count(f"生产安全事故（{spec.year}年）")

    def reporting(self, spec: AccidentSpec) -> None:
        live = self._live(spec)
        live.accident = accident_reporting_set(actor=self.actor(spec), accident=live.accident,
                                               **spec.times)

    def update(self, spec: AccidentSpec) -> None:
        live = self._live(spec)
        accident_figures_update(
            actor=self.actor(spec), accident=live.accident, known_on=spec.update_on,
            deaths=spec.deaths, missing=0, serious_injuries=spec.serious_injuries,
            direct_loss=Decimal(spec.direct_loss), reason="一名重伤人员经抢救无效死亡（补报）")
        live.accident = Accident.objects.get(pk=live.accident.pk)

    # --- the investigation -------------------------------------------------------------

    def open(self, spec: AccidentSpec) -> None:
        inv, live = spec.investigation, self._live(spec)
        code = CITY if spec.large else spec.county
        officers = self.officers_of(code)
        team = [{"name": officers[0].full_name, "unit": self.agencies[code].name,
                 "role": "组长"}]
        team += [{"name": o.full_name, "unit": self.agencies[code].name, "role": "成员"}
                 for o in officers[1:]]
        live.investigation = investigation_open(
            actor=self.actor(spec, investigating=True), accident=live.accident,
            started_on=inv.started_on, team=team + inv.team, led_by=self.government(spec),
            lead_agency=self.agencies[code])
        self._count("事故调查")

    def government(self, spec: AccidentSpec) -> str:
        return GOVERNMENTS[CITY] if spec.large else GOVERNMENTS[spec.county]

    def extend(self, spec: AccidentSpec) -> None:
        live = self._live(spec)
        live.investigation = investigation_extend(
            actor=self.actor(spec, investigating=True), investigation=live.investigation,
            days=30, reason=EXTENSION_REASON, approved_by=self.government(spec))

    def request(self, spec: AccidentSpec) -> None:
        inv, live = spec.investigation, self._live(spec)
        live.review = report_review_request(
            actor=self.actor(spec, investigating=True), investigation=live.investigation,
            requested_on=inv.review[0], requested_of=self.judicial(spec),
            questions=inv.questions)

    def judicial(self, spec: AccidentSpec) -> str:
        return JUDICIAL[CITY] if spec.large else JUDICIAL[spec.county]

    def guide(self, spec: AccidentSpec) -> None:
        inv, live = spec.investigation, self._live(spec)
        live.review = report_review_guidance(
            actor=self.actor(spec, investigating=True), review=live.review,
            guidance_on=inv.review[1], guidance=inv.guidance)
        self._count("调查报告法律指导")

    def opinion(self, spec: AccidentSpec) -> None:
        inv, live = spec.investigation, self._live(spec)
        live.opinion = legality_opinion_add(
            actor=self.actor(spec, investigating=True), investigation=live.investigation,
            issued_on=inv.opinion[0], issued_by=self.judicial(spec),
            conclusion=inv.conclusion, items=inv.items, review=live.review)
        self._count("书面合法性审查意见")

    def respond(self, spec: AccidentSpec) -> None:
        inv, live = spec.investigation, self._live(spec)
        for item, outcome in zip(live.opinion.items.order_by("number"), inv.outcomes,
                                 strict=True):
            opinion_item_respond(actor=self.actor(spec, investigating=True), item=item,
                                 response=RESPONSES[outcome], outcome=outcome)

    def submit(self, spec: AccidentSpec) -> None:
        inv, live = spec.investigation, self._live(spec)
        accident = live.accident
        summary = (f"{spec.day:%Y年%m月%d日}，{spec.place}发生一起"
                   f"{accident.get_accident_class_display()}，造成{spec.deaths}人死亡。"
                   "调查组查明了事故经过、原因和人员伤亡、直接经济损失情况，认定了事故性质和"
                   "责任，提出了对有关责任单位和人员的处理建议及防范整改措施。")
        live.investigation = investigation_report_submit(
            actor=self.actor(spec, investigating=True), investigation=live.investigation,
            submitted_on=inv.submitted_on, cause=inv.cause, nature=NATURE, summary=summary)

    def approve(self, spec: AccidentSpec) -> None:
        inv, live = spec.investigation, self._live(spec)
        live.investigation = investigation_approve(
            actor=self.actor(spec, investigating=True), investigation=live.investigation,
            approved_on=inv.approved_on, approved_by=self.government(spec))

    def accountability(self, spec: AccidentSpec) -> None:
        inv, live = spec.investigation, self._live(spec)
        enterprise = self.enterprises[spec.enterprise]
        actor = self.actor(spec, investigating=True)
        live.accountability[Accountability.Subject.UNIT] = accountability_add(
            actor=actor, investigation=live.investigation,
            subject=Accountability.Subject.UNIT, name=enterprise.name,
            responsibility=UNIT_RESPONSIBILITY, measures=UNIT_MEASURES, enterprise=enterprise)
        principal = ResponsiblePerson.objects.filter(
            enterprise=enterprise, kind=ResponsiblePerson.Kind.PRINCIPAL).first()
        if principal is not None:
            live.accountability[Accountability.Subject.PRINCIPAL] = accountability_add(
                actor=actor, investigation=live.investigation,
                subject=Accountability.Subject.PRINCIPAL, name=principal.name,
                responsibility=PRINCIPAL_RESPONSIBILITY, measures=PRINCIPAL_MEASURES,
                enterprise=enterprise, person=principal)
        if inv.other_person:
            accountability_add(actor=actor, investigation=live.investigation,
                               subject=Accountability.Subject.PERSON, name=inv.other_person,
                               responsibility=PERSON_RESPONSIBILITY, measures=PERSON_MEASURES,
                               enterprise=enterprise)
        self._count("事故责任追究", len(live.accountability) + bool(inv.other_person))

    def cases(self, spec: AccidentSpec) -> None:
        """Leads only (线索登记): never filed here, so no cases figure moves."""
        inv, live = spec.investigation, self._live(spec)
        # the bureau of the level that investigated punishes (the city for 较大)
        officers = self.officers_of(CITY if spec.large else spec.county)
        for subject in inv.cases:
            accident_case_open(actor=officers[0], accountability=live.accountability[subject],
                               handlers=officers[1:], on=inv.case_on)
            self._count("事故案件线索")


def _first_account(spec: AccidentSpec) -> str:
    """The account as first registered (before the later death)."""
    first = AccidentSpec(spec.year, spec.serial, spec.industry, deaths=spec.first_deaths,
                         serious_injuries=spec.first_injuries)
    return spec.account.replace(_outcome_text(spec), _outcome_text(first))


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------

def plan(ctx: DemoContext, world: World) -> dict[int, list[AccidentSpec]]:
    """Both years, always planned in the same order from the one stream (a year loaded
    before is planned and skipped, so the other year's draws never shift)."""
    rng = ctx.random("accidents")
    return {year: plan_year(rng, year, targets_for(ctx.enterprises, year), world)
            for year in YEARS}


def load(ctx: DemoContext) -> None:
    started = time.perf_counter()
    done = {year for year in YEARS if Accident.objects.filter(
        occurred_at__gte=Period.for_year(year).start_at,
        occurred_at__lt=Period.for_year(year).end_before).exists()}
    if done >= set(YEARS):
        return  # loaded before: nothing to do
    planned = plan(ctx, read_world())
    specs = [spec for year in YEARS if year not in done for spec in planned[year]]
    before = Event.objects.count()
    executor = Executor(specs)
    executor.run()
    for label, n in executor.counts.items():
        ctx.count(label, n)
    ctx.events += Event.objects.count() - before  # written by the services themselves
    ctx.log(f"  生产安全事故：{len(specs)}起，用时{time.perf_counter() - started:.1f}秒")
