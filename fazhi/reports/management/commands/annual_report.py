"""Write the annual rule-of-law report (法治政府建设工作报告) of a year as .docx, and its
figures as .xlsx for checking; the consistency checks are printed first.

    python manage.py annual_report --year 2024 --jurisdiction 330400 -o report.docx \\
        [--xlsx figures.xlsx] [--strict]

--strict: refuse to write anything when the figures contradict each other.
The prose is the bureau's stored template of the year for the jurisdiction (edited on
/reports/annual/), or the default template when none is stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from fazhi.core.models import Jurisdiction
from fazhi.reports.annual import figures_xlsx, render_docx, report_figures
from fazhi.reports.consistency import find_contradictions
from fazhi.reports.selectors import annual_template_for


class Command(BaseCommand):
    help = "Write the annual rule-of-law report (.docx) and its figures (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="报告年度，如 2024")
        parser.add_argument("--jurisdiction", required=True,
                            help="行政区划代码，如 330400（嘉兴市）")
        parser.add_argument("-o", "--output", required=True, help="报告文件（.docx）")
        parser.add_argument("--xlsx", default="", help="另存统计指标表（.xlsx）")
        parser.add_argument("--strict", action="store_true",
                            help="发现相互矛盾的数字时不输出文件")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 1949 <= year <= 9998:
            raise CommandError(_("报告年度无效：%(year)s") % {"year": year})
        code: str = options["jurisdiction"].strip()
        jurisdiction = Jurisdiction.objects.filter(code=code).first()
        if jurisdiction is None:
            raise CommandError(_("行政区划代码不存在：%(code)s") % {"code": code})
        figures = report_figures(year, jurisdiction)
        problems = find_contradictions({f.id: f.value for f in figures},
                                       {f.id: f.label for f in figures})
        if problems:
            self.stderr.write(_("一致性校验发现 %(n)s 处矛盾：") % {"n": len(problems)})
            for problem in problems:
                self.stderr.write(f"  - {problem}")
            if options["strict"]:
                raise CommandError(_("存在相互矛盾的数字，未输出文件（去掉 --strict 可照常输出）"))
        else:
            self.stdout.write(_("一致性校验：未发现矛盾"))
        template, stored = annual_template_for(year, jurisdiction)
        self.stdout.write(_("报告模板：%(which)s") % {"which": _(
            "本年度已保存的模板（%(by)s 保存于 %(at)s）") % {
                "by": stored.updated_by, "at": f"{stored.updated_at:%Y-%m-%d %H:%M}"}
            if stored else _("默认模板")})
        output = Path(options["output"])
        output.write_bytes(render_docx(year, jurisdiction, template, figures=figures))
        self.stdout.write(_("已写入报告：%(path)s") % {"path": output})
        if options["xlsx"]:
            xlsx = Path(options["xlsx"])
            xlsx.write_bytes(figures_xlsx(year, jurisdiction, figures=figures))
            self.stdout.write(_("已写入统计指标表：%(path)s") % {"path": xlsx})
