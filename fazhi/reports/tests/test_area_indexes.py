"""The indexes the figures of an area and a period read (issue 7, performance): on
PostgreSQL their path column takes varchar_pattern_ops, so that the `LIKE 'path%'` of
"this area and everything below it" can use them whatever the database's collation; and
a party decision keeps its case's place, so decision figures need no join to the case.
The speed itself is measured in benchmarks/bench_indicators.py, not here."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from fazhi.cases.models import CaseParty, Outcome, PartyDecision, PartyKind, PenaltyCase
from fazhi.core.models import User

AREA_INDEXES = {
    "inspection_path_date_like": "inspection_inspection",
    "hazard_path_found_like": "inspection_hazard",
    "case_path_filed_like": "cases_penaltycase",
    "decision_path_day_like": "cases_partydecision",
    "accident_path_at_like": "accidents_accident",
}


@pytest.mark.postgres
@pytest.mark.django_db
def test_area_indexes_use_the_pattern_operator_class_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("operator classes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, tablename, indexdef FROM pg_indexes "
                       "WHERE indexname = ANY(%s)", [list(AREA_INDEXES)])
        found = {name: (table, definition) for name, table, definition in cursor.fetchall()}
    assert set(found) == set(AREA_INDEXES)
    for name, (table, definition) in found.items():
        assert table == AREA_INDEXES[name]
        assert "(jurisdiction_path varchar_pattern_ops" in definition, definition


@pytest.mark.django_db
def test_the_indexes_exist_on_every_database():
    """SQLite ignores the operator classes and builds plain indexes on the same columns."""
    with connection.cursor() as cursor:
        for name, table in AREA_INDEXES.items():
            constraints = connection.introspection.get_constraints(cursor, table)
            assert name in constraints, name
            assert constraints[name]["columns"][0] == "jurisdiction_path"


@pytest.mark.django_db
def test_a_decision_keeps_its_case_place(users, make_enterprise, jurisdictions, agencies):
    officer: User = users["officer"]
    case = PenaltyCase.objects.create(
        enterprise=make_enterprise(jurisdictions["nanhu_town"]), agency=agencies["nanhu"],
        jurisdiction=jurisdictions["nanhu_town"], created_by=officer,
        source="inspection", facts="测试", discovered_on=datetime.date(2024, 3, 1))
    party = CaseParty.objects.create(case=case, kind=PartyKind.UNIT, name="单位")
    decision = PartyDecision.objects.create(party=party, outcome=Outcome.PENALTY)
    assert decision.jurisdiction_path == jurisdictions["nanhu_town"].path == case.jurisdiction_path
    decision.jurisdiction_path = ""  # a row from before the field: filled on its next save
    decision.decided_on = datetime.date(2024, 4, 1)
    decision.save(update_fields=["decided_on"])
    decision.refresh_from_db()
    assert decision.jurisdiction_path == case.jurisdiction_path
