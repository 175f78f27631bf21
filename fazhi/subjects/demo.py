"""The subjects slice of the demo city: Jiaxing's 9 chemical parks, about 12,000
enterprises with their principals and safety managers, and the demo enterprise user.

Everything is drawn from `ctx.random("subjects.enterprises")` in one pass, enterprise
by enterprise, so a run with N enterprises yields the first N of a bigger run, and a
second run regenerates exactly the same rows and finds them all present (natural key:
统一社会信用代码). Identifiers are checksum-valid but invented.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from functools import cache

from stdnum.cn import ric

from fazhi.core.demo import DemoContext, bulk_create_missing
from fazhi.core.models import Jurisdiction, Role, User
from fazhi.subjects.models import (
    ChemicalPark,
    Enterprise,
    ResponsiblePerson,
    RiskLevel,
    SupervisionCategory,
)
from fazhi.subjects.rules.identifiers import build_id_number, build_uscc

ORDER = 20

# ---------------------------------------------------------------------------------------
# Chemical parks
# ---------------------------------------------------------------------------------------
# Jiaxing has 9 recognised chemical parks; 4 are rated 较低 (D) and 5 一般 (C) (the
# bureau's 2024 report). The names below are plausible but illustrative: they follow
# the parks' host development zones, not an official list, and so do the host towns
# and assessment dates.
PARKS: list[tuple[str, str, str, datetime.date]] = [
    # (name, host town code, risk level, assessed on)
    ("浙江嘉兴港区（化工新材料园区）", "330482101", ChemicalPark.RiskLevel.LOWER,
     datetime.date(2024, 6, 18)),
    ("平湖独山港经济开发区化工园区", "330482108", ChemicalPark.RiskLevel.LOWER,
     datetime.date(2024, 6, 20)),
    ("海宁尖山新区化工园区", "330481108", ChemicalPark.RiskLevel.LOWER,
     datetime.date(2024, 7, 2)),
    ("海宁经济开发区化工集聚区", "330481003", ChemicalPark.RiskLevel.LOWER,
     datetime.date(2024, 7, 5)),
    ("海盐经济开发区化工园区", "330424002", ChemicalPark.RiskLevel.GENERAL,
     datetime.date(2024, 7, 11)),
    ("桐乡经济开发区化工园区", "330483001", ChemicalPark.RiskLevel.GENERAL,
     datetime.date(2024, 7, 16)),
    ("嘉善经济开发区化工园区", "330421003", ChemicalPark.RiskLevel.GENERAL,
     datetime.date(2024, 8, 6)),
    ("秀洲工业园区化工集聚区", "330411101", ChemicalPark.RiskLevel.GENERAL,
     datetime.date(2024, 8, 13)),
    ("南湖工业园区化工集聚区", "330402105", ChemicalPark.RiskLevel.GENERAL,
     datetime.date(2024, 8, 20)),
]
# How many of the hazchem producers each park hosts (the port zone's park is by far the
# largest).
PARK_WEIGHTS = [30, 20, 12, 5, 10, 8, 6, 5, 4]
NANHU_PARK = "南湖工业园区化工集聚区"

# ---------------------------------------------------------------------------------------
# Enterprises
# ---------------------------------------------------------------------------------------
# Share of enterprises per county, roughly after each one's industrial output.
COUNTY_WEIGHTS: dict[str, int] = {
    "330402": 10, "330411": 11, "330421": 12, "330424": 9, "330481": 15,
    "330482": 12, "330483": 15, "330471": 10, "330472": 6,
}
# Name prefix (字号 region part) per county.
NAME_REGION: dict[str, list[str]] = {
    "330402": ["嘉兴市", "嘉兴"], "330411": ["嘉兴市", "嘉兴"], "330471": ["嘉兴市", "嘉兴"],
    "330472": ["嘉兴市", "嘉兴"], "330421": ["嘉善县", "嘉善"], "330424": ["海盐县", "海盐"],
    "330481": ["海宁市", "海宁"], "330482": ["平湖市", "平湖"], "330483": ["桐乡市", "桐乡"],
}

CATEGORY_WEIGHTS: list[tuple[str, int]] = [
    (SupervisionCategory.INDUSTRY_TRADE, 850),
    (SupervisionCategory.HAZCHEM_USE, 60),
    (SupervisionCategory.HAZCHEM_OPERATION, 40),
    (SupervisionCategory.HAZCHEM_PRODUCTION, 25),
    (SupervisionCategory.OTHER, 25),
]

# GB/T 4754-2017 industry codes per supervision category, with the trade words a name
# in that industry uses, and a weight.
INDUSTRIES: dict[str, list[tuple[str, list[str], int]]] = {
    SupervisionCategory.HAZCHEM_PRODUCTION: [
        ("C2614", ["化工", "精细化工", "新材料"], 30),   # 有机化学原料制造
        ("C2613", ["化工", "化学"], 8),                  # 无机盐制造
        ("C2641", ["涂料", "化工"], 12),                  # 涂料制造
        ("C2642", ["油墨"], 5),                          # 油墨及类似产品制造
        ("C2651", ["树脂", "新材料", "高分子材料"], 15),   # 初级形态塑料及合成树脂制造
        ("C2653", ["石化", "化纤原料"], 5),              # 合成纤维单（聚合）体制造
        ("C2661", ["化学", "试剂"], 8),                  # 化学试剂和助剂制造
        ("C2662", ["助剂", "科技"], 10),                 # 专项化学用品制造
        ("C2631", ["农化"], 3),                          # 化学农药制造
    ],
    SupervisionCategory.HAZCHEM_USE: [
        ("C2710", ["药业", "制药"], 10),                 # 化学药品原料药制造
        ("C2822", ["化纤", "涤纶"], 15),                 # 涤纶纤维制造
        ("C2821", ["锦纶"], 5),                          # 锦纶纤维制造
        ("C3360", ["表面处理", "金属表面处理"], 15),     # 金属表面处理及热处理加工
        ("C1713", ["印染", "染整"], 15),                 # 棉印染精加工
        ("C2319", ["印务", "包装印刷"], 10),             # 包装装潢及其他印刷
        ("C2929", ["塑胶", "塑业"], 10),                 # 其他塑料制品制造
        ("C3982", ["电子", "电路"], 10),                 # 电子电路制造
    ],
    SupervisionCategory.HAZCHEM_OPERATION: [
        ("F5169", ["化工贸易", "化工原料"], 45),         # 其他化工产品批发
        ("F5162", ["石油化工", "能源"], 20),             # 石油及制品批发
        ("F5265", ["石油销售", "加油站"], 25),           # 机动车燃油零售
        ("G5942", ["危化品仓储", "化工物流"], 10),       # 危险化学品仓储
    ],
    SupervisionCategory.INDUSTRY_TRADE: [
        ("C1751", ["纺织", "织造"], 70),                 # 化纤织造加工
        ("C1711", ["纺织", "棉纺"], 20),                 # 棉纺纱加工
        ("C1761", ["经编", "针织"], 40),                 # 针织或钩针编织物织造
        ("C1810", ["服饰", "制衣"], 60),                 # 机织服装制造
        ("C1931", ["皮草", "毛皮"], 15),                 # 毛皮鞣制加工
        ("C1921", ["皮革", "皮衣"], 20),                 # 皮革服装制造
        ("C1952", ["鞋业"], 15),                         # 皮鞋制造
        ("C2021", ["木业"], 20),                         # 胶合板制造
        ("C2110", ["家具"], 45),                         # 木质家具制造
        ("C2221", ["纸业"], 15),                         # 机制纸及纸板制造
        ("C2231", ["包装", "纸品"], 25),                 # 纸和纸板容器制造
        ("C2922", ["塑业", "管业"], 20),                 # 塑料板、管、型材制造
        ("C2927", ["塑料制品", "日用品"], 20),           # 日用塑料制品制造
        ("C3021", ["建材", "水泥制品"], 15),             # 水泥制品制造
        ("C3130", ["钢业", "金属材料"], 15),             # 钢压延加工
        ("C3311", ["钢结构"], 25),                       # 金属结构制造
        ("C3391", ["铸造"], 15),                         # 黑色金属铸造
        ("C3441", ["泵业"], 15),                         # 泵及真空设备制造
        ("C3443", ["阀门"], 15),                         # 阀门和旋塞制造
        ("C3482", ["紧固件", "标准件"], 35),             # 紧固件制造
        ("C3484", ["机械", "精密机械"], 70),             # 机械零部件加工
        ("C3670", ["汽车零部件", "汽配"], 45),           # 汽车零部件及配件制造
        ("C3831", ["电缆", "线缆"], 15),                 # 电线、电缆制造
        ("C3854", ["电器", "厨具电器"], 20),             # 家用厨房电器具制造
        ("C3976", ["光电", "光电科技"], 20),             # 光电子器件制造
        ("C1371", ["食品"], 15),                         # 蔬菜加工
        ("C1311", ["米业", "粮油"], 10),                 # 稻谷加工
        ("C4190", ["工艺品"], 10),                       # 其他未列明制造业
    ],
    SupervisionCategory.OTHER: [
        ("G5920", ["仓储", "物流"], 70),                 # 通用仓储
        ("G5930", ["冷链"], 30),                         # 低温仓储
    ],
}

RISK_WEIGHTS: dict[str, list[tuple[str, int]]] = {
    SupervisionCategory.HAZCHEM_PRODUCTION: [
        (RiskLevel.LOW, 25), (RiskLevel.GENERAL, 50), (RiskLevel.LARGE, 20),
        (RiskLevel.MAJOR, 5)],
    SupervisionCategory.HAZCHEM_USE: [
        (RiskLevel.LOW, 45), (RiskLevel.GENERAL, 45), (RiskLevel.LARGE, 9),
        (RiskLevel.MAJOR, 1)],
    SupervisionCategory.HAZCHEM_OPERATION: [
        (RiskLevel.LOW, 50), (RiskLevel.GENERAL, 42), (RiskLevel.LARGE, 7),
        (RiskLevel.MAJOR, 1)],
}
DEFAULT_RISK = [(RiskLevel.LOW, 72), (RiskLevel.GENERAL, 25), (RiskLevel.LARGE, 3)]
# Share of hazchem users inside a park (producers are always in one).
HAZCHEM_USE_IN_PARK = 0.35

# 字号 characters.
BRAND_CHARS = (
    "华鑫宏盛泰恒达兴嘉禾丰源瑞德昌隆荣信诚通利永金新联创汇博天长正远明志豪凯富康海美佳"
    "欣晨锦顺万立中宇腾飞益祥和安越航邦力优科星辰启光耀东方南北宝龙凤祺"
)
ROADS = (
    "中山路", "人民路", "解放路", "建设路", "工业路", "兴业路", "创业路", "环城路",
    "新华路", "文昌路", "发展大道", "开发大道", "经一路", "纬二路", "科技路", "园区路",
    "富民路", "振兴路", "长安路", "东方路", "滨海大道", "海港路", "百业路", "新兴路",
)
SURNAMES = (
    "王李张陈刘杨黄吴周徐沈朱钱孙胡金俞顾陆姚蒋褚费屠施许冯戴范潘马曹郑唐何高林蔡"
)
GIVEN_CHARS = (
    "建国华明伟军平芳红丽敏强磊洋勇杰涛斌峰林海英燕娟霞静超鹏辉刚东晓文志新春荣福根"
    "佳怡欣雨婷浩宇轩梅兰秀云龙飞俊凯"
)
# Residence codes for ID numbers: the Jiaxing counties, with the codes in force before
# 1983 (嘉兴地区, 3321xx), so each birth year gets a code that existed then.
ID_AREAS = (
    "332102", "332122", "332123", "332124", "332125", "332126",
    "330402", "330411", "330421", "330422", "330423", "330424", "330425",
    "330481", "330482", "330483",
)


@dataclass
class PersonSpec:
    kind: str
    name: str
    id_number: str


@dataclass
class EnterpriseSpec:
    name: str
    uscc: str
    address: str
    town: str  # town code
    industry_code: str
    category: str
    risk_level: str
    park: str | None  # park name
    people: list[PersonSpec] = field(default_factory=list)


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


@cache
def _id_areas_for(year: int) -> tuple[str, ...]:
    """The residence codes stdnum accepts for someone born in `year`."""
    valid = []
    for area in ID_AREAS:
        try:
            ric.validate(build_id_number(area, datetime.date(year, 1, 1), 1))
        except ValueError:
            continue
        valid.append(area)
    return tuple(valid)


def make_id_number(rng: random.Random) -> str:
    """A checksum-valid 居民身份证号: residence code, birth date (1962–1996), sequence."""
    birth = datetime.date(1962, 1, 1) + datetime.timedelta(days=rng.randrange(35 * 365))
    area = rng.choice(_id_areas_for(birth.year))
    return build_id_number(area, birth, rng.randrange(1, 1000))


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def enterprise_specs(
    rng: random.Random,
    n: int,
    towns: dict[str, list[tuple[str, str]]],
    town_names: dict[str, tuple[str, str]],
) -> list[EnterpriseSpec]:
    """Draw n enterprises. Pure: no database access.

    towns: county code -> [(town code, town name)]; town_names: town code -> (county
    name, town name). The first enterprise is always a hazchem producer in 南湖区's
    park: it is the one the demo `enterprise` user belongs to."""
    # One random offset, then a bijection of the serial (the multiplier is coprime with
    # 10^8), so organisation codes look scattered yet never repeat.
    offset = rng.randrange(10**8)
    park_hosts = {name: town for name, town, _, _ in PARKS}
    park_choices = [(name, weight) for (name, *_), weight in zip(PARKS, PARK_WEIGHTS,
                                                                 strict=True)]
    county_choices = list(COUNTY_WEIGHTS.items())
    county_of_town = {code: county for county, items in towns.items() for code, _ in items}
    used_names: set[str] = set()
    specs: list[EnterpriseSpec] = []
    for serial in range(n):
        if serial == 0:
            category, park = SupervisionCategory.HAZCHEM_PRODUCTION, NANHU_PARK
        else:
            category = _weighted(rng, CATEGORY_WEIGHTS)
            park = None
            if category == SupervisionCategory.HAZCHEM_PRODUCTION or (
                category == SupervisionCategory.HAZCHEM_USE
                and rng.random() < HAZCHEM_USE_IN_PARK
            ):
                park = _weighted(rng, park_choices)
        if park:
            town = park_hosts[park]
            county = county_of_town[town]
        else:
            county = _weighted(rng, county_choices)
            town = rng.choice(towns[county])[0]
        industries = INDUSTRIES[category]
        code, words, _ = rng.choices(industries, weights=[w for *_, w in industries])[0]
        while True:
            region = (rng.choice(NAME_REGION[county]) if rng.random() < 0.92 else "浙江")
            brand = "".join(rng.sample(BRAND_CHARS, 2))
            suffix = "股份有限公司" if rng.random() < 0.04 else "有限公司"
            name = f"{region}{brand}{rng.choice(words)}{suffix}"
            if name not in used_names:
                used_names.add(name)
                break
        county_name, town_name = town_names[town]
        address = (f"浙江省嘉兴市{county_name}{town_name}{rng.choice(ROADS)}"
                   f"{rng.randrange(1, 2000)}号")
        # Registration area: the town's own county code (for the zones' streets, the
        # district that registers them; see fazhi.core.demo).
        uscc = build_uscc(town[:6], (serial * 48271 + offset) % 10**8)
        risk = _weighted(rng, RISK_WEIGHTS.get(category, DEFAULT_RISK))
        people = [PersonSpec(ResponsiblePerson.Kind.PRINCIPAL, person_name(rng),
                             make_id_number(rng))]
        managers = (rng.randint(1, 3) if category.startswith("hazchem")
                    else rng.choices([0, 1, 2], weights=[45, 45, 10])[0])
        people += [PersonSpec(ResponsiblePerson.Kind.SAFETY_MANAGER, person_name(rng),
                              make_id_number(rng)) for _ in range(managers)]
        specs.append(EnterpriseSpec(
            name=name, uscc=uscc, address=address, town=town, industry_code=code,
            category=category, risk_level=risk, park=park, people=people))
    return specs


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------

def _load_parks(ctx: DemoContext, places: dict[str, Jurisdiction]) -> dict[str, ChemicalPark]:
    parks = [ChemicalPark(name=name, jurisdiction=places[town], risk_level=level,
                          assessed_on=assessed) for name, town, level, assessed in PARKS]
    for park in parks:
        park.full_clean(validate_unique=False)
    new = bulk_create_missing(ChemicalPark, parks, key="name")
    ctx.count("化工园区", len(new))
    ctx.record([(p, "park.created", {"source": "demo", "name": p.name,
                                     "risk_level": p.risk_level}) for p in new])
    return {p.name: p for p in ChemicalPark.objects.filter(name__in=[n for n, *_ in PARKS])}


def _load_enterprises(ctx: DemoContext, places: dict[str, Jurisdiction],
                      parks: dict[str, ChemicalPark]) -> list[EnterpriseSpec]:
    towns: dict[str, list[tuple[str, str]]] = {}
    town_names: dict[str, tuple[str, str]] = {}
    for place in places.values():
        if place.level == Jurisdiction.Level.TOWN and place.parent.code in COUNTY_WEIGHTS:
            towns.setdefault(place.parent.code, []).append((place.code, place.name))
            town_names[place.code] = (place.parent.name, place.name)
    for items in towns.values():
        items.sort()
    specs = enterprise_specs(ctx.random("subjects.enterprises"), ctx.enterprises, towns,
                             town_names)

    enterprises = []
    for spec in specs:
        town = places[spec.town]
        enterprise = Enterprise(
            name=spec.name, uscc=spec.uscc, address=spec.address, jurisdiction=town,
            jurisdiction_path=town.path,  # save() sets it; bulk_create does not call save()
            industry_code=spec.industry_code, supervision_category=spec.category,
            risk_level=spec.risk_level, park=parks[spec.park] if spec.park else None,
        )
        # Field checks only: the foreign keys point at rows just read, and a per-row
        # existence query would cost 12,000 round trips.
        enterprise.clean_fields(exclude=["jurisdiction", "park"])
        enterprises.append(enterprise)
    new = bulk_create_missing(Enterprise, enterprises, key="uscc")
    by_uscc = {e.uscc: e for e in new}

    people = []
    for spec in specs:
        enterprise = by_uscc.get(spec.uscc)
        if enterprise is None:
            continue  # it existed already, and its people with it
        for person in spec.people:
            people.append(ResponsiblePerson(enterprise=enterprise, kind=person.kind,
                                            name=person.name, id_number=person.id_number))
    ResponsiblePerson.objects.bulk_create(people, batch_size=1000)

    ctx.count("生产经营单位", len(new))
    ctx.count("责任人员", len(people))
    ctx.record(
        [(e, "enterprise.created",
          {"source": "demo", "name": e.name, "uscc": e.uscc, "jurisdiction": e.jurisdiction.code,
           "supervision_category": e.supervision_category}) for e in new]
        # The ID number stays out of the record: it is personal data.
        + [(p, "person.created", {"source": "demo", "enterprise": p.enterprise.uscc,
                                  "kind": p.kind, "name": p.name}) for p in people]
    )
    return specs


def _load_enterprise_user(ctx: DemoContext, specs: list[EnterpriseSpec]) -> None:
    enterprise = Enterprise.objects.get(uscc=specs[0].uscc)
    principal = specs[0].people[0].name
    user = User(username="enterprise", full_name=principal, role=Role.ENTERPRISE,
                enterprise=enterprise)
    user.set_unusable_password()  # `demo_accounts` sets the demo password
    new = bulk_create_missing(User, [user], key="username")
    ctx.count("用户", len(new))
    ctx.record([(u, "user.created", {"source": "demo", "username": u.username,
                                     "role": u.role, "enterprise": enterprise.uscc})
                for u in new])


def load(ctx: DemoContext) -> None:
    places = {j.code: j for j in Jurisdiction.objects.select_related("parent")}
    parks = _load_parks(ctx, places)
    specs = _load_enterprises(ctx, places, parks)
    _load_enterprise_user(ctx, specs)
