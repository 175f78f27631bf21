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
