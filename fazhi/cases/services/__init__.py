"""Writes of penalty cases, one module per stage. Each function checks the actor's
right, runs in one transaction on the case locked at the version the actor saw, and
writes its event into the record; a refusal raises a Chinese ValidationError /
PermissionDenied before anything is saved.

- `leads`: a finding becomes a lead; handlers and violation date before filing.
- `workflow`: every move of the transition table (`case_transition`), its gate facts and
  effects; suspension and extension.
- `investigation`: parties, evidence list, investigation report.
"""

from fazhi.cases.services.investigation import (
    case_party_add,
    evidence_item_add,
    investigation_report_save,
)
from fazhi.cases.services.leads import case_details_set, case_lead_from_finding
from fazhi.cases.services.workflow import (
    case_extend,
    case_resume,
    case_suspend,
    case_transition,
)

__all__ = [
    "case_details_set",
    "case_extend",
    "case_lead_from_finding",
    "case_party_add",
    "case_resume",
    "case_suspend",
    "case_transition",
    "evidence_item_add",
    "investigation_report_save",
]
