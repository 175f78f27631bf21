"""The annual report: formatting of figures, the .docx read back with python-docx against
the indicators evaluated on a small demo world (200 enterprises, loaded once for the
module), the no-data sentence of modules not built yet, the .xlsx, the consistency checks
and the `annual_report` command."""

from __future__ import annotations

import io
import itertools
import re
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from fazhi.core.models import Jurisdiction
from fazhi.reports.annual import (
    FIGURE_HIGHLIGHT,
    PLACEHOLDER,
    figures_xlsx,
    format_amount,
    format_change,
    format_value,
    no_data_sentence,
    pending_note,
    render_docx,
)
from fazhi.reports.consistency import find_contradictions
from fazhi.reports.default_template import DEFAULT, PENDING_MODULES, Paragraph, ReportTemplate
from fazhi.reports.default_template import Section as TemplateSection
from fazhi.reports.registry import Period, all_indicators, get_indicator, isolated_registry

YEAR = 2024
REPORT = Path(settings.BASE_DIR).parent / "shared" / "reference" / "report_2024.yaml"
MARK = re.compile(r"^〔(\d+)〕$")


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """A 200-enterprise demo, loaded once in a transaction rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", enterprises=200, stdout=io.StringIO())
            yield Jurisdiction.objects.get(code="330400")
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _expected(indicator_id: str, jurisdiction: Jurisdiction):
    return get_indicator(indicator_id).evaluate(Period.for_year(YEAR), jurisdiction)


def _read(data: bytes) -> tuple[list[str], list[tuple[str, str]], dict[int, list[str]]]:
    """(paragraph texts, [(marked figure text, 〔n〕 row)], {row number: table cells})."""
    document = docx.Document(io.BytesIO(data))
    marked: list[tuple[str, str]] = []
    for paragraph in document.paragraphs:
        runs = paragraph.runs
        for run, following in itertools.pairwise(runs):
            if run.bold and run.font.highlight_color == FIGURE_HIGHLIGHT:
                assert following.font.superscript and MARK.match(following.text)
                marked.append((run.text, MARK.match(following.text).group(1)))
    table = document.tables[0]
    rows = {int(row.cells[0].text): [c.text for c in row.cells] for row in table.rows[1:]}
    return [p.text for p in document.paragraphs], marked, rows


def _report_rows() -> list[dict]:
    """The report's figures (id, module): report_2024.yaml when it lies beside the clone,
    else the registered indicators (the landed modules' figures, a superset of the
    report's: the template prints every registered figure)."""
    if REPORT.exists():
        return yaml.safe_load(REPORT.read_text())["indicators"]
    from fazhi.reports.annual import module_of
    return [{"id": ind.id, "module": module_of(ind)} for ind in all_indicators()]


def _landed_modules() -> set[str]:
    from fazhi.reports.annual import module_of
    return {module_of(indicator) for indicator in all_indicators()}


# --- formatting and definitions -------------------------------------------------------------

def test_amounts_are_written_in_wan_yuan_as_the_report_does():
    assert format_amount(Decimal("23648500.00")) == "2364.85万元"
    assert format_amount(Decimal("472600")) == "47.26万元"
    assert format_amount(Decimal("50000")) == "5万元"
    assert format_amount(Decimal("472649")) == "47.26万元"
    assert format_amount(Decimal("472650")) == "47.27万元"  # half up
    assert format_amount(Decimal("8500")) == "8500元"
    assert format_amount(Decimal("8500.5")) == "8500.50元"


def test_counts_percentages_and_changes():
    assert format_value("count", 1404) == "1404"
    assert format_value("percent", Decimal("100.0")) == "100.0%"
    assert format_value("percent", Decimal("77.78")) == "77.78%"
    assert format_value("amount_yuan", Decimal("472600.00")) == "47.26万元"
    assert format_change(Decimal("-9.2")) == "下降9.2%"
    assert format_change(Decimal("3.0")) == "上升3.0%"
    assert format_change(Decimal("0.0")) == "持平"


def test_every_indicator_states_its_definition_in_chinese():
    for indicator in all_indicators():
        assert re.search(r"[\u4e00-\u9fff]", str(indicator.definition)), indicator.id


def test_the_default_template_prints_every_landed_figure_of_the_2024_report():
    landed = _landed_modules()
    wanted = {row["id"] for row in _report_rows() if row["module"] in landed}
    placed = {m.group(1) for section in DEFAULT.sections for p in section.paragraphs
              for m in PLACEHOLDER.finditer(p.text)}
    assert wanted <= placed
    # a paragraph of a landed module never falls back to "no data" through a typo
    registered = {indicator.id for indicator in all_indicators()}
    for section in DEFAULT.sections:
        for paragraph in section.paragraphs:
            if paragraph.module in landed:
                ids = {m.group(1) for m in PLACEHOLDER.finditer(paragraph.text)}
                assert ids <= registered, ids - registered


# --- the .docx on the demo world ------------------------------------------------------------

@pytest.mark.django_db
def test_report_prints_every_figure_marked_and_equal_to_its_indicator(city):
    texts, marked, rows = _read(render_docx(YEAR, city))
    assert texts[0] == f"嘉兴市应急管理局关于{YEAR}年度法治政府建设工作的报告"
    assert not any("{{" in text or "}}" in text for text in texts)

    # the closing table: every registered figure, exact value, in registration order
    indicators = all_indicators()
    assert [rows[n][1] for n in sorted(rows)] == [ind.id for ind in indicators]
    for cells in rows.values():
        value = _expected(cells[1], city)
        if get_indicator(cells[1]).caveat:  # no figure yet: never a number that looks true
            assert cells[3] == "待补充"
            continue
        assert cells[3] == (str(value) if isinstance(value, int) else format(value, "f"))

    # every marked figure in the prose equals its indicator, formatted
    seen = set()
    for text, row in marked:
        indicator_id = rows[int(row)][1]
        value = _expected(indicator_id, city)
        if indicator_id.endswith(".yoy"):
            assert text == format_change(value), indicator_id
        else:
            assert text == format_value(get_indicator(indicator_id).kind, value), indicator_id
        seen.add(indicator_id)
    landed = _landed_modules()
    report_ids = {row["id"] for row in _report_rows()}
    caveated = {i.id for i in indicators if i.caveat}
    assert {i for i in report_ids if get_indicator_module(i) in landed} - caveated <= seen
    assert not seen & caveated
    for indicator_id in caveated & report_ids:  # printed as 待补充 in its sentence
        assert any(pending_note(str(get_indicator(indicator_id).caveat)) in t for t in texts)
    assert any(value for value in (_expected(i, city) for i in seen))  # a live world

    # modules not built yet: their sentence, none of their figures
    # (a paragraph one of whose figures is not registered: modules being built may have
    # registered some of their figures and not others)
    registered = {indicator.id for indicator in indicators}
    pending = [p.module for s in DEFAULT.sections for p in s.paragraphs
               if p.module and any(m.group(1) not in registered
                                   for m in PLACEHOLDER.finditer(p.text) if "." in m.group(1))]
    assert sum(text == no_data_sentence(m) for m in set(pending)
               for text in texts) == len(pending)
    assert not seen - registered
    assert all(module in _landed_modules() or module in PENDING_MODULES for module in pending)


def get_indicator_module(indicator_id: str) -> str:
    return next(row["module"] for row in _report_rows() if row["id"] == indicator_id)


@pytest.mark.django_db
def test_a_module_without_indicators_says_so_instead_of_printing_zero(city):
    template = ReportTemplate(title="{{ bureau }}{{ year }}", intro=(), sections=(
        TemplateSection("一、测试", (
            Paragraph("查处违法案件{{ cases.count }}件。", "cases"),
            Paragraph("发生生产安全事故{{ accidents.count }}起。", "accidents"),
        )),
    ))
    with isolated_registry() as entries:
        for key in [key for key in entries if key.startswith("accidents.")]:
            del entries[key]  # as if the accidents module were not built
        texts, marked, rows = _read(render_docx(YEAR, city, template))
    assert no_data_sentence("accidents") in texts
    assert [rows[int(n)][1] for _text, n in marked] == ["cases.count"]
    assert marked[0][0] == str(_expected("cases.count", city))
    assert not any(cells[1].startswith("accidents.") for cells in rows.values())
    assert not any("发生生产安全事故" in text for text in texts)


# --- the .xlsx, the checks, the command -----------------------------------------------------

@pytest.mark.django_db
def test_xlsx_lists_every_figure_with_its_value(city):
    ws = openpyxl.load_workbook(io.BytesIO(figures_xlsx(YEAR, city))).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [ind.id for ind in all_indicators()]
    for row in rows:
        if get_indicator(row[0]).caveat:  # no value to check; the caveat says why
            assert row[2] is None and row[7] == pending_note(str(get_indicator(row[0]).caveat))
            continue
        assert Decimal(str(row[2])) == _expected(row[0], city), row[0]
        assert row[1] and row[6]  # label and definition


def test_consistency_finds_contradictions_only_between_present_figures():
    crafted = {"plan.tasks.total": 68, "plan.tasks.done": 70, "plan.tasks.rate": Decimal("44.1"),
               "accidents.count": 3, "accidents.highway.count": 4,
               "cases.count": 0, "cases.exempt.waived_amount": Decimal("100.00"),
               "cases.exempt": 0, "review.legal.opinions": -1}
    problems = find_contradictions(crafted, {"plan.tasks.done": "总方案已完成任务"})
    text = "\n".join(problems)
    assert len(problems) == 5, problems
    assert "“总方案已完成任务”（plan.tasks.done = 70） 大于 plan.tasks.total = 68" in text
    assert "plan.tasks.rate = 44.1 与" in text and "102.9" in text
    assert "accidents.highway.count = 4 大于 accidents.count = 3" in text
    assert "review.legal.opinions = -1 为负数" in text
    consistent = {"plan.tasks.total": 68, "plan.tasks.done": 30,
                  "plan.tasks.rate": Decimal("44.1"), "accidents.count": 69,
                  "accidents.count.yoy": Decimal("-9.2"), "accidents.highway.count": 4,
                  "parks.total": 9, "parks.risk.lower": 4, "parks.risk.general": 5}
    assert find_contradictions(consistent) == []
    assert find_contradictions({"plan.tasks.done": 999}) == []  # no total: nothing to compare


@pytest.mark.django_db
def test_demo_figures_are_consistent(city):
    period = Period.for_year(YEAR)
    assert find_contradictions({i.id: i.evaluate(period, city) for i in all_indicators()}) == []


@pytest.mark.django_db
def test_command_writes_the_report_and_the_figures(city, tmp_path, monkeypatch):
    report, table = tmp_path / "report.docx", tmp_path / "figures.xlsx"
    out = io.StringIO()
    call_command("annual_report", year=YEAR, jurisdiction="330400", output=str(report),
                 xlsx=str(table), strict=True, stdout=out, stderr=io.StringIO())
    assert "未发现矛盾" in out.getvalue()
    assert docx.Document(str(report)).paragraphs[0].text.startswith("嘉兴市应急管理局")
    assert openpyxl.load_workbook(table).active.max_row == len(all_indicators()) + 1

    from fazhi.reports.management.commands import annual_report
    monkeypatch.setattr(annual_report, "find_contradictions", lambda *a: ["甲大于乙"])
    strict = tmp_path / "strict.docx"
    err = io.StringIO()
    with pytest.raises(CommandError, match="相互矛盾"):
        call_command("annual_report", year=YEAR, jurisdiction="330400", output=str(strict),
                     strict=True, stdout=io.StringIO(), stderr=err)
    assert "甲大于乙" in err.getvalue() and not strict.exists()
    with pytest.raises(CommandError, match="行政区划代码不存在"):
        call_command("annual_report", year=YEAR, jurisdiction="999999", output=str(strict))
