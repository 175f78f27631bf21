"""The default prose template of the annual rule-of-law report (法治政府建设工作报告),
structured like the bureau's 2024 report: four sections, paragraphs of prose with the
figures as placeholders.

Placeholders: `{{ indicator.id }}` prints the indicator's figure, formatted and marked;
`{{ indicator.id|change }}` prints a year-on-year percent as 上升x% / 下降x% / 持平;
`{{ year }}`, `{{ bureau }}` and `{{ jurisdiction }}` are plain context, not figures.

Every paragraph belongs to a module (the app that owns its figures, or a module not built
yet, named in PENDING_MODULES). A paragraph whose module has no registered indicator, or
one of whose placeholders is not registered, is replaced by a sentence saying the module
has no data yet: never a zero that looks true.

The prose is document content, the default of the per-year template the bureau edits
(stored per year: reports.models.AnnualReportTemplate), not interface text: it is not run
through gettext. It states no fact of its own: what is not a computed figure is left as a
bracketed note for the bureau to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paragraph:
    text: str
    module: str | None = None  # None: prose without figures, always printed


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class ReportTemplate:
    title: str
    intro: tuple[Paragraph, ...]
    sections: tuple[Section, ...]


# Modules of the report not built yet, by the names report_2024.yaml gives them; the
# built ones are named by their app's verbose_name.
PENDING_MODULES: dict[str, str] = {}  # every module of the report is built

P = Paragraph

DEFAULT = ReportTemplate(
    title="{{ bureau }}关于{{ year }}年度法治政府建设工作的报告",
    intro=(
        P("{{ year }}年，{{ bureau }}坚持以习近平新时代中国特色社会主义思想为指导，深入学习"
          "贯彻习近平法治思想，全面推进应急管理领域法治政府建设。现将有关情况报告如下："),
    ),
    sections=(
        Section("一、党政主要负责人履行推进法治建设第一责任人职责情况", (
            P("坚持领导带头学法。全年组织集中学法{{ study.sessions }}次。", "capacity"),
            P("深化应急普法。全市建成省级应急普法基地{{ outreach.bases.provincial }}个、市级"
              "{{ outreach.bases.city }}个、县级{{ outreach.bases.county }}个，服务群众"
              "{{ outreach.visitors }}人次；创作应急普法作品{{ outreach.works }}件，其中"
              "{{ outreach.works.awarded }}件获全国优秀作品奖。", "capacity"),
            P("推进安全生产治本攻坚三年行动。总方案{{ plan.tasks.total }}项任务已完成"
              "{{ plan.tasks.done }}项，完成率{{ plan.tasks.rate }}；子方案"
              "{{ plan.subtasks.total }}项任务已完成{{ plan.subtasks.done }}项，完成率"
              "{{ plan.subtasks.rate }}；重大事故隐患判定标准任务落实到"
              "{{ hazards.major.task_departments }}个部门。", "tasks"),
            P("全年排查发现事故隐患{{ hazards.found }}项，其中重大事故隐患"
              "{{ hazards.major.found }}项，隐患整改率{{ hazards.rectified_rate }}；督改重大"
              "事故隐患{{ hazards.major.supervised }}项。组织专家服务指导危险化学品企业"
              "{{ chemicals.expert_guided }}家，帮扶工贸领域重点企业"
              "{{ industry.key_assisted }}家。", "inspection"),
            P("全市发生生产安全事故{{ accidents.count }}起、死亡{{ accidents.deaths }}人，其中"
              "高速公路事故{{ accidents.highway.count }}起、死亡{{ accidents.highway.deaths }}"
              "人；事故起数同比{{ accidents.count.yoy|change }}，死亡人数同比"
              "{{ accidents.deaths.yoy|change }}。", "accidents"),
            P("依法应对行政争议。全年行政复议被撤销或确认违法{{ reconsideration.overturned }}"
              "件，行政诉讼败诉{{ litigation.lost }}件。", "cases"),
        )),
        Section("二、推进法治政府建设的主要举措和成效", (
            P("推行包容审慎监管。办理非现场执法案件{{ cases.offsite }}件；对轻微违法行为不予"
              "处罚案件{{ cases.exempt }}件，免除罚款{{ cases.exempt.waived_amount }}；帮助"
              "{{ credit.repaired_units }}家企业提前修复处罚信用信息。", "cases"),
            P("严格法制审核。局机关法制审核案件{{ review.legal.cases }}件，提出审核意见"
              "{{ review.legal.opinions }}条；集体讨论决定重大行政处罚案件"
              "{{ review.collective.cases }}件。", "cases"),
            P("规范事故调查。事故调查报告获司法部门法律指导{{ accidents.report_review.guided }}"
              "起，出具书面合法性审查意见{{ accidents.report_review.opinions }}件。",
              "accidents"),
            P("落实公平竞争审查。筛查文件{{ fcr.screened }}件，对可能涉及限制公平竞争的"
              "{{ fcr.reviewed }}件文件严格审查，发现涉限公平竞争情况{{ fcr.violations }}件。"
              "制发行政规范性文件{{ normdocs.issued }}件，清理局机关现行有效规范性文件"
              "{{ normdocs.cleaned.own }}件、以市府办名义制发的规范性文件"
              "{{ normdocs.cleaned.gov }}件。", "policy"),
            P("规范重大行政决策。列入年度目录的重大行政决策事项{{ decisions.catalogued }}项，"
              "履行公众参与、专家论证、风险评估、合法性审查和集体讨论决定程序后作出决定"
              "{{ decisions.adopted }}项、向社会公布{{ decisions.published }}项，开展决策后评估"
              "{{ decisions.evaluated }}次。", "policy"),
            P("优化行政许可服务。开展危险化学品建设项目“三同时”审查"
              "{{ permits.three_simultaneities }}家次，危险化学品生产（使用）许可核发换证变更"
              "{{ permits.production_use }}家次、经营许可核发换证变更{{ permits.operation }}"
              "家次；核发危险化学品企业负责人和安全管理人员证{{ certs.managers }}张、特种作业"
              "人员操作证{{ certs.special_ops }}张；开展新建项目会商咨询服务"
              "{{ projects.consulted }}次，否决高风险化工项目{{ projects.rejected }}个；完成"
              "项目改造提升{{ upgrades.projects }}个，淘汰更新设备{{ upgrades.equipment }}"
              "套（台）。", "licensing"),
            P("强化化工园区安全监管。全市化工园区{{ parks.total }}个，其中较低安全风险等级"
              "园区{{ parks.risk.lower }}个、一般安全风险等级园区{{ parks.risk.general }}个。",
              "subjects"),
            P("严格规范执法。全年开展执法检查{{ inspections.count }}家次。", "inspection"),
            P("查处违法案件{{ cases.count }}件，其中“一案双罚”案件{{ cases.dual_penalty }}件，"
              "罚没款{{ cases.fines_confiscations }}；移交公安部门行政拘留"
              "{{ transfers.detention.persons }}人，非事故类行刑衔接案件"
              "{{ transfers.criminal.cases }}起、涉案{{ transfers.criminal.persons }}人；"
              "线上办案率{{ cases.online_rate }}。", "cases"),
            P("夯实执法依据。梳理行政执法事项{{ legal.items }}项，制定地方性法规行政处罚自由"
              "裁量基准{{ legal.local_benchmarks }}项。", "legal"),
            P("推进政务公开和执法监督。局网站发布信息{{ portal.posts }}条，聘请行政执法社会"
              "监督员{{ oversight.supervisors }}名。", "oversight"),
            P("畅通举报和依申请公开渠道。收到安全生产举报{{ oversight.tips.received }}件，核查"
              "属实{{ oversight.tips.verified }}件，对{{ oversight.tips.rewarded }}件举报给予奖励，"
              "发放举报奖励{{ oversight.rewards.paid }}；收到政府信息公开申请"
              "{{ oversight.disclosure.requests }}件，按时答复率"
              "{{ oversight.disclosure.on_time_rate }}。", "oversight"),
            P("加强法治队伍建设。市县两级法制机构设置率{{ staff.legal_units.rate }}，法制审核员"
              "配备率{{ staff.reviewers.rate }}，具有法律职业资格的法制审核员比例"
              "{{ staff.reviewers.qualified_rate }}；聘请常年法律顾问{{ staff.advisors }}名，"
              "市局机关公职律师{{ staff.public_lawyers.bureau }}名、全市应急管理系统公职律师"
              "{{ staff.public_lawyers.city }}名，市县两级部门公职律师覆盖率"
              "{{ staff.public_lawyers.coverage }}。", "capacity"),
        )),
        Section("三、存在的不足", (
            P("（请根据本年度工作实际填写存在的不足。）"),
        )),
        Section("四、下一年度工作思路", (
            P("（请根据下一年度工作安排填写工作思路。）"),
        )),
    ),
)
