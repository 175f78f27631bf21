"""Citations: the laws the engine applies, each in a named version, and the
`Citation` every answered element carries.

A law's key (APL, WSL, ...) follows `../shared/reference/procedure.yaml`. Versions are
named by the year of the text in force; `LawVersion.in_force_on` tells which one
governs a date (the engine chooses by the dates it is given: 行政处罚法 第三十七条)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class LawVersion:
    key: str
    name: str
    version: str  # "2021": the text as revised/enacted that year
    effective: datetime.date
    repealed: datetime.date | None = None  # the first day it no longer applies

    def in_force_on(self, day: datetime.date) -> bool:
        return self.effective <= day and (self.repealed is None or day < self.repealed)


@dataclass(frozen=True)
class Citation:
    law: str  # full name, e.g. 中华人民共和国行政处罚法
    version: str
    article: str  # 第六十三条 / 第六十三条第一款第（三）项
    applies_to: str  # the answered element it supports, e.g. "hearing_rights"

    def as_dict(self) -> dict[str, str]:
        return {"law": self.law, "version": self.version, "article": self.article,
                "applies_to": self.applies_to}


def cite(law: LawVersion, article: str, applies_to: str) -> Citation:
    return Citation(law=law.name, version=law.version, article=article, applies_to=applies_to)


D = datetime.date

# 中华人民共和国行政处罚法: 1996 text, amended 2009/2017; fully revised 2021-01-22, in
# force 2021-07-15 (articles renumbered).
APL_2017 = LawVersion("APL", "中华人民共和国行政处罚法", "2017", D(1996, 10, 1), D(2021, 7, 15))
APL = LawVersion("APL", "中华人民共和国行政处罚法", "2021", D(2021, 7, 15))
# 中华人民共和国安全生产法: 2014 amendment in force 2014-12-01; 2021 amendment in force
# 2021-09-01 (fines raised).
WSL_2014 = LawVersion("WSL", "中华人民共和国安全生产法", "2014", D(2014, 12, 1), D(2021, 9, 1))
WSL = LawVersion("WSL", "中华人民共和国安全生产法", "2021", D(2021, 9, 1))
ACL = LawVersion("ACL", "中华人民共和国行政强制法", "2011", D(2012, 1, 1))
ARL_2017 = LawVersion("ARL", "中华人民共和国行政复议法", "2017", D(1999, 10, 1), D(2024, 1, 1))
ARL = LawVersion("ARL", "中华人民共和国行政复议法", "2023", D(2024, 1, 1))
ALL = LawVersion("ALL", "中华人民共和国行政诉讼法", "2017", D(2017, 7, 1))
CIVIL_CODE = LawVersion("CIVIL_CODE", "中华人民共和国民法典", "2020", D(2021, 1, 1))
ACCIDENT_REG = LawVersion("ACCIDENT_REG", "生产安全事故报告和调查处理条例", "2007",
                          D(2007, 6, 1))


def version_in_force(versions: tuple[LawVersion, ...], day: datetime.date) -> LawVersion:
    """The version of a law in force on `day` (ValueError when none was)."""
    for law in versions:
        if law.in_force_on(day):
            return law
    raise ValueError(f"{versions[0].name}于{day:%Y年%m月%d日}尚未施行")


# --- added for fazhi.legal.rules.procedure -------------------------------------------
# 中华人民共和国立法法: 法不溯及既往 and its exception (the basis of 从旧兼从轻 before the
# 2021 行政处罚法 wrote it down as 第三十七条). 2000 text 第八十四条; 2015 amendment
# (in force 2015-03-15) 第九十三条; 2023 amendment (in force 2023-03-15) 第一百零四条.
LEGISLATION_LAW_2000 = LawVersion("LEGISLATION_LAW", "中华人民共和国立法法", "2000",
                                  D(2000, 7, 1), D(2015, 3, 15))
LEGISLATION_LAW_2015 = LawVersion("LEGISLATION_LAW", "中华人民共和国立法法", "2015",
                                  D(2015, 3, 15), D(2023, 3, 15))
# 安全生产违法行为行政处罚办法 (原国家安全监管总局令第15号, 2015 令第77号修正, in force
# 2015-05-01); repealed from 2026-02-01 by 应急管理部令第18号 (procedure.yaml, medium).
EM_PENALTY_RULE_2015 = LawVersion("EM_PENALTY_RULE", "安全生产违法行为行政处罚办法", "2015",
                                  D(2015, 5, 1), D(2026, 2, 1))
# 行政执法机关移送涉嫌犯罪案件的规定 (国务院令第310号, 2020-08-07 修订).
TRANSFER_REG = LawVersion("TRANSFER_REG", "行政执法机关移送涉嫌犯罪案件的规定", "2020",
                          D(2020, 8, 7))
# 最高人民法院、最高人民检察院关于办理危害生产安全刑事案件适用法律若干问题的解释
# (法释〔2015〕22号, in force 2015-12-16).
WORK_SAFETY_CRIMINAL_INTERP = LawVersion(
    "WORK_SAFETY_CRIMINAL_INTERP",
    "最高人民法院、最高人民检察院关于办理危害生产安全刑事案件适用法律若干问题的解释",
    "2015", D(2015, 12, 16))


# --- added for fazhi.legal.rules.deadlines -------------------------------------------
# 中华人民共和国行政诉讼法, 2014 amendment (2014-11-01 通过, in force 2015-05-01): 第四十六条
# six months to sue, as in the 2017 text (ALL above).
ALL_2014 = LawVersion("ALL", "中华人民共和国行政诉讼法", "2014", D(2015, 5, 1), D(2017, 7, 1))
# 最高人民法院关于适用《中华人民共和国行政诉讼法》的解释 (法释〔2018〕1号, in force
# 2018-02-08): 第六十四条, one year outer limit when the time to sue was not stated.
ALL_INTERP = LawVersion("ALL_INTERP", "最高人民法院关于适用《中华人民共和国行政诉讼法》的解释",
                        "2018", D(2018, 2, 8))
# 国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的
# 指导意见 (国办发〔2018〕118号, 2018-12-05 印发; procedure.yaml confidence medium): penalty
# decisions publicised within 7 working days.
STATE_COUNCIL_3_SYSTEMS = LawVersion(
    "STATE_COUNCIL_3_SYSTEMS",
    "国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见",
    "2018", D(2018, 12, 5))


# --- added for fazhi.legal.rules.discretion and fazhi.legal.rules.exemptions --------
# 应急管理行政裁量权基准暂行规定 (应急管理部令第12号, 2023-11-01公布, 2024-01-01施行):
# 第三条 a benchmark must conform to the 种类、幅度 set by laws, regulations and rules.
EM_DISCRETION_RULE = LawVersion("EM_DISCRETION_RULE", "应急管理行政裁量权基准暂行规定", "2023",
                                D(2024, 1, 1))
# 国家发展改革委办公厅关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复
# 机制的通知 (发改办财金〔2019〕527号), applied from 2019-07-01; replaced on 2023-05-01.
CREDIT_REPAIR_2019 = LawVersion(
    "CREDIT_REPAIR",
    "国家发展改革委办公厅关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知",
    "2019", D(2019, 7, 1), D(2023, 5, 1))
# 失信行为纠正后的信用信息修复管理办法（试行）(国家发展改革委令第58号, 2023-05-01施行),
# replaced on 2026-04-01 by 信用修复管理办法 (国家发展改革委令2025年第36号).
CREDIT_REPAIR_2023 = LawVersion("CREDIT_REPAIR", "失信行为纠正后的信用信息修复管理办法（试行）",
                                "2023", D(2023, 5, 1), D(2026, 4, 1))
CREDIT_REPAIR_2025 = LawVersion("CREDIT_REPAIR", "信用修复管理办法", "2025", D(2026, 4, 1))
