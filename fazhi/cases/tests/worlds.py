"""Cases at a given stage, built through the services, for the tests of the later
stages (review, decision, execution ...)."""

from __future__ import annotations

import datetime

from fazhi.cases.models import PartyKind, PenaltyCase
from fazhi.cases.services import (
    case_details_set,
    case_lead_from_finding,
    case_party_add,
    case_transition,
    evidence_item_add,
    investigation_report_save,
)
from fazhi.core.models import Role, User
from fazhi.core.tests.factories import make_id_number
from fazhi.inspection.models import InspectionCategory
from fazhi.inspection.services import finding_add, inspection_create
from fazhi.inspection.tests.test_services import certify
from fazhi.legal import services as legal_services
from fazhi.subjects.models import ResponsiblePerson

DISCOVERED = datetime.date(2024, 5, 6)
FILED = datetime.date(2024, 5, 8)
REPORTED = datetime.date(2024, 5, 20)
# 安全生产法(2021) 第九十七条第（三）项: unit fine up to 10万元 at the first finding
TRAINING_ITEM = "WSL2021-097-03"


def load_work_safety_catalogue() -> None:
    """The 安全生产法(2021) items of the real catalogue (the file the demo loads)."""
    files = [p for p in legal_services.catalogue_files() if p.name == "work_safety_law_2021.yaml"]
    legal_services.catalogue_load(actor=None, files=files)


def fresh(case: PenaltyCase) -> PenaltyCase:
    return PenaltyCase.objects.get(pk=case.pk)


def case_in_review(make_user, make_enterprise, jurisdictions, users, *,
                   item_code: str = TRAINING_ITEM, principal: bool = True,
                   ) -> tuple[list[User], PenaltyCase]:
    """A case in case review (案件审核): filed on FILED, the unit (and, with `principal`,
    its principal as a second party: 一案双罚), one evidence item, the report. The
    catalogue must be loaded (`load_work_safety_catalogue`)."""
    officers = [certify(make_user(Role.OFFICER)) for _ in range(2)]
    enterprise = make_enterprise(jurisdictions["nanhu_town"])
    inspection = inspection_create(actor=officers[0], enterprise=enterprise, date=DISCOVERED,
                                   place="生产车间", category=InspectionCategory.GENERAL,
                                   officers=officers)
    finding = finding_add(actor=officers[0], inspection=inspection,
                          description="未按照规定对从业人员进行安全生产教育和培训")
    case = case_lead_from_finding(actor=officers[0], finding=finding, item_codes=[item_code])
    case = case_details_set(actor=officers[0], case=case, version=case.version,
                            violation_date=DISCOVERED)
    case = case_transition(actor=officers[0], case=case, action="submit_filing",
                           version=case.version, on=FILED)
    case = case_transition(actor=users[Role.LEADER], case=case, action="approve_filing",
                           version=case.version, on=FILED)
    case_party_add(actor=officers[0], case=case, version=case.version, kind=PartyKind.UNIT)
    if principal:
        person = ResponsiblePerson.objects.create(
            enterprise=enterprise, kind=ResponsiblePerson.Kind.PRINCIPAL, name="周建华",
            id_number=make_id_number(7))
        case = fresh(case)
        case_party_add(actor=officers[0], case=case, version=case.version,
                       kind=PartyKind.PRINCIPAL, person=person)
    case = fresh(case)
    evidence_item_add(actor=officers[0], case=case, version=case.version,
                      kind="party_statement", name="询问笔录", source="承办人员询问制作",
                      proves="未组织从业人员安全培训", collected_on=FILED)
    case = fresh(case)
    investigation_report_save(actor=officers[0], case=case, version=case.version,
                              date=REPORTED,
                              facts="该公司未对新入职的12名从业人员进行安全生产教育和培训",
                              proposal="依据安全生产法第九十七条第（三）项给予罚款")
    case = fresh(case)
    case = case_transition(actor=officers[0], case=case, action="submit_case_review",
                           version=case.version, on=REPORTED)
    return officers, case
