#!/usr/bin/env python
"""A few users, enterprises and parks in a scratch database, for scripts/screenshots.sh.

Only for throw-away databases (FAZHI_VAR_DIR pointing at a temporary directory): it
writes rows directly, without the event record. The real demo city is `make demo`.
Running it twice changes nothing.
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings.local")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from fazhi.core.models import (  # noqa: E402
    Agency,
    CalendarYear,
    EnforcementCertificate,
    Jurisdiction,
    Role,
    User,
)
from fazhi.subjects.models import ChemicalPark, Enterprise, SupervisionCategory  # noqa: E402

PASSWORD = "Shots-2024-only"


def place(code: str, name: str, level: str, parent: Jurisdiction | None) -> Jurisdiction:
    return Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent})[0]


def main() -> None:
    today = timezone.localdate()
    zj = place("330000", "浙江省", "province", None)
    city = place("330400", "嘉兴市", "city", zj)
    nanhu = place("330402", "南湖区", "county", city)
    xiuzhou = place("330411", "秀洲区", "county", city)
    town = place("330402001", "解放街道", "town", nanhu)
    bureau = Agency.objects.get_or_create(name="嘉兴市应急管理局", defaults={
        "kind": "city_bureau", "jurisdiction": city, "doc_prefix": "嘉应急"})[0]
    county = Agency.objects.get_or_create(name="嘉兴市南湖区应急管理局", defaults={
        "kind": "county_bureau", "jurisdiction": nanhu, "doc_prefix": "南应急",
        "parent": bureau})[0]

    park = ChemicalPark.objects.get_or_create(name="嘉兴港区化工新材料园区", defaults={
        "jurisdiction": nanhu, "risk_level": "higher",
        "assessed_on": datetime.date(today.year - 1, 11, 20)})[0]
    ChemicalPark.objects.get_or_create(name="秀洲高新化工园区", defaults={
        "jurisdiction": xiuzhou, "risk_level": "general"})
    categories = [c for c, _ in SupervisionCategory.choices]
    enterprises = []
    for n in range(1, 15):
        head = f"91{(nanhu if n % 3 else town).code[:6]}{n:08d}X"[:17]
        head = head[:-1] + "0"
        code = head + uscc.calc_check_digit(head)
        enterprises.append(Enterprise.objects.get_or_create(uscc=code, defaults={
            "name": f"嘉兴市示例{['化工', '机械', '纺织', '物流'][n % 4]}有限公司{n}",
            "address": f"南湖区示例路{n}号", "jurisdiction": town if n % 3 == 0 else nanhu,
            "industry_code": "C2614", "supervision_category": categories[n % 5 % len(categories)],
            "park": park if n % 4 == 0 else None})[0])

    def user(username: str, role: str, **kw) -> User:
        found = User.objects.filter(username=username).first()
        if found:
            return found
        return User.objects.create_user(username=username, password=PASSWORD, role=role, **kw)

    officer = user("officer", Role.OFFICER, full_name="张执法", agency=county)
    expired = user("officer_expired", Role.OFFICER, full_name="李过期", agency=county)
    user("leader", Role.LEADER, full_name="王科长", agency=county)
    user("reviewer", Role.REVIEWER, full_name="赵审核", agency=bureau)
    user("admin", Role.ADMIN, full_name="钱管理", agency=bureau, is_staff=True,
         is_superuser=True)
    user("enterprise", Role.ENTERPRISE, full_name="孙安全员", enterprise=enterprises[0])
    user("supervisor", Role.SUPERVISOR, full_name="周监督", supervised_jurisdiction=nanhu)
    EnforcementCertificate.objects.get_or_create(number="33040210001", defaults={
        "holder": officer, "valid_from": today - datetime.timedelta(days=1000),
        "valid_to": today + datetime.timedelta(days=60)})
    EnforcementCertificate.objects.get_or_create(number="33040210002", defaults={
        "holder": expired, "valid_from": today - datetime.timedelta(days=2000),
        "valid_to": today - datetime.timedelta(days=3)})
    CalendarYear.objects.get_or_create(year=today.year, defaults={"source": "chinese_calendar"})
    print(f"screenshot data ready: {Enterprise.objects.count()} enterprises, "
          f"{User.objects.count()} users")


if __name__ == "__main__":
    main()
