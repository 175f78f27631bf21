"""Load a year's official holiday schedule from a text file, as the admin form does:

    python manage.py calendar_load_year --year 2027 --file schedule.txt [--actor admin]

One day (or holiday range) a line: `2027-01-01 休 元旦`, `2027-02-07 班 春节`,
`2027-10-01至2027-10-07 休 国庆节`. The year's existing schedule is replaced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.models import CalendarYear, User
from fazhi.core.rules.calendar import HOLIDAY, ScheduleParseError, parse_year_schedule
from fazhi.core.services.calendar import calendar_year_load


class Command(BaseCommand):
    help = "载入某一年度的国务院办公厅节假日安排（整体替换该年度已有安排）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度，如 2027")
        parser.add_argument("--file", type=Path, required=True,
                            help="UTF-8 文本文件，每行如“2027-01-01 休 元旦”")
        parser.add_argument("--note", default="", help="说明，如通知文号")
        parser.add_argument("--actor", default="",
                            help="记入执法全过程记录的操作人用户名（可选）")

    def handle(self, *args: Any, year: int, file: Path, note: str, actor: str,
               **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取文件{file}：{exc}") from exc
        user = None
        if actor:
            user = User.objects.filter(username=actor).first()
            if user is None:
                raise CommandError(f"用户“{actor}”不存在")
        try:
            days = parse_year_schedule(year, text)
            calendar_year_load(actor=user, year=year, days=days,
                               source=CalendarYear.Source.ADMIN, note=note)
        except ScheduleParseError as exc:
            raise CommandError("节假日安排有误：\n" + "\n".join(exc.errors)) from exc
        except ValidationError as exc:
            raise CommandError("节假日安排有误：\n" + "\n".join(exc.messages)) from exc
        holidays = sum(1 for _, kind, _ in days if kind == HOLIDAY)
        self.stdout.write(self.style.SUCCESS(
            f"已载入{year}年节假日安排：放假（工作日）{holidays}天，"
            f"调休上班{len(days) - holidays}天"))
