"""The demo framework, and the core slice of the demo city: Jiaxing (嘉兴市).

Framework: `python manage.py load_demo` finds the `demo` module of every installed
Fazhi app (`fazhi.<app>.demo`, exposing `ORDER: int` and `load(ctx: DemoContext)`),
and runs them in ORDER inside one transaction. Every loader must be

- deterministic: all randomness comes from `ctx.random(stream)` (seeded from the
  demo seed and the stream name, so one app's draws never shift another's);
- idempotent: rows are matched on a natural key (a code, a name, a username, a
  统一社会信用代码) and only missing ones are created, so a second run creates nothing;
- on the record: demo rows are records like any other, so each created row gets its
  "*.created" event (`ctx.record`), written in bulk.

Core slice: the 行政区划 tree of Jiaxing down to towns and streets, the agencies
(市局, the county bureaus, a few town 应急消防管理站), their departments, the staff
users with their enforcement certificates. Users are created with unusable passwords;
`python manage.py demo_accounts` gives the named demo accounts their password.
"""

from __future__ import annotations

import datetime
import importlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from fazhi.core.models import (
    Agency,
    Department,
    EnforcementCertificate,
    Jurisdiction,
    Role,
    User,
)

DEFAULT_SEED = 2024
DEFAULT_ENTERPRISES = 12_000
EVENT_CHUNK = 5_000

# The accounts `demo_accounts` gives a password to (the enterprise user is created by
# fazhi.subjects.demo, since it needs an enterprise; the tip desk and the first social
# supervisor by fazhi.oversight.demo).
DEMO_ACCOUNTS: tuple[str, ...] = (
    "admin", "officer", "reviewer", "leader", "nanhu_officer", "enterprise",
    "tipdesk", "supervisor01",
)


# ---------------------------------------------------------------------------------------
# Framework
# ---------------------------------------------------------------------------------------

@dataclass
class DemoContext:
    """What every app's `load(ctx)` gets."""

    seed: int = DEFAULT_SEED
    enterprises: int = DEFAULT_ENTERPRISES
    log: Callable[[str], None] = field(default=lambda message: None)
    created: dict[str, int] = field(default_factory=dict)
    events: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def random(self, stream: str) -> random.Random:
        """An independent generator per stream: what one loader draws (or skips because
        its rows already exist) never changes what another one draws."""
        return random.Random(f"{self.seed}:{stream}")

    def count(self, label: str, n: int) -> None:
        if n:
            self.created[label] = self.created.get(label, 0) + n

    def record(self, entries: Sequence[tuple[Any, str, dict[str, Any] | None]]) -> None:
        """Write the "*.created" events of new demo rows, in bulk (actor: none, the
        system), in the caller's transaction."""
        from fazhi.core.services.events import record_events

        for start in range(0, len(entries), EVENT_CHUNK):
            record_events(actor=None, entries=list(entries[start:start + EVENT_CHUNK]))
        self.events += len(entries)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def demo_modules() -> list[ModuleType]:
    """The `demo` modules of the installed Fazhi apps, in ORDER."""
    found: list[tuple[int, int, ModuleType]] = []
    for index, config in enumerate(apps.get_app_configs()):
        if not config.name.startswith("fazhi.") or not module_has_submodule(
            config.module, "demo"
        ):
            continue
        module = importlib.import_module(f"{config.name}.demo")
        if not isinstance(getattr(module, "ORDER", None), int) or not callable(
            getattr(module, "load", None)
        ):
            raise TypeError(f"{module.__name__} must define ORDER: int and load(ctx)")
        found.append((module.ORDER, index, module))
    return [module for _, _, module in sorted(found, key=lambda item: item[:2])]


def run_demo(ctx: DemoContext) -> DemoContext:
    """Build (or complete) the demo city in one transaction."""
    with transaction.atomic():
        for module in demo_modules():
            ctx.log(f"· {module.__name__}")
            module.load(ctx)
    return ctx


def bulk_create_missing(model: type, objects: Sequence[Any], *, key: str,
                        batch_size: int = 1000) -> list[Any]:
    """Insert the objects whose natural key `key` is not in the table yet; return them
    (with primary keys)."""
    wanted = [getattr(obj, key) for obj in objects]
    existing: set[Any] = set()
    for start in range(0, len(wanted), 5000):
        existing.update(model.objects.filter(**{f"{key}__in": wanted[start:start + 5000]})
                        .values_list(key, flat=True))
    new = [obj for obj in objects if getattr(obj, key) not in existing]
    model.objects.bulk_create(new, batch_size=batch_size)
    if new and new[0].pk is None:  # a backend that cannot return ids from bulk inserts
        ids = dict(model.objects.filter(**{f"{key}__in": [getattr(o, key) for o in new]})
                   .values_list(key, "pk"))
        for obj in new:
            obj.pk = ids[getattr(obj, key)]
    return new


# ---------------------------------------------------------------------------------------
# Jurisdictions
# ---------------------------------------------------------------------------------------
# County-level units: GB/T 2260 codes. Towns and streets: the 9-digit 统计用区划代码 of the
# National Bureau of Statistics (checked against the NBS table as republished by the
# modood/Administrative-divisions-of-China data set, 2023 edition).
#
# The two functional zones (功能区) have no GB/T 2260 code, and the NBS table gives them
# no "xx71/xx72" statistical code either (in Zhejiang only 330371 温州经济技术开发区 has
# one). 330471 and 330472 follow that NBS convention for functional zones and are
# assigned locally here. In the NBS table the zones' streets stay under the districts
# that legally hold them (城南/长水 under 南湖区, 嘉北/塘汇 under 秀洲区, 乍浦镇 under
# 平湖市), so they keep those real codes while the tree puts them under the zone whose
# bureau supervises them: scoping goes by the tree (`path`), never by code prefix.

PROVINCE = ("330000", "浙江省")
CITY = ("330400", "嘉兴市")

COUNTIES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("330402", "南湖区", Jurisdiction.Level.COUNTY, [
        ("330402007", "建设街道"), ("330402008", "解放街道"), ("330402009", "新嘉街道"),
        ("330402010", "南湖街道"), ("330402011", "新兴街道"), ("330402013", "东栅街道"),
        ("330402015", "七星街道"), ("330402100", "凤桥镇"), ("330402101", "余新镇"),
        ("330402103", "新丰镇"), ("330402105", "大桥镇"),
    ]),
    ("330411", "秀洲区", Jurisdiction.Level.COUNTY, [
        ("330411002", "新城街道"), ("330411005", "高照街道"), ("330411101", "王江泾镇"),
        ("330411103", "油车港镇"), ("330411104", "新塍镇"), ("330411105", "王店镇"),
        ("330411106", "洪合镇"),
    ]),
    ("330421", "嘉善县", Jurisdiction.Level.COUNTY, [
        ("330421001", "魏塘街道"), ("330421002", "罗星街道"), ("330421003", "惠民街道"),
        ("330421102", "大云镇"), ("330421103", "西塘镇"), ("330421105", "干窑镇"),
        ("330421107", "陶庄镇"), ("330421111", "姚庄镇"), ("330421112", "天凝镇"),
    ]),
    ("330424", "海盐县", Jurisdiction.Level.COUNTY, [
        ("330424001", "武原街道"), ("330424002", "西塘桥街道"), ("330424004", "秦山街道"),
        ("330424005", "望海街道"), ("330424101", "沈荡镇"), ("330424102", "百步镇"),
        ("330424103", "于城镇"), ("330424105", "澉浦镇"), ("330424106", "通元镇"),
    ]),
    ("330481", "海宁市", Jurisdiction.Level.COUNTY, [
        ("330481001", "硖石街道"), ("330481002", "海洲街道"), ("330481003", "海昌街道"),
        ("330481004", "马桥街道"), ("330481101", "许村镇"), ("330481103", "长安镇"),
        ("330481105", "周王庙镇"), ("330481106", "丁桥镇"), ("330481107", "斜桥镇"),
        ("330481108", "黄湾镇"), ("330481110", "盐官镇"), ("330481112", "袁花镇"),
    ]),
    ("330482", "平湖市", Jurisdiction.Level.COUNTY, [
        ("330482001", "当湖街道"), ("330482002", "钟埭街道"), ("330482003", "曹桥街道"),
        ("330482102", "新埭镇"), ("330482103", "新仓镇"), ("330482106", "广陈镇"),
        ("330482107", "林埭镇"), ("330482108", "独山港镇"),
    ]),
    # 龙翔街道 (桐乡) is absent from the 2023 NBS table (merged), so it is left out.
    ("330483", "桐乡市", Jurisdiction.Level.COUNTY, [
        ("330483001", "梧桐街道"), ("330483003", "凤鸣街道"), ("330483004", "高桥街道"),
        ("330483100", "乌镇镇"), ("330483101", "濮院镇"), ("330483102", "屠甸镇"),
        ("330483103", "石门镇"), ("330483104", "河山镇"), ("330483105", "洲泉镇"),
        ("330483106", "大麻镇"), ("330483107", "崇福镇"),
    ]),
    ("330471", "嘉兴经济技术开发区", Jurisdiction.Level.ZONE, [
        ("330402012", "城南街道"), ("330402014", "长水街道"), ("330411003", "嘉北街道"),
        ("330411004", "塘汇街道"),
    ]),
    ("330472", "嘉兴港区", Jurisdiction.Level.ZONE, [
        ("330482101", "乍浦镇"),
    ]),
]


def _load_jurisdictions(ctx: DemoContext) -> dict[str, Jurisdiction]:
    by_code = {j.code: j for j in Jurisdiction.objects.all()}
    new: list[Jurisdiction] = []

    def ensure(code: str, name: str, level: str, parent: Jurisdiction | None) -> Jurisdiction:
        if code in by_code:
            return by_code[code]
        node = Jurisdiction(code=code, name=name, level=level, parent=parent)
        node.full_clean(exclude=["path"])
        node.save()  # save() derives the path from the parent chain
        by_code[code] = node
        new.append(node)
        return node

    province = ensure(*PROVINCE, Jurisdiction.Level.PROVINCE, None)
    city = ensure(*CITY, Jurisdiction.Level.CITY, province)
    for code, name, level, towns in COUNTIES:
        county = ensure(code, name, level, city)
        for town_code, town_name in towns:
            ensure(town_code, town_name, Jurisdiction.Level.TOWN, county)
    ctx.count("行政区划", len(new))
    ctx.record([(j, "jurisdiction.created",
                 {"source": "demo", "code": j.code, "name": j.name, "level": j.level})
                for j in new])
    return by_code


# ---------------------------------------------------------------------------------------
# Agencies and departments
# ---------------------------------------------------------------------------------------

CITY_BUREAU = ("嘉兴市应急管理局", "嘉应急")
CITY_DEPARTMENTS = [
    "办公室", "政策法规处", "危险化学品安全监督管理处", "工贸行业安全监督管理处",
    "安全生产综合协调处", "执法支队",
]
# jurisdiction code -> (agency name, 文号机关代字)
COUNTY_BUREAUS: dict[str, tuple[str, str]] = {
    "330402": ("嘉兴市南湖区应急管理局", "南应急"),
    "330411": ("嘉兴市秀洲区应急管理局", "秀应急"),
    "330421": ("嘉善县应急管理局", "善应急"),
    "330424": ("海盐县应急管理局", "盐应急"),
    "330481": ("海宁市应急管理局", "海应急"),
    "330482": ("平湖市应急管理局", "平应急"),
    "330483": ("桐乡市应急管理局", "桐应急"),
    "330471": ("嘉兴经济技术开发区应急管理局", "嘉开应急"),
    "330472": ("嘉兴港区应急管理局", "嘉港应急"),
}
COUNTY_DEPARTMENTS = ["办公室", "政策法规科", "危化工贸科", "执法大队"]
# Towns exercising delegated enforcement powers (赋权/委托执法).
TOWN_STATIONS: dict[str, tuple[str, str]] = {
    "330402105": ("南湖区大桥镇应急消防管理站", "大桥应急"),
    "330421103": ("嘉善县西塘镇应急消防管理站", "西塘应急"),
    "330481103": ("海宁市长安镇应急消防管理站", "长安应急"),
    "330482108": ("平湖市独山港镇应急消防管理站", "独山港应急"),
    "330483101": ("桐乡市濮院镇应急消防管理站", "濮院应急"),
}
TOWN_DEPARTMENTS = ["综合执法组"]


def _load_agencies(ctx: DemoContext, places: dict[str, Jurisdiction]) -> dict[str, Agency]:
    """Agencies keyed by their jurisdiction code."""
    by_name = {a.name: a for a in Agency.objects.all()}
    new_agencies: list[Agency] = []

    def ensure(name: str, prefix: str, kind: str, code: str, parent: Agency | None,
               delegated: bool = False) -> Agency:
        if name in by_name:
            return by_name[name]
        agency = Agency(name=name, doc_prefix=prefix, kind=kind, jurisdiction=places[code],
                        parent=parent, delegated=delegated)
        agency.full_clean()
        agency.save()
        by_name[name] = agency
        new_agencies.append(agency)
        return agency

    agencies: dict[str, Agency] = {}
    city = ensure(*CITY_BUREAU, Agency.Kind.CITY_BUREAU, CITY[0], None)
    agencies[CITY[0]] = city
    for code, (name, prefix) in COUNTY_BUREAUS.items():
        agencies[code] = ensure(name, prefix, Agency.Kind.COUNTY_BUREAU, code, city)
    for code, (name, prefix) in TOWN_STATIONS.items():
        county_code = places[code].parent.code
        agencies[code] = ensure(name, prefix, Agency.Kind.TOWN_STATION, code,
                                agencies[county_code], delegated=True)

    existing = set(Department.objects.values_list("agency_id", "name"))
    new_departments: list[Department] = []
    for agency in agencies.values():
        names = (CITY_DEPARTMENTS if agency.kind == Agency.Kind.CITY_BUREAU
                 else COUNTY_DEPARTMENTS if agency.kind == Agency.Kind.COUNTY_BUREAU
                 else TOWN_DEPARTMENTS)
        for name in names:
            if (agency.pk, name) not in existing:
                new_departments.append(Department(agency=agency, name=name))
    Department.objects.bulk_create(new_departments)
    if new_departments and new_departments[0].pk is None:  # no ids from bulk inserts
        ids = {(d.agency_id, d.name): d.pk for d in Department.objects.all()}
        for department in new_departments:
            department.pk = ids[(department.agency_id, department.name)]

    ctx.count("执法机关", len(new_agencies))
    ctx.count("处室", len(new_departments))
    ctx.record(
        [(a, "agency.created", {"source": "demo", "name": a.name, "kind": a.kind,
                                "jurisdiction": a.jurisdiction.code}) for a in new_agencies]
        + [(d, "department.created", {"source": "demo", "agency": d.agency.name,
                                      "name": d.name}) for d in new_departments]
    )
    return agencies


# ---------------------------------------------------------------------------------------
# Staff users and certificates
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffSpec:
    username: str
    full_name: str
    role: str
    agency_code: str  # the agency's jurisdiction code
    department: str | None = None
    certificate: str = "valid"  # "valid", "expired" or "none"
    superuser: bool = False


STAFF: list[StaffSpec] = [
    # The named demo accounts (see DEMO_ACCOUNTS).
    StaffSpec("admin", "系统管理员", Role.ADMIN, "330400", "办公室", "none", superuser=True),
    StaffSpec("officer", "王建国", Role.OFFICER, "330400", "执法支队"),
    StaffSpec("reviewer", "沈丽娟", Role.REVIEWER, "330400", "政策法规处"),
    StaffSpec("leader", "陈志强", Role.LEADER, "330400", "执法支队"),
    StaffSpec("nanhu_officer", "朱晓峰", Role.OFFICER, "330402", "执法大队"),
    # More officers across the city, so double-random selection has people to pick.
    StaffSpec("city_officer2", "徐海涛", Role.OFFICER, "330400", "执法支队"),
    StaffSpec("city_officer3", "钱佳怡", Role.OFFICER, "330400", "危险化学品安全监督管理处"),
    StaffSpec("nanhu_officer2", "褚文斌", Role.OFFICER, "330402", "执法大队"),
    StaffSpec("nanhu_leader", "顾国平", Role.LEADER, "330402", "执法大队"),
    StaffSpec("nanhu_reviewer", "陆雅琴", Role.REVIEWER, "330402", "政策法规科", "none"),
    StaffSpec("xiuzhou_officer", "吴俊杰", Role.OFFICER, "330411", "执法大队"),
    StaffSpec("jiashan_officer", "金伟民", Role.OFFICER, "330421", "执法大队"),
    StaffSpec("haiyan_officer", "姚红英", Role.OFFICER, "330424", "执法大队"),
    StaffSpec("haining_officer", "许国华", Role.OFFICER, "330481", "执法大队"),
    StaffSpec("pinghu_officer", "蒋一鸣", Role.OFFICER, "330482", "执法大队"),
    StaffSpec("tongxiang_officer", "费雪峰", Role.OFFICER, "330483", "执法大队"),
    StaffSpec("jkq_officer", "俞振华", Role.OFFICER, "330471", "执法大队"),
    StaffSpec("gangqu_officer", "屠立新", Role.OFFICER, "330472", "执法大队"),
    StaffSpec("daqiao_officer", "施永康", Role.OFFICER, "330402105", "综合执法组"),
    # Holds only an expired certificate: may not be assigned enforcement work.
    StaffSpec("expired_officer", "范德明", Role.OFFICER, "330402", "执法大队", "expired"),
]

CERT_VALID = (datetime.date(2023, 1, 1), datetime.date(2028, 12, 31))
CERT_EXPIRED = (datetime.date(2018, 7, 1), datetime.date(2023, 6, 30))


def _load_staff(ctx: DemoContext, agencies: dict[str, Agency]) -> None:
    rng = ctx.random("core.staff")
    departments = {(d.agency_id, d.name): d for d in Department.objects.all()}
    users: list[User] = []
    for spec in STAFF:
        agency = agencies[spec.agency_code]
        user = User(
            username=spec.username, full_name=spec.full_name, role=spec.role, agency=agency,
            department=departments.get((agency.pk, spec.department)) if spec.department
            else None,
            is_staff=spec.superuser, is_superuser=spec.superuser,
        )
        user.set_unusable_password()  # `demo_accounts` sets the demo password
        users.append(user)
    new_users = bulk_create_missing(User, users, key="username")
    by_username = {u.username: u for u in User.objects.filter(
        username__in=[s.username for s in STAFF])}

    # Certificate numbers: the issuing area's code and five digits (e.g. 33040012345),
    # drawn for every spec in order so the numbers do not depend on what exists.
    used: set[str] = set()
    certificates: list[EnforcementCertificate] = []
    for spec in STAFF:
        area = agencies[spec.agency_code].jurisdiction.code[:6]
        while True:
            number = f"{area}{rng.randrange(10000, 100000)}"
            if number not in used:
                used.add(number)
                break
        if spec.certificate == "none":
            continue
        valid_from, valid_to = CERT_VALID if spec.certificate == "valid" else CERT_EXPIRED
        certificates.append(EnforcementCertificate(
            holder=by_username[spec.username], number=number, valid_from=valid_from,
            valid_to=valid_to))
    new_certificates = bulk_create_missing(EnforcementCertificate, certificates, key="number")

    ctx.count("用户", len(new_users))
    ctx.count("执法证", len(new_certificates))
    ctx.record(
        [(u, "user.created", {"source": "demo", "username": u.username, "role": u.role,
                              "agency": u.agency.name if u.agency else ""})
         for u in new_users]
        + [(c, "certificate.created", {"source": "demo", "number": c.number,
                                       "holder": c.holder.username,
                                       "valid_to": c.valid_to}) for c in new_certificates]
    )


ORDER = 10


def load(ctx: DemoContext) -> None:
    places = _load_jurisdictions(ctx)
    agencies = _load_agencies(ctx, places)
    _load_staff(ctx, agencies)
