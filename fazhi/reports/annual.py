"""The annual rule-of-law report (法治政府建设工作报告): every registered indicator
evaluated for a year, printed into the bureau's prose template as a .docx, and exported as
a table (.xlsx) for checking.

Marking: every computed figure in the prose is a bold run on a grey highlight followed by
a superscript 〔n〕, n being its row in the closing table (附表) that gives the exact value,
the scope and the definition. Bold survives printing; the highlight shows the editor, on
screen, which digits come from the records and must not be retyped (it can be cleared
before the report is issued); the 〔n〕 leads from a figure to its definition.

A figure whose indicator carries a caveat (待补充: the records cannot give it yet) is not
printed as a number: a yellow-highlighted 【待补充：…】 note stands in its place and in
the table, so a 0 that only means "not entered" never reads as a fact.

The prose comes from the bureau's stored template of the year (`AnnualReportTemplate`,
edited as text: `reports.prose`) or, when there is none, from `default_template.DEFAULT`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from fazhi.core.models import Agency, Jurisdiction
from fazhi.core.xlsx import ledger_bytes, ledger_workbook
from fazhi.reports import prose
from fazhi.reports.default_template import DEFAULT, PENDING_MODULES, Paragraph, ReportTemplate
from fazhi.reports.registry import Indicator, Kind, Period, Value, all_indicators

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*(?:\|\s*(\w+)\s*)?\}\}")
FIGURE_HIGHLIGHT = WD_COLOR_INDEX.GRAY_25
PENDING_HIGHLIGHT = WD_COLOR_INDEX.YELLOW
WAN = Decimal(10000)
FEN = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    """One indicator's figure (统计数字) for the report's year and jurisdiction."""

    id: str
    label: str
    value: Value
    unit: str
    kind: Kind
    scope: str
    module: str  # app label of the indicator's module, e.g. "cases"
    definition: str
    decimals: int = 1
    caveat: str = ""  # why the records cannot give this figure yet (待补充)

    @property
    def text(self) -> str:
        """The figure as the prose prints it."""
        if self.caveat:
            return pending_note(self.caveat)
        return format_value(self.kind, self.value)

    @property
    def exact(self) -> str:
        """The exact value (the table's column): Decimals keep their digits."""
        if self.caveat:
            return _("待补充")
        return str(self.value) if isinstance(self.value, int) else format(self.value, "f")


# --- formatting ---------------------------------------------------------------------------

def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_amount(yuan: Decimal) -> str:
    """Money as Chinese reports write it: 23648500 → “2364.85万元”, 472600 → “47.26万元”,
    50000 → “5万元”; below ten thousand in yuan: 8500 → “8500元”, 8500.5 → “8500.50元”.
    万元 are rounded half up to two places (the closing table keeps the exact yuan)."""
    yuan = Decimal(yuan)
    if abs(yuan) >= WAN:
        return _plain((yuan / WAN).quantize(FEN, rounding=ROUND_HALF_UP)) + "万元"
    yuan = yuan.quantize(FEN, rounding=ROUND_HALF_UP)
    return (str(int(yuan)) if yuan == yuan.to_integral_value() else format(yuan, "f")) + "元"


def format_value(kind: Kind, value: Value) -> str:
    """A figure in prose: counts as plain integers (“1404”, no thousands separator, as
    the bureau's reports write them), amounts by `format_amount`, percentages with the
    indicator's decimals (already applied by `Indicator.evaluate`) and “%”."""
    if kind == "count":
        return str(int(value))
    if kind == "amount_yuan":
        return format_amount(Decimal(value))
    if kind == "percent":
        return f"{format(Decimal(value), 'f')}%"
    return format(Decimal(value), "f")


def format_change(value: Value) -> str:
    """A year-on-year percent in words: -9.2 → “下降9.2%”, 3.0 → “上升3.0%”, 0 → “持平”.
    The registry gives 0.0 when the previous year had nothing, so “持平” then too."""
    number = Decimal(value)
    if number > 0:
        return _("上升%(p)s%%") % {"p": format(number, "f")}
    if number < 0:
        return _("下降%(p)s%%") % {"p": format(-number, "f")}
    return _("持平")


def pending_note(caveat: str) -> str:
    """What the prose prints in place of a figure with a caveat."""
    return _("【待补充：%(caveat)s】") % {"caveat": caveat}


FILTERS: dict[str, Callable[[Figure], str]] = {
    "change": lambda figure: format_change(figure.value),
}


# --- figures ------------------------------------------------------------------------------

def module_of(indicator: Indicator) -> str:
    config = apps.get_containing_app_config(indicator.compute.__module__)
    return config.label if config else indicator.compute.__module__


def module_name(module: str) -> str:
    if module in PENDING_MODULES:
        return PENDING_MODULES[module]
    try:
        return str(apps.get_app_config(module).verbose_name)
    except LookupError:
        return module


def report_figures(year: int, jurisdiction: Jurisdiction) -> list[Figure]:
    """Every registered indicator evaluated for the year, in registration order."""
    period = Period.for_year(year)
    return [
        Figure(id=ind.id, label=str(ind.label), value=ind.evaluate(period, jurisdiction),
               unit=str(ind.unit), kind=ind.kind, scope=ind.scope, module=module_of(ind),
               definition=str(ind.definition), decimals=ind.decimals,
               caveat=str(ind.caveat))
        for ind in all_indicators()
    ]


def bureau_name(jurisdiction: Jurisdiction) -> str:
    """The emergency-management bureau (应急管理局) of the jurisdiction's own level."""
    agency = Agency.objects.filter(
        jurisdiction=jurisdiction,
        kind__in=(Agency.Kind.CITY_BUREAU, Agency.Kind.COUNTY_BUREAU)).first()
    return agency.name if agency else f"{jurisdiction.name}应急管理局"


def scope_name(scope: str) -> str:
    return _("局机关本级") if scope == "bureau" else _("辖区全域")


def no_data_sentence(module: str) -> str:
    return _("【%(module)s】相关业务模块尚未建成，系统暂无该部分数据，本段请据实填写或删除。") % {
        "module": module_name(module)}


# --- the .docx ----------------------------------------------------------------------------

def _font(run, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _context_text(text: str, context: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: context.get(m.group(1), m.group(0)), text)


def _missing_module(paragraph: Paragraph, figures: dict[str, Figure],
                    modules: set[str]) -> str | None:
    """The module that has no data for this paragraph (None: it can be printed): that of
    its first figure not registered, or its own module when that has no figure at all."""
    if paragraph.module is None:
        return None
    missing = [i for i in prose.figure_ids(paragraph.text) if i not in figures]
    if missing:
        return prose.default_modules().get(missing[0], paragraph.module)
    return None if paragraph.module in modules else paragraph.module


def _write_paragraph(out: DocxParagraph, text: str, figures: dict[str, Figure],
                     rows: dict[str, int], context: dict[str, str]) -> None:
    position = 0
    for match in PLACEHOLDER.finditer(text):
        _font(out.add_run(text[position:match.start()]), "仿宋", 16)
        position = match.end()
        name, filter_name = match.group(1), match.group(2)
        if name in context:
            _font(out.add_run(context[name]), "仿宋", 16)
            continue
        figure = figures[name]
        if filter_name and filter_name not in FILTERS:
            raise ValueError(f"未知的格式：{filter_name}（{name}）")
        if figure.caveat:
            run = out.add_run(figure.text)
            _font(run, "仿宋", 16)
            run.font.highlight_color = PENDING_HIGHLIGHT
        else:
            run = out.add_run(FILTERS[filter_name](figure) if filter_name else figure.text)
            _font(run, "仿宋", 16, bold=True)
            run.font.highlight_color = FIGURE_HIGHLIGHT
        mark = out.add_run(f"〔{rows[name]}〕")
        _font(mark, "仿宋", 10)
        mark.font.superscript = True
    _font(out.add_run(text[position:]), "仿宋", 16)


def render_docx(year: int, jurisdiction: Jurisdiction,
                template: ReportTemplate = DEFAULT, *,
                figures: list[Figure] | None = None) -> bytes:
    """The year's report for the jurisdiction as .docx bytes (see the module docstring
    for how figures are marked). `figures`: those already evaluated, to reuse."""
    all_figures = report_figures(year, jurisdiction) if figures is None else figures
    by_id = {figure.id: figure for figure in all_figures}
    rows = {figure.id: n for n, figure in enumerate(all_figures, start=1)}
    modules = {figure.module for figure in all_figures}
    context = {"year": str(year), "bureau": bureau_name(jurisdiction),
               "jurisdiction": jurisdiction.name}

    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(_context_text(template.title, context)), "宋体", 22, bold=True)
    note = document.add_paragraph()
    _font(note.add_run(_(
        "说明：文中加粗并以灰色底纹标示的数字由系统根据业务记录自动统计，右上角序号对应文末"
        "附表中的指标、口径和统计定义。")), "楷体", 12)

    def paragraphs(items: tuple[Paragraph, ...]) -> None:
        for item in items:
            out = document.add_paragraph()
            out.paragraph_format.first_line_indent = Pt(32)
            missing = _missing_module(item, by_id, modules)
            if missing is None:
                _write_paragraph(out, item.text, by_id, rows, context)
            else:
                _font(out.add_run(no_data_sentence(missing)), "仿宋", 16)

    paragraphs(template.intro)
    for section in template.sections:
        _font(document.add_paragraph().add_run(section.heading), "黑体", 16)
        paragraphs(section.paragraphs)

    _font(document.add_paragraph().add_run(_("附表：系统统计指标（%(year)s年，%(place)s）") % {
        "year": year, "place": jurisdiction.name}), "黑体", 16)
    headers = (_("序号"), _("指标编号"), _("指标"), _("数值"), _("单位"), _("口径"),
               _("统计定义"))
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for figure in all_figures:
        cells = table.add_row().cells
        values = (str(rows[figure.id]), figure.id, figure.label, figure.exact, figure.unit,
                  scope_name(figure.scope), figure.definition)
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- the .xlsx ----------------------------------------------------------------------------

def figures_xlsx(year: int, jurisdiction: Jurisdiction, *,
                 figures: list[Figure] | None = None) -> bytes:
    """The year's figures as a ledger sheet, one row per indicator, values as numbers."""
    headers = [_("指标编号"), _("指标"), _("数值"), _("单位"), _("口径"), _("所属模块"),
               _("统计定义"), _("说明")]
    wb, ws = ledger_workbook(_("统计指标"), headers, (28, 30, 16, 8, 12, 14, 80, 40))
    for figure in report_figures(year, jurisdiction) if figures is None else figures:
        # a figure with a caveat has no value to check: its cell stays empty
        ws.append([figure.id, figure.label, None if figure.caveat else figure.value,
                   figure.unit, scope_name(figure.scope), module_name(figure.module),
                   figure.definition, pending_note(figure.caveat) if figure.caveat else ""])
    return ledger_bytes(wb, ws, headers, text_columns=(headers[0],))
