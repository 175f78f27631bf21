"""The oversight slice of the demo city (after the cases, ORDER 90):

- the portal: 1,250 posts of the city bureau in 2024 across its six columns (at least
  two per column every half month) and 30 per county bureau (`portal.posts` ≥ 1,200 for
  330400, bureau scope);
- 24 social supervisors with their users (6 for the whole city, 2 per county and zone),
  appointed by the city bureau for 2024–2026 with numbered certificates, and eight
  remarks with the bureau's written answers (one late);
- the tip desk (group 举报受理岗 with `oversight.view_tip_identity`, user `tipdesk`);
- tips consistent with the cases: every demo penalty case whose source is a tip gets the
  tip that led to it (received a few days before the case was discovered, accepted,
  linked, concluded true after the decision), and each decided case with a fine pays
  the reward the rule gives on that case's fines (proposed, approved, paid); plus tips
  found untrue, declined, anonymous and one on a concealed accident found untrue;
- 24 disclosure requests in 2024 (two answered late, one extended).

Everything goes through the services (their events are the record), dated in the past,
deterministic (`ctx.random`) and idempotent (each part is skipped when its rows exist).
"""

from __future__ import annotations

import datetime
import random
import time

from django.contrib.auth.models import Group, Permission
from django.db.models import Min

from fazhi.cases.models import CaseSource, PartyDecision, PenaltyCase
from fazhi.core.demo import CERT_VALID, DemoContext, bulk_create_missing
from fazhi.core.models import Agency, EnforcementCertificate, Event, Jurisdiction, Role, User
from fazhi.oversight import services
from fazhi.oversight.crypto import Identity
from fazhi.oversight.models import (
    DisclosureRequest,
    Post,
    PostColumn,
    Supervisor,
    SupervisorRemark,
    Tip,
    TipKind,
    TipReward,
)
from fazhi.subjects.rules.identifiers import build_id_number

ORDER = 90
YEAR = 2024
CITY_POSTS = 1250
COUNTY_POSTS = 30
DISCLOSURES = 24
REMARKS = 8
DESK_GROUP = "举报受理岗"
D = datetime.date
SH = datetime.timezone(datetime.timedelta(hours=8))

TOPICS: dict[str, list[str]] = {
    PostColumn.NEWS: ["开展危险化学品安全专项检查", "召开安全生产形势分析会", "组织应急救援演练",
                      "推进治本攻坚三年行动", "开展工贸企业粉尘涉爆专项整治"],
    PostColumn.NOTICE: ["关于开展安全生产月活动的通知", "关于做好汛期安全防范工作的通知",
                        "关于公布年度执法检查计划的通告", "关于节假日期间安全生产工作的通知"],
    PostColumn.ENFORCEMENT: ["“双随机、一公开”抽查结果公示", "行政执法统计年报",
                             "执法检查情况通报", "重大事故隐患挂牌督办公告"],
    PostColumn.POLICY: ["《安全生产法》重点条款解读", "《工贸企业重大事故隐患判定标准》解读",
                        "安全生产领域举报奖励政策解读", "行政处罚裁量基准解读"],
    PostColumn.OUTREACH: ["应急普法进企业", "安全生产法律知识问答", "“12350”举报电话宣传",
                          "典型执法案例以案释法"],
    PostColumn.WARNING: ["高温天气安全生产提示", "有限空间作业安全提示", "节前安全生产提醒",
                         "台风防御安全提示"],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋"
GIVEN = ["建华", "丽萍", "国强", "秀英", "志明", "晓燕", "海峰", "文静", "立新", "春梅",
         "伟东", "玉兰"]
# Tipsters get names of their own (never one of the public supervisors' or officers'), so
# the portal test can look for them.
TIPSTER_GIVEN = ["若溪", "子墨", "思远", "雨桐", "浩然", "欣怡", "梓涵", "一鸣"]
WORK_UNITS = ["人大代表", "政协委员", "律师", "企业安全管理人员", "社区工作者", "高校教师",
              "新闻工作者", "注册安全工程师"]


def _day_at(day: datetime.date, minutes: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=SH) + \
        datetime.timedelta(minutes=minutes)


def _bureaus() -> tuple[Agency, list[Agency]]:
    city = Agency.objects.get(kind=Agency.Kind.CITY_BUREAU, jurisdiction__code="330400")
    counties = list(Agency.objects.filter(kind=Agency.Kind.COUNTY_BUREAU).order_by("id"))
    return city, counties


# --- posts -------------------------------------------------------------------------------

def _posts(ctx: DemoContext, city: Agency, counties: list[Agency]) -> None:
    rng = ctx.random("oversight.posts")
    columns = list(PostColumn.values)
    days = 366
    planned: list[Post] = []

    def make(agency: Agency, n: int) -> None:
        for i in range(n):
            day = D(YEAR, 1, 1) + datetime.timedelta(days=i * days // n)
            column = columns[i % len(columns)]
            topic = rng.choice(TOPICS[column])
            planned.append(Post(
                agency=agency, column=column, title=f"{agency.name}{topic}（{i + 1}）",
                body=f"{topic}。{agency.name}按照工作部署，认真组织实施，取得阶段性成效。",
                publish_at=_day_at(day, rng.randrange(0, 540))))

    make(city, CITY_POSTS)
    for agency in counties:
        make(agency, COUNTY_POSTS)
    existing = set(Post.objects.filter(publish_at__year=YEAR).values_list(
        "agency_id", "title"))
    new = [p for p in planned if (p.agency_id, p.title) not in existing]
    Post.objects.bulk_create(new, batch_size=1000)
    if new and new[0].pk is None:
        ids = {(a, t): pk for a, t, pk in Post.objects.filter(publish_at__year=YEAR)
               .values_list("agency_id", "title", "pk")}
        for post in new:
            post.pk = ids[(post.agency_id, post.title)]
    ctx.record([(p, "oversight.post.published",
                 {"column": p.column, "title": p.title, "publish_at": p.publish_at})
                for p in new])
    ctx.count("网站信息", len(new))


# --- supervisors ---------------------------------------------------------------------------

def _supervisors(ctx: DemoContext, leader: User) -> None:
    if Supervisor.objects.exists():
        return
    rng = ctx.random("oversight.supervisors")
    areas = ([Jurisdiction.objects.get(code="330400")] * 6
             + [j for j in Jurisdiction.objects.filter(level__in=["county", "zone"])
                .order_by("code") for _ in range(2)])[:24]
    users = []
    for n, area in enumerate(areas, start=1):
        name = SURNAMES[(n * 7) % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
        user = User(username=f"supervisor{n:02d}", full_name=name, role=Role.SUPERVISOR,
                    supervised_jurisdiction=area)
        user.set_unusable_password()
        users.append(user)
    users = bulk_create_missing(User, users, key="username")
    ctx.record([(u, "core.user.created", {"role": u.role}) for u in users])
    for user in User.objects.filter(role=Role.SUPERVISOR, username__startswith="supervisor"
                                    ).order_by("username"):
        services.supervisor_appoint(
            actor=leader, user=user, name=user.full_name, work_unit=rng.choice(WORK_UNITS),
            term_start=D(YEAR, 1, 1), term_end=D(YEAR + 2, 12, 31),
            appointed_on=D(YEAR - 1, 12, 28))
    appointed = list(Supervisor.objects.select_related("user").order_by("id"))
    remark_subjects = ["执法检查程序规范性", "行政处罚公示及时性", "执法人员文明执法",
                       "举报处理反馈时效", "双随机抽查公开情况", "企业帮扶指导工作"]
    for i in range(REMARKS):
        supervisor = appointed[(i * 5) % len(appointed)]
        on = D(YEAR, 1 + i, 10)
        remark = services.remark_submit(
            actor=supervisor.user, subject=remark_subjects[i % len(remark_subjects)],
            text="建议进一步规范相关工作，及时向社会公开办理结果。", on=on)
        late = i == 5
        answered = remark.answer_due + datetime.timedelta(days=3) if late else \
            remark.answer_due - datetime.timedelta(days=rng.randrange(1, 10))
        services.remark_answer(actor=leader, remark=remark,
                               answer="感谢您的监督。我局已研究落实，具体措施如下：加强培训、"
                                      "完善制度、定期通报。", on=max(answered, on))
    ctx.count("社会监督员", len(appointed))
    ctx.count("监督意见", REMARKS)


# --- tips --------------------------------------------------------------------------------

def _desk(ctx: DemoContext, city: Agency) -> User:
    group, _created = Group.objects.get_or_create(name=DESK_GROUP)
    group.permissions.add(Permission.objects.get(codename="view_tip_identity",
                                                 content_type__app_label="oversight"))
    desk = User.objects.filter(username="tipdesk").first()
    if desk is None:
        desk = User(username="tipdesk", full_name="举报受理岗", role=Role.OFFICER, agency=city)
        desk.set_unusable_password()
        desk.save()
        ctx.record([(desk, "core.user.created", {"role": desk.role})])
        # The desk is staffed by a certified officer of the city bureau; the number's
        # serial 00001 lies outside the core demo's random 10000-99999 range.
        certificate = EnforcementCertificate.objects.create(
            holder=desk, number=f"{city.jurisdiction.code[:6]}00001",
            valid_from=CERT_VALID[0], valid_to=CERT_VALID[1])
        ctx.record([(certificate, "certificate.created",
                     {"source": "demo", "number": certificate.number})])
    desk.groups.add(group)
    return desk


def _identity(rng: random.Random) -> Identity:
    name = rng.choice(SURNAMES) + rng.choice(TIPSTER_GIVEN)
    birth = D(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 15000))
    return Identity(name=name, phone=f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}",
                    id_number=build_id_number("330402", birth, rng.randrange(1, 999)),
                    contact="")


def _received(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return _day_at(day, rng.randrange(0, 480))


def _tips(ctx: DemoContext, officer: User, leader: User, desk: User) -> None:
    if Tip.objects.exists():
        return
    rng = ctx.random("oversight.tips")
    cases = list(PenaltyCase.objects.filter(source=CaseSource.TIP)
                 .select_related("enterprise__jurisdiction").order_by("discovered_on", "id"))
    rewarded = 0
    for n, case in enumerate(cases):
        received = case.discovered_on - datetime.timedelta(days=rng.randrange(2, 6))
        tip, _secret = services.tip_submit(
            actor=None, kind=TipKind.HAZARD, channel=Tip.Channel.PORTAL,
            subject_name=case.enterprise.name, enterprise=case.enterprise,
            content=f"{case.enterprise.name}存在安全生产违法行为：{case.facts[:200]}",
            jurisdiction=case.enterprise.jurisdiction, identity=_identity(rng),
            received_at=_received(received, rng), rng=rng)
        tip = services.tip_accept(actor=officer, tip=tip,
                                  on=received + datetime.timedelta(days=1))
        tip = services.tip_link(actor=officer, tip=tip, case=case)
        decided = PartyDecision.objects.filter(party__case=case, decided_on__isnull=False)
        first = decided.aggregate(first=Min("decided_on"))["first"]
        concluded = min(max(first or case.discovered_on, tip.accepted_on)
                        + datetime.timedelta(days=3), tip.handling_due)
        tip = services.tip_conclude(
            actor=officer, tip=tip, outcome=Tip.Outcome.SUBSTANTIATED, on=concluded,
            summary="经核查，举报反映的问题属实，已依法立案查处。")
        services.tip_feedback(actor=desk, tip=tip, on=concluded + datetime.timedelta(days=2))
        if first is None or services.case_penalty_amount(case) <= 0 or first > concluded:
            continue
        reward = services.tip_reward_propose(actor=officer, tip=tip, on=concluded)
        approved = concluded + datetime.timedelta(days=5)
        reward = services.tip_reward_decide(actor=leader, reward=reward, approve=True,
                                            reason="符合举报奖励条件", on=approved)
        services.tip_reward_pay(actor=desk, reward=reward, method=TipReward.Method.BANK,
                                voucher=f"JXJL{approved:%Y%m}{n + 1:04d}",
                                on=approved + datetime.timedelta(days=rng.randrange(5, 20)))
        rewarded += 1
    _other_tips(ctx, rng, officer)
    ctx.count("举报（立案查处）", len(cases))
    ctx.count("举报奖励", rewarded)


def _other_tips(ctx: DemoContext, rng: random.Random, officer: User) -> None:
    areas = list(Jurisdiction.objects.filter(level="town").order_by("code"))
    plan = ([("unfounded", TipKind.HAZARD)] * 12 + [("declined", TipKind.HAZARD)] * 4
            + [("anonymous", TipKind.HAZARD)] * 3 + [("unfounded", TipKind.CONCEALED)])
    for n, (fate, kind) in enumerate(plan):
        received = D(YEAR, 1, 8) + datetime.timedelta(days=n * 17)
        tip, _secret = services.tip_submit(
            actor=None, kind=kind, channel=Tip.Channel.PORTAL,
            subject_name=f"某{rng.choice(['五金', '纺织', '化工', '塑料', '木业'])}加工点",
            content="反映该场所存在安全隐患，请核查。", jurisdiction=rng.choice(areas),
            anonymous=fate == "anonymous",
            identity=None if fate == "anonymous" else _identity(rng),
            received_at=_received(received, rng), rng=rng)
        if fate == "declined":
            services.tip_not_accept(actor=officer, tip=tip, on=received + datetime.timedelta(1),
                                    reason="反映事项不属于应急管理部门职责，已告知向相关部门反映")
            continue
        tip = services.tip_accept(actor=officer, tip=tip, on=received + datetime.timedelta(1))
        services.tip_conclude(
            actor=officer, tip=tip, on=received + datetime.timedelta(days=20),
            outcome=Tip.Outcome.SUBSTANTIATED if fate == "anonymous" else Tip.Outcome.UNFOUNDED,
            summary=("经核查，已责令整改。" if fate == "anonymous"
                     else "经现场核查，未发现举报反映的问题。"))
    ctx.count("举报（其他）", len(plan))


# --- disclosure ----------------------------------------------------------------------------

def _disclosure(ctx: DemoContext, officer: User, leader: User) -> None:
    if DisclosureRequest.objects.exists():
        return
    rng = ctx.random("oversight.disclosure")
    for n in range(DISCLOSURES):
        received = D(YEAR, 1, 5) + datetime.timedelta(days=n * 15)
        row = services.disclosure_register(
            actor=officer, applicant_kind=rng.choice(DisclosureRequest.ApplicantKind.values),
            applicant_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            applicant_contact="邮寄地址：嘉兴市南湖区（演示）",
            description=rng.choice(["某企业行政处罚决定书", "年度执法检查计划",
                                    "某事故调查报告", "某建设项目安全条件审查意见"]),
            channel=rng.choice(DisclosureRequest.Channel.values), received_on=received)
        if n == 5:
            row = services.disclosure_extend(actor=leader, request=row, days=10,
                                             reason="需检索多年档案",
                                             on=received + datetime.timedelta(days=7))
        late = n in (7, 17)
        answered = row.due + datetime.timedelta(days=4) if late else \
            row.due - datetime.timedelta(days=rng.randrange(1, 12))
        services.disclosure_answer(
            actor=officer, request=row, on=max(answered, received),
            kind=rng.choice([DisclosureRequest.AnswerKind.DISCLOSED,
                             DisclosureRequest.AnswerKind.PUBLISHED,
                             DisclosureRequest.AnswerKind.NONEXISTENT]),
            form=DisclosureRequest.Form.ELECTRONIC,
            text="依据《政府信息公开条例》第三十六条答复如下。")
    ctx.count("依申请公开", DISCLOSURES)


def load(ctx: DemoContext) -> None:
    started = time.perf_counter()
    before, recorded = Event.objects.count(), ctx.events
    city, counties = _bureaus()
    officer = User.objects.get(username="officer")
    leader = User.objects.get(username="leader")
    _posts(ctx, city, counties)
    _supervisors(ctx, leader)
    desk = _desk(ctx, city)
    _tips(ctx, officer, leader, desk)
    _disclosure(ctx, officer, leader)
    # the services wrote their own events; ctx.record counted the bulk ones already
    ctx.events += Event.objects.count() - before - (ctx.events - recorded)
    remarks = SupervisorRemark.objects.count()
    ctx.log(f"  政务公开与执法监督：监督意见{remarks}条，用时{time.perf_counter() - started:.1f}秒")
