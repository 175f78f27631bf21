"""Build the docxtpl templates of the penalty-case documents with python-docx.

    .venv/bin/python scripts/make_case_docx_templates.py [OUT_DIR]

Writes into fazhi/cases/templates_docx/ (or OUT_DIR), one template per document:
  filing.docx               立案审批表
  interview.docx            调查询问笔录 (a form filled on paper)
  handling.docx             案件处理呈批表
  legal_review.docx         法制审核意见书
  discussion.docx           集体讨论记录
  notice.docx               行政处罚告知书 / 行政处罚听证告知书 (title filled in)
  penalty_decision.docx     行政处罚决定书
  no_penalty_decision.docx  不予行政处罚决定书
  service.docx              送达回证
  closure.docx              结案审批表
  transfer.docx             案件移送书

The files are committed too; this script is how they are made (re-run and commit both).
The layout helpers, the fixed document properties and the repeatable zip output are
those of scripts/make_inspection_docx_templates.py, so every document of the platform
has the same house style. Placeholders are Jinja tags filled by fazhi/cases/documents.py.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from docx.enum.text import WD_ALIGN_PARAGRAPH

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "fazhi" / "cases" / "templates_docx"


def _sibling(name: str) -> ModuleType:
    # scripts/ is not a package: load the inspection script by its path.
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


layout = _sibling("make_inspection_docx_templates")
Doc = layout.Doc
docx_bytes = layout.docx_bytes
_para, _table, _row, _loop_rows = layout._para, layout._table, layout._row, layout._loop_rows
_heading, _seal, _signatures = layout._heading, layout._seal, layout._signatures
_officer_table = layout._officer_table

FORM = (4.0, 11.8)  # label | value
BLANK_DATE = "　　　　年　　月　　日"


def _document(title: str, heading: str | None = None) -> Doc:
    doc = layout._new_document(title)
    _heading(doc, heading or title)
    return doc


def _form(doc: Doc, rows: Sequence[tuple[str, str]]) -> None:
    table = _table(doc, FORM)
    for label, value in rows:
        _row(table, [label, value], FORM)


def _section(doc: Doc, caption: str) -> None:
    _para(doc, caption, bold=True, space_before=6)


def _lines(doc: Doc, loop: str, text: str, *, empty: str | None = None) -> None:
    """One indented paragraph per item of `loop` ({%p %} paragraphs), and `empty` when
    the list is empty."""
    name = loop.split(" in ")[1]
    _para(doc, f"{{%p for {loop} %}}")
    _para(doc, text, indent=True)
    _para(doc, "{%p endfor %}")
    if empty:
        _para(doc, f"{{%p if not {name} %}}")
        _para(doc, empty, indent=True)
        _para(doc, "{%p endif %}")


def _optional(doc: Doc, condition: str, text: str) -> None:
    _para(doc, f"{{%p if {condition} %}}")
    _para(doc, text, indent=True)
    _para(doc, "{%p endif %}")


def _evidence(doc: Doc) -> None:
    _lines(doc, "e in evidence", "{{ e }}", empty="（未编制证据清单）")


# --- internal forms -------------------------------------------------------------------------

def filing() -> Doc:
    """立案审批表 (《行政处罚法》第五十四条: filing once the standard is met)."""
    doc = _document("立案审批表")
    _form(doc, [
        ("案件来源", "{{ source }}"),
        ("案由", "{{ cause }}"),
        ("当事人", "{{ enterprise_name }}"),
        ("统一社会信用代码", "{{ uscc }}"),
        ("地址", "{{ address }}"),
        ("违法行为发生（终了）日期", "{{ violation_date }}"),
        ("发现日期", "{{ discovered_on }}"),
        ("涉及执法事项", "{{ items }}"),
        ("办案期限", "{{ decision_due }}"),
    ])
    _section(doc, "线索情况")
    _para(doc, "{{ facts }}", indent=True)
    _officer_table(doc, "承办人员")
    _section(doc, "承办人意见")
    _para(doc, "{{ handler_opinion }}", indent=True)
    _section(doc, "负责人审批意见")
    _para(doc, "{{ approval }}", indent=True)
    _signatures(doc, "承办人（签名）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿",
                f"负责人（签名）：＿＿＿＿＿＿＿＿　{BLANK_DATE}")
    _seal(doc)
    return doc


def interview() -> Doc:
    """调查询问笔录: the case, the parties and the interviewers filled in; the questions
    and answers are written on paper and signed page by page."""
    doc = _document("调查询问笔录")
    _form(doc, [
        ("案由", "{{ cause }}"),
        ("询问时间", "　　　　年　　月　　日　　时　　分至　　时　　分"),
        ("询问地点", ""),
        ("询问人", "{{ interviewers }}"),
        ("记录人", ""),
        ("被询问人", "姓名：　　　　　性别：　　　年龄：　　　身份证号码："),
        ("工作单位及职务", ""),
        ("联系电话及住址", ""),
    ])
    _section(doc, "本案当事人")
    _lines(doc, "p in parties", "{{ p }}")
    _section(doc, "询问记录")
    _para(doc, "{{ opening }}", indent=True)
    _para(doc, "答：", indent=True)
    for _ in range(10):
        _para(doc, "问：", indent=True)
        _para(doc, "答：", indent=True)
    _para(doc, "被询问人核对意见：以上笔录我已看过（已向我宣读过），与我所说的相符。",
          space_before=12)
    _signatures(doc, f"被询问人（签名）：＿＿＿＿＿＿＿＿　{BLANK_DATE}",
                f"询问人（签名）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿　{BLANK_DATE}",
                f"记录人（签名）：＿＿＿＿＿＿＿＿　{BLANK_DATE}")
    _para(doc, "第　　页　共　　页", align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=12)
    return doc


def handling() -> Doc:
    """案件处理呈批表: the proposal per party beside the engine's ranges, and whether
    legal review and collective discussion are required."""
    doc = _document("案件处理呈批表")
    _form(doc, [
        ("案由", "{{ cause }}"),
        ("当事人", "{{ enterprise_name }}"),
        ("立案日期", "{{ filed_on }}"),
        ("调查终结日期", "{{ reported_on }}"),
        ("承办人员", "{{ handlers }}"),
    ])
    _section(doc, "违法事实")
    _para(doc, "{{ facts }}", indent=True)
    _section(doc, "证据")
    _evidence(doc)
    _section(doc, "处理意见")
    table = _table(doc, FORM)
    _row(table, ["项目", "内容"], FORM, bold=True, center=True)
    _loop_rows(table, "r in proposal_rows", ["{{ r.label }}", "{{ r.value }}"], FORM)
    _section(doc, "法制审核")
    _lines(doc, "l in review_lines", "{{ l }}")
    _section(doc, "集体讨论")
    _lines(doc, "l in collective_lines", "{{ l }}")
    _section(doc, "承办人意见")
    _para(doc, "{{ proposal }}", indent=True)
    _signatures(doc, f"承办人（签名）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿　{BLANK_DATE}",
                "承办机构负责人审核意见：",
                f"（签名）：＿＿＿＿＿＿＿＿　{BLANK_DATE}",
                "负责人审批意见：",
                f"（签名）：＿＿＿＿＿＿＿＿　{BLANK_DATE}")
    _seal(doc)
    return doc


def legal_review() -> Doc:
    """法制审核意见书 (《行政处罚法》第五十八条): one round, its opinions one by one,
    the conclusion."""
    doc = _document("法制审核意见书")
    _form(doc, [
        ("案由", "{{ cause }}"),
        ("当事人", "{{ parties }}"),
        ("审核轮次", "{{ round }}"),
        ("提交审核", "{{ submitted }}"),
        ("审核人", "{{ reviewer }}"),
        ("审核日期", "{{ concluded_on }}"),
    ])
    _section(doc, "审核意见")
    widths = (1.2, 3.8, 3.6, 3.6, 3.6)
    table = _table(doc, widths)
    _row(table, ["序号", "问题", "法律依据", "审核建议", "承办人回复"], widths, bold=True,
         center=True)
    _loop_rows(table, "o in opinions", ["{{ o.number }}", "{{ o.issue }}", "{{ o.law }}",
                                        "{{ o.suggestion }}", "{{ o.answer }}"], widths)
    _optional(doc, "not opinions", "（本轮未提出逐条审核意见）")
    _section(doc, "审核结论")
    _para(doc, "{{ conclusion }}", indent=True)
    _optional(doc, "summary", "{{ summary }}")
    _signatures(doc, f"法制审核人员（签名）：＿＿＿＿＿＿＿＿　{BLANK_DATE}")
    _seal(doc)
    return doc


def discussion() -> Doc:
    """集体讨论记录 (《行政处罚法》第五十七条第二款)."""
    doc = _document("集体讨论记录")
    _form(doc, [
        ("案由", "{{ cause }}"),
        ("当事人", "{{ parties }}"),
        ("讨论时间", "{{ date }}"),
        ("主持人", "{{ host }}"),
        ("出席人员", "{{ attendees }}"),
        ("记录人", "{{ recorder }}"),
    ])
    _section(doc, "案件情况")
    _para(doc, "{{ report }}", indent=True)
    _section(doc, "讨论意见")
    _lines(doc, "o in opinions", "{{ o }}", empty="（未记录发言）")
    _section(doc, "讨论结论")
    _para(doc, "{{ conclusion }}", indent=True)
    _signatures(doc, "出席人员（签名）：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿",
                "主持人（签名）：＿＿＿＿＿＿＿＿　　记录人（签名）：＿＿＿＿＿＿＿＿")
    _seal(doc)
    return doc


def closure() -> Doc:
    """结案审批表: each decision, its service and execution, the surcharge."""
    doc = _document("结案审批表")
    _form(doc, [
        ("案由", "{{ cause }}"),
        ("当事人", "{{ enterprise_name }}"),
        ("立案日期", "{{ filed_on }}"),
        ("决定日期", "{{ decided_on }}"),
        ("承办人员", "{{ handlers }}"),
    ])
    _section(doc, "处理决定及执行情况")
    table = _table(doc, FORM)
    _row(table, ["项目", "内容"], FORM, bold=True, center=True)
    _loop_rows(table, "r in rows", ["{{ r.label }}", "{{ r.value }}"], FORM)
    _section(doc, "结案意见")
    _para(doc, "{{ closing }}", indent=True)
    _signatures(doc, f"承办人（签名）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿　{BLANK_DATE}",
                f"负责人（签名）：＿＿＿＿＿＿＿＿　{BLANK_DATE}")
    _seal(doc)
    return doc


# --- documents to the party -------------------------------------------------------------------

def _party_lines(doc: Doc) -> None:
    _lines(doc, "l in party_lines", "{{ l }}")


def notice() -> Doc:
    """行政处罚告知书 (《行政处罚法》第四十四条), titled 行政处罚听证告知书 when it carries
    the hearing right (第六十三、六十四条)."""
    doc = layout._new_document("行政处罚告知书")
    _heading(doc, "{{ title }}")
    _para(doc, "{{ addressee }}：", space_before=6)
    _para(doc, "{{ intro }}", indent=True)
    _evidence(doc)
    _lines(doc, "p in proposals", "{{ p }}")
    _para(doc, "{{ statement }}", indent=True)
    _optional(doc, "hearing", "{{ hearing }}")
    _para(doc, "本机关地址：＿＿＿＿＿＿＿＿＿＿＿＿　联系人：＿＿＿＿＿＿　联系电话：＿＿＿＿＿＿",
          indent=True)
    _seal(doc)
    _signatures(doc, f"当事人（签收）：＿＿＿＿＿＿＿＿　{BLANK_DATE}")
    return doc


def _decision_body(doc: Doc) -> None:
    _party_lines(doc)
    _para(doc, "{{ intro }}", indent=True, space_before=6)
    _para(doc, "{{ facts }}", indent=True)
    _para(doc, "以上事实有下列证据证实：", indent=True)
    _evidence(doc)
    _lines(doc, "l in procedure", "{{ l }}")
    _para(doc, "{{ violation }}", indent=True)
    _optional(doc, "reason", "{{ reason }}")


def penalty_decision() -> Doc:
    """行政处罚决定书 (《行政处罚法》第五十九条), with payment, remedies and the credit
    notice (双告知)."""
    doc = _document("行政处罚决定书")
    _decision_body(doc)
    _para(doc, "{{ decision }}", indent=True)
    _lines(doc, "m in measures", "{{ m }}")
    _optional(doc, "payment", "{{ payment }}")
    _optional(doc, "surcharge", "{{ surcharge }}")
    _para(doc, "{{ remedies }}", indent=True)
    _lines(doc, "c in credit", "{{ c }}")
    _seal(doc)
    return doc


def no_penalty_decision() -> Doc:
    """不予行政处罚决定书 (《行政处罚法》第三十三条)."""
    doc = _document("不予行政处罚决定书")
    _decision_body(doc)
    _para(doc, "{{ decision }}", indent=True)
    _optional(doc, "education", "{{ education }}")
    _para(doc, "{{ remedies }}", indent=True)
    _seal(doc)
    return doc


def service() -> Doc:
    """送达回证 (《行政处罚法》第六十一条)."""
    doc = _document("送达回证")
    _form(doc, [
        ("送达文书名称及文号", "{{ document }}"),
        ("受送达人", "{{ recipient_party }}"),
        ("送达地点", "{{ place }}"),
        ("送达方式", "{{ method }}"),
        ("送达日期", "{{ served_on }}"),
        ("签收人", "{{ recipient }}"),
        ("送达人", "{{ servers }}"),
        ("代收人及代收理由", ""),
        ("备注", ""),
    ])
    _signatures(doc, f"受送达人（签名或盖章）：＿＿＿＿＿＿＿＿　{BLANK_DATE}",
                f"送达人（签名）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿　{BLANK_DATE}")
    _seal(doc)
    return doc


def transfer() -> Doc:
    """案件移送书: to the police for detention, or for a suspected crime (行刑衔接)."""
    doc = _document("案件移送书")
    _para(doc, "{{ receiver }}：", space_before=6)
    _para(doc, "{{ body }}", indent=True)
    _section(doc, "移送人员")
    _lines(doc, "p in persons", "{{ p }}", empty="（无）")
    _section(doc, "移送事由")
    _para(doc, "{{ facts }}", indent=True)
    _section(doc, "附件：证据材料清单")
    _evidence(doc)
    _seal(doc)
    _signatures(doc, f"接收机关（签收）：＿＿＿＿＿＿＿＿　{BLANK_DATE}")
    return doc


TEMPLATES: dict[str, Callable[[], Doc]] = {
    "filing.docx": filing,
    "interview.docx": interview,
    "handling.docx": handling,
    "legal_review.docx": legal_review,
    "discussion.docx": discussion,
    "notice.docx": notice,
    "penalty_decision.docx": penalty_decision,
    "no_penalty_decision.docx": no_penalty_decision,
    "service.docx": service,
    "closure.docx": closure,
    "transfer.docx": transfer,
}


def main(argv: Sequence[str]) -> int:
    out_dir = Path(argv[0]) if argv else OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        (out_dir / name).write_bytes(docx_bytes(build))
        print(out_dir / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
