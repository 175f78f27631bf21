"""Build the docxtpl templates of the inspection documents with python-docx.

    .venv/bin/python scripts/make_inspection_docx_templates.py [OUT_DIR]

Writes into fazhi/inspection/templates_docx/ (or OUT_DIR):
  inspection_record.docx   现场检查记录
  rectification_order.docx 责令限期整改指令书
  reinspection.docx        整改复查意见书

The files are committed too; this script is how they are made, so a change of layout
is a change here, re-run, and both committed. The output is byte-for-byte repeatable
(fixed document properties, fixed zip timestamps). Placeholders are Jinja tags filled
by fazhi/inspection/documents.py; `{%tr %}` / `{%p %}` tags repeat table rows and
paragraphs (docxtpl).
"""

from __future__ import annotations

import datetime
import io
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "fazhi" / "inspection" / "templates_docx"

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
BODY_PT = 12  # 小四
TITLE_PT = 22  # 二号
AGENCY_PT = 16  # 三号
FIXED_TIME = datetime.datetime(2024, 1, 1, 0, 0, 0)
Doc = object  # docx.document.Document (not importable as a type at runtime)


# --- layout helpers -----------------------------------------------------------------------

def _east_asian(element: object, font: str) -> None:
    # python-docx sets only the Latin font; Chinese text takes w:eastAsia.
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _new_document(title: str) -> Doc:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    _east_asian(normal.element, BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.5
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "Fazhi", "Fazhi"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    return doc


def _para(
    doc_or_cell: object,
    text: str = "",
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size: float | None = None,
    bold: bool = False,
    font: str | None = None,
    indent: bool = False,
    space_before: float = 0,
) -> Paragraph:
    paragraph = doc_or_cell.add_paragraph()  # type: ignore[attr-defined]
    if align is not None:
        paragraph.alignment = align
    if indent:  # 首行缩进两字
        paragraph.paragraph_format.first_line_indent = Pt(2 * (size or BODY_PT))
    if space_before:
        paragraph.paragraph_format.space_before = Pt(space_before)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if font:
            run.font.name = font
            _east_asian(run._element, font)
    return paragraph


def _cell_text(cell: object, text: str, *, bold: bool = False,
               align: WD_ALIGN_PARAGRAPH | None = None) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.paragraph_format.line_spacing = 1.2
    if align is not None:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None


def _table(doc: Doc, widths: Sequence[float]) -> Table:
    table = doc.add_table(rows=0, cols=len(widths))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    return table


def _row(table: Table, texts: Sequence[str], widths: Sequence[float], *,
         bold: bool = False, center: bool = False) -> None:
    cells = table.add_row().cells
    for cell, text, width in zip(cells, texts, widths, strict=True):
        cell.width = Cm(width)
        _cell_text(cell, text, bold=bold,
                   align=WD_ALIGN_PARAGRAPH.CENTER if center else None)


def _loop_rows(table: Table, loop: str, cells: Sequence[str], widths: Sequence[float]) -> None:
    """A table row repeated for each item of `loop` (docxtpl {%tr %} rows)."""
    blanks = [""] * (len(widths) - 1)
    _row(table, [f"{{%tr for {loop} %}}", *blanks], widths)
    _row(table, cells, widths)
    _row(table, ["{%tr endfor %}", *blanks], widths)


def _heading(doc: Doc, title: str) -> None:
    _para(doc, "{{ agency }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=AGENCY_PT, bold=True,
          font=TITLE_FONT)
    _para(doc, title, align=WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_PT, bold=True,
          font=TITLE_FONT)
    _para(doc, "{{ number }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def _officer_table(doc: Doc, caption: str) -> None:
    _para(doc, caption, bold=True, space_before=6)
    widths = (5.0, 5.0, 5.8)
    table = _table(doc, widths)
    _row(table, ["姓名", "执法证号", "发证机关"], widths, bold=True, center=True)
    _loop_rows(table, "o in officers",
               ["{{ o.name }}", "{{ o.certificate }}", "{{ o.issuer }}"], widths)


def _signatures(doc: Doc, *lines: str) -> None:
    for line in lines:
        _para(doc, line, space_before=12)


def _seal(doc: Doc) -> None:
    _para(doc, "{{ agency }}（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=24)
    _para(doc, "{{ doc_date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


# --- the three documents --------------------------------------------------------------------

def inspection_record() -> Doc:
    """现场检查记录 (安全生产法 第六十八条: time, place, content, problems and their
    handling recorded in writing, signed by the officers and the unit's head, a refusal
    recorded)."""
    doc = _new_document("现场检查记录")
    _heading(doc, "现场检查记录")
    widths = (4.0, 11.8)
    table = _table(doc, widths)
    for label, value in (
        ("被检查单位", "{{ enterprise_name }}"),
        ("统一社会信用代码", "{{ uscc }}"),
        ("地址", "{{ address }}"),
        ("检查场所", "{{ place }}"),
        ("检查时间", "{{ date }}"),
        ("检查类别", "{{ category }}"),
        ("检查方式", "{{ mode }}"),
        ("联合检查部门", "{{ joint_departments }}"),
    ):
        _row(table, [label, value], widths)
    _officer_table(doc, "检查人员")
    _para(doc, "检查情况", bold=True, space_before=6)
    widths = (1.4, 8.4, 2.4, 3.6)
    table = _table(doc, widths)
    _row(table, ["序号", "检查事项", "检查结果", "说明"], widths, bold=True, center=True)
    _loop_rows(table, "r in results",
               ["{{ loop.index }}", "{{ r.item }}", "{{ r.outcome }}", "{{ r.note }}"], widths)
    _para(doc, "{%p if not results %}")
    _para(doc, "（未逐项记录检查事项）")
    _para(doc, "{%p endif %}")
    _para(doc, "发现的问题", bold=True, space_before=6)
    _para(doc, "{%p for f in findings %}")
    _para(doc, "{{ loop.index }}．{{ f.text }}", indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p if not findings %}")
    _para(doc, "未发现问题。", indent=True)
    _para(doc, "{%p endif %}")
    _para(doc, "被检查单位签字", bold=True, space_before=6)
    _para(doc, "{{ signature }}", indent=True)
    _signatures(doc, "检查人员（签名）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿",
                "被检查单位负责人（签名）：＿＿＿＿＿＿＿＿　　　　年　　月　　日")
    _seal(doc)
    return doc


def rectification_order() -> Doc:
    """责令限期整改指令书."""
    doc = _new_document("责令限期整改指令书")
    _heading(doc, "责令限期整改指令书")
    _para(doc, "{{ enterprise_name }}：", space_before=6)
    _para(doc, "{{ intro }}", indent=True)
    _para(doc, "{%p for h in hazards %}")
    _para(doc, "{{ loop.index }}．{{ h }}", indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "{{ command }}", indent=True)
    _para(doc, "整改要求：{{ requirements }}", indent=True)
    _para(doc, "{{ rights }}", indent=True)
    widths = (4.0, 11.8)
    _para(doc, "")
    table = _table(doc, widths)
    _row(table, ["统一社会信用代码", "{{ uscc }}"], widths)
    _row(table, ["地址", "{{ address }}"], widths)
    _row(table, ["整改期限", "{{ deadline }}"], widths)
    _signatures(doc, "检查人员（签名）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿",
                "被检查单位负责人（签收）：　　　　　　　　　　　　年　　月　　日")
    _seal(doc)
    return doc


def reinspection() -> Doc:
    """整改复查意见书."""
    doc = _new_document("整改复查意见书")
    _heading(doc, "整改复查意见书")
    _para(doc, "{{ enterprise_name }}：", space_before=6)
    _para(doc, "{{ intro }}", indent=True)
    _para(doc, "{{ report }}", indent=True)
    _para(doc, "{{ visit }}", indent=True)
    _officer_table(doc, "复查人员")
    _para(doc, "复查意见", bold=True, space_before=6)
    _para(doc, "{{ opinion }}", indent=True)
    _para(doc, "复查结论", bold=True, space_before=6)
    _para(doc, "{{ conclusion }}", indent=True)
    _para(doc, "{%p if follow_up %}")
    _para(doc, "{{ follow_up }}", indent=True)
    _para(doc, "{%p endif %}")
    _signatures(doc, "复查人员（签名）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿",
                "被复查单位负责人（签收）：　　　　　　　　　　　　年　　月　　日")
    _seal(doc)
    return doc


TEMPLATES: dict[str, Callable[[], Doc]] = {
    "inspection_record.docx": inspection_record,
    "rectification_order.docx": rectification_order,
    "reinspection.docx": reinspection,
}


# --- repeatable output ----------------------------------------------------------------------

def docx_bytes(build: Callable[[], Doc]) -> bytes:
    """The document as .docx bytes with fixed zip timestamps, so re-running the script
    on the same python-docx gives identical files."""
    raw = io.BytesIO()
    build().save(raw)  # type: ignore[attr-defined]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main(argv: Sequence[str]) -> int:
    out_dir = Path(argv[0]) if argv else OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        (out_dir / name).write_bytes(docx_bytes(build))
        print(out_dir / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
