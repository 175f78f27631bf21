"""The reports app stores no figures (they are computed from the records each time); it
stores only the prose the bureau writes around them: the annual report's template per
year and jurisdiction (年度法治政府建设工作报告模板)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction


class AnnualReportTemplate(models.Model):
    """The bureau's edited prose of one year's report for one jurisdiction, as the text
    officers edit (format: `fazhi.reports.prose`), figures as placeholders. When a year
    has no row, the default template (`reports.default_template.DEFAULT`) applies."""

    year = models.PositiveSmallIntegerField(
        _("报告年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("行政区划"),
                                     on_delete=models.PROTECT,
                                     related_name="annual_report_templates")
    title = models.CharField(_("报告标题"), max_length=200)
    body = models.TextField(_("模板正文"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"),
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度报告模板")
        verbose_name_plural = _("年度报告模板")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["year", "jurisdiction"],
                                    name="reports_template_one_per_year_and_area"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.name} {self.year}年 {self.title}"
