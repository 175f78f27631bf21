"""Document numbers (发文字号 / 文号) of enforcement documents.

GB/T 9704-2012《党政机关公文格式》7.2.4: a document number is the issuing agency's
abbreviation, the year and the serial number; the year is written in full inside
六角括号 〔〕, the serial number without 第 and without leading zeros
(e.g. 嘉应急罚〔2024〕12号).
"""

from __future__ import annotations

# Document types and the character that marks them in the number. Penalty documents
# follow the 应急管理行政执法文书 practice (罚 for decisions, 立 for filings, ...).
DOC_TYPE_MARKS: dict[str, str] = {
    "penalty_decision": "罚",      # 行政处罚决定书
    "no_penalty_decision": "不罚",  # 不予行政处罚决定书
    "filing": "立",                # 立案审批表
    "notice": "告",                # 行政处罚告知书
    "hearing_notice": "听告",       # 行政处罚听证告知书 (the notice with hearing rights)
    "hearing_summons": "听通",      # 听证通知书 (time and place of the hearing)
    "rectification_order": "责改",  # 责令限期整改指令书
    "re_inspection": "复查",        # 整改复查意见书
    "on_site_measure": "现决",      # 现场处理措施决定书
    "inspection_record": "检记",    # 现场检查记录
    "transfer": "移",              # 案件移送书
    "normative_document": "规",     # 行政规范性文件
    "accident": "事故",             # 事故登记编号 (the registry's own series)
    "supervisor_certificate": "监聘",  # 社会监督员聘书 (oversight)
    "disclosure_request": "依申",   # 政府信息公开申请受理编号 (oversight)
    "permit_acceptance": "许受",    # 行政许可受理通知书 (licensing)
    "permit_decision": "许决",      # 行政许可决定书 (licensing)
    "permit_production": "安许",    # 危险化学品安全生产许可证 serials (licensing)
    "permit_use": "危化使",         # 危险化学品安全使用许可证 serials (licensing)
    "permit_operation": "危化经",   # 危险化学品经营许可证 serials (licensing)
    "safety_review": "危化项目审",  # 建设项目“三同时”审查意见书 (licensing)
}


def format_document_number(prefix: str, doc_type: str, year: int, serial: int) -> str:
    """嘉应急 + 罚 + 〔2024〕 + 12号."""
    if doc_type not in DOC_TYPE_MARKS:
        raise ValueError(f"未知的文书类型：{doc_type}")
    if serial < 1:
        raise ValueError("文号顺序号从1开始")
    return f"{prefix}{DOC_TYPE_MARKS[doc_type]}〔{year}〕{serial}号"
