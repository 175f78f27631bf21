"""The demo slice of normative documents, cleanups and major decisions of the city bureau
(嘉兴市应急管理局), called by `fazhi.policy.demo.load`.

- Documents issued 2016–2023 (the bureau's own and the city government office's on the
  bureau's drafts), registered as they stand (issued before the platform); a few have
  already lapsed or been repealed.
- The three documents of 2024, each taken through the whole workflow by the services
  (legality review with itemised opinions, fair-competition review, collective
  deliberation, signing with its allocated number, publication, entry into force).
- The 2024 cleanup of six of the bureau's documents in force and of five issued by the
  city government office, concluded (results applied) and published.
- The 2024 catalogue of major decisions with 《嘉兴市危险化学品企业安全设施变更管理规定》
  through all five statutory steps and adopted; the same rules are one of the three
  documents of 2024.

The figures of the report (normdocs.issued 3, normdocs.cleaned.own 6, .gov 5,
decisions.adopted 1) follow from these records; nothing is stored as a total.
Idempotent: every part looks for its natural key (number, title, campaign title,
catalogue year) first. Texts avoid fair-competition cues, so the three reviews carry
no flags and stay out of `fcr.reviewed` (H-fcr's 48 close reviews are the archive's)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from fazhi.core.demo import DemoContext
from fazhi.core.models import Agency, DocumentCounter, User
from fazhi.policy import services_decisions as dsvc
from fazhi.policy import services_normdocs as svc
from fazhi.policy.models_decisions import DecisionCatalogue, MajorDecision
from fazhi.policy.models_normdocs import (
    CleanupCampaign,
    CleanupOutcome,
    DocIssuer,
    DocStatus,
    NormativeDocument,
)
from fazhi.policy.services_fcr import fcr_review_conclude

D = datetime.date
CITY = "330400"
USERS = ("officer", "reviewer", "leader")  # the core demo's city-bureau accounts


@dataclass(frozen=True)
class Past:
    """A document issued before the platform."""

    number: str
    title: str
    issuer: str
    published_on: datetime.date
    status: str = DocStatus.IN_FORCE
    ended_on: datetime.date | None = None
    end_reason: str = ""
    cleanup: str = ""          # the 2024 cleanup result, "" = not in the cleanup
    cleanup_reason: str = ""


B, G = DocIssuer.BUREAU, DocIssuer.GOV_OFFICE
C = CleanupOutcome
PAST: tuple[Past, ...] = (
    Past("嘉安监规〔2016〕2号", "嘉兴市生产经营单位安全生产主体责任规定实施细则", B, D(2016, 6, 20),
         DocStatus.EXPIRED, D(2021, 7, 19), "有效期届满"),
    Past("嘉安监规〔2018〕1号", "嘉兴市危险化学品安全管理若干规定", B, D(2018, 4, 11),
         DocStatus.REPEALED, D(2022, 3, 1), "机构改革后职责调整，予以废止"),
    Past("嘉应急规〔2019〕1号", "嘉兴市安全生产行政处罚自由裁量基准适用规定", B, D(2019, 9, 6),
         cleanup=C.INVALIDATE, cleanup_reason="已被省级统一裁量基准取代"),
    Past("嘉应急规〔2020〕1号", "嘉兴市危险化学品重大危险源企业专家指导服务办法", B, D(2020, 5, 15),
         cleanup=C.CONTINUE),
    Past("嘉应急规〔2020〕2号", "嘉兴市安全生产约谈实施办法", B, D(2020, 10, 9),
         cleanup=C.AMEND, cleanup_reason="与新修订的安全生产法衔接，需调整约谈情形"),
    Past("嘉应急规〔2021〕1号", "嘉兴市工贸企业有限空间作业安全管理规定", B, D(2021, 8, 2),
         cleanup=C.CONTINUE),
    Past("嘉应急规〔2022〕1号", "嘉兴市烟花爆竹零售经营布点规划管理办法", B, D(2022, 1, 10),
         cleanup=C.REPEAL, cleanup_reason="布点规划职责已调整，办法不再适用"),
    Past("嘉应急规〔2023〕1号", "嘉兴市应急管理行政执法案件移送规定", B, D(2023, 3, 20),
         cleanup=C.CONTINUE),
    Past("嘉应急规〔2023〕2号", "嘉兴市自然灾害应急避难场所管理办法", B, D(2023, 11, 6)),
    Past("嘉政办发〔2015〕58号",
         "嘉兴市人民政府办公室关于进一步加强危险化学品安全生产工作的意见", G, D(2015, 10, 12),
         cleanup=C.INVALIDATE, cleanup_reason="主要任务已完成，宣布失效"),
    Past("嘉政办发〔2017〕41号", "嘉兴市人民政府办公室关于加强烟花爆竹安全管理工作的通知", G,
         D(2017, 12, 1), cleanup=C.REPEAL, cleanup_reason="已被新的管理规定替代"),
    Past("嘉政办发〔2019〕33号",
         "嘉兴市人民政府办公室关于印发嘉兴市生产安全事故应急预案管理办法的通知", G, D(2019, 8, 26),
         cleanup=C.CONTINUE),
    Past("嘉政办发〔2020〕25号", "嘉兴市人民政府办公室关于全面加强化工园区安全管理的实施意见", G,
         D(2020, 7, 3), cleanup=C.AMEND, cleanup_reason="化工园区认定管理要求已更新"),
    Past("嘉政办发〔2022〕17号", "嘉兴市人民政府办公室关于推进安全生产责任保险工作的通知", G,
         D(2022, 6, 15), cleanup=C.CONTINUE),
    Past("嘉政办发〔2023〕9号", "嘉兴市人民政府办公室关于加强危险化学品道路运输安全管理的通知", G,
         D(2023, 4, 18)),
)


def _text(title: str, articles: list[str]) -> str:
    numbers = "一二三四五六七八九十"
    lines = [title]
    lines += [f"第{numbers[i]}条 {body}" for i, body in enumerate(articles)]
    return "\n".join(lines)


@dataclass(frozen=True)
class New:
    """A document of 2024 through the whole workflow. Dates: drafted, sent for legality
    review, review concluded, fair-competition review concluded, deliberated, signed,
    published, effective."""

    title: str
    articles: tuple[str, ...]
    drafted: datetime.date
    legality: tuple[datetime.date, datetime.date, str]
    opinions: tuple[tuple[str, str, bool, str], ...]
    fcr: datetime.date
    deliberated: datetime.date
    signed: datetime.date
    published: datetime.date
    effective: datetime.date


DECISION_TITLE = "嘉兴市危险化学品企业安全设施变更管理规定"
NEW: tuple[New, ...] = (
    New(DECISION_TITLE, (
        "为规范危险化学品企业安全设施变更管理，防范生产安全事故，根据《中华人民共和国安全生产法》"
        "《危险化学品安全管理条例》等法律法规，制定本规定。",
        "危险化学品生产、使用企业安全设施的变更管理，适用本规定。",
        "企业是安全设施变更管理的责任主体，应当建立变更管理制度，明确变更的申请、审批、实施和验收程序。",
        "安全设施发生重大变更的，企业应当组织开展安全条件论证和安全设施设计审查，变更完成后组织验收。",
        "应急管理部门依法对企业安全设施变更管理情况实施监督检查。",
        "本规定自2024年7月1日起施行，有效期5年。"),
        D(2024, 2, 20), (D(2024, 4, 22), D(2024, 5, 6), "amend"),
        (("第四条", "“重大变更”范围不明确，建议列举情形或引用国家标准", True, "已增加附件列明情形"),
         ("第五条", "监督检查依据应当引用具体条款", True, "已补充安全生产法相关条款")),
        D(2024, 5, 8), D(2024, 5, 10), D(2024, 5, 15), D(2024, 5, 20), D(2024, 7, 1)),
    New("嘉兴市工贸企业粉尘涉爆作业安全管理规定", (
        "为加强工贸企业粉尘涉爆作业安全管理，根据《工贸企业粉尘防爆安全规定》，制定本规定。",
        "粉尘涉爆企业应当落实粉尘清扫制度，如实记录清扫时间和人员。",
        "企业应当对除尘系统进行定期检查和维护，发现隐患及时整改。",
        "本规定自2024年8月1日起施行。"),
        D(2024, 6, 3), (D(2024, 6, 10), D(2024, 6, 17), "legal"), (),
        D(2024, 6, 19), D(2024, 6, 25), D(2024, 6, 28), D(2024, 7, 1), D(2024, 8, 1)),
    New("嘉兴市生产经营单位安全生产教育培训管理办法", (
        "为规范生产经营单位安全生产教育和培训，提高从业人员安全素质，根据《中华人民共和国安全生产法》，"
        "制定本办法。",
        "生产经营单位应当建立安全生产教育和培训档案，如实记录培训的时间、内容、参加人员和考核结果。",
        "未经安全生产教育和培训合格的从业人员，不得上岗作业。",
        "本办法自2024年10月20日起施行。"),
        D(2024, 8, 12), (D(2024, 8, 19), D(2024, 8, 28), "amend"),
        (("第三条", "建议增加“被派遣劳动者”“实习学生”的培训要求", False,
          "上位法已有明确规定，本办法不再重复"),),
        D(2024, 8, 30), D(2024, 9, 10), D(2024, 9, 13), D(2024, 9, 20), D(2024, 10, 20)),
)

OWN_CAMPAIGN = "2024年度局机关行政规范性文件清理"
GOV_CAMPAIGN = "2024年度以市政府办公室名义印发的规范性文件清理（本局起草部分）"
CLEANUP = (D(2024, 9, 2), D(2024, 11, 15), D(2024, 11, 22))  # started, concluded, published


def load(ctx: DemoContext) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=USERS)
             .select_related("agency__jurisdiction")}
    if len(users) < len(USERS):
        return
    agency = users["officer"].agency
    if agency is None or agency.jurisdiction.code != CITY:
        return
    with transaction.atomic():
        _load_past(ctx, agency)
        _load_decision(ctx, agency, users)
        for spec in NEW:
            _load_new(ctx, agency, users, spec)
        _load_cleanup(ctx, agency, users["officer"], OWN_CAMPAIGN, DocIssuer.BUREAU)
        _load_cleanup(ctx, agency, users["officer"], GOV_CAMPAIGN, DocIssuer.GOV_OFFICE)


def _load_past(ctx: DemoContext, agency: Agency) -> None:
    existing = set(NormativeDocument.objects.filter(agency=agency).values_list("number",
                                                                               flat=True))
    new = []
    for p in PAST:
        if p.number in existing:
            continue
        effective = p.published_on + datetime.timedelta(days=30)
        new.append(NormativeDocument(
            agency=agency, issuer=p.issuer, title=p.title, number=p.number, status=p.status,
            text=_text(p.title, ["（文件正文略，见公布原件。）"]),
            drafted_on=p.published_on - datetime.timedelta(days=60),
            signed_on=p.published_on - datetime.timedelta(days=5), published_on=p.published_on,
            published_where="市应急管理局门户网站" if p.issuer == B else "市政府门户网站",
            effective_on=effective, valid_years=5, ended_on=p.ended_on,
            end_reason=p.end_reason, jurisdiction_path=agency.jurisdiction.path))
    if not new:
        return
    NormativeDocument.objects.bulk_create(new)
    new = list(NormativeDocument.objects.filter(agency=agency,
                                                number__in=[d.number for d in new]))
    for doc in new:
        doc.lineage_id = doc.pk
    NormativeDocument.objects.bulk_update(new, ["lineage"])
    # the bureau's own series of those years continues after these numbers
    last: dict[int, int] = {}
    for p in PAST:
        if p.number.startswith(agency.doc_prefix + "规"):
            year = int(p.number.split("〔")[1][:4])
            serial = int(p.number.split("〕")[1].rstrip("号"))
            last[year] = max(last.get(year, 0), serial)
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(agency=agency, doc_type="normative_document", year=y, last_number=n)
         for y, n in last.items()], ignore_conflicts=True)
    ctx.count("行政规范性文件（存量）", len(new))
    ctx.record([(d, "policy.normdoc.created", {"source": "demo", "number": d.number,
                                               "status": d.status}) for d in new])


def _load_new(ctx: DemoContext, agency: Agency, users: dict[str, User], spec: New) -> None:
    if NormativeDocument.objects.filter(agency=agency, title=spec.title,
                                        version_no=1).exists():
        return
    officer, reviewer, leader = users["officer"], users["reviewer"], users["leader"]
    doc = svc.normdoc_create(actor=officer, title=spec.title, drafted_on=spec.drafted,
                             text=_text(spec.title, list(spec.articles)))
    sent, concluded, conclusion = spec.legality
    doc = svc.normdoc_transition(actor=officer, document=doc, move="submit_legality", on=sent)
    review = doc.legality_reviews.get()
    for clause, opinion, adopted, response in spec.opinions:
        item = svc.legality_opinion_add(actor=reviewer, review=review, clause=clause,
                                        opinion=opinion)
        svc.legality_opinion_answer(actor=officer, opinion=item, adopted=adopted,
                                    response=response)
    svc.legality_review_conclude(actor=reviewer, review=review, conclusion=conclusion,
                                 summary="经审查，制定主体、权限、程序和内容符合法律法规规定。",
                                 concluded_on=concluded)
    doc = svc.normdoc_transition(actor=officer, document=doc, move="submit_fcr",
                                 on=concluded + datetime.timedelta(days=1))
    at = datetime.datetime.combine(spec.fcr, datetime.time(15, 0), tzinfo=svc.SHANGHAI)
    fcr_review_conclude(actor=reviewer, review=doc.fcr_review, conclusion="compliant",
                        justification="不涉及市场准入和退出、商品要素自由流动、影响生产经营"
                                      "成本和生产经营行为，符合公平竞争审查标准。", at=at)
    doc = svc.normdoc_transition(actor=officer, document=doc, move="submit_deliberation",
                                 on=spec.fcr)
    doc = svc.normdoc_deliberation_record(
        actor=officer, document=doc, deliberated_on=spec.deliberated, meeting="局长办公会议",
        minutes="会议听取起草说明和合法性审查、公平竞争审查情况，同意印发。")
    doc = svc.normdoc_transition(actor=leader, document=doc, move="sign", on=spec.signed)
    doc = svc.normdoc_transition(actor=officer, document=doc, move="publish",
                                 on=spec.published, published_on=spec.published,
                                 effective_on=spec.effective,
                                 published_where="市应急管理局门户网站")
    if doc.status == DocStatus.PUBLISHED:
        svc.normdoc_transition(actor=officer, document=doc, move="take_effect",
                               on=spec.effective)
    ctx.count("行政规范性文件（2024年制发）", 1)


def _load_cleanup(ctx: DemoContext, agency: Agency, officer: User, title: str,
                  issuer: str) -> None:
    if CleanupCampaign.objects.filter(agency=agency, title=title).exists():
        return
    specs = {p.number: p for p in PAST if p.issuer == issuer and p.cleanup}
    docs = list(NormativeDocument.objects.filter(agency=agency, number__in=specs,
                                                 version_no=1))
    started, concluded, published = CLEANUP
    campaign = svc.cleanup_campaign_open(
        actor=officer, title=title, issuer=issuer, started_on=started, documents=docs,
        basis="按照省、市关于开展行政规范性文件清理工作的部署，对现行有效文件逐件审查。")
    for row in campaign.results.select_related("document"):
        spec = specs[row.document.number]
        svc.cleanup_result_record(actor=officer, row=row, result=spec.cleanup,
                                  reason=spec.cleanup_reason)
    svc.cleanup_campaign_conclude(actor=officer, campaign=campaign, concluded_on=concluded)
    svc.cleanup_campaign_publish(actor=officer, campaign=campaign, published_on=published)
    ctx.count("规范性文件清理", 1)


def _load_decision(ctx: DemoContext, agency: Agency, users: dict[str, User]) -> None:
    officer, reviewer, leader = users["officer"], users["reviewer"], users["leader"]
    if DecisionCatalogue.objects.filter(agency=agency, year=2024).exists():
        return
    catalogue = dsvc.catalogue_create(actor=officer, year=2024, published_on=D(2024, 2, 5))
    decision = dsvc.decision_add(
        actor=officer, catalogue=catalogue, title=DECISION_TITLE,
        undertaker="危险化学品安全监督管理处", planned_by="2024年5月",
        summary="规范危险化学品企业安全设施变更的申请、论证、设计审查、实施和验收，明确企业主体责任"
                "和部门监管职责。")
    dsvc.decision_step_record(
        actor=officer, decision=decision, kind="public", started_on=D(2024, 3, 1),
        completed_on=D(2024, 4, 3), comment_from=D(2024, 3, 1), comment_until=D(2024, 3, 31),
        summary="在市应急管理局门户网站和“浙里办”公开征求意见稿及起草说明，并召开企业座谈会。")
    step = decision.steps.get(kind="public")
    for day, source, content, adopted, response in (
            (D(2024, 3, 8), "企业", "建议明确一般变更与重大变更的区分标准", True,
             "已在第四条及附件中列明"),
            (D(2024, 3, 15), "行业协会", "建议给予企业适当的过渡期", True, "施行日期定为7月1日"),
            (D(2024, 3, 27), "公众", "建议变更信息向社会公开", False,
             "涉及企业生产工艺信息，不宜全部公开；按规定公开监督检查结果")):
        dsvc.decision_comment_add(actor=officer, step=step, received_on=day, source=source,
                                  content=content, adopted=adopted, response=response)
    dsvc.decision_step_record(
        actor=officer, decision=decision, kind="expert", started_on=D(2024, 4, 8),
        completed_on=D(2024, 4, 8), participants="化工工艺、设备、仪表、电气、法律专家各1名",
        summary="召开专家论证会，论证规定的必要性、可行性和科学性，专家意见均已研究吸收。")
    dsvc.decision_step_record(
        actor=officer, decision=decision, kind="risk", started_on=D(2024, 4, 10),
        completed_on=D(2024, 4, 20), risk_level="low",
        summary="委托第三方开展社会稳定风险评估，评估结论为低风险，风险可控。")
    dsvc.decision_step_record(
        actor=reviewer, decision=decision, kind="legality", started_on=D(2024, 4, 22),
        completed_on=D(2024, 5, 6), legality="legal",
        summary="政策法规处出具合法性审查意见书，认为决策草案符合法律法规规定。")
    dsvc.decision_step_record(
        actor=officer, decision=decision, kind="collective", started_on=D(2024, 5, 10),
        completed_on=D(2024, 5, 10), meeting="局长办公会议",
        participants="局领导班子成员，相关处室负责人列席",
        summary="会议讨论决策草案，同意出台，由主要负责人作出决定。")
    decision = MajorDecision.objects.get(pk=decision.pk)
    dsvc.decision_adopt(actor=leader, decision=decision, adopted_on=D(2024, 5, 10),
                        decision_text="同意出台《嘉兴市危险化学品企业安全设施变更管理规定》，"
                                      "按行政规范性文件程序印发。")
    dsvc.decision_publish(actor=officer, decision=decision, published_on=D(2024, 5, 20),
                          published_where="市应急管理局门户网站")
    ctx.count("重大行政决策", 1)
