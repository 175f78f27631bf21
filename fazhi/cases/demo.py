"""The penalty-case slice of the demo city (行政处罚案件): Jiaxing's cases of 2024, which
reproduce every cases figure of the bureau's 2024 report (report_2024.yaml), and 2023
as the comparison year.

At the default demo size the 2024 records give exactly: 1,404 cases filed (立案), 274
一案双罚 cases, ¥23,648,500 of fines and confiscations ordered, 43 minor violations left
unpunished with ¥472,600 waived, 6 non-site (非现场) cases, 100 % handled online, 12
cases of the city bureau reviewed (法制审核) with 72 opinions and 2 of them decided
collectively (集体讨论), 87 persons transferred to the police for detention, 8
non-accident criminal transfers (8 persons), 511 enterprises whose credit was repaired
early, no reconsideration overturned and no lawsuit lost. A smaller demo
(`--enterprises`) scales every figure (`targets_for`).

2023 (no report figure exists) is built with the same workflow at a little under half
the size (`FULL_2023`): the demo's load time grows with every service call (about 25 a
case), and a comparison year needs the shape, not the volume. The demo's inspection
slice covers 2024 only, so the 2023 leads come from tips, referrals, accidents, non-site
monitoring and the officers' daily patrols (日常巡查, source “其他”), not from
inspection records.

Every record is made through `fazhi.cases.services`, each case lawful by the platform's
own gates: leads from the 2024 inspection findings of the city and county bureaus (the
inspecting officers become the handlers; the delegated town stations do not file
cases: their findings are referred to the county bureau, 移送), tips, referrals, accident
investigations and non-site monitoring; filing approved by the agency's head; parties
(the unit and, for 一案双罚, its principal or a responsible person), evidence, the
investigation report; proposals priced by the legal engine (fines within the party's
statutory range, in whole hundreds; no benchmark is loaded, so the statute is the
range); the engine's assessment; legal review rounds (opinions, 建议修改, answers,
同意) and collective discussion where the facts stated require them; the notice, its
service, statements (waived, made and reviewed, or the period run out), hearings on
request (notice seven working days ahead); the decision, its service, payment (mostly
on time, some late with the surcharge, some by instalments, a few enforced by the
court), closing and archiving; publication within seven working days; early credit
repair applied for by the enterprise's user once the minimum period has run, approved
(a few refused); reconsiderations upheld and lawsuits won or withdrawn; detention and
criminal transfers answered by the police; suspensions and extensions of the 30-day
decision period (安全生产违法行为行政处罚办法(2015) 第三十一条, for 2023–24 filings).

Which catalogue item a finding or a tip is punished under is a demo choice
(`CRITERION_ITEMS`, `GENERAL_ITEMS`, the lead tables), not a legal determination. The
accident stage of the catalogue (安全生产法 第一百一十四条) cannot be proposed
(`fazhi.legal.engine.STAGES` has no accident stage), so accident cases are punished for
the violations the investigation found, at their first-finding stage.

The steps of all cases are planned first (pure, from `ctx.random("cases.<year>")` and
date constants), then executed in date order, so document numbers follow the dates.
Heads (负责人) missing in a county bureau and the enterprise users who apply for credit
repair are created on natural keys (username), with unusable passwords, on the record.
Idempotent: a year that already has cases is left alone; a second run creates nothing
and writes no event.
"""

from __future__ import annotations

import bisect
import datetime
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from fazhi.cases.models import (
    CaseSource,
    CreditRecord,
    CreditRepairApplication,
    ExemptGround,
    Outcome,
    PartyDecision,
    PartyKind,
    PaymentArrangement,
    PenaltyCase,
    Publicity,
    Remedy,
    ReviewConclusion,
    Transfer,
)
from fazhi.cases.services import (
    case_assess,
    case_details_set,
    case_extend,
    case_lead_from_finding,
    case_lead_register,
    case_party_add,
    case_resume,
    case_suspend,
    case_transition,
    collective_discussion_record,
    evidence_item_add,
    hearing_report_save,
    hearing_schedule,
    investigation_report_save,
    legal_review_conclude,
    notice_served,
    party_decision_propose,
    review_opinion_add,
    review_opinion_answer,
    statement_record,
    statement_review,
)
from fazhi.cases.services.execution import (
    court_enforcement_apply,
    court_enforcement_conclude,
    decision_served_record,
    payment_arrangement_approve,
    payment_record,
    transfer_answer,
    transfer_record,
)
from fazhi.cases.services.publicity import (
    credit_repair_apply,
    credit_repair_decide,
    publicity_publish,
    remedy_conclude,
    remedy_record,
)
from fazhi.cases.services.workflow import execution_state
from fazhi.core import calendar
from fazhi.core.demo import (
    CERT_VALID,
    COUNTY_BUREAUS,
    DEFAULT_ENTERPRISES,
    DemoContext,
    bulk_create_missing,
)
from fazhi.core.models import (
    Agency,
    Department,
    EnforcementCertificate,
    Event,
    Role,
    User,
)
from fazhi.inspection.demo import SLUGS, TEAM_DEPARTMENT, WorkingDays
from fazhi.inspection.models import Finding, Inspection
from fazhi.legal import engine
from fazhi.legal.catalogue import large_fine_threshold
from fazhi.legal.models import EnforcementItem
from fazhi.legal.rules import deadlines, exemptions, procedure
from fazhi.legal.selectors import resolve_items
from fazhi.subjects.demo import person_name
from fazhi.subjects.models import Enterprise, ResponsiblePerson, SupervisionCategory

ORDER = 50
D = datetime.date
DAY = datetime.timedelta(days=1)
YEARS = (2023, 2024)
CITY = "330400"
NANHU = "330402"
BUREAUS: list[str] = [CITY, *COUNTY_BUREAUS]


# ---------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Targets:
    # The report's figures (report_2024.yaml, module cases).
    cases: int = 1404               # cases.count: 查处违法案件
    dual_penalty: int = 274         # cases.dual_penalty: 一案双罚
    fines: int = 23_648_500         # cases.fines_confiscations: 罚没款（元）
    exempt: int = 43                # cases.exempt: 轻微违法不予处罚
    waived: int = 472_600           # cases.exempt.waived_amount: 免除罚款（元）
    offsite: int = 6                # cases.offsite: 非现场执法案件
    legal_reviews: int = 12         # review.legal.cases (the city bureau's own)
    opinions: int = 72              # review.legal.opinions
    collective: int = 2             # review.collective.cases
    detention_persons: int = 87     # transfers.detention.persons
    criminal_cases: int = 8         # transfers.criminal.cases (non-accident)
    criminal_persons: int = 8       # transfers.criminal.persons
    repaired_units: int = 511       # credit.repaired_units
    # Demo choices: how the other cases are made (no report figure).
    accidents: int = 8
    referrals: int = 60
    tips: int = 90
    confiscations: int = 3
    not_filed: int = 10
    terminated: int = 3
    county_reviews: int = 3
    hearings: int = 10
    statements: int = 60
    long_investigations: int = 20
    suspensions: int = 6
    late_payments: int = 18
    instalments: int = 8
    court: int = 2
    reconsiderations: int = 3
    litigations: int = 2
    repairs_refused: int = 8
    second_persons: int = 20

    def figures(self) -> dict[str, int | float]:
        """The report indicators (id → value) these targets reproduce."""
        return {
            "cases.count": self.cases, "cases.dual_penalty": self.dual_penalty,
            "cases.fines_confiscations": self.fines, "cases.exempt": self.exempt,
            "cases.exempt.waived_amount": self.waived, "cases.offsite": self.offsite,
            "cases.online_rate": 100.0, "review.legal.cases": self.legal_reviews,
            "review.legal.opinions": self.opinions,
            "review.collective.cases": self.collective,
            "transfers.detention.persons": self.detention_persons,
            "transfers.criminal.cases": self.criminal_cases,
            "transfers.criminal.persons": self.criminal_persons,
            "credit.repaired_units": self.repaired_units,
            "reconsideration.overturned": 0, "litigation.lost": 0,
        }


FULL = Targets()
# 2023: demo choices at a little under half the 2024 volume (see the module docstring).
FULL_2023 = Targets(
    cases=640, dual_penalty=121, fines=10_386_200, exempt=19, waived=205_300, offsite=2,
    legal_reviews=6, opinions=31, collective=1, detention_persons=39, criminal_cases=3,
    criminal_persons=3, repaired_units=214, accidents=4, referrals=40, tips=60,
    confiscations=1, not_filed=5, terminated=2, county_reviews=1, hearings=5, statements=30,
    long_investigations=9, suspensions=3, late_payments=9, instalments=4, court=1,
    reconsiderations=2, litigations=1, repairs_refused=4, second_persons=8)
BY_YEAR = {2023: FULL_2023, 2024: FULL}

MONEY = ("fines", "waived")
# At least one of each in a small demo, so every path of the workflow is still walked.
AT_LEAST_ONE = ("cases", "dual_penalty", "fines", "exempt", "waived", "offsite",
                "legal_reviews", "opinions", "collective", "detention_persons",
                "criminal_cases", "criminal_persons", "repaired_units", "tips", "not_filed",
                "terminated", "hearings", "statements", "long_investigations", "suspensions",
                "late_payments", "instalments", "reconsiderations", "litigations",
                "repairs_refused")


def targets_for(enterprises: int, year: int = 2024) -> Targets:
    """The year's figures at the default demo size; proportionally fewer for a smaller
    demo (money in whole hundreds; every path of the workflow kept at least once)."""
    full = BY_YEAR[year]
    if enterprises >= DEFAULT_ENTERPRISES:
        return full
    share = enterprises / DEFAULT_ENTERPRISES
    values: dict[str, int] = {}
    for f in fields(Targets):
        value = getattr(full, f.name)
        if f.name in MONEY:
            values[f.name] = max(100, round(value * share / 100) * 100)
        else:
            values[f.name] = max(1 if f.name in AT_LEAST_ONE else 0, round(value * share))
    values["criminal_persons"] = values["criminal_cases"]  # one suspect per transfer
    values["opinions"] = max(values["opinions"], values["legal_reviews"])
    values["collective"] = min(values["collective"], values["legal_reviews"])
    return Targets(**values)


def allocate(rng: random.Random, total: int, ranges: Sequence[tuple[int, int]]) -> list[int]:
    """Amounts in whole hundreds, each within its (low, high), summing to `total`
    exactly: drawn towards the low end of each range, scaled to the total, the rest
    handed out a hundred at a time. Raises ValueError when the ranges cannot hold it."""
    lows = [-(-low // 100) * 100 for low, _ in ranges]
    highs = [high // 100 * 100 for _, high in ranges]
    if total % 100 or not sum(lows) <= total <= sum(highs) or any(
            lo > hi for lo, hi in zip(lows, highs, strict=True)):
        raise ValueError(f"金额{total}无法在{len(ranges)}个幅度内分配")
    drawn = [(hi - lo) * rng.random() ** 2 for lo, hi in zip(lows, highs, strict=True)]
    free, spread = total - sum(lows), sum(drawn)
    amounts = [min(hi, lo + int(d * free / spread) // 100 * 100) if spread else lo
               for lo, hi, d in zip(lows, highs, drawn, strict=True)]
    rest = total - sum(amounts)
    order = list(range(len(amounts)))
    rng.shuffle(order)
    while rest:
        for i in order:
            if rest and amounts[i] + 100 <= highs[i]:
                amounts[i] += 100
                rest -= 100
    return amounts


def split_persons(rng: random.Random, total: int) -> list[int]:
    """Persons per detention transfer (mostly one, some two or three) adding to `total`."""
    sizes: list[int] = []
    while sum(sizes) < total:
        sizes.append(min(rng.choice((1, 1, 1, 1, 1, 1, 2, 2, 3)), total - sum(sizes)))
    return sizes


# ---------------------------------------------------------------------------------------
# Reference tables (demo choices, not legal determinations)
# ---------------------------------------------------------------------------------------

# Which catalogue item a finding of a major-hazard criterion is punished under.
CRITERION_ITEMS: dict[str, str] = {
    "HC2017-01": "WSL2021-097-02", "HC2017-02": "WSL2021-097-07",
    "HC2017-05": "WSL2021-101-02", "HC2017-11": "WSL2021-099-07",
    "HC2017-15": "WSL2021-099-03", "HC2017-16": "WSL2021-101-05",
    "HC2017-18": "WSL2021-101-03", "HC2017-20": "HCR2013-080-05",
    **{f"HC2017-{n:02d}": "WSL2021-099-02" for n in (3, 4, 6, 7, 8, 9, 10, 12, 13, 14)},
    "GM2023-CONF-01": "CSR2023-021-02", "GM2023-CONF-02": "CSR2023-021-01",
    "GM2023-GEN-01": "WSL2021-103-K2", "GM2023-GEN-02": "WSL2021-097-07",
    "GM2023-GEN-03": "WSL2021-097-02", "GM2023-DUST-10": "DER2021-027-03",
    **{f"GM2023-DUST-{n:02d}": "DER2021-027-02" for n in range(1, 10)},
    "GM2023-NH3-01": "WSL2021-099-02", "GM2023-NH3-02": "WSL2021-099-02",
    **{f"GM2023-MET-{n:02d}": "WSL2021-099-02" for n in range(1, 5)},
}
# General hazards (the inspection demo's texts) and the item each is punished under;
# the ones left out (消防器材, 应急物资) are not made cases.
GENERAL_ITEMS: dict[str, str] = {
    "安全出口、疏散通道堆放杂物": "WSL2021-105-02",
    "部分灭火器压力不足或超期未检": "WSL2021-099-03",
    "车间配电箱未上锁、箱内积尘": "WSL2021-099-03",
    "临时用电线路私拉乱接": "WSL2021-101-03",
    "作业人员未按规定佩戴劳动防护用品": "EMR2015-045-01",
    "安全警示标志缺失或设置不规范": "WSL2021-099-01",
    "机械设备传动部位防护罩缺失": "WSL2021-099-02",
    "安全生产教育培训记录不完整": "WSL2021-097-04",
    "应急预案未按计划组织演练": "WSL2021-097-06",
    "隐患排查治理台账记录不全": "WSL2021-097-05",
    "动火作业票填写不规范": "EMR2015-045-01",
    "车间内物料堆放超高": "EMR2015-045-01",
    "叉车作业区域未划线隔离": "WSL2021-099-01",
    "危险化学品储存场所未张贴安全周知卡": "HCR2013-078-08",
    "可燃气体检测报警器超期未检定": "WSL2021-099-03",
    "危险化学品出入库台账登记不全": "HCR2013-078-10",
    "储罐区防火堤内积存杂物": "WSL2021-099-03",
}
TIP_LEADS: list[tuple[str, str]] = [
    ("群众举报：该单位未对新入职从业人员进行安全生产教育和培训即安排上岗作业", "WSL2021-097-03"),
    ("群众举报：该单位生产车间疏散通道被货物堵塞，安全出口上锁", "WSL2021-105-02"),
    ("群众举报：该单位在车间内进行电焊动火作业，现场无专人进行安全管理", "WSL2021-101-03"),
    ("职工举报：该单位安排未取得特种作业操作证的人员从事电工作业", "WSL2021-097-07"),
    ("职工举报：该单位未为粉尘岗位从业人员配发符合标准的防尘口罩", "WSL2021-099-05"),
    ("群众举报：该单位违章指挥从业人员进入未经通风检测的污水池作业", "EMR2015-045-02"),
    ("群众举报：该单位未定期组织生产安全事故应急救援预案演练", "WSL2021-097-06"),
]
REFERRAL_LEADS: list[tuple[str, str]] = [
    ("市场监督管理部门移送：该单位使用国家明令淘汰的危及生产安全的设备", "WSL2021-099-07"),
    ("消防救援机构移送：该单位员工宿舍与生产车间疏散通道被封堵", "WSL2021-105-02"),
    ("综合行政执法部门移送：该单位厂区内临时用电作业无专人现场安全管理", "WSL2021-101-03"),
]
ACCIDENT_LEADS: list[tuple[str, str]] = [
    ("生产安全事故调查报告认定：该单位未按规定对从业人员进行安全生产教育和培训，"
     "从业人员违规操作导致一般生产安全事故，对事故发生负有责任", "WSL2021-097-03"),
    ("生产安全事故调查报告认定：该单位进行动火作业未安排专门人员进行现场安全管理，"
     "引发火灾造成一般生产安全事故，对事故发生负有责任", "WSL2021-101-03"),
    ("生产安全事故调查报告认定：该单位机械设备安全防护装置不符合国家标准，"
     "导致一般生产安全事故，对事故发生负有责任", "WSL2021-099-02"),
]
NON_SITE_LEADS: list[tuple[str, str]] = [
    ("危险化学品安全生产风险监测预警系统显示：该单位储罐区可燃气体检测报警数据长时间中断，"
     "经远程核查系人为关闭报警装置", "WSL2021-099-04"),
    ("危险化学品安全生产风险监测预警系统显示：该单位重大危险源液位、压力监测数据多日未上传，"
     "未按规定对重大危险源进行监控", "WSL2021-101-02"),
]
CONFISCATION_LEAD = ("群众举报：该单位未取得危险化学品经营许可证，在仓库内储存并对外销售甲醇等"
                     "危险化学品", "HCR2013-077-K3")
CRIMINAL_ITEM = "WSL2021-099-04"
PRINCIPAL_DUTY_ITEM = "WSL2021-094-K1"  # the principal's own duties (一案双罚 via 第九十四条)

POLICE: dict[str, str] = {
    "330400": "嘉兴市公安局", "330402": "嘉兴市公安局南湖区分局",
    "330411": "嘉兴市公安局秀洲区分局", "330421": "嘉善县公安局", "330424": "海盐县公安局",
    "330481": "海宁市公安局", "330482": "平湖市公安局", "330483": "桐乡市公安局",
    "330471": "嘉兴市公安局经济技术开发区分局", "330472": "嘉兴市公安局港区分局",
}
# The basic courts and (for reconsideration) the governments of the places (demo choice:
# a zone's cases go to the court of the district or city holding it, and for
# reconsideration to 嘉兴市人民政府, the zones being the city's functional areas).
COURTS: dict[str, str] = {
    "330402": "嘉兴市南湖区人民法院", "330411": "嘉兴市秀洲区人民法院",
    "330421": "嘉善县人民法院", "330424": "海盐县人民法院", "330481": "海宁市人民法院",
    "330482": "平湖市人民法院", "330483": "桐乡市人民法院", "330471": "嘉兴市南湖区人民法院",
    "330472": "平湖市人民法院",
}
GOVERNMENTS: dict[str, str] = {
    "330400": "嘉兴市人民政府", "330402": "嘉兴市南湖区人民政府",
    "330411": "嘉兴市秀洲区人民政府", "330421": "嘉善县人民政府", "330424": "海盐县人民政府",
    "330481": "海宁市人民政府", "330482": "平湖市人民政府", "330483": "桐乡市人民政府",
    "330471": "嘉兴市人民政府", "330472": "嘉兴市人民政府",
}
REVIEW_OPINIONS: list[tuple[str, str, str]] = [
    ("违法事实的表述与证据清单所列证据未逐项对应", "《中华人民共和国行政处罚法》第四十条",
     "逐项列明各违法事实对应的证据及证明对象"),
    ("询问笔录未由被询问人逐页签名确认", "《中华人民共和国行政处罚法》第四十六条",
     "补充被询问人逐页签名，或说明拒签情况"),
    ("罚款数额的裁量理由说明不充分", "《中华人民共和国行政处罚法》第五条第二款",
     "结合违法情节、危害后果和整改情况补充裁量说明"),
    ("处理意见未写明处罚依据的具体条、款、项", "《中华人民共和国行政处罚法》第五十九条",
     "写明违反的条款和处罚依据的条、款、项"),
    ("对主要负责人的违法事实未单独认定", "《中华人民共和国行政处罚法》第五十九条",
     "分别认定单位和个人的违法事实并分别提出处理意见"),
    ("执法文书未载明全部执法人员的执法证件号", "《中华人民共和国行政处罚法》第四十二条",
     "补充载明执法人员姓名及执法证件号"),
    ("违法行为持续状态及终了日期未查明", "《中华人民共和国行政处罚法》第三十六条",
     "补充调查违法行为的起止时间"),
    ("现场照片未注明拍摄时间、地点和拍摄人", "《中华人民共和国行政处罚法》第四十六条",
     "补充制作现场照片说明"),
    ("拟告知的陈述申辩期限表述与本机关文书式样不一致", "《中华人民共和国行政处罚法》第四十四条",
     "按文书式样统一告知期限表述"),
]
ANSWERS = ["已按审核意见补充完善", "已补充相关证据材料并修改处理意见", "已修改文书表述",
           "已补充调查并在调查终结报告中写明"]
STATEMENTS = ["当事人提出已对问题全部整改到位，请求从轻处罚",
              "当事人称系初次违法，且未造成危害后果，请求减轻处罚",
              "当事人对违法事实无异议，称经营困难，请求降低罚款数额"]
SUSPEND_REASONS = ["当事人主要负责人因病住院治疗，无法配合调查",
                   "案件涉及的设备检测鉴定结论尚未作出"]
TERMINATE_REASONS = ["经调查，举报反映的违法事实不能成立", "当事人已依法注销，终止调查"]
EXTEND_REASON = "案情复杂，需补充调查取证，在规定期限内不能作出决定"
SERVICE_METHODS = [("直接送达", 85), ("邮寄送达", 10), ("电子送达", 5)]
DEPUTIES = ["李建明", "张卫东", "王晓燕", "赵国华"]  # 局领导 attending discussions (demo names)


# ---------------------------------------------------------------------------------------
# Working days
# ---------------------------------------------------------------------------------------

class Days(WorkingDays):
    def after(self, day: D, n: int = 1) -> D:
        """The n-th working day after `day` (n = 0: `day` itself when it is one)."""
        i = bisect.bisect_right(self.days, day) if n else bisect.bisect_left(self.days, day)
        return self.days[min(i + max(n - 1, 0), len(self.days) - 1)]

    def on_or_before(self, day: D) -> D:
        return self.days[max(bisect.bisect_right(self.days, day) - 1, 0)]


# ---------------------------------------------------------------------------------------
# Planned cases (pure once the world is read)
# ---------------------------------------------------------------------------------------

PENALTY, NO_PENALTY, TRANSFER = Outcome.PENALTY, Outcome.NO_PENALTY, Outcome.TRANSFER


@dataclass
class PartySpec:
    kind: str
    person: int | None
    name: str
    outcome: str = PENALTY
    item: str | None = None
    measures: tuple[str, ...] = ()
    fine: int = 0
    confiscation: int = 0
    ground: str = ""
    waived: int = 0
    hearing: bool = False
    payment: str = "on_time"  # on_time | late | instalments | court

    @property
    def amount(self) -> int:
        return self.fine + self.confiscation if self.outcome == PENALTY else 0


@dataclass(frozen=True)
class Step:
    day: D
    seq: int
    kind: str
    data: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.data).get(key, default)


@dataclass
class CaseSpec:
    year: int
    serial: int
    agency: str
    enterprise: int
    source: str
    facts: str
    items: list[str]
    handlers: tuple[int, int]
    discovered: D
    violation: D
    finding: int | None = None
    fate: str = "decided"  # decided | not_filed | terminated
    parties: list[PartySpec] = field(default_factory=list)
    criminal: bool = False
    detention: list[str] = field(default_factory=list)
    review: int = 0        # opinions of the first review round (0: no legal review)
    reviewer: str = ""     # the reviewing agency's code
    collective: bool = False
    hearing: bool = False
    statement: str = "waived"  # waived | spoken | silent
    suspension: bool = False
    long: bool = False
    remedy: str = ""       # reconsideration | litigation
    repair: str = ""       # approved | refused
    decided: D | None = None
    served: dict[int, D] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)

    def add(self, day: D, what: str, **data: Any) -> None:
        self.steps.append(Step(day, len(self.steps), what, tuple(sorted(data.items()))))

    @property
    def penalised(self) -> list[int]:
        return [i for i, p in enumerate(self.parties) if p.outcome == PENALTY]


@dataclass(frozen=True)
class Company:
    id: int
    county: str
    category: str


@dataclass(frozen=True)
class ItemInfo:
    code: str
    name: str
    basis: str
    valid_from: D
    valid_to: D | None
    measures: frozenset[str]
    ranges: dict[str, tuple[int, int] | None]  # unit / principal / responsible

    def in_force(self, day: D) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class FindingLead:
    finding: int
    date: D
    agency: str       # the inspecting agency's jurisdiction code
    station: bool
    enterprise: int
    item: str
    description: str
    officers: tuple[int, ...]


@dataclass
class World:
    agencies: dict[str, Agency]
    teams: dict[str, list[int]]
    leaders: dict[str, User]
    reviewers: dict[str, User]
    users: dict[int, User]
    enterprises: dict[int, Enterprise]
    companies: list[Company]
    company: dict[int, Company]
    people: dict[int, list[tuple[int, str, str]]]  # enterprise → [(id, kind, name)]
    items: dict[str, ItemInfo]
    days: Days
    schedule: Any
    thresholds: dict[int, procedure.LargeFineThreshold]

    def principal(self, enterprise: int) -> tuple[int, str]:
        found = [(pk, name) for pk, kind, name in self.people.get(enterprise, [])
                 if kind == ResponsiblePerson.Kind.PRINCIPAL]
        return found[0]

    def manager(self, enterprise: int) -> tuple[int, str] | None:
        found = [(pk, name) for pk, kind, name in self.people.get(enterprise, [])
                 if kind == ResponsiblePerson.Kind.SAFETY_MANAGER]
        return found[0] if found else None


def _pick(rng: random.Random, pool: Sequence[Company], used: set[int]) -> Company:
    for _ in range(30):
        company = rng.choice(pool)
        if company.id not in used:
            break
    used.add(company.id)
    return company


def _sample(rng: random.Random, specs: Sequence[CaseSpec], k: int, what: str,
            *, exact: bool = True) -> list[CaseSpec]:
    if k > len(specs):
        if exact:
            raise RuntimeError(f"演示案件不足：{what}需要{k}件，可选{len(specs)}件")
        k = len(specs)
    return rng.sample(list(specs), k)


class Planner:
    """One year's cases, from the leads to the last step (no database writes)."""

    def __init__(self, rng: random.Random, world: World, year: int, targets: Targets,
                 findings: Sequence[FindingLead]) -> None:
        self.rng, self.world, self.year, self.t = rng, world, year, targets
        self.findings = findings
        self.days = world.days
        self.used: set[int] = set()
        self.specs: list[CaseSpec] = []

    # --- leads -------------------------------------------------------------------------

    def _team_pair(self, agency: str) -> tuple[int, int]:
        return tuple(sorted(self.rng.sample(self.world.teams[agency], 2)))  # type: ignore

    def _agency_for(self, company: Company) -> str:
        city = (company.category == SupervisionCategory.HAZCHEM_PRODUCTION
                and self.rng.random() < 0.5) or self.rng.random() < 0.06
        return CITY if city else company.county

    def _lead(self, company: Company, source: str, facts: str, item: str, discovered: D, *,
              agency: str | None = None, violation: D | None = None) -> CaseSpec:
        agency = agency or self._agency_for(company)
        spec = CaseSpec(year=self.year, serial=0, agency=agency, enterprise=company.id,
                        source=source, facts=facts, items=[item],
                        handlers=self._team_pair(agency), discovered=discovered,
                        violation=violation or discovered - self.rng.randint(0, 10) * DAY)
        self.specs.append(spec)
        return spec

    def _day(self, first: D | None = None, last: D | None = None) -> D:
        return self.days.pick(self.rng, first or D(self.year, 1, 3),
                              last or D(self.year, 11, 22))

    def _pool(self, *categories: str) -> list[Company]:
        return [c for c in self.world.companies if not categories or c.category in categories]

    def leads(self) -> None:
        rng, t, items = self.rng, self.t, self.world.items
        everyone = self._pool()
        trade = self._pool(SupervisionCategory.INDUSTRY_TRADE)
        chemicals = self._pool(SupervisionCategory.HAZCHEM_PRODUCTION,
                               SupervisionCategory.HAZCHEM_OPERATION)
        sellers = self._pool(SupervisionCategory.OTHER, SupervisionCategory.HAZCHEM_USE)

        def fits(item: str, day: D) -> bool:
            return items[item].in_force(day)

        for _ in range(t.accidents):
            day = self._day()
            facts, item = rng.choice(ACCIDENT_LEADS)
            self._lead(_pick(rng, trade, self.used), CaseSource.ACCIDENT, facts, item, day,
                       violation=day - rng.randint(45, 120) * DAY)
        for _ in range(t.offsite):
            facts, item = rng.choice(NON_SITE_LEADS)
            self._lead(_pick(rng, chemicals, self.used), CaseSource.NON_SITE, facts, item,
                       self._day())
        for _ in range(t.confiscations):
            self._lead(_pick(rng, sellers, self.used), CaseSource.TIP, *CONFISCATION_LEAD,
                       self._day())
        # Referrals: the town stations' findings first (stations do not file cases), then
        # the other departments'.
        stations = [f for f in self.findings if f.station and fits(f.item, f.date)]
        for lead in rng.sample(stations, min(len(stations), t.referrals)):
            company = self.world.company[lead.enterprise]
            self.used.add(company.id)
            station = self.world.agencies[lead.agency].name
            self._lead(company, CaseSource.REFERRAL, f"{station}移送：{lead.description}",
                       lead.item, self.days.after(lead.date, rng.randint(1, 3)),
                       agency=company.county, violation=lead.date)
        for _ in range(t.referrals - min(len(stations), t.referrals)):
            facts, item = rng.choice(REFERRAL_LEADS)
            self._lead(_pick(rng, everyone, self.used), CaseSource.REFERRAL, facts, item,
                       self._day())
        for _ in range(t.tips):
            facts, item = rng.choice(TIP_LEADS)
            self._lead(_pick(rng, everyone, self.used), CaseSource.TIP, facts, item,
                       self._day())
        rest = t.cases - len(self.specs)
        own = [f for f in self.findings if not f.station and fits(f.item, f.date)]
        for lead in rng.sample(own, min(len(own), rest)):
            self.used.add(lead.enterprise)
            spec = CaseSpec(year=self.year, serial=0, agency=lead.agency,
                            enterprise=lead.enterprise, source=CaseSource.INSPECTION,
                            facts="", items=[lead.item], handlers=lead.officers[:2],
                            discovered=lead.date, violation=lead.date, finding=lead.finding)
            self.specs.append(spec)
        general = [(text, item) for text, item in GENERAL_ITEMS.items()
                   if fits(item, D(self.year, 1, 3))]
        while len(self.specs) < t.cases:  # no inspection record: the officers' patrols
            text, item = rng.choice(general)
            self._lead(_pick(rng, everyone, self.used),
                       CaseSource.OTHER if self.year < 2024 else CaseSource.TIP,
                       f"执法人员日常巡查发现：{text}" if self.year < 2024
                       else f"群众举报：{text}", item, self._day())
        for _ in range(t.not_filed):
            facts, item = rng.choice(TIP_LEADS)
            spec = self._lead(_pick(rng, everyone, self.used), CaseSource.TIP, facts, item,
                              self._day())
            spec.fate = "not_filed"
        self.specs.sort(key=lambda s: (s.discovered, s.enterprise, s.source))
        for n, spec in enumerate(self.specs, start=1):
            spec.serial = self.year * 100_000 + n

    # --- what each case is ---------------------------------------------------------------

    def _unit(self, spec: CaseSpec) -> PartySpec:
        return spec.parties[0]

    def _measures(self, item: str, *, person: bool, confiscation: bool = False
                  ) -> tuple[str, ...]:
        stage = self.world.items[item].measures
        wanted = ("fine",) if person else ("warning", "order_correct_within_deadline", "fine")
        chosen = tuple(m for m in wanted if m in stage)
        if confiscation and "confiscate_gains" in stage:
            chosen += ("confiscate_gains",)
        return chosen

    def shape(self) -> None:
        rng, t, world = self.rng, self.t, self.world
        filed = [s for s in self.specs if s.fate != "not_filed"]
        tips = [s for s in filed if s.source == CaseSource.TIP
                and s.items[0] != CONFISCATION_LEAD[1]]
        for spec in _sample(rng, tips, t.terminated, "终止调查", exact=False):
            spec.fate = "terminated"
        for spec in filed:
            enterprise = world.enterprises[spec.enterprise]
            spec.parties = [PartySpec(PartyKind.UNIT, None, enterprise.name, item=spec.items[0])]
        decided = [s for s in filed if s.fate == "decided"]
        late_limit = D(self.year, 10, 15)

        def free(spec: CaseSpec) -> bool:
            return (not spec.criminal and len(spec.parties) == 1
                    and spec.parties[0].outcome == PENALTY
                    and spec.source != CaseSource.ACCIDENT
                    and spec.items[0] != CONFISCATION_LEAD[1])

        # 行刑衔接: the unit's monitoring switched off, its principal transferred.
        pool = [s for s in decided if free(s) and s.source in (
            CaseSource.INSPECTION, CaseSource.NON_SITE, CaseSource.OTHER, CaseSource.TIP)
            and s.discovered <= late_limit]
        pool.sort(key=lambda s: world.company[s.enterprise].category
                  not in (SupervisionCategory.HAZCHEM_PRODUCTION,
                          SupervisionCategory.HAZCHEM_OPERATION))
        chosen = pool[:max(t.criminal_cases * 4, t.criminal_cases)]
        for spec in _sample(rng, chosen, t.criminal_cases, "涉嫌犯罪移送"):
            spec.criminal = True
            spec.items = [CRIMINAL_ITEM]
            spec.parties[0].item = CRIMINAL_ITEM
            pk, name = world.principal(spec.enterprise)
            spec.facts = (spec.facts + "；" if spec.facts else "") + (
                "经查，该单位擅自关闭直接关系生产安全的可燃气体检测报警装置，具有发生重大伤亡"
                "事故的现实危险")
            spec.parties.append(PartySpec(PartyKind.PRINCIPAL, pk, name, outcome=TRANSFER))
        # 轻微违法不予处罚: the unit only, on ground minor or first.
        for spec in _sample(rng, [s for s in decided if free(s)], t.exempt, "不予处罚"):
            unit = self._unit(spec)
            unit.outcome = NO_PENALTY
            unit.ground = ExemptGround.MINOR if rng.random() < 0.7 else ExemptGround.FIRST
        # 一案双罚.
        pool = [s for s in decided if free(s)]
        weights = [3 if self._person_range(s) else 1 for s in pool]
        dual: list[CaseSpec] = []
        while len(dual) < t.dual_penalty:
            if not pool:
                raise RuntimeError(f"演示案件不足：一案双罚需要{t.dual_penalty}件")
            i = rng.choices(range(len(pool)), weights=weights)[0]
            dual.append(pool.pop(i))
            weights.pop(i)
        for n, spec in enumerate(dual):
            self._add_persons(spec, second=n < t.second_persons)
        for spec in decided:
            unit = self._unit(spec)
            if unit.outcome == PENALTY:
                unit.measures = self._measures(
                    unit.item, person=False,
                    confiscation=spec.items[0] == CONFISCATION_LEAD[1])
                if spec.items[0] == CONFISCATION_LEAD[1]:
                    unit.confiscation = rng.randint(30, 200) * 100
        # Legal review: the city bureau's own cases (bureau scope), and a few of Nanhu's.
        pool = [s for s in decided if s.agency == CITY and not s.criminal
                and self._unit(s).outcome == PENALTY and s.discovered <= late_limit]
        if len(pool) < t.legal_reviews:  # a small demo: the city takes some tips over
            movable = [s for s in decided if s.source in (CaseSource.TIP, CaseSource.OTHER)
                       and s.agency != CITY and not s.criminal
                       and self._unit(s).outcome == PENALTY and s.discovered <= late_limit]
            for spec in movable[:t.legal_reviews - len(pool)]:
                spec.agency, spec.handlers = CITY, self._team_pair(CITY)
                pool.append(spec)
        reviewed = _sample(rng, pool, t.legal_reviews, "法制审核")
        counts = [1 + n for n in _spread(rng, t.opinions - len(reviewed), len(reviewed))]
        for n, (spec, opinions) in enumerate(zip(reviewed, counts, strict=True)):
            spec.review, spec.reviewer = opinions, CITY
            spec.collective = n < t.collective
        pool = [s for s in decided if s.agency == NANHU and not s.review and not s.criminal
                and self._unit(s).outcome == PENALTY and s.discovered <= late_limit]
        if NANHU in world.reviewers:
            for spec in _sample(rng, pool, t.county_reviews, "县级法制审核", exact=False):
                spec.review, spec.reviewer = rng.randint(1, 3), NANHU

    def _person_range(self, spec: CaseSpec) -> bool:
        ranges = self.world.items[spec.items[0]].ranges
        return bool(ranges["principal"] or ranges["responsible"])

    def _add_persons(self, spec: CaseSpec, *, second: bool) -> None:
        world, item = self.world, spec.items[0]
        ranges = world.items[item].ranges
        principal = world.principal(spec.enterprise)
        manager = world.manager(spec.enterprise)
        persons: list[PartySpec] = []
        if ranges["responsible"] and manager and (second or self.rng.random() < 0.5):
            persons.append(PartySpec(PartyKind.RESPONSIBLE, manager[0], manager[1], item=item))
            if second:
                own = item if ranges["principal"] else PRINCIPAL_DUTY_ITEM
                persons.append(PartySpec(PartyKind.PRINCIPAL, *principal, item=own))
        elif ranges["principal"]:
            persons.append(PartySpec(PartyKind.PRINCIPAL, *principal, item=item))
        else:
            persons.append(PartySpec(PartyKind.PRINCIPAL, *principal,
                                     item=PRINCIPAL_DUTY_ITEM))
        for person in persons:
            person.measures = self._measures(person.item, person=True)
            if person.item not in spec.items:
                spec.items.append(person.item)
        spec.parties.extend(persons)

    def _range(self, spec: CaseSpec, party: PartySpec) -> tuple[int, int]:
        key = {PartyKind.UNIT: "unit", PartyKind.PRINCIPAL: "principal",
               PartyKind.RESPONSIBLE: "responsible"}[party.kind]
        found = self.world.items[party.item].ranges[key]
        if found is None:
            raise RuntimeError(f"{party.item}对{party.kind}没有罚款幅度")
        return found

    def money(self) -> None:
        """Fines summing exactly to the target (confiscations included), waived amounts to
        theirs, then the engine's hearing rights for each penalty."""
        decided = [s for s in self.specs if s.fate == "decided"]
        fined = [(s, p) for s in decided for p in s.parties
                 if p.outcome == PENALTY and "fine" in p.measures]
        floors = {PartyKind.UNIT: 2000}
        ranges = []
        for spec, party in fined:
            low, high = self._range(spec, party)
            ranges.append((max(low, floors.get(party.kind, 500)), high))
        confiscated = sum(p.confiscation for s in decided for p in s.parties)
        for (_, party), amount in zip(fined, allocate(self.rng, self.t.fines - confiscated,
                                                      ranges), strict=True):
            party.fine = amount
        exempt = [(s, self._unit(s)) for s in decided if self._unit(s).outcome == NO_PENALTY]
        waived = allocate(self.rng, self.t.waived,
                          [(1000, self._range(s, p)[1]) for s, p in exempt])
        for (_, party), amount in zip(exempt, waived, strict=True):
            party.waived = amount
        for spec in decided:
            threshold = self.world.thresholds[self.world.enterprises[spec.enterprise]
                                              .jurisdiction_id]
            for party in spec.parties:
                if party.outcome == PENALTY:
                    party.hearing = procedure.hearing_rights(
                        party_type=engine.UNIT if party.kind == PartyKind.UNIT
                        else engine.INDIVIDUAL, measures=party.measures, fine=party.fine,
                        confiscation=party.confiscation, threshold=threshold).hearing_rights

    def procedure_choices(self) -> None:
        rng, t = self.rng, self.t
        decided = [s for s in self.specs if s.fate == "decided"]
        early = D(self.year, 10, 1)
        with_rights = [s for s in decided if not s.review and s.discovered <= early
                       and any(s.parties[i].hearing for i in s.penalised)]
        for spec in _sample(rng, with_rights, t.hearings, "听证", exact=False):
            spec.hearing, spec.statement = True, "silent"
        pool = [s for s in decided if s.penalised and not s.hearing]
        for spec in _sample(rng, pool, t.statements, "陈述申辩", exact=False):
            spec.statement = "spoken"
        for spec in pool:
            if spec.statement != "spoken":
                spec.statement = "waived" if rng.random() < 0.65 else "silent"
        plain = [s for s in decided if not s.review and not s.hearing and s.discovered <= early]
        for spec in _sample(rng, plain, t.suspensions, "中止", exact=False):
            spec.suspension = True
        for spec in _sample(rng, [s for s in plain if not s.suspension],
                            t.long_investigations, "延期", exact=False):
            spec.long = True
        pool = [s for s in decided if s.penalised and not s.criminal]
        sizes = split_persons(rng, t.detention_persons)
        for spec, size in zip(_sample(rng, pool, len(sizes), "移送行政拘留"), sizes,
                              strict=True):
            names: list[str] = []
            while len(names) < size:
                name = person_name(rng)
                if name not in names:
                    names.append(name)
            spec.detention = names

    # --- the timeline ----------------------------------------------------------------------

    def timelines(self) -> None:
        for spec in self.specs:
            self._core(spec)
        self._choose_execution()
        for spec in self.specs:
            if spec.fate == "decided":
                self._execution(spec)
            spec.steps.sort(key=lambda s: (s.day, s.seq))

    def _core(self, spec: CaseSpec) -> None:
        rng, days, schedule = self.rng, self.days, self.world.schedule
        d0 = spec.discovered
        spec.add(d0, "lead")
        spec.add(d0, "details")
        submitted = days.after(d0, rng.randint(0, 2))
        spec.add(submitted, "submit_filing")
        if spec.fate == "not_filed":
            spec.add(days.after(submitted, rng.randint(0, 2)), "refuse_filing")
            return
        filed = days.after(submitted, rng.choice((0, 1, 1)))
        spec.add(filed, "approve_filing")
        due = deadlines.decision_deadline(schedule, filed).date
        spec.add(filed, "parties")
        spec.add(filed, "evidence", number=1, collected=d0)
        resumed = filed
        if spec.detention:
            day = days.after(filed, rng.randint(1, 3))
            spec.add(day, "transfer", kind=Transfer.Kind.DETENTION)
            spec.add(days.after(day, rng.randint(2, 6)), "transfer_answer",
                     kind=Transfer.Kind.DETENTION)
        if spec.criminal:
            day = days.after(filed, rng.randint(1, 3))
            spec.add(day, "transfer", kind=Transfer.Kind.CRIMINAL)
            spec.add(days.after(day, rng.randint(2, 6)), "transfer_answer",
                     kind=Transfer.Kind.CRIMINAL)
            resumed = day
        if spec.suspension:
            start = days.after(filed, rng.randint(1, 3))
            resumed = days.after(start, rng.randint(8, 18))
            spec.add(start, "suspend")
            spec.add(resumed, "resume")
            due += resumed - start
        interview = days.after(resumed, rng.randint(1, 3))
        spec.add(interview, "evidence", number=2, collected=interview)
        if spec.fate == "terminated":
            spec.add(days.after(interview, rng.randint(2, 8)), "terminate")
            return
        report = days.after(interview, rng.randint(18, 26) if spec.long else rng.randint(1, 5))
        for kind in ("report", "submit_case_review", "propose", "assess"):
            spec.add(report, kind)
        ready = report
        if spec.review:
            spec.add(report, "submit_legal_review")
            first = days.after(report, rng.randint(2, 3))
            spec.add(first, "opinions")
            spec.add(first, "conclude", conclusion=ReviewConclusion.MODIFY)
            answered = days.after(first, rng.randint(1, 2))
            spec.add(answered, "answers")
            spec.add(answered, "submit_legal_review")
            ready = days.after(answered, rng.randint(1, 2))
            spec.add(ready, "conclude", conclusion=ReviewConclusion.AGREE)
            if spec.collective:
                spec.add(ready, "submit_collective")
                ready = days.after(ready, rng.randint(1, 2))
                spec.add(ready, "discussion")
        else:
            spec.add(report, "submit_approval")
        if not spec.penalised:  # no penalty (or transfer only): no notice
            decided = days.after(ready, rng.randint(1, 2))
        else:
            notice = days.after(ready, rng.randint(0 if spec.review else 1, 2))
            spec.add(notice, "approve_notice")
            served = days.after(notice, rng.choice((0, 1, 1)))
            spec.add(served, "notice_served")
            earliest = days.after(served, 1)
            if spec.statement == "waived":
                spec.add(served, "waive")
            elif spec.statement == "spoken":
                spoken = days.after(served, 1)
                spec.add(served, "waive", persons_only=True)
                spec.add(spoken, "statement")
                spec.add(spoken, "statement_review")
                earliest = days.after(spoken, 1)
            else:
                earliest = days.after(deadlines.statement_deadline(schedule, served).date, 1)
            rights = any(spec.parties[i].hearing for i in spec.penalised)
            if rights:
                request_due = deadlines.hearing_request_deadline(schedule, served).date
                if spec.hearing:
                    asked = min(days.after(served, rng.randint(1, 3)),
                                days.on_or_before(request_due))
                    spec.add(asked, "hearing_request")
                    sent = days.after(asked, rng.randint(0, 2))
                    held = days.after(sent, 8)
                    while not procedure.hearing_notice_compliant(sent, held,
                                                                 schedule).compliant:
                        held = days.after(held, 1)
                    spec.add(sent, "hearing_schedule", sent=sent, held=held)
                    spec.add(held, "hearing_report")
                    earliest = max(earliest, days.after(held, 1))
                else:
                    earliest = max(earliest, days.after(request_due, 1))
            decided = days.after(earliest, rng.choice((0, 0, 1, 2)))
        if decided > due:  # 延期, approved before the 30 days run out
            extended = days.on_or_before(min(due, decided - DAY))
            spec.add(max(extended, resumed), "extend")
        if decided.year != self.year:
            raise RuntimeError(f"演示案件{spec.serial}的决定日期{decided}不在{self.year}年")
        spec.add(decided, "decide")
        spec.decided = decided
        for i in range(len(spec.parties)):
            spec.served[i] = days.after(decided, rng.choice((0, 1, 1, 2)))
            spec.add(spec.served[i], "served", party=i)
        spec.add(max(spec.served.values()), "serve")

    def _choose_execution(self) -> None:
        """Who repairs their credit (distinct enterprises, decided early enough for the
        minimum period to end within the year), who pays late, by instalments or only
        through the court, who goes to reconsideration or court."""
        rng, t, year = self.rng, self.t, self.year
        decided = [s for s in self.specs if s.fate == "decided"]
        fined = [s for s in decided if self._unit(s).outcome == PENALTY and self._unit(s).amount]
        last_repair = D(year, 12, 6)
        by_enterprise: dict[int, list[CaseSpec]] = {}
        for spec in fined:
            earliest = exemptions.credit(spec.decided, "general").earliest_repair
            if earliest is not None and earliest <= last_repair:
                by_enterprise.setdefault(spec.enterprise, []).append(spec)
        wanted = t.repaired_units + t.repairs_refused
        enterprises = _sample(rng, sorted(by_enterprise), wanted, "信用修复")  # type: ignore
        for n, enterprise in enumerate(enterprises):
            spec = rng.choice(by_enterprise[enterprise])  # type: ignore[index]
            spec.repair = "approved" if n < t.repaired_units else "refused"
        rest = [s for s in fined if not s.repair]
        for kind, k, last in (("reconsideration", t.reconsiderations, D(year, 7, 31)),
                              ("litigation", t.litigations, D(year, 6, 30))):
            pool = [s for s in rest if not s.remedy and s.decided <= last]
            for spec in _sample(rng, pool, k, "复议诉讼", exact=False):
                spec.remedy = kind
        rest = [s for s in rest if not s.remedy]
        pool = [s for s in rest if s.decided <= D(year, 4, 30)]
        for spec in _sample(rng, pool, t.court, "申请强制执行", exact=False):
            self._unit(spec).payment = "court"
        rest = [s for s in rest if self._unit(s).payment == "on_time"]
        for spec in _sample(rng, rest, t.late_payments, "逾期缴款", exact=False):
            self._unit(spec).payment = "late"
        rest = [s for s in rest if self._unit(s).payment == "on_time"
                and self._unit(s).amount >= 2000]
        for spec in _sample(rng, rest, t.instalments, "分期缴纳", exact=False):
            self._unit(spec).payment = "instalments"

    def _execution(self, spec: CaseSpec) -> None:
        rng, days, schedule, year = self.rng, self.days, self.world.schedule, self.year
        assert spec.decided is not None
        ends = [max(spec.served.values())]
        paid: dict[int, D] = {}
        for i in spec.penalised:
            party = spec.parties[i]
            if not party.amount:
                continue
            served = max(spec.served.values())  # payments once the whole case is served
            own = spec.served[i]  # the party's own period runs from its own service
            due = deadlines.payment_deadline(schedule, own).date
            if party.payment == "late":
                day = days.after(due, rng.randint(2, 10))
                spec.add(day, "pay", party=i, late=True)
            elif party.payment == "instalments":
                approved = days.after(served, 1)
                if approved > due:
                    approved = served
                n = 2 if party.amount < 20000 else 3
                first = party.amount // n // 100 * 100
                amounts = [first] * (n - 1) + [party.amount - first * (n - 1)]
                dues = [due + 30 * (k + 1) * DAY for k in range(n)]
                spec.add(approved, "arrangement", party=i,
                         schedule=tuple(zip(dues, amounts, strict=True)))
                for when, amount in zip(dues, amounts, strict=True):
                    day = days.on_or_before(when)
                    spec.add(day, "pay", party=i, amount=amount)
                    ends.append(day)
                day = days.on_or_before(dues[-1])
            elif party.payment == "court":
                known = own
                expiry = max(deadlines.reconsideration_deadline(schedule, known).deadline.date,
                             deadlines.litigation_deadline(schedule, known).deadline.date)
                applied = days.after(expiry, rng.randint(1, 8))
                concluded = days.after(applied, rng.randint(15, 30))
                spec.add(applied, "court_apply", party=i)
                spec.add(concluded, "court_conclude", party=i)
                day = concluded
            else:
                day = days.pick(rng, days.after(served, 1), due)
                spec.add(day, "pay", party=i)
            paid[i] = day
            ends.append(day)
        published = []
        for i in spec.penalised:
            due = deadlines.publicity_deadline(schedule, spec.decided).date
            day = min(days.after(spec.decided, rng.randint(1, 5)), days.on_or_before(due))
            spec.add(day, "publish", party=i)
            published.append(day)
        closed = days.after(max(ends), rng.randint(1, 4))
        spec.add(closed, "close")
        spec.add(days.after(max([closed, *published]), rng.randint(2, 8)), "archive")
        unit_served = spec.served[0]
        if spec.remedy == "reconsideration":
            filed = days.after(unit_served, rng.randint(10, 30))
            spec.add(filed, "remedy_file")
            spec.add(days.after(filed, rng.randint(25, 40)), "remedy_conclude",
                     result=Remedy.Result.UPHELD)
        elif spec.remedy == "litigation":
            filed = days.after(unit_served, rng.randint(15, 40))
            spec.add(filed, "remedy_file")
            spec.add(days.after(filed, rng.randint(40, 70)), "remedy_conclude",
                     result=rng.choice((Remedy.Result.WON, Remedy.Result.WITHDRAWN)))
        if spec.repair:
            earliest = exemptions.credit(spec.decided, "general").earliest_repair
            assert earliest is not None
            start = max(earliest, paid[0] + DAY)
            applied = days.after(start, 0)
            room = len(days.between(applied, D(year, 12, 13))) - 1
            applied = days.after(applied, rng.randint(0, max(0, min(room, 12))))
            spec.add(applied, "repair_apply")
            decided = days.after(applied, rng.randint(1, 3))
            if decided.year != year:
                raise RuntimeError(f"演示案件{spec.serial}的信用修复不在{year}年")
            spec.add(decided, "repair_decide", approve=spec.repair == "approved")

    def plan(self) -> list[CaseSpec]:
        self.leads()
        self.shape()
        self.money()
        self.procedure_choices()
        self.timelines()
        return self.specs


def _spread(rng: random.Random, total: int, n: int) -> list[int]:
    """`total` split into n random non-negative parts."""
    if n <= 0:
        return []
    cuts = sorted(rng.randint(0, total) for _ in range(n - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


# ---------------------------------------------------------------------------------------
# The world: agencies, teams, heads, enterprises, items, findings
# ---------------------------------------------------------------------------------------

def _certified(year: int):
    from django.db.models import Q

    return Q(certificates__revoked_at__isnull=True, certificates__valid_from__lte=D(year, 1, 1),
             certificates__valid_to__gte=D(year + 1, 6, 30))


def _load_heads(ctx: DemoContext, agencies: dict[str, Agency]) -> dict[str, User]:
    """Each bureau's head (负责人): the existing one, else a new user with a certificate."""
    rng = ctx.random("cases.staff")
    heads: dict[str, User] = {}
    for user in (User.objects.filter(role=Role.LEADER, is_active=True,
                                     agency__in=[agencies[c] for c in BUREAUS])
                 .select_related("agency__jurisdiction").order_by("id")):
        heads.setdefault(user.agency.jurisdiction.code, user)
    names = set(User.objects.exclude(full_name="").values_list("full_name", flat=True))
    departments = {(d.agency_id, d.name): d for d in Department.objects.all()}
    numbers = set(EnforcementCertificate.objects.values_list("number", flat=True))
    new: list[User] = []
    for code in BUREAUS:
        if code in heads:
            continue
        agency = agencies[code]
        full_name = person_name(rng)
        while full_name in names:
            full_name = person_name(rng)
        names.add(full_name)
        user = User(username=f"{SLUGS[code]}_leader", full_name=full_name, role=Role.LEADER,
                    agency=agency,
                    department=departments.get((agency.pk, TEAM_DEPARTMENT[agency.kind])))
        user.set_unusable_password()
        user.full_clean(exclude=["password"], validate_unique=False)
        new.append(user)
    created = bulk_create_missing(User, new, key="username")
    certificates = []
    for user in new:
        number = f"{user.agency.jurisdiction.code[:6]}{rng.randrange(10000, 100000)}"
        while number in numbers:
            number = f"{user.agency.jurisdiction.code[:6]}{rng.randrange(10000, 100000)}"
        numbers.add(number)
        certificates.append(EnforcementCertificate(holder=user, number=number,
                                                   valid_from=CERT_VALID[0],
                                                   valid_to=CERT_VALID[1]))
    new_certificates = bulk_create_missing(EnforcementCertificate, certificates, key="number")
    ctx.count("用户", len(created))
    ctx.count("执法证", len(new_certificates))
    ctx.record(
        [(u, "user.created", {"source": "demo", "username": u.username, "role": u.role,
                              "agency": u.agency.name}) for u in created]
        + [(c, "certificate.created", {"source": "demo", "number": c.number,
                                       "holder": c.holder.username, "valid_to": c.valid_to})
           for c in new_certificates])
    for user in new:
        heads[user.agency.jurisdiction.code] = user
    return heads


def _item_infos(codes: Iterable[str]) -> dict[str, ItemInfo]:
    """Each item's name, provisions, validity, measures and the statutory fine of each
    kind of party at the first stage, as the legal engine gives them."""
    day = D(2024, 6, 1)
    wanted = sorted(set(codes))
    rows = {i.code: i for i in EnforcementItem.objects.filter(code__in=wanted)
            .prefetch_related("penalty__law")}
    missing = sorted(set(wanted) - set(rows))
    if missing:
        raise RuntimeError(f"执法事项目录缺少：{'、'.join(missing)}（应先载入法律演示数据）")
    infos = {}
    parties = (("unit", engine.UNIT, None), ("principal", engine.INDIVIDUAL, engine.PRINCIPAL),
               ("responsible", engine.INDIVIDUAL, engine.RESPONSIBLE_PERSON))
    for code in wanted:
        rule = resolve_items([code], field="item", on=day, decided=day, jurisdiction=CITY,
                             stage="first")[0]
        ranges: dict[str, tuple[int, int] | None] = {}
        measures: frozenset[str] = frozenset()
        for key, party, role in parties:
            provision = engine.provision_for(rule, "first", party, role,
                                             engine.Dates(violation_ended=day, decided=day), day)
            fine = provision.fine
            ranges[key] = (int(fine.min), int(fine.max)) if fine else None
            measures = provision.stage.measures
        item = rows[code]
        basis = "、".join(f"《{p.law.name}》{p.label}" for p in item.penalty.all())
        infos[code] = ItemInfo(code, item.name, basis, item.valid_from, item.valid_to,
                               frozenset(measures), ranges)
    return infos


def _findings(world: World, year: int) -> list[FindingLead]:
    """The year's inspection findings that can become a case, one per inspection (the
    first with an item to punish it under), for the bureaus and the stations."""
    kinds = {Agency.Kind.CITY_BUREAU: False, Agency.Kind.COUNTY_BUREAU: False,
             Agency.Kind.TOWN_STATION: True}
    officers: dict[int, list[int]] = {}
    for inspection, user in (Inspection.officers.through.objects
                             .filter(inspection__date__year=year)
                             .values_list("inspection_id", "user_id")
                             .order_by("inspection_id", "user_id")):
        officers.setdefault(inspection, []).append(user)
    found: dict[int, FindingLead] = {}
    rows = (Finding.objects.filter(inspection__date__gte=D(year, 1, 2),
                                   inspection__date__lte=D(year, 11, 22))
            .values_list("id", "inspection_id", "inspection__date", "inspection__agency__kind",
                         "inspection__agency__jurisdiction__code", "inspection__enterprise_id",
                         "item__code", "description")
            .order_by("inspection__date", "inspection_id", "id"))
    for pk, inspection, day, kind, agency, enterprise, criterion, text in rows:
        if inspection in found or kind not in kinds:
            continue
        item = CRITERION_ITEMS.get(criterion) if criterion else GENERAL_ITEMS.get(text)
        if item is None or not world.items[item].in_force(day):
            continue
        pair = officers.get(inspection, [])
        if len(pair) < 2:
            continue
        found[inspection] = FindingLead(pk, day, agency, kinds[kind], enterprise, item, text,
                                        tuple(pair))
    return list(found.values())


def _world(ctx: DemoContext) -> World:
    agencies = {a.jurisdiction.code: a for a in Agency.objects.select_related("jurisdiction")}
    missing = [code for code in BUREAUS if code not in agencies]
    if missing:
        raise RuntimeError(f"演示执法机关缺失：{', '.join(missing)}（应先载入核心演示数据）")
    heads = _load_heads(ctx, agencies)
    teams: dict[str, list[int]] = {code: [] for code in BUREAUS}
    users: dict[int, User] = {}
    by_agency = {agencies[code].pk: code for code in BUREAUS}
    for user in (User.objects.filter(role=Role.OFFICER, is_active=True,
                                     agency_id__in=list(by_agency))
                 .filter(_certified(2023)).distinct().select_related("agency")
                 .order_by("id")):
        teams[by_agency[user.agency_id]].append(user.pk)
        users[user.pk] = user
    reviewers: dict[str, User] = {}
    for user in (User.objects.filter(role=Role.REVIEWER, is_active=True,
                                     agency_id__in=[agencies[CITY].pk, agencies[NANHU].pk])
                 .select_related("agency__jurisdiction").order_by("id")):
        reviewers.setdefault(user.agency.jurisdiction.code, user)
    if CITY not in reviewers:
        raise RuntimeError("市局没有法制审核人员（应先载入核心演示数据）")
    for user in [*heads.values(), *reviewers.values()]:
        users[user.pk] = user
    enterprises = {e.pk: e for e in Enterprise.objects.select_related("jurisdiction")}
    companies = sorted((Company(e.pk, e.jurisdiction_path.split("/")[2],
                                e.supervision_category) for e in enterprises.values()),
                       key=lambda c: c.id)
    people: dict[int, list[tuple[int, str, str]]] = {}
    for pk, enterprise, kind, name in (ResponsiblePerson.objects.order_by("id")
                                       .values_list("id", "enterprise_id", "kind", "name")):
        people.setdefault(enterprise, []).append((pk, kind, name))
    codes = {*CRITERION_ITEMS.values(), *GENERAL_ITEMS.values(), CRIMINAL_ITEM,
             PRINCIPAL_DUTY_ITEM, CONFISCATION_LEAD[1],
             *(item for table in (TIP_LEADS, REFERRAL_LEADS, ACCIDENT_LEADS, NON_SITE_LEADS)
               for _, item in table)}
    places = {e.jurisdiction_id: e.jurisdiction for e in enterprises.values()}
    thresholds = {pk: large_fine_threshold(place, D(2024, 7, 1))
                  for pk, place in places.items()}
    world = World(
        agencies=agencies, teams=teams, leaders=heads, reviewers=reviewers, users=users,
        enterprises=enterprises, companies=companies,
        company={c.id: c for c in companies}, people=people,
        items=_item_infos(codes),
        days=Days(calendar.load_schedule(), D(2023, 1, 1), D(2026, 6, 30)),
        schedule=calendar.load_schedule(), thresholds=thresholds)
    return world


def _enterprise_users(ctx: DemoContext, world: World, specs: Iterable[CaseSpec]
                      ) -> dict[int, User]:
    """The enterprise users who apply for credit repair: an existing enterprise user of
    the enterprise, else a new one (username q + 统一社会信用代码, unusable password)."""
    wanted = sorted({s.enterprise for s in specs if s.repair})
    found: dict[int, User] = {}
    for user in User.objects.filter(role=Role.ENTERPRISE, enterprise_id__in=wanted,
                                    is_active=True).order_by("id"):
        found.setdefault(user.enterprise_id, user)
    new = []
    for pk in wanted:
        if pk in found:
            continue
        enterprise = world.enterprises[pk]
        user = User(username=f"q{enterprise.uscc}", full_name=world.principal(pk)[1],
                    role=Role.ENTERPRISE, enterprise=enterprise)
        user.set_unusable_password()  # no hashing: `demo_accounts` names its own accounts
        new.append(user)
    created = bulk_create_missing(User, new, key="username")
    ctx.count("用户", len(created))
    ctx.record([(u, "user.created", {"source": "demo", "username": u.username,
                                     "role": u.role, "enterprise": u.enterprise.uscc})
                for u in created])
    for user in User.objects.filter(username__in=[u.username for u in new]):
        found[user.enterprise_id] = user
    return found


# ---------------------------------------------------------------------------------------
# Executing the steps through the services
# ---------------------------------------------------------------------------------------

@dataclass
class _Live:
    """What a case's steps have made so far."""

    case: PenaltyCase | None = None
    parties: dict[int, Any] = field(default_factory=dict)
    decisions: dict[int, PartyDecision] = field(default_factory=dict)
    transfers: dict[str, Transfer] = field(default_factory=dict)
    opinions: list[Any] = field(default_factory=list)
    statement: Any = None
    remedy: Remedy | None = None
    application: CreditRepairApplication | None = None


class Executor:
    def __init__(self, world: World, specs: Sequence[CaseSpec],
                 enterprise_users: dict[int, User], rng: random.Random) -> None:
        self.world, self.specs = world, specs
        self.enterprise_users = enterprise_users
        self.live: dict[int, _Live] = {s.serial: _Live() for s in specs}
        ids = [s.finding for s in specs if s.finding]
        self.findings = Finding.objects.select_related(
            "inspection__jurisdiction", "inspection__enterprise", "inspection__agency",
        ).in_bulk(ids)
        persons = [p.person for s in specs for p in s.parties if p.person]
        self.persons = ResponsiblePerson.objects.in_bulk(persons)
        self.rng = rng  # the way of service only
        self.timing: dict[str, tuple[int, float]] = {}  # step kind → (count, seconds)

    def run(self) -> None:
        steps = sorted(((step.day, spec.serial, step.seq, spec, step)
                        for spec in self.specs for step in spec.steps),
                       key=lambda row: row[:3])
        for day, _serial, _seq, spec, step in steps:
            started = time.perf_counter()
            try:
                getattr(self, f"_{step.kind}")(spec, self.live[spec.serial], step, day)
            except Exception as exc:
                raise RuntimeError(
                    f"演示案件{spec.serial}在{day}的“{step.kind}”失败：{exc}") from exc
            spent = self.timing.get(step.kind, (0, 0.0))
            self.timing[step.kind] = (spent[0] + 1, spent[1] + time.perf_counter() - started)

    # --- helpers -------------------------------------------------------------------------

    def _user(self, pk: int) -> User:
        if pk not in self.world.users:  # an inspecting officer outside the bureaus' teams
            self.world.users[pk] = User.objects.select_related("agency").get(pk=pk)
        return self.world.users[pk]

    def _handler(self, spec: CaseSpec) -> User:
        return self._user(spec.handlers[0])

    def _head(self, spec: CaseSpec) -> User:
        return self.world.leaders[spec.agency]

    def _case(self, live: _Live) -> PenaltyCase:
        assert live.case is not None
        return live.case

    def _move(self, spec: CaseSpec, live: _Live, actor: User, action: str, day: D,
              reason: str = "") -> None:
        case = self._case(live)
        live.case = case_transition(actor=actor, case=case, action=action,
                                    version=case.version, reason=reason, on=day)

    def _write(self, live: _Live, service: Callable[..., Any], **kwargs: Any) -> Any:
        """A write on the case at the version we hold (every case write bumps it once: a
        service that returns the case gives it back saved, the others saved it)."""
        case = self._case(live)
        result = service(case=case, version=case.version, **kwargs)
        if isinstance(result, PenaltyCase):
            live.case = result
        else:
            case.version += 1
        return result

    def _decision(self, live: _Live, i: int) -> PartyDecision:
        return PartyDecision.objects.select_related("party").get(pk=live.decisions[i].pk)

    def _info(self, party: PartySpec) -> ItemInfo:
        return self.world.items[party.item]  # type: ignore[index]

    # --- lead and filing -------------------------------------------------------------------

    def _lead(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        if spec.finding:
            live.case = case_lead_from_finding(actor=self._handler(spec),
                                               finding=self.findings[spec.finding],
                                               item_codes=spec.items, facts=spec.facts)
        else:
            live.case = case_lead_register(
                actor=self._handler(spec), enterprise=self.world.enterprises[spec.enterprise],
                source=spec.source, facts=spec.facts, discovered_on=day,
                item_codes=spec.items, handlers=[self._user(spec.handlers[1])])

    def _details(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._write(live, case_details_set, actor=self._handler(spec),
                    violation_date=spec.violation)

    def _submit_filing(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._handler(spec), "submit_filing", day)

    def _refuse_filing(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._head(spec), "refuse_filing", day,
                   reason="经初步核查，举报反映的问题不属实，不符合立案条件")

    def _approve_filing(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._head(spec), "approve_filing", day)

    # --- investigation -------------------------------------------------------------------

    def _parties(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        for i, party in enumerate(spec.parties):
            live.parties[i] = self._write(
                live, case_party_add, actor=self._handler(spec), kind=party.kind,
                person=self.persons[party.person] if party.person else None)

    def _evidence(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        principal = self.world.principal(spec.enterprise)[1]
        if step.get("number") == 1:
            if spec.source == CaseSource.NON_SITE:
                values = ("electronic", "监测预警系统数据截图及导出记录",
                          "危险化学品安全生产风险监测预警系统", "监测数据中断、报警装置关闭的情况")
            elif spec.source == CaseSource.ACCIDENT:
                values = ("document", "生产安全事故调查报告", "事故调查组",
                          "事故经过、原因及责任认定")
            else:
                values = ("record", "现场检查笔录及现场照片", "执法人员现场检查制作",
                          "现场存在的违法事实")
        else:
            values = ("party_statement", "询问笔录", f"承办人员询问{principal}制作",
                      "当事人对违法事实的陈述")
        kind, name, source, proves = values
        self._write(live, evidence_item_add, actor=self._handler(spec), kind=kind, name=name,
                    source=source, proves=proves, collected_on=step.get("collected"))

    def _transfer(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        kind = step.get("kind")
        police = POLICE[spec.agency if spec.agency == CITY
                        else self.world.company[spec.enterprise].county]
        if kind == Transfer.Kind.DETENTION:
            persons = spec.detention
            facts = (f"{'、'.join(persons)}在{spec.parties[0].name}未取得特种作业操作证从事电焊"
                     f"作业，经责令停止后仍继续作业，涉嫌应予行政拘留，移送公安机关依法处理")
        else:
            persons = [spec.parties[1].name]
            facts = (f"{spec.parties[0].name}主要负责人{persons[0]}擅自决定关闭可燃气体检测报警"
                     f"装置，具有发生重大伤亡事故的现实危险，涉嫌危险作业罪")
        live.transfers[kind] = self._write(
            live, transfer_record, actor=self._handler(spec), kind=kind, receiver=police,
            persons=persons, facts=facts, on=day)

    def _transfer_answer(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        kind = step.get("kind")
        outcome = ("已依法作出行政拘留决定" if kind == Transfer.Kind.DETENTION
                   else "已立案侦查")
        self._write(live, transfer_answer, actor=self._handler(spec),
                    transfer=live.transfers[kind], answer=Transfer.Answer.ACCEPTED,
                    answered_on=day, outcome=outcome)

    def _suspend(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._write(live, case_suspend, actor=self._head(spec),
                    reason=SUSPEND_REASONS[spec.serial % len(SUSPEND_REASONS)], on=day)

    def _resume(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._write(live, case_resume, actor=self._head(spec), on=day)

    def _extend(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._write(live, case_extend, actor=self._head(spec), reason=EXTEND_REASON, on=day)

    def _terminate(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._head(spec), "terminate", day,
                   reason=TERMINATE_REASONS[spec.serial % len(TERMINATE_REASONS)])

    def _penalty_text(self, party: PartySpec) -> str:
        if party.outcome == NO_PENALTY:
            return f"不予行政处罚（{ExemptGround(party.ground).label}）"
        if party.outcome == TRANSFER:
            return "移送公安机关依法处理"
        text = f"罚款人民币{party.fine:,}元"
        if party.confiscation:
            text += f"，没收违法所得人民币{party.confiscation:,}元"
        return text

    def _report(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        unit = spec.parties[0]
        info = self._info(unit)
        lead = f"（线索：{spec.facts.rstrip('。')}）" if spec.facts else ""
        facts = f"经调查，{unit.name}存在{info.name}的违法行为{lead}。"
        proposal = "；".join((f"依据{self._info(p).basis}，" if p.item else "")
                            + f"对{p.name}{self._penalty_text(p)}" for p in spec.parties)
        self._write(live, investigation_report_save, actor=self._handler(spec), date=day,
                    facts=facts, proposal=f"建议{proposal}")

    def _submit_case_review(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._handler(spec), "submit_case_review", day)

    # --- review and decision ---------------------------------------------------------------

    def _propose(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        for i, party in enumerate(spec.parties):
            if party.outcome == TRANSFER:
                fields_: dict[str, Any] = {"reason": "涉嫌危险作业罪，已移送公安机关立案侦查"}
            else:
                info = self._info(party)
                fields_ = {"item_code": party.item, "reason": (
                    f"{party.name}：{info.name}，事实清楚，证据确凿，依据{info.basis}")}
                if party.outcome == NO_PENALTY:
                    fields_.update(exempt_ground=party.ground, waived_amount=party.waived)
                else:
                    fields_.update(measures=party.measures, fine=party.fine,
                                   confiscation=party.confiscation)
            live.decisions[i] = self._write(
                live, party_decision_propose, actor=self._handler(spec),
                party=live.parties[i], outcome=party.outcome, on=day, **fields_)

    def _assess(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        facts = {}
        if spec.collective:
            facts = {"complex": True, "major_violation": True}
        elif spec.review:
            facts = {"multiple_legal_relations": True}
        self._write(live, case_assess, actor=self._handler(spec), facts=facts, on=day)

    def _submit_legal_review(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._handler(spec), "submit_legal_review", day)

    def _opinions(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        reviewer = self.world.reviewers[spec.reviewer]
        chosen = [REVIEW_OPINIONS[(spec.serial + k) % len(REVIEW_OPINIONS)]
                  for k in range(spec.review)]
        live.opinions = [self._write(live, review_opinion_add, actor=reviewer, issue=issue,
                                     law=law, suggestion=suggestion)
                         for issue, law, suggestion in chosen]

    def _conclude(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        conclusion = step.get("conclusion")
        summary = ("建议按审核意见修改完善后重新提交审核" if conclusion == ReviewConclusion.MODIFY
                   else "事实清楚，证据确凿，适用依据正确，程序合法，处理适当，同意")
        self._write(live, legal_review_conclude, actor=self.world.reviewers[spec.reviewer],
                    conclusion=conclusion, summary=summary, on=day)

    def _answers(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        for k, opinion in enumerate(live.opinions):
            self._write(live, review_opinion_answer, actor=self._handler(spec),
                        opinion=opinion, answer=ANSWERS[(spec.serial + k) % len(ANSWERS)],
                        on=day)

    def _submit_approval(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._handler(spec), "submit_approval", day)

    def _submit_collective(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._head(spec), "submit_collective", day)

    def _discussion(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        head = self._head(spec)
        reviewer = self.world.reviewers[CITY]
        attendees = [head.full_name, *DEPUTIES[:3], reviewer.full_name]
        opinions = [{"name": reviewer.full_name,
                     "opinion": "案件已经法制审核，事实清楚，证据确凿，程序合法，同意拟处理意见"},
                    {"name": DEPUTIES[0], "opinion": "违法行为情节严重，同意按拟处理意见处罚"},
                    {"name": head.full_name, "opinion": "同意，按拟处理意见告知当事人"}]
        self._write(live, collective_discussion_record, actor=head, date=day,
                    host=head.full_name, attendees=attendees, opinions=opinions,
                    conclusion="经集体讨论，同意按拟处理意见作出行政处罚决定")

    def _approve_notice(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._head(spec), "approve_notice", day)

    def _notice_served(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._write(live, notice_served, actor=self._handler(spec), served_on=day)

    def _waive(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        for i in spec.penalised:
            if step.get("persons_only") and i == 0:
                continue
            self._write(live, statement_record, actor=self._handler(spec),
                        party=live.parties[i], received_on=day, waived=True)

    def _statement(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        live.statement = self._write(
            live, statement_record, actor=self._handler(spec), party=live.parties[0],
            received_on=day, content=STATEMENTS[spec.serial % len(STATEMENTS)])

    def _statement_review(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._write(live, statement_review, actor=self._handler(spec),
                    statement=live.statement, adopted=False,
                    review=("经复核，当事人提出的整改情况和经营困难已在裁量时考虑，拟处罚数额在法定幅度内"
                            "且过罚相当，陈述申辩理由不成立，不予采纳"))

    def _hearing_request(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._handler(spec), "record_hearing_request", day)

    def _hearing_schedule(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        host = self.world.reviewers.get(spec.agency) or self._head(spec)
        self._write(live, hearing_schedule, actor=self._handler(spec),
                    notice_sent_on=step.get("sent"), hearing_date=step.get("held"),
                    place=f"{self.world.agencies[spec.agency].name}听证室", host=host.full_name)

    def _hearing_report(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._write(live, hearing_report_save, actor=self._handler(spec),
                    record="听证会按程序举行，调查人员提出违法事实、证据和处罚建议，当事人进行申辩和质证，"
                           "并作最后陈述",
                    report="当事人未提出新的事实和证据，违法事实清楚，证据确凿，建议维持拟处理意见",
                    on=day)

    def _decide(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._head(spec), "decide", day)

    def _served(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        i = step.get("party")
        party = spec.parties[i]
        method = self.rng.choices([m for m, _ in SERVICE_METHODS],
                                  weights=[w for _, w in SERVICE_METHODS])[0]
        recipient = (self.world.principal(spec.enterprise)[1] if party.kind == PartyKind.UNIT
                     else party.name)
        self._write(live, decision_served_record, actor=self._handler(spec),
                    decision=live.decisions[i], served_on=day, method=method,
                    recipient=recipient)

    def _serve(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._handler(spec), "serve", day)

    # --- execution -----------------------------------------------------------------------

    def _pay(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        i = step.get("party")
        party = spec.parties[i]
        amount = Decimal(step.get("amount") or party.amount)
        self._write(live, payment_record, actor=self._handler(spec),
                    decision=live.decisions[i], kind="principal", amount=amount, paid_on=day,
                    receipt=f"JX{spec.serial}{i}{step.seq:03d}")
        if step.get("late"):  # the surcharge run up by the late payment, paid with it
            owed = execution_state(self._decision(live, i), day).surcharge_outstanding
            if owed:
                self._write(live, payment_record, actor=self._handler(spec),
                            decision=live.decisions[i], kind="surcharge", amount=owed,
                            paid_on=day, receipt=f"JX{spec.serial}{i}{step.seq:03d}S")

    def _arrangement(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        i = step.get("party")
        schedule = [(due, Decimal(amount)) for due, amount in step.get("schedule")]
        self._write(live, payment_arrangement_approve, actor=self._head(spec),
                    decision=live.decisions[i], kind=PaymentArrangement.Kind.INSTALMENTS,
                    reason="当事人受市场影响经营困难，申请分期缴纳罚款", schedule=schedule, on=day)

    def _court_apply(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        i = step.get("party")
        county = self.world.company[spec.enterprise].county
        self._write(live, court_enforcement_apply, actor=self._head(spec),
                    decision=live.decisions[i], applied_on=day, court=COURTS[county])

    def _court_conclude(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._write(live, court_enforcement_conclude, actor=self._head(spec),
                    decision=live.decisions[step.get("party")], concluded_on=day,
                    outcome="人民法院裁定准予强制执行，罚款已执行到位")

    def _close(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._head(spec), "close", day)

    def _archive(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        self._move(spec, live, self._handler(spec), "archive", day)

    def _publish(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        publicity = Publicity.objects.get(decision_id=live.decisions[step.get("party")].pk)
        publicity_publish(actor=self._handler(spec), publicity=publicity, on=day)

    def _remedy_file(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        county = self.world.company[spec.enterprise].county
        if spec.remedy == "reconsideration":
            kind, body = Remedy.Kind.RECONSIDERATION, GOVERNMENTS[
                CITY if spec.agency == CITY else county]
        else:
            kind, body = Remedy.Kind.LITIGATION, COURTS[county]
        live.remedy = remedy_record(actor=self._handler(spec), decision=live.decisions[0],
                                    kind=kind, filed_on=day, body=body)

    def _remedy_conclude(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        remedy_conclude(actor=self._handler(spec), remedy=live.remedy,
                        result=step.get("result"), decided_on=day)

    def _repair_apply(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        credit = CreditRecord.objects.get(decision_id=live.decisions[0].pk)
        live.application = credit_repair_apply(
            actor=self.enterprise_users[spec.enterprise], credit=credit, on=day,
            statement="已按处罚决定全额缴纳罚款，违法行为已整改到位，并公开作出信用修复承诺")

    def _repair_decide(self, spec: CaseSpec, live: _Live, step: Step, day: D) -> None:
        approve = step.get("approve")
        reason = ("最短公示期已满，已履行行政处罚义务并纠正违法行为，已作出信用修复承诺，准予修复"
                  if approve else "未提交信用修复承诺书，申请材料不齐全，不予修复")
        credit_repair_decide(actor=self._handler(spec), application=live.application,
                             approve=approve, reason=reason, on=day)


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------

def load(ctx: DemoContext) -> None:
    started = time.perf_counter()
    done = {day.year for day in PenaltyCase.objects.filter(discovered_on__year__in=YEARS)
            .dates("discovered_on", "year")}
    if done >= set(YEARS):
        return  # loaded before: nothing to do
    world = _world(ctx)
    specs: list[CaseSpec] = []
    for year in YEARS:
        if year in done:
            continue  # loaded before: leave the year alone
        findings = _findings(world, year)
        specs += Planner(ctx.random(f"cases.{year}"), world, year,
                         targets_for(ctx.enterprises, year), findings).plan()
    if not specs:
        return
    users = _enterprise_users(ctx, world, specs)  # on the record through ctx.record
    before = Event.objects.count()
    planned = time.perf_counter()
    executor = Executor(world, specs, users, ctx.random("cases.service"))
    executor.run()
    for year in sorted({s.year for s in specs}):
        ours = [s for s in specs if s.year == year]
        ctx.count(f"行政处罚案件（{year}年立案）", sum(s.fate != "not_filed" for s in ours))
        ctx.count(f"案件线索（{year}年不予立案）", sum(s.fate == "not_filed" for s in ours))
    ctx.count("信用修复", sum(s.repair == "approved" for s in specs))
    ctx.events += Event.objects.count() - before  # written by the services themselves
    ctx.log(f"  行政处罚案件：{len(specs)}件，规划{planned - started:.1f}秒，"
            f"办理{time.perf_counter() - planned:.1f}秒")
    slowest = sorted(executor.timing.items(), key=lambda row: -row[1][1])[:8]
    ctx.log("  用时最多的步骤：" + "，".join(f"{kind} {n}次{spent:.1f}秒"
                                          for kind, (n, spent) in slowest))
