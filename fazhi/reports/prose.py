"""The editable text of an annual-report template (年度报告模板正文), as officers type it
in a textarea, and the check of its placeholders before it is saved.

The format (also explained on the page /reports/annual/):

- A line starting with a Chinese section number and 、 (一、二、… 十、) or with "## " is a
  section heading (the "## " is dropped). Text before the first heading is the preamble.
- Paragraphs are separated by one or more blank lines; the lines of one paragraph are
  joined without a space (Chinese prose).
- `{{ indicator.id }}` prints the figure of a registered indicator, formatted and marked;
  `{{ indicator.id|change }}` prints a year-on-year change (ids ending in ".yoy") as
  上升x% / 下降x% / 持平; `{{ year }}`, `{{ bureau }}`, `{{ jurisdiction }}` are the year,
  the bureau's name and the area's name.
- No tags: a paragraph's module (模块) is the module of the figures it uses
  (`reports.annual.module_of`), so a paragraph whose figures a module not built yet would
  give is replaced by a sentence saying there is no data yet.

Known figures are the registered indicators and those the default template names (the
2024 report's figures, some from modules not built yet: they print the no-data sentence
until their module registers them). Anything else is refused when the template is saved.
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.translation import gettext as _

from fazhi.reports.default_template import DEFAULT, Paragraph, ReportTemplate, Section
from fazhi.reports.registry import all_indicators

HEADING = re.compile(r"^(?:##\s*(?P<md>\S.*)|(?P<cn>[一二三四五六七八九十]+、.*))$")
BRACES = re.compile(r"\{\{|\}\}|\{|\}")
INNER = re.compile(r"^\s*([A-Za-z0-9_.]+)\s*(?:\|\s*([A-Za-z_]\w*)\s*)?$")
FIGURE_ID = re.compile(r"\{\{\s*([A-Za-z0-9_]+\.[A-Za-z0-9_.]+)\s*(?:\|[^}]*)?\}\}")
CONTEXT_NAMES = ("year", "bureau", "jurisdiction")
FILTER_NAMES = ("change",)
MAX_CHARS = 50_000


def _paragraphs(template: ReportTemplate) -> list[Paragraph]:
    return [*template.intro, *(p for s in template.sections for p in s.paragraphs)]


@cache
def default_modules() -> dict[str, str]:
    """{figure id: module} of every figure the default template names (its paragraphs
    carry their module explicitly)."""
    return {m.group(1): p.module for p in _paragraphs(DEFAULT) if p.module
            for m in FIGURE_ID.finditer(p.text)}


def figure_modules() -> dict[str, str]:
    """{figure id: module} of every known figure: the default template's, then the
    registered indicators' (which win: the module that registers a figure owns it)."""
    from fazhi.reports.annual import module_of  # annual imports this module

    return {**default_modules(), **{i.id: module_of(i) for i in all_indicators()}}


def figure_ids(text: str) -> list[str]:
    """The figure ids of the placeholders of a text, in order (context names excluded)."""
    return [m.group(1) for m in FIGURE_ID.finditer(text)]


def infer_module(text: str, modules: dict[str, str] | None = None) -> str | None:
    """The module of a paragraph: that of its first figure (None: prose without figures,
    always printed)."""
    modules = figure_modules() if modules is None else modules
    for figure_id in figure_ids(text):
        if figure_id in modules:
            return modules[figure_id]
    return None


# --- text <-> template ------------------------------------------------------------------

def to_text(template: ReportTemplate) -> str:
    """The template's body as editable text (the title is edited on its own)."""
    blocks = [p.text for p in template.intro]
    for section in template.sections:
        heading = section.heading
        blocks.append(heading if HEADING.match(heading) else f"## {heading}")
        blocks.extend(p.text for p in section.paragraphs)
    return "\n\n".join(blocks) + "\n"


def parse(title: str, body: str) -> ReportTemplate:
    """The template of an editable text (check it first: `problems`)."""
    modules = figure_modules()
    intro: list[Paragraph] = []
    sections: list[tuple[str, list[Paragraph]]] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            text = "".join(lines)
            paragraph = Paragraph(text, infer_module(text, modules))
            (sections[-1][1] if sections else intro).append(paragraph)
            lines.clear()

    for raw in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        heading = HEADING.match(line)
        if heading:
            flush()
            sections.append((heading.group("md") or heading.group("cn"), []))
        elif not line:
            flush()
        else:
            lines.append(line)
    flush()
    return ReportTemplate(title=title.strip(), intro=tuple(intro),
                          sections=tuple(Section(h, tuple(ps)) for h, ps in sections))


# --- the check before saving --------------------------------------------------------------

def _snippet(text: str, start: int) -> str:
    return text[max(0, start - 8):start + 12].replace("\n", " ")


def placeholder_problems(text: str, where: str) -> list[str]:
    """Every bad placeholder of `text` as a Chinese sentence naming it: braces that do not
    pair up, a malformed placeholder, an unknown figure, an unknown or misused filter."""
    known = figure_modules()
    problems: list[str] = []
    opened: int | None = None
    label = where

    def at(position: int) -> str:
        if "\n" not in text:
            return label
        return _("%(where)s第%(n)s行") % {"where": label, "n": text.count("\n", 0, position) + 1}

    for match in BRACES.finditer(text):
        where = at(match.start())
        token = match.group(0)
        if token == "{{":
            if opened is not None:
                problems.append(_("%(where)s：“{{”没有对应的“}}”（…%(s)s…）") % {
                    "where": at(opened), "s": _snippet(text, opened)})
            opened = match.start()
        elif token == "}}":
            if opened is None:
                problems.append(_("%(where)s：多余的“}}”（…%(s)s…）") % {
                    "where": where, "s": _snippet(text, match.start())})
                continue
            inner = text[opened + 2:match.start()]
            if "\n" in inner:  # a placeholder is written on one line
                problems.append(_("%(where)s：“{{”没有在同一行内对应的“}}”（…%(s)s…）") % {
                    "where": at(opened), "s": _snippet(text, opened)})
                problems.append(_("%(where)s：多余的“}}”（…%(s)s…）") % {
                    "where": where, "s": _snippet(text, match.start())})
                opened = None
                continue
            placeholder = text[opened:match.end()]
            where, opened = at(opened), None
            problems.extend(_placeholder_problems(inner, placeholder, where, known))
        elif opened is None:  # a single brace outside a placeholder
            problems.append(_("%(where)s：单个花括号“%(b)s”不成对，占位符须写成 {{ 指标编号 }}"
                              "（…%(s)s…）") % {"where": where, "b": token,
                                               "s": _snippet(text, match.start())})
    if opened is not None:
        problems.append(_("%(where)s：“{{”没有对应的“}}”（…%(s)s…）") % {
            "where": at(opened), "s": _snippet(text, opened)})
    return problems


def _placeholder_problems(inner: str, placeholder: str, where: str,
                          known: dict[str, str]) -> list[str]:
    parsed = INNER.match(inner)
    if parsed is None:
        return [_("%(where)s：占位符格式不正确：%(p)s（应为 {{ 指标编号 }} 或 "
                  "{{ 指标编号|change }}）") % {"where": where, "p": placeholder}]
    name, filter_name = parsed.group(1), parsed.group(2)
    if name in CONTEXT_NAMES:
        if filter_name:
            return [_("%(where)s：%(p)s 不能使用格式“%(f)s”") % {
                "where": where, "p": placeholder, "f": filter_name}]
        return []
    problems = []
    if name not in known:
        problems.append(_("%(where)s：未知的指标：%(p)s（指标编号“%(id)s”未登记）") % {
            "where": where, "p": placeholder, "id": name})
    if filter_name and filter_name not in FILTER_NAMES:
        problems.append(_("%(where)s：未知的格式：%(p)s（可用的格式只有 change）") % {
            "where": where, "p": placeholder})
    elif filter_name == "change" and not name.endswith(".yoy"):
        problems.append(_("%(where)s：%(p)s 的格式 change 只能用于同比指标（编号以 .yoy 结尾）")
                        % {"where": where, "p": placeholder})
    return problems


def problems(title: str, body: str) -> list[str]:
    """Every reason not to save this title and body (empty: it may be saved)."""
    found: list[str] = []
    if not title.strip():
        found.append(_("报告标题不能为空"))
    if not body.strip():
        found.append(_("模板正文不能为空"))
    if len(body) > MAX_CHARS:
        found.append(_("模板正文过长（不超过%(n)s字）") % {"n": MAX_CHARS})
    found += placeholder_problems(title, _("标题"))
    found += placeholder_problems(body, _("正文"))
    return found
