"""The fair-competition slice of the demo city (公平竞争审查, report_2024.yaml module
policy): the city bureau's archive of 7,251 documents issued since 2009, one batch
screening run in September 2024 over all of them in which the engine flags 48 documents,
and the close review (严格审查) of each of the 48, concluded in 2024 with no violation
(the flags dismissed with reasons, or 适用例外 with its purpose, reason and period).

So `indicators --year 2024 --jurisdiction 330400` gives fcr.screened 7251,
fcr.reviewed 48 and fcr.violations 0 — computed from these records. A small demo
(fewer than 12,000 enterprises) keeps a proportional archive (at least 480 documents)
with the same 48 flagged and reviewed documents.

Demo choices (no report figure): documents up to 2018 were issued by the former
嘉兴市安全生产监督管理局 (嘉安监…), the bureau's predecessor, from 2019 by the
嘉兴市应急管理局 (嘉应急…); each text is a short notice built from ordinary clauses the
engine passes; 48 of them carry one of the look-alike clauses below, which the engine
flags and the reviewer clears. The screening runs through the same code as the
background job (`services_fcr.screen_documents` / `result_rows`), so the 48 flags are
the engine's, not typed in. Deterministic (`ctx.random("policy.fcr")`) and idempotent:
an existing archive or run is left alone."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction

from fazhi.core.demo import CITY, DEFAULT_ENTERPRISES, DemoContext, bulk_create_missing
from fazhi.core.models import Agency, User
from fazhi.core.services.events import record_events
from fazhi.policy import services_fcr as svc
from fazhi.policy.models_fcr import (
    ArchivedDocument,
    FcrConclusion,
    FcrFlag,
    FcrReview,
    FcrSource,
    FlagDecision,
    ScreeningResult,
    ScreeningRun,
)

TZ = ZoneInfo("Asia/Shanghai")
ARCHIVE_SIZE = 7_251
FLAGGED = 48
FIRST_YEAR, LAST_YEAR = 2009, 2024
RUN_LABEL = "2024年存量文件公平竞争审查筛查"
RUN_AT = datetime.datetime(2024, 9, 2, 9, 30, tzinfo=TZ)
RUN_DONE_AT = datetime.datetime(2024, 9, 2, 9, 32, tzinfo=TZ)
LAST_DAY_OF_2024 = 240  # 2024 documents in the archive were issued before the run
REVIEWER = "reviewer"

OLD_ISSUER, OLD_PREFIX = "嘉兴市安全生产监督管理局", "嘉安监"  # until 2018

TOPICS = [
    "开展{y}年“安全生产月”活动", "做好{y}年汛期安全防范工作", "加强危险化学品安全管理",
    "开展粉尘防爆专项治理", "做好{y}年元旦春节期间安全生产工作", "开展有限空间作业专项整治",
    "加强烟花爆竹安全监管", "开展{y}年安全生产大检查", "做好高温天气安全防范工作",
    "推进工贸企业安全生产标准化建设", "推进双重预防机制建设", "做好台风防御工作",
    "组织开展生产安全事故应急演练", "加强特种作业人员培训考核管理",
    "开展危险化学品重大危险源专项检查", "做好{y}年国庆期间安全生产工作",
    "开展冬季安全生产隐患排查", "开展安全生产执法检查", "做好森林防火工作",
    "加强建设项目安全设施“三同时”监督管理", "开展安全生产宣传“五进”活动",
    "报送{y}年安全生产工作总结", "做好防汛抢险物资储备工作", "加强安全生产举报工作",
    "开展化工园区安全整治提升", "做好安全生产统计工作", "开展安全生产执法案卷评查",
    "做好应急值守和信息报送工作", "开展油气管道安全隐患排查", "加强小微企业安全生产帮扶",
]
KINDS = [  # (document-type mark, title pattern, issuer suffix)
    ("发", "关于{t}的通知", ""), ("办", "关于{t}的通知", "办公室"),
    ("函", "关于{t}的函", ""), ("发", "关于印发{y}年安全生产工作要点的通知", ""),
]
CLAUSES = [
    "为贯彻落实《中华人民共和国安全生产法》，进一步做好{t}工作，现将有关事项通知如下。",
    "一、提高思想认识。各地、各有关单位要充分认识做好此项工作的重要性，切实落实安全生产责任。",
    "二、突出工作重点。要组织开展隐患排查治理，对发现的问题建立台账，落实整改措施、责任、时限。",
    "三、加强监督检查。各级应急管理部门要加大执法检查力度，依法查处安全生产违法行为。",
    "四、做好信息报送。请各县（市、区）应急管理局于{d}前将工作情况报送市局。",
    "五、严格值班值守。各单位要严格执行领导带班和24小时值班制度，确保信息畅通。",
    "六、加强宣传教育。要通过多种形式宣传安全生产法律法规，提高从业人员安全意识。",
]


@dataclass(frozen=True)
class LookAlike:
    """A clause the engine flags that a close review clears, and how it is cleared."""

    clause: str
    conclusion: str       # compliant (flags dismissed) or exception (flags confirmed)
    reason: str           # the reviewer's note on each flag
    justification: str = ""
    purpose: str = ""     # FCR-12-n for an exception


LOOK_ALIKES = [
    LookAlike("市级应急救援物资由市应急管理局指定的储备仓库集中存放、统一调拨。",
              "compliant", "“指定”的对象是政府自有储备仓库的存放地点，不涉及限定经营者。"),
    LookAlike("全市危险化学品重大危险源监测预警系统统一由市应急管理局组织建设和运维。",
              "compliant", "系统由政府部门建设并免费供企业接入，不向企业收费，不限定企业采购。"),
    LookAlike("各县（市、区）应急管理局要安排常驻值班人员，确保应急指挥畅通。",
              "compliant", "系机关内部值班安排，不涉及经营者的经济活动。"),
    LookAlike("市应急管理局与市气象局建立信息共享机制，共享灾害天气预警和应急物资价格信息。",
              "compliant", "信息在政府部门之间共享，用于应急保障，不在经营者之间交换价格信息。"),
    LookAlike("安全生产标准化达标奖励资金的分配方案由局务会议研究确定后向社会公布。",
              "compliant", "奖励按已公布的达标等级统一确定，所有达标企业均可申请，"
              "受益者不是特定经营者。"),
    LookAlike("本市及外地危险货物运输企业的车辆进入市区，均须提前报备行驶路线。",
              "compliant", "报备要求对本地、外地运输企业同样适用，系危险货物道路运输安全管理，"
              "不构成对外地经营者的歧视性要求。"),
    LookAlike("防汛抢险期间应急物资采购中，本地供应商在同等条件下优先，以保证两小时内送达现场。",
              "exception", "确有限制外地供应商的效果。",
              "为救灾救助的社会公共利益（第十二条第（三）项）：汛期抢险物资须在两小时内送达，"
              "目前没有对公平竞争影响更小的替代方案；仅适用于防汛应急响应期间，期满后评估。",
              "FCR-12-3"),
    LookAlike("自然灾害应急响应期间，受灾群众临时安置点的生活物资统一由市应急物资储备中心供应。",
              "exception", "确有限定供应主体的效果。",
              "为救灾救助（第十二条第（三）项）：应急响应期间保障安置点物资供应，无更小影响的替代"
              "方案；以应急响应终止为终止条件，最长至下述期限。", "FCR-12-3"),
]
EXCEPTION_UNTIL = datetime.date(2026, 12, 31)


def archive_size(ctx: DemoContext) -> int:
    """7,251 on the full demo; a small demo (fewer than 12,000 enterprises) keeps a
    proportional archive, never fewer than ten documents per flagged one."""
    if ctx.enterprises >= DEFAULT_ENTERPRISES:
        return ARCHIVE_SIZE
    return max(FLAGGED * 10, ARCHIVE_SIZE * ctx.enterprises // DEFAULT_ENTERPRISES)


def _year_counts(size: int) -> dict[int, int]:
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    weights = [100 + 4 * (y - FIRST_YEAR) for y in years]
    counts = {y: size * w // sum(weights) for y, w in zip(years, weights, strict=True)}
    counts[LAST_YEAR] += size - sum(counts.values())
    return counts


def _documents(ctx: DemoContext, agency: Agency) -> list[ArchivedDocument]:
    rng = ctx.random("policy.fcr")
    docs: list[ArchivedDocument] = []
    for year, count in _year_counts(archive_size(ctx)).items():
        old = year <= 2018
        issuer = OLD_ISSUER if old else agency.name
        prefix = OLD_PREFIX if old else agency.doc_prefix
        serials: dict[str, int] = {}
        span = LAST_DAY_OF_2024 if year == LAST_YEAR else 365
        days = sorted(rng.randrange(0, span) for _ in range(count))
        for day in days:
            mark, title_pattern, suffix = rng.choice(KINDS)
            serials[mark] = serials.get(mark, 0) + 1
            topic = rng.choice(TOPICS).format(y=year)
            issued = datetime.date(year, 1, 1) + datetime.timedelta(days=day)
            due = issued + datetime.timedelta(days=20)
            picked = sorted(rng.sample(range(1, len(CLAUSES)), 3))
            text = "".join([CLAUSES[0].format(t=topic.replace(f"{year}年", ""))]
                           + [CLAUSES[i].format(d=f"{due.month}月{due.day}日")
                              for i in picked])
            docs.append(ArchivedDocument(
                agency=agency, jurisdiction_path=agency.jurisdiction.path,
                number=f"{prefix}{mark}〔{year}〕{serials[mark]}号",
                title=title_pattern.format(t=topic, y=year), issuer=issuer + suffix,
                issued_on=issued, text=text))
    # The look-alike clause goes into 48 documents spread over the years.
    for n, index in enumerate(sorted(rng.sample(range(len(docs)), FLAGGED))):
        doc = docs[index]
        doc.text += LOOK_ALIKES[n % len(LOOK_ALIKES)].clause
    return docs


def _look_alike(text: str) -> LookAlike:
    return next(la for la in LOOK_ALIKES if la.clause in text)


def load(ctx: DemoContext) -> None:
    agency = Agency.objects.select_related("jurisdiction").filter(
        jurisdiction__code=CITY[0], kind=Agency.Kind.CITY_BUREAU).first()
    reviewer = User.objects.filter(username=REVIEWER).first()
    if agency is None or reviewer is None:
        return
    with transaction.atomic():
        _load_archive(ctx, agency)
        run = _load_run(ctx, agency, reviewer)
        if run is not None:
            _load_reviews(run, reviewer)


def _load_archive(ctx: DemoContext, agency: Agency) -> None:
    new = bulk_create_missing(ArchivedDocument, _documents(ctx, agency), key="number",
                              batch_size=2000)
    ctx.count("存量文件", len(new))
    ctx.record([(d, "policy.archive.created", {"source": "demo", "number": d.number})
                for d in new])


def _load_run(ctx: DemoContext, agency: Agency, actor: User) -> ScreeningRun | None:
    if ScreeningRun.objects.filter(agency=agency, label=RUN_LABEL).exists():
        return None
    run = ScreeningRun(agency=agency, label=RUN_LABEL, started_by=actor, created_at=RUN_AT,
                       engine_version=svc.engine.ENGINE_VERSION,
                       status=ScreeningRun.Status.DONE, finished_at=RUN_DONE_AT)
    run.save()
    documents = list(ArchivedDocument.objects.filter(agency=agency).order_by("pk")
                     .values_list("pk", "text"))
    rows = svc.result_rows(run, svc.screen_documents(documents, cache={}))
    ScreeningResult.objects.bulk_create(rows, batch_size=2000)
    run.documents, run.flagged = len(rows), sum(1 for r in rows if r.flag_count)
    run.save(update_fields=["documents", "flagged"])
    ctx.count("公平竞争审查筛查批次", 1)
    ctx.record([
        (run, "policy.fcr_run.start", {"source": "demo", "label": run.label}),
        (run, "policy.fcr_run.finish", {"source": "demo", "documents": run.documents,
                                        "flagged": run.flagged}),
    ])
    return run


def _load_reviews(run: ScreeningRun, reviewer: User) -> None:
    """The close review of every flagged document, two opened a day from the day after
    the run, each concluded ten days later: the flags are the engine's (screened again,
    as `fcr_review_open` does), each dismissed or confirmed with the look-alike's reason,
    the conclusion as `fcr_review_conclude` requires it (tested). Bulk-created with the
    same events the services write, in the reviewer's name."""
    flagged = list(run.results.filter(flag_count__gt=0).select_related("document")
                   .order_by("document__issued_on", "pk"))
    plans: list[tuple[FcrReview, LookAlike]] = []
    for n, result in enumerate(flagged):
        opened = RUN_DONE_AT + datetime.timedelta(days=1 + n // 2, hours=1 + n % 2)
        look_alike = _look_alike(result.document.text)
        exception = look_alike.conclusion == FcrConclusion.EXCEPTION
        plans.append((FcrReview(
            agency=run.agency, jurisdiction_path=run.jurisdiction_path,
            title=result.document.title, text=result.document.text, source=FcrSource.ARCHIVE,
            document=result.document, run=run, opened_by=reviewer, created_at=opened,
            engine_version=svc.engine.ENGINE_VERSION,
            concluded_at=opened + datetime.timedelta(days=10),
            conclusion=look_alike.conclusion,
            justification=look_alike.justification or "经逐条审查，提示条款不构成排除、限制竞争。",
            exception_purpose=look_alike.purpose,
            exception_until=EXCEPTION_UNTIL if exception else None, reviewer=reviewer,
        ), look_alike))
    FcrReview.objects.bulk_create([review for review, _ in plans])
    flags: list[FcrFlag] = []
    events: list = []
    for review, look_alike in plans:
        found = svc.engine.screen(review.text)
        decision = (FlagDecision.CONFIRMED if look_alike.conclusion == FcrConclusion.EXCEPTION
                    else FlagDecision.DISMISSED)
        decided_at = review.created_at + datetime.timedelta(days=7)
        flags += [FcrFlag(review=review, standard=f.standard, start=f.start, end=f.end,
                          cue=f.cue[:200], explanation=f.explanation, clause=f.clause,
                          decision=decision, note=look_alike.reason, decided_by=reviewer,
                          decided_at=decided_at) for f in found]
        events.append((review, "policy.fcr_review.open", {
            "title": review.title, "source": review.source, "document": review.document_id,
            "engine": review.engine_version, "flags": [f.standard for f in found]}))
        events += [(review, "policy.fcr_review.flag", {
            "standard": f.standard, "decision": decision, "note": look_alike.reason})
            for f in found]
        events.append((review, "policy.fcr_review.conclude", {
            "conclusion": review.conclusion, "justification": review.justification,
            "exception_purpose": review.exception_purpose,
            "exception_until": review.exception_until,
            "confirmed": [f.standard for f in found] if decision == FlagDecision.CONFIRMED
            else []}))
    FcrFlag.objects.bulk_create(flags)
    record_events(actor=reviewer, entries=events)
