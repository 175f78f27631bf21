"""Writes of penalty cases, one module per stage. Each function checks the actor's
right, runs in one transaction on the case locked at the version the actor saw, and
writes its event into the record; a refusal raises a Chinese ValidationError /
PermissionDenied before anything is saved.

- `leads`: a finding becomes a lead; handlers and violation date before filing.
- `workflow`: every move of the transition table (`case_transition`), its gate facts and
  effects; suspension and extension.
- `investigation`: parties, evidence list, investigation report.
- `review`: proposals per party with the engine's range, the engine's assessment (legal
  review / collective discussion required?), legal review, collective discussion, the
  notice's service, statements (陈述申辩) and the hearing.
- `execution`: service of the decisions, payments, deferral and instalments, court
  enforcement, transfers to the police.
- `publicity`: the public record (公示), credit repair and remedies; these follow the
  decision even after the case is closed, so they take no case version.
- `documents`: every document issued is rendered and written into the event record.
"""

from fazhi.cases.services.execution import (
    court_enforcement_apply,
    court_enforcement_conclude,
    decision_served_record,
    payment_arrangement_approve,
    payment_record,
    transfer_answer,
    transfer_record,
)
from fazhi.cases.services.investigation import (
    case_party_add,
    evidence_item_add,
    investigation_report_save,
)
from fazhi.cases.services.leads import (
    case_details_set,
    case_lead_from_finding,
    case_lead_register,
)
from fazhi.cases.services.publicity import (
    credit_repair_apply,
    credit_repair_decide,
    publicity_publish,
    remedy_conclude,
    remedy_record,
)
from fazhi.cases.services.review import (
    case_assess,
    collective_discussion_record,
    hearing_report_save,
    hearing_schedule,
    legal_review_conclude,
    notice_served,
    party_decision_propose,
    review_opinion_add,
    review_opinion_answer,
    statement_record,
    statement_review,
)
from fazhi.cases.services.workflow import (
    case_extend,
    case_resume,
    case_suspend,
    case_transition,
)

__all__ = [
    "case_assess",
    "case_details_set",
    "case_extend",
    "case_lead_from_finding",
    "case_lead_register",
    "case_party_add",
    "case_resume",
    "case_suspend",
    "case_transition",
    "collective_discussion_record",
    "court_enforcement_apply",
    "court_enforcement_conclude",
    "credit_repair_apply",
    "credit_repair_decide",
    "decision_served_record",
    "evidence_item_add",
    "hearing_report_save",
    "hearing_schedule",
    "investigation_report_save",
    "legal_review_conclude",
    "notice_served",
    "party_decision_propose",
    "payment_arrangement_approve",
    "payment_record",
    "publicity_publish",
    "remedy_conclude",
    "remedy_record",
    "review_opinion_add",
    "review_opinion_answer",
    "statement_record",
    "statement_review",
    "transfer_answer",
    "transfer_record",
]
