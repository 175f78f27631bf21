"""The capacity slice of the demo city: legal units, people with their roles,
qualifications and licences, advisers, study sessions and exams, outreach bases with
monthly visitors, works with awards, campaigns — for 2023 and 2024.

The records are laid out so that the indicators reproduce the 2024 report
(report_2024.yaml) when computed for 嘉兴市: 51 sessions at the bureau; 2 provincial,
2 city and 4 county bases; at least 50,000 visitors; 13 works, 2 with a national award;
legal units and reviewers in every city and county bureau (100 %); 14 of 18 reviewers
qualified (77.78 %); 4 public lawyers at the bureau, 10 in the city; 6 of the 7 county
bureaus covered (85.71 %: the two functional zones are flagged exempt); 2 advisers.
2023 differs (people who joined or left, licences issued in 2024, 46 sessions, 9 works).

Deterministic (ctx.random streams) and idempotent (natural keys: agency + name for
people and units, unique numbers for certificates and licences, agency + date + topic
for sessions, names for bases, agency + title for works)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from fazhi.capacity.models import (
    AgencyProfile,
    BaseVisitCount,
    Campaign,
    Exam,
    ExamResult,
    LegalAdviser,
    LegalQualification,
    LegalUnit,
    OutreachBase,
    OutreachWork,
    PublicLawyerLicence,
    StaffMember,
    StaffRole,
    StudyAttendance,
    StudySession,
    WorkAward,
)
from fazhi.core.demo import DemoContext
from fazhi.core.models import Agency, Department, Jurisdiction, User
from fazhi.legal.models import Law
from fazhi.subjects.rules.identifiers import build_id_number

ORDER = 74
D = datetime.date
CITY = "330400"


@dataclass(frozen=True)
class PersonSpec:
    agency: str  # jurisdiction code of the agency
    name: str
    position: str
    roles: tuple[str, ...] = ()
    leader: bool = False
    qualified: D | None = None  # 法律职业资格 granted on
    licence: D | None = None  # 公职律师证 issued on
    licence_revoked: D | None = None
    joined: D = datetime.date(2018, 3, 1)
    left: D | None = None
    username: str = ""  # the demo login this person is
    department: str = ""


R, OF, H = StaffRole.Kind.REVIEWER, StaffRole.Kind.OFFICER, StaffRole.Kind.UNIT_HEAD

# Reviewers in office on 2024-12-31: 18, of whom 14 hold the legal qualification.
# Public lawyers on 2024-12-31: 4 at the bureau, one in each county bureau but 海盐, none
# in the two functional zones: 10 in the city, 6 of 7 counties covered.
PEOPLE: list[PersonSpec] = [
    # 市局: leaders (班子) and the legal unit (政策法规处).
    PersonSpec(CITY, "陈志强", "党委书记、局长", (), True, username="leader"),
    PersonSpec(CITY, "杨振东", "党委委员、副局长", (), True),
    PersonSpec(CITY, "何建平", "党委委员、副局长", (), True),
    PersonSpec(CITY, "孙卫红", "党委委员、副局长", (), True),
    PersonSpec(CITY, "马晓东", "驻局纪检监察组组长", (), True),
    PersonSpec(CITY, "沈丽娟", "政策法规处处长", (H, R), qualified=D(2012, 2, 20),
               licence=D(2019, 6, 1), username="reviewer", department="政策法规处"),
    PersonSpec(CITY, "蔡文静", "政策法规处副处长", (R,), qualified=D(2016, 2, 26),
               licence=D(2020, 6, 1), department="政策法规处"),
    PersonSpec(CITY, "潘志刚", "政策法规处一级主任科员", (R,), qualified=D(2019, 3, 8),
               licence=D(2022, 6, 1), department="政策法规处"),
    PersonSpec(CITY, "郑雨婷", "政策法规处科员", (R,), qualified=D(2021, 3, 12),
               licence=D(2024, 5, 20), joined=D(2024, 2, 1), department="政策法规处"),
    PersonSpec(CITY, "周建明", "政策法规处原副处长", (R,), qualified=D(2010, 2, 1),
               licence=D(2017, 6, 1), licence_revoked=D(2023, 10, 31),
               left=D(2023, 10, 31), department="政策法规处"),
    PersonSpec(CITY, "王建国", "执法支队队长", (OF,), username="officer", department="执法支队"),
    # County bureaus (legal reviewers in 政策法规科; one public lawyer in six of them).
    PersonSpec("330402", "陆雅琴", "政策法规科科长", (H, R), qualified=D(2015, 2, 1),
               licence=D(2021, 6, 1), username="nanhu_reviewer", department="政策法规科"),
    PersonSpec("330402", "严佳敏", "政策法规科科员", (R,), qualified=D(2020, 2, 1),
               department="政策法规科"),
    PersonSpec("330402", "顾国平", "副局长", (), True, username="nanhu_leader"),
    PersonSpec("330411", "吕晓燕", "政策法规科科长", (H, R), qualified=D(2014, 2, 1),
               licence=D(2021, 6, 1), department="政策法规科"),
    PersonSpec("330411", "方立群", "政策法规科科员", (StaffRole.Kind.LEGAL_STAFF,),
               qualified=D(2022, 2, 1),
               department="政策法规科"),
    PersonSpec("330421", "章丽华", "政策法规科科长", (H, R), qualified=D(2013, 2, 1),
               licence=D(2024, 4, 1), department="政策法规科"),
    PersonSpec("330421", "魏志远", "政策法规科科员", (R,), qualified=D(2023, 2, 1),
               department="政策法规科"),
    PersonSpec("330424", "俞海峰", "政策法规科科长", (H, R), department="政策法规科"),
    PersonSpec("330481", "戴晓明", "政策法规科科长", (H, R), qualified=D(2011, 2, 1),
               licence=D(2020, 6, 1), department="政策法规科"),
    PersonSpec("330481", "邱美玲", "政策法规科科员", (R,), qualified=D(2018, 2, 1),
               department="政策法规科"),
    PersonSpec("330482", "范俊杰", "政策法规科科长", (H, R), qualified=D(2016, 2, 1),
               licence=D(2022, 6, 1), department="政策法规科"),
    PersonSpec("330482", "汤雪芳", "政策法规科科员", (R,), joined=D(2024, 3, 1),
               department="政策法规科"),
    PersonSpec("330483", "钟伟强", "政策法规科科长", (H, R), licence=D(2023, 6, 1),
               department="政策法规科"),
    PersonSpec("330483", "韩小梅", "政策法规科科员", (R,), qualified=D(2024, 3, 15),
               department="政策法规科"),
    PersonSpec("330471", "江浩然", "政策法规科科长", (H, R), department="政策法规科"),
    PersonSpec("330472", "陶丽萍", "综合科科长", (H, R), qualified=D(2017, 2, 1),
               department="办公室"),
]
# On 2024-12-31: reviewers 4 (city; 周建明 left in 2023) + 2+1+2+1+2+2+2+1+1 = 18, qualified
# 4 + 2+1+2+0+2+1+1+0+1 = 14 (韩小梅 qualified in March 2024, 汤雪芳 joined in 2024).

ADVISERS = [  # (name, firm, start, end) retained by the city bureau
    ("李明华", "浙江嘉兴天册律师事务所", D(2023, 1, 1), D(2023, 12, 31)),
    ("李明华", "浙江嘉兴天册律师事务所", D(2024, 1, 1), D(2024, 12, 31)),
    ("赵静宜", "浙江禾城律师事务所", D(2024, 1, 1), D(2025, 12, 31)),
]

LEGAL_UNIT = ("政策法规处", "政策法规科")

FORMS_2024 = [  # (form, count) at the city bureau: 51 sessions
    (StudySession.Form.CENTRAL_GROUP, 12), (StudySession.Form.WEDNESDAY, 24),
    (StudySession.Form.YOUTH, 8), (StudySession.Form.TRAINING, 4),
    (StudySession.Form.MEETING, 3),
]
FORMS_2023 = [
    (StudySession.Form.CENTRAL_GROUP, 12), (StudySession.Form.WEDNESDAY, 22),
    (StudySession.Form.YOUTH, 6), (StudySession.Form.TRAINING, 4),
    (StudySession.Form.MEETING, 2),
]
TOPICS = [
    ("中华人民共和国安全生产法", "新《安全生产法》主要负责人和全员安全生产责任"),
    ("危险化学品安全管理条例", "危险化学品安全管理条例与企业主体责任"),
    ("生产安全事故报告和调查处理条例", "事故报告和调查处理的法定程序"),
    ("工贸企业有限空间作业安全规定", "有限空间作业安全规定解读"),
    ("生产安全事故应急条例", "生产安全事故应急条例与应急预案管理"),
    ("", "中华人民共和国宪法"),
    ("", "中华人民共和国行政处罚法"),
    ("", "中华人民共和国民法典"),
    ("", "习近平法治思想"),
    ("", "行政执法“三项制度”"),
    ("", "中华人民共和国行政复议法（2023年修订）"),
    ("", "浙江省安全生产条例"),
]

BASES = [  # (name, level, jurisdiction code, agency code, opened on)
    ("嘉兴市安全生产宣传教育体验馆", OutreachBase.Level.PROVINCIAL, CITY, CITY, D(2019, 6, 1)),
    ("嘉兴港区化工园区安全文化教育基地", OutreachBase.Level.PROVINCIAL, "330472", "330472",
     D(2021, 9, 1)),
    ("南湖区应急科普体验中心", OutreachBase.Level.CITY, "330402", "330402", D(2020, 5, 12)),
    ("桐乡市安全生产警示教育基地", OutreachBase.Level.CITY, "330483", "330483", D(2022, 6, 1)),
    ("海宁市应急普法教育基地", OutreachBase.Level.COUNTY, "330481", "330481", D(2021, 5, 12)),
    ("平湖市安全宣传教育基地", OutreachBase.Level.COUNTY, "330482", "330482", D(2022, 11, 9)),
    ("嘉善县应急安全体验馆", OutreachBase.Level.COUNTY, "330421", "330421", D(2023, 6, 1)),
    ("海盐县核电安全科普基地", OutreachBase.Level.COUNTY, "330424", "330424", D(2024, 5, 12)),
]
MONTHLY = {  # visitors per month drawn in this range, by level
    OutreachBase.Level.PROVINCIAL: (750, 1050),
    OutreachBase.Level.CITY: (520, 760),
    OutreachBase.Level.COUNTY: (300, 480),
}

WORKS_2024 = [  # (agency code, title, kind, month, national award)
    (CITY, "《安全生产法》100秒", OutreachWork.Kind.ANIMATION, 3, "全国应急管理普法优秀作品"),
    (CITY, "有限空间“十不准”", OutreachWork.Kind.VIDEO, 5, ""),
    (CITY, "危化品企业主要负责人履职清单漫画", OutreachWork.Kind.POSTER, 6,
     "全国安全生产月优秀宣传作品"),
    (CITY, "应急普法口袋书（2024版）", OutreachWork.Kind.BOOK, 6, ""),
    (CITY, "重大事故隐患判定标准图解", OutreachWork.Kind.POSTER, 8, ""),
    ("330402", "南湖区“安全说”系列短视频", OutreachWork.Kind.VIDEO, 6, ""),
    ("330411", "秀洲农民画里的安全课", OutreachWork.Kind.POSTER, 6, ""),
    ("330421", "嘉善田歌唱安全", OutreachWork.Kind.DRAMA, 7, ""),
    ("330424", "海盐滚灯安全情景剧", OutreachWork.Kind.DRAMA, 9, ""),
    ("330481", "海宁皮影戏说安全", OutreachWork.Kind.DRAMA, 10, ""),
    ("330482", "平湖派琵琶弹唱安全生产法", OutreachWork.Kind.DRAMA, 11, ""),
    ("330483", "桐乡蓝印花布安全海报", OutreachWork.Kind.POSTER, 11, ""),
    ("330471", "开发区企业安全微电影《守护》", OutreachWork.Kind.VIDEO, 12, ""),
]
WORKS_2023 = [
    (CITY, "宪法宣传周系列海报（2023）", OutreachWork.Kind.POSTER, 12, ""),
    (CITY, "事故警示教育片《代价》", OutreachWork.Kind.VIDEO, 6, "全国安全生产月优秀宣传作品"),
    (CITY, "应急普法口袋书（2023版）", OutreachWork.Kind.BOOK, 5, ""),
    ("330402", "南湖红船旁的安全课", OutreachWork.Kind.VIDEO, 6, ""),
    ("330411", "秀洲应急动漫《小安》", OutreachWork.Kind.ANIMATION, 7, ""),
    ("330421", "西塘古镇消防安全漫画", OutreachWork.Kind.POSTER, 8, ""),
    ("330481", "潮乡安全顺口溜", OutreachWork.Kind.OTHER, 9, ""),
    ("330482", "乍浦港安全故事", OutreachWork.Kind.VIDEO, 10, ""),
    ("330483", "乌镇安全小剧场", OutreachWork.Kind.DRAMA, 11, ""),
]
CAMPAIGNS = [  # (kind, title, start, end, reach) run by the city bureau
    (Campaign.Kind.DISASTER_DAY, "{y}年防灾减灾日宣传活动", (5, 12), (5, 12), 38000),
    (Campaign.Kind.SAFETY_MONTH, "{y}年“安全生产月”活动", (6, 1), (6, 30), 260000),
    (Campaign.Kind.FIVE_INTO, "{y}年安全宣传“五进”活动", (3, 1), (11, 30), 185000),
    (Campaign.Kind.CONSTITUTION_WEEK, "{y}年“宪法宣传周”活动", (12, 1), (12, 7), 52000),
]


def _load_agencies(ctx: DemoContext, agencies: dict[str, Agency]) -> None:
    """Profiles (zones exempt from lawyer coverage) and legal units of the city and
    county bureaus."""
    existing = set(AgencyProfile.objects.values_list("agency_id", flat=True))
    profiles = [AgencyProfile(
        agency=a, lawyer_coverage_exempt=a.jurisdiction.level == Jurisdiction.Level.ZONE,
        note="功能区，按报告口径不计入公职律师覆盖率"
        if a.jurisdiction.level == Jurisdiction.Level.ZONE else "")
        for a in agencies.values() if a.pk not in existing]
    AgencyProfile.objects.bulk_create(profiles)
    departments = {(d.agency_id, d.name): d for d in Department.objects.all()}
    have = set(LegalUnit.objects.values_list("agency_id", "name"))
    units = []
    for code, agency in agencies.items():
        if agency.kind == Agency.Kind.TOWN_STATION:
            continue
        name = LEGAL_UNIT[0] if code == CITY else LEGAL_UNIT[1]
        if (agency.pk, name) in have:
            continue
        units.append(LegalUnit(
            agency=agency, name=name, department=departments.get((agency.pk, name)),
            form=LegalUnit.Form.SEPARATE if code == CITY else LegalUnit.Form.DESIGNATED,
            established_on=D(2019, 3, 1) if code == CITY else D(2019, 9, 1)))
    LegalUnit.objects.bulk_create(units)
    ctx.count("法制机构", len(units))
    ctx.record([(p, "capacity.profile.set", {"source": "demo",
                                              "lawyer_coverage_exempt": p.lawyer_coverage_exempt})
                for p in profiles]
               + [(u, "capacity.legal_unit.created", {"source": "demo", "name": u.name})
                  for u in units])


def _load_people(ctx: DemoContext, agencies: dict[str, Agency]) -> dict[str, StaffMember]:
    rng = ctx.random("capacity.people")
    departments = {(d.agency_id, d.name): d for d in Department.objects.all()}
    users = {u.username: u for u in User.objects.filter(
        username__in=[p.username for p in PEOPLE if p.username])}
    have = {(p.agency_id, p.name): p for p in StaffMember.objects.all()}
    new: list[tuple[StaffMember, PersonSpec]] = []
    for n, spec in enumerate(PEOPLE):
        agency = agencies[spec.agency]
        birth = D(rng.randrange(1968, 1998), rng.randrange(1, 13), rng.randrange(1, 29))
        id_number = build_id_number(agency.jurisdiction.code[:6], birth, 100 + n)
        if (agency.pk, spec.name) in have:
            continue
        person = StaffMember(
            agency=agency, name=spec.name, position=spec.position, is_leader=spec.leader,
            joined_on=spec.joined, left_on=spec.left, id_number=id_number,
            department=departments.get((agency.pk, spec.department)),
            user=users.get(spec.username), jurisdiction_path=agency.jurisdiction.path)
        new.append((person, spec))
    StaffMember.objects.bulk_create([p for p, _ in new])
    roles, qualifications, licences = [], [], []
    for n, (person, spec) in enumerate(new):
        for kind in spec.roles:
            roles.append(StaffRole(person=person, kind=kind, start=spec.joined, end=spec.left))
        if spec.qualified:
            qualifications.append(LegalQualification(
                person=person, granted_on=spec.qualified,
                certificate_number=f"A{spec.qualified.year}3304{rng.randrange(10**6, 10**7)}"))
        if spec.licence:
            licences.append(PublicLawyerLicence(
                person=person, issued_on=spec.licence, revoked_on=spec.licence_revoked,
                number=f"1330420{spec.licence.year}{n:02d}{rng.randrange(1000, 10000)}"))
    StaffRole.objects.bulk_create(roles)
    LegalQualification.objects.bulk_create(qualifications)
    PublicLawyerLicence.objects.bulk_create(licences)
    ctx.count("法治工作人员", len(new))
    ctx.record([(p, "capacity.person.created", {
        "source": "demo", "agency": p.agency_id, "name": p.name, "roles": list(s.roles),
        "qualified": s.qualified, "licence": s.licence}) for p, s in new])
    return {p.name: p for p in StaffMember.objects.filter(
        agency__in=agencies.values())}


def _load_advisers(ctx: DemoContext, city: Agency) -> None:
    have = set(LegalAdviser.objects.filter(agency=city).values_list("name", "contract_start"))
    new = [LegalAdviser(agency=city, name=name, law_firm=firm, contract_start=start,
                        contract_end=end)
           for name, firm, start, end in ADVISERS if (name, start) not in have]
    LegalAdviser.objects.bulk_create(new)
    ctx.record([(a, "capacity.adviser.created", {"source": "demo", "name": a.name,
                                                 "law_firm": a.law_firm}) for a in new])


def _session_days(rng, year: int, count: int) -> list[D]:
    """`count` distinct working days (Mon–Fri) spread over the year."""
    days: set[D] = set()
    while len(days) < count:
        day = D(year, 1, 8) + datetime.timedelta(days=rng.randrange(0, 350))
        if day.weekday() < 5:
            days.add(day)
    return sorted(days)


def _load_study(ctx: DemoContext, agencies: dict[str, Agency],
                people: dict[str, StaffMember]) -> None:
    rng = ctx.random("capacity.study")
    laws = {law.name: law for law in Law.objects.filter(repealed__isnull=True)}
    city = agencies[CITY]
    have = set(StudySession.objects.values_list("agency_id", "date", "topic"))
    plan: list[tuple[Agency, D, str, str, str]] = []  # agency, date, form, topic, law
    for year, forms in ((2023, FORMS_2023), (2024, FORMS_2024)):
        slots = [form for form, count in forms for _ in range(count)]
        rng.shuffle(slots)
        for day, form in zip(_session_days(rng, year, len(slots)), slots, strict=True):
            law, subject = TOPICS[rng.randrange(len(TOPICS))]
            plan.append((city, day, form, f"{subject}（{day:%m月%d日}）", law))
        for code in ("330402", "330411", "330481"):  # a few county sessions
            for day in _session_days(rng, year, 6):
                law, subject = TOPICS[rng.randrange(len(TOPICS))]
                plan.append((agencies[code], day, StudySession.Form.MEETING,
                             f"{subject}（{day:%m月%d日}）", law))
    sessions = [StudySession(agency=a, date=d, form=f, topic=t,
                             laws_text="" if law in laws else (law or t.split("（")[0]),
                             speaker="政策法规处" if a == city else "",
                             jurisdiction_path=a.jurisdiction.path)
                for a, d, f, t, law in plan if (a.pk, d, t) not in have]
    StudySession.objects.bulk_create(sessions)
    by_topic = {(s.agency_id, s.date, s.topic): s for s in sessions}
    links, attendances = [], []
    Through = StudySession.laws.through
    for agency, day, _form, topic, law in plan:
        session = by_topic.get((agency.pk, day, topic))
        if session is None:
            continue
        if law in laws:
            links.append(Through(studysession_id=session.pk, law_id=laws[law].pk))
        for person in people.values():
            if person.agency_id != agency.pk or person.joined_on > day or (
                    person.left_on and person.left_on <= day):
                continue
            present = rng.random() < (0.9 if person.is_leader else 0.85)
            attendances.append(StudyAttendance(
                session=session, person=person, present=present,
                absence_reason="" if present else rng.choice(["公务出差", "请假", "值班"])))
    Through.objects.bulk_create(links)
    StudyAttendance.objects.bulk_create(attendances)
    ctx.count("学法活动", len(sessions))
    ctx.record([(s, "capacity.study.created", {"source": "demo", "date": s.date,
                                               "form": s.form, "topic": s.topic})
                for s in sessions])
    # One law exam a year at the city bureau.
    exams_have = set(Exam.objects.filter(agency=city).values_list("title", flat=True))
    exams, results = [], []
    for year in (2023, 2024):
        title = f"{year}年度领导干部和执法人员学法用法考试"
        if title in exams_have:
            continue
        exam = Exam(agency=city, date=D(year, 11, 20), title=title,
                    jurisdiction_path=city.jurisdiction.path)
        exams.append(exam)
    Exam.objects.bulk_create(exams)
    for exam in exams:
        for person in people.values():
            if person.agency_id == city.pk and person.joined_on <= exam.date and not (
                    person.left_on and person.left_on <= exam.date):
                results.append(ExamResult(exam=exam, person=person,
                                          score=rng.randrange(78, 100)))
    ExamResult.objects.bulk_create(results)
    ctx.record([(e, "capacity.exam.created", {"source": "demo", "title": e.title})
                for e in exams])


def _load_outreach(ctx: DemoContext, agencies: dict[str, Agency]) -> None:
    rng = ctx.random("capacity.outreach")
    places = {j.code: j for j in Jurisdiction.objects.filter(
        code__in={b[2] for b in BASES})}
    have = set(OutreachBase.objects.values_list("name", flat=True))
    bases = [OutreachBase(name=name, level=level, jurisdiction=places[code],
                          agency=agencies[agency], opened_on=opened,
                          jurisdiction_path=places[code].path)
             for name, level, code, agency, opened in BASES if name not in have]
    OutreachBase.objects.bulk_create(bases)
    visits = []
    for base in bases:
        low, high = MONTHLY[base.level]
        for year in (2023, 2024):
            for month in range(1, 13):
                first = D(year, month, 1)
                if first < base.opened_on.replace(day=1):
                    continue
                visits.append(BaseVisitCount(base=base, month=first,
                                             visitors=rng.randrange(low, high)))
    BaseVisitCount.objects.bulk_create(visits)
    ctx.count("普法基地", len(bases))
    ctx.record([(b, "capacity.base.created", {"source": "demo", "name": b.name,
                                              "level": b.level}) for b in bases])

    works_have = set(OutreachWork.objects.values_list("agency_id", "title"))
    works, awards = [], []
    for year, specs in ((2023, WORKS_2023), (2024, WORKS_2024)):
        for code, title, kind, month, award in specs:
            agency = agencies[code]
            if (agency.pk, title) in works_have:
                continue
            work = OutreachWork(agency=agency, title=title, kind=kind,
                                published_on=D(year, month, rng.randrange(1, 28)),
                                jurisdiction_path=agency.jurisdiction.path)
            works.append(work)
            if award:
                awards.append((work, award))
    OutreachWork.objects.bulk_create(works)
    WorkAward.objects.bulk_create([
        WorkAward(work=w, name=name, level=WorkAward.Level.NATIONAL,
                  awarded_on=min(D(w.published_on.year, 12, 20),
                                 w.published_on + datetime.timedelta(days=120)))
        for w, name in awards])
    ctx.count("普法作品", len(works))
    ctx.record([(w, "capacity.work.created", {"source": "demo", "title": w.title})
                for w in works])

    city = agencies[CITY]
    campaigns_have = set(Campaign.objects.values_list("agency_id", "title", "start"))
    campaigns = []
    for year in (2023, 2024):
        for kind, title, start, end, reach in CAMPAIGNS:
            row = Campaign(agency=city, kind=kind, title=title.format(y=year),
                           start=D(year, *start), end=D(year, *end),
                           reach=reach + rng.randrange(0, 5000) + (year - 2023) * 3000,
                           jurisdiction_path=city.jurisdiction.path)
            if (city.pk, row.title, row.start) not in campaigns_have:
                campaigns.append(row)
    Campaign.objects.bulk_create(campaigns)
    ctx.record([(c, "capacity.campaign.created", {"source": "demo", "title": c.title})
                for c in campaigns])


def load(ctx: DemoContext) -> None:
    agencies = {a.jurisdiction.code: a for a in Agency.objects.select_related("jurisdiction")}
    if CITY not in agencies:
        return
    _load_agencies(ctx, agencies)
    people = _load_people(ctx, agencies)
    _load_advisers(ctx, agencies[CITY])
    _load_study(ctx, agencies, people)
    _load_outreach(ctx, agencies)
